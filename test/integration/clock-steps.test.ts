// The wall clock the process sees steps by a day, forward and back, with many messages in
// flight in every state (never fetched and re-notified, fetched but unconfirmed, deferred,
// acknowledged, held for an e-mail gateway, pushes waiting for a retry). The "system" clock is
// injected (a ProcessClock over a simulated machine), never the machine's own. The same
// scenario runs three times on the same monotonic timeline - without a step, +1 day, -1 day -
// and what the phones receive must be the same pushes at the same elapsed minutes: no storm of
// expiries and re-notifications after +1 day, no freeze after -1 day, every expiry at its
// intended elapsed time, deliveries moving on after the step.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ProcessClock } from '../../src/clock/clock.js';
import type { MmsPdu } from '../../src/codec/mms/index.js';
import type { PushJob } from '../../src/relay/bearer.js';
import { Phone, pushedPdu, startTestMmsc, type TestMmsc } from '../support/mmsc.js';

const MIN = 60_000;
const DAY = 86_400_000;
const A = '+4790000001';
const MESSAGES = 48;
/** When the wall clock steps (elapsed minutes; between two scheduler ticks). */
const STEP_AT = 60.5;
const END = 250;

type Group = 'never-fetched' | 'fetched-unconfirmed' | 'deferred' | 'deferred-then-fetched' | 'acknowledged';

function groupOf(i: number): Group {
  if (i % 4 === 0) return 'never-fetched';
  if (i % 4 === 1) return 'fetched-unconfirmed';
  if (i % 4 === 2) return i % 8 === 2 ? 'deferred-then-fetched' : 'deferred';
  return 'acknowledged';
}

const recipient = (i: number) => `+47901000${String(i).padStart(2, '0')}`;
/** Recipients whose first two pushes the radio refuses (the outbox retries them). */
const flaky = (to: string) => Number(to.slice(-2)) % 6 === 5;

interface Push {
  /** Elapsed minutes (monotonic) when the bearer was handed it. */
  at: number;
  kind: string;
  to: string;
  attempt: number;
  /** Notification round (n<token>.<round>), or the MMS status of a delivery report. */
  what: string;
}

interface RunLog {
  pushes: Push[];
  /** Each message's delivery at the end: state/outcome. */
  outcomes: string[];
  /** Elapsed minute of the delivery report of each message (by submission index). */
  reportAt: Map<number, number>;
  /** When each message was submitted (elapsed minutes). */
  submittedAt: Map<number, number>;
  /** When each recipient got its first notification (elapsed minutes). */
  noticedAt: Map<string, number>;
  stepLog: string[];
}

/** The simulated machine: its wall clock can step; its monotonic clock only runs. */
class Machine {
  wall = Date.UTC(2026, 5, 1, 10, 0, 0);
  mono = 5_000;
}

