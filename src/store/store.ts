// The durable store: one LMDB environment, one named database per kind of record.
//
// Every change is one LMDB write transaction (`tx`), committed with an fdatasync before its
// promise resolves (overlappingSync off: the promise means "on disk", not merely "visible").
// Concurrent transactions are batched by lmdb-js into one commit, which is where the
// throughput comes from. Reads are synchronous and see committed data.
import { mkdirSync } from 'node:fs';
import { open, type Database, type RootDatabase } from 'lmdb';
import { migrate, type Migration } from './migrations.js';
import type {
  Delivery, DeliveryKey, IncomingSms, OutboxItem, PhoneRecord, PoolJob, PoolModemRecord, PoolPart, PoolSegment, PoolSentSms,
  StoredMessage,
} from './types.js';

/** Timed work, ordered by time: [at, kind, ...ref]. */
export type ScheduleKey =
  | [number, 'd', string, number] // a delivery's next action
  | [number, 'o', string] // an outbox item due for (re)submission
  | [number, 'i', string, string] // an idempotency record to forget
  | [number, 'm', string]; // a finished message's headers to drop

export interface IdempotencyRecord {
  messageId: string;
  at: number;
}

export interface StoreOptions {
  path: string;
  mapSizeMiB?: number;
  readOnly?: boolean;
  /** For tests of the migration path: the schema to bring the store to, and the steps. */
  schema?: { version: number; migrations: Record<number, Migration> };
}

export class Store {
  readonly env: RootDatabase;
  readonly meta: Database<unknown, string>;
  readonly messages: Database<StoredMessage, string>;
  /** Part payloads, stored once per message whatever the number of recipients. */
  readonly parts: Database<Buffer, [string, number]>;
  readonly deliveries: Database<Delivery, DeliveryKey>;
  readonly schedule: Database<null, ScheduleKey>;
  /** Retrieval token -> delivery. */
  readonly tokens: Database<DeliveryKey, string>;
  /** Notification / retrieve Transaction-ID -> delivery. */
  readonly tids: Database<DeliveryKey, string>;
  /** [sender, Transaction-ID] of an m-send.req -> the Message-ID it produced. */
  readonly idempotency: Database<IdempotencyRecord, [string, string]>;
  readonly outbox: Database<OutboxItem, string>;
  /** Pushes that failed permanently or ran out of retries, kept for the operator. */
  readonly quarantine: Database<OutboxItem, string>;
  /** MSISDN -> what we know of that phone. */
  readonly phones: Database<PhoneRecord, string>;
  /** Short messages phones sent to us (SMS-to-e-mail and friends take them from here). */
  readonly inbox: Database<IncomingSms, string>;
  // The modem pool (src/bearer/pool): its durable SMS queue, status-report correlation,
  // incoming reassembly and the modem view `mmsc modems` reads.
  /** Job id -> the push being cut into SMS and sent. */
  readonly poolJobs: Database<PoolJob, string>;
  /** [job id, segment] -> one SMS of it, with its +CMGS answer once it came. */
  readonly poolSegments: Database<PoolSegment, [string, number]>;
  /** [modem, TP-MR, recipient, sentAt] -> the segment a status report will be about. */
  readonly poolSent: Database<PoolSentSms, [string, number, string, number]>;
  /** [group, sequence] -> a received part of a concatenated SMS. */
  readonly poolParts: Database<PoolPart, [string, number]>;
  /** Received SMS (whole, or timed out) not yet taken by the relay. */
  readonly poolInbox: Database<IncomingSms, string>;
  /** Received PDU key -> forget-at (a part read again after a crash is not taken twice). */
  readonly poolSeen: Database<number, string>;
  /** Modem key -> its last known state, for `mmsc modems`. */
  readonly poolModems: Database<PoolModemRecord, string>;
  readonly schemaVersion: number;

