// The virtual modem's clock (27.007 +CCLK) and the network's time (NITZ). Like a real module it
// powers on with a default date (2004) that runs on; the network sends its time at
// registration (and when a test asks: a time-zone change, a location update); with +CTZU=1
// (SIMCom: +CLTS=1) the clock takes it, and +CTZR reports it (+CTZV, +CTZE, +CTZEU; Huawei
// also ^NWTIME, SIMCom *PSUTTZ). Two liberties, said here: switching +CTZU on applies the
// network's last time at once, and switching +CTZR on reports it at once, so that a host that
// sets the modem up after its registration (every host does) hears the time without waiting for
// the next location update.
import { arg, intArg, type ParsedCommand } from './command-line.js';
import type { Dialect } from './dialects.js';

/** What the network says: its time (UTC ms) and zone (quarters of an hour east, DST included). */
export interface NetworkClockReading {
  at: number;
  zone: number;
}

interface Reply {
  lines: string[];
  final: string | null;
}

/** Real modems' clocks start at a default date when power comes. */
const POWER_ON_DATE = Date.UTC(2004, 0, 1);

const pad = (n: number) => String(n).padStart(2, '0');

/** "+08", "-24" (27.007: fixed two digits with a sign). */
export function formatZone(z: number): string {
  return `${z < 0 ? '-' : '+'}${pad(Math.abs(z))}`;
}

/** yy/MM/dd,hh:mm:ss (or yyyy/...) of an instant in a zone. */
export function formatLocal(at: number, zone: number, fullYear = false): string {
  const d = new Date(at + zone * 15 * 60_000);
  const y = fullYear ? String(d.getUTCFullYear()) : pad(d.getUTCFullYear() % 100);
  return `${y}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())},${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

export class ModemClock {
  /** The clock: `at` (UTC) was true at monotonic `mono`; `zone` is what +CCLK shows. */
  private rtc = { at: POWER_ON_DATE, mono: performance.now(), zone: 0 };
  private ctzu = 0;
  private ctzr = 0;
  private clts = 0;

  constructor(
    private readonly dialect: Dialect,
    /** The network's time now, or null when it sends none. */
    private readonly network: () => NetworkClockReading | null,
    private readonly urc: (line: string) => void,
    /** Registered (only then does the network's time arrive). */
    private readonly registered: () => boolean,
  ) {}

  /** Power cycle: the clock starts again at its default date, reporting is off. */
  powerOn(): void {
    this.rtc = { at: POWER_ON_DATE, mono: performance.now(), zone: 0 };
    this.ctzu = 0;
    this.ctzr = 0;
    this.clts = 0;
  }

  /** The clock now (UTC ms). */
  now(): number {
    return this.rtc.at + (performance.now() - this.rtc.mono);
  }

  /** The network sends its time (at registration, a zone change, a location update). */
  nitz(): void {
    const t = this.network();
    if (!t || !this.registered()) return;
    if (this.ctzu || this.clts) this.rtc = { at: t.at, mono: performance.now(), zone: t.zone };
    this.report(t);
  }

  private report(t: NetworkClockReading): void {
    const z = formatZone(t.zone);
    if (this.ctzr === 1) this.urc(`+CTZV: ${z}`);
    if (this.ctzr === 2) this.urc(`+CTZE: "${z}",0,"${formatLocal(t.at, t.zone, true)}"`);
    if (this.ctzr === 3) this.urc(`+CTZEU: "${z}",0,"${formatLocal(t.at, 0, true)}"`);
    if (this.dialect.name === 'huawei') this.urc(`^NWTIME: ${formatLocal(t.at, t.zone)}${z},00`);
    if (this.dialect.name === 'simcom' && this.clts) {
      this.urc(`+CTZV: ${z},0`);
      this.urc(`*PSUTTZ: ${formatLocal(t.at, 0, true).replace(/[/:]/g, ',').replace(/,0(\d)/g, ',$1')},"${z}",0`);
      this.urc('DST: 0');
    }
  }

  /** +CCLK, +CTZU, +CTZR (and SIMCom +CLTS); null for any other command. */
  command(c: ParsedCommand): Reply | null {
    const ok = (lines: string[] = []): Reply => ({ lines, final: 'OK' });
    const bad: Reply = { lines: [], final: 'ERROR' };
    switch (c.name) {
      case '+CCLK': {
        if (c.type === 'test') return ok();
        if (c.type === 'read') return ok([`+CCLK: "${formatLocal(this.now(), this.rtc.zone)}${formatZone(this.rtc.zone)}"`]);
        if (c.type !== 'set') return bad;
        const m = /^(\d{2})\/(\d{2})\/(\d{2}),(\d{2}):(\d{2}):(\d{2})([+-]\d{2})?$/.exec(arg(c.args[0]));
        if (!m) return bad;
        const zone = m[7] ? Number(m[7]) : 0;
        const local = Date.UTC(2000 + Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
        this.rtc = { at: local - zone * 15 * 60_000, mono: performance.now(), zone };
        return ok();
      }
      case '+CTZU': {
        if (c.type === 'read') return ok([`+CTZU: ${this.ctzu}`]);
        if (c.type === 'test') return ok(['+CTZU: (0,1)']);
        const n = intArg(c.args[0]);
        if (n === null || n > 1) return bad;
        this.ctzu = n;
        if (n === 1) this.take();
        return ok();
      }
      case '+CTZR': {
        if (c.type === 'read') return ok([`+CTZR: ${this.ctzr}`]);
        if (c.type === 'test') return ok(['+CTZR: (0-3)']);
        const n = intArg(c.args[0]);
        if (n === null || n > 3) return bad;
        this.ctzr = n;
        const t = this.registered() ? this.network() : null;
        if (t && n > 0) setImmediate(() => this.report(t));
        return ok();
      }
      case '+CLTS': {
        if (this.dialect.name !== 'simcom') return null;
        if (c.type === 'read') return ok([`+CLTS: ${this.clts}`]);
        if (c.type === 'test') return ok(['+CLTS: (0,1)']);
        const n = intArg(c.args[0]);
        if (n === null || n > 1) return bad;
        this.clts = n;
        if (n === 1) this.take();
        return ok();
      }
      default:
        return null;
    }
  }

  /** The network's last time, applied to the clock now. */
  private take(): void {
    const t = this.registered() ? this.network() : null;
    if (t) this.rtc = { at: t.at, mono: performance.now(), zone: t.zone };
  }
}
