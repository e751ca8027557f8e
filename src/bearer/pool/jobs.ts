// The pool's durable SMS queue. A job (the relay's push, by its stable id) is cut into
// SMS-SUBMITs once, and each SMS is kept in LMDB ([job id, segment]) until the modem confirmed
// it: the +CMGS answer (TP-MR) is recorded as soon as it comes, so a job submitted again
// after a crash or a failure resumes with the segments not yet confirmed and never repeats
// one the network took. A half-sent job that must move to another modem starts a new round
// (all segments, a new concatenation reference): parts from two SIMs could never be joined.
import { createHash } from 'node:crypto';
import { CodecError } from '../../codec/errors.js';
import { encodeSms, parseAddress, pushToSms, toAtPdu } from '../../codec/sms/index.js';
import type { PushJob, SegmentReceipt } from '../../relay/bearer.js';
import type { Store } from '../../store/store.js';
import type { PoolJob, PoolSegment } from '../../store/types.js';
import { digitsOf } from './routes.js';

export interface Segment extends PoolSegment {
  seq: number;
}

export interface OpenedJob {
  rec: PoolJob;
  segs: Segment[];
}

/** The SMS of a push: 16-bit ports 9200 -> 2948, 8-bit data, concatenated when over 133 octets. */
export function cutPush(push: Uint8Array, to: string, ref: number, statusReport: boolean): { hex: string; length: number }[] {
  const parts = pushToSms(push, { destination: parseAddress(to), ref, statusReportRequest: statusReport });
  // No SMSC address (00): the SIM's own, which is the one its operator wants used.
  return parts.map((tpdu) => toAtPdu(encodeSms({ sca: null, tpdu }, { sca: false })));
}

const REF_KEY = 'pool.concatRef';

export class JobBook {
  constructor(private readonly store: Store, private readonly now: () => number) {}

  /**
   * The job with its segments: created (cut into SMS) on the first submit, the stored one when
   * the same id and push come again. Durable when this resolves. Throws CodecError when the
   * push cannot be carried by SMS (too long, a bad number).
   */
  async open(job: PushJob, statusReport: boolean): Promise<OpenedJob> {
    const hash = createHash('sha256').update(job.push).digest('base64url');
    const now = this.now();
    return this.store.tx(() => {
      const old = this.store.poolJobs.get(job.id);
      if (old && old.pushHash === hash) {
        const rec = { ...old, touchedAt: now };
        this.store.poolJobs.putSync(job.id, rec);
        return { rec, segs: this.segments(job.id) };
      }
      if (old) this.drop(job.id); // same id, other bytes: a new job
      const ref = this.nextRef();
      const pdus = cutPush(job.push, job.to, ref, statusReport);
      const rec: PoolJob = {
        id: job.id, kind: job.kind, to: job.to, pushHash: hash, createdAt: now, touchedAt: now, segments: pdus.length,
        ref: pdus.length > 1 ? ref : 0, round: 0, statusReport, modem: null, tries: 0, state: 'queued',
        reports: pdus.map(() => null),
      };
      this.store.poolJobs.putSync(job.id, rec);
      const segs = pdus.map((p, seq): Segment => ({ seq, hex: p.hex, length: p.length, round: 0, state: 'queued' }));
      for (const { seq, ...s } of segs) this.store.poolSegments.putSync([job.id, seq], s);
      return { rec, segs };
    });
  }

  /** Segments of a job, in order. */
  segments(id: string): Segment[] {
    return [...this.store.poolSegments.getRange({ start: [id, 0], end: [id, Number.MAX_SAFE_INTEGER] })].map(({ key, value }) => ({ ...value, seq: key[1] }));
  }

  /**
   * Starts the job over with a new concatenation reference: every segment queued again, no
   * modem yet. For a job whose modem went away half-way (its first parts then never join).
   */
  async restart(rec: PoolJob, push: Uint8Array): Promise<OpenedJob> {
    const now = this.now();
    return this.store.tx(() => {
      const ref = this.nextRef();
      const pdus = cutPush(push, rec.to, ref, rec.statusReport);
      const next: PoolJob = { ...rec, ref: pdus.length > 1 ? ref : 0, round: rec.round + 1, modem: null, touchedAt: now, reports: pdus.map(() => null), segments: pdus.length };
      this.store.poolJobs.putSync(rec.id, next);
      const segs = pdus.map((p, seq): Segment => ({ seq, hex: p.hex, length: p.length, round: next.round, state: 'queued' }));
      for (const { seq, ...s } of segs) this.store.poolSegments.putSync([rec.id, seq], s);
      return { rec: next, segs };
    });
  }

