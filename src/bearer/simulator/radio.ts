// A whole simulated radio network for the MMSC: one virtual SMSC, N virtual modems (the pool's)
// served on socat ptys (the real serialport path) or in process, and a virtual phone, with an
// MMS user agent, for every number anything is sent to. `bearer.kind: simulator` runs the
// modem pool over it; `mmsc demo` and the tests watch it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { DialectName } from './dialects.js';
import { MmsUserAgent, type MmsAgentOptions } from './mms-agent.js';
import { VirtualModem } from './modem.js';
import { VirtualNetwork, type NetworkOptions } from './network.js';
import { VirtualPhone } from './phone.js';
import { InProcessPorts, servePort, type ServedPort } from './transport.js';

export interface RadioOptions {
  /** Virtual modems (SIMs of the pool). */
  modems: number;
  dialect?: DialectName;
  /** Time one SMS takes on the air (the +CMGS answer waits this long). */
  airTimeMs?: number;
  transport?: 'auto' | 'pty' | 'in-process';
  /** Folder for the pty links (default: a new temporary one, removed on close). */
  dir?: string;
  /** MSISDN of the first modem; the others count up from it. */
  firstModemMsisdn?: string;
  /** MMS user agents on the virtual phones (null: phones only show SMS). */
  agents?: Omit<MmsAgentOptions, 'logger'> | null;
  /** The network's clock (time stamps) and whether it sends its time (NITZ), in which zone. */
  clock?: NetworkOptions['clock'];
  nitz?: NetworkOptions['nitz'];
  logger: Logger;
}

export interface RadioModem {
  virtual: VirtualModem;
  port: ServedPort;
}

function countUp(msisdn: string, i: number): string {
  const plus = msisdn.startsWith('+') ? '+' : '';
  const digits = msisdn.replace(/^\+/, '');
  const n = (BigInt(digits) + BigInt(i)).toString().padStart(digits.length, '0');
  return plus + n;
}

export class SimulatedRadio {
  readonly network: VirtualNetwork;
  readonly modems: RadioModem[] = [];
  readonly inProcess = new InProcessPorts();
  private readonly agentsByNumber = new Map<string, MmsUserAgent>();
  private readonly phones = new Map<string, VirtualPhone>();
  private readonly log: Logger;
  private ownDir: string | null = null;

  private constructor(private readonly o: RadioOptions) {
    this.log = o.logger;
    this.network = new VirtualNetwork({
      airTimeMs: o.airTimeMs ?? 0, logger: o.logger, autoAttach: (n) => this.phone(n),
      ...(o.clock ? { clock: o.clock } : {}), ...(o.nitz ? { nitz: o.nitz } : {}),
    });
  }

  /** Serves the modems; resolves when every port exists. */
  static async start(o: RadioOptions): Promise<SimulatedRadio> {
    const r = new SimulatedRadio(o);
    try {
      await r.serve();
    } catch (err) {
      await r.close();
      throw err;
    }
    return r;
  }

  /** 'pty' when the modems are on socat ptys, 'in-process' otherwise. */
  get transport(): 'pty' | 'in-process' {
    return this.modems[0]?.port.kind ?? 'in-process';
  }

  private async serve(): Promise<void> {
    // 'auto' without socat: servePort says in a log line that the modems run in process.
    const want = this.o.transport ?? 'auto';
    const dir = this.o.dir ?? (this.ownDir = mkdtempSync(join(tmpdir(), 'mmsc-radio-')));
    const first = this.o.firstModemMsisdn ?? '+15550000101';
    for (let i = 0; i < this.o.modems; i++) {
      const virtual = new VirtualModem(this.network, { msisdn: countUp(first, i), dialect: this.o.dialect ?? 'generic', logger: this.log });
      const port = await servePort(virtual, join(dir, `modem${i}`), { transport: want, inProcess: this.inProcess, logger: this.log });
      this.modems.push({ virtual, port });
      this.log.info({ msisdn: virtual.msisdn, imei: virtual.imei, port: port.path, transport: port.kind }, 'simulated modem');
    }
  }

  /** The virtual phone with this number (created, with its MMS user agent, on first use). */
  phone(msisdn: string): VirtualPhone {
    const key = msisdn.replace(/^\+/, '');
    let p = this.phones.get(key);
    if (!p) {
      p = new VirtualPhone(this.network, msisdn);
      this.phones.set(key, p);
      if (this.o.agents) this.agentsByNumber.set(key, new MmsUserAgent(p, { ...this.o.agents, logger: this.log }));
    }
    return p;
  }

  /** The MMS user agent of a phone (the phone is created if needed); null without agents. */
  agent(msisdn: string): MmsUserAgent | null {
    this.phone(msisdn);
    return this.agentsByNumber.get(msisdn.replace(/^\+/, '')) ?? null;
  }

  /** Every phone's agent. */
  agents(): MmsUserAgent[] {
    return [...this.agentsByNumber.values()];
  }

  /** Resolves when no SMS is moving and no agent is fetching. */
  async idle(): Promise<void> {
    await this.network.idle();
    await Promise.all(this.agents().map((a) => a.idle()));
  }

  async close(): Promise<void> {
    for (const a of this.agentsByNumber.values()) a.detach();
    for (const m of this.modems) await m.port.close();
    this.network.close();
    if (this.ownDir) rmSync(this.ownDir, { recursive: true, force: true });
  }
}
