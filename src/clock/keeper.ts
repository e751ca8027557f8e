// Which time the process believes, and why. In order of trust:
//   1. the system clock when it is synchronised (NTP, chrony, timesyncd; or `systemClock: always`);
//   2. the mobile network's time (a modem's clock set by NITZ) when the system clock is not:
//      the process cannot set the system clock (it runs as user mmsc, without CAP_SYS_TIME), so
//      it keeps its own offset, logs it and says how to fix the system clock;
//   3. lower bounds: SMSC time stamps, and the last time the store recorded (a clock that went
//      back across a restart, as fake-hwclock leaves it, is at least that): the clock is moved
//      forward to them, but not trusted;
//   4. the system clock as it is, not trusted.
// The state is the Health condition `clock` (one log line per change of level, a gauge, `mmsc
// doctor`), and a record in the store's meta (the last time seen, and whether it was trusted)
// that the next start reads.
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import type { Health } from '../health.js';
import type { NetworkTime } from '../relay/bearer.js';
import type { Store } from '../store/store.js';
import { describeDelta, EARLIEST_PLAUSIBLE, type ProcessClock } from './clock.js';
import { probeSystemSync, type SystemSync, type SystemSyncProbe } from './system-sync.js';

/** What the store remembers of the clock (meta key `clock`). */
export interface ClockRecord {
  /** The process's time when written (ms). */
  at: number;
  trusted: boolean;
  /** What the time came from. */
  source: string;
  pid: number;
}

export const CLOCK_META_KEY = 'clock';

export type ClockConfig = Config['clock'];

export interface ClockKeeperOptions {
  clock: ProcessClock;
  config: ClockConfig;
  health: Health;
  log: Logger;
  store: Store;
  /** Asks whether the system clock is synchronised (default: timedatectl, timesyncd, chronyc). */
  probe?: SystemSyncProbe;
}

/** How often the system clock's synchronisation is asked (it spawns a tool). */
const PROBE_EVERY = 60_000;
/** How often the clock record is written (a lower bound for the next start; SD cards wear). */
const PERSIST_EVERY = 10 * 60_000;
const LATEST_PLAUSIBLE = Date.UTC(2100, 0, 1);

