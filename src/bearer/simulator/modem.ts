// A virtual GSM modem speaking AT (V.250, 27.007, 27.005 PDU mode) on any Duplex stream: a
// pty served through socat, or an in-process pair. It keeps the state a real one keeps (echo,
// +CMEE, +CNMI routing, +CPMS memories with stored messages, SIM and PIN, registration,
// +CSMS/+CNMA acknowledgements) and sends SMS through a VirtualNetwork. Dialects set what
// differs between vendors; faults can be injected (errors on the Nth send, silence, lost
// answers, garbage bytes) and unsolicited codes placed in the middle of responses.
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { decodeSms, gsm7Pack, toHex, type SmsSubmitTpdu } from '../../codec/sms/index.js';
import { parseCnmiTest } from '../modem/at-parse.js';
import { cmeError, cmsError } from '../modem/errors.js';
import { arg, intArg, parseCommandLine, type ParsedCommand } from './command-line.js';
import { dialect as getDialect, type Dialect, type DialectName } from './dialects.js';
import type { NetworkPdu, Subscriber, VirtualNetwork } from './network.js';
import { ModemClock } from './modem-clock.js';
import { MessageMemories } from './storage.js';

export type SimState = 'ready' | 'pin' | 'puk' | 'absent';

export interface VirtualModemOptions {
  msisdn: string;
  dialect?: DialectName;
  /** Changes to the dialect (echo default, line ending, prompt form...). */
  overrides?: Partial<Dialect>;
  imei?: string;
  imsi?: string;
  iccid?: string;
  sim?: SimState;
  /** A PIN-protected SIM asks for it after every power-on. */
  pin?: string | null;
  puk?: string;
  /** Registration <stat> while the SIM is ready (1 home, 2 searching, 3 denied, 5 roaming). */
  registration?: number;
  /** +CSQ <rssi>. */
  rssi?: number;
  /** Unsolicited codes wait for the next response and go out between its lines and its final result. */
  urcsMidResponse?: boolean;
  /** Delay before each answer, in ms. */
  responseDelayMs?: number;
  /** How long a +CMT/+CDS waits for +CNMA (27.005 +CNMA: then routing is switched off). */
  cnmaTimeoutMs?: number;
  /** Answer to +CUSD requests (the text the network returns). */
  ussdReply?: (code: string) => string;
  logger?: Logger;
}

/** Faults counted from the moment they are injected: `send: 1` is the next AT+CMGS. */
export type ModemFault =
  /** The Nth send is refused with this +CMS ERROR value (nothing reaches the network). */
  | { kind: 'cms-error'; send: number; code: number }
  /** The Nth send gets no answer at all; `delivered` says whether the network got it anyway. */
  | { kind: 'lose-answer'; send: number; delivered: boolean }
  /** The Nth send gets no prompt (and no answer). */
  | { kind: 'no-prompt'; send: number }
  /** The next `commands` command lines are ignored: no echo, no answer (a hung firmware). */
  | { kind: 'silent'; commands: number };

type Item = { kind: 'line'; line: string } | { kind: 'pdu'; hex: string } | { kind: 'esc' };

interface Reply {
  lines: string[];
  final: string | null; // null: no final yet (prompt sent, or an answer that never comes)
}

const STATUS_REPORT = 'SMS-STATUS-REPORT';

export class VirtualModem implements Subscriber {
  readonly dialect: Dialect;
  readonly msisdn: string;
  readonly imei: string;
  readonly imsi: string;
  readonly iccid: string;
  sim: SimState;
  /** Counters and a log of every command line, for tests. */
  readonly stats = {
    commands: [] as string[], sendAttempts: 0, sent: 0, sentWithCmms: 0, acks: 0, received: 0, reports: 0,
    /** Unsolicited codes written between a response's lines and its final result. */
    urcsInResponses: 0,
  };
  private readonly pin: string | null;
  private readonly puk: string;
  private pinAttempts = 3;
  private reg: number;
  private rssi: number;
  private readonly opts: VirtualModemOptions;
  private readonly log: Logger | null;
  // settings (reset at power-on, ATZ, AT&F)
  private echo = true;
  private cmee = 0;
  private cscs = 'IRA';
  private csms = 0;
  private cmms = 0;
  private cnmi = { mode: 0, mt: 0, bm: 0, ds: 0, bfr: 0 };
  private regUrc = { CREG: 0, CGREG: 0, CEREG: 0 } as Record<'CREG' | 'CGREG' | 'CEREG', number>;
  private copsFormat = 0;
  private curc = 1;
  private cfun: 0 | 1 | 4 = 1;
  private smsc: string;
  private mems: [string, string, string];
  private readonly storage: MessageMemories;
  /** +CCLK and the network's time (+CTZU, +CTZR). */
  readonly clock: ModemClock;
  private nextMr = 0;
  // line handling
  private stream: Duplex | null = null;
  private powered = true;
  private readonly onData = (chunk: Buffer): void => this.feed(chunk);
  private inBuf = '';
  private pduBuf = '';
  private mode: 'command' | 'pdu' = 'command';
  private pduLength = 0;
  private busy = false;
  private readonly items: Item[] = [];
  private readonly urcQueue: string[] = [];
  private pendingAck: { resolve: (ok: boolean) => void; timer: NodeJS.Timeout } | null = null;
  private faults: (ModemFault & { at: number })[] = [];
  private cmgsCount = 0;
  private silence = 0;

