// Start-up wiring: the one place that knows every concrete part (DESIGN: "everything is wired
// in one place"). The relay gets its bearer and store as interfaces; MM1 gets the relay.
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
import { Store } from './store/store.js';

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
  const store = new Store({ path: config.store.path, mapSizeMiB: config.store.mapSizeMiB });
  persistHealth(health, store, log);
  // Which time to believe is settled before anything is scheduled.
  const clockKeeper = clock instanceof ProcessClock
    ? new ClockKeeper({ clock, config: config.clock, health, log: log.child({ iface: 'clock' }), store, ...(o.systemSync ? { probe: o.systemSync } : {}) })
    : null;
  if (clockKeeper) await clockKeeper.start();
  else health.set('clock', 'ok', 'the clock is driven by hand (tests)');
  const recovered = await store.recover();
  if (recovered.incomplete.length || recovered.orphanParts) {
    log.warn({ ...recovered }, 'settled an unclean stop: submissions never acknowledged removed (their phones re-send), orphan payloads dropped');
  }
  const bearer = o.bearer ?? createBearer(config, log.child({ iface: 'bearer' }), store, clock);
  const relay = new Relay({
    config, store, bearer, log: log.child({ iface: 'relay' }), clock,
    scheduledOnTrustedClock: clockKeeper?.previous?.trusted === true,
  });
  // the bearer keeps wall-clock times of its own (reassembly, report windows): they move too
  const unlistenBearer = bearer.clockStepped
    ? clock.onStep((s) => void bearer.clockStepped?.({ delta: s.delta }).catch((err: unknown) => log.error({ err, delta: s.delta }, 'the bearer could not move its times with the clock step')))
    : null;
  const mm1 = new Mm1Server({ config, relay, log });
  try {
    await mm1.listen();
  } catch (e) {
    unlistenBearer?.();
    await clockKeeper?.close();
    await bearer.close();
    await store.close();
    throw e;
  }
  relay.start();
  if (clockKeeper) bearer.onNetworkTime?.((t) => clockKeeper.networkTime(t));
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
        await mm1.close();
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
