// The durable store: LMDB, one named database per kind of record, in two environments:
// `<path>/` for every record and `<path>/parts/` for the part payloads (the bulk of the bytes).
//
// Every change is one LMDB write transaction (`tx`), committed with an fdatasync before its
// promise resolves (overlappingSync off: the promise means "on disk", not merely "visible").
// Concurrent transactions are batched by lmdb-js into one commit, which is where the
// throughput comes from. Reads are synchronous and see committed data.
//
// Why two environments: LMDB reads through a memory map, and every page fault maps the pages
// around it too. With payloads interleaved among the small, constantly rewritten records
// (schedule, deliveries, outbox), reading those records kept most of the payload pages mapped:
// the process's RSS grew with the data stored (76-79 MiB of map for 60 MB of 5 KB messages,
// against 27-28 MiB split). A submission commits its payloads and its records in parallel and
// is acknowledged once both are durable; recover() settles what a crash between them left.
//
// A full disk or map (capacity.ts) refuses new messages and lets the stored ones go on; a commit
// that fails is reported there, and state changes that cannot wait are kept (deferred.ts).
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { open, type Database, type RootDatabase } from 'lmdb';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { Capacity, type MapUse } from './capacity.js';
import { DeferredWrites } from './deferred.js';
import { chooseMapSizes, type MapSizes } from './map-size.js';
import { migrate, SCHEMA_VERSION, type Migration } from './migrations.js';
import { bytesInUse, roomToCreate, roomToMigrate } from './usage.js';
import { isWriteFailure, takeUnhandledWriteFailures } from './write-failures.js';
import type {
  Delivery, DeliveryKey, IncomingSms, OutboxItem, PhoneRecord, PoolJob, PoolModemRecord, PoolPart, PoolSegment, PoolSentSms, SmppPushRecord,
  StoredMessage,
} from './types.js';

export { StoreSpaceError } from './usage.js';

/** Timed work, ordered by time: [at, kind, ...ref]. */
export type ScheduleKey =
  | [number, 'd', string, number] // a delivery's next action
  | [number, 'o', string] // an outbox item due for (re)submission
  | [number, 'i', string, string] // an idempotency record to forget
  | [number, 'm', string] // a finished message's headers to drop
  | [number, 'p', string]; // a finished message's part payloads to drop (in the parts environment)

export interface IdempotencyRecord {
  messageId: string;
  at: number;
}

export interface StoreOptions {
  path: string;
  /** Both environments together (map-size.ts); default `auto`. */
  mapSizeMiB?: number | 'auto';
  /** Space kept for the messages already stored (capacity.ts); default 32. */
  reserveMiB?: number;
  readOnly?: boolean;
  log?: Logger;
  /** Where the capacity gauges go (the process's metrics). */
  registry?: Registry;
  /** For tests of the migration path: the schema to bring the store to, and the steps. */
  schema?: { version: number; migrations: Record<number, Migration> };
}

/** What recover() found and settled after an unclean stop. */
export interface RecoveryReport {
  /** Messages whose payloads never became durable (their m-send.conf Ok was never sent): removed. */
  incomplete: string[];
  /** Payloads without a live message (written for a submission that never committed, or not yet dropped). */
  orphanParts: number;
}

/** A read-only open found no store at the path. */
export class StoreNotFoundError extends Error {
  constructor(readonly path: string) {
    super(`no message store at ${path}`);
  }
}

export class Store {
  readonly env: RootDatabase;
  /** The part payloads' environment (absent in read-only mode: the CLI only reads records). */
  readonly partsEnv: RootDatabase | null;
  readonly meta: Database<unknown, string>;
  readonly messages: Database<StoredMessage, string>;
  private readonly partsDb: Database<Buffer, [string, number]> | null;
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
  /** Job id -> a push the SMPP bearer sent or is sending, until its outcome is final. */
  readonly smppPushes: Database<SmppPushRecord, string>;
  readonly schemaVersion: number;
  /** The sizes of the two maps and why (said at start). */
  readonly maps: MapSizes;
  /** Whether new messages can be stored (started by the server, idle in read-only tools). */
  readonly capacity: Capacity;
  /** State changes kept while the store cannot write. */
  readonly deferred: DeferredWrites;
  private readonly releaseGuard: () => void;