async function scenario(step: number): Promise<RunLog> {
  const m = new Machine();
  const mono0 = m.mono;
  const clock = new ProcessClock({ system: () => m.wall, monotonic: () => m.mono });
  const logLines: string[] = [];
  const t: TestMmsc = await startTestMmsc(
    {
      relay: { renotify: { first: '10m', factor: 2, max: '1h' }, defaultExpiry: '3h', fetchConfirmTimeout: '30m', outboxRetry: { first: '2m', max: '10m', maxAttempts: 20 } },
    },
    { clock, systemSync: async () => ({ synchronised: true, how: 'test: synchronised' }), logLines },
  );
  const elapsed = () => Math.round((m.mono - mono0) / MIN);
  const pushes: Push[] = [];
  const notices = new Map<string, MmsPdu>();
  const noticedAt = new Map<string, number>();
  const reportAt = new Map<number, number>();
  const ids = new Map<string, number>();
  t.bearer.listen((job: PushJob) => {
    const pdu = pushedPdu(job);
    const what = job.kind === 'notification' ? `round ${job.id.slice(job.id.lastIndexOf('.') + 1)}` : String(pdu.status ?? pdu.readStatus ?? '');
    pushes.push({ at: elapsed(), kind: job.kind, to: job.to, attempt: job.attempt, what });
    if (flaky(job.to) && job.attempt <= 2) throw new Error('the radio is busy');
    if (job.kind === 'notification' && !notices.has(job.to)) {
      notices.set(job.to, pdu);
      noticedAt.set(job.to, elapsed());
    }
    if (job.kind === 'delivery-report' && ids.has(String(pdu.messageId))) reportAt.set(ids.get(String(pdu.messageId)) as number, elapsed());
  });
  const a = new Phone(t.base, A);
  const submittedAt = new Map<number, number>();
  const submit = async (i: number, to: string, expiry?: number) => {
    const conf = await a.post({
      messageType: 'm-send-req', transactionId: `clk-${i}`, mmsVersion: '1.2', from: { insertAddress: true }, to: [to.includes('@') ? to : `${to}/TYPE=PLMN`],
      deliveryReport: true, ...(expiry ? { expiry: { relative: expiry } } : {}), contentType: { type: 'text/plain' }, body: new TextEncoder().encode(`message ${i}`),
    });
    expect(conf.pdu).toMatchObject({ responseStatus: 'Ok' });
    ids.set(String(conf.pdu!.messageId), i);
    submittedAt.set(i, elapsed());
  };
  // what each phone does, by elapsed minute: 2 minutes after its first notification, and later
  const todo = new Map<number, (() => Promise<void>)[]>();
  const later = (minute: number, fn: () => Promise<void>) => todo.set(minute, [...(todo.get(minute) ?? []), fn]);
  const phones = new Map<string, () => Promise<void>>();
  const act = (i: number) => {
    const to = recipient(i);
    const phone = new Phone(t.base, to);
    const group = groupOf(i);
    phones.set(to, async () => {
      const ind = notices.get(to);
      expect(ind, `notification for ${to}`).toBeDefined();
      const tid = ind!.transactionId as string;
      if (group === 'fetched-unconfirmed' || group === 'acknowledged') {
        expect((await phone.get(ind!.contentLocation as string)).pdu).toMatchObject({ messageType: 'm-retrieve-conf' });
      }
      if (group === 'acknowledged') await phone.post({ messageType: 'm-notifyresp-ind', transactionId: tid, mmsVersion: '1.2', status: 'Retrieved' });
      if (group === 'deferred' || group === 'deferred-then-fetched') await phone.post({ messageType: 'm-notifyresp-ind', transactionId: tid, mmsVersion: '1.2', status: 'Deferred' });
    });
    if (group === 'deferred-then-fetched') {
      // well after the step: a deferred message fetched and acknowledged (m-acknowledge.ind)
      later(85 + (i % 16), async () => {
        const rc = (await phone.get(notices.get(to)!.contentLocation as string)).pdu;
        expect(rc).toMatchObject({ messageType: 'm-retrieve-conf' });
        await phone.post({ messageType: 'm-acknowledge-ind', transactionId: rc!.transactionId as string, mmsVersion: '1.2' });
      });
    }
  };
  const tick = async () => {
    t.mmsc.relay.wake();
    await t.mmsc.relay.idle();
  };
  try {
    for (let minute = 0; minute <= END; minute++) {
      if (minute > 0) {
        m.wall += MIN;
        m.mono += MIN;
        if (minute - 1 < STEP_AT && STEP_AT < minute) m.wall += step;
      }
      if (minute < MESSAGES) {
        await submit(minute, recipient(minute));
        act(minute);
      }
      if (minute === 5) await submit(100, 'friend@example.org', 2 * 3600); // held for MM3 until it expires
      if (minute === 80) await submit(101, recipient(99), 3600); // after the step: expires 1 h later, never fetched
      await tick();
      for (const [to, at] of noticedAt) if (at + 2 === minute && phones.has(to)) later(minute, phones.get(to)!);
      for (const fn of todo.get(minute) ?? []) await fn().catch((err: unknown) => void pushes.push({ at: minute, kind: 'phone-error', to: String(err), attempt: 0, what: '' }));
      await tick();
    }
    const outcomes: string[] = [];
    for (const { value: d } of t.mmsc.store.deliveries.getRange()) outcomes.push(`${d.recipient} ${d.state}/${d.outcome ?? ''}`);
    const stepLog = logLines.filter((l) => l.includes('clock stepped')).map((l) => (JSON.parse(l) as { msg: string }).msg);
    return { pushes, outcomes: outcomes.sort(), reportAt, submittedAt, noticedAt, stepLog };
  } finally {
    await t.close();
  }
}

