// A raw TCP client for the HTTP cases no well-behaved client produces: a head trickled byte by
// byte, a body that stops half-way, two Content-Length headers, many idle connections from one
// address (loopback accepts any 127.x.y.z as the source).
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Map<string, string>;
  body: string;
}

export class RawClient {
  received = Buffer.alloc(0);
  /** Resolves when the server closed the connection (or it failed). */
  readonly closed: Promise<void>;
  private constructor(readonly socket: Socket) {
    socket.on('data', (c: Buffer) => (this.received = Buffer.concat([this.received, c])));
    socket.on('error', () => undefined); // a reset shows as `closed`
    this.closed = new Promise((r) => socket.once('close', () => r()));
  }

  static connect(port: number, localAddress = '127.0.0.1'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port, localAddress }, () => resolve(new RawClient(s)));
      s.once('error', reject);
    });
  }

  write(data: string | Uint8Array): void {
    this.socket.write(data);
  }

  /** The first response: whole once its Content-Length arrived, or when the server closed. */
  async response(timeoutMs = 10_000): Promise<RawResponse> {
    const deadline = Date.now() + timeoutMs;
    let ended = false;
    void this.closed.then(() => (ended = true));
    for (;;) {
      const r = parse(this.received);
      if (r && (ended || Buffer.byteLength(r.body) >= Number(r.headers.get('content-length') ?? Infinity))) return r;
      if (ended) throw new Error(`connection closed without a response (got ${JSON.stringify(this.received.toString().slice(0, 200))})`);
      if (Date.now() > deadline) throw new Error(`no response within ${timeoutMs} ms (got ${JSON.stringify(this.received.toString().slice(0, 200))})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  destroy(): void {
    this.socket.destroy();
  }
}

function parse(buf: Buffer): RawResponse | undefined {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [line, ...rest] = buf.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.1 (\d{3})/.exec(line);
  if (!m) throw new Error(`not an HTTP response: ${line}`);
  const headers = new Map(rest.map((h) => [h.slice(0, h.indexOf(':')).toLowerCase(), h.slice(h.indexOf(':') + 1).trim()] as [string, string]));
  return { status: Number(m[1]), headers, body: buf.subarray(end + 4).toString('latin1') };
}
