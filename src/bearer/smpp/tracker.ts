// Correlates delivery receipts with jobs: each segment's message_id (from submit_sm_resp) maps
// to its job, and a job's status is reported once every segment is delivered, or as soon as
// one has failed for good (the phone cannot put the push together without it).
//
// SMSCs are known to quote the message_id in receipts in another base than submit_sm_resp gave
// it (hex there, decimal here, or the reverse, with or without leading zeros); when the exact
// id is unknown, the number it spells is tried, and used only if it names a single segment.
// A receipt may also overtake the submit_sm_resp it is about (an SMSC that delivers locally can
// write the receipt first): receipts for unknown ids wait a minute for their segment.
// Kept in memory and bounded; the bearer's journal (journal.ts) restores it after a restart.
import type { StatusReport } from '../../relay/bearer.js';
import type { Receipt } from './receipt.js';

interface JobRecord {
  jobId: string;
  ids: (string | undefined)[];
  states: (Receipt['status'] | undefined)[];
  /** The final status already reported. */
  reported: 'delivered' | 'failed' | null;
}

interface SegmentRef {
  job: JobRecord;
  index: number;
}

export interface TrackOutcome {
  /** The job's report, when this receipt changes what can be said about it. */
  report: StatusReport | null;
  /** The job and segment (1-based), null when the message id is not one of ours. */
  jobId: string | null;
  segment: number | null;
}

/** Jobs whose receipts are still awaited, at most. */
export const TRACKED_JOBS = 10_000;

const HEX = /^[0-9a-f]+$/i;
const DEC = /^[0-9]+$/;

/** The numbers an id may spell: as hex and, when all digits, as decimal. */
function numbers(id: string): string[] {
  if (id.length > 32) return [];
  const out: string[] = [];
  if (HEX.test(id)) out.push(BigInt(`0x${id}`).toString());
  if (DEC.test(id)) out.push(BigInt(id).toString());
  return out;
}

export class ReceiptTracker {
  private readonly jobs = new Map<string, JobRecord>();
  private readonly exact = new Map<string, SegmentRef>();
  /** number -> segment, or null when two segments spell the same number. */
  private readonly byNumber = new Map<string, SegmentRef | null>();

  /** Receipts that named no known segment yet, by exact id and by number, oldest first. */
  private readonly orphans = new Map<string, { r: Receipt; at: number }>();

  constructor(
    private readonly maxJobs = TRACKED_JOBS,
    private readonly orphanMs = 60_000,
  ) {}

  get size(): number {
    return this.jobs.size;
  }

  /**
   * Segment `index` (0-based) of `total` of a job was accepted under `messageId`. Returns what a
   * receipt that came before it says, if one did.
   */
  sent(jobId: string, index: number, total: number, messageId: string, at: number): TrackOutcome | null {
    let job = this.jobs.get(jobId);
    if (job && job.ids.length !== total) {
      this.forget(jobId);
      job = undefined;
    }
    if (!job) {
      job = { jobId, ids: new Array<string | undefined>(total).fill(undefined), states: new Array<Receipt['status'] | undefined>(total).fill(undefined), reported: null };
      this.jobs.set(jobId, job);
      this.evict();
    }
    this.index(job, index, messageId);
    return this.adopt(messageId, at);
  }

  /** A job read back from the journal: its accepted segments' ids and the states known so far. */
  restore(jobId: string, ids: readonly (string | null)[], states: readonly (Receipt['status'] | null)[]): void {
    this.forget(jobId);
    const job: JobRecord = { jobId, ids: ids.map(() => undefined), states: states.map((s) => s ?? undefined), reported: null };
    if (job.states.some((s) => s === 'failed')) job.reported = 'failed';
    else if (job.states.every((s) => s === 'delivered')) job.reported = 'delivered';
    this.jobs.set(jobId, job);
    ids.forEach((id, i) => {
      if (id) this.index(job, i, id);
    });
    this.evict();
  }

