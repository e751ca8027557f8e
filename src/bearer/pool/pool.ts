// The modem pool: the Bearer the relay hands WAP pushes to when phones are reached through GSM
// modems. Each job is cut into SMS and queued durably (jobs.ts); a scheduler gives it to the
// modem that can send it soonest (rate limit, work in flight, routes), all its segments through
// that one modem under +CMMS; every +CMGS answer is recorded at once. Faults are classed by
// the driver's error tables:
//   - permanent and about the message (unassigned number, barred, bad PDU): the job fails with
//     the named reason (the relay quarantines it) and the queue behind it keeps moving;
//   - temporary, or about the modem: another ready modem takes it at once, else the relay is
//     told to retry later (retryAfterMs); failures of a modem in a row bench it for `benchFor`,
//     then it is probed and comes back;
//   - "maybe sent" (the PDU was written, no answer): the segment is sent again. For a
//     notification a duplicate push is harmless (the phone sees the same transaction twice and
//     dedupes by its TID), a lost one costs a delivery. Segments the modem confirmed are never
//     sent again.
// Status reports (reports.ts) and received SMS (incoming.ts) come through the same modems.
import type { Logger } from 'pino';
import type { Bearer, BearerClockStep, IncomingSms, NetworkTime, PushJob, StatusReport, SubmitOutcome } from '../../relay/bearer.js';
import { timestampToDate } from '../../codec/sms/index.js';
import type { Store } from '../../store/store.js';
import { describeWriteFailure, isWriteFailure } from '../../store/write-failures.js';
import type { PoolJob } from '../../store/types.js';
import { Modem } from '../modem/driver.js';
import { ModemError, ModemSendError } from '../modem/errors.js';
import type { IncomingPdu, IncomingStatusReport, ModemTimeouts, NetworkTimeReading } from '../modem/types.js';
import { shiftPoolTimes } from './clock-step.js';
import { IncomingBook } from './incoming.js';
import { JobBook, isUncuttable, type Segment } from './jobs.js';
import { PoolMember, TRANSIENT, type PoolModemSpec } from './member.js';
import { ReportBook } from './reports.js';
import { describeRoutes, routeMatch } from './routes.js';
import { StatusWriter, viewOf, type PoolModemView } from './status.js';

export interface ModemPoolOptions {
  store: Store;
  log: Logger;
  modems: PoolModemSpec[];
  /** Ask for status reports (TP-SRR) when the job wants one. Default true. */
  statusReports?: boolean;
  /** Failures of a modem in a row before it is benched. Default 3. */
  benchAfterFailures?: number;
  /** How long a benched modem rests before it is probed. Default 5 min. */
  benchFor?: number;
  /** Incoming concatenated SMS missing parts are delivered after this. Default 10 min. */
  reassemblyTimeout?: number;
  /** Driver time limits (tests shorten them). */
  timeouts?: Partial<ModemTimeouts>;
  /** How long a job waits for a modem that is starting up or recovering. Default 20 s. */
  readyWaitMs?: number;
  /** Failed attempts after which a job fails for good ("retry budget spent"). Default 10. */
  maxTries?: number;
  /** Back-off the relay is asked for after temporary failures: first and ceiling. Default 15 s, 15 min. */
  retryFirstMs?: number;
  retryMaxMs?: number;
  /** How long status reports are expected after sending. Default 3 days. */
  reportWindowMs?: number;
  /** Jobs untouched this long are forgotten (the relay gave up on them). Default 7 days. */
  jobIdleMs?: number;
  /** Least time between two writes of the modem status to LMDB. Default 1 s. */
  statusEveryMs?: number;
  /** Wall-clock ms for what is stored (the process's clock); default Date.now. */
  now?: () => number;
  /** A clock that never steps, for delays (rate limits, bench, waits); default performance.now. */
  monotonic?: () => number;
}

interface Work {
  job: PushJob;
  rec: PoolJob;
  segs: Segment[];
  /** Modems that failed this job during this submit: another one gets it. */
  excluded: Set<PoolMember>;
  since: number;
  lastError: string | null;
  done: (o: SubmitOutcome) => void;
}