/** Pushes in order of time, and within a minute in a fixed order (the bearer sends several at once). */
function ordered(p: Push[]): string[] {
  return p.map((x) => `${String(x.at).padStart(3)} ${x.kind} ${x.to} #${x.attempt} ${x.what}`).sort();
}

const inWindow = (p: Push[], from: number, to: number) => p.filter((x) => x.at >= from && x.at < to && x.kind !== 'phone-error').length;

describe('clock steps under load (injected clock)', () => {
  let control: RunLog;
  const runs: Record<string, RunLog> = {};
  afterAll(() => {
    const w = (r: RunLog) => inWindow(r.pushes, Math.ceil(STEP_AT), Math.ceil(STEP_AT) + 10);
    console.log(`pushes in the 10 min after the step: control ${w(control)}, +1 day ${runs.plus ? w(runs.plus) : '-'}, -1 day ${runs.minus ? w(runs.minus) : '-'}; in all: ${control.pushes.length}`);
  });

  it('runs the scenario without a step (the control)', async () => {
    control = await scenario(0);
    expect(control.pushes.filter((p) => p.kind === 'phone-error')).toEqual([]);
    expect(control.stepLog).toEqual([]);
    // every message ended: reported, with the outcome its phone's behaviour calls for
    expect(control.outcomes.every((o) => o.includes(' reported/'))).toBe(true);
    expect(control.pushes.length).toBeGreaterThan(150);
  }, 120_000);

  for (const [name, step] of [['plus', DAY], ['minus', -DAY]] as const) {
    it(`${step > 0 ? '+1 day' : '-1 day'}: the same pushes at the same elapsed minutes, no storm, no freeze`, async () => {
      const r = (runs[name] = await scenario(step));
      expect(r.stepLog).toEqual([expect.stringMatching(new RegExp(`^clock stepped ${step > 0 ? '\\+1d' : '-1d'} \\(the system clock stepped\\): the schedule moved with it`))]);
      // the window right after the step: what the re-notify schedule calls for, nothing more or less
      const from = Math.ceil(STEP_AT);
      expect(inWindow(r.pushes, from, from + 10)).toBe(inWindow(control.pushes, from, from + 10));
      expect(inWindow(r.pushes, from, END + 1)).toBe(inWindow(control.pushes, from, END + 1));
      expect(ordered(r.pushes)).toEqual(ordered(control.pushes));
      expect(r.outcomes).toEqual(control.outcomes);
    }, 120_000);
  }

  it('expires each message at its intended elapsed time, and moves deferred deliveries on after the step', () => {
    for (const r of [control, runs.plus, runs.minus]) {
      for (let i = 0; i < MESSAGES; i++) {
        const g = groupOf(i);
        const sent = r.submittedAt.get(i) as number;
        const noticed = r.noticedAt.get(recipient(i)) as number;
        expect(noticed, `message ${i}`).toBe(sent + (flaky(recipient(i)) ? 6 : 0)); // two refused pushes: retried after 2 + 4 min
        const at = r.reportAt.get(i);
        // never fetched or deferred: Expired exactly 3 h after acceptance (the scheduler ticks each minute)
        if (g === 'never-fetched' || g === 'deferred') expect(at, `message ${i} (${g})`).toBe(sent + 180);
        // fetched, never confirmed: counted as retrieved 30 min after the fetch
        if (g === 'fetched-unconfirmed') expect(at, `message ${i} (${g})`).toBe(noticed + 2 + 30);
        if (g === 'acknowledged') expect(at, `message ${i} (${g})`).toBe(noticed + 2);
        if (g === 'deferred-then-fetched') expect(at, `message ${i} (${g})`).toBe(85 + (i % 16));
      }
      expect(r.reportAt.get(100)).toBe(5 + 120); // the e-mail recipient held for MM3, Expired after its 2 h
      expect(r.reportAt.get(101)).toBe(80 + 60); // submitted after the step, Expired 1 h later
      const late = r.pushes.filter((p) => p.kind === 'delivery-report' && p.what === 'Retrieved' && p.at >= 85);
      expect(late.length).toBe(Array.from({ length: MESSAGES }, (_, i) => i).filter((i) => groupOf(i) === 'deferred-then-fetched').length);
    }
  });
});

