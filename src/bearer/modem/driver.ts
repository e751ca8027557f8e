// The generic AT modem driver: owns one modem across port sessions. It opens the port,
// initialises the modem, sends SMS, hands received messages and status reports to the
// caller, and keeps the modem usable through faults: a modem that stops answering is escaped,
// then its port reopened, then re-initialised, with back-off; a port that vanishes is looked
// for again (by IMEI, not by name); a reboot or a SIM change triggers a re-initialisation.
// Every state change is one log line and a `state` event; `status` shows the current one. The
// network's time, once registered, is a 'network-time' event (network-time.ts).
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { parseCusd, parseImei, parseRegistration, parseStoredIndication } from './at-parse.js';
import { ModemError, ModemSendError } from './errors.js';
import { Inbox } from './inbox.js';
import { initialise, readNetworkInfo, readRegistration, registrationOutcome, sync, type InitOutcome, type InitParams } from './init.js';
import { NetworkClock } from './network-time.js';
import { serialPortOpener, siblingPorts, type PortOpener } from './port.js';
import { checkAtPdu, sendPdus } from './send.js';
import { Session } from './session.js';
import {
  DEFAULT_TIMEOUTS,
  type AtPdu, type ModemInfo, type ModemOptions, type ModemState, type ModemStatus, type ModemTimeouts, type SendResult,
} from './types.js';
import { VENDORS } from './vendors/index.js';

type SessionEnd =
  | { kind: 'closed'; err: ModemError }
  | { kind: 'timeout'; err: ModemError }
  | { kind: 'reinit'; why: string }
  | { kind: 'stop' };

const WARN_STATES: ModemState[] = ['searching', 'denied', 'no-sim', 'pin-required', 'puk-required', 'unresponsive', 'gone', 'missing'];

// Every vendor's chatter and boot lines, registered before the vendor is known: a "Call
// Ready" arriving during AT+CGMM must not be read as the model.
const ALL_NOISE = [...new Set(Object.values(VENDORS).flatMap((v) => v.noise))];
const ALL_BOOT = [...new Set(Object.values(VENDORS).flatMap((v) => v.bootUrcs))];

export class Modem extends EventEmitter {
  private readonly log: Logger;
  private readonly t: ModemTimeouts;
  private readonly opener: PortOpener;
  private readonly inbox: Inbox;
  private readonly networkClock: NetworkClock;
  private readonly pinRefused = { value: false };
  private session: Session | null = null;
  private current: ModemStatus;
  private imei: string | null;
  private lastInfo: ModemInfo | null = null;
  private started = false;
  private closed = false;
  /** close() was called: new sends are refused while the work in progress drains. */
  private closing = false;
  private searching = false;
  /** A port was opened once: a port no longer there is 'gone'; one never seen is 'missing'. */
  private opened = false;
  private supervisor: Promise<void> | null = null;
  private endSession: ((e: SessionEnd) => void) | null = null;
  private wake: (() => void) | null = null;
  private pollTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private sendChain: Promise<unknown> = Promise.resolve();
  private settled: ((s: ModemStatus) => void) | null = null;
  private readonly settledOnce: Promise<ModemStatus>;

  constructor(private readonly opts: ModemOptions) {
    super();
    this.log = opts.logger.child({ modem: opts.path });
    this.t = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
    this.opener = opts.opener ?? serialPortOpener();
    this.imei = opts.imei ?? null;
    this.current = { state: 'closed', detail: null, since: new Date(), path: opts.path, imei: this.imei };
    this.settledOnce = new Promise((r) => (this.settled = r));
    this.inbox = new Inbox({
      log: this.log,
      session: () => (this.session && this.session.initialised && !this.session.closed ? this.session : null),
      imei: () => this.imei,
      onSms: opts.onSms,
      onStatusReport: opts.onStatusReport,
      routingLost: () => this.end({ kind: 'reinit', why: 'an acknowledgement failed; routing is set again' }),
    });
    this.networkClock = new NetworkClock({
      emit: (r) => this.emit('network-time', r),
      registered: () => this.current.state === 'ready',
      session: () => (this.session && this.session.initialised && !this.session.closed ? this.session : null),
    });
  }

  /** The current state, with the reason and the port. */
  get status(): ModemStatus {
    return { ...this.current };
  }

