// The SMPP pacer spaces submissions by monotonic time: a step of the wall clock (the process's
// Date faked a day back, the machine's clock untouched) neither stops the sending for a day
// nor lets a burst through.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Pacer } from '../../src/bearer/smpp/pacer.js';

const DAY = 86_400_000;
afterEach(() => vi.useRealTimers());

describe('SMPP pacer across a step of the wall clock', () => {
  it('gives the next turn after its interval, not a day later', async () => {
    const p = new Pacer(5); // 200 ms apart
    expect(await p.turn()).toBe(true);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() - DAY);
    const started = performance.now();
    const next = await Promise.race([p.turn(), new Promise<'still waiting'>((r) => setTimeout(() => r('still waiting'), 3_000))]);
    expect(next).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(150); // and still spaced
    p.hold(1_000);
    expect(p.heldUntil).toBeGreaterThan(Date.now());
    expect(p.heldUntil).toBeLessThanOrEqual(Date.now() + 1_000);
  });
});
