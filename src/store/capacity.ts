// Whether the store can take new messages: the space left on its filesystem, the use of its
// maps against `store.mapSizeMiB`, and whether commits go through. Below the reserve, over 7/8
// of a map, or while commits fail, new messages are refused (the relay answers
// Error-transient-failure) and everything already accepted goes on: notifications, retrievals,
// confirmations, reports. The state is checked every 5 s, at once after a failed commit and
// when a submission would pass a limit; while refusing, every second (statfs), so the store
// resumes by itself when space returns, after a commit that succeeds proves it writes again.
//
// The reserve (`store.reserveMiB`) is kept twice: as headroom (new messages stop while that
// much is still free, so the messages already stored can still move), and as a file of that
// size in the store's folder, given up when the disk fills anyway (another program's logs,
// a crash loop before this one) and re-created once there is room again. LMDB writes a
// changed page to a new place (copy on write), so even a state change needs free pages: without
// the reserve a full disk would stop deliveries with the new messages.
import { existsSync, statfsSync, statSync, unlinkSync } from 'node:fs';
import { open, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { Gauge, type Registry } from 'prom-client';
import type { MapSizes } from './map-size.js';
import { causeOf, describeWriteFailure } from './write-failures.js';

export type CapacityLevel = 'ok' | 'degraded' | 'failed';

export const RESERVE_FILE = 'disk-reserve';
const MiB = 1024 * 1024;
/** New messages stop when a map is this full, and resume below RESUME_MAP. */
const FULL_MAP = 7 / 8;
const RESUME_MAP = 3 / 4;
const POLL_OK_MS = 5_000;
const POLL_REFUSING_MS = 1_000;

export interface MapUse {
  records: number;
  parts: number;
}

export interface StorageReading extends MapUse {
  /** Bytes an unprivileged writer may still use on the store's filesystem. */
  free: number;
  /** Size of that filesystem. */
  total: number;
  /** The reserve file is in place. */
  reserve: boolean;
}

type Cause = { kind: 'disk' } | { kind: 'map'; env: keyof MapUse } | { kind: 'writes'; error: string };

export interface CapacityOptions {
  /** The store's folder: its filesystem is watched, the reserve file lives in it. */
  path: string;
  maps: MapSizes;
  reserveMiB: number;
  /** Bytes in use (live pages) in each environment. */
  mapUse: () => MapUse;
  /** One tiny commit: proves that the store writes again. */
  probe: () => Promise<unknown>;
  registry?: Registry;
  log?: Logger;
}

export const mib = (bytes: number): string => (bytes >= 10 * 1024 * MiB ? `${(bytes / 1024 / MiB).toFixed(1)} GiB` : `${(bytes / MiB).toFixed(bytes < 10 * MiB ? 1 : 0)} MiB`);

/** Reads the filesystem and the maps (synchronous: a statfs and a few LMDB stats, microseconds). */
export function readStorage(path: string, use: MapUse): StorageReading {
  const fs = statfsSync(path);
  return { free: fs.bavail * fs.bsize, total: fs.blocks * fs.bsize, reserve: existsSync(join(path, RESERVE_FILE)), ...use };
}

export class Capacity {
  private cause: Cause | null = null;
  private reading: StorageReading | null = null;
  /** Bytes of submissions admitted since the last reading (a burst cannot overshoot). */
  private admitted = 0;
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private lastFailure: string | null = null;
  private started = false;
  private making: Promise<boolean> | null = null;
  private lastCheckAt = 0;
  /** Probe commits that failed in a row: a failing card is probed less and less often. */
  private failedProbes = 0;
  private readonly reserveBytes: number;
  private readonly listeners: ((level: CapacityLevel, detail: string) => void)[] = [];
  private readonly resumed: (() => void)[] = [];
  private readonly gauges: { free: Gauge; used: Gauge<'env'>; size: Gauge<'env'> } | null;

  constructor(private readonly o: CapacityOptions) {
    this.reserveBytes = o.reserveMiB * MiB;
    this.gauges = o.registry
      ? {
          free: new Gauge({ name: 'mmsc_store_free_bytes', help: "Free space on the store's filesystem", registers: [o.registry] }),
          used: new Gauge({ name: 'mmsc_store_map_used_bytes', help: 'Bytes in use in an LMDB environment (records, parts)', labelNames: ['env'], registers: [o.registry] }),
          size: new Gauge({ name: 'mmsc_store_map_size_bytes', help: 'Size limit of an LMDB environment (store.mapSizeMiB)', labelNames: ['env'], registers: [o.registry] }),
        }
      : null;
    this.gauges?.size.set({ env: 'records' }, o.maps.recordsMiB * MiB);
    this.gauges?.size.set({ env: 'parts' }, o.maps.partsMiB * MiB);
  }

  /** Each change of level, with one sentence for the operator. */
  onChange(fn: (level: CapacityLevel, detail: string) => void): void {
    this.listeners.push(fn);
  }

  /** When the store takes new messages again (kept writes are flushed, the scheduler woken). */
  onResume(fn: () => void): void {
    this.resumed.push(fn);
  }

  get level(): CapacityLevel {
    return this.cause === null ? 'ok' : this.cause.kind === 'writes' ? 'failed' : 'degraded';
  }

  /** The last reading (for doctor-like views and tests). */
  get last(): StorageReading | null {
    return this.reading;
  }

  /**
   * First reading, synchronously: on a full disk the reserve is given up before anything at
   * start-up writes (recovery, the scheduler, the bearers). Then the periodic checks.
   */
  start(): void {
    this.started = true;
    this.evaluate(this.read());
    this.announce();
    if (this.cause === null && !this.reading?.reserve) void this.makeReserve();
    this.arm();
  }

  stop(): void {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /**
   * Why a new message of `size` octets cannot be stored now (the m-send.conf's text), or null.
   * Counts it as admitted; a submission that would pass a limit looks again first.
   */
  refusal(size: number): string | null {
    if (!this.started) return null;
    if (this.cause === null && this.reading && this.wouldPass(size)) {
      this.evaluate(this.read());
      if (this.cause === null && this.wouldPass(size)) return 'the message does not fit in the storage left; try again later';
      if (this.cause !== null) this.announce();
    }
    if (this.cause !== null) return this.cause.kind === 'writes' ? 'storage failure; try again later' : 'storage full; try again later';
    this.admitted += size;
    return null;
  }

  /**
   * A commit failed: look now, or a second after the last look. While refusing, the regular
   * looks go on (a failing probe neither loops nor cuts the back-off short).
   */
  writeFailed(err: unknown): void {
    this.lastFailure = describeWriteFailure(err);
    if (!this.started || this.checking || this.cause !== null) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.check();
    }, Math.max(0, this.lastCheckAt + POLL_REFUSING_MS - Date.now()));
    this.timer.unref?.();
  }

  /** One full check: read, refuse or resume (re-creating the reserve, proving a commit). */
  check(): Promise<void> {
    this.checking ??= this.checkOnce().finally(() => {
      this.checking = null;
      this.arm();
    });
    return this.checking;
  }

  // ------------------------------------------------------------------------------------------

  private async checkOnce(): Promise<void> {
    if (!this.started) return;
    this.lastCheckAt = Date.now();
    const fs = await statfs(this.o.path).catch(() => null);
    if (!fs || !this.started) return;
    const reading: StorageReading = { free: fs.bavail * fs.bsize, total: fs.blocks * fs.bsize, reserve: existsSync(join(this.o.path, RESERVE_FILE)), ...this.o.mapUse() };
    const failure = this.lastFailure;
    this.lastFailure = null;
    const before = this.cause;
    this.evaluate(reading);
    // Disk and maps allow it: leaving a refusal, or a commit that just failed with room to
    // spare, needs the reserve back and a commit that goes through.
    if ((this.cause === null || this.cause.kind === 'writes') && (failure !== null || before !== null)) {
      if (await this.resume(failure ?? 'commit failed')) this.cause = null;
    } else if (this.cause === null && !reading.reserve) await this.makeReserve(); // removed by someone
    this.announce();
  }

  /** Re-creates the reserve if it was given up, and proves a commit; false (with the cause set) when either fails. */
  private async resume(failure: string): Promise<boolean> {
    if (!this.reading?.reserve && !(await this.makeReserve())) {
      this.cause = { kind: 'disk' };
      return false;
    }
    try {
      await this.o.probe();
      this.failedProbes = 0;
      return true;
    } catch (err) {
      this.failedProbes++;
      this.cause = { kind: 'writes', error: err instanceof Error ? describeWriteFailure(await causeOf(err)) : failure };
      return false;
    }
  }

  private read(): StorageReading {
    return readStorage(this.o.path, this.o.mapUse());
  }

  private wouldPass(size: number): boolean {
    const r = this.reading as StorageReading;
    const pending = this.admitted + size;
    return r.free - pending < this.reserveBytes || r.parts + pending >= FULL_MAP * this.o.maps.partsMiB * MiB;
  }

  /** Decides from a reading whether new messages are refused (never leaves 'writes': only a probe does). */
  private evaluate(r: StorageReading): void {
    this.reading = r;
    this.admitted = 0;
    this.gauges?.free.set(r.free);
    this.gauges?.used.set({ env: 'records' }, r.records);
    this.gauges?.used.set({ env: 'parts' }, r.parts);
    const R = this.reserveBytes;
    const mapFull = (env: keyof MapUse, share: number) => r[env] >= share * (env === 'records' ? this.o.maps.recordsMiB : this.o.maps.partsMiB) * MiB;
    // Without its reserve file (given up, or not made yet) the store needs room to make it and
    // the headroom, with a margin; leaving the disk cause needs that margin too.
    const diskLow = r.free < (!r.reserve ? 2.5 * R : this.cause?.kind === 'disk' ? 1.5 * R : R);
    const mapCause = (['parts', 'records'] as const).find((env) => mapFull(env, this.cause?.kind === 'map' ? RESUME_MAP : FULL_MAP));
    if (diskLow) {
      if (this.cause?.kind !== 'disk') this.giveUpReserve();
      this.cause = { kind: 'disk' };
    } else if (mapCause) this.cause = { kind: 'map', env: mapCause };
    else if (this.cause?.kind !== 'writes') this.cause = null;
  }

  private giveUpReserve(): void {
    try {
      unlinkSync(join(this.o.path, RESERVE_FILE));
      if (this.reading) this.reading = { ...this.reading, reserve: false };
      this.o.log?.warn({ reserveMiB: this.o.reserveMiB }, 'disk full: the reserve file is given up so that stored messages can still move');
    } catch {
      // not there (never made, or already given up)
    }
  }

  /**
   * Writes the reserve file (zeros: a sparse file would reserve nothing), asynchronously so that
   * a slow SD card does not stall requests; false (and no file) when there is no room.
   */
  private makeReserve(): Promise<boolean> {
    this.making ??= this.writeReserve().finally(() => (this.making = null));
    return this.making;
  }

  private async writeReserve(): Promise<boolean> {
    const file = join(this.o.path, RESERVE_FILE);
    try {
      if (existsSync(file) && statSync(file).size === this.reserveBytes) return true;
      const fh = await open(file, 'w');
      try {
        const zeros = Buffer.alloc(MiB);
        for (let left = this.reserveBytes; left > 0; left -= MiB) await fh.write(zeros, 0, Math.min(MiB, left));
      } finally {
        await fh.close();
      }
      if (!existsSync(file)) return false; // given up meanwhile: the disk filled
      if (this.reading) this.reading = { ...this.reading, reserve: true, free: Math.max(0, this.reading.free - this.reserveBytes) };
      return true;
    } catch {
      try {
        unlinkSync(file);
      } catch {
        // nothing written
      }
      return false;
    }
  }

  private lastAnnounced: string | null = null;

  /** Tells the listeners of a change of level or cause (they log it once; doctor shows it). */
  private announce(): void {
    const level = this.level;
    const key = `${level}|${this.cause?.kind ?? ''}`;
    const was = this.lastAnnounced;
    if (was === key) return;
    this.lastAnnounced = key;
    const detail = describeStorage(this.reading, this.cause, this.o.maps, this.o.reserveMiB, true);
    for (const l of this.listeners) l(level, detail);
    if (was !== null && level === 'ok') for (const fn of this.resumed) fn();
  }

  private arm(): void {
    if (!this.started || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.check();
    }, this.cause === null ? POLL_OK_MS : this.cause.kind === 'writes' ? Math.min(POLL_REFUSING_MS * 2 ** this.failedProbes, 30_000) : POLL_REFUSING_MS);
    this.timer.unref?.();
  }
}