  /** What the driver knows about the modem (identity, network, SMS set-up), or null before the first start-up. */
  get info(): ModemInfo | null {
    const s = this.session;
    if (s && s.initialised) this.lastInfo = snapshot(s);
    return this.lastInfo;
  }

  private get receive(): 'store' | 'direct' | false {
    if (this.opts.receive !== undefined) return this.opts.receive;
    return this.opts.onSms || this.opts.onStatusReport ? 'store' : false;
  }

  /**
   * Starts the driver. Resolves with the state reached by the first start-up attempt (ready,
   * or why not: pin-required, gone...); the driver keeps trying in the background after that.
   */
  start(): Promise<ModemStatus> {
    if (this.started) throw new ModemError('BAD_ARGUMENT', 'the modem driver was already started', { scope: 'command' });
    this.started = true;
    this.supervisor = this.supervise();
    return this.settledOnce;
  }

  /** Resolves when the state is one of `states`; fails with NOT_READY after `timeoutMs`. */
  waitFor(states: ModemState | ModemState[], timeoutMs: number): Promise<ModemStatus> {
    const want = Array.isArray(states) ? states : [states];
    if (want.includes(this.current.state)) return Promise.resolve(this.status);
    return new Promise((resolve, reject) => {
      const onState = (st: ModemStatus): void => {
        if (!want.includes(st.state)) return;
        clearTimeout(timer);
        this.off('state', onState);
        resolve(st);
      };
      const timer = setTimeout(() => {
        this.off('state', onState);
        reject(this.notReady(`still ${this.current.state} after ${timeoutMs} ms`));
      }, timeoutMs);
      this.on('state', onState);
    });
  }

  /**
   * Sends the segments of one message (AT PDUs, in order) and resolves with their TP-MRs.
   * Fails with a ModemSendError that says which segments went out and whether the failing one
   * may have (so a retry can resume without sending any segment twice when it is sure).
   * `waitReadyMs` waits that long for the modem to be ready instead of failing at once;
   * `onSegment` hears each segment's TP-MR as soon as the modem answers it.
   */
  send(pdus: AtPdu[], opts: { waitReadyMs?: number; onSegment?: (index: number, mr: number | null) => void } = {}): Promise<SendResult> {
    if (!Array.isArray(pdus) || pdus.length === 0) {
      return Promise.reject(new ModemError('BAD_ARGUMENT', 'nothing to send', { class: 'permanent', scope: 'message' }));
    }
    try {
      pdus.forEach(checkAtPdu);
    } catch (err) {
      return Promise.reject(err);
    }
    if (this.closed || this.closing) {
      return Promise.reject(new ModemSendError(new ModemError('CLOSED', 'the modem driver is closed'), [], 0, false));
    }
    const run = async (): Promise<SendResult> => {
      if (this.closed) throw new ModemSendError(new ModemError('CLOSED', 'the modem driver is closed'), [], 0, false);
      if (this.current.state !== 'ready') {
        if (!opts.waitReadyMs) throw new ModemSendError(this.notReady(), [], 0, false);
        try {
          await this.waitFor('ready', opts.waitReadyMs);
        } catch (err) {
          throw new ModemSendError(err as ModemError, [], 0, false);
        }
      }
      const s = this.session;
      if (!s || s.closed) throw new ModemSendError(this.notReady(), [], 0, false);
      const mrs = await sendPdus(s, pdus, opts.onSegment);
      this.log.debug({ segments: pdus.length, mrs }, 'SMS sent');
      return { mrs, modem: this.imei };
    };
    const p = this.sendChain.then(run, run);
    this.sendChain = p.catch(() => undefined);
    return p;
  }

  /** Reads registration, operator and signal again. */
  async refresh(): Promise<ModemInfo | null> {
    const s = this.session;
    if (s && s.initialised && !s.closed) {
      await readRegistration(s);
      await readNetworkInfo(s);
      this.applyRegistration(s);
    }
    return this.info;
  }

  /** Reads the messages left in the modem's memories now (also done at start-up and on every poll). */
  async scan(): Promise<void> {
    if (this.receive !== false) await this.inbox.scan();
  }

