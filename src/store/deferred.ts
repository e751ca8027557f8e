// State changes the store could not write when they happened (a full disk, a failing card):
// kept in memory, in order, and written as soon as a commit goes through, so that a phone's
// retrieval or confirmation, or a push's outcome, is neither a crash nor an error for the
// phone, and is not forgotten while the process lives. Only changes that are right to apply
// late are kept: each reads the current state inside its transaction and applies what is still
// due. A stop before they are written loses them, as a crash before the commit would (the
// relay's design already tolerates that: a push is re-sent, a delivery re-notified).
import type { Logger } from 'pino';
import { describeWriteFailure, isWriteFailure } from './write-failures.js';

interface Kept {
  what: string;
  fn: () => void;
  done: (written: boolean) => void;
}

const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 30_000;

export class DeferredWrites {
  private queue: Kept[] = [];
  private timer: NodeJS.Timeout | null = null;
  private retryMs = FIRST_RETRY_MS;
  private flushing: Promise<void> | null = null;
  private since = 0;
  private dropped = 0;
  private closed = false;

  constructor(
    private readonly tx: (fn: () => void) => Promise<unknown>,
    private readonly log?: Logger,
    /** Changes kept at most: past it, new ones are dropped (counted in the log line). */
    private readonly limit = 10_000,
  ) {}

  /** Changes waiting to be written. */
  get size(): number {
    return this.queue.length;
  }

  /** Keeps `fn` (run inside a transaction later); resolves true once written, false if never. */
  add(what: string, fn: () => void): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (this.queue.length >= this.limit) {
      if (this.dropped++ === 0) this.log?.error({ limit: this.limit, what }, 'too many state changes waiting for the store to write: further ones are dropped');
      return Promise.resolve(false);
    }
    if (this.queue.length === 0) {
      this.since = Date.now();
      this.log?.warn({ what }, 'the store cannot write: state changes are kept in memory and written as soon as it can');
    }
    return new Promise<boolean>((done) => {
      this.queue.push({ what, fn, done });
      this.arm();
    });
  }

  /** Tries to write everything kept, in one transaction. */
  flush(): Promise<void> {
    if (this.flushing || this.queue.length === 0 || this.closed) return this.flushing ?? Promise.resolve();
    const batch = this.queue;
    this.queue = [];
    this.flushing = this.tx(() => {
      for (const k of batch) {
        try {
          k.fn();
        } catch (err) {
          // a change that no longer applies (a bug, not the disk): dropped, not retried forever
          this.log?.error({ err, what: k.what }, 'a kept state change failed and is dropped');
          k.fn = () => undefined;
        }
      }
    })
      .then(() => {
        for (const k of batch) k.done(true);
        this.log?.info({ changes: batch.length, keptForMs: Date.now() - this.since, dropped: this.dropped }, 'state changes kept while the store could not write are written');
        this.retryMs = FIRST_RETRY_MS;
        this.dropped = 0;
      })
      .catch((err: unknown) => {
        this.queue = [...batch, ...this.queue];
        if (!isWriteFailure(err)) this.log?.error({ err }, 'writing kept state changes failed');
        else this.log?.debug({ error: describeWriteFailure(err), waiting: this.queue.length }, 'kept state changes still cannot be written');
        this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
      })
      .finally(() => {
        this.flushing = null;
        if (this.queue.length) this.arm();
      });
    return this.flushing;
  }

  /** What is still kept is given up (the store closes). */
  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.queue.length) this.log?.warn({ changes: this.queue.length }, 'state changes never written: the store closed before it could write them');
    for (const k of this.queue) k.done(false);
    this.queue = [];
  }

  private arm(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.retryMs);
    this.timer.unref?.();
  }
}