  constructor(opts: StoreOptions) {
    if (!opts.readOnly) {
      mkdirSync(opts.path, { recursive: true });
      roomToCreate(opts.path);
    } else if (!existsSync(join(opts.path, 'data.mdb'))) {
      // lmdb creates a missing folder even to read it: a look at a store that is not there must
      // say so and leave nothing behind
      throw new StoreNotFoundError(opts.path);
    }
    this.maps = chooseMapSizes(opts.mapSizeMiB ?? 'auto');
    this.env = open({
      path: opts.path,
      mapSize: this.maps.recordsMiB * 1024 * 1024,
      overlappingSync: false,
      maxDbs: 32,
      readOnly: opts.readOnly ?? false,
    });
    const partsPath = join(opts.path, 'parts');
    this.partsEnv = opts.readOnly
      ? null
      : open({ path: partsPath, mapSize: this.maps.partsMiB * 1024 * 1024, overlappingSync: false, maxDbs: 2 });
    this.partsDb = this.partsEnv ? this.partsEnv.openDB({ name: 'parts', encoding: 'binary' }) : null;
    this.meta = this.env.openDB({ name: 'meta' });
    this.messages = this.env.openDB({ name: 'messages' });
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
    this.smppPushes = this.env.openDB({ name: 'smpp-pushes' });
    this.releaseGuard = opts.readOnly ? () => undefined : takeUnhandledWriteFailures((e) => this.capacity?.writeFailed(e));
    try {
      if (!opts.readOnly) roomToMigrate(opts.path, this.meta.get('schema') as number | undefined, opts.schema?.version ?? SCHEMA_VERSION);
      this.schemaVersion = opts.readOnly
        ? ((this.meta.get('schema') as number) ?? 0)
        : migrate({ env: this.env, partsEnv: this.partsEnv as RootDatabase }, this.meta, opts.schema?.version, opts.schema?.migrations);
    } catch (e) {
      this.releaseGuard();
      void this.env.close();
      void this.partsEnv?.close();
      throw e;
    }
    this.capacity = new Capacity({
      path: opts.path,
      maps: this.maps,
      reserveMiB: opts.reserveMiB ?? 32,
      mapUse: () => this.mapUse(),
      probe: () => this.tx(() => this.meta.putSync('capacity.probe', Date.now())),
      registry: opts.registry,
      log: opts.log,
    });
    this.deferred = new DeferredWrites((fn) => this.tx(fn), opts.log);
  }

  /**
   * Bytes in use in each environment: the pages of every database (and of LMDB's own trees).
   * Free pages inside the data file are not counted: LMDB reuses them.
   */
  mapUse(): MapUse {
    const records = [this.meta, this.messages, this.deliveries, this.schedule, this.tokens, this.tids, this.idempotency, this.outbox, this.quarantine, this.phones, this.inbox,
      this.poolJobs, this.poolSegments, this.poolSent, this.poolParts, this.poolInbox, this.poolSeen, this.poolModems, this.smppPushes];
    return {
      records: bytesInUse(this.env, records),
      parts: this.partsEnv && this.partsDb ? bytesInUse(this.partsEnv, [this.partsDb]) : 0,
    };
  }

  /** Bytes in use in the payloads' environment of a store, read-only (for `mmsc doctor`); null when it has none. */
  static partsInUse(path: string, maps: MapSizes): Promise<number | null> {
    const partsPath = join(path, 'parts');
    if (!existsSync(join(partsPath, 'data.mdb'))) return Promise.resolve(null);
    const env = open({ path: partsPath, mapSize: maps.partsMiB * 1024 * 1024, readOnly: true, maxDbs: 2 });
    let bytes: number | null = null;
    try {
      bytes = bytesInUse(env, [env.openDB({ name: 'parts', encoding: 'binary' })]);
    } catch {
      // not a payloads environment we know
    }
    return env.close().then(() => bytes);
  }

