// One modem of the pool: its driver, its rate limit, its health (failures in a row, benched
// until when) and its counters. The pool decides; a member only keeps the facts.
import type { Modem } from '../modem/driver.js';
import type { PortOpener } from '../modem/port.js';
import type { VendorName } from '../modem/quirks.js';
import type { ModemState } from '../modem/types.js';
import { RateLimiter } from './rate.js';

/** How a modem of the pool is set up (config `bearer.modems[]`, or a simulated one). */
export interface PoolModemSpec {
  /** The AT port; a re-plugged modem is found again by IMEI. */
  port: string;
  imei?: string;
  pin?: string;
  vendor?: VendorName | 'auto';
  smsc?: string;
  /** SMS per minute the SIM may send. */
  ratePerMinute: number;
  /** Destination prefixes it serves; empty = any. */
  routes: string[];
  receive?: 'store' | 'direct';
  /** The SIM's own number, when known (the `to` of what it receives). */
  msisdn?: string;
  /** How to open the port (default: serialport) and where to look for it when it vanished. */
  opener?: PortOpener;
  locate?: () => string[] | Promise<string[]>;
}

/** Driver states from which a modem may come back by itself soon. */
export const TRANSIENT: ReadonlySet<ModemState> = new Set(['opening', 'initialising', 'searching', 'unresponsive', 'gone', 'missing']);

export class PoolMember {
  readonly limiter: RateLimiter;
  /** The job it is sending, if any. */
  busy: string | null = null;
  failuresInARow = 0;
  /** Wall-clock time the bench ends (shown), and the same on the monotonic clock (acted on). */
  benchedUntil: number | null = null;
  benchEnds: number | null = null;
  lastFailure: string | null = null;
  sent = 0;
  failed = 0;
  probeTimer: NodeJS.Timeout | null = null;

  constructor(readonly spec: PoolModemSpec, readonly modem: Modem) {
    this.limiter = new RateLimiter(spec.ratePerMinute);
  }

  /** IMEI once known (status reports come back to it), else the configured one, else the port. */
  get key(): string {
    return this.modem.status.imei ?? this.spec.imei ?? this.spec.port;
  }

  get state(): ModemState {
    return this.modem.status.state;
  }

  /** Ready to send: the driver is ready and the pool has not benched it (a benched modem waits for its probe). */
  get usable(): boolean {
    return this.state === 'ready' && this.benchedUntil === null;
  }

  /** A label for logs and reasons: "35xxxxxxxxxxxx (/dev/ttyUSB2)". */
  get label(): string {
    const imei = this.modem.status.imei ?? this.spec.imei;
    return imei ? `${imei} (${this.modem.status.path})` : this.modem.status.path;
  }

  /** Why it cannot send now, in words; null when it can (`mono`: the pool's monotonic time). */
  why(mono: number): string | null {
    if (this.benchedUntil !== null) {
      const until = new Date(this.benchedUntil).toISOString().replace(/\.\d+Z$/, 'Z');
      return `benched until ${until} after ${this.failuresInARow} failure${this.failuresInARow === 1 ? '' : 's'} in a row${this.lastFailure ? ` (last: ${this.lastFailure})` : ''}${mono >= (this.benchEnds ?? 0) ? ', being probed' : ''}`;
    }
    const st = this.modem.status;
    if (st.state === 'ready') return null;
    return `${st.state}${st.detail ? ` (${st.detail})` : ''}`;
  }
}