/** Whether a reading (without hysteresis) allows new messages: for `mmsc doctor`. */
export function judgeStorage(r: StorageReading, maps: MapSizes, reserveMiB: number): { level: CapacityLevel; detail: string } {
  const env = (['parts', 'records'] as const).find((e) => r[e] >= FULL_MAP * (e === 'records' ? maps.recordsMiB : maps.partsMiB) * MiB);
  const cause: Cause | null = r.free < reserveMiB * MiB ? { kind: 'disk' } : env ? { kind: 'map', env } : null;
  return { level: cause ? 'degraded' : 'ok', detail: describeStorage(r, cause, maps, reserveMiB) };
}

/** One sentence for the operator; `brief` (the server's condition, kept until the next change) leaves out what changes all the time. */
function describeStorage(r: StorageReading | null, cause: Cause | null, maps: MapSizes, reserveMiB: number, brief = false): string {
  if (!r) return 'not checked yet';
  const where = `${mib(r.free)} free of ${mib(r.total)} on the store's filesystem`;
  const refused = 'new messages are refused (Error-transient-failure); stored messages are still notified and fetched';
  switch (cause?.kind) {
    case undefined:
      if (brief) return `accepting messages (${where})`;
      return `accepting messages (${where}; records ${mib(r.records)} of ${maps.recordsMiB} MiB, payloads ${mib(r.parts)} of ${maps.partsMiB} MiB; ${r.reserve ? `reserve file of ${reserveMiB} MiB in place` : `no reserve file (${reserveMiB} MiB) yet`})`;
    case 'disk':
      return `disk full: ${where}, below the ${reserveMiB} MiB kept for stored messages (store.reserveMiB); ${refused}. Free space there: the store resumes by itself`;
    case 'map': {
      const size = cause.env === 'records' ? maps.recordsMiB : maps.partsMiB;
      return `store size limit reached: ${cause.env === 'parts' ? 'payloads' : 'records'} use ${mib(r[cause.env])} of ${size} MiB (store.mapSizeMiB ${maps.totalMiB}); ${refused}. It resumes as messages are fetched or expire, or raise store.mapSizeMiB`;
    }
    case 'writes':
      return `the store cannot write (${cause.error}) although ${where}; ${refused}. The storage may be failing (see the kernel log)`;
  }
}