  constructor(opts: StoreOptions) {
    if (!opts.readOnly) mkdirSync(opts.path, { recursive: true });
    this.env = open({
      path: opts.path,
      mapSize: (opts.mapSizeMiB ?? 4096) * 1024 * 1024,
      overlappingSync: false,
      maxDbs: 32,
      readOnly: opts.readOnly ?? false,
    });
    this.meta = this.env.openDB({ name: 'meta' });
    this.messages = this.env.openDB({ name: 'messages' });
    this.parts = this.env.openDB({ name: 'parts', encoding: 'binary' });
    this.deliveries = this.env.openDB({ name: 'deliveries' });
    this.schedule = this.env.openDB({ name: 'schedule' });
    this.tokens = this.env.openDB({ name: 'tokens' });
    this.tids = this.env.openDB({ name: 'tids' });
    this.idempotency = this.env.openDB({ name: 'idempotency' });
    this.outbox = this.env.openDB({ name: 'outbox' });
    this.quarantine = this.env.openDB({ name: 'quarantine' });
    this.phones = this.env.openDB({ name: 'phones' });
    this.inbox = this.env.openDB({ name: 'inbox' });
    this.poolJobs = this.env.openDB({ name: 'pool-jobs' });
    this.poolSegments = this.env.openDB({ name: 'pool-segments' });
    this.poolSent = this.env.openDB({ name: 'pool-sent' });
    this.poolParts = this.env.openDB({ name: 'pool-parts' });
    this.poolInbox = this.env.openDB({ name: 'pool-inbox' });
    this.poolSeen = this.env.openDB({ name: 'pool-seen' });
    this.poolModems = this.env.openDB({ name: 'pool-modems' });
    try {
      this.schemaVersion = opts.readOnly
        ? ((this.meta.get('schema') as number) ?? 0)
        : migrate(this.env, this.meta, opts.schema?.version, opts.schema?.migrations);
    } catch (e) {
      void this.env.close();
      throw e;
    }
  }

  /** Runs fn in one write transaction; resolves once the commit is durable. */
  tx<T>(fn: () => T): Promise<T> {
    return this.env.transaction(fn);
  }

  /** Same, synchronously (for start-up and tools; blocks the event loop for one fsync). */
  txSync<T>(fn: () => T): T {
    return this.env.transactionSync(fn) as T;
  }

  // ---- writes: call inside tx() ----

  /** Stores a delivery and keeps the schedule index in step with its nextAt. */
  putDelivery(d: Delivery): void {
    const key: DeliveryKey = [d.messageId, d.index];
    const prev = this.deliveries.get(key);
    if (prev && prev.nextAt !== null && prev.nextAt !== d.nextAt) {
      this.schedule.removeSync([prev.nextAt, 'd', d.messageId, d.index]);
    }
    if (d.nextAt !== null && (!prev || prev.nextAt !== d.nextAt)) {
      this.schedule.putSync([d.nextAt, 'd', d.messageId, d.index], null);
    }
    this.deliveries.putSync(key, d);
  }

  putOutbox(item: OutboxItem): void {
    const prev = this.outbox.get(item.id);
    if (prev && prev.nextAt !== item.nextAt) this.schedule.removeSync([prev.nextAt, 'o', item.id]);
    this.schedule.putSync([item.nextAt, 'o', item.id], null);
    this.outbox.putSync(item.id, item);
  }

  removeOutbox(id: string): void {
    const prev = this.outbox.get(id);
    if (!prev) return;
    this.schedule.removeSync([prev.nextAt, 'o', id]);
    this.outbox.removeSync(id);
  }

  putIdempotency(sender: string, tid: string, rec: IdempotencyRecord, forgetAt: number): void {
    this.idempotency.putSync([sender, tid], rec);
    this.schedule.putSync([forgetAt, 'i', sender, tid], null);
  }

  /** Removes a message, its parts, its deliveries and their lookups. */
  removeMessage(id: string): void {
    const msg = this.messages.get(id);
    if (!msg) return;
    for (let i = 0; i < msg.parts.length; i++) this.parts.removeSync([id, i]);
    for (const { key, value: d } of this.deliveries.getRange({ start: [id, 0], end: [id, Number.MAX_SAFE_INTEGER] })) {
      if (d.nextAt !== null) this.schedule.removeSync([d.nextAt, 'd', id, d.index]);
      this.tokens.removeSync(d.token);
      this.tids.removeSync(d.tid);
      if (d.retrieveTid) this.tids.removeSync(d.retrieveTid);
      this.deliveries.removeSync(key);
    }
    this.messages.removeSync(id);
  }

  // ---- reads ----

  deliveriesOf(messageId: string): Delivery[] {
    return [...this.deliveries.getRange({ start: [messageId, 0], end: [messageId, Number.MAX_SAFE_INTEGER] }).map((e) => e.value)];
  }

  deliveryByToken(token: string): Delivery | undefined {
    const k = this.tokens.get(token);
    return k ? this.deliveries.get(k) : undefined;
  }

  deliveryByTid(tid: string): Delivery | undefined {
    const k = this.tids.get(tid);
    return k ? this.deliveries.get(k) : undefined;
  }

  /** Schedule entries due at or before `now`, oldest first. */
  due(now: number, limit = 256): ScheduleKey[] {
    return [...this.schedule.getKeys({ end: [now + 1], limit })] as ScheduleKey[];
  }

  /** Time of the earliest scheduled entry, if any. */
  nextDueAt(): number | undefined {
    for (const k of this.schedule.getKeys({ limit: 1 })) return (k as ScheduleKey)[0];
    return undefined;
  }

  async close(): Promise<void> {
    await this.env.close();
  }
}
