// Start-up wiring: the one place that knows every concrete part (DESIGN: "everything is wired
// in one place"). The relay gets its bearer and store as interfaces; MM1 gets the relay.
import { statfsSync } from 'node:fs';
import type { Logger } from 'pino';
import { LoopbackBearer } from './bearer/loopback.js';
import { modemPoolFromConfig, SimulatorBearer } from './bearer/pool/from-config.js';
import { SmppBearer, smppOptionsFromConfig, storeJournal } from './bearer/smpp/index.js';
import { clockFromNow, ProcessClock, type Clock } from './clock/clock.js';
import { ClockKeeper } from './clock/keeper.js';
import type { SystemSyncProbe } from './clock/system-sync.js';
import type { Config } from './config/schema.js';
import { Health, HEALTH_META_KEY } from './health.js';
import { Mm1Server } from './mm1/server.js';
import type { Bearer } from './relay/bearer.js';
import { Relay } from './relay/relay.js';
import { mib } from './store/capacity.js';
import { Store } from './store/store.js';
import { describeWriteFailure, isWriteFailure } from './store/write-failures.js';

export interface Mmsc {
  config: Config;
  store: Store;
  relay: Relay;
  mm1: Mm1Server;
  bearer: Bearer;
  /** The box's conditions (store, clock, ...): logged at each change, in metrics, read by `mmsc doctor`. */
  health: Health;
  /** The process's clock (src/clock): the relay and the modem pool keep their times on it. */
  clock: Clock;
  /** Which time the clock follows and why (absent when the clock was injected as `now`). */
  clockKeeper: ClockKeeper | null;
  /** Graceful stop: no new requests, in-flight ones answered, pushes settled, LMDB closed. */
  close(): Promise<void>;
}

export interface StartOptions {
  log: Logger;
  /** Overrides the configured bearer (tests, demo). */
  bearer?: Bearer;
  /**
   * The process's clock. Tests inject a ProcessClock over a wrong or stepping "system" clock;
   * default: one over Date.now and performance.now.
   */
  clock?: Clock;
  /** A clock that is just this function (tests that drive time by hand; it never steps). */
  now?: () => number;
  /** Whether the system clock is synchronised (default: timedatectl, timesyncd, chronyc). */
  systemSync?: SystemSyncProbe;
}

export function createBearer(config: Config, log: Logger, store?: Store, clock?: Clock): Bearer {
  // the pool keeps its times (queue, reports, reassembly) on the process's clock
  const tuning = clock ? { now: () => clock.now() } : {};
  switch (config.bearer.kind) {
    case 'loopback':
      return new LoopbackBearer({ url: config.bearer.loopback.url, log });
    case 'modem':
      if (!store) throw new Error('the modem pool keeps its queue in the store: createBearer needs it');
      return modemPoolFromConfig(config, store, log, tuning);
    case 'simulator':
      if (!store) throw new Error('the simulated modem pool keeps its queue in the store: createBearer needs it');
      return new SimulatorBearer(config, store, log, { tuning });
    case 'smpp':
      return new SmppBearer(smppOptionsFromConfig(config.bearer, log, store && storeJournal(store)));
    default:
      throw new Error(`bearer.kind "${config.bearer.kind}" is not available in this build`);
  }
}

