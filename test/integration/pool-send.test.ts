// The modem pool sending pushes through simulated modems on ptys (the real driver, through
// serialport): several modems kept busy, routing by prefix, each SIM's rate limit, the byte
// budget of one SMS and concatenation under +CMMS, status-report requests, and the answers
// when no modem can send. Everything is counted in the virtual network.
import { afterEach, describe, expect, it } from 'vitest';
import type { PushJob, SubmitOutcome } from '../../src/relay/bearer.js';
import { PoolLab, job, tidOf, until } from '../support/pool-lab.js';

let lab: PoolLab;
afterEach(async () => lab?.close());

/** Submits the jobs `concurrency` at a time, as the relay's outbox does. */
async function submitAll(pool: { submit(j: PushJob): Promise<SubmitOutcome> }, jobs: PushJob[], concurrency: number): Promise<Map<string, SubmitOutcome>> {
  const out = new Map<string, SubmitOutcome>();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < jobs.length) {
      const j = jobs[next++];
      out.set(j.id, await pool.submit(j));
    }
  }));
  return out;
}

/** How many times the network delivered each job's push (by the notification's TID). */
function deliveriesPerJob(phone: { inbox: Parameters<typeof tidOf>[0][] }): Map<string, number> {
  const n = new Map<string, number>();
  for (const m of phone.inbox) n.set(tidOf(m), (n.get(tidOf(m)) ?? 0) + 1);
  return n;
}

describe('several modems', () => {
  it('keeps every modem busy and delivers each push exactly once', async () => {
    lab = new PoolLab({ airTimeMs: 15 });
    const modems = await lab.addModems(3);
    const phone = lab.phone('+15557100001');
    const pool = lab.pool();
    await lab.ready(pool);
    const jobs = Array.from({ length: 30 }, (_, i) => job(`busy-${i}`, phone.msisdn));
    const outcomes = await submitAll(pool, jobs, 6);
    expect([...outcomes.values()].every((o) => o.status === 'sent')).toBe(true);
    await phone.waitForInbox(30);
    const per = deliveriesPerJob(phone);
    expect(per.size).toBe(30);
    expect([...per.values()].every((n) => n === 1)).toBe(true);
    // each modem took a share, and the receipts name the modem that sent
    for (const m of modems) expect(lab.submissionsFrom(m).length).toBeGreaterThanOrEqual(5);
    const via = new Set([...outcomes.values()].flatMap((o) => (o.status === 'sent' ? o.segments.map((s) => s.via) : [])));
    expect(via).toEqual(new Set(modems.map((m) => m.modem.imei)));
    const status = pool.status();
    expect(status.map((s) => s.sent).reduce((a, b) => a + b, 0)).toBe(30);
    expect(status.every((s) => s.state === 'ready' && s.failed === 0 && s.benchedUntil === null)).toBe(true);
  });
});

describe('routing by destination prefix', () => {
  it('sends each number only through modems whose routes cover it, preferring the most specific', async () => {
    lab = new PoolLab({ airTimeMs: 5 });
    const [no, se, any] = await lab.addModems(3);
    const pool = lab.pool({ specs: [lab.spec(no, { routes: ['+47'] }), lab.spec(se, { routes: ['+46'] }), lab.spec(any)] });
    await lab.ready(pool);
    // One at a time with every modem idle: the specific route wins the tie.
    expect(await pool.submit(job('r-no', '+4791000001'))).toMatchObject({ status: 'sent', segments: [{ via: no.modem.imei }] });
    expect(await pool.submit(job('r-se', '+4691000001'))).toMatchObject({ status: 'sent', segments: [{ via: se.modem.imei }] });
    expect(await pool.submit(job('r-us', '+1555000001'))).toMatchObject({ status: 'sent', segments: [{ via: any.modem.imei }] });
    // Many at once: the routes still hold, whoever is free.
    const jobs = [
      ...Array.from({ length: 8 }, (_, i) => job(`no-${i}`, `+479100001${i}`)),
      ...Array.from({ length: 8 }, (_, i) => job(`se-${i}`, `+469100001${i}`)),
      ...Array.from({ length: 8 }, (_, i) => job(`us-${i}`, `+155500001${i}`)),
    ];
    const outcomes = await submitAll(pool, jobs, 6);
    expect([...outcomes.values()].every((o) => o.status === 'sent')).toBe(true);
    await lab.network.idle();
    expect(lab.submissionsFrom(no).every((s) => s.to.startsWith('+47'))).toBe(true);
    expect(lab.submissionsFrom(se).every((s) => s.to.startsWith('+46'))).toBe(true);
    expect(lab.network.submissions.filter((s) => s.to.startsWith('+1')).every((s) => s.from === any.modem.msisdn)).toBe(true);
    expect(lab.network.submissions).toHaveLength(27);
  });

  it('fails a push to a number no modem serves, naming the routes', async () => {
    lab = new PoolLab();
    const [no] = await lab.addModems(1);
    const pool = lab.pool({ specs: [lab.spec(no, { routes: ['+47', '+4798'] })] });
    expect(await pool.submit(job('nowhere', '+4612345678'))).toEqual({ status: 'failed', reason: "no modem serves +4612345678 (the modems' routes are +47, +4798)" });
    expect(lab.network.submissions).toHaveLength(0);
  });
});