describe('a restart on a restored clock (fake-hwclock), corrected later', () => {
  it('moves what this run scheduled on the wrong clock, and leaves what the previous run scheduled on a trusted one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmsc-clock-restart-'));
    const T0 = Date.UTC(2026, 5, 1, 10, 0, 0);
    const relay = { renotify: { first: '10m', factor: 2, max: '1h' }, defaultExpiry: '3h' };
    const post = (t: TestMmsc, tid: string, to: string) => new Phone(t.base, A).post({
      messageType: 'm-send-req', transactionId: tid, mmsVersion: '1.2', from: { insertAddress: true }, to: [`${to}/TYPE=PLMN`],
      contentType: { type: 'text/plain' }, body: new TextEncoder().encode(tid),
    });
    try {
      // the previous run, on a synchronised clock
      const m1 = new Machine();
      m1.wall = T0;
      const first = await startTestMmsc({ relay }, { dir, clock: new ProcessClock({ system: () => m1.wall, monotonic: () => m1.mono }), systemSync: async () => ({ synchronised: true, how: 'test' }) });
      const old = (await post(first, 'before-restart', '+4790200001')).pdu!.messageId as string;
      await first.mmsc.relay.idle();
      const oldBefore = { msg: first.mmsc.store.messages.get(old)!, nextAt: first.mmsc.store.deliveriesOf(old)[0].nextAt };
      m1.wall += MIN;
      await first.close();
      // the box was off two hours; fake-hwclock restored the time of the last save; no NTP yet
      const m2 = new Machine();
      m2.wall = T0 + 2 * MIN;
      const logLines: string[] = [];
      const again = await startTestMmsc({ relay }, { dir, logLines, clock: new ProcessClock({ system: () => m2.wall, monotonic: () => m2.mono }), systemSync: async () => ({ synchronised: false, how: 'test' }) });
      try {
        expect(again.mmsc.clock.trusted).toBe(false);
        const fresh = (await post(again, 'after-restart', '+4790200002')).pdu!.messageId as string;
        await again.mmsc.relay.idle();
        const freshBefore = { msg: again.mmsc.store.messages.get(fresh)!, nextAt: again.mmsc.store.deliveriesOf(fresh)[0].nextAt as number };
        // NTP steps the clock to the true time
        const step = 2 * 3_600_000 - 2 * MIN;
        m2.wall += step;
        m2.wall += MIN;
        m2.mono += MIN;
        again.mmsc.relay.wake();
        await again.mmsc.relay.idle();
        expect(logLines.map((l) => (JSON.parse(l) as { msg: string; kept?: number }))).toContainEqual(expect.objectContaining({ msg: expect.stringMatching(/^clock stepped \+1h 58m/), kept: 2 }));
        // kept: the earlier message's re-notification and idempotency record; scheduled on the wrong clock: moved by the step
        const freshAfter = again.mmsc.store.messages.get(fresh)!;
        expect(freshAfter.expiresAt - freshBefore.msg.expiresAt).toBe(step);
        expect(again.mmsc.store.deliveriesOf(fresh)[0].nextAt).toBe(freshBefore.nextAt + step);
        // scheduled by the previous run on a trusted clock: as it was (its re-notification, late, went out now)
        expect(again.mmsc.store.messages.get(old)!.expiresAt).toBe(oldBefore.msg.expiresAt);
        const d = again.mmsc.store.deliveriesOf(old)[0];
        expect(d).toMatchObject({ state: 'notified', notifications: 2 });
        expect(oldBefore.nextAt).toBe(T0 + 10 * MIN);
      } finally {
        await again.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
