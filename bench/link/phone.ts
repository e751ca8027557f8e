// One HTTP exchange as a phone's MMS stack makes it over its link: a new connection, no client
// timeouts (a 300 KB upload over GPRS takes minutes), the whole answer read.
import { request } from 'node:http';

export interface Exchange {
  status: number;
  contentType: string | undefined;
  /** Content-Length as answered (for HEAD: of the body not sent). */
  contentLength: number | undefined;
  body: Buffer;
  /** performance.now() when the request started and when the last byte of the answer arrived. */
  started: number;
  done: number;
}

export interface ExchangeOptions {
  method: string;
  headers?: Record<string, string>;
  body?: Uint8Array;
  /**
   * Send `url` as an absolute-form target (RFC 9112 §3.2.2) to this address, as a phone whose
   * MMS proxy is set to it does; by default the origin form goes to the URL's own host.
   */
  proxy?: { host: string; port: number };
  /** The phone's own address (any 127.x.y.z on loopback). */
  localAddress?: string;
}

export function exchange(url: string, o: ExchangeOptions): Promise<Exchange> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...o.headers };
    if (o.body) headers['Content-Length'] = o.body.length;
    const u = new URL(url);
    const where = o.proxy
      ? { host: o.proxy.host, port: o.proxy.port, path: url, setHost: false }
      : { host: u.hostname, port: u.port || 80, path: u.pathname + u.search };
    if (o.proxy) headers.Host = u.host;
    const req = request({ ...where, method: o.method, headers, agent: false, ...(o.localAddress ? { localAddress: o.localAddress } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: res.headers['content-type'], contentLength: res.headers['content-length'] === undefined ? undefined : Number(res.headers['content-length']), body: Buffer.concat(chunks), started, done: performance.now() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(o.body ? Buffer.from(o.body.buffer, o.body.byteOffset, o.body.length) : undefined);
  });
}
