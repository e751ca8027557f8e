// The modem pool through faults (simulated modems on ptys, the real driver): a permanent
// refusal fails that one job and the queue behind it keeps moving; temporary errors are retried,
// on another modem at once when one is ready; a job resumes with the segments not yet
// confirmed; a lost answer means sending again; a hung modem is benched, its work moves on,
// and it comes back after a probe; a vanished modem's half-sent job starts over elsewhere; the
// retry budget ends for good. Every check counts what the virtual network delivered.
import { afterEach, describe, expect, it } from 'vitest';
import type { PushJob, SubmitOutcome } from '../../src/relay/bearer.js';
import { FAST } from '../support/pty.js';
import { PoolLab, job, tidOf, until } from '../support/pool-lab.js';

let lab: PoolLab;
afterEach(async () => lab?.close());

const reasonOf = (o: SubmitOutcome): string => (o.status === 'sent' ? '' : o.reason);

describe('refusals', () => {
  it('fails the job the network refuses for good (unassigned number) and keeps the queue moving', async () => {
    lab = new PoolLab({ airTimeMs: 10 });
    const [m] = await lab.addModems(1);
    const phone = lab.phone('+15557200001');
    lab.network.reject('+15557200999', 1);
    const pool = lab.pool();
    await lab.ready(pool);
    const jobs: PushJob[] = [job('bad', '+15557200999'), ...Array.from({ length: 5 }, (_, i) => job(`good-${i}`, phone.msisdn))];
    const outcomes = await Promise.all(jobs.map((j) => pool.submit(j)));
    expect(outcomes[0].status).toBe('failed');
    expect(reasonOf(outcomes[0])).toMatch(new RegExp(`^unassigned-number \\+CMS ERROR 1 from modem ${m.modem.imei} \\(.*\\): AT\\+CMGS=\\d+: \\+CMS ERROR 1 `));
    expect(outcomes.slice(1).every((o) => o.status === 'sent')).toBe(true);
    await phone.waitForInbox(5);
    // a refusal about the message is not the modem's fault
    expect(pool.status()[0]).toMatchObject({ failuresInARow: 0, benchedUntil: null, failed: 1, sent: 5 });
    expect(lab.store.poolJobs.get('bad')).toMatchObject({ state: 'failed', reason: reasonOf(outcomes[0]) });
    // asked again (the relay after a crash): the same answer, nothing sent
    expect(await pool.submit({ ...jobs[0], attempt: 2 })).toEqual(outcomes[0]);
    expect(m.modem.stats.sendAttempts).toBe(6);
  });

  it('gives a job another modem at once after a temporary error of the first', async () => {
    lab = new PoolLab({ airTimeMs: 5 });
    const [a, b] = await lab.addModems(2);
    const phone = lab.phone('+15557200002');
    const pool = lab.pool();
    await lab.ready(pool);
    a.modem.inject({ kind: 'cms-error', send: 1, code: 38 }); // network out of order, on A's side
    const out = await pool.submit(job('t1', phone.msisdn));
    expect(out).toMatchObject({ status: 'sent', segments: [{ via: b.modem.imei }] });
    expect(pool.status()[0]).toMatchObject({ failuresInARow: 1, failed: 1, benchedUntil: null });
    await phone.waitForInbox(1);
    expect(lab.network.submissions.map((s) => s.from)).toEqual([b.modem.msisdn]);
    expect(a.modem.stats.sendAttempts).toBe(1);
  });

  it('asks to retry later when no other modem may take it, then resumes with the segments not yet confirmed', async () => {
    lab = new PoolLab({ airTimeMs: 5 });
    const [a] = await lab.addModems(1);
    const phone = lab.phone('+15557200003');
    const pool = lab.pool();
    await lab.ready(pool);
    const j = job('resume', phone.msisdn, { size: 300 });
    a.modem.inject({ kind: 'cms-error', send: 2, code: 41 }); // temporary failure, on segment 2 of 3
    const first = await pool.submit(j);
    expect(first.status).toBe('retry');
    expect(reasonOf(first)).toMatch(/^temporary-failure \+CMS ERROR 41 from modem .*: SMS 2 of 3: AT\+CMGS=\d+: \+CMS ERROR 41 \(Temporary failure\); no other modem may take it$/);
    expect(first.status === 'retry' && first.retryAfterMs).toBe(1_000);
    expect(lab.store.poolSegments.get(['resume', 0])).toMatchObject({ state: 'confirmed', modem: a.modem.imei });
    expect(lab.store.poolSegments.get(['resume', 1])).toMatchObject({ state: 'queued' });
    const second = await pool.submit({ ...j, attempt: 2 });
    expect(second.status === 'sent' && second.segments).toHaveLength(3);
    await phone.waitForInbox(1);
    expect(tidOf(phone.inbox[0])).toBe('resume');
    // segment 1 went once: the resumed job sent only segments 2 and 3, with the same reference
    const subs = lab.network.submissions;
    expect(subs.map((s) => s.tpdu.udh?.concat?.seq)).toEqual([1, 2, 3]);
    expect(new Set(subs.map((s) => s.tpdu.udh?.concat?.ref)).size).toBe(1);
    expect(lab.network.deliveredTo(phone.msisdn)).toHaveLength(3);
  });

  it('fails a job for good once its retry budget is spent', async () => {
    lab = new PoolLab();
    const [a] = await lab.addModems(1);
    const pool = lab.pool({ maxTries: 2 });
    await lab.ready(pool);
    a.modem.inject({ kind: 'cms-error', send: 1, code: 41 });
    a.modem.inject({ kind: 'cms-error', send: 2, code: 41 });
    const j = job('budget', '+15557200004');
    expect((await pool.submit(j)).status).toBe('retry');
    const last = await pool.submit({ ...j, attempt: 2 });
    expect(last.status).toBe('failed');
    expect(reasonOf(last)).toMatch(/^retry budget spent: 2 failed attempts \(last: temporary-failure \+CMS ERROR 41 from modem /);
    expect(lab.network.submissions).toHaveLength(0);
  });
});

describe('lost answers', () => {
  it('sends again an SMS whose answer never came (a duplicate push is harmless, a lost one costs a delivery)', async () => {
    lab = new PoolLab();
    const [a] = await lab.addModems(1);
    const phone = lab.phone('+15557200005');
    const pool = lab.pool({ timeouts: { ...FAST, send: 300 } });
    await lab.ready(pool);
    a.modem.inject({ kind: 'lose-answer', send: 1, delivered: true });
    const j = job('lost', phone.msisdn);
    const first = await pool.submit(j);
    expect(first.status).toBe('retry');
    expect(reasonOf(first)).toMatch(/^timeout from modem /);
    expect(lab.store.poolSegments.get(['lost', 0])).toMatchObject({ state: 'unknown' });
    await pool.members[0].modem.waitFor('ready', 10_000);
    expect(await pool.submit({ ...j, attempt: 2 })).toMatchObject({ status: 'sent' });
    await phone.waitForInbox(2);
    // the phone got the same notification twice (same Transaction-ID): it shows one
    expect(phone.inbox.map(tidOf)).toEqual(['lost', 'lost']);
    expect(lab.store.poolSegments.get(['lost', 0])).toMatchObject({ state: 'confirmed' });
  });
});

describe('a hung modem', () => {
  it('is benched, its work moves to another modem, and it comes back after the probe', async () => {
    lab = new PoolLab({ airTimeMs: 20 });
    const [a, b] = await lab.addModems(2);
    const phone = lab.phone('+15557200006');
    const pool = lab.pool({ benchAfterFailures: 1, benchFor: 400, timeouts: { ...FAST, prompt: 300, command: 300 } });
    await lab.ready(pool);
    a.modem.inject({ kind: 'silent', commands: 3 }); // AT+CMGS and the escape probes get nothing
    const out = await pool.submit(job('hung', phone.msisdn));
    expect(out).toMatchObject({ status: 'sent', segments: [{ via: b.modem.imei }] });
    const benched = pool.status()[0];
    expect(benched.benchedUntil).not.toBeNull();
    expect(benched.failuresInARow).toBe(1);
    expect(lab.log.lines.some((l) => l.msg === 'modem benched' && String(l.modem).startsWith(a.modem.imei))).toBe(true);
    // while benched, nothing goes to A
    await pool.submit(job('while-benched', phone.msisdn));
    expect(lab.submissionsFrom(a)).toHaveLength(0);
    await until(() => lab.log.lines.some((l) => l.msg === 'modem back in service'), 'A back in service', 10_000);
    expect(pool.status()[0]).toMatchObject({ benchedUntil: null, failuresInARow: 0, state: 'ready' });
    // back in the rotation
    await Promise.all(Array.from({ length: 6 }, (_, i) => pool.submit(job(`after-${i}`, phone.msisdn))));
    expect(lab.submissionsFrom(a).length).toBeGreaterThan(0);
    await phone.waitForInbox(8);
    expect(new Set(phone.inbox.map(tidOf)).size).toBe(8);
  });
});

describe('a vanished modem', () => {
  it('moves its half-sent job to another modem (all segments, a new reference) and is used again once back', async () => {
    lab = new PoolLab({ airTimeMs: 150 });
    const [a] = await lab.addModems(1, { name: 'ttyUSB' });
    const [b] = await lab.addModems(1);
    const phone = lab.phone('+15557200007');
    // Both serve +1555720...; A comes first on a tie, so the long job starts there. Only A serves +1555730...
    const pool = lab.pool({ specs: [lab.spec(a, { routes: ['+1555720', '+1555730'] }), lab.spec(b, { routes: ['+1555720'] })], timeouts: { ...FAST, poll: 100 } });
    await lab.ready(pool);
    const sending = pool.submit(job('moving', phone.msisdn, { size: 380 })); // 3 SMS
    await until(() => lab.submissionsFrom(a).length === 1, 'the first segment from A');
    // vanish only once the pool holds A's +CMGS for it: an unconfirmed segment is "maybe sent"
    // and resumed elsewhere under the same reference, which is another (tested) path
    await until(() => lab.store.poolSegments.get(['moving', 0])?.state === 'confirmed', 'A confirmed the first segment');
    await a.port.vanish();
    const out = await sending;
    expect(out.status === 'sent' && out.segments.map((s) => s.via)).toEqual([b.modem.imei, b.modem.imei, b.modem.imei]);
    await phone.waitForInbox(1);
    expect(phone.inbox.map(tidOf)).toEqual(['moving']);
    const fromB = lab.submissionsFrom(b);
    expect(fromB.map((s) => s.tpdu.udh?.concat?.seq)).toEqual([1, 2, 3]);
    expect(fromB[0].tpdu.udh?.concat?.ref).not.toBe(lab.submissionsFrom(a)[0].tpdu.udh?.concat?.ref);
    expect(lab.store.poolJobs.get('moving')).toMatchObject({ round: 1, modem: b.modem.imei, state: 'sent' });
    expect(pool.status()[0].state).toBe('gone');
    // back: A takes work again
    await a.port.reappear();
    await pool.members[0].modem.waitFor('ready', 10_000);
    expect(await pool.submit(job('back', '+15557300001'))).toMatchObject({ status: 'sent', segments: [{ via: a.modem.imei }] });
  });
});