  constructor(readonly network: VirtualNetwork, opts: VirtualModemOptions) {
    this.opts = opts;
    this.dialect = getDialect(opts.dialect ?? 'generic', opts.overrides);
    this.msisdn = opts.msisdn;
    this.imei = opts.imei ?? luhnComplete(`35${digitsOf(opts.msisdn).padStart(12, '0').slice(-12)}`);
    this.imsi = opts.imsi ?? `00101${digitsOf(opts.msisdn).padStart(10, '0').slice(-10)}`;
    this.iccid = opts.iccid ?? luhnComplete(`8900101${digitsOf(opts.msisdn).padStart(11, '0').slice(-11)}`);
    this.pin = opts.pin ?? null;
    this.puk = opts.puk ?? '12345678';
    this.sim = opts.sim ?? (this.pin ? 'pin' : 'ready');
    this.reg = opts.registration ?? 1;
    this.rssi = opts.rssi ?? 20;
    this.log = opts.logger ?? null;
    this.smsc = network.smsc;
    const d = this.dialect;
    this.mems = [d.memories[0][0], d.memories[1][0], d.memories[2][0]];
    const names = [...d.memories[0], ...d.memories[1], ...d.memories[2], ...(d.statusMemory ? [d.statusMemory] : [])];
    this.storage = new MessageMemories(d.capacity, names, d.firstIndex);
    this.clock = new ModemClock(d, () => network.networkTime(), (l) => this.urc(l), () => isRegistered(this.effectiveReg()));
    this.cfun = this.dialect.cfunAtBoot;
    this.resetSettings();
    network.attach(this);
  }

  // ------------------------------------------------------------------------------------------
  // Wiring

  /**
   * Connects the modem's AT port to a stream (socat's stdio, or an in-memory end a driver
   * opened); `boot` also power-cycles it (the port just appeared).
   */
  attach(stream: Duplex, opts: { boot?: boolean } = {}): void {
    this.unbind();
    this.stream = stream;
    stream.on('data', this.onData);
    stream.on('error', () => this.release(stream));
    if (opts.boot) this.powerOn();
  }

  /** The stream closed (the driver closed the port): the modem stays on, unheard. */
  release(stream: Duplex): void {
    if (this.stream === stream) this.unbind();
  }

  /** The port vanished with the modem's power: settings are lost, storage stays. */
  detach(): void {
    this.unbind();
    this.powered = false;
    this.items.length = 0;
    this.urcQueue.length = 0;
    if (this.pendingAck) {
      clearTimeout(this.pendingAck.timer);
      this.pendingAck.resolve(false);
      this.pendingAck = null;
    }
  }

  private unbind(): void {
    if (this.stream) this.stream.removeListener('data', this.onData);
    this.stream = null;
    this.inBuf = '';
    this.pduBuf = '';
    this.mode = 'command';
  }

  /** A power cycle: settings back to defaults, the SIM asks for its PIN again, boot codes sent. */
  powerOn(): void {
    this.powered = true;
    this.cfun = this.dialect.cfunAtBoot;
    this.resetSettings();
    this.clock.powerOn();
    if (this.sim === 'ready' && this.pin) this.sim = 'pin';
    for (const u of this.dialect.boot) this.urc(u);
    this.clock.nitz();
  }

  /** The network sends its time now (a time-zone change, a location update). */
  sendNitz(): void {
    this.clock.nitz();
  }

  // ------------------------------------------------------------------------------------------
  // Test controls

  inject(fault: ModemFault): void {
    if (fault.kind === 'silent') this.silence += fault.commands;
    else this.faults.push({ ...fault, at: this.cmgsCount + fault.send });
  }

