// Request/response plumbing over node:http: what the protocol handler sees of a request
// (RequestInfo), body collection with a hard limit (only the head of a body whose declared
// Content-Length is too large is read; an undeclared one is cut off as soon as it passes), and
// writing a Reply.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  /** HEAD: send the headers and Content-Length of `body` but not the body. */
  headOnly?: boolean;
}

/** A request as the handler sees it: the head, read before the body. */
export interface RequestInfo {
  method: string;
  /** The path (origin form, or the path of an absolute-form target), without the query. */
  url: string;
  query: string;
  peer: string;
  /** Every request header, lower-case names; repeated ones joined with ", ". */
  headers: Map<string, string>;
  contentLength: number | undefined;
}

export function readRequest(req: IncomingMessage, path: string, query: string): RequestInfo {
  const headers = new Map<string, string>();
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
  }
  const cl = headers.get('content-length');
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    url: path,
    query,
    peer: req.socket.remoteAddress ?? '',
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

/**
 * Collects the body up to `limit` bytes; rejects with TooLarge as soon as it is exceeded (and
 * stops reading), with Aborted when the client goes away first. With a declared Content-Length
 * the chunks are copied once, straight into a buffer of that size.
 */
export function readBody(req: IncomingMessage, limit: number, declared?: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let whole = declared !== undefined && declared <= limit ? Buffer.allocUnsafe(declared) : null;
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.pause();
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.length > limit) {
        stop();
        const head = Buffer.concat([whole ? whole.subarray(0, size) : Buffer.concat(chunks), chunk]).subarray(0, 4096);
        reject(new TooLarge(limit, size + chunk.length, Buffer.from(head)));
        return;
      }
      if (whole && size + chunk.length > whole.length) {
        // more than declared (node's parser does not let this happen): fall back to chunks
        chunks.push(whole.subarray(0, size));
        whole = null;
      }
      if (whole) chunk.copy(whole, size);
      else chunks.push(chunk);
      size += chunk.length;
    };
    const onEnd = () => {
      stop();
      resolve(whole ? whole.subarray(0, size) : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onClose = () => {
      stop();
      reject(new Aborted('the client went away before the body was complete'));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
  });
}

/** Writes a reply; `close` ends the connection after it. Nothing is written to a vanished client. */
export function sendReply(res: ServerResponse, r: Reply, close: boolean): void {
  if (res.writableEnded || res.destroyed) return;
  const body = typeof r.body === 'string' ? Buffer.from(r.body) : (r.body ?? new Uint8Array(0));
  const headers: Record<string, string> = { ...r.headers, 'Content-Length': String(body.length) };
  if (close) headers.Connection = 'close';
  res.writeHead(r.status, headers);
  // headOnly: the length of the body but not the body (node also drops it for a HEAD request itself)
  res.end(r.headOnly ? undefined : body);
}

/** A client address with IPv4-mapped IPv6 (::ffff:a.b.c.d, a dual-stack socket) as plain IPv4. */
export function unmapped(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1] : ip;
}
