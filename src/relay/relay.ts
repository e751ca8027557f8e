// The MMS Relay: accepts MMs, keeps one delivery per recipient moving through its state
// machine, notifies, serves retrievals, sends delivery and read reports, expires what is
// never fetched. Every change is one durable LMDB transaction that also updates the
// schedule index and the outbox, so a process killed at any instant resumes exactly there:
// a due action is either not done (still scheduled) or done (state moved, push queued).
import type { Logger } from 'pino';
import { clockFromNow, describeDelta, type Clock, type ClockStep } from '../clock/clock.js';
import type { EncodedString, MmsPart, MmsPdu, ReadStatus, Status } from '../codec/mms/index.js';
import { encodeMms } from '../codec/mms/index.js';
import type { Config } from '../config/schema.js';
import type { ScheduleKey, Store } from '../store/store.js';
import { describeWriteFailure, isWriteFailure } from '../store/write-failures.js';
import type { AddressField, Delivery, DeliveryKey, OutboxItem, OutboxKind, PartMeta, StoredMessage } from '../store/types.js';
import { classify, normaliseNumber, plmn, sameNumber, type AddressPolicy } from './address.js';
import type { Bearer, IncomingSms, StatusReport } from './bearer.js';
import { newMessageId, newTid, newToken } from './ids.js';
import * as P from './pdus.js';
import { reanchor, snapshotSchedule, type KeptSchedule } from './reanchor.js';
import { FETCHABLE, FINAL, transition } from './state.js';

export interface RelayOptions {
  config: Config;
  store: Store;
  bearer: Bearer;
  log: Logger;
  /**
   * The process's clock (src/clock): continuous between its checks; a step moves the schedule
   * with it. Default: one made of `now`.
   */
  clock?: Clock;
  /** Milliseconds since the epoch, for tests that drive time by hand (a clock that never steps). */
  now?: () => number;
  /**
   * What the store holds was scheduled by an earlier run on a trusted clock, and this run's
   * clock is not trusted yet: steps until it is move only what this run schedules.
   */
  scheduledOnTrustedClock?: boolean;
}

/** What MM1 hands over for an m-send.req (sender already identified). */
export interface SubmitRequest {
  /** International or national MSISDN of the identified sender. */
  sender: string;
  pdu: MmsPdu;
  /** Octets of the whole m-send.req (X-Mms-Message-Size of the notification). */
  size: number;
}

export type SubmitResult =
  | { status: 'Ok'; messageId: string; duplicate: boolean; rejected: { address: string; reason: string }[] }
  | { status: 'Error-permanent-message-format-corrupt' | 'Error-permanent-content-not-accepted' | 'Error-permanent-failure' | 'Error-permanent-sending-address-unresolved' | 'Error-transient-failure'; text: string };

/**
 * The phone behind a fetch or a confirmation, as the ingress identified it. One that is not the
 * recipient never has its fetch counted as the recipient's retrieval; with `refuse` it is
 * refused outright (fetch and confirmation). Without `refuse` (an identity that may be stale,
 * or mm1.retrieval.recipientOnly off) its confirmation still counts: the phone holds the
 * notification's TID.
 */
export interface Requester {
  msisdn: string;
  refuse: boolean;
}

export type RetrieveResult =
  | { found: true; pdu: Uint8Array; messageId: string; delivery: DeliveryKey; recipient: string; counted: boolean; stranger: boolean }
  | { found: false; pdu: Uint8Array; reason: string; unknown?: boolean; refused?: { recipient: string } };

/** What became of an m-notifyresp.ind / m-acknowledge.ind. */
export interface ConfirmResult {
  changed: boolean;
  /** The delivery's recipient, when the requester is someone else. */
  stranger?: string;
  /** Refused: a requester who is not the recipient, with `refuse`. */
  refused?: boolean;
}

export class Relay {
  readonly store: Store;
  private readonly cfg: Config;
  private readonly bearer: Bearer;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly now: () => number;
  private readonly policy: AddressPolicy;
  /** The schedule's move for the last clock step (a tick waits for it before reading what is due). */
  private reanchoring: Promise<void> = Promise.resolve();
  private kept: KeptSchedule | null = null;
  private unlistenClock: (() => void) | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private ticking: Promise<void> | null = null;
  private again = false;
  private readonly inFlight = new Set<string>();
  /** Payload commits of submissions in progress (a re-sent transaction waits for the first). */
  private readonly pendingParts = new Map<string, Promise<unknown>>();
  private readonly inFlightDone = new Set<Promise<void>>();
  /** Scheduler steps that failed in a row (the store could not write): the next waits longer. */
  private tickFailures = 0;

  constructor(o: RelayOptions) {
    this.cfg = o.config;
    this.store = o.store;
    this.bearer = o.bearer;
    this.log = o.log;
    this.clock = o.clock ?? clockFromNow(o.now ?? Date.now);
    this.now = () => this.clock.now();
    this.policy = o.config.relay;
    if (o.scheduledOnTrustedClock && !this.clock.trusted) this.kept = snapshotSchedule(this.store);
    this.unlistenClock = this.clock.onStep((step) => this.clockStepped(step));
    this.bearer.onStatusReport?.((r) => void this.onStatusReport(r).catch((e: unknown) => this.log.error({ err: e, job: r.jobId }, 'status report not recorded')));
    this.bearer.onIncoming?.((sms) => this.incoming(sms));
  }

