// The SMPP bearer: WAP pushes go to an SMSC over one transceiver bind (SMPP 3.4), as submit_sm
// with the WDP ports in a user data header, one per SMS segment, at the rate the SMSC allows;
// delivery receipts and incoming short messages come back on the same bind as deliver_sm.
//
// The bind is kept up by keeper.ts. A push submitted while it is down gets `retry` at once,
// saying why: waiting is the relay's outbox's job. A push cut in several SMS that stops
// half-way is resumed by its next attempt (same concatenation reference, only the missing
// segments), so the phone can still put it together. Each accepted segment is written to the
// journal (journal.ts) before the next one goes: after a restart the resume still holds, a
// push the SMSC took whole is not sent again, and receipts still find their push. `status`
// tells the link's state and why; every change is a log line and a 'state' event.
import { EventEmitter } from 'node:events';
import { pino, type Logger } from 'pino';
import { CodecError } from '../../codec/errors.js';
import { binarySegmentCount, parseAddress, pushToSms, type SmsSubmitTpdu } from '../../codec/sms/index.js';
import type { Config } from '../../config/schema.js';
import type { Bearer, IncomingSms, PushJob, SegmentReceipt, StatusReport, SubmitOutcome } from '../../relay/bearer.js';
import { Inbound } from './inbound.js';
import type { SmppJournal, SmppPushRecord } from './journal.js';
import { LinkKeeper, type SmppStatus } from './keeper.js';
import { LinkError, type SmppLink } from './link.js';
import { Pacer } from './pacer.js';
import { CMD, type PduHeader } from './pdu.js';
import { isReceipt, readReceipt } from './receipt.js';
import { SmppBodyError, TLV, readShortMessagePdu, tlvInt, type ShortMessagePdu, type SmppAddress } from './sm-body.js';
import { describeStatus, smppStatus } from './status.js';
import { ReceiptTracker, TRACKED_JOBS, type TrackOutcome } from './tracker.js';
import { readUserData, shortMessageOf, type DefaultAlphabet } from './user-data.js';

export interface SmppBearerOptions {
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType?: string;
  /** source_addr of the pushes ("" lets the SMSC fill it in). */
  sourceAddress?: string;
  /** Override the TON/NPI derived from sourceAddress (+digits 1/1, digits 0/1, text 5/0). */
  sourceTon?: number;
  sourceNpi?: number;
  serviceType?: string;
  /** submit_sm per second the SMSC allows on this bind. */
  ratePerSecond: number;
  enquireLinkMs: number;
  /** First wait before connecting again after the link dropped; doubles up to a minute. */
  reconnectMs: number;
  /** Wait for any *_resp (and for the TCP connection). Default 10 s. */
  responseTimeoutMs?: number;
  /** See Inbound: how long a part of an incomplete message keeps its answer. Default 5 s. */
  partHoldMs?: number;
  /** Incomplete incoming messages are handed over after this. Default 10 min. */
  reassemblyTimeoutMs?: number;
  defaultAlphabet?: DefaultAlphabet;
  /** Ask for delivery receipts when a job asks for a status report. Default true. */
  statusReports?: boolean;
  /** A half-sent job is resumed by an attempt within this long, else sent again whole. Default 10 min. */
  resumeWithinMs?: number;
  /** How long receipts are awaited for a push sent with a receipt request. Default 3 days. */
  receiptWindowMs?: number;
  /** Durable record of what was sent (without one, a restart forgets it). */
  journal?: SmppJournal;
  log?: Logger;
  now?: () => number;
}

/** Options from the configuration file's `bearer` section. */
export function smppOptionsFromConfig(bearer: Config['bearer'], log: Logger, journal?: SmppJournal): SmppBearerOptions {
  const s = bearer.smpp;
  return {
    host: s.host,
    port: s.port,
    systemId: s.systemId,
    password: s.password,
    systemType: s.systemType,
    sourceAddress: s.sourceAddress,
    sourceTon: s.sourceTon,
    sourceNpi: s.sourceNpi,
    serviceType: s.serviceType,
    ratePerSecond: s.ratePerSecond,
    enquireLinkMs: s.enquireLink,
    reconnectMs: s.reconnect,
    responseTimeoutMs: s.responseTimeout,
    partHoldMs: s.partHold,
    reassemblyTimeoutMs: bearer.reassemblyTimeout,
    defaultAlphabet: s.defaultAlphabet,
    statusReports: bearer.statusReports,
    log,
    journal,
  };
}

