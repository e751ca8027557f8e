// Connections and requests refused by one of MM1's limits: each leaves a log line naming the
// peer and the limit, aggregated per address and limit through the shared LogDigest so that an
// attacker cannot flood the SD card (the first at once, then one line per interval with a count).
import type { LogDigest } from '../log-digest.js';

/** Which limit refused a connection or a request. */
export type Limit =
  | 'headers-timeout'
  | 'no-progress'
  | 'connections-per-address'
  | 'connections'
  | 'bad-request'
  | 'foreign-authority';

export class DropLog {
  constructor(private readonly digest: LogDigest) {}

  drop(peer: string, limit: Limit, msg: string, detail: Record<string, unknown> = {}): void {
    this.digest.note(limit, peer, { peer, limit, ...detail }, msg);
  }

  /** Writes the counts not yet written. */
  close(): void {
    this.digest.close();
  }
}
