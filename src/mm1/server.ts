// MM1's HTTP server on node:http: routes, request targets, body limits, in-flight counting and
// graceful close. The protocol is in handler.ts; the connection limits (timeouts, caps, parser
// refusals) in limits.ts. Phones POST every PDU to one path and GET their messages from the
// Content-Location of the notification.
//
// Not uWebSockets.js: its slow-loris rule (HTTP_RECEIVE_THROUGHPUT_BYTES = 16 KiB per
// HTTP_IDLE_TIMEOUT_S = 10 s, compile-time constants) cuts uploads from phones on GPRS and
// EDGE; here every limit is ours (docs/architecture.md, "MM1").
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { Networks } from '../config/cidr.js';
import type { Config } from '../config/schema.js';
import type { Relay } from '../relay/relay.js';
import { LogDigest } from '../log-digest.js';
import { DropLog } from './drop-log.js';
import { HEAD_BYTES, Mm1Handler } from './handler.js';
import { Aborted, readBody, readRequest, sendReply, TooLarge, type Reply, type RequestInfo } from './http.js';
import { ConnectionGuard, serverOptions } from './limits.js';
import { Authorities, parseTarget } from './target.js';

/** How long a stop waits for connections that have not sent their first byte yet. */
const CLOSE_GRACE_MS = 1000;
/**
 * How long a stop waits for uploads still arriving: on GPRS one can take minutes, longer than
 * systemd waits (TimeoutStopSec). Nothing of them was acknowledged, so cutting them loses
 * nothing: the phone sends the m-send.req again. Requests whose body is in are always answered.
 */
const UPLOAD_GRACE_MS = 10_000;

export interface Mm1Options {
  config: Config;
  relay: Relay;
  log: Logger;
}

export class Mm1Server {
  private readonly cfg: Config;
  private readonly log: Logger;
  private readonly handler: Mm1Handler;
  private readonly drops: DropLog;
  private readonly guard: ConnectionGuard;
  private readonly authorities: Authorities;
  private server: Server | null = null;
  private inFlight = 0;
  private closing = false;
  port = 0;

  constructor(o: Mm1Options) {
    this.cfg = o.config;
    this.log = o.log.child({ iface: 'mm1' });
    this.handler = new Mm1Handler(o.config, o.relay, this.log);
    const m = this.cfg.mm1;
    // at most 1,000 addresses counted apart per interval (an IPv6 attacker has many)
    this.drops = new DropLog(new LogDigest(this.log, m.limits.logInterval, 1000));
    this.guard = new ConnectionGuard(m.limits, new Networks(m.identity.trustedProxies), this.drops, this.log);
    this.authorities = new Authorities(this.cfg.mmsc.publicUrl, m.host, m.authorities);
  }