  /**
   * Keeps a state change the store could not write (see deferred.ts) and writes it as soon as
   * it can; resolves true once written, false if the store closed first.
   */
  later(what: string, fn: () => void): Promise<boolean> {
    return this.deferred.add(what, fn);
  }

  /** Part payloads, [Message-ID, index] -> octets, stored once per message whatever the recipients. */
  get parts(): Database<Buffer, [string, number]> {
    if (!this.partsDb) throw new Error('part payloads are not opened in read-only mode');
    return this.partsDb;
  }

  /** A write transaction of the parts environment; resolves once durable. */
  partsTx<T>(fn: () => T): Promise<T> {
    if (!this.partsEnv) throw new Error('the store is read-only');
    return this.reported(this.partsEnv.transaction(fn));
  }

  /** A failed commit is reported to the capacity check (which may refuse new messages). */
  private reported<T>(commit: Promise<T>): Promise<T> {
    return Promise.resolve(commit).catch((e: unknown) => {
      if (isWriteFailure(e)) this.capacity?.writeFailed(e);
      throw e;
    });
  }

  /** Drops a message's payloads (its own transaction: they live in the other environment). */
  dropParts(id: string, count: number): Promise<void> {
    return this.partsTx(() => {
      for (let i = 0; i < count; i++) this.parts.removeSync([id, i]);
    });
  }

  /**
   * Settles what a crash between a submission's two commits can leave, before anything is
   * scheduled: a message whose payloads are not all there was never acknowledged (Ok waits for
   * both commits), so it is removed with its idempotency record and the phone's re-send creates
   * it afresh; payloads of no live message are dropped.
   */
  async recover(): Promise<RecoveryReport> {
    const incomplete: string[] = [];
    for (const { value: m } of this.messages.getRange()) {
      if (m.partsPurged) continue;
      for (let i = 0; i < m.parts.length; i++) {
        if (!this.parts.doesExist([m.id, i])) {
          incomplete.push(m.id);
          break;
        }
      }
    }
    if (incomplete.length) {
      await this.tx(() => {
        for (const id of incomplete) {
          const m = this.messages.get(id);
          if (!m) continue;
          const idem = this.idempotency.get([m.sender, m.senderTid]);
          if (idem?.messageId === id) this.idempotency.removeSync([m.sender, m.senderTid]);
          this.removeMessage(id);
        }
      });
    }
    const orphans: [string, number][] = [];
    for (const key of this.parts.getKeys()) {
      const [id] = key as [string, number];
      const m = this.messages.get(id);
      if (!m || m.partsPurged || incomplete.includes(id)) orphans.push(key as [string, number]);
    }
    if (orphans.length) await this.partsTx(() => orphans.forEach((k) => this.parts.removeSync(k)));
    return { incomplete, orphanParts: orphans.length };
  }

  /** Runs fn in one write transaction; resolves once the commit is durable. */
  tx<T>(fn: () => T): Promise<T> {
    return this.reported(this.env.transaction(fn));
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

  /** Takes back putIdempotency (same forgetAt). */
  removeIdempotency(sender: string, tid: string, forgetAt: number): void {
    this.idempotency.removeSync([sender, tid]);
    this.schedule.removeSync([forgetAt, 'i', sender, tid]);
  }

  /**
   * Removes a message, its deliveries and their lookups (its payloads live in the other
   * environment: dropParts(), or recover() finds them orphaned).
   */
  removeMessage(id: string): void {
    const msg = this.messages.get(id);
    if (!msg) return;
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
    this.capacity?.stop();
    this.deferred?.close();
    await this.env.close();
    await this.partsEnv?.close();
    this.releaseGuard();
  }
}