const ESME_RTHROTTLED = 0x58;
const ESME_RINVBNDSTS = 0x04;
const ESME_RX_P_APPN = 0x65;
const ESME_RSYSERR = 0x08;
const THROTTLE_MAX_MS = 30_000;

/** TON/NPI of an address as written: +digits international ISDN, digits unknown ISDN, else alphanumeric. */
export function smppAddressOf(s: string): SmppAddress {
  if (s === '') return { ton: 0, npi: 0, addr: '' };
  const a = parseAddress(s);
  if (a.ton === 'international') return { ton: 1, npi: 1, addr: a.number };
  if (a.ton === 'alphanumeric') return { ton: 5, npi: 0, addr: a.number };
  return { ton: 0, npi: 1, addr: a.number };
}

export class SmppBearer extends EventEmitter implements Bearer {
  readonly name = 'smpp';
  private readonly o: Required<Omit<SmppBearerOptions, 'sourceTon' | 'sourceNpi' | 'log' | 'now' | 'journal'>>;
  private readonly journal: SmppJournal | undefined;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly via: string;
  private readonly source: SmppAddress;
  private readonly pacer: Pacer;
  private readonly tracker = new ReceiptTracker();
  private readonly inbound: Inbound;
  /** Pushes being sent, or sent and awaiting receipts (or a retry after a crash): the journal's copy. */
  private readonly pushes = new Map<string, SmppPushRecord>();
  private readonly reportListeners = new Set<(r: StatusReport) => void>();
  private readonly incomingListeners = new Set<(sms: IncomingSms) => Promise<void>>();
  private readonly keeper: LinkKeeper;
  private throttleLevel = 0;
  private nextRef: number;
  private closing = false;
  private closed: Promise<void> | null = null;
  private readonly sweepTimer: NodeJS.Timeout;

  constructor(opts: SmppBearerOptions) {
    super();
    if (!(opts.ratePerSecond > 0)) throw new Error(`bearer.smpp.ratePerSecond must be above 0, not ${opts.ratePerSecond}`);
    this.o = {
      host: opts.host,
      port: opts.port,
      systemId: opts.systemId,
      password: opts.password,
      systemType: opts.systemType ?? '',
      sourceAddress: opts.sourceAddress ?? '',
      serviceType: opts.serviceType ?? '',
      ratePerSecond: opts.ratePerSecond,
      enquireLinkMs: opts.enquireLinkMs,
      reconnectMs: Math.max(1, opts.reconnectMs),
      responseTimeoutMs: opts.responseTimeoutMs ?? 10_000,
      partHoldMs: opts.partHoldMs ?? 5_000,
      reassemblyTimeoutMs: opts.reassemblyTimeoutMs ?? 600_000,
      defaultAlphabet: opts.defaultAlphabet ?? 'gsm7',
      statusReports: opts.statusReports ?? true,
      resumeWithinMs: opts.resumeWithinMs ?? 600_000,
      receiptWindowMs: opts.receiptWindowMs ?? 3 * 86_400_000,
    };
    this.journal = opts.journal;
    this.log = (opts.log ?? pino({ level: 'silent' })).child({ smsc: `${opts.host}:${opts.port}` });
    this.now = opts.now ?? Date.now;
    this.via = opts.systemId || `${opts.host}:${opts.port}`;
    const src = smppAddressOf(this.o.sourceAddress);
    this.source = { ton: opts.sourceTon ?? src.ton, npi: opts.sourceNpi ?? src.npi, addr: src.addr };
    this.pacer = new Pacer(opts.ratePerSecond);
    this.nextRef = Math.floor(Math.random() * 256);
    this.inbound = new Inbound({
      hand: (sms) => this.hand(sms),
      via: this.via,
      partHoldMs: this.o.partHoldMs,
      timeoutMs: this.o.reassemblyTimeoutMs,
      log: this.log,
      now: this.now,
    });
    this.restore();
    this.sweepTimer = setInterval(() => {
      void this.inbound.sweep();
      this.prune();
    }, Math.max(1000, Math.min(this.o.reassemblyTimeoutMs / 4, 30_000)));
    this.sweepTimer.unref?.();
    this.keeper = new LinkKeeper({
      host: this.o.host,
      port: this.o.port,
      systemId: this.o.systemId,
      password: this.o.password,
      systemType: this.o.systemType,
      enquireLinkMs: this.o.enquireLinkMs,
      reconnectMs: this.o.reconnectMs,
      responseTimeoutMs: this.o.responseTimeoutMs,
      log: this.log,
      onRequest: (link, header, frame) => this.request(link, header, frame),
      onState: (status) => this.emit('state', status),
    });
  }

