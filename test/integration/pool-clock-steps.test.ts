// The modem pool (simulated modems on ptys) when the wall clock steps: its rate limits are
// delays and count monotonic time, so a step back of a day does not stop the sending; the
// times it keeps in LMDB (received parts of a long SMS) move with the step, so a step forward
// does not hand over every incomplete message at once. The pool's wall clock is injected.
import { afterEach, describe, expect, it } from 'vitest';
import { parseAddress, segmentText } from '../../src/codec/sms/index.js';
import type { Bearer, IncomingSms, SubmitOutcome } from '../../src/relay/bearer.js';
import { job, PoolLab, until } from '../support/pool-lab.js';

const DAY = 86_400_000;
let lab: PoolLab;
afterEach(async () => lab?.close());

const within = <T>(p: Promise<T>, ms: number): Promise<T | 'still waiting'> =>
  Promise.race([p, new Promise<'still waiting'>((r) => setTimeout(() => r('still waiting'), ms).unref())]);

describe('the modem pool across clock steps', () => {
  it('keeps sending after the wall clock steps back a day (rate limits count monotonic time)', async () => {
    lab = new PoolLab();
    const [m] = await lab.addModems(1);
    let offset = 0;
    // 600 SMS a minute: the next SMS may start 100 ms after the previous one
    const pool = lab.pool({ now: () => Date.now() + offset, specs: [lab.spec(m, { ratePerMinute: 600 })] });
    await lab.ready(pool);
    expect(await pool.submit(job('before-step', '+15557500001'))).toMatchObject({ status: 'sent' });
    offset -= DAY; // NTP steps the system clock back a day
    const after: SubmitOutcome | 'still waiting' = await within(pool.submit(job('after-step', '+15557500002')), 5_000);
    expect(after).toMatchObject({ status: 'sent' });
    expect(lab.network.submittedTo('+15557500002')).toHaveLength(1);
  });

  it('keeps the reassembly timeout of a long SMS across a step forward of a day', async () => {
    lab = new PoolLab();
    const [m] = await lab.addModems(1);
    let offset = 0;
    const pool = lab.pool({ now: () => Date.now() + offset, reassemblyTimeout: 5_000 });
    const got: IncomingSms[] = [];
    pool.onIncoming(async (s) => void got.push(s));
    await lab.ready(pool);
    const phone = lab.phone('+15557500010');
    const text = 'A long SMS whose middle part is late; the step of the clock must not cut it short. '.repeat(5);
    const parts = segmentText(text, { destination: parseAddress(m.modem.msisdn), ref: 0x21 });
    expect(parts.length).toBe(3); // 1 and 3 now, 2 after the step
    let mr = 0;
    const send = async (p: (typeof parts)[number]) => expect((await lab.network.submit(phone, { ...p, mr }, mr++)).ok).toBe(true);
    await send(parts[0]);
    await send(parts[2]);
    await until(() => [...lab.store.poolParts.getKeys()].length === 2, 'two parts stored');
    offset += DAY;
    await (pool as Bearer).clockStepped?.({ delta: DAY });
    // another phone's first part arrives: the pool looks at its timers again
    const other = segmentText('Another long message, first part only for now. '.repeat(4), { destination: parseAddress(m.modem.msisdn), ref: 0x22 });
    expect((await lab.network.submit(lab.phone('+15557500011'), { ...other[0], mr: 9 }, 9)).ok).toBe(true);
    await until(() => [...lab.store.poolParts.getKeys()].length === 3 || got.length > 0, 'the other part stored');
    await new Promise((r) => setTimeout(r, 200));
    expect(got).toEqual([]); // nothing handed over incomplete
    await send(parts[1]);
    await until(() => got.length === 1, 'the whole message');
    expect(got[0]).toMatchObject({ text });
    expect(got[0].missingParts).toBeUndefined();
  });
});
