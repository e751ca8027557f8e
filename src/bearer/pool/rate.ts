// How fast one SIM may send. Operators block SIMs that send too fast, and they count SMS per
// minute; two rules together keep a modem under `perMinute`:
//   - spacing: SMS go out evenly, one per 60 s / perMinute on average; the segments of one
//     message leave together (+CMMS keeps the radio link between them), and the modem then
//     waits as long as those segments cost;
//   - a strict window: never more than perMinute SMS started within any 60 s.
// Times are milliseconds on the caller's clock; nothing here reads the clock.

const MINUTE = 60_000;

export class RateLimiter {
  /** Milliseconds one SMS costs. */
  readonly interval: number;
  /** Earliest start allowed by the spacing rule. */
  private next = -Infinity;
  /** Starts within the last minute: [time, SMS count], oldest first, and their total. */
  private readonly log: [number, number][] = [];
  private used = 0;

  constructor(readonly perMinute: number) {
    if (!(perMinute > 0)) throw new RangeError(`ratePerMinute must be positive (got ${perMinute})`);
    this.interval = MINUTE / perMinute;
  }

  /** The earliest time at or after `now` when `n` SMS may start. */
  earliest(n: number, now: number): number {
    this.forget(now);
    let at = Math.max(now, this.next);
    // The window: drop the oldest starts until n more fit (a message longer than the whole
    // budget waits for an empty window rather than forever).
    let used = this.used;
    const budget = Math.max(this.perMinute, n);
    for (let i = 0; used + n > budget && i < this.log.length; i++) {
      used -= this.log[i][1];
      at = Math.max(at, this.log[i][0] + MINUTE);
    }
    return at;
  }

  /** Records `n` SMS starting at `at`. */
  take(n: number, at: number): void {
    this.forget(at);
    this.next = Math.max(this.next, at) + n * this.interval;
    this.log.push([at, n]);
    this.used += n;
  }

  /** SMS started within the minute before `now`. */
  inLastMinute(now: number): number {
    this.forget(now);
    return this.used;
  }

  private forget(now: number): void {
    while (this.log.length > 0 && this.log[0][0] <= now - MINUTE) this.used -= (this.log.shift() as [number, number])[1];
  }
}
