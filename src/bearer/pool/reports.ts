// Status reports back to jobs. A report names only the TP-MR (8 bits: a modem reuses it every
// 256 SMS), the recipient and times; the pool matches it by modem (the report comes back to
// the SIM that sent), TP-MR, recipient and a time window, from records kept in LMDB (a report
// may come after a restart, days later). When several SMS to the same number share a TP-MR
// within the window, the oldest still waiting for its final report is taken: an SMSC reports
// one recipient's messages in the order it took them. A job's segments are aggregated:
// delivered when every one was, failed as soon as one failed for good.
import type { Logger } from 'pino';
import { formatAddress, type SmsStatusReportTpdu } from '../../codec/sms/index.js';
import type { StatusReport } from '../../relay/bearer.js';
import type { Store } from '../../store/store.js';
import type { PoolJob, PoolSentSms } from '../../store/types.js';
import { digitsOf } from './routes.js';
import { describeTpStatus, tpStatusOutcome } from './tp-status.js';

/** Recipients compare by digits; one may carry the country code and the other not. */
function sameRecipient(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return short.length >= 6 && long.endsWith(short);
}

export type ReportResult =
  | { kind: 'matched'; job: string; seq: number; emit: StatusReport | null }
  | { kind: 'stale'; job: string }
  | { kind: 'unmatched'; why: string };

export class ReportBook {
  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    /** How long after sending a report is still expected. */
    private readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  /** Matches a report received through `modem` (its key) and updates the job; durable when resolved. */
  async take(modem: string, report: SmsStatusReportTpdu): Promise<ReportResult> {
    const now = this.now();
    const recipient = digitsOf(formatAddress(report.recipient));
    const st = report.status;
    return this.store.tx((): ReportResult => {
      let best: { key: [string, number, string, number]; value: PoolSentSms } | null = null;
      let exact = false;
      for (const { key, value } of this.store.poolSent.getRange({ start: [modem, report.mr], end: [modem, report.mr + 1] })) {
        const [, , to, sentAt] = key;
        if (sentAt < now - this.windowMs || !sameRecipient(to, recipient)) continue;
        if (value.status !== undefined && tpStatusOutcome(value.status) !== 'pending') continue; // already has its final word
        const isExact = to === recipient;
        // oldest first among exact matches, which beat suffix matches
        if (!best || (isExact && !exact) || (isExact === exact && sentAt < best.key[3])) {
          best = { key, value };
          exact = isExact;
        }
      }
      if (!best) return { kind: 'unmatched', why: `no SMS with TP-MR ${report.mr} to ${recipient} through ${modem} is waiting for a report` };
      this.store.poolSent.putSync(best.key, { ...best.value, status: st });
      const { job: id, seq, round } = best.value;
      const job = this.store.poolJobs.get(id);
      if (!job || job.round !== round || seq >= job.reports.length) return { kind: 'stale', job: id };
      const reports = job.reports.slice();
      reports[seq] = st;
      const next: PoolJob = { ...job, reports };
      const emit = this.aggregate(next, seq, st, now);
      if (emit && emit.status !== 'pending') next.reported = emit.status;
      this.store.poolJobs.putSync(id, next);
      return { kind: 'matched', job: id, seq, emit };
    });
  }

  /** What to tell the relay after segment `seq` got status `st`; null when nothing new. */
  private aggregate(job: PoolJob, seq: number, st: number, now: number): StatusReport | null {
    if (job.reported) return null; // the final word was said
    const n = job.reports.length;
    const which = n > 1 ? `SMS ${seq + 1} of ${n}: ` : '';
    const failed = job.reports.findIndex((s) => s !== null && tpStatusOutcome(s) === 'failed');
    if (failed >= 0) {
      const s = job.reports[failed] as number;
      return { jobId: job.id, status: 'failed', at: now, detail: `${n > 1 ? `SMS ${failed + 1} of ${n}: ` : ''}${describeTpStatus(s)}` };
    }
    if (job.reports.every((s) => s !== null && tpStatusOutcome(s) === 'delivered')) {
      return { jobId: job.id, status: 'delivered', at: now, detail: n > 1 ? `all ${n} SMS received by the phone` : describeTpStatus(st) };
    }
    if (tpStatusOutcome(st) === 'pending') return { jobId: job.id, status: 'pending', at: now, detail: `${which}${describeTpStatus(st)}` };
    return null; // delivered, others still to come
  }

  /** Forgets records older than the window. Returns how many. */
  async sweep(): Promise<number> {
    const limit = this.now() - this.windowMs;
    const old: [string, number, string, number][] = [];
    for (const key of this.store.poolSent.getKeys()) if (key[3] < limit) old.push(key);
    if (old.length) {
      await this.store.tx(() => old.forEach((k) => this.store.poolSent.removeSync(k)));
      this.log.debug({ expired: old.length }, 'status-report records expired');
    }
    return old.length;
  }
}