type Choice =
  | { kind: 'start'; member: PoolMember }
  | { kind: 'later'; at: number }
  | { kind: 'busy' }
  | { kind: 'give-up'; outcome: SubmitOutcome };

const DAY = 86_400_000;

export class ModemPoolBearer implements Bearer {
  readonly name: string = 'modem-pool';
  readonly members: PoolMember[];
  private readonly store: Store;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly mono: () => number;
  private readonly jobs: JobBook;
  private readonly reports: ReportBook;
  private readonly incoming: IncomingBook;
  private readonly statusWriter: StatusWriter;
  private readonly o: Required<Omit<ModemPoolOptions, 'store' | 'log' | 'modems' | 'timeouts' | 'now' | 'monotonic'>>;
  private pending: Work[] = [];
  private readonly active = new Map<string, Promise<SubmitOutcome>>();
  private readonly running = new Set<Promise<void>>();
  /** +CMGS answers being committed: a status report may overtake its own confirmation. */
  private readonly confirming = new Set<Promise<void>>();
  private confirmsIssued = 0;
  private readonly reportListeners: ((r: StatusReport) => void)[] = [];
  private readonly timeListeners: ((t: NetworkTime) => void)[] = [];
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;
  private sweepTimer: NodeJS.Timeout | null = null;
  private closing: Promise<void> | null = null;

  constructor(opts: ModemPoolOptions) {
    this.store = opts.store;
    this.log = opts.log;
    this.now = opts.now ?? Date.now;
    this.mono = opts.monotonic ?? (() => performance.now());
    this.o = {
      statusReports: opts.statusReports ?? true,
      benchAfterFailures: opts.benchAfterFailures ?? 3,
      benchFor: opts.benchFor ?? 5 * 60_000,
      reassemblyTimeout: opts.reassemblyTimeout ?? 10 * 60_000,
      readyWaitMs: opts.readyWaitMs ?? 20_000,
      maxTries: opts.maxTries ?? 10,
      retryFirstMs: opts.retryFirstMs ?? 15_000,
      retryMaxMs: opts.retryMaxMs ?? 15 * 60_000,
      reportWindowMs: opts.reportWindowMs ?? 3 * DAY,
      jobIdleMs: opts.jobIdleMs ?? 7 * DAY,
      statusEveryMs: opts.statusEveryMs ?? 1_000,
    };
    this.jobs = new JobBook(this.store, this.now);
    this.reports = new ReportBook(this.store, this.log, this.o.reportWindowMs, this.now);
    this.incoming = new IncomingBook({ store: this.store, log: this.log, timeoutMs: this.o.reassemblyTimeout, now: this.now });
    this.members = opts.modems.map((spec) => this.member(spec, opts.timeouts));
    this.statusWriter = new StatusWriter(this.store, this.log, () => this.views(), this.o.statusEveryMs, this.mono);
    this.incoming.start();
    for (const m of this.members) {
      void m.modem.start().then((st) => this.log.info({ modem: m.label, state: st.state, detail: st.detail }, 'modem started'));
    }
    this.sweepTimer = setInterval(() => void this.sweep(), Math.min(10 * 60_000, this.o.reportWindowMs));
    this.sweepTimer.unref?.();
    void this.sweep();
    this.statusWriter.changed();
  }

