// The process's clock (src/clock): monotonic between checks, a step only when re-based, and the
// keeper that chooses what to believe - NTP, the network's time (an offset the process keeps,
// since it may not set the system clock), SMSC time stamps, the store's last time - with the
// Health condition `clock` saying so. The "system" clock is injected, never the machine's own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { describeDelta, ProcessClock, type ClockStep } from '../../src/clock/clock.js';
import { CLOCK_META_KEY, ClockKeeper, type ClockConfig, type ClockRecord } from '../../src/clock/keeper.js';
import type { SystemSync } from '../../src/clock/system-sync.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { Health } from '../../src/health.js';
import { Store } from '../../src/store/store.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 4, 1, 12, 0, 0);

/** A machine whose wall clock and monotonic clock the test moves. */
class Machine {
  wall = T0;
  mono = 1_000;
  advance(ms: number): void {
    this.wall += ms;
    this.mono += ms;
  }
  clock(threshold = 2_000): ProcessClock {
    return new ProcessClock({ system: () => this.wall, monotonic: () => this.mono, stepThreshold: threshold });
  }
}

describe('ProcessClock', () => {
  it('counts monotonic time between checks, and a check turns a jump of the system clock into one step', () => {
    const m = new Machine();
    const c = m.clock();
    const steps: ClockStep[] = [];
    c.onStep((s) => steps.push(s));
    m.advance(5_000);
    expect(c.now()).toBe(T0 + 5_000);
    m.wall += DAY; // NTP steps the system clock
    m.advance(1_000);
    expect(c.now()).toBe(T0 + 6_000); // not followed before the check
    c.check();
    expect(steps).toEqual([{ delta: DAY, at: T0 + DAY + 6_000, cause: 'the system clock stepped', wasTrusted: false, trusted: false }]);
    expect(c.now()).toBe(T0 + DAY + 6_000);
    m.wall -= 1_500; // within the threshold: absorbed, no step
    c.check();
    expect(steps).toHaveLength(1);
    expect(c.now()).toBe(m.wall);
  });

  it('anchored to a network time, counts on from it whatever the system clock does', () => {
    const m = new Machine();
    const c = m.clock();
    const steps: ClockStep[] = [];
    c.onStep((s) => steps.push(s));
    c.anchor(T0 + DAY, m.mono, true, 'network time (test)');
    expect(steps).toEqual([{ delta: DAY, at: T0 + DAY, cause: 'network time (test)', wasTrusted: false, trusted: true }]);
    m.advance(60_000);
    m.wall -= 3 * DAY; // the system clock jumps back: not followed
    c.check();
    expect(steps).toHaveLength(1);
    expect(c.now()).toBe(T0 + DAY + 60_000);
    expect(c.offset()).toBe(4 * DAY);
    expect(describeDelta(c.offset())).toBe('+4d');
    expect(describeDelta(-(DAY + 2 * 3_600_000 + 3 * 60_000 + 4_000))).toBe('-1d 2h 3m 4s');
  });
});