  /** The link's state, with the reason and the next attempt while it is down. */
  get status(): SmppStatus {
    return this.keeper.status;
  }

  /** Resolves once bound (true), or at close or after `timeoutMs` (false). */
  ready(timeoutMs = 30_000): Promise<boolean> {
    return this.keeper.ready(timeoutMs);
  }

  onStatusReport(listener: (r: StatusReport) => void): void {
    this.reportListeners.add(listener);
  }

  onIncoming(listener: (sms: IncomingSms) => Promise<void>): void {
    this.incomingListeners.add(listener);
  }

  // ------------------------------------------------------------------ sending

  /** `retry`, saying why the link cannot take a push now (and `where` in the push it stopped). */
  private unavailable(where = ''): Extract<SubmitOutcome, { status: 'retry' }> {
    return { status: 'retry', ...this.keeper.unavailable(where) };
  }

  async submit(job: PushJob): Promise<SubmitOutcome> {
    if (this.closing) return this.unavailable();
    const link = await this.keeper.boundLink();
    if (!link) return this.unavailable();

    const destination = smppAddressOf(job.to);
    if (destination.ton === 5) return { status: 'failed', reason: `"${job.to}" is not a phone number` };
    const total = binarySegmentCount(job.push.length, { portBits: 16, refBits: 8 });
    let p = this.pushes.get(job.id);
    if (p && p.ids.length === total && p.ids.every((id) => id !== null)) {
      // the SMSC took it all, and the relay did not hear so (a restart in between)
      this.log.info({ job: job.id, segments: total }, 'push already accepted by the SMSC; not sent again');
      return this.sent(p);
    }
    if (p && (p.ids.length !== total || this.now() - p.at > this.o.resumeWithinMs)) {
      this.forget(job.id);
      p = undefined;
    }
    const receipts = this.o.statusReports && job.statusReport;
    if (!p) {
      const none = new Array<null>(total).fill(null);
      p = { ref: total > 1 ? this.takeRef() : 0, ids: [...none], states: receipts ? [...none] : null, at: this.now() };
      this.pushes.set(job.id, p);
    }
    let parts: SmsSubmitTpdu[];
    try {
      parts = pushToSms(job.push, { destination: parseAddress(job.to), ref: p.ref, refBits: 8 });
    } catch (e) {
      this.forget(job.id);
      if (e instanceof CodecError) return { status: 'failed', reason: `the push cannot be cut into SMS: ${e.message}` };
      throw e;
    }
    const resumed = p.ids.some((id) => id !== null);
    if (resumed) this.log.info({ job: job.id, sent: p.ids.filter((id) => id !== null).length, of: total }, 'resuming a half-sent push');

    for (let i = 0; i < parts.length; i++) {
      if (p.ids[i] !== null) continue;
      const where = total > 1 ? ` (segment ${i + 1} of ${total})` : '';
      if (!(await this.pacer.turn(() => this.closing || link.closed))) return this.unavailable(where);
      let header: PduHeader;
      let fields: Record<string, unknown> | null;
      try {
        ({ header, fields } = await link.request('submit_sm', this.submitFields(destination, parts[i], receipts), this.o.responseTimeoutMs));
      } catch (e) {
        if (!(e instanceof LinkError)) throw e;
        const le = e;
        if (le.code === 'timeout') return { status: 'retry', reason: `${le.message}${where}: whether the SMSC took it is unknown`, retryAfterMs: this.o.responseTimeoutMs };
        return { ...this.unavailable(), reason: `${le.message}${where}` };
      }
      if (header.status === 0) {
        const id = typeof fields?.message_id === 'string' ? fields.message_id : '';
        p.ids[i] = id;
        p.at = this.now();
        this.throttleLevel = 0;
        if (!(await this.record(job.id, p))) return { status: 'retry', reason: `the journal could not record segment ${i + 1} of ${total}; it is resumed from there` };
        if (p.states && id) await this.reportOf(this.tracker.sent(job.id, i, total, id, this.now()));
        continue;
      }
      const s = smppStatus(header.status);
      const what = `submit_sm${where} answered ${describeStatus(header.status)}`;
      if (header.status === ESME_RTHROTTLED) {
        const pause = this.throttled();
        return { status: 'retry', reason: `SMSC is throttling this bind: ${what}; sending paused ${pause} ms`, retryAfterMs: pause };
      }
      if (s.kind === 'temporary') {
        if (header.status === ESME_RINVBNDSTS) link.destroy(`the SMSC does not consider us bound (${s.name})`);
        return { status: 'retry', reason: what, retryAfterMs: s.retryAfterMs };
      }
      this.forget(job.id);
      return { status: 'failed', reason: what };
    }
    return this.sent(p);
  }

