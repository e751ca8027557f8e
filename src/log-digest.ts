// Log lines that a client can repeat at will (MM1: unknown retrieval tokens, refused retries,
// ignored identity headers, connections refused by a limit): the first one of a kind from a
// client is written at once, the rest are counted and written as one line per client and kind
// per interval, so a scan or a flood neither fills the SD card nor goes unnoticed. The table is
// bounded: while it is full, new clients are summed up in one line per interval instead of
// being tracked one by one, so even an attack from more addresses than that writes at most
// 2 x maxKeys + 1 lines per interval. One copy for every interface that faces the network.
import type { Logger } from 'pino';
import { formatDuration } from './config/duration.js';

interface Entry {
  /** When this (kind, client) was last written. */
  loggedAt: number;
  /** Occurrences since then, not yet written. */
  pending: number;
  msg: string;
  fields: Record<string, unknown>;
}

export class LogDigest {
  /** In order of loggedAt (re-inserted when written): the first entry is the next one due. */
  private readonly entries = new Map<string, Entry>();
  /** Occurrences of clients the full table could not take, written with the next flush. */
  private overflow = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly log: Logger,
    private readonly intervalMs: number,
    private readonly maxKeys: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * One occurrence of `msg` (of `kind`) for `client`: written now when this client's last line
   * of this kind is older than the interval, otherwise counted for the next line. `fields` go
   * into both lines (name the client in them: peer, client...).
   */
  note(kind: string, client: string, fields: Record<string, unknown>, msg: string): void {
    const key = `${kind}\u0000${client}`;
    const now = this.now();
    const e = this.entries.get(key);
    if (e && now - e.loggedAt < this.intervalMs) {
      e.pending++;
      e.fields = fields;
      return;
    }
    if (!e && this.entries.size >= this.maxKeys) {
      this.overflow++;
      this.arm();
      return;
    }
    const pending = e?.pending ?? 0;
    this.log.warn({ ...fields, ...(pending ? { count: pending + 1 } : {}) }, msg);
    this.entries.delete(key);
    this.entries.set(key, { loggedAt: now, pending: 0, msg, fields });
    this.arm();
  }

  /** Writes the counts that are due (the timer calls it; tests may too). */
  flush(): void {
    const now = this.now();
    for (const [key, e] of this.entries) {
      if (now - e.loggedAt < this.intervalMs) break; // the rest are younger
      this.entries.delete(key);
      if (e.pending === 0) continue; // nothing since its line: forgotten, the next one is written at once
      const client = key.slice(key.indexOf('\u0000') + 1);
      const every = formatDuration(this.intervalMs);
      this.log.warn({ ...e.fields, count: e.pending, interval: every }, `${e.pending} more from ${client} in the last ${every}: ${e.msg}`);
      this.entries.set(key, { ...e, loggedAt: now, pending: 0 });
    }
    if (this.overflow > 0) {
      this.log.warn({ count: this.overflow, tracked: this.maxKeys }, `${this.overflow} more events from clients not tracked one by one (${this.maxKeys} are)`);
      this.overflow = 0;
    }
    this.arm();
  }

  /** Stops the timer (pending counts are written first). */
  close(): void {
    for (const e of this.entries.values()) e.loggedAt = -Infinity;
    this.flush();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private arm(): void {
    if (this.timer) return;
    const first = this.entries.values().next().value as Entry | undefined;
    if (!first && this.overflow === 0) return;
    const wait = first ? Math.max(0, first.loggedAt + this.intervalMs - this.now()) : 0;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, wait);
    this.timer.unref?.();
  }
}