describe('rate limits', () => {
  it("never sends faster than a SIM's ratePerMinute, and gives the rest to the modem that can send sooner", async () => {
    lab = new PoolLab({ airTimeMs: 20 });
    const [slow, fast] = await lab.addModems(2);
    const phone = lab.phone('+15557100002');
    // 120 per minute: one SMS every 500 ms at most on the slow SIM.
    const pool = lab.pool({ specs: [lab.spec(slow, { ratePerMinute: 120 }), lab.spec(fast)] });
    await lab.ready(pool);
    const outcomes = await submitAll(pool, Array.from({ length: 12 }, (_, i) => job(`rate-${i}`, phone.msisdn)), 4);
    expect([...outcomes.values()].every((o) => o.status === 'sent')).toBe(true);
    expect(lab.submissionsFrom(fast).length).toBeGreaterThan(lab.submissionsFrom(slow).length);
    await pool.close();
    // alone on the slow SIM: the network sees them at least ~500 ms apart
    const slowOnly = lab.pool({ specs: [lab.spec(slow, { ratePerMinute: 120 })] });
    await lab.ready(slowOnly);
    const before = lab.submissionsFrom(slow).length;
    await submitAll(slowOnly, Array.from({ length: 5 }, (_, i) => job(`slow-${i}`, phone.msisdn)), 5);
    const times = lab.submissionsFrom(slow).slice(before).map((s) => s.at.getTime());
    expect(times).toHaveLength(5);
    // (the pool starts them 500 ms apart; what the network sees also carries the pty's jitter,
    // whereas a pool ignoring the limit would send them back to back, ~25 ms apart)
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(350);
    expect(times[4] - times[0]).toBeGreaterThanOrEqual(1900);
    await phone.waitForInbox(17);
  });
});

describe('cutting pushes into SMS', () => {
  it('sends 133 octets of push as one SMS and 134 as two, the two under +CMMS through one modem', async () => {
    lab = new PoolLab({ airTimeMs: 5 });
    const [m1, m2] = await lab.addModems(2, { dialect: 'quectel' }); // a modem with +CMMS
    const phone = lab.phone('+15557100003');
    const pool = lab.pool();
    await lab.ready(pool);
    const one = await pool.submit(job('b133', phone.msisdn, { size: 133 }));
    expect(one).toMatchObject({ status: 'sent', segments: [{ reference: expect.any(Number) }] });
    const two = await pool.submit(job('b134', phone.msisdn, { size: 134 }));
    expect(two.status === 'sent' && two.segments).toHaveLength(2);
    await phone.waitForInbox(2);
    const subs = lab.network.submissions;
    expect(subs.map((s) => s.tpdu.data!.length)).toEqual([133, 128, 6]);
    expect(subs[0].tpdu.udh?.concat).toBeNull();
    expect(subs.slice(1).map((s) => s.tpdu.udh?.concat?.seq)).toEqual([1, 2]);
    expect(new Set(subs.slice(1).map((s) => s.from)).size).toBe(1); // one modem for both segments
    const sender = [m1, m2].find((m) => m.modem.msisdn === subs[1].from)!;
    expect(sender.modem.stats.sentWithCmms).toBe(2);
    expect(phone.inbox.map((m) => [tidOf(m), m.data!.length])).toEqual([['b133', 133], ['b134', 134]]);
  });

  it('asks for a status report (TP-SRR) only when the job wants one and the configuration allows', async () => {
    lab = new PoolLab();
    await lab.addModems(1);
    const phone = lab.phone('+15557100004');
    const on = lab.pool();
    await lab.ready(on);
    await on.submit(job('srr-yes', phone.msisdn, { statusReport: true }));
    await on.submit(job('srr-no', phone.msisdn, { statusReport: false }));
    await on.close();
    const off = lab.pool({ statusReports: false });
    await lab.ready(off);
    await off.submit(job('srr-off', phone.msisdn, { statusReport: true }));
    await phone.waitForInbox(3);
    expect(lab.network.submissions.map((s) => s.tpdu.statusReportRequest)).toEqual([true, false, false]);
  });

  it('answers a job submitted again after it was sent with the same receipts, sending nothing', async () => {
    lab = new PoolLab();
    await lab.addModems(1);
    const phone = lab.phone('+15557100005');
    const pool = lab.pool();
    await lab.ready(pool);
    const j = job('twice', phone.msisdn, { size: 250 });
    const first = await pool.submit(j);
    const again = await pool.submit({ ...j, attempt: 2 });
    expect(again).toEqual(first);
    await phone.waitForInbox(1);
    await lab.network.idle();
    expect(lab.network.submissions).toHaveLength(2);
  });
});