  /** An SMS a phone sent us: kept in the inbox (SMS-to-e-mail, MM3, takes it from there). */
  private async incoming(sms: IncomingSms): Promise<void> {
    const fresh = await this.store.tx(() => {
      if (this.store.inbox.get(sms.id)) return false;
      this.store.inbox.putSync(sms.id, sms);
      return true;
    });
    if (fresh) {
      this.log.info({ id: sms.id, from: sms.from, to: sms.to, via: sms.via, chars: sms.text?.length, octets: sms.data?.length, ports: sms.ports, missingParts: sms.missingParts }, 'SMS received');
    }
  }

  // ------------------------------------------------------------------ submission (m-send.req)

  async submit(req: SubmitRequest): Promise<SubmitResult> {
    const { pdu } = req;
    const tid = pdu.transactionId;
    if (!tid) return { status: 'Error-permanent-message-format-corrupt', text: 'X-Mms-Transaction-Id is missing' };
    const recipients: { field: AddressField; value: EncodedString }[] = [];
    for (const field of ['to', 'cc', 'bcc'] as const) for (const value of pdu[field] ?? []) recipients.push({ field, value });
    if (recipients.length === 0) return { status: 'Error-permanent-message-format-corrupt', text: 'no recipient (To, Cc or Bcc)' };
    if (recipients.length > 100) return { status: 'Error-permanent-content-not-accepted', text: `${recipients.length} recipients, at most 100` };

    const senderNumber = normaliseNumber(req.sender, this.policy);
    if (!senderNumber) return { status: 'Error-permanent-sending-address-unresolved', text: `sender ${req.sender} is not a phone number` };
    const sender = `${senderNumber}/TYPE=PLMN`;

    const classified = recipients.map((r) => ({ ...r, c: classify(r.value, this.policy) }));
    const bad = classified.find((r) => !r.c.ok);
    if (bad && !bad.c.ok) return { status: 'Error-permanent-message-format-corrupt', text: bad.c.reason };
    const routed = classified as { field: AddressField; value: EncodedString; c: Extract<(typeof classified)[number]['c'], { ok: true }> }[];
    // one delivery per distinct recipient, whichever field named it first
    const seen = new Set<string>();
    const unique = routed.filter((r) => (seen.has(r.c.canonical) ? false : (seen.add(r.c.canonical), true)));
    if (unique.every((r) => r.c.route.kind === 'reject')) {
      const reasons = unique.map((r) => (r.c.route.kind === 'reject' ? r.c.route.reason : '')).join('; ');
      return { status: 'Error-permanent-failure', text: `no recipient can be reached: ${reasons}` };
    }

    // The store is full (disk or map) or cannot write: new messages wait, stored ones go on. A
    // re-sent transaction that was stored before still gets its Ok (nothing to write for it).
    const refusal = this.store.capacity.refusal(req.size);
    if (refusal) {
      const prior = this.store.idempotency.get([sender, tid]);
      if (prior && this.store.messages.get(prior.messageId) && !this.pendingParts.has(prior.messageId)) {
        this.log.info({ messageId: prior.messageId, sender, tid }, 'm-send.req re-sent: same Message-ID');
        return { status: 'Ok', messageId: prior.messageId, duplicate: true, rejected: [] };
      }
      this.log.debug({ sender, tid, size: req.size, why: refusal }, 'message refused: the store cannot take new messages now');
      return { status: 'Error-transient-failure', text: refusal };
    }

    const now = this.now();
    const expiresAt = this.expiry(pdu, now);
    const deliverAt = Math.min(this.absolute(pdu.deliveryTime, now) ?? now, expiresAt);
    const { headers, parts, data, multipart } = splitBody(pdu);

    // The payloads (the bulk) go to their own environment in a transaction that commits in
    // parallel with the records; the phone hears Ok only once both are durable (Store.recover()
    // removes a message whose payloads did not make it). A re-sent transaction finds the first
    // message and waits for its payloads too.
    const id = newMessageId(this.cfg.mmsc.domain, now);
    const payloads = data.length
      ? this.store.partsTx(() => data.forEach((bytes, i) => this.store.parts.putSync([id, i], Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))))
      : Promise.resolve();
    // handled below, after the records' commit; until then a failure must not count as unhandled
    payloads.catch(() => undefined);
    this.pendingParts.set(id, payloads);
    const notStored = { status: 'Error-transient-failure', text: 'the message could not be stored; try again' } as const;
    let result: SubmitResult;
    try {
      const records = this.store.tx((): SubmitResult => {
        const prior = this.store.idempotency.get([sender, tid]);
        if (prior && this.store.messages.get(prior.messageId)) {
          return { status: 'Ok', messageId: prior.messageId, duplicate: true, rejected: [] };
        }
        const msg: StoredMessage = {
          id,
          acceptedAt: now,
          sender,
          senderTid: tid,
          senderVersion: pdu.mmsVersion ?? '1.0',
          headers,
          parts,
          multipart,
          size: req.size,
          expiresAt,
          deliverAt,
          deliveryReport: pdu.deliveryReport === true,
          readReport: pdu.readReport === true,
          hideSender: pdu.senderVisibility === 'Hide',
          recipients: unique.length,
        };
        this.store.messages.putSync(id, msg);
        unique.forEach((r, index) => {
          let d: Delivery = {
            messageId: id,
            index,
            recipient: r.c.canonical,
            field: r.field,
            route: r.c.route,
            state: 'accepted',
            // local: notify at Delivery-Time; held for a gateway: act at expiry; rejected: now
            nextAt: r.c.route.kind === 'local' ? deliverAt : r.c.route.kind === 'reject' ? now : expiresAt,
            notifications: 0,
            tid: this.uniqueTid(),
            token: newToken(),
            reportAllowed: true,
            history: [{ state: 'accepted', at: now }],
          };
          this.store.tids.putSync(d.tid, [id, index]);
          this.store.tokens.putSync(d.token, [id, index]);
          // its delivery report is the scheduler's: it waits for the payloads' commit, and is
          // never queued for a message taken back because they failed
          if (r.c.route.kind === 'reject') d = transition(d, 'rejected', now, { outcome: 'unroutable', nextAt: now }, r.c.route.reason);
          this.store.putDelivery(d);
        });
        this.store.putIdempotency(sender, tid, { messageId: id, at: now }, now + this.cfg.relay.idempotencyWindow);
        const rejected = unique
          .filter((r) => r.c.route.kind === 'reject')
          .map((r) => ({ address: r.c.canonical, reason: r.c.route.kind === 'reject' ? r.c.route.reason : '' }));
        return { status: 'Ok', messageId: id, duplicate: false, rejected };
      });
      try {
        result = await records;
      } catch (e) {
        this.log.error({ err: e, messageId: id }, 'message records could not be stored');
        // the payloads' commit runs on: take them back before answering (recover() would, at start-up)
        if (data.length) await payloads.then(() => this.store.dropParts(id, data.length)).catch(() => undefined);
        return notStored;
      }
      try {
        await payloads;
      } catch (e) {
        this.log.error({ err: e, messageId: id }, 'message payloads could not be stored');
        if (result.status === 'Ok' && !result.duplicate) {
          const unaccepted = await this.commit('take back a message whose payloads failed', () => this.unaccept(id, sender, tid));
          if ('kept' in unaccepted) {
            // not written yet: until it is, the message stays "pending" (the scheduler keeps off
            // it) and a re-send of the transaction hears that it was not stored
            const takenBack = unaccepted.kept.finally(() => this.pendingParts.delete(id)).then(() => Promise.reject(new Error('taken back')));
            takenBack.catch(() => undefined);
            this.pendingParts.set(id, takenBack);
          }
        }
        return notStored;
      }
      if (result.status === 'Ok' && result.duplicate) {
        if (data.length) void this.store.dropParts(id, data.length).catch(() => undefined); // ours were not needed
        // the first submission's payloads: if they failed, that message is being taken back
        const first = this.pendingParts.get(result.messageId) ?? Promise.resolve();
        if (!(await first.then(() => true, () => false))) return notStored;
      }
    } finally {
      if (this.pendingParts.get(id) === payloads) this.pendingParts.delete(id);
    }
    if (result.status === 'Ok') {
      const held = unique.filter((r) => r.c.route.kind === 'mm3' || r.c.route.kind === 'mm4').map((r) => r.c.canonical);
      this.log.info({ messageId: result.messageId, sender, tid, recipients: unique.length, duplicate: result.duplicate, rejected: result.rejected, held }, result.duplicate ? 'm-send.req re-sent: same Message-ID' : 'message accepted');
      if (held.length && !result.duplicate) this.log.warn({ messageId: result.messageId, held }, 'recipients held for a gateway that is not configured (MM3 e-mail / MM4): they wait until it is, or expire with a delivery report');
      this.wake();
    }
    return result;
  }

  /** Takes back an accepted message whose payloads failed (inside a transaction). */
  private unaccept(id: string, sender: string, tid: string): void {
    const rec = this.store.idempotency.get([sender, tid]);
    if (rec?.messageId === id) this.store.removeIdempotency(sender, tid, rec.at + this.cfg.relay.idempotencyWindow);
    this.store.removeMessage(id);
  }

  /** min(requested expiry, operator maximum); default when absent. */
  private expiry(pdu: MmsPdu, now: number): number {
    const max = now + this.cfg.relay.maxExpiry;
    const asked = this.absolute(pdu.expiry, now) ?? now + this.cfg.relay.defaultExpiry;
    return Math.max(now + 1000, Math.min(asked, max));
  }

  private absolute(t: MmsPdu['expiry'], now: number): number | undefined {
    if (!t) return undefined;
    return 'relative' in t ? now + t.relative * 1000 : t.absolute * 1000;
  }

  private uniqueTid(): string {
    for (;;) {
      const t = newTid();
      if (!this.store.tids.get(t)) return t;
    }
  }

  // ------------------------------------------------------------------ retrieval (GET)

  /** The m-retrieve.conf a GET would return, without counting it as a retrieval (HTTP HEAD). */
  peek(token: string, by?: Requester): Promise<RetrieveResult> {
    return this.retrieve(token, { peek: true, by });
  }

  async retrieve(token: string, o: { phoneVersion?: string; peek?: boolean; by?: Requester } = {}): Promise<RetrieveResult> {
    await this.reanchoring; // a clock step's move of the expiries commits first (a few ms)
    const now = this.now();
    const ours = this.cfg.mmsc.mmsVersion;
    const d = this.store.deliveryByToken(token);
    const msg = d && this.store.messages.get(d.messageId);
    const gone = (reason: string): Extract<RetrieveResult, { found: false }> => ({
      found: false,
      reason,
      pdu: P.retrieveError(P.lowerVersion(d?.version ?? o.phoneVersion, ours), now, 'Error-permanent-message-not-found', 'Message not found or expired'),
    });
    if (!d || !msg) return { ...gone('unknown token'), unknown: true };
    // checked before anything else, so a stranger learns nothing of the message's state
    const stranger = o.by !== undefined && !sameNumber(o.by.msisdn, d.recipient, this.policy);
    if (stranger && o.by?.refuse) {
      const text = 'This message is for another subscriber';
      return { found: false, reason: 'not the recipient', refused: { recipient: d.recipient }, pdu: P.retrieveError(P.lowerVersion(d.version ?? o.phoneVersion, ours), now, 'Error-permanent-service-denied', text) };
    }
    const peek = o.peek === true || stranger;
    const live = FETCHABLE.has(d.state) || ((d.state === 'acknowledged' || (d.state === 'reported' && d.outcome === 'acknowledged')) && now < msg.expiresAt);
    if (!live || now >= msg.expiresAt) return gone(`delivery is ${d.state}${d.outcome ? `/${d.outcome}` : ''}`);
    const parts: { data: Uint8Array }[] = [];
    for (let i = 0; i < msg.parts.length; i++) {
      const data = this.store.parts.get([msg.id, i]);
      if (!data) return gone('content purged');
      parts.push({ data });
    }
    const version = P.lowerVersion(d.version ?? o.phoneVersion, ours);
    // Deferred retrieval: ask for an m-acknowledge.ind by giving the retrieve-conf a TID.
    const ackTid = d.state === 'deferred' ? (d.retrieveTid ?? this.uniqueTid()) : undefined;
    const pdu = P.retrieveConf(msg, version, parts, ackTid, this.policy);
    if (!peek && FETCHABLE.has(d.state)) {
      // On a full disk the phone still gets its message; the state change is written later.
      await this.commit('retrieval', () => {
        const cur = this.store.deliveries.get([d.messageId, d.index]);
        if (!cur || !FETCHABLE.has(cur.state)) return;
        if (ackTid && !cur.retrieveTid) this.store.tids.putSync(ackTid, [d.messageId, d.index]);
        if (this.cfg.relay.deliveryReportOnFetch) {
          this.finish(msg, cur, 'acknowledged', now, { retrieveTid: ackTid ?? cur.retrieveTid }, 'fetched (deliveryReportOnFetch)');
        } else {
          const next = transition(cur, 'retrieved', now, { retrieveTid: ackTid ?? cur.retrieveTid, nextAt: Math.min(now + this.cfg.relay.fetchConfirmTimeout, msg.expiresAt) });
          this.store.putDelivery(next);
        }
      });
      this.wake();
    }
    const counted = !peek && FETCHABLE.has(d.state);
    this.log.info({ messageId: msg.id, recipient: d.recipient, version, bytes: pdu.length, counted, by: o.by?.msisdn }, 'message retrieved');
    return { found: true, pdu, messageId: msg.id, delivery: [d.messageId, d.index], recipient: d.recipient, counted, stranger };
  }

  // ------------------------------------------------------------------ phone confirmations

  /** m-notifyresp.ind: the answer to a notification (TID of the notification). */
  async notifyResp(tid: string, status: Status | number, reportAllowed: boolean | undefined, version: string | undefined, by?: Requester): Promise<ConfirmResult> {
    const now = this.now();
    let stranger: string | undefined;
    const changed = await this.committed('m-notifyresp.ind', false, () => {
      const d = this.store.deliveryByTid(tid);
      if (!d) return false;
      const msg = this.store.messages.get(d.messageId);
      if (!msg) return false;
      stranger = this.stranger(d, by);
      if (stranger && by?.refuse) return 'refused';
      const extra: Partial<Delivery> = { version: version ?? d.version, reportAllowed: reportAllowed ?? d.reportAllowed };
      this.rememberPhone(d, version, now);
      if (!FETCHABLE.has(d.state)) {
        this.store.putDelivery({ ...d, ...extra });
        return false;
      }
      switch (status) {
        case 'Retrieved':
          this.finish(msg, d, 'acknowledged', now, extra);
          break;
        case 'Deferred':
          this.store.putDelivery(transition(d, 'deferred', now, { ...extra, nextAt: msg.expiresAt }));
          break;
        case 'Rejected':
          this.finish(msg, d, 'rejected', now, extra);
          break;
        case 'Unrecognised':
          this.finish(msg, d, 'rejected', now, { ...extra, outcome: 'unrecognised' });
          break;
        default:
          this.store.putDelivery({ ...d, ...extra });
          return false;
      }
      return true;
    });
    this.log.info({ tid, status, reportAllowed, version, from: by?.msisdn, changed }, 'm-notifyresp.ind');
    return this.confirmed(changed, stranger);
  }

  /** m-acknowledge.ind: TID of the retrieve-conf, or (mms-engine) of the notification. */
  async acknowledge(tid: string, reportAllowed: boolean | undefined, version: string | undefined, by?: Requester): Promise<ConfirmResult> {
    const now = this.now();
    let stranger: string | undefined;
    const changed = await this.committed('m-acknowledge.ind', false, () => {
      const d = this.store.deliveryByTid(tid);
      const msg = d && this.store.messages.get(d.messageId);
      if (!d || !msg) return false;
      stranger = this.stranger(d, by);
      if (stranger && by?.refuse) return 'refused';
      this.rememberPhone(d, version, now);
      const extra: Partial<Delivery> = { version: version ?? d.version, reportAllowed: reportAllowed ?? d.reportAllowed };
      if (!FETCHABLE.has(d.state)) return false;
      this.finish(msg, d, 'acknowledged', now, extra);
      return true;
    });
    this.log.info({ tid, reportAllowed, version, from: by?.msisdn, changed }, 'm-acknowledge.ind');
    return this.confirmed(changed, stranger);
  }

  /** The recipient of `d` when `by` is someone else. */
  private stranger(d: Delivery, by: Requester | undefined): string | undefined {
    return by && !sameNumber(by.msisdn, d.recipient, this.policy) ? d.recipient : undefined;
  }

  private confirmed(changed: boolean | 'refused', stranger: string | undefined): ConfirmResult {
    if (changed === true) this.wake();
    const r: ConfirmResult = { changed: changed === true };
    if (stranger) r.stranger = stranger;
    if (changed === 'refused') r.refused = true;
    return r;
  }

  /** m-read-rec.ind from a recipient: relay it to the originator as m-read-orig.ind. */
  async readReport(readerMsisdn: string, messageId: string, status: ReadStatus | number, date: number | undefined): Promise<'relayed' | 'not-requested' | 'unknown-message' | 'not-a-recipient' | 'kept'> {
    const now = this.now();
    const reader = plmn(normaliseNumber(readerMsisdn, this.policy) ?? readerMsisdn);
    const outcome = await this.committed('m-read-rec.ind', 'kept' as const, () => {
      const msg = this.store.messages.get(messageId);
      if (!msg) return 'unknown-message' as const;
      if (!this.store.deliveriesOf(messageId).some((d) => d.recipient === reader)) return 'not-a-recipient' as const;
      if (!msg.readReport || typeof status === 'number') return 'not-requested' as const;
      const version = P.lowerVersion(this.phoneVersion(msg.sender), this.cfg.mmsc.mmsVersion);
      const pdu = P.readOrig(msg, reader, status, date ?? Math.floor(now / 1000), version);
      this.enqueue('read-report', msg.sender, encodeMms(pdu), now);
      return 'relayed' as const;
    });
    this.log.info({ messageId, reader, status, outcome }, 'm-read-rec.ind');
    if (outcome === 'relayed') this.wake();
    return outcome;
  }

  // ------------------------------------------------------------------ commits the store may not take

  /**
   * Commits a state change a phone or the bearer reported. When the store cannot write (a full
   * disk: store/capacity.ts), the change is kept and written as soon as it can (store/deferred.ts)
   * and `kept` resolves when it is; whoever reported it is answered all the same. Each such
   * change re-reads the state inside its transaction, so applying it late is right; while some
   * are kept, later ones queue behind them (an acknowledgement after the retrieval it follows).
   */
  private async commit<T>(what: string, fn: () => T): Promise<{ value: T } | { kept: Promise<boolean> }> {
    if (this.store.deferred.size === 0) {
      try {
        return { value: await this.store.tx(fn) };
      } catch (e) {
        if (!isWriteFailure(e)) throw e;
        this.log.debug({ what, error: describeWriteFailure(e) }, 'state change kept until the store can write');
      }
    }
    const kept = this.store.later(what, () => void fn());
    void kept.then((written) => written && this.wake());
    return { kept };
  }

  /** commit(), answering `whenKept` for a change not written yet. */
  private async committed<T, K>(what: string, whenKept: K, fn: () => T): Promise<T | K> {
    const r = await this.commit(what, fn);
    return 'value' in r ? r.value : whenKept;
  }

  // ------------------------------------------------------------------ state changes (inside tx)

  /** Moves a delivery to a final state, queues the delivery report if one is due, marks it reported. */
  private finish(msg: StoredMessage, d: Delivery, to: 'acknowledged' | 'rejected' | 'expired' | 'forwarded', now: number, extra: Partial<Delivery> = {}, note?: string): void {
    let next = transition(d, to, now, { ...extra, nextAt: null }, note);
    next = this.report(msg, next, now);
    this.store.putDelivery(next);
    this.maybeRetire(msg, now, next);
  }

  /** From a final state to `reported`, queueing m-delivery.ind when the originator asked for it. */
  private report(msg: StoredMessage, d: Delivery, now: number): Delivery {
    const status = REPORT_STATUS[d.outcome ?? 'rejected'];
    const due = msg.deliveryReport && d.reportAllowed && status !== undefined;
    let note = 'no delivery report requested';
    if (due) {
      const version = P.lowerVersion(this.phoneVersion(msg.sender), this.cfg.mmsc.mmsVersion);
      this.enqueue('delivery-report', msg.sender, encodeMms(P.deliveryReport(msg, d, status, now, version)), now);
      note = `delivery report ${status} queued`;
    } else if (msg.deliveryReport && !d.reportAllowed) note = 'recipient did not allow a delivery report';
    return transition(d, 'reported', now, { nextAt: null }, note);
  }

  /** When every recipient is done, drop the content now and the headers after the read-report window. */
  private maybeRetire(msg: StoredMessage, now: number, changed: Delivery): void {
    const all = this.store.deliveriesOf(msg.id).map((d) => (d.index === changed.index ? changed : d));
    if (!all.every((d) => d.state === 'reported')) return;
    this.store.messages.putSync(msg.id, { ...msg, partsPurged: true });
    if (msg.parts.length) this.store.schedule.putSync([now, 'p', msg.id], null); // payloads: their own transaction
    this.store.schedule.putSync([Math.max(now, msg.expiresAt) + this.cfg.relay.readReportWindow, 'm', msg.id], null);
  }

  /** Queues a WAP push of an MMS PDU for a phone (delivery/read reports, notifications). */
  private enqueue(kind: OutboxKind, address: string, mms: Uint8Array, now: number, delivery?: DeliveryKey, id?: string): OutboxItem | undefined {
    const to = address.replace(/\/TYPE=PLMN$/i, '');
    if (!/^\+?[0-9]+$/.test(to)) return undefined; // only phones get pushes
    const item: OutboxItem = {
      id: id ?? `${kind[0]}${newToken()}`,
      kind,
      to,
      push: P.wapPush(mms),
      createdAt: now,
      attempts: 0,
      nextAt: now,
    };
    if (delivery) item.delivery = delivery;
    this.store.putOutbox(item);
    return item;
  }

  private rememberPhone(d: Delivery, version: string | undefined, now: number): void {
    if (!version) return;
    const msisdn = d.recipient.replace(/\/TYPE=PLMN$/i, '');
    this.store.phones.putSync(msisdn, { version, seenAt: now });
  }

  private phoneVersion(address: string): string | undefined {
    return this.store.phones.get(address.replace(/\/TYPE=PLMN$/i, ''))?.version;
  }

  // ------------------------------------------------------------------ scheduler

  start(): void {
    this.running = true;
    this.wake();
  }

  /** Stops scheduling and waits for pushes in flight to settle (their results are recorded). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.unlistenClock?.();
    this.unlistenClock = null;
    await this.ticking;
    await this.reanchoring;
    await Promise.allSettled([...this.inFlightDone]);
  }

  /** Runs due work now (and again after it if more became due meanwhile). */
  wake(): void {
    if (!this.running) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.ticking = this.tick()
      .then(() => void (this.tickFailures = 0))
      .catch((e: unknown) => {
        // A store that cannot write (full disk) fails every step: logged once, retried with back-off.
        if (this.tickFailures++ === 0 || !isWriteFailure(e)) this.log.error({ err: e }, 'scheduler step failed');
      })
      .finally(() => {
        this.ticking = null;
        if (this.tickFailures > 0) this.retryTick();
        else if (this.again) {
          this.again = false;
          this.wake();
        } else this.arm();
      });
  }

  /** Resolves when nothing is running or due now (tests use it to wait for quiescence). */
  async idle(): Promise<void> {
    for (;;) {
      await this.ticking;
      await Promise.allSettled([...this.inFlightDone]);
      const next = this.store.nextDueAt();
      const dueNow = next !== undefined && next <= this.now() && this.store.due(this.now(), 64).some((k) => !(k[1] === 'o' && this.inFlight.has(k[2])));
      if (!this.ticking && this.inFlightDone.size === 0 && !dueNow) return;
      if (!this.ticking && dueNow) this.wake();
      await new Promise((r) => setImmediate(r));
    }
  }

  /** After a failed step: due work stays due, so wait (1 s doubling to 30 s) instead of spinning. */
  private retryTick(): void {
    this.again = false;
    if (!this.running) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.wake();
    }, Math.min(1000 * 2 ** (this.tickFailures - 1), 30_000));
    this.timer.unref?.();
  }

  private arm(): void {
    if (!this.running) return;
    const next = this.nextDueToAct();
    if (next === undefined) return;
    const wait = Math.max(0, Math.min(next - this.now(), 60_000));
    this.timer = setTimeout(() => {
      this.timer = null;
      this.wake();
    }, wait);
    this.timer.unref?.();
  }

  private bearerFull(): boolean {
    return this.inFlight.size >= this.cfg.relay.bearerConcurrency;
  }

  /**
   * When the scheduler next has something to do. A push in flight stays due until the bearer
   * answers (its answer wakes the scheduler), and while every slot is busy no due push can start:
   * arming the timer for those would spin. Looks a bounded way into the schedule; past that,
   * checks again in a second.
   */
  private nextDueToAct(): number | undefined {
    const full = this.bearerFull();
    let seen = 0;
    for (const k of this.store.schedule.getKeys({ limit: 512 })) {
      seen++;
      const key = k as ScheduleKey;
      if (key[1] === 'o' && (full || this.inFlight.has(key[2]))) continue;
      return key[0];
    }
    return seen === 512 ? this.now() + 1000 : undefined;
  }

  /**
   * The clock stepped (synchronously, inside its check): the move of the schedule is queued at
   * once, so that every transaction queued before it was computed on the old scale and every
   * later one on the new scale.
   */
  private clockStepped(step: ClockStep): void {
    // What an earlier run scheduled on a trusted clock stays, until this run's clock is trusted.
    const kept = this.kept && !step.wasTrusted ? this.kept : null;
    if (step.wasTrusted || step.trusted) this.kept = null;
    const moved = this.store.tx(() => reanchor(this.store, step.delta, kept));
    this.reanchoring = this.reanchoring.then(() => moved).then(
      (r) => this.log.warn({ delta: step.delta, cause: step.cause, trusted: step.trusted, ...r }, `clock stepped ${describeDelta(step.delta)} (${step.cause}): the schedule moved with it`),
      (err: unknown) => this.log.error({ err, delta: step.delta, cause: step.cause }, 'clock stepped, and the schedule could not be moved with it'),
    );
    this.wake();
  }

  private async tick(): Promise<void> {
    for (let round = 0; round < 100 && this.running; round++) {
      // Steps are noticed here (and by the periodic check): their move commits before what is due is read.
      this.clock.check();
      await this.reanchoring;
      const now = this.now();
      const due = this.store.due(now, 256).filter((k) => !(k[1] === 'o' && this.inFlight.has(k[2])));
      if (due.length === 0) return;
      const purges = due.filter((k) => k[1] === 'p');
      if (purges.length) await this.purgeParts(purges);
      const work = due.filter((k) => k[1] !== 'o' && k[1] !== 'p');
      // read again after the await: a step meanwhile moved the schedule (entries it moved are stale now)
      const at = this.now();
      if (work.length) await this.store.tx(() => work.forEach((k) => this.step(k, at)));
      for (const k of due) if (k[1] === 'o') this.dispatch(k[2]);
      if (work.length === 0 && purges.length === 0) return; // only pushes in flight or waiting for bearer capacity
    }
  }

  /** Drops finished messages' payloads (parts environment), then their schedule entries. */
  private async purgeParts(keys: ScheduleKey[]): Promise<void> {
    await this.store.partsTx(() => {
      for (const k of keys) {
        const id = k[2] as string;
        for (const pk of this.store.parts.getKeys({ start: [id, 0], end: [id, Number.MAX_SAFE_INTEGER] })) this.store.parts.removeSync(pk as [string, number]);
      }
    });
    await this.store.tx(() => keys.forEach((k) => this.store.schedule.removeSync(k)));
  }

  /** One due schedule entry, inside a transaction. Stale entries are dropped. */
  private step(key: ScheduleKey, now: number): void {
    const [at, kind] = key;
    if (kind === 'i') {
      const [, , sender, tid] = key as [number, 'i', string, string];
      this.store.schedule.removeSync(key);
      const rec = this.store.idempotency.get([sender, tid]);
      if (rec && rec.at + this.cfg.relay.idempotencyWindow <= now) this.store.idempotency.removeSync([sender, tid]);
      return;
    }
    if (kind === 'm') {
      this.store.schedule.removeSync(key);
      const id = (key as [number, 'm', string])[2];
      if (this.store.deliveriesOf(id).every((d) => d.state === 'reported')) this.store.removeMessage(id);
      return;
    }
    if (kind !== 'd') return;
    const [, , messageId, index] = key as [number, 'd', string, number];
    const d = this.store.deliveries.get([messageId, index]);
    const msg = this.store.messages.get(messageId);
    if (!d || !msg || d.nextAt !== at) {
      this.store.schedule.removeSync(key);
      return;
    }
    if (msg.parts.length && this.pendingParts.has(msg.id) && !this.store.parts.doesExist([msg.id, msg.parts.length - 1])) {
      // its payloads are still being committed (the records went first): act in a moment
      this.store.putDelivery({ ...d, nextAt: now + 100 });
      return;
    }
    if (now >= msg.expiresAt && FETCHABLE.has(d.state)) {
      if (d.state === 'retrieved') this.finish(msg, d, 'acknowledged', now, {}, 'fetched, never confirmed');
      else this.finish(msg, d, 'expired', now, {}, 'never fetched');
      return;
    }
    if (d.route.kind !== 'local' && d.state === 'accepted') {
      // held for a gateway (MM3/MM4) that is not there: nothing to do before the expiry
      this.store.putDelivery({ ...d, nextAt: msg.expiresAt });
      return;
    }
    switch (d.state) {
      case 'accepted':
      case 'notified':
        this.notify(msg, d, now);
        return;
      case 'retrieved':
        this.finish(msg, d, 'acknowledged', now, {}, 'fetched, never confirmed');
        return;
      case 'deferred':
        this.store.putDelivery({ ...d, nextAt: msg.expiresAt });
        return;
      default:
        if (FINAL.has(d.state)) {
          const next = this.report(msg, d, now);
          this.store.putDelivery(next);
          this.maybeRetire(msg, now, next);
        } else this.store.putDelivery({ ...d, nextAt: null });
    }
  }

  /** Queues the (identical) notification and schedules the next re-notification. */
  private notify(msg: StoredMessage, d: Delivery, now: number): void {
    let pdu = d.notification;
    if (!pdu) {
      const version = P.lowerVersion(d.version ?? this.phoneVersion(d.recipient), this.cfg.mmsc.mmsVersion);
      const base = this.cfg.mmsc.publicUrl.replace(/\/+$/, '');
      const url = `${base}${this.cfg.mm1.retrievePath}${d.token}`;
      pdu = encodeMms(P.notification(msg, d, { version, url, now, includeFrom: this.cfg.relay.notifyFrom, includeSubject: this.cfg.relay.notifySubject }));
    }
    const n = d.notifications + 1;
    // Stable outbox id per notification round: a replay of this step cannot queue it twice.
    this.enqueue('notification', d.recipient, pdu, now, [d.messageId, d.index], `n${d.token}.${n}`);
    const r = this.cfg.relay.renotify;
    const wait = Math.min(r.first * r.factor ** (n - 1), r.max);
    const next = transition(d, 'notified', now, { notifications: n, notification: pdu, nextAt: Math.min(now + wait, msg.expiresAt) }, n > 1 ? `re-notification ${n}` : undefined);
    this.store.putDelivery(next);
  }

  // ------------------------------------------------------------------ outbox -> bearer

  private dispatch(id: string): void {
    if (this.inFlight.has(id) || this.inFlight.size >= this.cfg.relay.bearerConcurrency) return;
    const item = this.store.outbox.get(id);
    if (!item) return;
    this.inFlight.add(id);
    const done = this.sendOne(item).finally(() => {
      this.inFlight.delete(id);
      this.inFlightDone.delete(done);
      this.wake();
    });
    this.inFlightDone.add(done);
  }

  private async sendOne(item: OutboxItem): Promise<void> {
    const attempt = item.attempts + 1;
    let outcome;
    try {
      outcome = await this.bearer.submit({ id: item.id, kind: item.kind, to: item.to, push: item.push, attempt, statusReport: item.kind === 'notification' });
    } catch (e) {
      outcome = { status: 'retry' as const, reason: `bearer error: ${(e as Error).message}` };
    }
    const now = this.now();
    const r = this.cfg.relay.outboxRetry;
    const recorded = await this.commit('push outcome', () => {
      const cur = this.store.outbox.get(item.id);
      if (!cur) return;
      if (outcome.status === 'sent') {
        this.store.removeOutbox(item.id);
        this.note(cur, now, `${cur.kind} sent via ${this.bearer.name}${outcome.segments.length > 1 ? ` in ${outcome.segments.length} SMS` : ''}`);
      } else if (outcome.status === 'retry' && attempt < r.maxAttempts) {
        const wait = outcome.retryAfterMs ?? Math.min(r.first * 2 ** (attempt - 1), r.max);
        this.store.putOutbox({ ...cur, attempts: attempt, nextAt: now + wait, lastError: outcome.reason });
      } else {
        // Permanent failure (or retries spent): quarantine out of the queue, record on the delivery.
        this.store.removeOutbox(item.id);
        this.store.quarantine.putSync(item.id, { ...cur, attempts: attempt, lastError: outcome.reason });
        this.note(cur, now, `${cur.kind} failed: ${outcome.reason}`);
      }
    });
    if ('kept' in recorded) {
      // Not written (full disk): the push keeps its slot until it is, so that it is not sent again.
      this.log.warn({ id: item.id, kind: item.kind, to: item.to, outcome: outcome.status }, 'push outcome kept until the store can write');
      await recorded.kept;
    }
    if (outcome.status === 'sent') this.log.info({ id: item.id, kind: item.kind, to: item.to, segments: outcome.segments.length }, 'push sent');
    else this.log.warn({ id: item.id, kind: item.kind, to: item.to, attempt, outcome }, 'push not sent');
  }

  private note(item: OutboxItem, now: number, text: string): void {
    if (!item.delivery) return;
    const d = this.store.deliveries.get(item.delivery);
    if (!d) return;
    this.store.putDelivery({ ...d, history: [...d.history, { state: d.state, at: now, note: text }] });
  }

  private async onStatusReport(r: StatusReport): Promise<void> {
    this.log.info(r, 'status report');
    // Notifications are keyed n<token>.<round>; record the handset delivery on the delivery.
    if (!r.jobId.startsWith('n')) return;
    const token = r.jobId.slice(1, r.jobId.lastIndexOf('.'));
    await this.commit('status report', () => {
      const d = this.store.deliveryByToken(token);
      if (d) this.store.putDelivery({ ...d, history: [...d.history, { state: d.state, at: r.at, note: `notification SMS ${r.status}${r.detail ? `: ${r.detail}` : ''}` }] });
    });
  }
}