interface Sample {
  at: number;
  mono: number;
  source: string;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export class ClockKeeper {
  /** What the previous run recorded last (null: a new store). */
  previous: ClockRecord | null = null;
  private readonly clock: ProcessClock;
  private readonly cfg: ClockConfig;
  private readonly log: Logger;
  private readonly probe: SystemSyncProbe;
  private sync: SystemSync = { synchronised: null, how: 'not asked yet' };
  /** The latest network time (a modem's clock). */
  private network: Sample | null = null;
  /** The highest lower bound known (SMSC time stamps, the store's last time). */
  private floor: Sample | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastProbe = -Infinity;
  private lastPersist = -Infinity;
  private probing: Promise<void> | null = null;
  private shown: { level: string; detail: string; offset: number } | null = null;
  private closed = false;

  constructor(private readonly o: ClockKeeperOptions) {
    this.clock = o.clock;
    this.cfg = o.config;
    this.log = o.log;
    this.probe = o.probe ?? probeSystemSync;
  }

  /** Decides the first reference (before anything is scheduled) and starts the periodic check. */
  async start(): Promise<void> {
    const rec = this.o.store.meta.get(CLOCK_META_KEY) as ClockRecord | undefined;
    this.previous = rec ?? null;
    await this.refreshSync();
    if (rec && this.clock.system() < rec.at - this.clock.stepThreshold) {
      // The clock went back across the restart (fake-hwclock restores its last save, a Pi
      // without it starts in 1970): it is at least what the store saw last.
      this.floor = { at: rec.at, mono: this.clock.monotonic(), source: `the last time the store recorded (${iso(rec.at)})` };
      this.log.warn({ system: iso(this.clock.system()), recorded: iso(rec.at) }, `the system clock is ${describeDelta(rec.at - this.clock.system()).slice(1)} behind the last time the store recorded: it went back across the restart`);
    }
    this.evaluate();
    await this.persist();
    this.timer = setInterval(() => this.tick(), this.cfg.checkInterval);
    this.timer.unref?.();
  }

  /** A time the network gave (through a bearer). */
  networkTime(t: NetworkTime): void {
    if (this.closed || !this.cfg.networkTime) return;
    if (!(t.at >= EARLIEST_PLAUSIBLE && t.at < LATEST_PLAUSIBLE)) {
      this.log.debug({ at: new Date(t.at).toISOString(), source: t.source }, 'implausible network time ignored');
      return;
    }
    const mono = this.clock.monotonic();
    if (t.kind === 'clock') {
      if (!this.network) this.log.info({ at: iso(t.at), source: t.source, system: iso(this.clock.system()) }, 'network time received');
      // A reading close to the time already taken replaces it without a step (the monotonic
      // clock drifts a few seconds a day); one further off but within the tolerance keeps it:
      // two modems a few seconds apart (their clocks drift, and read to the second) must not
      // move the schedule back and forth. Beyond the tolerance, the network's time changed.
      const current = this.network && this.network.at + (mono - this.network.mono);
      const diff = current === null ? Infinity : Math.abs(t.at - current);
      if (diff <= this.clock.stepThreshold || diff > this.cfg.networkTolerance) this.network = { at: t.at, mono, source: t.source };
    } else if (!this.floor || t.at > this.floor.at + (mono - this.floor.mono)) {
      this.floor = { at: t.at, mono, source: t.source };
    }
    this.evaluate();
  }

  /** Stops the periodic check and records the last time seen. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.persist(); // (a probe still running finds the keeper closed and changes nothing)
  }

  // ------------------------------------------------------------------------------------------

  private tick(): void {
    if (this.closed) return;
    this.clock.check(); // a step is noticed within checkInterval even when nothing else runs
    const mono = this.clock.monotonic();
    if (mono - this.lastProbe >= PROBE_EVERY && !this.probing) void this.refreshSync().then(() => this.evaluate());
    else this.evaluate();
    if (mono - this.lastPersist >= PERSIST_EVERY) void this.persist();
  }

  private refreshSync(): Promise<void> {
    this.lastProbe = this.clock.monotonic();
    this.probing ??= this.probe()
      .then((s) => void (this.sync = s), (err: unknown) => void (this.sync = { synchronised: null, how: `the synchronisation check failed: ${(err as Error).message}` }))
      .finally(() => (this.probing = null));
    return this.probing;
  }

  private systemTrusted(): { trusted: boolean; why: string } {
    const sys = this.clock.system();
    if (this.cfg.systemClock === 'always') return { trusted: true, why: 'the system clock is trusted as configured (clock.systemClock: always)' };
    if (this.cfg.systemClock === 'never') return { trusted: false, why: 'the system clock is not trusted as configured (clock.systemClock: never)' };
    if (sys < EARLIEST_PLAUSIBLE) return { trusted: false, why: `the system clock says ${iso(sys)}, which cannot be right` };
    if (this.sync.synchronised === true) return { trusted: true, why: `the system clock is synchronised (${this.sync.how})` };
    if (this.sync.synchronised === false) return { trusted: false, why: `the system clock is not synchronised (${this.sync.how})` };
    return { trusted: false, why: `cannot tell whether the system clock is synchronised (${this.sync.how})` };
  }

  /** Chooses the reference from what is known now, and says so. */
  private evaluate(): void {
    if (this.closed) return;
    const c = this.clock;
    const mono = c.monotonic();
    const sys = this.systemTrusted();
    if (sys.trusted) {
      c.followSystem(true, sys.why);
      this.show('ok', sys.why, 0);
      return;
    }
    const net = this.cfg.networkTime ? this.network : null;
    if (net) {
      const offset = net.at + (mono - net.mono) - c.system();
      if (Math.abs(offset) <= this.cfg.networkTolerance) {
        c.followSystem(true, `the system clock agrees with the network time (${net.source})`);
        this.show('ok', `${sys.why}, but it agrees with the network time (${net.source})`, 0);
        return;
      }
      c.anchor(net.at, net.mono, true, `network time (${net.source})`);
      this.show('ok', `the time is taken from the network (${net.source}) because ${sys.why}. The system clock is ${this.describeOffset(offset)}; ${FIX_SYSTEM}`, offset);
      return;
    }
    const f = this.floor;
    if (f && f.at + (mono - f.mono) > c.system() + this.cfg.networkTolerance) {
      const offset = f.at + (mono - f.mono) - c.system();
      c.anchor(f.at, f.mono, false, f.source);
      this.show('degraded', `clock not trusted: ${sys.why}, and no modem has given the network time yet; the time was moved forward to ${f.source} (the system clock is ${this.describeOffset(offset)}). ${FIX_TRUST}`, offset);
      return;
    }
    c.followSystem(false, 'the system clock (not trusted)');
    this.show('degraded', `clock not trusted: ${sys.why}, and no modem has given the network time yet; scheduling follows the system clock. ${FIX_TRUST}`, 0);
  }

  private describeOffset(offset: number): string {
    const unit = Math.abs(offset) < 60_000 ? 1_000 : 60_000; // a stable figure for the health detail
    const d = describeDelta(Math.round(offset / unit) * unit);
    return offset > 0 ? `${d.slice(1)} behind` : `${d.slice(1)} ahead`;
  }

  /** Health and logs, on a change of state or an offset that moved by a minute or more. */
  private show(level: 'ok' | 'degraded', detail: string, offset: number): void {
    const prev = this.shown;
    if (prev && prev.level === level && Math.abs(prev.offset - offset) < 60_000 && sameKind(prev.detail, detail)) return;
    const wasTrusted = prev?.level === 'ok';
    this.shown = { level, detail, offset };
    this.o.health.set('clock', level, detail);
    if (offset !== 0 && Math.abs(offset - (prev?.offset ?? 0)) >= 60_000) {
      this.log.warn({ offsetMs: Math.round(offset), system: iso(this.clock.system()), now: iso(this.clock.now()), trusted: level === 'ok' },
        `the MMSC keeps its own time, ${describeDelta(offset)} from the system clock (it may not set the system clock: no CAP_SYS_TIME); set the system time (sudo timedatectl set-time '${iso(this.clock.now()).replace('T', ' ').replace('Z', '')} UTC', or chrony/systemd-timesyncd)`);
    }
    if ((level === 'ok') !== wasTrusted) void this.persist();
  }

  private persist(): Promise<void> {
    this.lastPersist = this.clock.monotonic();
    const rec: ClockRecord = { at: this.clock.now(), trusted: this.clock.trusted, source: this.clock.reference.kind === 'system' ? 'system clock' : (this.clock.reference as { source: string }).source, pid: process.pid };
    let put: Promise<unknown>;
    try {
      put = this.o.store.meta.put(CLOCK_META_KEY, rec);
    } catch (err) {
      put = Promise.reject(err); // the store is closed
    }
    return put.then(() => undefined, (err: unknown) => this.log.debug({ err }, 'clock record not written'));
  }
}

const FIX_TRUST = 'Fix: enable NTP (systemd-timesyncd or chrony) where the box reaches a time server, or use a modem whose network sends its time (NITZ)';
const FIX_SYSTEM = 'the MMSC keeps its own offset (it may not set the system clock); to set it, enable NTP or set it by hand (timedatectl set-time)';

/** Details that differ only in the numbers (an offset, a time) are the same state. */
function sameKind(a: string, b: string): boolean {
  const strip = (s: string) => s.replace(/[0-9]+/g, '#');
  return strip(a) === strip(b);
}
