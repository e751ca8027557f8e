// A virtual radio network with one SMSC: virtual modems and phones attach by MSISDN; an SMS
// submitted by one is delivered (store and forward, with retries) to the one it names, as an
// SMS-DELIVER; a status report goes back when the submitter asked (TP-SRR). Everything the
// network did is recorded, so tests can count what was sent and delivered - the proof that
// no message was lost or sent twice.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import {
  encodeSms, parseAddress, timestampFromDate,
  type SmsAddress, type SmsDeliverTpdu, type SmsMessage, type SmsStatusReportTpdu, type SmsSubmitTpdu,
} from '../../codec/sms/index.js';

/** What the network hands a subscriber: the PDU as the SMSC sends it, and its decoded form. */
export interface NetworkPdu {
  bytes: Uint8Array;
  message: SmsMessage;
}

/** Anything with a number on the network: a virtual modem or phone. */
export interface Subscriber {
  readonly msisdn: string;
  /**
   * Offers an SMS-DELIVER or SMS-STATUS-REPORT. Resolves true when the subscriber took it
   * (stored, shown, or acknowledged), false to have the network try again later.
   */
  receive(pdu: NetworkPdu): Promise<boolean>;
}

export interface SubmissionRecord {
  id: number;
  from: string;
  to: string;
  mr: number;
  tpdu: SmsSubmitTpdu;
  /** The TPDU octets as the submitter sent them (no SMSC address), when it handed them over. */
  raw?: Uint8Array;
  at: Date;
}

export interface DeliveryRecord {
  submission: number;
  from: string;
  to: string;
  tpdu: SmsDeliverTpdu;
  at: Date;
  attempts: number;
}

export interface NetworkOptions {
  /** The SMSC address (E.164 with '+'). */
  smsc?: string;
  operator?: { long: string; short: string; numeric: string };
  /** Time an MO SMS takes to reach the SMSC (the +CMGS answer waits this long). Default 0. */
  airTimeMs?: number;
  /** Time from acceptance to delivery attempt. Default 0. */
  deliveryDelayMs?: number;
  /** Wait between delivery attempts to an unreachable subscriber. Default 100 ms. */
  retryMs?: number;
  /** Attempts before the SMSC gives up (status report 0x46, validity expired). Default 20. */
  maxAttempts?: number;
  /** The network's clock (time stamps of DELIVERs and reports, and its NITZ time). */
  clock?: () => Date;
  /**
   * The network sends its time to modems at registration (NITZ), in this zone (quarters of an
   * hour east of UTC, daylight saving included); absent: it sends none.
   */
  nitz?: { zone: number };
  /**
   * Called for a destination nobody has attached: a subscriber created on the spot (a virtual
   * phone for any number pushed to), or null for "no such subscriber".
   */
  autoAttach?: (msisdn: string) => Subscriber | null;
  logger?: Logger;
}

/** TP-ST values the simulated SMSC reports (23.040 §9.2.3.15). */
export const TP_ST = { delivered: 0x00, notObtainable: 0x43, validityExpired: 0x46 } as const;

interface Job {
  submission: SubmissionRecord;
  from: Subscriber;
  attempts: number;
}

/** "+4712345678" for international numbers, digits as carried otherwise. */
export function addressKey(a: SmsAddress): string {
  return a.ton === 'international' ? `+${a.number}` : a.number;
}

