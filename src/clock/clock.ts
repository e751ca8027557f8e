// The process's clock. A Raspberry Pi has no real-time clock: it boots with a restored
// (fake-hwclock) or wrong wall clock, and NTP, when there is any, steps it later by hours or
// days. Everything the relay schedules is a wall-clock time in LMDB, so the process must not
// follow such a step blindly.
//
// `now()` therefore counts monotonic time from a base (it never jumps between checks), and
// `check()` re-bases it onto its reference: the system clock, or a time taken from the network
// (`anchor`) when the system clock cannot be trusted. A difference beyond the threshold is a
// step, handed synchronously to the listeners: whoever keeps wall-clock times (the relay's
// schedule) moves them in the same instant, before anything computes a time on the new scale.

/** A jump of the process's time, beyond its monotonic progress. */
export interface ClockStep {
  /** How far now() moved (ms): positive forward, negative back. */
  delta: number;
  /** now() right after the step. */
  at: number;
  /** What moved it, in words ("the system clock stepped", "network time from modem ..."). */
  cause: string;
  /** Whether the clock was trusted before the step, and is after it. */
  wasTrusted: boolean;
  trusted: boolean;
}

export interface Clock {
  /** Milliseconds since the epoch, on the process's time scale (continuous between checks). */
  now(): number;
  /** Milliseconds of a clock that never steps (elapsed time, delays). */
  monotonic(): number;
  /** Re-bases now() onto its reference; a difference beyond the threshold is a step. */
  check(): void;
  /** Hears every step, synchronously (before any later now() is on the new scale). */
  onStep(listener: (step: ClockStep) => void): () => void;
  /** The time comes from a source believed right (NTP, the network). */
  readonly trusted: boolean;
}

/** No believable time is earlier than this (the year this code was written): older modem clocks are defaults. */
export const EARLIEST_PLAUSIBLE = Date.UTC(2025, 0, 1);

export interface ProcessClockOptions {
  /** The machine's wall clock (default Date.now); tests inject a wrong one. */
  system?: () => number;
  /** A clock that never steps (default performance.now). */
  monotonic?: () => number;
  /** A re-base larger than this (ms) is a step. Default 2 s. */
  stepThreshold?: number;
}

type Reference = { kind: 'system' } | { kind: 'anchor'; at: number; mono: number; source: string };

export class ProcessClock implements Clock {
  readonly system: () => number;
  readonly monotonic: () => number;
  readonly stepThreshold: number;
  private base: number;
  private baseMono: number;
  private ref: Reference = { kind: 'system' };
  private isTrusted = false;
  private readonly listeners = new Set<(s: ClockStep) => void>();

  constructor(o: ProcessClockOptions = {}) {
    this.system = o.system ?? Date.now;
    this.monotonic = o.monotonic ?? (() => performance.now());
    this.stepThreshold = o.stepThreshold ?? 2_000;
    this.baseMono = this.monotonic();
    this.base = this.system();
  }

  now(): number {
    return this.base + (this.monotonic() - this.baseMono);
  }

  get trusted(): boolean {
    return this.isTrusted;
  }

  /** What now() follows: the system clock, or a time it was anchored to (and its source). */
  get reference(): { kind: 'system' } | { kind: 'anchor'; source: string } {
    return this.ref.kind === 'system' ? { kind: 'system' } : { kind: 'anchor', source: this.ref.source };
  }

  /** How far the process's time is ahead of the system clock (ms; negative: behind). */
  offset(): number {
    return this.now() - this.system();
  }

  onStep(listener: (step: ClockStep) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  check(): void {
    this.rebase('the system clock stepped', this.isTrusted);
  }

  /** Follows the system clock from now on (re-based at once). */
  followSystem(trusted: boolean, cause: string): ClockStep | null {
    const was = this.isTrusted;
    this.ref = { kind: 'system' };
    this.isTrusted = trusted;
    return this.rebase(cause, was);
  }

  /** Follows `at`, true at monotonic instant `mono`, counting monotonic time from there (re-based at once). */
  anchor(at: number, mono: number, trusted: boolean, source: string): ClockStep | null {
    const was = this.isTrusted;
    this.ref = { kind: 'anchor', at, mono, source };
    this.isTrusted = trusted;
    return this.rebase(source, was);
  }

  private target(mono: number): number {
    return this.ref.kind === 'system' ? this.system() : this.ref.at + (mono - this.ref.mono);
  }

  private rebase(cause: string, wasTrusted: boolean): ClockStep | null {
    const mono = this.monotonic();
    const current = this.base + (mono - this.baseMono);
    const target = this.target(mono);
    this.base = target;
    this.baseMono = mono;
    const delta = target - current;
    // Small differences (NTP slewing, the network clock's second resolution) are absorbed.
    if (Math.abs(delta) <= this.stepThreshold) return null;
    const step: ClockStep = { delta, at: target, cause, wasTrusted, trusted: this.isTrusted };
    for (const l of [...this.listeners]) l(step);
    return step;
  }
}

/** A clock that is just `now` (tests that drive time by hand): never steps, always trusted. */
export function clockFromNow(now: () => number): Clock {
  return {
    now,
    monotonic: () => performance.now(),
    check: () => undefined,
    onStep: () => () => undefined,
    trusted: true,
  };
}

/** "+1d 2h 3m 4s", "-2h", "+0s": a clock difference for people. */
export function describeDelta(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  let s = Math.round(Math.abs(ms) / 1000);
  const parts: string[] = [];
  for (const [unit, n] of [['d', 86_400], ['h', 3_600], ['m', 60]] as const) {
    if (s >= n) {
      parts.push(`${Math.floor(s / n)}${unit}`);
      s %= n;
    }
  }
  if (s > 0 || parts.length === 0) parts.push(`${s}s`);
  return sign + parts.join(' ');
}