  /**
   * Stops gracefully: no new sends are taken; those already taken and the received message
   * being handed over finish (waiting at most the send time limit), then the port is closed.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closing = true;
    const drained = Promise.all([this.sendChain, this.inbox.idle()]).then(() => undefined);
    await Promise.race([drained, new Promise<void>((r) => setTimeout(r, this.t.send).unref())]);
    await this.destroy();
  }

  /** Stops now: what is in progress fails (sends with CLOSED), the port is closed. */
  async destroy(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopPoll();
    this.end({ kind: 'stop' });
    this.wake?.();
    const s = this.session;
    if (s) await s.close();
    await this.supervisor?.catch(() => undefined);
    this.setState('closed', null);
    this.settled?.(this.status);
  }

  // ------------------------------------------------------------------------------------------

  private notReady(why?: string): ModemError {
    const st = this.current;
    return new ModemError('NOT_READY', `modem ${st.path} is ${st.state}${why ? ` (${why})` : st.detail ? ` (${st.detail})` : ''}`, {
      scope: 'modem', class: 'temporary', reason: st.state,
    });
  }

  private setState(state: ModemState, detail: string | null): void {
    const changed = state !== this.current.state;
    this.current = { state, detail, since: changed ? new Date() : this.current.since, path: this.current.path, imei: this.imei };
    if (!changed) return;
    const fields = { state, detail, port: this.current.path, imei: this.imei };
    if (state === 'ready') this.log.info(fields, `modem ready${detail ? ` (${detail})` : ''}`);
    else if (WARN_STATES.includes(state)) this.log.warn(fields, `modem ${state}${detail ? `: ${detail}` : ''}`);
    else this.log.debug(fields, `modem ${state}`);
    this.emit('state', this.status);
  }

