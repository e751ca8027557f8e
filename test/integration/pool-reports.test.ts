// Status reports through the pool (simulated modems on ptys): more than 256 SMS through one
// modem, so that its 8-bit TP-MR comes round while reports are still outstanding, each report
// matched to its own job (alternate jobs are made to fail, so a mix-up would show); reports of a
// multi-segment job aggregated; and a report that arrives after a restart, matched from LMDB.
import { afterEach, describe, expect, it } from 'vitest';
import type { SubmissionRecord } from '../../src/bearer/simulator/index.js';
import { decodeMms } from '../../src/codec/mms/index.js';
import { decodePush } from '../../src/codec/wsp/index.js';
import type { PushJob, StatusReport, SubmitOutcome } from '../../src/relay/bearer.js';
import { PoolLab, job, until } from '../support/pool-lab.js';

let lab: PoolLab;
afterEach(async () => lab?.close());

/** The job a submission belongs to (the notification's Transaction-ID; first segment only). */
function tidOfSubmission(s: SubmissionRecord): string | null {
  const c = s.tpdu.udh?.concat;
  if (c && c.seq !== 1) return null;
  try {
    return decodeMms(decodePush(s.tpdu.data!).body).transactionId as string;
  } catch {
    return null; // the first segment alone does not hold the whole notification
  }
}

async function submitAll(pool: { submit(j: PushJob): Promise<SubmitOutcome> }, jobs: PushJob[], concurrency: number): Promise<SubmitOutcome[]> {
  const out: SubmitOutcome[] = [];
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await pool.submit(jobs[i]);
    }
  }));
  return out;
}

describe('status reports', () => {
  it('matches each report to its job through TP-MR wrap-around (300 SMS through one modem)', async () => {
    lab = new PoolLab({ retryMs: 5, maxAttempts: 1_000_000 });
    await lab.addModems(1);
    const phone = lab.phone('+15557300001');
    const pool = lab.pool();
    const reports: StatusReport[] = [];
    pool.onStatusReport((r) => reports.push(r));
    await lab.ready(pool);
    // The SMSC holds every report until all 300 are sent; odd jobs were "not obtainable".
    lab.network.holdReports = true;
    lab.network.statusFor = (s) => {
      const tid = tidOfSubmission(s);
      return tid !== null && Number(tid.slice(5)) % 2 === 1 ? 0x43 : null;
    };
    const N = 300;
    const outcomes = await submitAll(pool, Array.from({ length: N }, (_, i) => job(`wrap-${i}`, phone.msisdn, { statusReport: true })), 8);
    expect(outcomes.every((o) => o.status === 'sent')).toBe(true);
    const mrs = outcomes.map((o) => (o.status === 'sent' ? o.segments[0].reference : -1));
    expect(new Set(mrs).size).toBe(256); // every TP-MR in use, 44 of them twice
    expect(reports).toEqual([]);
    lab.network.releaseReports();
    await until(() => reports.length === N, `${N} status reports`, 30_000);
    const byJob = new Map(reports.map((r) => [r.jobId, r]));
    expect(byJob.size).toBe(N);
    for (let i = 0; i < N; i++) {
      const r = byJob.get(`wrap-${i}`)!;
      expect(r.status, `wrap-${i} (TP-MR ${mrs[i]})`).toBe(i % 2 === 1 ? 'failed' : 'delivered');
      expect(r.detail).toBe(i % 2 === 1 ? 'not obtainable (TP-ST 0x43)' : 'received by the phone (TP-ST 0x00)');
    }
    expect(lab.log.lines.filter((l) => l.msg === 'status report matches no job')).toEqual([]);
  }, 60_000);

  it("aggregates a multi-segment job's reports: delivered when all were, failed as soon as one failed", async () => {
    lab = new PoolLab();
    await lab.addModems(1, { dialect: 'quectel' });
    const phone = lab.phone('+15557300002');
    const pool = lab.pool();
    const reports: StatusReport[] = [];
    pool.onStatusReport((r) => reports.push(r));
    await lab.ready(pool);
    // segment 2 of the "bad" job expires at the SMSC
    lab.network.statusFor = (s) => {
      const c = s.tpdu.udh?.concat;
      return c?.seq === 2 && c.ref === lab.store.poolJobs.get('bad')?.ref ? 0x46 : null;
    };
    expect(await pool.submit(job('good', phone.msisdn, { size: 300, statusReport: true }))).toMatchObject({ status: 'sent' });
    await until(() => reports.length === 1, 'the report of the good job');
    expect(await pool.submit(job('bad', phone.msisdn, { size: 300, statusReport: true }))).toMatchObject({ status: 'sent' });
    await lab.network.idle();
    await until(() => reports.length === 2, 'the report of the bad job');
    await new Promise((r) => setTimeout(r, 100)); // the bad job's other reports come in, and say nothing new
    expect(reports).toEqual([
      { jobId: 'good', status: 'delivered', at: expect.any(Number), detail: 'all 3 SMS received by the phone' },
      { jobId: 'bad', status: 'failed', at: expect.any(Number), detail: 'SMS 2 of 3: validity period expired (TP-ST 0x46)' },
    ]);
    expect(lab.store.poolJobs.get('bad')).toMatchObject({ reports: [0, 0x46, 0], reported: 'failed' });
  });

  it('matches a report that arrives after a restart, from the records in LMDB', async () => {
    lab = new PoolLab();
    await lab.addModems(1);
    const phone = lab.phone('+15557300003');
    const first = lab.pool();
    await lab.ready(first);
    lab.network.holdReports = true;
    expect(await first.submit(job('before-restart', phone.msisdn, { statusReport: true }))).toMatchObject({ status: 'sent' });
    await first.close();
    const second = lab.pool();
    const reports: StatusReport[] = [];
    second.onStatusReport((r) => reports.push(r));
    await lab.ready(second);
    lab.network.releaseReports();
    await until(() => reports.length === 1, 'the report');
    expect(reports[0]).toMatchObject({ jobId: 'before-restart', status: 'delivered' });
  });
});