  private sent(p: SmppPushRecord): SubmitOutcome {
    const segments: SegmentReceipt[] = p.ids.map((id) => (id ? { reference: id, via: this.via } : { via: this.via }));
    return { status: 'sent', segments };
  }

  private submitFields(destination: SmppAddress, part: SmsSubmitTpdu, receipts: boolean): Record<string, unknown> {
    return {
      service_type: this.o.serviceType,
      source_addr_ton: this.source.ton,
      source_addr_npi: this.source.npi,
      source_addr: this.source.addr,
      dest_addr_ton: destination.ton,
      dest_addr_npi: destination.npi,
      destination_addr: destination.addr,
      esm_class: part.udh ? 0x40 : 0x00, // UDHI; default SMSC mode
      protocol_id: 0,
      priority_flag: 0,
      schedule_delivery_time: '',
      validity_period: '',
      registered_delivery: receipts ? 0x01 : 0x00, // SMSC receipt on final success or failure
      replace_if_present_flag: 0,
      data_coding: 0x04, // 8-bit data
      sm_default_msg_id: 0,
      short_message: shortMessageOf(part),
    };
  }

  /** ESME_RTHROTTLED: every submission waits, longer each time in a row (1 s doubling to 30 s). */
  private throttled(): number {
    const pause = Math.min(1000 * 2 ** this.throttleLevel, THROTTLE_MAX_MS);
    this.throttleLevel = Math.min(this.throttleLevel + 1, 16);
    this.pacer.hold(pause);
    return pause;
  }

  private takeRef(): number {
    this.nextRef = (this.nextRef + 1) & 0xff;
    return this.nextRef;
  }

  // ------------------------------------------------------------------ the journal

  /** Writes a push's record; false (and a log line) when the store refused it. */
  private async record(jobId: string, p: SmppPushRecord): Promise<boolean> {
    if (!this.journal) return true;
    try {
      await this.journal.put(jobId, p);
      return true;
    } catch (err) {
      this.log.error({ err, job: jobId }, 'SMPP journal write failed');
      return false;
    }
  }

  /** Drops a push: sent again from scratch if it comes back, its receipts no longer awaited. */
  private forget(jobId: string): void {
    this.tracker.forget(jobId);
    void this.unrecord(jobId);
  }