describe('ClockKeeper', () => {
  const dirs: string[] = [];
  const stores: Store[] = [];
  const keepers: ClockKeeper[] = [];
  afterEach(async () => {
    for (const k of keepers.splice(0)) await k.close();
    for (const s of stores.splice(0)) await s.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  function setup(o: { sync: SystemSync; config?: Partial<ClockConfig>; dir?: string; machine?: Machine }) {
    const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'mmsc-clock-'));
    if (!o.dir) dirs.push(dir);
    const store = new Store({ path: dir, mapSizeMiB: 32 });
    stores.push(store);
    const lines: Record<string, unknown>[] = [];
    const log = pino({ level: 'debug' }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
    const health = new Health(log);
    const machine = o.machine ?? new Machine();
    const clock = machine.clock();
    const config = { ...ConfigSchema.parse({}).clock, ...o.config };
    const keeper = new ClockKeeper({ clock, config, health, log, store, probe: async () => o.sync });
    keepers.push(keeper);
    const warned = () => lines.filter((l) => (l.level as number) >= 40).map((l) => String(l.msg));
    return { dir, store, health, machine, clock, keeper, lines, warned };
  }

  it('takes the offset from the network time when the system clock is wrong and not synchronised', async () => {
    const t = setup({ sync: { synchronised: false, how: 'timedatectl: NTPSynchronized=no' } });
    t.machine.wall = T0 - DAY - 3 * 3_600_000; // fake-hwclock restored yesterday's save
    await t.keeper.start();
    expect(t.clock.trusted).toBe(false);
    expect(t.health.get('clock')).toMatchObject({ level: 'degraded', detail: expect.stringMatching(/^clock not trusted: the system clock is not synchronised \(timedatectl: NTPSynchronized=no\).*Fix: enable NTP/) });
    const steps: ClockStep[] = [];
    t.clock.onStep((s) => steps.push(s));
    t.keeper.networkTime({ at: T0, kind: 'clock', source: 'modem 35 (/dev/ttyUSB2): AT+CCLK? "26/05/01,14:00:00+08" after NITZ' });
    expect(t.clock.now()).toBe(T0);
    expect(t.clock.trusted).toBe(true);
    expect(steps).toMatchObject([{ delta: DAY + 3 * 3_600_000, wasTrusted: false, trusted: true }]);
    expect(t.health.get('clock')).toMatchObject({ level: 'ok', detail: expect.stringMatching(/taken from the network \(modem 35.*The system clock is 1d 3h behind/) });
    expect(t.warned().some((m) => /keeps its own time, \+1d 3h from the system clock.*timedatectl set-time '2026-05-01 12:00:00 UTC'/.test(m))).toBe(true);
    // the system clock goes on being wrong; the process counts on from the network's time
    t.machine.advance(30_000);
    t.clock.check();
    expect(t.clock.now()).toBe(T0 + 30_000);
    expect(steps).toHaveLength(1);
    // another modem's clock, a few seconds off: the schedule does not move back and forth
    t.keeper.networkTime({ at: T0 + 30_000 - 6_000, kind: 'clock', source: 'modem 36: AT+CCLK?' });
    t.keeper.networkTime({ at: T0 + 30_000 + 4_000, kind: 'clock', source: 'modem 35: AT+CCLK?' });
    expect(t.clock.now()).toBe(T0 + 30_000);
    expect(steps).toHaveLength(1);
    // a reading far off (the network corrected its time) is a step
    t.keeper.networkTime({ at: T0 + 30_000 + 5 * 60_000, kind: 'clock', source: 'modem 35: +CTZE' });
    expect(steps).toMatchObject([{}, { delta: 5 * 60_000, wasTrusted: true, trusted: true }]);
  });

  it('trusts a synchronised system clock over the network, and ignores a modem clock no network set', async () => {
    const t = setup({ sync: { synchronised: true, how: 'timedatectl: NTPSynchronized=yes' } });
    await t.keeper.start();
    expect(t.health.get('clock')).toMatchObject({ level: 'ok', detail: 'the system clock is synchronised (timedatectl: NTPSynchronized=yes)' });
    t.keeper.networkTime({ at: T0 + 2 * 3_600_000, kind: 'clock', source: 'modem with a wrong zone' });
    expect(t.clock.now()).toBe(T0);
    const u = setup({ sync: { synchronised: null, how: 'timedatectl: not installed' } });
    await u.keeper.start();
    u.keeper.networkTime({ at: Date.UTC(2004, 0, 1, 0, 5), kind: 'clock', source: 'AT+CCLK? "04/01/01,00:05:00+00"' });
    expect(u.clock.now()).toBe(T0);
    expect(u.clock.trusted).toBe(false);
    expect(u.health.get('clock')?.detail).toMatch(/^clock not trusted: cannot tell whether the system clock is synchronised \(timedatectl: not installed\)/);
  });

  it('moves the time forward to SMSC time stamps, without trusting it', async () => {
    const t = setup({ sync: { synchronised: false, how: 'timedatectl: NTPSynchronized=no' } });
    t.machine.wall = T0 - 2 * DAY;
    await t.keeper.start();
    t.keeper.networkTime({ at: T0 - 2 * DAY + 10_000, kind: 'not-before', source: 'a stamp within the tolerance' });
    expect(t.clock.now()).toBe(T0 - 2 * DAY);
    t.keeper.networkTime({ at: T0, kind: 'not-before', source: 'the SMSC time stamp of a status report through modem 35' });
    expect(t.clock.now()).toBe(T0);
    expect(t.clock.trusted).toBe(false);
    expect(t.health.get('clock')).toMatchObject({ level: 'degraded', detail: expect.stringMatching(/moved forward to the SMSC time stamp of a status report through modem 35 \(the system clock is 2d behind\)/) });
  });

  it('after a restart with the clock gone back, counts on from the last time the store recorded', async () => {
    const first = setup({ sync: { synchronised: true, how: 'timedatectl: NTPSynchronized=yes' } });
    await first.keeper.start();
    first.machine.advance(3_600_000);
    await first.keeper.close();
    keepers.splice(keepers.indexOf(first.keeper), 1);
    await first.store.close();
    stores.splice(stores.indexOf(first.store), 1);
    // the box was off; fake-hwclock restored a save older than what the store saw
    const machine = new Machine();
    machine.wall = T0 - 5 * 60_000;
    const again = setup({ sync: { synchronised: false, how: 'timedatectl: NTPSynchronized=no' }, dir: first.dir, machine });
    await again.keeper.start();
    expect(again.keeper.previous).toMatchObject({ at: T0 + 3_600_000, trusted: true });
    expect(again.clock.now()).toBe(T0 + 3_600_000);
    expect(again.clock.trusted).toBe(false);
    expect(again.warned().some((m) => /1h 5m behind the last time the store recorded/.test(m))).toBe(true);
    expect(again.store.meta.get(CLOCK_META_KEY) as ClockRecord).toMatchObject({ at: T0 + 3_600_000, trusted: false });
  });
});
