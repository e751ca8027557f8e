// Matching status reports to jobs (LMDB records, a real store): by modem, TP-MR, recipient and
// time window, the oldest waiting SMS first when a TP-MR came round again; aggregation over
// a job's segments: delivered when all were, failed when one failed for good, pending on the way.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobBook } from '../../src/bearer/pool/jobs.js';
import { ReportBook } from '../../src/bearer/pool/reports.js';
import { parseAddress, timestampFromDate, type SmsStatusReportTpdu } from '../../src/codec/sms/index.js';
import { Store } from '../../src/store/store.js';
import { job } from '../support/pool-lab.js';

const M1 = '350000000000001';
const M2 = '350000000000002';

function report(mr: number, to: string, status: number): SmsStatusReportTpdu {
  const t = timestampFromDate(new Date(0));
  return { type: 'SMS-STATUS-REPORT', moreMessagesToSend: false, loopPrevention: false, statusReportQualifier: 'submit', mr, recipient: parseAddress(to), scts: t, dischargeTime: t, status, pi: null };
}

describe('ReportBook', () => {
  let dir: string;
  let store: Store;
  let now = 10_000_000;
  let jobs: JobBook;
  let reports: ReportBook;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mmsc-reports-'));
    store = new Store({ path: dir, mapSizeMiB: 32 });
    jobs = new JobBook(store, () => now);
    reports = new ReportBook(store, pino({ level: 'silent' }), 3_600_000, () => now);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A job sent through `modem`, its segments with these TP-MRs. */
  async function sent(id: string, to: string, mrs: number[], modem = M1, size?: number) {
    const { rec } = await jobs.open(job(id, to, { size: size ?? (mrs.length === 1 ? undefined : 128 * mrs.length) }), true);
    expect(rec.segments).toBe(mrs.length);
    for (let i = 0; i < mrs.length; i++) await jobs.confirm(rec, i, modem, mrs[i], now++);
    return rec;
  }

  it('reports a one-SMS job delivered', async () => {
    await sent('n1', '+4790000001', [5]);
    expect(await reports.take(M1, report(5, '+4790000001', 0x00))).toMatchObject({
      kind: 'matched', job: 'n1', seq: 0, emit: { jobId: 'n1', status: 'delivered', detail: 'received by the phone (TP-ST 0x00)' },
    });
    // the same report again: the SMS already has its final word
    expect(await reports.take(M1, report(5, '+4790000001', 0x00))).toMatchObject({ kind: 'unmatched' });
  });

  it('aggregates the segments of a job: pending on the way, delivered when all were', async () => {
    await sent('n2', '+4790000002', [10, 11, 12]);
    expect((await reports.take(M1, report(10, '+4790000002', 0x00))).kind).toBe('matched');
    expect(await reports.take(M1, report(12, '+4790000002', 0x21))).toMatchObject({ emit: { status: 'pending', detail: 'SMS 3 of 3: phone busy (SMSC still trying) (TP-ST 0x21)' } });
    expect(await reports.take(M1, report(12, '+4790000002', 0x00))).toMatchObject({ emit: null });
    expect(await reports.take(M1, report(11, '+4790000002', 0x00))).toMatchObject({ emit: { status: 'delivered', detail: 'all 3 SMS received by the phone' } });
    expect(store.poolJobs.get('n2')).toMatchObject({ reports: [0, 0, 0], reported: 'delivered' });
  });

  it('fails a job when one of its segments failed for good, once', async () => {
    await sent('n3', '+4790000003', [20, 21, 22]);
    expect(await reports.take(M1, report(21, '+4790000003', 0x46))).toMatchObject({ emit: { status: 'failed', detail: 'SMS 2 of 3: validity period expired (TP-ST 0x46)' } });
    expect(await reports.take(M1, report(20, '+4790000003', 0x00))).toMatchObject({ kind: 'matched', emit: null });
    expect(await reports.take(M1, report(22, '+4790000003', 0x62))).toMatchObject({ kind: 'matched', emit: null });
  });

  it('tells apart SMS sharing a TP-MR: other modem, other recipient, and the oldest waiting one first', async () => {
    await sent('old', '+4790000004', [7]);
    now += 60_000;
    await sent('other-modem', '+4790000004', [7], M2);
    await sent('other-phone', '+4790000005', [7]);
    now += 60_000;
    await sent('new', '+4790000004', [7]); // 256 SMS later, the modem's TP-MR came round
    const order: string[] = [];
    for (const st of [0x00, 0x43]) {
      const r = await reports.take(M1, report(7, '+4790000004', st));
      if (r.kind === 'matched') order.push(`${r.job}:${r.emit?.status}`);
    }
    expect(order).toEqual(['old:delivered', 'new:failed']);
    expect(await reports.take(M2, report(7, '+4790000004', 0x00))).toMatchObject({ job: 'other-modem' });
    // a report naming the number in national form still finds it
    expect(await reports.take(M1, report(7, '90000005', 0x00))).toMatchObject({ job: 'other-phone' });
  });

  it('expects reports only within the window, and forgets older records', async () => {
    await sent('late', '+4790000006', [3]);
    now += 3_600_001;
    expect(await reports.take(M1, report(3, '+4790000006', 0x00))).toMatchObject({ kind: 'unmatched' });
    expect(await reports.sweep()).toBe(1);
    expect([...store.poolSent.getKeys()]).toEqual([]);
  });

  it('ignores, for the job, reports about a round it started over', async () => {
    const rec = await sent('moved', '+4790000007', [40, 41]);
    await jobs.restart(rec, job('moved', '+4790000007', { size: 256 }).push);
    expect(await reports.take(M1, report(40, '+4790000007', 0x00))).toEqual({ kind: 'stale', job: 'moved' });
    expect(store.poolJobs.get('moved')?.reports).toEqual([null, null]);
  });
});