  /** Drops a push's record (its outcome is final; the tracker answers late receipts while it can). */
  private async unrecord(jobId: string): Promise<void> {
    if (!this.pushes.delete(jobId) || !this.journal) return;
    await this.journal.remove(jobId).catch((err: unknown) => this.log.error({ err, job: jobId }, 'SMPP journal removal failed'));
  }

  /** Whether a push's record is of no more use: a half-sent push waited too long to be resumed,
   *  a whole one was not retried by a crashed relay in time, or its receipts are not coming. */
  private stale(p: SmppPushRecord, now: number): boolean {
    const age = now - p.at;
    if (p.states === null || p.ids.some((id) => id === null)) return age > this.o.resumeWithinMs;
    return age > this.o.receiptWindowMs;
  }

  /** At start-up: what the journal says was sent, and whose receipts are awaited. */
  private restore(): void {
    if (!this.journal) return;
    const now = this.now();
    let kept = 0;
    for (const [jobId, p] of this.journal.entries()) {
      this.pushes.set(jobId, p);
      if (this.stale(p, now)) {
        this.forget(jobId);
        continue;
      }
      if (p.states) this.tracker.restore(jobId, p.ids, p.states);
      kept++;
    }
    this.capPushes();
    if (kept) this.log.info({ pushes: kept }, 'SMPP pushes read back from the journal');
  }

  private prune(): void {
    const now = this.now();
    for (const [jobId, p] of this.pushes) if (this.stale(p, now)) this.forget(jobId);
    this.capPushes();
  }

  /** Bounded like the tracker: past it, the pushes least recently changed are forgotten. */
  private capPushes(): void {
    if (this.pushes.size <= TRACKED_JOBS) return;
    const oldest = [...this.pushes].sort((a, b) => a[1].at - b[1].at).slice(0, this.pushes.size - TRACKED_JOBS);
    this.log.warn({ forgotten: oldest.length }, 'more SMPP pushes awaiting receipts than can be tracked; the oldest are forgotten');
    for (const [jobId] of oldest) this.forget(jobId);
  }

  // ------------------------------------------------------------------ receiving

  private request(link: SmppLink, header: PduHeader, frame: Buffer): void {
    if (header.id === CMD.unbind) {
      link.respond('unbind_resp', header.sequence, 0);
      link.finish('the SMSC unbound');
      return;
    }
    const resp = header.id === CMD.data_sm ? 'data_sm_resp' : 'deliver_sm_resp';
    let answered = false;
    const answer = (status: number): void => {
      if (answered) return;
      answered = true;
      link.respond(resp, header.sequence, status);
    };
    try {
      this.shortMessage(frame, answer);
    } catch (err) {
      // a bug, not the input (that is refused with its own status): the SMSC tries again later
      this.log.error({ err, sequence: header.sequence }, `${resp.replace('_resp', '')} could not be handled`);
      answer(ESME_RSYSERR);
    }
  }

  private shortMessage(frame: Buffer, answer: (status: number) => void): void {
    let pdu: ShortMessagePdu;
    try {
      pdu = readShortMessagePdu(frame);
    } catch (e) {
      if (!(e instanceof SmppBodyError)) throw e;
      this.log.warn({ err: e.message }, 'unreadable deliver_sm / data_sm refused');
      answer(e.status);
      return;
    }
    if (isReceipt(pdu.esmClass)) {
      // answered once recorded: an SMSC delivers an unanswered receipt again, after our restart too
      this.receipt(pdu).then(
        (ok) => answer(ok ? 0 : ESME_RSYSERR),
        (err: unknown) => {
          this.log.error({ err }, 'delivery receipt could not be handled');
          answer(ESME_RSYSERR);
        },
      );
      return;
    }
    if ((pdu.esmClass & 0x3c) !== 0) {
      // SME delivery / manual acknowledgements: nothing we asked for
      this.log.info({ esmClass: pdu.esmClass, from: pdu.source.addr }, 'SME acknowledgement ignored');
      answer(0);
      return;
    }
    this.incoming(pdu, answer);
  }