const REPORT_STATUS: Record<string, Status | undefined> = {
  acknowledged: 'Retrieved',
  rejected: 'Rejected',
  unrecognised: 'Unrecognised',
  expired: 'Expired',
  forwarded: 'Forwarded',
  unroutable: 'Unreachable',
};

/** Separates the stored headers from the parts (metadata) and their payloads. */
function splitBody(pdu: MmsPdu): { headers: Record<string, unknown>; parts: PartMeta[]; data: Uint8Array[]; multipart: boolean } {
  // From: the identified sender is msg.sender; what the phone wrote is never kept
  const { parts, body, bcc: _bcc, bodyPdu: _bodyPdu, from: _from, ...rest } = pdu;
  const headers = rest as Record<string, unknown>;
  if (parts) {
    return { headers, parts: parts.map((p) => partMeta(p)), data: parts.map((p) => p.data ?? new Uint8Array(0)), multipart: true };
  }
  if (body) return { headers, parts: [{ contentType: pdu.contentType, headers: {}, size: body.length }], data: [body], multipart: false };
  return { headers, parts: [], data: [], multipart: false };
}

function partMeta(p: MmsPart): PartMeta {
  const { data, contentType, parts: _nested, pdu: _pdu, ...headers } = p;
  return { contentType, headers, size: data?.length ?? 0 };
}