  /**
   * The modem answered +CMGS for a segment: it is on the network. One transaction, started at
   * once (the next segment is not held up by it); with TP-SRR, the record a status report is
   * matched against ([modem, TP-MR, recipient, time]). The last one marks the job sent.
   */
  confirm(rec: PoolJob, seq: number, modem: string, mr: number | null, at: number): Promise<void> {
    return this.store.tx(() => {
      const seg = this.store.poolSegments.get([rec.id, seq]);
      if (!seg || seg.round !== rec.round) return;
      this.store.poolSegments.putSync([rec.id, seq], { ...seg, state: 'confirmed', mr, modem, sentAt: at });
      if (rec.statusReport && mr !== null) this.store.poolSent.putSync([modem, mr, digitsOf(rec.to), at], { job: rec.id, seq, round: rec.round });
      const job = this.store.poolJobs.get(rec.id);
      if (!job || job.round !== rec.round) return;
      // The last segment confirmed: the job is sent (in this same commit).
      const done = this.segments(rec.id).every((x) => x.state === 'confirmed');
      if (job.modem !== modem || done) {
        const next: PoolJob = { ...job, modem, touchedAt: at };
        if (done) Object.assign(next, { state: 'sent', finishedAt: at });
        this.store.poolJobs.putSync(rec.id, next);
      }
    }).then(() => undefined);
  }

  /** The PDU was written but no answer came: it may be on the network (it is sent again). */
  unknown(rec: PoolJob, seq: number): Promise<void> {
    return this.store.tx(() => {
      const seg = this.store.poolSegments.get([rec.id, seq]);
      if (seg && seg.round === rec.round && seg.state === 'queued') this.store.poolSegments.putSync([rec.id, seq], { ...seg, state: 'unknown' });
    }).then(() => undefined);
  }

  /** Counts a failed attempt; resolves with the job as stored. */
  tried(rec: PoolJob, error: string): Promise<PoolJob> {
    const now = this.now();
    return this.store.tx(() => {
      const job = this.store.poolJobs.get(rec.id) ?? rec;
      const next = { ...job, tries: job.tries + 1, lastError: error, touchedAt: now };
      this.store.poolJobs.putSync(rec.id, next);
      return next;
    });
  }

  /** The job is done: sent (every segment confirmed) or failed for good. */
  finish(rec: PoolJob, state: 'sent' | 'failed', reason?: string): Promise<PoolJob> {
    const now = this.now();
    return this.store.tx(() => {
      const job = this.store.poolJobs.get(rec.id) ?? rec;
      const next: PoolJob = { ...job, state, finishedAt: now, touchedAt: now };
      if (reason !== undefined) next.reason = reason;
      this.store.poolJobs.putSync(rec.id, next);
      return next;
    });
  }

  /** What the relay gets back for a sent job: each segment's TP-MR and modem. */
  receipts(segs: Segment[]): SegmentReceipt[] {
    return segs.map((s) => {
      const r: SegmentReceipt = {};
      if (s.mr !== undefined && s.mr !== null) r.reference = s.mr;
      if (s.modem !== undefined) r.via = s.modem;
      return r;
    });
  }

  /**
   * Forgets jobs nobody asked about for `idleMs` (the relay gave up on them) and finished jobs
   * older than `keepMs` (their status reports are no longer expected). Returns how many.
   */
  async sweep(idleMs: number, keepMs: number): Promise<number> {
    const now = this.now();
    const old: string[] = [];
    for (const { key, value } of this.store.poolJobs.getRange()) {
      const done = value.state !== 'queued' && (value.finishedAt ?? value.touchedAt) < now - keepMs;
      if (done || value.touchedAt < now - idleMs) old.push(key);
    }
    if (old.length) await this.store.tx(() => old.forEach((id) => this.drop(id)));
    return old.length;
  }

  private drop(id: string): void {
    for (const key of this.store.poolSegments.getKeys({ start: [id, 0], end: [id, Number.MAX_SAFE_INTEGER] })) this.store.poolSegments.removeSync(key);
    this.store.poolJobs.removeSync(id);
  }

  /** The next 8-bit concatenation reference (inside a transaction): consecutive long pushes never share one. */
  private nextRef(): number {
    const prev = this.store.meta.get(REF_KEY);
    const ref = ((typeof prev === 'number' ? prev : Math.floor(Math.random() * 256)) + 1) & 0xff;
    this.store.meta.putSync(REF_KEY, ref);
    return ref;
  }
}

/** Whether an error from cutting a push means it can never go by SMS. */
export function isUncuttable(err: unknown): err is CodecError {
  return err instanceof CodecError;
}
