// Keeps one transceiver bind up: connect, bind_transceiver, enquire_link at an interval (a
// peer that stops answering is dropped), and after a drop or a refused bind, connect again
// with back-off (reconnectMs doubling to a minute). Every change of state is a log line and a
// call to onState; `unavailable()` says in words why a push cannot go now.
import type { Logger } from 'pino';
import { LinkError, SmppLink } from './link.js';
import type { PduHeader } from './pdu.js';
import { describeStatus } from './status.js';

export type SmppState = 'connecting' | 'binding' | 'bound' | 'down' | 'closed';

export interface SmppStatus {
  state: SmppState;
  /** Why it is in this state (the last error while down). */
  detail: string | null;
  since: Date;
  /** While down: when the next connection attempt is due. */
  nextAttemptAt: Date | null;
  host: string;
  port: number;
  systemId: string;
}

export interface KeeperOptions {
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType: string;
  enquireLinkMs: number;
  reconnectMs: number;
  responseTimeoutMs: number;
  log: Logger;
  /** deliver_sm / data_sm / unbind of the SMSC on the current link. */
  onRequest(link: SmppLink, header: PduHeader, frame: Buffer): void;
  onState(status: SmppStatus): void;
}

/** Failed attempts in a row after which an outage counts as long (see unavailable). */
const SHORT_OUTAGE_ATTEMPTS = 3;

export class LinkKeeper {
  private current: SmppStatus;
  /** The link being connected, bound or unbound (one at a time). */
  private link: SmppLink | null = null;
  private isBound = false;
  private failures = 0;
  private closing = false;
  private closed: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private waiters = new Set<() => void>();
  private enquireTimer: NodeJS.Timeout | null = null;
  private readonly loop: Promise<void>;

  constructor(private readonly o: KeeperOptions) {
    this.current = { state: 'connecting', detail: null, since: new Date(), nextAttemptAt: null, host: o.host, port: o.port, systemId: o.systemId };
    this.loop = this.run();
  }

  get status(): SmppStatus {
    return { ...this.current };
  }

  get bound(): boolean {
    return this.isBound;
  }

  /** Resolves once bound (true), or at close or after `timeoutMs` (false). */
  async ready(timeoutMs: number): Promise<boolean> {
    const until = performance.now() + timeoutMs; // a delay: monotonic, whatever the wall clock does
    while (!this.isBound && !this.closing && performance.now() < until) await this.change(until - performance.now());
    return this.isBound;
  }

  /** The bound link; waits for a connection or bind in progress, not for a back-off. */
  async boundLink(): Promise<SmppLink | null> {
    const until = performance.now() + 2 * this.o.responseTimeoutMs;
    while (!this.closing && !this.isBound && (this.current.state === 'connecting' || this.current.state === 'binding') && performance.now() < until) {
      await this.change(until - performance.now());
    }
    const link = this.link;
    return this.isBound && link && !link.closed ? link : null;
  }

  /**
   * Why nothing can be sent now, and when to try again: just after the next connection attempt
   * while the outage is young (a drop the next attempts are likely to mend); for a long one,
   * no time, so the outbox's own back-off, which spans hours rather than minutes, decides.
   */
  unavailable(where = ''): { reason: string; retryAfterMs?: number } {
    if (this.closing) return { reason: `SMPP bearer is closing${where}`, retryAfterMs: this.o.reconnectMs };
    const s = this.current;
    const next = s.nextAttemptAt ? s.nextAttemptAt.getTime() - Date.now() : 0;
    const when = s.state === 'down' ? `; next attempt in ${(Math.max(0, next) / 1000).toFixed(1)} s` : '';
    const reason = `SMPP link to ${this.o.host}:${this.o.port} is ${s.state === 'down' ? 'down' : `not bound yet (${s.state})`}${s.detail ? `: ${s.detail}` : ''}${when}${where}`;
    if (this.failures > SHORT_OUTAGE_ATTEMPTS) return { reason };
    return { reason, retryAfterMs: Math.max(1000, next + 1000) };
  }

  /** Stops connecting and wakes whoever waits for the link (the link itself stays until close). */
  stopping(): void {
    this.closing = true;
    this.stopEnquireLink();
    this.wake?.();
    this.notify();
  }