  /** The receipt state of each segment of a job (null: none yet), undefined for a job not tracked. */
  statesOf(jobId: string): (Receipt['status'] | null)[] | undefined {
    return this.jobs.get(jobId)?.states.map((s) => s ?? null);
  }

  private index(job: JobRecord, index: number, messageId: string): void {
    job.ids[index] = messageId;
    const ref = { job, index };
    this.exact.set(messageId.toLowerCase(), ref);
    for (const n of numbers(messageId)) {
      const prior = this.byNumber.get(n);
      this.byNumber.set(n, prior === undefined || prior?.job === job ? ref : null);
    }
  }

  private adopt(messageId: string, at: number): TrackOutcome | null {
    const keys = [`s:${messageId.toLowerCase()}`, ...numbers(messageId).map((n) => `n:${n}`)];
    for (const k of keys) {
      const o = this.orphans.get(k);
      if (!o || at - o.at > this.orphanMs) continue;
      for (const [key, v] of this.orphans) if (v === o) this.orphans.delete(key);
      const out = this.receipt(o.r, o.at);
      if (out.jobId !== null) return out;
    }
    return null;
  }

  private keepOrphan(r: Receipt, at: number): void {
    const entry = { r, at };
    this.orphans.set(`s:${r.messageId.toLowerCase()}`, entry);
    for (const n of numbers(r.messageId)) this.orphans.set(`n:${n}`, entry);
    for (const [k, v] of this.orphans) {
      if (this.orphans.size <= 3000 && at - v.at <= this.orphanMs) break;
      this.orphans.delete(k);
    }
  }

  /** Drops a job (it is sent again from scratch, under new message ids). */
  forget(jobId: string): void {
    const job = this.jobs.get(jobId);
    if (!job) return;
    this.jobs.delete(jobId);
    for (const id of job.ids) {
      if (id === undefined) continue;
      if (this.exact.get(id.toLowerCase())?.job === job) this.exact.delete(id.toLowerCase());
      for (const n of numbers(id)) if (this.byNumber.get(n)?.job === job) this.byNumber.delete(n);
    }
  }

  private evict(): void {
    while (this.jobs.size > this.maxJobs) {
      const oldest = this.jobs.keys().next().value as string;
      this.forget(oldest);
    }
  }

  private find(messageId: string): SegmentRef | undefined {
    const hit = this.exact.get(messageId.toLowerCase());
    if (hit) return hit;
    const found = new Set<SegmentRef>();
    for (const n of numbers(messageId)) {
      const ref = this.byNumber.get(n);
      if (ref === null) return undefined;
      if (ref) found.add(ref);
    }
    return found.size === 1 ? [...found][0] : undefined;
  }

  /** Records a receipt; returns the job's report when there is something new to say. */
  receipt(r: Receipt, at: number): TrackOutcome {
    const ref = this.find(r.messageId);
    if (!ref) {
      this.keepOrphan(r, at);
      return { report: null, jobId: null, segment: null };
    }
    const { job, index } = ref;
    const total = job.ids.length;
    const where = total > 1 ? `segment ${index + 1}/${total}: ` : '';
    const detail = `${where}${r.state ?? 'unknown state'}${r.error ? ` err:${r.error}` : ''} (message_id ${r.messageId})`;
    const out: TrackOutcome = { report: null, jobId: job.jobId, segment: index + 1 };
    if (job.reported) return out; // the job's outcome is already known
    // a final state is not taken back by a late intermediate notification
    if (job.states[index] !== 'delivered' && job.states[index] !== 'failed') job.states[index] = r.status;
    if (r.status === 'failed') {
      job.reported = 'failed';
      out.report = { jobId: job.jobId, status: 'failed', at, detail };
    } else if (job.states.every((s) => s === 'delivered')) {
      job.reported = 'delivered';
      out.report = { jobId: job.jobId, status: 'delivered', at, detail: total > 1 ? `all ${total} segments delivered` : detail };
    } else if (r.status === 'pending') {
      out.report = { jobId: job.jobId, status: 'pending', at, detail };
    }
    return out;
  }
}
