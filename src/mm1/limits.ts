// MM1's connection limits, sized for phones on GPRS/EDGE: uploads at 1-25 KB/s that stall for
// many seconds must finish, slow-loris clients must not hold the box. So there is no minimum
// rate and no overall request deadline (node's own 300 s `requestTimeout` would cut a 300 KB
// upload at 1 KB/s): a request's head must arrive whole within `headersTimeout`, a connection on
// which nothing moves for `noProgressTimeout` while a request or a response is under way is
// dropped, idle keep-alive connections close after `keepAliveTimeout`, and connections are
// capped in total and per client address (trusted proxies carry many phones and are exempt).
// Every connection dropped or refused by a limit, and every request node's parser refuses
// (two Content-Length headers, RFC 9112 §6.3, and the like), is answered when an answer can
// still be written and leaves a log line (aggregated per address, see drop-log.ts).
import type { Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { Networks } from '../config/cidr.js';
import { formatDuration } from '../config/duration.js';
import type { Config } from '../config/schema.js';
import type { DropLog } from './drop-log.js';
import { unmapped } from './http.js';

export type Limits = Config['mm1']['limits'];

/**
 * Where a connection is: reading a request head (before node's 'request' event the connection
 * is 'idle' for us), reading its body, waiting for the handler, writing the answer.
 */
export type Phase = 'idle' | 'body' | 'handling' | 'reply';

interface Conn {
  peer: string;
  /** The address it is counted under (IPv4-mapped IPv6 as IPv4); null when exempt. */
  counted: string | null;
  phase: Phase;
  /** socket.bytesRead when the connection became idle (more means a head is arriving). */
  readAtIdle: number;
  refused: boolean;
}

/** node:http options for these limits. */
export function serverOptions(l: Limits): ServerOptions {
  return {
    requestTimeout: 0, // no deadline for a whole request: the no-progress timeout guards slow ones
    headersTimeout: l.headersTimeout,
    keepAliveTimeout: l.keepAliveTimeout,
    // how often node checks for heads past headersTimeout (its default, 30 s, is too coarse)
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(l.headersTimeout / 4))),
  };
}

const PARSE_ERRORS: Record<string, [status: number, why: string]> = {
  HPE_UNEXPECTED_CONTENT_LENGTH: [400, 'more than one Content-Length header (RFC 9112 §6.3)'],
  HPE_INVALID_CONTENT_LENGTH: [400, 'invalid Content-Length (RFC 9112 §6.3)'],
  HPE_INVALID_TRANSFER_ENCODING: [400, 'Transfer-Encoding with Content-Length, or an unknown coding (RFC 9112 §6.1)'],
  HPE_HEADER_OVERFLOW: [431, 'request head larger than 16 KiB'],
};

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 405: 'Method Not Allowed', 408: 'Request Timeout', 421: 'Misdirected Request', 431: 'Request Header Fields Too Large', 503: 'Service Unavailable' };

export class ConnectionGuard {
  private readonly conns = new Map<Socket, Conn>();
  private readonly perAddress = new Map<string, number>();

  constructor(
    private readonly limits: Limits,
    private readonly exempt: Networks,
    private readonly drops: DropLog,
    private readonly log: Logger,
  ) {}

  attach(server: Server): void {
    server.timeout = this.limits.noProgressTimeout; // socket inactivity, either direction
    server.on('connection', (s: Socket) => this.onConnection(s));
    server.on('timeout', (s: Socket) => this.onInactive(s));
    server.on('clientError', (e: Error & { code?: string; reason?: string }, s: Socket) => this.onClientError(e, s));
  }

  /** The server moves a connection to another phase of its request. */
  enter(socket: Socket, phase: Phase): void {
    const c = this.conns.get(socket);
    if (!c) return;
    c.phase = phase;
    if (phase === 'idle') c.readAtIdle = socket.bytesRead;
  }

  /** Refused by a cap: its requests must not be served. */
  refused(socket: Socket): boolean {
    return this.conns.get(socket)?.refused ?? true;
  }

  /** Connections that have not sent a byte yet. */
  silent(): number {
    let n = 0;
    for (const [s, c] of this.conns) if (!c.refused && !s.destroyed && s.bytesRead === 0) n++;
    return n;
  }

  /** Connections on which a request head has begun to arrive (not yet a request). */
  headsArriving(): number {
    let n = 0;
    for (const [s, c] of this.conns) if (!c.refused && c.phase === 'idle' && !s.destroyed && s.bytesRead > c.readAtIdle) n++;
    return n;
  }

  /** Connections whose request body is still arriving (an upload in progress). */
  uploading(): Socket[] {
    return [...this.conns].filter(([s, c]) => !c.refused && c.phase === 'body' && !s.destroyed).map(([s]) => s);
  }

