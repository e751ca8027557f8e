// The pool's view of its modems: computed live for `status()`, and written to LMDB (at most
// once per `everyMs`, and on close) so that `mmsc modems`, a separate process, can show the
// state of the running server by reading the store read-only.
import type { Logger } from 'pino';
import type { Store } from '../../store/store.js';
import type { PoolModemRecord } from '../../store/types.js';
import type { PoolMember } from './member.js';

export type PoolModemView = PoolModemRecord;

export function viewOf(m: PoolMember, queue: number, now: number): PoolModemView {
  const st = m.modem.status;
  const net = m.modem.info?.network;
  const v: PoolModemView = {
    key: m.key,
    port: st.path,
    imei: st.imei ?? m.spec.imei ?? null,
    state: st.state,
    detail: st.detail,
    since: st.since.getTime(),
    operator: net?.operator ?? null,
    rssi: net?.rssi ?? null,
    dbm: net?.dbm ?? null,
    ratePerMinute: m.spec.ratePerMinute,
    routes: m.spec.routes,
    queue,
    busy: m.busy !== null,
    sent: m.sent,
    failed: m.failed,
    failuresInARow: m.failuresInARow,
    benchedUntil: m.benchedUntil,
    updatedAt: now,
    pid: process.pid,
  };
  if (m.spec.msisdn) v.msisdn = m.spec.msisdn;
  return v;
}

export class StatusWriter {
  private timer: NodeJS.Timeout | null = null;
  private last = 0;
  private writing: Promise<void> = Promise.resolve();
  /** Keys written per member (a record moves from the port to the IMEI once it is known). */
  private readonly keys = new Map<PoolMember, string>();
  private readonly merged = new Set<PoolMember>();
  private closed = false;
  /** The last write failed (logged once until one succeeds). */
  private failing = false;

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
    private readonly views: () => { member: PoolMember; view: PoolModemView }[],
    private readonly everyMs: number,
    private readonly now: () => number,
  ) {}

  /** Something changed: write soon (coalesced). */
  changed(): void {
    if (this.timer || this.closed) return;
    const wait = Math.max(0, this.last + this.everyMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.write();
    }, wait);
    this.timer.unref?.();
  }

  /** Writes now (and stops writing when `final`). */
  async flush(final = false): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.write();
    if (final) this.closed = true;
    await this.writing;
  }

  /**
   * Counters survive restarts: the first time a member's IMEI is known, what an earlier run
   * recorded under it is added to this run's counts.
   */
  private mergeEarlier(m: PoolMember): void {
    if (this.merged.has(m) || m.modem.status.imei === null) return;
    this.merged.add(m);
    const old = this.store.poolModems.get(m.key);
    if (old && old.pid !== process.pid) {
      m.sent += old.sent;
      m.failed += old.failed;
    }
  }

  private write(): Promise<void> {
    if (this.closed) return this.writing;
    this.last = this.now();
    const rows = this.views();
    for (const { member } of rows) this.mergeEarlier(member);
    const fresh = this.views();
    this.writing = this.writing
      .then(() =>
        this.store.tx(() => {
          for (const { member, view } of fresh) {
            const prev = this.keys.get(member);
            if (prev !== view.key) {
              // Its record moved (port -> IMEI), or an earlier run left one under its port.
              if (prev !== undefined) this.store.poolModems.removeSync(prev);
              for (const { key, value } of this.store.poolModems.getRange()) {
                if (key !== view.key && value.port === view.port && value.pid !== process.pid) this.store.poolModems.removeSync(key);
              }
              this.keys.set(member, view.key);
            }
            this.store.poolModems.putSync(view.key, view);
          }
        }),
      )
      .then(() => {
        if (this.failing) this.log.info('the modem status is recorded again');
        this.failing = false;
      })
      .catch((err: unknown) => {
        // once per streak: while the store cannot write (full disk) this fails every second
        if (!this.failing) this.log.warn({ err: (err as Error).message }, 'could not record the modem status (until the store writes again)');
        this.failing = true;
      });
    return this.writing;
  }
}