  /** Unbinds (waiting for unbind_resp), ends the connection, and resolves when the keeper stopped. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.stopping();
      const link = this.link;
      if (link && !link.closed) {
        if (this.isBound) {
          try {
            await link.request('unbind', {}, this.o.responseTimeoutMs);
          } catch (e) {
            this.o.log.warn({ err: (e as Error).message }, 'no unbind_resp; closing anyway');
          }
          link.finish('unbound');
        } else link.destroy('bearer closing');
      }
      await this.loop;
    })();
    return this.closed;
  }

  private setState(state: SmppState, detail: string | null, nextAttemptAt: number | null = null): void {
    this.current = { ...this.current, state, detail, since: new Date(), nextAttemptAt: nextAttemptAt === null ? null : new Date(nextAttemptAt) };
    const line = { state, detail, nextAttemptAt: this.current.nextAttemptAt?.toISOString() };
    if (state === 'down') this.o.log.warn(line, 'SMPP link down');
    else this.o.log.info(line, `SMPP link ${state}`);
    this.o.onState(this.status);
    this.notify();
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = new Set();
    for (const r of w) r();
  }

  /** Resolves at the next change of state, or after `timeoutMs`. */
  private change(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.waiters.delete(done);
        resolve();
      }, Math.max(0, timeoutMs));
      const done = (): void => {
        clearTimeout(t);
        resolve();
      };
      this.waiters.add(done);
    });
  }

  private backoff(): number {
    const ceiling = Math.max(this.o.reconnectMs, 60_000);
    return Math.min(this.o.reconnectMs * 2 ** Math.min(this.failures, 16), ceiling);
  }

  private async run(): Promise<void> {
    while (!this.closing) {
      let reason: string;
      this.setState('connecting', null);
      try {
        const link = await SmppLink.open(this.o.host, this.o.port, this.o.responseTimeoutMs);
        this.link = link;
        if (this.closing) {
          link.destroy('bearer closing');
          break;
        }
        link.setHandlers({ request: (h, f) => this.o.onRequest(link, h, f) });
        this.setState('binding', null);
        const resp = await link.request('bind_transceiver', {
          system_id: this.o.systemId,
          password: this.o.password,
          system_type: this.o.systemType,
          interface_version: 0x34,
          addr_ton: 0,
          addr_npi: 0,
          address_range: '',
        }, this.o.responseTimeoutMs);
        if (resp.header.status !== 0) {
          link.finish('bind refused');
          throw new Error(`bind_transceiver refused: ${describeStatus(resp.header.status)}`);
        }
        this.isBound = true;
        this.failures = 0;
        const peer = typeof resp.fields?.system_id === 'string' && resp.fields.system_id ? ` (SMSC system_id ${resp.fields.system_id})` : '';
        this.setState('bound', `bound as ${this.o.systemId || '(no system_id)'}${peer}`);
        this.startEnquireLink(link);
        reason = `link dropped: ${await link.done}`;
      } catch (e) {
        reason = (e as Error).message;
        this.link?.destroy(reason);
      }
      this.stopEnquireLink();
      this.isBound = false;
      this.link = null;
      if (this.closing) break;
      const wait = this.backoff();
      this.failures++;
      this.setState('down', reason, Date.now() + wait);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, wait);
        this.wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wake = null;
    }
    this.setState('closed', this.current.detail);
  }

  private startEnquireLink(link: SmppLink): void {
    this.stopEnquireLink();
    this.enquireTimer = setInterval(() => {
      link.request('enquire_link', {}, this.o.responseTimeoutMs).then(
        (r) => {
          if (r.header.status !== 0) link.destroy(`enquire_link answered ${describeStatus(r.header.status)}`);
        },
        (e: LinkError) => {
          if (e.code === 'timeout') link.destroy(`the SMSC did not answer enquire_link within ${this.o.responseTimeoutMs} ms`);
        },
      );
    }, this.o.enquireLinkMs);
    this.enquireTimer.unref?.();
  }

  private stopEnquireLink(): void {
    if (this.enquireTimer) clearInterval(this.enquireTimer);
    this.enquireTimer = null;
  }
}