  /** Writes bytes as they are (noise on the line). */
  garbage(bytes: Uint8Array | string): void {
    this.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : Buffer.from(bytes));
  }

  /** Sends an unsolicited line now (or with the next response when urcsMidResponse). */
  urc(line: string, pdu?: string): void {
    const eol = this.dialect.eol;
    const text = `${eol}${line}${eol}${pdu !== undefined ? `${pdu}${eol}` : ''}`;
    if (this.busy || this.mode === 'pdu') this.urcQueue.push(text);
    else if (this.opts.urcsMidResponse) {
      // Wait a moment for a response to slip into; a quiet host still gets it.
      this.urcQueue.push(text);
      setTimeout(() => this.flushUrcs(true), 15);
    } else this.write(text);
  }

  /** Sends the vendor's chatter (Huawei ^BOOT/^MODE...) when not silenced. */
  noise(): void {
    if (this.curc === 0) return;
    for (const u of this.dialect.noiseUrcs) this.urc(u);
  }

  setRegistration(stat: number): void {
    const before = this.effectiveReg();
    this.reg = stat;
    if (this.effectiveReg() !== before) {
      this.announceRegistration();
      this.clock.nitz();
    }
  }

  setSignal(rssi: number): void {
    this.rssi = rssi;
    if (this.curc !== 0 && this.dialect.signalUrc) this.urc(this.dialect.signalUrc(rssi));
  }

  /** Messages held in a memory (index as the modem numbers it). */
  stored(memory: string): { index: number; stat: number; hex: string }[] {
    return this.storage.list(memory, 4, false).map(({ index, stat, hex }) => ({ index, stat, hex }));
  }

  /** PIN attempts left before the SIM wants its PUK. */
  get pinAttemptsLeft(): number {
    return this.pinAttempts;
  }

  /** The routing set by +CNMI (mt 0 means nothing is announced). */
  get routing(): { mode: number; mt: number; bm: number; ds: number; bfr: number } {
    return { ...this.cnmi };
  }

  // ------------------------------------------------------------------------------------------
  // The network side

  async receive(pdu: NetworkPdu): Promise<boolean> {
    if (!this.powered || this.sim !== 'ready' || !isRegistered(this.effectiveReg())) return false;
    const t = pdu.message.tpdu;
    const hex = toHex(pdu.bytes);
    const length = pdu.bytes.length - 1 - pdu.bytes[0];
    if (t.type === STATUS_REPORT) {
      this.stats.reports++;
      if (this.cnmi.ds === 1) return this.direct(`+CDS: ${length}`, hex);
      if (this.cnmi.ds === 2) {
        const mem = this.dialect.statusMemory ?? this.mems[2];
        const index = this.storage.store(mem, hex, length, 0);
        if (index === null) return false;
        this.urc(`+CDSI: "${mem}",${index}`);
        return true;
      }
      return true; // <ds> 0: not routed, and not kept
    }
    if (t.type !== 'SMS-DELIVER') return true;
    const cls = t.dcs.messageClass;
    const direct = cls !== 2 && (this.cnmi.mt === 2 || (this.cnmi.mt === 3 && cls === 3));
    if (direct) {
      const ok = await this.direct(`+CMT: ,${length}`, hex);
      if (ok) this.stats.received++;
      return ok;
    }
    const index = this.storage.store(this.mems[2], hex, length, 0);
    if (index === null) return false; // memory full: the network tries again later
    this.stats.received++;
    if (this.cnmi.mt === 1 || this.cnmi.mt === 3) this.urc(`+CMTI: "${this.mems[2]}",${index}`);
    return true;
  }

  /** +CMT / +CDS: with +CSMS=1 the host must acknowledge with +CNMA in time. */
  private direct(header: string, hex: string): Promise<boolean> {
    if (this.csms !== 1) {
      this.urc(header, hex);
      return Promise.resolve(true);
    }
    if (this.pendingAck) return Promise.resolve(false); // one unacknowledged at a time
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pendingAck = null;
        // 27.005 +CNMA: no acknowledgement in time -> the ME turns routing to the TE off.
        this.cnmi.mt = 0;
        this.cnmi.ds = 0;
        this.log?.debug({ msisdn: this.msisdn }, 'virtual modem: no +CNMA in time; routing switched off');
        resolve(false);
      }, this.opts.cnmaTimeoutMs ?? 5000);
      this.pendingAck = { resolve, timer };
      this.urc(header, hex);
    });
  }

  // ------------------------------------------------------------------------------------------
  // The AT side

  private write(data: string | Buffer): void {
    if (!this.stream) return;
    try {
      this.stream.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
    } catch {
      this.detach();
    }
  }

  private feed(chunk: Buffer): void {
    let echo = '';
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      const ch = String.fromCharCode(c);
      if (this.mode === 'pdu') {
        if (c === 0x1a) {
          this.mode = 'command';
          this.items.push({ kind: 'pdu', hex: this.pduBuf });
          this.pduBuf = '';
        } else if (c === 0x1b) {
          this.mode = 'command';
          this.pduBuf = '';
          this.items.push({ kind: 'esc' });
        } else if (c !== 13 && c !== 10) {
          this.pduBuf += ch;
          if (this.echo) echo += ch;
        }
        continue;
      }
      if (c === 13) {
        const line = this.inBuf;
        this.inBuf = '';
        if (line.trim() !== '') {
          this.items.push({ kind: 'line', line });
          // A command that prompts switches the rest of this chunk to PDU input.
          if (/^\s*AT\+CMGS=/i.test(line)) {
            void this.pump();
            continue;
          }
        }
      } else if (c === 0x1b) this.inBuf = '';
      else if (c === 8) this.inBuf = this.inBuf.slice(0, -1);
      else if (c >= 0x20 && c < 0x7f) this.inBuf += ch;
      if (this.inBuf.length > 1024) this.inBuf = '';
    }
    if (echo) this.write(echo);
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.busy) return;
    const item = this.items.shift();
    if (!item) return;
    this.busy = true;
    try {
      await this.handle(item);
    } catch (err) {
      this.log?.error({ err }, 'virtual modem failed on a command');
      this.respond({ lines: [], final: 'ERROR' });
    }
    this.busy = false;
    this.flushUrcs();
    void this.pump();
  }

  private flushUrcs(late = false): void {
    if (this.busy || this.mode === 'pdu' || this.urcQueue.length === 0) return;
    if (this.opts.urcsMidResponse && !late) return; // they wait for the next response
    this.write(this.urcQueue.splice(0).join(''));
  }

  private respond(r: Reply): void {
    const eol = this.dialect.eol;
    let out = '';
    for (const l of r.lines) out += `${eol}${l}${eol}`;
    if (this.opts.urcsMidResponse && this.urcQueue.length > 0 && r.final !== null) {
      this.stats.urcsInResponses += this.urcQueue.length;
      out += this.urcQueue.splice(0).join('');
    }
    if (r.final !== null) out += `${eol}${r.final}${eol}`;
    if (out) this.write(out);
  }

  private async handle(item: Item): Promise<void> {
    if (item.kind === 'esc') {
      if (this.dialect.escAnswer) this.respond({ lines: [], final: this.dialect.escAnswer });
      return;
    }
    if (item.kind === 'pdu') {
      this.respond(await this.submit(item.hex));
      return;
    }
    const line = item.line.trim();
    this.stats.commands.push(line);
    if (this.silence > 0) {
      this.silence--;
      return;
    }
    if (this.echo) this.write(`${item.line}\r`);
    if (this.opts.responseDelayMs) await new Promise((r) => setTimeout(r, this.opts.responseDelayMs));
    const cmds = parseCommandLine(line);
    if (cmds === null) {
      if (/^AT/i.test(line)) this.respond({ lines: [], final: 'ERROR' });
      return; // not a command line: ignored, as modems do
    }
    const lines: string[] = [];
    for (const c of cmds) {
      const r = this.exec(c);
      lines.push(...r.lines);
      // An error ends the line; so does a prompt (final null: the PDU comes next).
      if (r.final !== 'OK') {
        if (r.final !== null || lines.length > 0) this.respond({ lines, final: r.final });
        return;
      }
    }
    this.respond({ lines, final: 'OK' });
  }

  // ------------------------------------------------------------------------------------------
  // Commands

  private ok(lines: string[] = []): Reply {
    return { lines, final: 'OK' };
  }

  private cms(code: number): Reply {
    if (this.cmee === 0) return { lines: [], final: 'ERROR' };
    return { lines: [], final: `+CMS ERROR: ${this.cmee === 2 ? cmsError(code).text : code}` };
  }

  private cme(code: number): Reply {
    if (this.cmee === 0) return { lines: [], final: 'ERROR' };
    return { lines: [], final: `+CME ERROR: ${this.cmee === 2 ? cmeError(code).text : code}` };
  }

  private unknown(): Reply {
    return { lines: [], final: this.dialect.unknown };
  }

  /** The SIM problem as a +CME (kind 'cme') or +CMS error, or null when the SIM is ready. */
  private simError(kind: 'cme' | 'cms'): Reply | null {
    if (this.sim === 'ready') return null;
    const cme = { absent: 10, pin: 11, puk: 12 }[this.sim];
    const cms = { absent: 310, pin: 311, puk: 316 }[this.sim];
    return kind === 'cme' ? this.cme(cme) : this.cms(cms);
  }

  private str(s: string): string {
    if (this.cscs !== 'UCS2' && !this.dialect.ucs2Strings) return s;
    let h = '';
    for (let i = 0; i < s.length; i++) h += s.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
    return h;
  }

  private resetSettings(): void {
    this.echo = this.dialect.echo;
    this.cmee = 0;
    this.cscs = 'IRA';
    this.csms = 0;
    this.cmms = 0;
    this.cnmi = { mode: 0, mt: 0, bm: 0, ds: 0, bfr: 0 };
    this.regUrc = { CREG: 0, CGREG: 0, CEREG: 0 };
    this.copsFormat = 0;
    this.curc = 1;
  }

  private effectiveReg(): number {
    return this.sim === 'ready' && this.cfun === 1 ? this.reg : 0;
  }

  private regLine(kind: 'CREG' | 'CGREG' | 'CEREG', read: boolean): string {
    const n = this.regUrc[kind];
    const stat = this.effectiveReg();
    const loc = n >= 2 && isRegistered(stat) ? `,"00A1","${kind === 'CEREG' ? '0001B2C3' : 'B2C3'}",${kind === 'CEREG' ? 7 : 2}` : '';
    return `+${kind}: ${read ? `${n},` : ''}${stat}${loc}`;
  }

  private announceRegistration(): void {
    for (const k of ['CREG', 'CGREG', 'CEREG'] as const) if (this.regUrc[k] > 0) this.urc(this.regLine(k, false));
  }

  private exec(c: ParsedCommand): Reply {
    const d = this.dialect;
    const a = c.args;
    switch (c.name) {
      // ---- V.250 basics
      case 'E':
        this.echo = (a[0] ?? '0') !== '0';
        return this.ok();
      case 'V':
        return (a[0] ?? '0') === '1' ? this.ok() : { lines: [], final: 'ERROR' };
      case 'Q': case 'X': case '&C': case '&D': case '&K': case '&W': case 'L': case 'M':
        return this.ok();
      case 'Z': case '&F':
        this.resetSettings();
        return this.ok();
      case 'I':
        return this.ok(d.ati.map((l) => l.replace('{imei}', this.imei)));
      // ---- identity
      case '+CGMI': case '+GMI':
        return c.type === 'test' ? this.ok() : this.ok([d.manufacturer]);
      case '+CGMM': case '+GMM':
        return c.type === 'test' ? this.ok() : this.ok([d.model]);
      case '+CGMR': case '+GMR':
        return c.type === 'test' ? this.ok() : this.ok([d.revision]);
      case '+CGSN': case '+GSN':
        return c.type === 'test' ? this.ok() : this.ok([this.imei]);
      case '+CIMI':
        return this.simError('cme') ?? this.ok([this.imsi]);
      // ---- error reporting, SIM, power
      case '+CMEE':
        if (c.type === 'read') return this.ok([`+CMEE: ${this.cmee}`]);
        if (c.type === 'test') return this.ok(['+CMEE: (0-2)']);
        if (c.type === 'set') {
          const n = intArg(a[0]);
          if (n === null || n > 2) return this.cme(3);
          this.cmee = n;
        }
        return this.ok();
      case '+CPIN':
        return this.cpin(c);
      case '+CFUN': {
        if (c.type === 'read') return this.ok([`+CFUN: ${this.cfun}`]);
        if (c.type === 'test') return this.ok(['+CFUN: (0,1,4),(0-1)']);
        const n = intArg(a[0]);
        if (c.type !== 'set' || n === null || ![0, 1, 4].includes(n)) return this.cme(3);
        const before = this.effectiveReg();
        this.cfun = n as 0 | 1 | 4;
        if (this.effectiveReg() !== before) {
          setImmediate(() => {
            this.announceRegistration();
            this.clock.nitz();
          });
        }
        return this.ok();
      }
      // ---- network
      case '+CSQ':
        return c.type === 'test' ? this.ok(['+CSQ: (0-31,99),(0-7,99)']) : this.ok([`+CSQ: ${this.rssi},99`]);
      case '+CREG': case '+CGREG': case '+CEREG': {
        const k = c.name.slice(1) as 'CREG' | 'CGREG' | 'CEREG';
        if (c.type === 'read') return this.ok([this.regLine(k, true)]);
        if (c.type === 'test') return this.ok([`+${k}: (0-2)`]);
        const n = intArg(a[0]) ?? 0;
        if (n > 2) return this.cme(3);
        this.regUrc[k] = n;
        return this.ok();
      }
      case '+COPS':
        return this.cops(c);
      case '+CSCS':
        if (c.type === 'read') return this.ok([`+CSCS: "${this.cscs}"`]);
        if (c.type === 'test') return this.ok(['+CSCS: ("IRA","GSM","UCS2")']);
        if (!['IRA', 'GSM', 'UCS2'].includes(arg(a[0]).toUpperCase())) return this.cme(4);
        this.cscs = arg(a[0]).toUpperCase();
        return this.ok();
      case '+CUSD':
        return this.cusd(c);
      // ---- SMS (27.005)
      case '+CMGF':
        if (c.type === 'read') return this.ok(['+CMGF: 0']);
        if (c.type === 'test') return this.ok(['+CMGF: (0)']);
        return intArg(a[0]) === 0 ? this.ok() : this.cms(303);
      case '+CSCA':
        if (c.type === 'read') return this.simError('cms') ?? this.ok([`+CSCA: "${this.str(this.smsc)}",${this.smsc.startsWith('+') ? 145 : 129}`]);
        if (c.type === 'set') this.smsc = arg(a[0]);
        return this.ok();
      case '+CSMS':
        if (c.type === 'read') return this.ok([`+CSMS: ${this.csms},1,1,1`]);
        if (c.type === 'test') return this.ok([d.phase2plus ? '+CSMS: (0,1)' : '+CSMS: (0)']);
        if (c.type === 'set') {
          const n = intArg(a[0]);
          if (n === null || n > 1 || (n === 1 && !d.phase2plus)) return this.cms(303);
          this.csms = n;
          return this.ok(['+CSMS: 1,1,1']);
        }
        return this.ok();
      case '+CPMS':
        return this.cpms(c);
      case '+CNMI':
        return this.cnmiCommand(c);
      case '+CNMA':
        return this.cnma(c);
      case '+CMMS':
        if (!d.cmms) return this.unknown();
        if (c.type === 'read') return this.ok([`+CMMS: ${this.cmms}`]);
        if (c.type === 'test') return this.ok(['+CMMS: (0-2)']);
        if ((intArg(a[0]) ?? 0) > 2) return this.cms(303);
        this.cmms = intArg(a[0]) ?? 0;
        return this.ok();
      case '+CMGS':
        return this.cmgs(c);
      case '+CMGR':
        return this.cmgr(c);
      case '+CMGL':
        return this.cmgl(c);
      case '+CMGD':
        return this.cmgd(c);
      // ---- vendor commands
      case '^CURC':
        if (d.name !== 'huawei') return this.unknown();
        if (c.type === 'read') return this.ok([`^CURC: ${this.curc}`]);
        this.curc = intArg(a[0]) ?? 0;
        return this.ok();
      case '^PORTSEL': // which port gets the URCs (gammu sets it on Huawei)
        return d.name === 'huawei' ? this.ok() : this.unknown();
      case '^SYSINFO':
        if (d.name !== 'huawei') return this.unknown();
        return this.ok([`^SYSINFO:${isRegistered(this.effectiveReg()) ? 2 : 0},3,0,5,1,,4`]);
      case '+QURCCFG':
        if (d.name !== 'quectel') return this.unknown();
        if (c.type === 'read') return this.ok(['+QURCCFG: "urcport","usbat"']);
        return this.ok();
      case '!GSTATUS':
        if (d.name !== 'sierra') return this.unknown();
        return this.ok(['!GSTATUS: ', `Current Time:  1000\t\tTemperature: 38`, `Mode:        ONLINE\t\tSystem mode:  LTE`]);
      default:
        return this.clock.command(c) ?? this.iccidCommand(c) ?? this.unknown();
    }
  }

  private iccidCommand(c: ParsedCommand): Reply | null {
    const want = parseCommandLine(this.dialect.iccid.command)?.[0];
    if (!want || want.name !== c.name || c.type === 'test' || c.type === 'set') return null;
    if (this.sim === 'absent') return this.cme(10);
    // Huawei's ^ICCID reads EF-ICCID as stored: nibble-swapped.
    const value = this.dialect.name === 'huawei' ? swapNibbles(this.iccid.padEnd(20, 'F')) : this.iccid;
    return this.ok([`${this.dialect.iccid.prefix}${value}`]);
  }

  private cpin(c: ParsedCommand): Reply {
    if (c.type === 'test') return this.ok();
    if (c.type === 'read') {
      if (this.sim === 'absent') return this.cme(10);
      return this.ok([`+CPIN: ${{ ready: 'READY', pin: 'SIM PIN', puk: 'SIM PUK' }[this.sim]}`]);
    }
    if (c.type !== 'set') return this.cme(3);
    if (this.sim === 'absent') return this.cme(10);
    if (this.sim === 'ready') return this.cme(3);
    if (this.sim === 'pin') {
      if (arg(c.args[0]) === this.pin) return this.simReady();
      this.pinAttempts--;
      if (this.pinAttempts <= 0) this.sim = 'puk';
      return this.cme(16);
    }
    // PUK and a new PIN
    if (arg(c.args[0]) === this.puk && arg(c.args[1]) !== '') {
      this.pinAttempts = 3;
      return this.simReady();
    }
    return this.cme(16);
  }

  private simReady(): Reply {
    this.sim = 'ready';
    this.pinAttempts = 3;
    setImmediate(() => {
      this.urc('+CPIN: READY');
      if (isRegistered(this.reg)) {
        this.announceRegistration();
        this.clock.nitz();
      }
    });
    return this.ok();
  }

  private cops(c: ParsedCommand): Reply {
    const op = this.network.operator;
    if (c.type === 'test') return this.ok([`+COPS: (2,"${op.long}","${op.short}","${op.numeric}",2),,(0-4),(0-2)`]);
    if (c.type === 'set') {
      const mode = intArg(c.args[0]);
      if (mode === 3) this.copsFormat = intArg(c.args[1]) ?? 0;
      return this.ok();
    }
    if (!isRegistered(this.effectiveReg())) return this.ok(['+COPS: 0']);
    const name = [op.long, op.short, op.numeric][this.copsFormat] ?? op.long;
    return this.ok([`+COPS: 0,${this.copsFormat},"${this.copsFormat === 2 ? name : this.str(name)}",2`]);
  }

  private cusd(c: ParsedCommand): Reply {
    if (c.type === 'test') return this.ok(['+CUSD: (0-2)']);
    if (c.type === 'read') return this.ok(['+CUSD: 0']);
    if (c.type !== 'set') return this.ok();
    const err = this.simError('cme');
    if (err) return err;
    const code = arg(c.args[1]);
    if (code === '') return this.ok();
    const text = this.opts.ussdReply ? this.opts.ussdReply(code) : `Your balance is 10.00. Code ${code}`;
    setImmediate(() => {
      // Huawei sticks hand over the network's packed GSM 7-bit octets as hex (gammu's E160 dumps).
      const s = this.dialect.name === 'huawei' ? toHex(gsm7Pack(text).bytes) : this.str(text);
      this.urc(`+CUSD: 0,"${s}",15`);
    });
    return this.ok();
  }

  private cpms(c: ParsedCommand): Reply {
    const d = this.dialect;
    const list = (m: string[]): string => `(${m.map((x) => `"${x}"`).join(',')})`;
    if (c.type === 'test') return this.ok([`+CPMS: ${list(d.memories[0])},${list(d.memories[1])},${list(d.memories[2])}`]);
    const err = this.simError('cms');
    if (err) return err;
    if (c.type === 'read') {
      return this.ok([`+CPMS: ${this.mems.map((m) => `"${m}",${this.storage.usage(m).join(',')}`).join(',')}`]);
    }
    const want = c.args.map((x) => arg(x).toUpperCase());
    for (let i = 0; i < want.length && i < 3; i++) {
      if (want[i] !== '' && !d.memories[i].includes(want[i])) return this.cms(302);
    }
    for (let i = 0; i < want.length && i < 3; i++) if (want[i] !== '') this.mems[i] = want[i];
    return this.ok([`+CPMS: ${this.mems.map((m) => this.storage.usage(m).join(',')).join(',')}`]);
  }

  private cnmiCommand(c: ParsedCommand): Reply {
    const n = this.cnmi;
    if (c.type === 'test') return this.ok([this.dialect.cnmiTest]);
    if (c.type === 'read') return this.ok([`+CNMI: ${n.mode},${n.mt},${n.bm},${n.ds},${n.bfr}`]);
    const allowed = parseCnmiTest(this.dialect.cnmiTest);
    const keys = ['mode', 'mt', 'bm', 'ds', 'bfr'] as const;
    const next = { ...n };
    for (let i = 0; i < keys.length; i++) {
      if (c.args[i] === undefined || c.args[i] === '') continue;
      const v = intArg(c.args[i]);
      if (v === null || !allowed[keys[i]].includes(v)) return this.cms(303);
      next[keys[i]] = v;
    }
    this.cnmi = next;
    return this.ok();
  }

  private cnma(c: ParsedCommand): Reply {
    if (c.type === 'test') return this.ok(['+CNMA: (0-2)']);
    const p = this.pendingAck;
    if (!p || this.csms !== 1) return this.cms(340);
    clearTimeout(p.timer);
    this.pendingAck = null;
    const n = intArg(c.args[0]) ?? 0;
    this.stats.acks++;
    p.resolve(n !== 2); // 2: RP-ERROR, the network tries again later
    return this.ok();
  }

  private cmgs(c: ParsedCommand): Reply {
    if (c.type === 'test') return this.ok();
    if (c.type !== 'set') return this.cms(304);
    const err = this.simError('cms');
    if (err) return err;
    const len = intArg(c.args[0]);
    if (len === null || len < 7 || len > 175) return this.cms(304);
    this.cmgsCount++;
    if (this.takeFault('no-prompt')) return { lines: [], final: null };
    this.mode = 'pdu';
    this.pduLength = len;
    this.pduBuf = '';
    this.write(this.dialect.prompt);
    return { lines: [], final: null };
  }

  private takeFault<K extends ModemFault['kind']>(kind: K): Extract<ModemFault, { kind: K }> | null {
    const i = this.faults.findIndex((f) => f.kind === kind && f.at === this.cmgsCount);
    if (i < 0) return null;
    return this.faults.splice(i, 1)[0] as unknown as Extract<ModemFault, { kind: K }>;
  }

  /** The PDU typed after the prompt, up to Ctrl-Z. */
  private async submit(hexIn: string): Promise<Reply> {
    this.stats.sendAttempts++;
    const hex = hexIn.trim();
    const refuse = this.takeFault('cms-error');
    const lose = this.takeFault('lose-answer');
    if (!/^([0-9A-Fa-f]{2})+$/.test(hex)) return this.cms(304);
    const bytes = Uint8Array.from(Buffer.from(hex, 'hex'));
    if (bytes.length - 1 - bytes[0] !== this.pduLength) return this.cms(304);
    let tpdu: SmsSubmitTpdu;
    try {
      const m = decodeSms(bytes, { direction: 'MO' });
      if (m.tpdu.type !== 'SMS-SUBMIT') return this.cms(304);
      tpdu = m.tpdu;
    } catch {
      return this.cms(304);
    }
    if (refuse) return this.cms(refuse.code);
    if (!isRegistered(this.effectiveReg())) return this.cms(331);
    // Modems number submissions themselves (TP-MR), whatever the PDU says.
    const mr = this.nextMr;
    this.nextMr = (this.nextMr + 1) & 0xff;
    if (lose && !lose.delivered) return { lines: [], final: null };
    const r = await this.network.submit(this, { ...tpdu, mr }, mr, bytes.slice(1 + bytes[0]));
    if (!r.ok) return this.cms(r.cause);
    this.stats.sent++;
    if (this.cmms > 0) this.stats.sentWithCmms++;
    if (lose) return { lines: [], final: null };
    return { lines: [`+CMGS: ${mr}`], final: 'OK' };
  }

  private cmgr(c: ParsedCommand): Reply {
    if (c.type === 'test') return this.ok();
    const err = this.simError('cms');
    if (err) return err;
    const index = intArg(c.args[0]);
    const m = index === null ? null : this.storage.read(this.mems[0], index);
    if (!m) return this.cms(321);
    return this.ok([`+CMGR: ${m.stat},,${m.length}`, m.hex]);
  }

  private cmgl(c: ParsedCommand): Reply {
    if (c.type === 'test') return this.ok(['+CMGL: (0-4)']);
    const err = this.simError('cms');
    if (err) return err;
    const want = c.args.length ? intArg(c.args[0]) : 0;
    if (want === null || want > 4) return this.cms(302);
    return this.ok(this.storage.list(this.mems[0], want).flatMap((m) => [`+CMGL: ${m.index},${m.stat},,${m.length}`, m.hex]));
  }

  private cmgd(c: ParsedCommand): Reply {
    const first = this.dialect.firstIndex;
    if (c.type === 'test') return this.ok([`+CMGD: (${first}-${this.storage.usage(this.mems[0])[1] - 1 + first}),(0-4)`]);
    const err = this.simError('cms');
    if (err) return err;
    const flag = intArg(c.args[1]) ?? 0;
    const index = intArg(c.args[0]) ?? -1;
    if (flag === 0 && !this.storage.valid(this.mems[0], index)) return this.cms(321);
    this.storage.delete(this.mems[0], index, flag);
    return this.ok();
  }
}

export function isRegistered(stat: number): boolean {
  return stat === 1 || stat === 5;
}

function digitsOf(s: string): string {
  return s.replace(/\D/g, '');
}

function swapNibbles(s: string): string {
  let out = '';
  for (let i = 0; i + 1 < s.length; i += 2) out += s[i + 1] + s[i];
  return out;
}

/** Appends the Luhn check digit (IMEIs and ICCIDs carry one). */
function luhnComplete(body: string): string {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}