  async listen(): Promise<number> {
    const { host, port, path, retrievePath, limits } = this.cfg.mm1;
    const server = createServer(serverOptions(limits), (req, res) => this.onRequest(req, res));
    this.guard.attach(server);
    // CONNECT (authority form): a proxy's method, never MM1's
    server.on('connect', (req: IncomingMessage, socket: Socket) => this.notAProxy(socket, req.method ?? 'CONNECT', req.url ?? ''));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (e: NodeJS.ErrnoException) => reject(new Error(`MM1 cannot listen on ${host}:${port} (${e.code === 'EADDRINUSE' ? 'address in use' : e.code === 'EACCES' ? 'not allowed' : e.message})`)));
      server.listen(port, host, () => resolve());
    });
    server.on('error', (e) => this.log.error({ err: e }, 'MM1 server error'));
    this.server = server;
    const addr = server.address();
    this.port = typeof addr === 'object' && addr ? addr.port : port;
    this.log.info({ host, port: this.port, path, retrievePath, limits }, 'MM1 listening');
    return this.port;
  }

  /**
   * Stops accepting connections and resolves when the requests in flight have been answered.
   * A request whose head is arriving counts (headersTimeout bounds the wait), and so, for a
   * moment, does a connection that has not sent its first byte yet: its phone connected just
   * before the stop and is sending.
   */
  async close(): Promise<void> {
    this.closing = true;
    const server = this.server;
    this.server = null;
    await new Promise((r) => setImmediate(r)); // connections the kernel queued are accepted first
    server?.close(); // stops listening and closes idle keep-alive connections
    const started = Date.now();
    let cut = false;
    while (this.inFlight > 0 || this.guard.headsArriving() > 0 || (this.guard.silent() > 0 && Date.now() < started + CLOSE_GRACE_MS)) {
      if (!cut && Date.now() >= started + UPLOAD_GRACE_MS) {
        cut = true;
        const uploads = this.guard.uploading();
        if (uploads.length) {
          this.log.warn({ uploads: uploads.length, peers: uploads.map((s) => s.remoteAddress) }, `stopping: ${uploads.length} upload(s) still arriving after ${UPLOAD_GRACE_MS / 1000} s are cut; nothing of them was acknowledged, the phones send again`);
          for (const s of uploads) s.destroy();
        }
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    server?.closeAllConnections(); // what is left: connections that never sent a byte
    this.drops.close();
    this.handler.close();
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    const socket = req.socket;
    if (this.guard.refused(socket)) return void socket.destroy();
    const { path: mms, retrievePath } = this.cfg.mm1;
    const target = parseTarget(req.url ?? '', (h, p) => this.authorities.accepts(h, p, { address: socket.localAddress, port: socket.localPort }));
    if (target.kind === 'foreign') return this.notAProxy(socket, req.method ?? '', target.authority);
    if (target.kind === 'bad') {
      this.drops.drop(socket.remoteAddress ?? '', 'bad-request', `refused: ${target.why}`);
      return this.guard.refuse(socket, 400, target.why);
    }
    const info = readRequest(req, target.path, target.query);
    this.inFlight++;
    res.once('close', () => this.finished());
    res.once('finish', () => this.guard.enter(socket, 'idle'));
    this.guard.enter(socket, 'body');
    const token = target.path.startsWith(retrievePath) ? target.path.slice(retrievePath.length) : '';
    const isToken = token !== '' && !token.includes('/');
    if (info.method === 'POST' && (target.path === mms || isToken)) {
      // Some Android builds POST the acknowledgement to the Content-Location URL itself.
      return this.onPost(req, res, info);
    }
    if ((info.method === 'GET' || info.method === 'HEAD') && isToken) {
      req.resume(); // no body is expected; whatever comes is dropped
      this.guard.enter(socket, 'handling');
      return this.respond(res, info, this.handler.get(info, token, info.method === 'HEAD'));
    }
    this.guard.enter(socket, 'handling');
    this.reply(res, this.handler.notFound(info), false); // node reads and drops any body to keep the connection
  }

  private onPost(req: IncomingMessage, res: ServerResponse, info: RequestInfo): void {
    const refused = this.handler.precheck(info);
    if (refused) return this.reply(res, refused, true);
    const limit = this.cfg.mm1.maxBodyBytes;
    // A declared length over the limit is refused after the first few KiB (enough to read the
    // PDU's Transaction-ID and answer in MMS terms); an undeclared one as soon as it passes.
    const declaredTooLarge = info.contentLength !== undefined && info.contentLength > limit;
    readBody(req, declaredTooLarge ? Math.min(HEAD_BYTES, limit) : limit, declaredTooLarge ? undefined : info.contentLength).then(
      (body) => {
        this.guard.enter(req.socket, 'handling');
        this.respond(res, info, this.handler.post(info, body));
      },
      (e: unknown) => {
        if (e instanceof TooLarge) this.reply(res, this.handler.tooLarge(info, e.head, info.contentLength ?? e.seen), true);
        // Aborted: the client is gone (dropped by a limit, which logged it, or went away itself)
        else if (!(e instanceof Aborted)) this.reply(res, this.handler.internal(info, e), true);
      },
    );
  }

  private respond(res: ServerResponse, info: RequestInfo, work: Promise<Reply>): void {
    work.then(
      (r) => this.reply(res, r, false),
      (e: unknown) => this.reply(res, this.handler.internal(info, e), false),
    );
  }

  private reply(res: ServerResponse, r: Reply, close: boolean): void {
    this.guard.enter(res.req.socket, 'reply');
    // while shutting down, answers close their connection so no idle keep-alive lingers
    sendReply(res, r, close || this.closing);
  }

  private finished(): void {
    this.inFlight--;
  }

  private notAProxy(socket: Socket, method: string, authority: string): void {
    this.drops.drop(socket.remoteAddress ?? '', 'foreign-authority', `refused: ${method} for ${authority}: MM1 is not a proxy`, { method, authority });
    this.guard.refuse(socket, method === 'CONNECT' ? 405 : 421, `this MMSC is not a proxy: ${authority} is not served here`);
  }
}
