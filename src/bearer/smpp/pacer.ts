// Spaces submissions evenly at the rate the SMSC allows (1/rate apart, no bursts: SMSCs count
// per second and some per shorter windows), and holds them all while the SMSC has said it is
// throttling us. Times are monotonic (performance.now): a step of the wall clock must not
// stop the sending (a day back) or burst it.
export class Pacer {
  private readonly interval: number;
  private next = 0;
  private holdUntil = 0;

  constructor(perSecond: number) {
    this.interval = 1000 / perSecond;
  }

  /** Resolves at this caller's turn; `stop()` returning true gives up waiting (resolves false). */
  async turn(stop: () => boolean = () => false): Promise<boolean> {
    for (;;) {
      if (stop()) return false;
      const now = performance.now();
      const at = Math.max(this.next, this.holdUntil);
      if (at <= now) {
        this.next = now + this.interval;
        return true;
      }
      await new Promise((r) => setTimeout(r, Math.min(at - now, 250)).unref?.());
    }
  }

  /** No turn before `ms` from now. */
  hold(ms: number): void {
    this.holdUntil = Math.max(this.holdUntil, performance.now() + ms);
  }

  /** When the current hold ends, on the wall clock (0: none). */
  get heldUntil(): number {
    const left = this.holdUntil - performance.now();
    return left > 0 ? Date.now() + left : 0;
  }
}
