// MM1's HTTP server on uWebSockets.js: routes, body limits, graceful close. The protocol is in
// handler.ts. Phones POST every PDU to one path and GET their messages from the
// Content-Location of the notification.
import uWS from 'uWebSockets.js';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { Relay } from '../relay/relay.js';
import { HEAD_BYTES, Mm1Handler } from './handler.js';
import { Exchange, readRequest, TooLarge, type Reply, type RequestInfo } from './http.js';

export interface Mm1Options {
  config: Config;
  relay: Relay;
  log: Logger;
}

export class Mm1Server {
  private readonly cfg: Config;
  private readonly log: Logger;
  private readonly handler: Mm1Handler;
  private listenSocket: uWS.us_listen_socket | null = null;
  private inFlight = 0;
  private closing = false;
  private drained: (() => void) | null = null;
  port = 0;

  constructor(o: Mm1Options) {
    this.cfg = o.config;
    this.log = o.log.child({ iface: 'mm1' });
    this.handler = new Mm1Handler(o.config, o.relay, this.log);
  }

  async listen(): Promise<number> {
    const { host, port, path, retrievePath } = this.cfg.mm1;
    const app = uWS.App();
    const post = (res: uWS.HttpResponse, req: uWS.HttpRequest) => this.onPost(res, req);
    app.post(path, post);
    // Some Android builds POST the acknowledgement to the Content-Location URL itself.
    app.post(`${retrievePath}:token`, post);
    app.get(`${retrievePath}:token`, (res, req) => this.onGet(res, req, false));
    app.head(`${retrievePath}:token`, (res, req) => this.onGet(res, req, true));
    app.any('/*', (res, req) => {
      const info = readRequest(res, req, []);
      this.exchange(res).reply(this.handler.notFound(info));
    });
    await new Promise<void>((resolve, reject) => {
      app.listen(host, port, (sock) => {
        if (!sock) return reject(new Error(`MM1 cannot listen on ${host}:${port} (address in use or not allowed)`));
        this.listenSocket = sock;
        this.port = uWS.us_socket_local_port(sock);
        resolve();
      });
    });
    this.log.info({ host, port: this.port, path, retrievePath }, 'MM1 listening');
    return this.port;
  }

  /** Stops accepting connections and resolves when the requests in flight have been answered. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.listenSocket) uWS.us_listen_socket_close(this.listenSocket);
    this.listenSocket = null;
    if (this.inFlight > 0) await new Promise<void>((r) => (this.drained = r));
  }

  private exchange(res: uWS.HttpResponse): Exchange {
    this.inFlight++;
    return new Exchange(res, () => {
      this.inFlight--;
      if (this.inFlight === 0 && this.drained) this.drained();
    });
  }

  private respond(ex: Exchange, info: RequestInfo, work: Promise<Reply>, close = false): void {
    work.then(
      // while shutting down, answers close their connection so no idle keep-alive lingers
      (r) => ex.reply(r, close || this.closing),
      (e: unknown) => ex.reply(this.handler.internal(info, e)),
    );
  }

  private onPost(res: uWS.HttpResponse, req: uWS.HttpRequest): void {
    const info = readRequest(res, req, this.handler.wanted);
    const ex = this.exchange(res);
    const refused = this.handler.precheck(info);
    if (refused) return ex.reply(refused, true);
    const limit = this.cfg.mm1.maxBodyBytes;
    // A declared length over the limit is refused after the first few KiB (enough to read the
    // PDU's Transaction-ID and answer in MMS terms); an undeclared one as soon as it passes.
    const declaredTooLarge = info.contentLength !== undefined && info.contentLength > limit;
    ex.body(declaredTooLarge ? Math.min(HEAD_BYTES, limit) : limit, declaredTooLarge ? undefined : info.contentLength).then(
      (body) => this.respond(ex, info, this.handler.post(info, body)),
      (e: unknown) => {
        if (e instanceof TooLarge) ex.reply(this.handler.tooLarge(info, e.head, info.contentLength ?? e.seen), true);
        else ex.reply(this.handler.internal(info, e));
      },
    );
  }

  private onGet(res: uWS.HttpResponse, req: uWS.HttpRequest, head: boolean): void {
    const token = req.getParameter(0) ?? '';
    const info = readRequest(res, req, this.handler.wanted);
    this.respond(this.exchange(res), info, this.handler.get(info, token, head));
  }
}