describe('when no modem can send', () => {
  it('says why and asks to retry: a SIM that wants a PIN, a modem still searching for the network', async () => {
    lab = new PoolLab();
    const [pin] = await lab.addModems(1, { pin: '1234' });
    const [searching] = await lab.addModems(1, { registration: 2 });
    const pool = lab.pool({ readyWaitMs: 300 });
    await until(() => pool.status().every((s) => s.state === 'pin-required' || s.state === 'searching'), 'both modems up');
    const out = await pool.submit(job('stuck', '+15557100006'));
    expect(out.status).toBe('retry');
    const reason = out.status === 'retry' ? out.reason : '';
    expect(reason).toContain('no modem is ready to send to +15557100006');
    expect(reason).toContain(`modem ${pin.modem.imei} (${pin.port.path}) is pin-required (the SIM asks for a PIN and none is configured)`);
    expect(reason).toContain(`modem ${searching.modem.imei} (${searching.port.path}) is searching`);
    expect(out.status === 'retry' && out.retryAfterMs).toBeGreaterThan(0);
    // the job waits in LMDB; once the network is there it goes
    searching.modem.setRegistration(1);
    await until(() => pool.status().some((s) => s.state === 'ready'), 'registration');
    expect(await pool.submit(job('stuck', '+15557100006', { attempt: 2 }))).toMatchObject({ status: 'sent' });
  });

  it('asks to retry when no modem is configured at all', async () => {
    lab = new PoolLab();
    const pool = lab.pool({ specs: [] });
    expect(await pool.submit(job('none', '+15557100007'))).toEqual({ status: 'retry', reason: 'no modem is configured (bearer.modems is empty)' });
  });

  it('waits for modems still starting up instead of refusing at once', async () => {
    lab = new PoolLab();
    await lab.addModems(1);
    const phone = lab.phone('+15557100008');
    const pool = lab.pool(); // submitted while the driver is still opening and setting up the modem
    expect(pool.status()[0].state).not.toBe('ready');
    expect(await pool.submit(job('early', phone.msisdn))).toMatchObject({ status: 'sent' });
  });

  it('drains on close: the job being sent finishes, waiting ones are handed back, new ones refused', async () => {
    lab = new PoolLab({ airTimeMs: 200 });
    await lab.addModems(1);
    const phone = lab.phone('+15557100009');
    const pool = lab.pool();
    await lab.ready(pool);
    const first = pool.submit(job('d1', phone.msisdn));
    const second = pool.submit(job('d2', phone.msisdn));
    await until(() => pool.status()[0].busy, 'the first job on the modem');
    const closing = pool.close();
    expect(await pool.submit(job('d3', phone.msisdn))).toEqual({ status: 'retry', reason: 'the modem pool is shutting down' });
    expect(await first).toMatchObject({ status: 'sent' });
    expect(await second).toEqual({ status: 'retry', reason: 'the modem pool is shutting down' });
    await closing;
    expect(pool.status()[0].state).toBe('closed');
    await phone.waitForInbox(1);
    expect(lab.network.submissions).toHaveLength(1);
  });
});