export class VirtualNetwork extends EventEmitter {
  readonly smsc: string;
  readonly operator: { long: string; short: string; numeric: string };
  readonly submissions: SubmissionRecord[] = [];
  readonly deliveries: DeliveryRecord[] = [];
  /** Submissions that never reached their recipient (unknown number or attempts exhausted). */
  readonly undeliverable: SubmissionRecord[] = [];
  private readonly subscribers = new Map<string, Subscriber>();
  private readonly rejections = new Map<string, number>();
  private readonly opts: Required<Omit<NetworkOptions, 'logger' | 'operator' | 'smsc' | 'autoAttach' | 'nitz'>>;
  private readonly autoAttachFn: ((msisdn: string) => Subscriber | null) | null;
  /** Test control: the zone NITZ gives (null: the network sends no time). */
  nitzZone: number | null;
  /** Test control: the TP-ST to report for a submission instead of the real outcome (null: the real one). */
  statusFor: ((rec: SubmissionRecord, real: number) => number | null) | null = null;
  /** Test control: status reports wait (in order) until releaseReports(). */
  holdReports = false;
  private held: (() => void)[] = [];
  private readonly log: Logger | null;
  private inflight = 0;
  private idleWaiters: (() => void)[] = [];
  private timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(opts: NetworkOptions = {}) {
    super();
    this.smsc = opts.smsc ?? '+15550000000';
    this.operator = opts.operator ?? { long: 'Virtual Network', short: 'VirtNet', numeric: '00101' };
    this.opts = {
      airTimeMs: opts.airTimeMs ?? 0,
      deliveryDelayMs: opts.deliveryDelayMs ?? 0,
      retryMs: opts.retryMs ?? 100,
      maxAttempts: opts.maxAttempts ?? 20,
      clock: opts.clock ?? (() => new Date()),
    };
    this.log = opts.logger ?? null;
    this.autoAttachFn = opts.autoAttach ?? null;
    this.nitzZone = opts.nitz?.zone ?? null;
  }

  /** The time the network sends (NITZ), or null when it sends none. */
  networkTime(): { at: number; zone: number } | null {
    return this.nitzZone === null ? null : { at: this.opts.clock().getTime(), zone: this.nitzZone };
  }

  /** Sends the status reports held back (holdReports), oldest first, and stops holding. */
  releaseReports(): void {
    this.holdReports = false;
    const held = this.held;
    this.held = [];
    for (const send of held) send();
  }

  /** Connects a subscriber under its MSISDN. */
  attach(s: Subscriber): void {
    const key = normalise(s.msisdn);
    if (this.subscribers.has(key)) throw new Error(`MSISDN ${s.msisdn} is already on the virtual network`);
    this.subscribers.set(key, s);
  }

  detach(msisdn: string): void {
    this.subscribers.delete(normalise(msisdn));
  }

  /** Makes the SMSC refuse SMS to `number` with this RP-cause (e.g. 1 unassigned, 10 barred). */
  reject(number: string, rpCause: number): void {
    this.rejections.set(normalise(number), rpCause);
  }