  /** Answers a refused request straight on the socket and closes it. */
  refuse(socket: Socket, status: number, text: string): void {
    const c = this.conns.get(socket);
    if (c) c.refused = true;
    socket.pause(); // read nothing more from it
    if (socket.writable) {
      const body = `${text}\n`;
      socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? ''}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    }
    // a peer that never closes its side is not waited for
    const t = setTimeout(() => socket.destroy(), 2000).unref();
    socket.once('close', () => clearTimeout(t));
  }

  private onConnection(socket: Socket): void {
    const peer = socket.remoteAddress ?? '';
    const address = unmapped(peer);
    const exempt = this.exempt.has(peer);
    const fromHere = this.perAddress.get(address) ?? 0;
    const c: Conn = { peer, counted: null, phase: 'idle', readAtIdle: 0, refused: false };
    this.conns.set(socket, c);
    socket.once('close', () => {
      this.conns.delete(socket);
      if (c.counted === null) return;
      const n = (this.perAddress.get(c.counted) ?? 1) - 1;
      if (n > 0) this.perAddress.set(c.counted, n);
      else this.perAddress.delete(c.counted);
    });
    if (this.conns.size > this.limits.maxConnections) {
      this.drops.drop(peer, 'connections', `refused a connection: ${this.limits.maxConnections} connections are open (mm1.limits.maxConnections)`);
      return this.refuse(socket, 503, 'too many connections, try again later');
    }
    if (!exempt && fromHere >= this.limits.maxConnectionsPerAddress) {
      this.drops.drop(peer, 'connections-per-address', `refused a connection: ${fromHere} connections are open from this address (mm1.limits.maxConnectionsPerAddress)`);
      return this.refuse(socket, 503, 'too many connections from this address, try again later');
    }
    if (!exempt) {
      c.counted = address;
      this.perAddress.set(address, fromHere + 1);
    }
  }

  /** Nothing moved on the socket for noProgressTimeout (or keepAliveTimeout when idle). */
  private onInactive(socket: Socket): void {
    const c = this.conns.get(socket);
    if (!c || c.refused) return void socket.destroy();
    const quiet = formatDuration(this.limits.noProgressTimeout);
    switch (c.phase) {
      case 'handling':
        return; // our own work (a commit): the answer re-arms the timer
      case 'idle':
        if (socket.bytesRead === c.readAtIdle) {
          this.log.debug({ peer: c.peer }, 'idle keep-alive connection closed');
          return void socket.destroy();
        }
        this.drops.drop(c.peer, 'no-progress', `dropped a connection: its request head stalled (nothing received for ${formatDuration(this.limits.keepAliveTimeout)} on a kept-alive connection)`);
        return this.refuse(socket, 408, 'request head not received in time');
      case 'body':
        this.drops.drop(c.peer, 'no-progress', `dropped a connection: nothing received for ${quiet} in the middle of a request body (mm1.limits.noProgressTimeout)`, { received: socket.bytesRead });
        return this.refuse(socket, 408, `nothing received for ${quiet}`);
      case 'reply':
        this.drops.drop(c.peer, 'no-progress', `dropped a connection: the client took nothing of the answer for ${quiet} (mm1.limits.noProgressTimeout)`, { sent: socket.bytesWritten });
        return void socket.destroy();
    }
  }

  /** node's parser refused the request, the head took too long, or the socket failed. */
  private onClientError(e: Error & { code?: string; reason?: string }, socket: Socket): void {
    const c = this.conns.get(socket);
    const peer = c?.peer ?? socket.remoteAddress ?? '';
    if (c?.refused) return void socket.destroy();
    // an answer can be written only where no answer of ours is pending or under way
    const canAnswer = socket.writable && (c === undefined || c.phase === 'idle' || c.phase === 'body');
    if (e.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
      const limit = formatDuration(this.limits.headersTimeout);
      this.drops.drop(peer, 'headers-timeout', `dropped a connection: request head not complete within ${limit} (mm1.limits.headersTimeout)`, { received: socket.bytesRead });
      return canAnswer ? this.refuse(socket, 408, `request head not complete within ${limit}`) : void socket.destroy();
    }
    const known = e.code ? PARSE_ERRORS[e.code] : undefined;
    if (!known && !e.code?.startsWith('HPE_')) {
      // the client reset or vanished (ECONNRESET, EPIPE...): nothing to answer
      this.log.debug({ peer, err: e.message }, 'MM1 connection failed');
      return void socket.destroy();
    }
    const [status, why] = known ?? [400, `malformed HTTP request: ${e.reason ?? e.message}`];
    this.drops.drop(peer, 'bad-request', `refused: ${why}`, { code: e.code });
    return canAnswer ? this.refuse(socket, status, why) : void socket.destroy();
  }
}
