// The network's time, as a modem knows it. Networks send their time (NITZ, 24.008 MM/GMM
// INFORMATION) at registration and on changes; with +CTZU=1 (SIMCom: +CLTS=1) the modem sets its
// own clock from it, and with +CTZR it reports it (+CTZV, +CTZE; Huawei ^NWTIME, SIMCom
// *PSUTTZ...). The driver switches both on after each start-up, reads the clock (AT+CCLK?) once
// registered, on every poll and after each NITZ code, and emits what it read as a
// 'network-time' event. Whether a reading is believable (a modem's clock that no network set
// says 1980 or 2004) is for the clock keeper to judge (src/clock/keeper.ts).
import { afterPrefix } from './at-parse.js';
import { NITZ_URCS, parseCclk, timeOfNitzUrc } from './at-time.js';
import type { Session } from './session.js';
import type { NetworkTimeReading } from './types.js';

export interface NetworkClockOptions {
  /** Hands a reading on (the driver emits it). */
  emit(reading: NetworkTimeReading): void;
  /** The modem is registered (its clock may hold the network's time). */
  registered(): boolean;
  /** The driver's current initialised session, if any. */
  session(): Session | null;
}

export class NetworkClock {
  private reading = false;
  private again = false;

  constructor(private readonly o: NetworkClockOptions) {}

  /** Unsolicited NITZ codes of a session (registered before the vendors' chatter, which would swallow them). */
  wire(s: Session): void {
    for (const prefix of NITZ_URCS) {
      s.chat.onUnsolicited(prefix, (line) => {
        s.nitz = true;
        try {
          const t = timeOfNitzUrc(line);
          if (t?.utc !== null && t?.utc !== undefined) this.o.emit({ at: t.utc, source: `${prefix.slice(0, -1)} ${t.text}`, nitz: true });
        } catch (err) {
          s.log.debug({ line, err: (err as Error).message }, 'unreadable network time code; the clock is read instead');
        }
        this.readSoon(s);
      });
    }
  }

  /** After a start-up: let the modem take the network's time, and report it. */
  async setUp(s: Session): Promise<void> {
    await s.tryAt('AT+CTZU=1');
    if ((await s.tryAt('AT+CTZR=2')) === null) await s.tryAt('AT+CTZR=1');
    for (const c of s.vendor.networkTime ?? []) await s.tryAt(c);
  }

  /** Reads the modem's clock and hands it on, when registered and the clock names its zone. */
  async read(s: Session): Promise<void> {
    if (!this.o.registered() || s.closed) return;
    const lines = await s.tryAt('AT+CCLK?', { prefixes: ['+CCLK:'] });
    const line = lines?.find((l) => afterPrefix(l, '+CCLK') !== null);
    if (!line) return;
    let t;
    try {
      t = parseCclk(line);
    } catch (err) {
      s.log.debug({ line, err: (err as Error).message }, 'unreadable +CCLK answer');
      return;
    }
    if (t.utc === null) return; // a local time of an unknown zone names no instant
    this.o.emit({ at: t.utc, source: `AT+CCLK? "${t.text}"${s.nitz ? ' after NITZ' : ''}`, nitz: s.nitz });
  }

  /**
   * A read as soon as the chat is free (not from inside a URC handler), one at a time. A code
   * that comes while a read is under way asks for another read after it: the one running may
   * have read the clock before the network changed it.
   */
  private readSoon(s: Session): void {
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    this.again = false;
    setImmediate(() => {
      const cur = this.o.session();
      const run = cur === s && s.initialised && !s.closed ? this.read(s) : Promise.resolve();
      void run
        .catch((err: unknown) => s.log.debug({ err: (err as Error).message }, 'reading the modem clock failed'))
        .finally(() => {
          this.reading = false;
          if (this.again) this.readSoon(s);
        });
    });
  }
}