  private member(spec: PoolModemSpec, timeouts?: Partial<ModemTimeouts>): PoolMember {
    // The handlers reach the member through this slot: the driver is built before the member.
    const slot: { m: PoolMember | null } = { m: null };
    const modem = new Modem({
      path: spec.port,
      logger: this.log,
      ...(spec.opener ? { opener: spec.opener } : {}),
      ...(spec.locate ? { locate: spec.locate } : {}),
      ...(spec.imei ? { imei: spec.imei } : {}),
      ...(spec.pin ? { pin: spec.pin } : {}),
      ...(spec.smsc ? { smsc: spec.smsc } : {}),
      vendor: spec.vendor ?? 'auto',
      receive: spec.receive ?? 'store',
      onSms: (sms) => {
        this.stamp(slot.m as PoolMember, sms, 'an SMS');
        return this.incoming.take((slot.m as PoolMember).key, spec.msisdn, sms);
      },
      onStatusReport: (r) => this.statusReport(slot.m as PoolMember, r),
      ...(timeouts ? { timeouts } : {}),
    });
    const m = new PoolMember(spec, modem);
    slot.m = m;
    // Ready: it may take work; anything else: jobs waiting for it may go elsewhere.
    modem.on('state', () => {
      this.pump();
      this.statusWriter.changed();
    });
    modem.on('network-time', (r: NetworkTimeReading) => this.tell({ at: r.at, kind: 'clock', source: `modem ${m.label}: ${r.source}` }));
    return m;
  }

  // ------------------------------------------------------------------------------- Bearer

  submit(job: PushJob): Promise<SubmitOutcome> {
    if (this.closing) return Promise.resolve({ status: 'retry', reason: 'the modem pool is shutting down' });
    const running = this.active.get(job.id);
    if (running) return running; // the same job twice at once: one send
    const p = this.enqueue(job).finally(() => this.active.delete(job.id));
    this.active.set(job.id, p);
    return p;
  }

  onStatusReport(listener: (r: StatusReport) => void): void {
    this.reportListeners.push(listener);
  }

  onIncoming(listener: (sms: IncomingSms) => Promise<void>): void {
    this.incoming.listen(listener);
  }

  onNetworkTime(listener: (t: NetworkTime) => void): void {
    this.timeListeners.push(listener);
  }

  /** Moves the wall-clock times the pool keeps (reassembly, report and job windows) with the clock. */
  async clockStepped(step: BearerClockStep): Promise<void> {
    const moved = await this.store.tx(() => shiftPoolTimes(this.store, step.delta));
    this.log.info({ delta: step.delta, ...moved }, 'modem pool times moved with the clock');
    this.incoming.rearm();
  }

