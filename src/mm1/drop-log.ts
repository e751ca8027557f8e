// Log lines for connections and requests refused by a limit, aggregated so that an attacker
// cannot flood the SD card: the first refusal of an address by a limit in an interval is logged
// at once, the ones after it are counted and written as one line per address and limit at the
// end of the interval. At most `maxAddresses` addresses are counted apart per interval (an IPv6
// attacker has many); the others share one counter.
import type { Logger } from 'pino';
import { formatDuration } from '../config/duration.js';

/** Which limit refused a connection or a request. */
export type Limit =
  | 'headers-timeout'
  | 'no-progress'
  | 'connections-per-address'
  | 'connections'
  | 'bad-request'
  | 'foreign-authority';

interface Tally {
  peer: string;
  limit: Limit;
  /** Refusals after the one logged at once. */
  more: number;
  msg: string;
}

const OTHERS = '(other addresses)';

export class DropLog {
  private tallies = new Map<string, Tally>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly log: Logger, private readonly intervalMs: number, private readonly maxAddresses = 100) {
    this.timer = setInterval(() => this.flush(), intervalMs).unref();
  }

  /** One refusal: logged now if it is the first of this address and limit in the interval. */
  drop(peer: string, limit: Limit, msg: string, detail: Record<string, unknown> = {}): void {
    let key = `${limit} ${peer}`;
    let t = this.tallies.get(key);
    if (!t && this.tallies.size >= this.maxAddresses) {
      key = `${limit} ${OTHERS}`;
      t = this.tallies.get(key);
      if (!t) this.tallies.set(key, (t = { peer: OTHERS, limit, more: 0, msg }));
      t.more++;
      return;
    }
    if (t) {
      t.more++;
      return;
    }
    this.tallies.set(key, { peer, limit, more: 0, msg });
    this.log.warn({ peer, limit, ...detail }, msg);
  }

  /** Writes the counts of the interval and starts a new one. */
  flush(): void {
    const every = formatDuration(this.intervalMs);
    for (const t of this.tallies.values()) {
      if (t.more === 0) continue;
      this.log.warn({ peer: t.peer, limit: t.limit, dropped: t.more, interval: every }, `${t.more} more from ${t.peer} in the last ${every}: ${t.msg}`);
    }
    this.tallies = new Map();
  }

  close(): void {
    clearInterval(this.timer);
    this.flush();
  }
}