  /** Resolves false when the receipt could not be recorded (the SMSC is to deliver it again). */
  private receipt(pdu: ShortMessagePdu): Promise<boolean> {
    const r = readReceipt(pdu);
    if (!r) {
      this.log.warn({ from: pdu.source.addr }, 'delivery receipt without a message id ignored');
      return Promise.resolve(true);
    }
    const out = this.tracker.receipt(r, this.now());
    this.log.info({ messageId: r.messageId, state: r.state, error: r.error, job: out.jobId, segment: out.segment }, out.jobId ? 'delivery receipt' : 'delivery receipt for no job we know yet (or sent before a restart)');
    return this.reportOf(out);
  }

  /**
   * Keeps the journal's receipt states (a final outcome drops the record), then hands a new
   * report to the listeners. False when the journal could not take it.
   */
  private async reportOf(out: TrackOutcome | null): Promise<boolean> {
    let ok = true;
    const p = out?.jobId ? this.pushes.get(out.jobId) : undefined;
    if (out?.jobId && p?.states) {
      p.states = this.tracker.statesOf(out.jobId) ?? p.states;
      const final = out.report && out.report.status !== 'pending';
      if (final && p.ids.every((id) => id !== null)) await this.unrecord(out.jobId);
      else ok = await this.record(out.jobId, p);
    }
    if (!out?.report) return ok;
    for (const l of this.reportListeners) {
      try {
        l(out.report);
      } catch (err) {
        this.log.error({ err }, 'status report listener failed');
      }
    }
    return ok;
  }

  private incoming(pdu: ShortMessagePdu, answer: (status: number) => void): void {
    let ud;
    try {
      ud = readUserData(pdu.message, pdu.esmClass, pdu.dataCoding, this.o.defaultAlphabet);
    } catch (e) {
      if (!(e instanceof SmppBodyError) && !(e instanceof CodecError)) throw e;
      this.log.warn({ err: e.message, from: pdu.source.addr, dataCoding: pdu.dataCoding }, 'incoming short message cannot be read; refused');
      answer(e instanceof SmppBodyError ? e.status : ESME_RX_P_APPN);
      return;
    }
    if (ud.note) this.log.warn({ from: pdu.source.addr, note: ud.note }, 'incoming short message read otherwise than announced');
    let concat = ud.udh?.concat ?? null;
    if (concat === null) {
      const ref = tlvInt(pdu.tlvs, TLV.sar_msg_ref_num);
      const total = tlvInt(pdu.tlvs, TLV.sar_total_segments);
      const seq = tlvInt(pdu.tlvs, TLV.sar_segment_seqnum);
      if (ref !== undefined && total !== undefined && seq !== undefined && total >= 1 && seq >= 1 && seq <= total) {
        concat = { ref, total, seq, refBits: 16 };
      }
    }
    let ports = ud.udh?.ports ?? null;
    const dp = tlvInt(pdu.tlvs, TLV.destination_port);
    if (ports === null && dp !== undefined) ports = { dest: dp, src: tlvInt(pdu.tlvs, TLV.source_port) ?? 0 };
    const part = { source: pdu.source, destination: pdu.destination, concat, ports, answer };
    this.inbound.add(ud.text !== undefined ? { ...part, text: ud.text } : { ...part, data: ud.data });
  }

  private async hand(sms: IncomingSms): Promise<void> {
    if (this.incomingListeners.size === 0) throw new Error('nothing takes incoming SMS on this bearer');
    await Promise.all([...this.incomingListeners].map((l) => l(sms)));
  }

  // ------------------------------------------------------------------ closing

  /**
   * Graceful: incoming messages being handed over are answered, then unbind (waiting for the
   * answer), then the connection ends. Parts held for incomplete messages stay unanswered, so
   * the SMSC delivers them again to the next bind.
   */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.closing = true;
      clearInterval(this.sweepTimer);
      this.keeper.stopping();
      await Promise.race([this.inbound.idle(), new Promise((r) => setTimeout(r, this.o.responseTimeoutMs).unref?.())]);
      this.inbound.close();
      await this.keeper.close();
      this.removeAllListeners();
    })();
    return this.closed;
  }
}
