// Per-client token buckets with a bounded table: a client that has never been charged (or has
// refilled) holds no entry, and past maxClients the least recently charged are forgotten, so a
// scan from many addresses costs memory in proportion to the bound, never to the scan.

export interface BucketOptions {
  /** Tries a client may make in a row. */
  burst: number;
  /** Tries given back per minute. */
  perMinute: number;
  /** Clients remembered at once. */
  maxClients: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly table = new Map<string, Bucket>();

  constructor(private readonly o: BucketOptions, private readonly now: () => number = Date.now) {}

  /** Whether `key` may try now (does not charge it). */
  allows(key: string): boolean {
    return this.level(key) >= 1;
  }

  /** Charges one try to `key`. */
  take(key: string): void {
    const tokens = Math.max(0, this.level(key) - 1);
    this.table.delete(key); // re-inserted last: Map order is least recently charged first
    this.table.set(key, { tokens, at: this.now() });
    while (this.table.size > this.o.maxClients) this.table.delete(this.table.keys().next().value as string);
  }

  /** Seconds until `key` may try again (0 when it may now). */
  retryAfter(key: string): number {
    const missing = 1 - this.level(key);
    return missing <= 0 ? 0 : Math.ceil((missing * 60) / this.o.perMinute);
  }

  /** Clients currently remembered. */
  get size(): number {
    return this.table.size;
  }

  private level(key: string): number {
    const b = this.table.get(key);
    if (!b) return this.o.burst;
    const tokens = Math.min(this.o.burst, b.tokens + ((this.now() - b.at) * this.o.perMinute) / 60_000);
    if (tokens >= this.o.burst) this.table.delete(key); // full again: nothing to remember
    return tokens;
  }
}