  private end(e: SessionEnd): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const f = this.endSession;
    if (!f) return;
    this.endSession = null;
    f(e);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
    });
  }

  private backoff(n: number): number {
    return Math.min(this.t.backoffMax, this.t.backoff * 2 ** Math.min(n, 20));
  }

  private params(): InitParams {
    return {
      reset: this.opts.reset ?? 'ATZ',
      pin: this.opts.pin ?? null,
      pinRefused: this.pinRefused,
      expectImei: this.imei,
      vendor: this.opts.vendor ?? 'auto',
      receive: this.receive,
      storage: this.opts.storage ?? ['SM', 'ME', 'MT'],
      smsc: this.opts.smsc ?? null,
    };
  }

  private async supervise(): Promise<void> {
    let failures = 0;
    while (!this.closed) {
      let s: Session | null = null;
      try {
        if (!['gone', 'missing', 'unresponsive'].includes(this.current.state)) this.setState('opening', null);
        s = await this.openSession();
        let again = true;
        while (again && !this.closed) {
          this.setState('initialising', null);
          const outcome = await initialise(s, this.params());
          if (this.closed) break;
          if (s.identity.imei && !this.imei) this.imei = s.identity.imei;
          this.session = s;
          this.applyOutcome(s, outcome);
          if (outcome.state === 'ready' || outcome.state === 'searching' || outcome.state === 'denied') {
            failures = 0;
            if (this.receive !== false) void this.inbox.scan();
            const cur = s;
            void this.networkClock.setUp(cur).then(() => this.networkClock.read(cur)).catch((err: unknown) => this.log.debug({ err: (err as Error).message }, 'network time not set up'));
          }
          this.startPoll();
          this.settled?.(this.status);
          const e = await this.waitEnd(s, outcome, failures);
          this.stopPoll();
          if (e.kind === 'stop') break;
          if (e.kind === 'reinit') {
            this.log.info({ why: e.why }, 'modem set up again');
            if (outcome.state !== 'ready' && outcome.state !== 'searching' && outcome.state !== 'denied') failures++;
            continue;
          }
          if (e.kind === 'closed') {
            this.setState('gone', e.err.message);
            again = false;
            break;
          }
          // A time-out on a port whose device vanished (unplugged, re-enumerated) is a gone port.
          if (s.port.exists && !s.port.exists()) {
            this.setState('gone', `${s.port.path} disappeared`);
            again = false;
            break;
          }
          // time-out: escape and probe on the same port before reopening it
          this.setState('unresponsive', e.err.message);
          again = await this.recoverInPlace(s);
          if (!again) this.log.debug('no answer after escape; the port is reopened');
        }
      } catch (err) {
        const e = err instanceof ModemError ? err : new ModemError('AT_ERROR', String(err), { cause: err });
        if (!this.closed) {
          if (e.code === 'PORT_OPEN_FAILED' || e.code === 'WRONG_MODEM' || e.code === 'PORT_CLOSED') {
            if (e.code === 'WRONG_MODEM') this.searching = true;
            if (e.code === 'PORT_OPEN_FAILED' && e.reason === 'not-found' && this.imei) this.searching = true;
            this.setState(e.code === 'PORT_OPEN_FAILED' && e.reason === 'not-found' && !this.opened ? 'missing' : 'gone', e.message);
          } else {
            this.setState('unresponsive', e.message);
          }
          this.settled?.(this.status);
        }
      }
      this.stopPoll();
      if (this.session === s) this.session = null;
      if (s) await s.close();
      if (this.closed) break;
      await this.sleep(this.backoff(failures++));
    }
  }

  /** Opens the configured (or last good) port, or searches the candidates for our IMEI. */
  private async openSession(): Promise<Session> {
    if (!this.searching || !this.imei) return this.newSession(this.current.path);
    const candidates = [...new Set([this.current.path, this.opts.path, ...(await (this.opts.locate ?? (() => siblingPorts(this.opts.path)))())])];
    let last: unknown = null;
    for (const path of candidates) {
      let s: Session;
      try {
        s = await this.newSession(path);
      } catch (err) {
        last = err;
        continue;
      }
      try {
        await sync(s);
        const imei = parseImei((await s.at('AT+CGSN')).lines);
        if (imei === this.imei) {
          if (path !== this.current.path) this.log.info({ from: this.current.path, to: path, imei }, 'modem found on another port');
          this.current = { ...this.current, path };
          this.searching = false;
          return s;
        }
      } catch (err) {
        last = err;
      }
      await s.close();
    }
    throw new ModemError('PORT_OPEN_FAILED', `modem with IMEI ${this.imei} not found on ${candidates.join(', ')}`, {
      reason: 'not-found', scope: 'modem', cause: last,
    });
  }

  private async newSession(path: string): Promise<Session> {
    const port = await this.opener(path);
    this.opened = true;
    const s = new Session(port, this.log, this.t);
    this.wire(s);
    return s;
  }

  /** Unsolicited result handlers of one session. */
  private wire(s: Session): void {
    const c = s.chat;
    c.onClose((err) => this.end({ kind: 'closed', err }));
    c.onTimeout((err) => {
      if (this.session === s) this.end({ kind: 'timeout', err });
    });
    const safely = (what: string, fn: () => void): void => {
      try {
        fn();
      } catch (err) {
        this.log.debug({ err: (err as Error).message }, `unreadable ${what}; ignored`);
      }
    };
    c.onUnsolicited('+CMTI:', (l) => safely('+CMTI', () => {
      const r = parseStoredIndication(l);
      this.inbox.stored(r.memory, r.index, 'sms');
    }));
    c.onUnsolicited('+CDSI:', (l) => safely('+CDSI', () => {
      const r = parseStoredIndication(l);
      this.inbox.stored(r.memory, r.index, 'report');
    }));
    c.onUnsolicited('+CMT:', (l, pdu) => this.inbox.direct('sms', l, pdu, s), { pdu: true });
    c.onUnsolicited('+CDS:', (l, pdu) => this.inbox.direct('report', l, pdu, s), { pdu: true });
    for (const kind of ['creg', 'cgreg', 'cereg'] as const) {
      c.onUnsolicited(`+${kind.toUpperCase()}:`, (l) => safely(`+${kind.toUpperCase()}`, () => {
        const r = parseRegistration(l, 'urc');
        const prev = s.network[kind];
        s.network[kind] = { ...r, n: prev?.n ?? null, lac: r.lac ?? prev?.lac ?? null, ci: r.ci ?? prev?.ci ?? null };
        if (s.initialised && this.session === s) this.applyRegistration(s);
      }));
    }
    c.onUnsolicited('+CPIN:', (l) => {
      if (s.initialised && this.session === s && !/READY/i.test(l)) this.end({ kind: 'reinit', why: `SIM state changed (${l})` });
    });
    c.onUnsolicited('+CUSD:', (l) => safely('+CUSD', () => this.emit('ussd', parseCusd(l))));
    this.networkClock.wire(s);
    for (const v of Object.values(VENDORS)) {
      if (v.signalUrc) {
        const sig = v.signalUrc;
        c.onUnsolicited(sig.prefix, (l) => {
          const rssi = sig.rssi(l);
          if (rssi !== null) {
            s.network.rssi = rssi;
            s.network.dbm = -113 + 2 * rssi;
          }
        });
      }
    }
    for (const b of ALL_BOOT) {
      c.onUnsolicited(b, () => {
        // After the first start-up on this port (whatever its outcome): a reboot lost the settings.
        if (this.session === s) this.end({ kind: 'reinit', why: `the modem restarted (${b})` });
      });
    }
    for (const n of [...ALL_NOISE, 'RING', '+CRING:', '+CLIP:', '+CFUN:']) c.onUnsolicited(n, () => undefined);
  }

  private applyOutcome(s: Session, o: InitOutcome): void {
    this.lastInfo = snapshot(s);
    this.setState(o.state, o.detail);
  }

  private applyRegistration(s: Session): void {
    if (!['ready', 'searching', 'denied'].includes(this.current.state)) return;
    const was = this.current.state;
    const o = registrationOutcome(s);
    this.setState(o.state, o.detail);
    // registered again: the network sent its time with the registration
    if (o.state === 'ready' && was !== 'ready' && s.initialised) setImmediate(() => void this.networkClock.read(s).catch(() => undefined));
  }

  private waitEnd(s: Session, o: InitOutcome, failures: number): Promise<SessionEnd> {
    return new Promise((resolve) => {
      this.endSession = resolve;
      if (s.closed) this.end({ kind: 'closed', err: new ModemError('PORT_CLOSED', 'the port closed', { scope: 'modem' }) });
      // No SIM yet: look again later (hot-plugged SIMs, a SIM still waking up). A refused or
      // missing PIN waits for someone to act; a blocked SIM too.
      if (o.state === 'no-sim') {
        this.retryTimer = setTimeout(() => this.end({ kind: 'reinit', why: 'looking for the SIM again' }), this.backoff(failures));
      }
    });
  }

  private async recoverInPlace(s: Session): Promise<boolean> {
    for (let i = 0; i < 2 && !s.closed && !this.closed; i++) {
      s.chat.escape();
      try {
        await s.at('AT', { timeoutMs: this.t.probe });
        return true;
      } catch (err) {
        if (err instanceof ModemError && err.code === 'AT_ERROR') return true;
      }
    }
    return false;
  }

  private startPoll(): void {
    this.stopPoll();
    if (this.t.poll <= 0) return;
    const tick = async (): Promise<void> => {
      this.pollTimer = null;
      const s = this.session;
      if (!s || s.closed || this.closed) return;
      // An idle tty does not always notice that its device went away; look.
      if (s.port.exists && !s.port.exists()) {
        this.end({ kind: 'closed', err: new ModemError('PORT_CLOSED', `${s.port.path} disappeared`, { scope: 'modem' }) });
        return;
      }
      if (s.initialised) {
        try {
          await readRegistration(s);
          await readNetworkInfo(s);
          this.applyRegistration(s);
          if (this.receive !== false) await this.inbox.scan();
          await this.networkClock.read(s);
        } catch (err) {
          this.log.debug({ err: (err as Error).message }, 'modem poll failed');
        }
      }
      if (!this.closed && this.session === s && !s.closed) this.pollTimer = setTimeout(() => void tick(), this.t.poll);
    };
    this.pollTimer = setTimeout(() => void tick(), this.t.poll);
  }

  private stopPoll(): void {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
  }
}

function snapshot(s: Session): ModemInfo {
  return {
    identity: { ...s.identity },
    network: { ...s.network },
    sms: {
      memories: s.storage ? [...s.storage.memories] as [string, string, string] : null,
      reportMemory: s.storage?.reportMemory ?? null,
      sms: s.cnmi?.sms ?? 'none',
      reports: s.cnmi?.reports ?? 'none',
      acknowledge: s.acknowledge,
      cmms: s.cmms === true,
    },
  };
}