export async function startMmsc(config: Config, o: StartOptions): Promise<Mmsc> {
  const log = o.log;
  const clock = o.clock ?? (o.now ? clockFromNow(o.now) : new ProcessClock({ stepThreshold: config.clock.stepThreshold }));
  const health = new Health(log.child({ iface: 'health' }), undefined, () => clock.now());
  const storeLog = log.child({ iface: 'store' });
  const store = new Store({ path: config.store.path, mapSizeMiB: config.store.mapSizeMiB, reserveMiB: config.store.reserveMiB, log: storeLog, registry: health.registry });
  const { maps } = store;
  const fs = statfsSync(config.store.path);
  log[maps.lowered ? 'warn' : 'info'](
    { recordsMiB: maps.recordsMiB, partsMiB: maps.partsMiB, freeBytes: fs.bavail * fs.bsize, fsBytes: fs.blocks * fs.bsize, reserveMiB: config.store.reserveMiB },
    `store maps: records ${maps.recordsMiB} MiB + payloads ${maps.partsMiB} MiB (${maps.why}); ${mib(fs.bavail * fs.bsize)} free of ${mib(fs.blocks * fs.bsize)} on its filesystem`,
  );
  persistHealth(health, store, log);
  // On a full disk the reserve is given up here, before anything below writes (store/capacity.ts).
  store.capacity.onChange((level, detail) => health.set('store', level, detail));
  store.capacity.start();
  let closed = false;
  // Which time to believe is settled before anything is scheduled.
  const clockKeeper = clock instanceof ProcessClock
    ? new ClockKeeper({ clock, config: config.clock, health, log: log.child({ iface: 'clock' }), store, ...(o.systemSync ? { probe: o.systemSync } : {}) })
    : null;
  if (clockKeeper) await clockKeeper.start();
  else health.set('clock', 'ok', 'the clock is driven by hand (tests)');
  const recovered = await recoverOrRetry(store, storeLog, () => closed);
  const bearer = o.bearer ?? createBearer(config, log.child({ iface: 'bearer' }), store, clock);
  const relay = new Relay({
    config, store, bearer, log: log.child({ iface: 'relay' }), clock,
    scheduledOnTrustedClock: clockKeeper?.previous?.trusted === true,
  });
  store.capacity.onResume(() => {
    void store.deferred.flush();
    relay.wake();
  });
  // the bearer keeps wall-clock times of its own (reassembly, report windows): they move too
  const unlistenBearer = bearer.clockStepped
    ? clock.onStep((s) => void bearer.clockStepped?.({ delta: s.delta }).catch((err: unknown) => log.error({ err, delta: s.delta }, 'the bearer could not move its times with the clock step')))
    : null;
  const mm1 = new Mm1Server({ config, relay, log });
  try {
    await mm1.listen();
  } catch (e) {
    closed = true;
    unlistenBearer?.();
    await clockKeeper?.close();
    await bearer.close();
    await store.close();
    throw e;
  }
  if (clockKeeper) bearer.onNetworkTime?.((t) => clockKeeper.networkTime(t));
  // The scheduler waits for recover(): it must not notify a submission that was never acknowledged.
  if (recovered.later === null) relay.start();
  else void recovered.later.then((done) => done && !closed && relay.start());
  log.info({ store: config.store.path, schema: store.schemaVersion, bearer: bearer.name, publicUrl: config.mmsc.publicUrl }, 'MMSC started');
  let closing: Promise<void> | null = null;
  return {
    config,
    store,
    relay,
    mm1,
    bearer,
    health,
    clock,
    clockKeeper,
    close() {
      closing ??= (async () => {
        closed = true;
        await mm1.close();
        // state changes kept on a full disk: one last try, then given up (as a crash would)
        await store.deferred.flush();
        store.deferred.close();
        await relay.stop();
        unlistenBearer?.();
        await clockKeeper?.close();
        await bearer.close();
        await store.close();
        log.info('MMSC stopped');
      })();
      return closing;
    },
  };
}

/**
 * Store.recover() at start-up. On a disk so full that even its small commit fails, the server
 * starts all the same (degraded, refusing new messages) and recover() is tried again with
 * back-off: `later` is null when done now, else resolves once done (false: the server closed first).
 */
async function recoverOrRetry(store: Store, log: Logger, closed: () => boolean): Promise<{ later: Promise<boolean> | null }> {
  const attempt = async (): Promise<boolean> => {
    try {
      const r = await store.recover();
      if (r.incomplete.length || r.orphanParts) {
        log.warn({ ...r }, 'settled an unclean stop: submissions never acknowledged removed (their phones re-send), orphan payloads dropped');
      }
      return true;
    } catch (e) {
      if (!isWriteFailure(e)) throw e;
      return false;
    }
  };
  if (await attempt()) return { later: null };
  log.error({}, 'recovery after an unclean stop cannot be written (the store cannot write): retried until it can; notifications wait for it');
  const later = (async () => {
    for (let wait = 1000; !closed(); wait = Math.min(wait * 2, 30_000)) {
      await new Promise((r) => setTimeout(r, wait).unref?.());
      if (closed()) return false;
      if (await attempt().catch((e: unknown) => (log.error({ err: e, error: describeWriteFailure(e) }, 'recovery failed'), false))) {
        log.info('recovery after the unclean stop written; notifications resume');
        return true;
      }
    }
    return false;
  })();
  return { later };
}

/**
 * Keeps the health snapshot in the store's meta for `mmsc doctor` (a separate process reading
 * the store). Best effort and coalesced: a write that fails (a full disk is one of the
 * conditions) is retried with the next change, never allowed to fail anything else.
 */
function persistHealth(health: Health, store: Store, log: Logger): void {
  let writing = false;
  let again = false;
  const write = (): void => {
    if (writing) {
      again = true;
      return;
    }
    writing = true;
    let put: Promise<unknown>;
    try {
      put = store.meta.put(HEALTH_META_KEY, health.snapshot());
    } catch (e) {
      put = Promise.reject(e); // the store is closed
    }
    put.then(
      () => undefined,
      (e: unknown) => log.debug({ err: e }, 'health snapshot not written'),
    ).finally(() => {
      writing = false;
      if (again) {
        again = false;
        write();
      }
    });
  };
  health.onChange(write);
}
