// The benchmark's peer: MM1's former transport on uWebSockets.js, reduced to what the benchmark
// drives (POST of m-send.req to mm1.path), around the production handler, relay and store. MM1
// left uWS because its compile-time slow-loris rule (16 KiB per 10 s) cuts uploads from GPRS and
// EDGE phones (docs/architecture.md, "MM1"); this keeps the price of that decision measured.
import uWS from 'uWebSockets.js';
import type { Mm1Handler } from '../../src/mm1/handler.js';
import { HEAD_BYTES } from '../../src/mm1/handler.js';
import type { Reply, RequestInfo } from '../../src/mm1/http.js';

function info(res: uWS.HttpResponse, req: uWS.HttpRequest): RequestInfo {
  const headers = new Map<string, string>();
  req.forEach((k, v) => headers.set(k, v));
  const cl = headers.get('content-length');
  return {
    method: req.getMethod().toUpperCase(),
    url: req.getUrl(),
    query: req.getQuery() ?? '',
    peer: Buffer.from(res.getRemoteAddressAsText()).toString(),
    headers,
    contentLength: cl !== undefined && /^\d+$/.test(cl) ? Number(cl) : undefined,
  };
}

function reply(res: uWS.HttpResponse, state: { aborted: boolean }, r: Reply, close = false): void {
  if (state.aborted) return;
  res.cork(() => {
    res.writeStatus(String(r.status));
    for (const [k, v] of Object.entries(r.headers ?? {})) res.writeHeader(k, v);
    res.end(r.body ?? '', close);
  });
}

/** Serves `handler` on uWS at host:port; resolves with a function that stops listening. */
export async function serveUws(handler: Mm1Handler, host: string, port: number, path: string, maxBodyBytes: number): Promise<() => void> {
  const app = uWS.App();
  app.post(path, (res, req) => {
    const i = info(res, req);
    const state = { aborted: false };
    res.onAborted(() => (state.aborted = true));
    const refused = handler.precheck(i);
    if (refused) return reply(res, state, refused, true);
    const declared = i.contentLength !== undefined && i.contentLength <= maxBodyBytes ? i.contentLength : undefined;
    const whole = declared !== undefined ? Buffer.allocUnsafe(declared) : null;
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    res.onData((ab, isLast) => {
      if (failed) return;
      const chunk = new Uint8Array(ab); // lent for the callback only: copied below
      if (size + chunk.length > maxBodyBytes) {
        failed = true;
        const head = Buffer.concat([whole ? whole.subarray(0, size) : Buffer.concat(chunks), chunk]).subarray(0, HEAD_BYTES);
        return reply(res, state, handler.tooLarge(i, Buffer.from(head), i.contentLength ?? size + chunk.length), true);
      }
      if (whole) whole.set(chunk, size);
      else chunks.push(Buffer.from(chunk));
      size += chunk.length;
      if (!isLast) return;
      const body = whole ? whole.subarray(0, size) : Buffer.concat(chunks, size);
      handler.post(i, body).then((r) => reply(res, state, r), (e: unknown) => reply(res, state, handler.internal(i, e)));
    });
  });
  app.any('/*', (res, req) => {
    const i = info(res, req);
    reply(res, { aborted: false }, handler.notFound(i));
  });
  const sock = await new Promise<uWS.us_listen_socket>((resolve, reject) => {
    app.listen(host, port, (s) => (s ? resolve(s) : reject(new Error(`uWS cannot listen on ${host}:${port}`))));
  });
  return () => uWS.us_listen_socket_close(sock);
}