  private tell(t: NetworkTime): void {
    for (const l of this.timeListeners) {
      try {
        l(t);
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'network time listener failed');
      }
    }
  }

  /** A service centre's time stamp: the present is not earlier than it. */
  private stamp(m: PoolMember, pdu: IncomingPdu, what: string): void {
    const t = pdu.message?.tpdu;
    if (!t || !('scts' in t)) return;
    let at = timestampToDate(t.scts).getTime();
    if (t.type === 'SMS-STATUS-REPORT') at = Math.max(at, timestampToDate(t.dischargeTime).getTime());
    if (Number.isFinite(at)) this.tell({ at, kind: 'not-before', source: `the SMSC time stamp of ${what} through modem ${m.label}` });
  }

  /** Each modem's port, IMEI, state, operator, signal, rate, queue, counters and bench. */
  status(): PoolModemView[] {
    return this.views().map((v) => v.view);
  }

  /**
   * Drains: no new jobs, those waiting are handed back (retry), those being sent finish, the
   * modems are closed. What is stored stays for the next start.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.timer) clearTimeout(this.timer);
      if (this.sweepTimer) clearInterval(this.sweepTimer);
      this.timer = this.sweepTimer = null;
      for (const m of this.members) if (m.probeTimer) clearTimeout(m.probeTimer);
      const waiting = this.pending;
      this.pending = [];
      for (const w of waiting) w.done({ status: 'retry', reason: 'the modem pool is shutting down' });
      await Promise.allSettled([...this.running]);
      await this.incoming.close();
      await Promise.all(this.members.map((m) => m.modem.close()));
      await this.statusWriter.flush(true);
      this.log.info('modem pool closed');
    })();
    return this.closing;
  }

  // ------------------------------------------------------------------------------- queueing

  private async enqueue(job: PushJob): Promise<SubmitOutcome> {
    if (this.members.length === 0) return { status: 'retry', reason: 'no modem is configured (bearer.modems is empty)' };
    if (!this.members.some((m) => routeMatch(m.spec.routes, job.to) >= 0)) {
      return { status: 'failed', reason: `no modem serves ${job.to} (the modems' routes are ${describeRoutes(this.members.map((m) => m.spec.routes))})` };
    }
    let opened;
    try {
      opened = await this.jobs.open(job, job.statusReport && this.o.statusReports);
    } catch (err) {
      if (isUncuttable(err)) return { status: 'failed', reason: `the push cannot go by SMS: ${err.message}` };
      // not queued (a full disk): nothing was sent, the relay tries again later
      if (isWriteFailure(err)) return { status: 'retry', reason: `the job cannot be queued: the store cannot write (${describeWriteFailure(err)})`, retryAfterMs: this.backoff(job.attempt) };
      throw err;
    }
    const { rec, segs } = opened;
    if (rec.state === 'sent') return { status: 'sent', segments: this.jobs.receipts(segs) };
    if (rec.state === 'failed') return { status: 'failed', reason: rec.reason ?? rec.lastError ?? 'failed' };
    if (segs.every((s) => s.state === 'confirmed')) {
      await this.jobs.finish(rec, 'sent'); // confirmed before a crash; nothing to send again
      return { status: 'sent', segments: this.jobs.receipts(segs) };
    }
    if (this.closing) return { status: 'retry', reason: 'the modem pool is shutting down' };
    return new Promise<SubmitOutcome>((resolve) => {
      this.pending.push({ job, rec, segs, excluded: new Set(), since: this.mono(), lastError: null, done: resolve });
      this.pump();
    });
  }

  /** Gives waiting jobs to modems that can take them; arms a timer for the next possibility. */
  private pump(): void {
    if (this.closing) return;
    const now = this.mono();
    let wakeAt = Infinity;
    for (let i = 0; i < this.pending.length; i++) {
      const w = this.pending[i];
      const c = this.choose(w, now);
      if (c.kind === 'start') {
        this.pending.splice(i--, 1);
        const run = this.run(c.member, w).catch((err: unknown) => {
          this.log.error({ err, job: w.job.id }, 'modem pool: sending a job failed unexpectedly');
          w.done({ status: 'retry', reason: `modem pool error: ${(err as Error).message}` });
        });
        this.running.add(run);
        void run.finally(() => this.running.delete(run));
      } else if (c.kind === 'later') {
        wakeAt = Math.min(wakeAt, c.at);
      } else if (c.kind === 'give-up') {
        this.pending.splice(i--, 1);
        w.done(c.outcome);
      }
    }
    this.arm(wakeAt);
    this.statusWriter.changed();
  }

  /** `now` is the pool's monotonic time: rate limits and waits are delays, not dates. */
  private choose(w: Work, now: number): Choice {
    const eligible = this.members.filter((m) => routeMatch(m.spec.routes, w.job.to) >= 0 && !w.excluded.has(m));
    let candidates = eligible.filter((m) => m.usable);
    // Segments already went out through one modem: the rest must follow them while it can.
    const pinned = w.rec.modem !== null && w.segs.some((s) => s.state === 'confirmed') ? eligible.find((m) => m.key === w.rec.modem) : undefined;
    if (pinned && pinned.usable) candidates = [pinned];
    if (candidates.length === 0) {
      if (w.excluded.size > 0 && eligible.length === 0) {
        return { kind: 'give-up', outcome: { status: 'retry', reason: `${w.lastError}; no other modem may take it`, retryAfterMs: this.backoff(w.job.attempt) } };
      }
      const coming = eligible.some((m) => TRANSIENT.has(m.state) && m.benchedUntil === null);
      if (coming && now - w.since < this.o.readyWaitMs) return { kind: 'later', at: w.since + this.o.readyWaitMs };
      const reason = w.lastError ? `${w.lastError}; no other modem is ready: ${this.whyNot(eligible, now)}` : `no modem is ready to send to ${w.job.to}: ${this.whyNot(eligible, now)}`;
      return { kind: 'give-up', outcome: { status: 'retry', reason, retryAfterMs: this.retryAfter(eligible, w.job.attempt, now) } };
    }
    const idle = candidates.filter((m) => m.busy === null);
    if (idle.length === 0) return { kind: 'busy' };
    const n = w.segs.filter((s) => s.state !== 'confirmed').length || w.segs.length;
    let best: PoolMember | null = null;
    let bestAt = Infinity;
    let bestSpec = -1;
    let bestLoad = Infinity;
    for (const m of idle) {
      const at = m.limiter.earliest(n, now);
      const spec = routeMatch(m.spec.routes, w.job.to);
      const load = m.limiter.inLastMinute(now);
      if (at < bestAt || (at === bestAt && (spec > bestSpec || (spec === bestSpec && load < bestLoad)))) {
        best = m;
        bestAt = at;
        bestSpec = spec;
        bestLoad = load;
      }
    }
    if (best && bestAt <= now) return { kind: 'start', member: best };
    return { kind: 'later', at: bestAt };
  }

  private arm(at: number): void {
    if (at === Infinity || this.closing) return;
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.timerAt = Infinity;
      this.pump();
    }, Math.max(0, at - this.mono()));
    this.timer.unref?.();
  }

  // ------------------------------------------------------------------------------- sending

  /** Sends a job's remaining segments through `m`, then settles the job or hands it on. */
  private async run(m: PoolMember, w: Work): Promise<void> {
    m.busy = w.job.id;
    let released = false;
    // The modem is free for the next job as soon as its send is over, while this job's
    // bookkeeping is committed.
    const release = (): void => {
      if (released) return;
      released = true;
      m.busy = null;
      this.pump();
    };
    try {
      if (w.rec.modem !== null && w.rec.modem !== m.key && w.segs.some((s) => s.state === 'confirmed')) {
        this.log.info({ job: w.job.id, from: w.rec.modem, to: m.label }, 'half-sent job moves to another modem: all its SMS go again with a new reference');
        ({ rec: w.rec, segs: w.segs } = await this.jobs.restart(w.rec, w.job.push));
      }
      const todo = w.segs.filter((s) => s.state !== 'confirmed');
      const confirmations: Promise<void>[] = [];
      let error: unknown = null;
      m.limiter.take(todo.length, this.mono());
      try {
        await m.modem.send(todo.map((s) => ({ hex: s.hex, length: s.length })), {
          onSegment: (i, mr) => {
            const at = this.now();
            const seg = todo[i];
            Object.assign(seg, { state: 'confirmed', mr, modem: m.key, sentAt: at });
            w.rec = { ...w.rec, modem: m.key };
            m.sent++;
            this.confirmsIssued++;
            const c = this.jobs.confirm(w.rec, seg.seq, m.key, mr, at);
            confirmations.push(c);
            this.confirming.add(c);
            void c.finally(() => this.confirming.delete(c)).catch(() => undefined);
          },
        });
        m.failuresInARow = 0;
      } catch (err) {
        error = err;
      }
      const verdict = error === null ? null : this.judge(m, w, error, todo);
      release();
      await Promise.allSettled(confirmations);
      if (verdict === null) {
        // Every segment confirmed: the last confirmation marked the job sent.
        w.done({ status: 'sent', segments: this.jobs.receipts(w.segs) });
        return;
      }
      await this.settleFailure(m, w, verdict);
    } finally {
      release();
    }
  }

  private async settleFailure(m: PoolMember, w: Work, verdict: { kind: 'fail' | 'retry' | 'again'; reason: string; maybe: number | null }): Promise<void> {
    if (verdict.maybe !== null) await this.jobs.unknown(w.rec, verdict.maybe);
    if (verdict.kind === 'again') {
      // Not an attempt (the modem was not ready when the send began): wait for one that is.
      this.requeue(w);
      return;
    }
    if (verdict.kind === 'fail') {
      await this.jobs.finish(w.rec, 'failed', verdict.reason);
      this.log.warn({ job: w.job.id, to: w.job.to, modem: m.label, reason: verdict.reason }, 'push failed for good');
      w.done({ status: 'failed', reason: verdict.reason });
      return;
    }
    const rec = await this.jobs.tried(w.rec, verdict.reason);
    w.rec = { ...w.rec, tries: rec.tries };
    if (rec.tries >= this.o.maxTries) {
      const reason = `retry budget spent: ${rec.tries} failed attempts (last: ${verdict.reason})`;
      await this.jobs.finish(w.rec, 'failed', reason);
      this.log.warn({ job: w.job.id, to: w.job.to, reason }, 'push failed for good');
      w.done({ status: 'failed', reason });
      return;
    }
    w.excluded.add(m);
    w.lastError = verdict.reason;
    this.requeue(w);
  }

  private requeue(w: Work): void {
    if (this.closing) {
      w.done({ status: 'retry', reason: w.lastError ? `${w.lastError}; the modem pool is shutting down` : 'the modem pool is shutting down' });
      return;
    }
    this.pending.unshift(w);
    this.pump();
  }

  /** What a failed send means for the job and for the modem (which it may bench). */
  private judge(m: PoolMember, w: Work, err: unknown, todo: Segment[]): { kind: 'fail' | 'retry' | 'again'; reason: string; maybe: number | null } {
    const e = err instanceof ModemError ? err : new ModemError('AT_ERROR', String(err), { cause: err });
    const se = e instanceof ModemSendError ? e : null;
    const maybe = se?.maybeSent ? (todo[se.failedSegment]?.seq ?? null) : null;
    const nothingWent = !se || (se.sent.length === 0 && !se.maybeSent);
    if ((e.code === 'NOT_READY' || e.code === 'CLOSED') && nothingWent) {
      return { kind: 'again', reason: `${m.label}: ${e.message}`, maybe: null };
    }
    const value = e.value !== null ? ` ${e.code === 'CME_ERROR' ? '+CME' : '+CMS'} ERROR ${e.value}` : '';
    // Numbered as the job's SMS (the driver counts the segments of this send, maybe a resumed rest).
    const failedSeq = se ? todo[se.failedSegment]?.seq : undefined;
    const what = se && failedSeq !== undefined ? `${w.segs.length > 1 ? `SMS ${failedSeq + 1} of ${w.segs.length}: ` : ''}${se.failure.message}` : e.message;
    const reason = `${e.reason}${value} from modem ${m.label}: ${what}`;
    m.failed++;
    if (e.class === 'permanent' && e.scope === 'message') return { kind: 'fail', reason, maybe };
    if (e.scope !== 'message') {
      m.failuresInARow++;
      m.lastFailure = `${e.reason}: ${e.message}`;
      // A permanent fault of the modem's own (its SIM barred...) will not pass by retrying on it.
      if (m.failuresInARow >= this.o.benchAfterFailures || e.class === 'permanent') this.bench(m);
    }
    this.log.info({ job: w.job.id, modem: m.label, reason: e.reason, class: e.class, scope: e.scope, maybeSent: se?.maybeSent ?? false, sent: se?.sent.length ?? 0 }, 'send failed; the job goes to another modem or is retried later');
    return { kind: 'retry', reason, maybe };
  }

  // ------------------------------------------------------------------------------- health

  private bench(m: PoolMember): void {
    m.benchedUntil = this.now() + this.o.benchFor;
    m.benchEnds = this.mono() + this.o.benchFor;
    this.log.warn({ modem: m.label, failures: m.failuresInARow, last: m.lastFailure, until: new Date(m.benchedUntil).toISOString() }, 'modem benched');
    this.scheduleProbe(m);
    this.statusWriter.changed();
  }

  private scheduleProbe(m: PoolMember): void {
    if (m.probeTimer) clearTimeout(m.probeTimer);
    m.probeTimer = setTimeout(() => {
      m.probeTimer = null;
      void this.probe(m);
    }, Math.max(0, (m.benchEnds ?? 0) - this.mono()));
    m.probeTimer.unref?.();
  }

  /** After the rest: a modem that answers and is registered comes back; otherwise it rests again. */
  private async probe(m: PoolMember): Promise<void> {
    if (this.closing) return;
    let ok = false;
    let why = m.why(this.mono()) ?? '';
    if (m.state === 'ready') {
      try {
        await m.modem.refresh();
        ok = m.state === 'ready';
        if (!ok) why = `${m.state}${m.modem.status.detail ? ` (${m.modem.status.detail})` : ''}`;
      } catch (err) {
        why = (err as Error).message;
      }
    }
    if (this.closing) return;
    if (ok) {
      m.benchedUntil = null;
      m.benchEnds = null;
      m.failuresInARow = 0;
      this.log.info({ modem: m.label }, 'modem back in service');
      this.pump();
    } else {
      m.benchedUntil = this.now() + this.o.benchFor;
      m.benchEnds = this.mono() + this.o.benchFor;
      this.log.warn({ modem: m.label, why, until: new Date(m.benchedUntil).toISOString() }, 'benched modem still not usable');
      this.scheduleProbe(m);
    }
    this.statusWriter.changed();
  }

  private whyNot(members: PoolMember[], now: number): string {
    if (members.length === 0) return 'none may take it';
    return members.map((m) => `modem ${m.label} is ${m.why(now) ?? 'busy'}`).join('; ');
  }

  private backoff(attempt: number): number {
    return Math.min(this.o.retryMaxMs, this.o.retryFirstMs * 2 ** Math.max(0, attempt - 1));
  }

  /** When to try again: when the first benched modem is probed if all are benched, else the back-off. */
  private retryAfter(members: PoolMember[], attempt: number, now: number): number {
    if (members.length > 0 && members.every((m) => m.benchEnds !== null)) {
      const first = Math.min(...members.map((m) => m.benchEnds as number));
      return Math.max(1_000, first - now + 1_000);
    }
    return this.backoff(attempt);
  }

  // ------------------------------------------------------------------------------- reports, views

  private async statusReport(m: PoolMember, r: IncomingStatusReport): Promise<void> {
    this.stamp(m, r, 'a status report');
    if (!r.report) {
      this.log.warn({ modem: m.label, hex: r.hex, error: r.error?.message }, 'unreadable status report; dropped');
      return;
    }
    const issued = this.confirmsIssued;
    let res = await this.reports.take(m.key, r.report);
    if (res.kind === 'unmatched' && (this.confirming.size > 0 || this.confirmsIssued !== issued)) {
      // The report came in with the +CMGS answer it is about (same read from the port), whose
      // record was committed after this lookup: look again once every such record is.
      await Promise.allSettled([...this.confirming]);
      res = await this.reports.take(m.key, r.report);
    }
    if (res.kind === 'unmatched') {
      this.log.info({ modem: m.label, mr: r.report.mr, status: r.report.status, why: res.why }, 'status report matches no job');
      return;
    }
    if (res.kind === 'stale') return;
    if (!res.emit) return;
    for (const l of this.reportListeners) {
      try {
        l(res.emit);
      } catch (err) {
        this.log.warn({ err: (err as Error).message }, 'status report listener failed');
      }
    }
  }

  private views(): { member: PoolMember; view: PoolModemView }[] {
    const now = this.now();
    return this.members.map((m) => {
      const queue = this.pending.filter((w) => !w.excluded.has(m) && routeMatch(m.spec.routes, w.job.to) >= 0).length + (m.busy ? 1 : 0);
      return { member: m, view: viewOf(m, queue, now) };
    });
  }

  private async sweep(): Promise<void> {
    try {
      const jobs = await this.jobs.sweep(this.o.jobIdleMs, this.o.reportWindowMs);
      const sent = await this.reports.sweep();
      await this.incoming.sweep(); // timed-out parts, and PDU keys remembered long enough
      if (jobs || sent) this.log.debug({ jobs, sent }, 'pool records expired');
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'pool sweep failed');
    }
  }
}
