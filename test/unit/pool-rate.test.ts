// The per-SIM rate limit: even spacing, segments of one message together, and never more than
// ratePerMinute SMS started within any 60 s. Times are given, not read from a clock.
import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/bearer/pool/rate.js';

/** Starts `jobs` (SMS counts) as early as the limiter allows; returns each start time. */
function schedule(r: RateLimiter, jobs: number[], from = 0): number[] {
  let now = from;
  return jobs.map((n) => {
    now = r.earliest(n, now);
    r.take(n, now);
    return now;
  });
}

/** The most SMS started within any window of `ms` (half-open). */
function maxInWindow(starts: number[], sizes: number[], ms: number): number {
  let best = 0;
  for (let i = 0; i < starts.length; i++) {
    let n = 0;
    for (let j = 0; j < starts.length; j++) if (starts[j] >= starts[i] && starts[j] < starts[i] + ms) n += sizes[j];
    best = Math.max(best, n);
  }
  return best;
}

describe('RateLimiter', () => {
  it('spaces single SMS evenly at 60 s / ratePerMinute', () => {
    const r = new RateLimiter(20);
    expect(r.interval).toBe(3000);
    expect(schedule(r, [1, 1, 1, 1])).toEqual([0, 3000, 6000, 9000]);
  });

  it('lets the segments of one message go together, then waits what they cost', () => {
    const r = new RateLimiter(20);
    expect(schedule(r, [3, 1])).toEqual([0, 9000]);
  });

  it('does not make an idle modem wait for time it did not use', () => {
    const r = new RateLimiter(60);
    r.take(1, 0);
    expect(r.earliest(1, 500)).toBe(1000);
    expect(r.earliest(1, 60_000)).toBe(60_000);
  });

  it('never starts more than ratePerMinute SMS within any 60 s, whatever the mix', () => {
    for (const rate of [1, 5, 20, 31]) {
      const sizes = [1, 3, 1, 2, 1, 1, 4, 1, 2, 1, 1, 1, 3, 1, 1, 2, 1, 1, 1, 1];
      const r = new RateLimiter(rate);
      const starts = schedule(r, sizes);
      expect(maxInWindow(starts, sizes, 60_000), `rate ${rate}`).toBeLessThanOrEqual(Math.max(rate, 4));
      // and it is not much slower than the limit (the two rules together are a little cautious
      // around multi-segment messages)
      const total = sizes.reduce((a, b) => a + b, 0);
      expect(starts.at(-1)!).toBeLessThanOrEqual(((total * 60_000) / rate) * 1.2);
    }
  });

  it('lets a message longer than the whole minute budget go once the window is empty', () => {
    const r = new RateLimiter(2);
    r.take(1, 0);
    const at = r.earliest(5, 1);
    expect(at).toBeGreaterThanOrEqual(60_000);
    r.take(5, at);
    expect(r.inLastMinute(at + 1)).toBe(5);
    expect(r.inLastMinute(at + 60_000)).toBe(0);
  });

  it('refuses a rate that is not positive', () => {
    expect(() => new RateLimiter(0)).toThrow(/ratePerMinute must be positive/);
  });
});