  /** Resolves when no submission or delivery is in progress. */
  idle(): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  /** Stops every pending timer (deliveries in progress are abandoned). */
  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.inflight = 0;
    this.settle();
  }

  /** SMS-SUBMITs the SMSC accepted with this destination. */
  submittedTo(number: string): SubmissionRecord[] {
    const k = normalise(number);
    return this.submissions.filter((s) => normalise(s.to) === k);
  }

  /** SMS-DELIVERs handed to this subscriber. */
  deliveredTo(number: string): DeliveryRecord[] {
    const k = normalise(number);
    return this.deliveries.filter((d) => normalise(d.to) === k);
  }

  /**
   * An SMS-SUBMIT from `from` with the TP-MR its sender used. Resolves after the air time
   * with ok, or with the RP-cause the SMSC refused it with (24.011 Annex E-2).
   */
  submit(from: Subscriber, tpdu: SmsSubmitTpdu, mr: number, raw?: Uint8Array): Promise<{ ok: true; id: number } | { ok: false; cause: number }> {
    this.inflight++;
    return new Promise((resolve) => {
      this.later(this.opts.airTimeMs, () => {
        const to = addressKey(tpdu.destination);
        const cause = this.rejections.get(normalise(to));
        if (cause !== undefined) {
          this.log?.debug({ from: from.msisdn, to, cause }, 'virtual SMSC refused an SMS');
          resolve({ ok: false, cause });
          this.done();
          return;
        }
        const rec: SubmissionRecord = { id: this.submissions.length + 1, from: from.msisdn, to, mr, tpdu, at: this.opts.clock() };
        if (raw) rec.raw = raw;
        this.submissions.push(rec);
        this.emit('submit', rec);
        resolve({ ok: true, id: rec.id });
        this.inflight++;
        this.later(this.opts.deliveryDelayMs, () => void this.attempt({ submission: rec, from, attempts: 0 }));
        this.done();
      });
    });
  }

  private later(ms: number, fn: () => void): void {
    if (this.closed) return;
    if (ms <= 0) {
      setImmediate(() => {
        if (!this.closed) fn();
      });
      return;
    }
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private done(): void {
    if (this.inflight > 0) this.inflight--;
    this.settle();
  }

  private settle(): void {
    if (this.inflight !== 0) return;
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const r of w) r();
  }

  private async attempt(job: Job): Promise<void> {
    const rec = job.submission;
    let to = this.subscribers.get(normalise(rec.to));
    if (!to && this.autoAttachFn) {
      const made = this.autoAttachFn(rec.to);
      if (made) {
        if (!this.subscribers.has(normalise(made.msisdn))) this.subscribers.set(normalise(made.msisdn), made);
        to = made;
      }
    }
    if (!to) {
      this.undeliverable.push(rec);
      this.log?.debug({ to: rec.to }, 'virtual SMSC: no such subscriber');
      await this.report(job, TP_ST.notObtainable);
      this.done();
      return;
    }
    job.attempts++;
    const t = rec.tpdu;
    const deliver: SmsDeliverTpdu = {
      type: 'SMS-DELIVER',
      moreMessagesToSend: false,
      loopPrevention: false,
      statusReportIndication: false,
      replyPath: false,
      originator: parseAddress(rec.from),
      pid: t.pid,
      dcs: t.dcs,
      scts: timestampFromDate(rec.at),
      udh: t.udh,
      ...(t.text !== undefined ? { text: t.text } : {}),
      ...(t.data !== undefined ? { data: t.data } : {}),
    };
    const message: SmsMessage = { sca: parseAddress(this.smsc), tpdu: deliver };
    let took = false;
    try {
      took = await to.receive({ bytes: encodeSms(message), message });
    } catch (err) {
      this.log?.warn({ err, to: rec.to }, 'virtual subscriber failed to take an SMS');
    }
    if (this.closed) return;
    if (took) {
      const d: DeliveryRecord = { submission: rec.id, from: rec.from, to: rec.to, tpdu: deliver, at: this.opts.clock(), attempts: job.attempts };
      this.deliveries.push(d);
      this.emit('deliver', d);
      await this.report(job, TP_ST.delivered);
      this.done();
      return;
    }
    if (job.attempts >= this.opts.maxAttempts) {
      this.undeliverable.push(rec);
      await this.report(job, TP_ST.validityExpired);
      this.done();
      return;
    }
    this.later(this.opts.retryMs, () => void this.attempt(job));
  }

  /** Sends the status report the submitter asked for (TP-SRR), until the submitter takes it. */
  private async report(job: Job, real: number): Promise<void> {
    const rec = job.submission;
    if (!rec.tpdu.statusReportRequest) return;
    const status = this.statusFor?.(rec, real) ?? real;
    if (this.holdReports) {
      // Not counted as in progress: idle() means "nothing moving but what is held".
      this.held.push(() => void this.report(job, real));
      return;
    }
    const tpdu: SmsStatusReportTpdu = {
      type: 'SMS-STATUS-REPORT',
      moreMessagesToSend: false,
      loopPrevention: false,
      statusReportQualifier: 'submit',
      mr: rec.mr,
      recipient: rec.tpdu.destination,
      scts: timestampFromDate(rec.at),
      dischargeTime: timestampFromDate(this.opts.clock()),
      status,
      pi: null,
    };
    const message: SmsMessage = { sca: parseAddress(this.smsc), tpdu };
    const bytes = encodeSms(message);
    this.inflight++;
    const tryOnce = async (n: number): Promise<void> => {
      let took = false;
      try {
        took = await job.from.receive({ bytes, message });
      } catch (err) {
        this.log?.warn({ err, to: rec.from }, 'virtual subscriber failed to take a status report');
      }
      if (took || n >= this.opts.maxAttempts || this.closed) {
        this.emit('report', { submission: rec.id, status, taken: took });
        this.done();
        return;
      }
      this.later(this.opts.retryMs, () => void tryOnce(n + 1));
    };
    await tryOnce(1);
  }
}

/** Numbers compare by digits: "+4712345678" and "4712345678" are one subscriber. */
function normalise(n: string): string {
  return n.replace(/^\+/, '');
}
