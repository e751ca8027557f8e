// Thin request/response plumbing over uWebSockets.js: body collection with a hard limit
// (refused before buffering when Content-Length says too much, cut off mid-stream otherwise),
// abort tracking, corked replies after async work, and an in-flight counter for graceful
// shutdown. uWS hands us views that die with the callback, so everything is copied out first.
import type { HttpRequest, HttpResponse } from 'uWebSockets.js';

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  /** HEAD: send the headers and Content-Length of `body` but not the body. */
  headOnly?: boolean;
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  204: 'No Content',
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  411: 'Length Required',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** A request whose synchronous parts (headers, peer) were read inside the uWS callback. */
export interface RequestInfo {
  method: string;
  url: string;
  query: string;
  peer: string;
  headers: Map<string, string>;
  contentLength: number | undefined;
}

export function readRequest(res: HttpResponse, req: HttpRequest, wanted: readonly string[]): RequestInfo {
  const headers = new Map<string, string>();
  req.forEach((k, v) => {
    if (wanted.includes(k) || k === 'content-type' || k === 'content-length' || k === 'user-agent' || k === 'x-wap-profile') headers.set(k, v);
  });
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

export class TooLarge extends Error {
  override readonly name = 'TooLarge';
  /** The first bytes received (enough to read the PDU's headers and answer in MMS terms). */
  constructor(readonly limit: number, readonly seen: number, readonly head: Uint8Array) {
    super(`body larger than ${limit} bytes (${seen} seen)`);
  }
}

export class Aborted extends Error {
  override readonly name = 'Aborted';
}

/** Tracks one response: whether the client went away, and how to answer after async work. */
export class Exchange {
  aborted = false;
  private done = false;
  constructor(readonly res: HttpResponse, private readonly onFinish: () => void) {
    res.onAborted(() => {
      this.aborted = true;
      this.finish();
    });
  }

  /**
   * Collects the body up to `limit` bytes; rejects with TooLarge as soon as it is exceeded.
   * Must be called synchronously in the route handler (uWS drops data not yet subscribed to).
   * uWS lends each chunk only for the callback, so it is copied once: straight into a buffer of
   * the declared Content-Length when there is one.
   */
  body(limit: number, declared?: number): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      let whole = declared !== undefined && declared <= limit ? Buffer.allocUnsafe(declared) : null;
      const chunks: Buffer[] = [];
      let size = 0;
      let failed = false;
      this.res.onData((ab, isLast) => {
        if (failed) return;
        const chunk = new Uint8Array(ab);
        if (size + chunk.length > limit) {
          failed = true;
          const head = Buffer.concat([whole ? whole.subarray(0, size) : Buffer.concat(chunks), chunk]).subarray(0, 4096);
          reject(new TooLarge(limit, size + chunk.length, Buffer.from(head)));
          return;
        }
        if (whole && size + chunk.length > whole.length) {
          // more than declared (should not happen with a correct Content-Length): fall back
          chunks.push(whole.subarray(0, size));
          whole = null;
        }
        if (whole) whole.set(chunk, size);
        else chunks.push(Buffer.from(chunk)); // Buffer.from(Uint8Array) copies
        size += chunk.length;
        if (isLast) resolve(whole ? whole.subarray(0, size) : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
      });
      // onAborted already set: a vanished client leaves this promise pending; reply() is a no-op.
      if (this.aborted) reject(new Aborted());
    });
  }

  reply(r: Reply, close = false): void {
    if (this.aborted || this.done) return;
    this.res.cork(() => {
      this.res.writeStatus(`${r.status} ${STATUS_TEXT[r.status] ?? ''}`.trim());
      for (const [k, v] of Object.entries(r.headers ?? {})) this.res.writeHeader(k, v);
      if (r.headOnly) {
        const n = typeof r.body === 'string' ? Buffer.byteLength(r.body) : (r.body?.length ?? 0);
        this.res.endWithoutBody(n, close);
      } else {
        this.res.end(r.body ?? '', close);
      }
    });
    this.finish();
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.onFinish();
  }
}
