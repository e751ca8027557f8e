// A lab for modem tests: a virtual network, virtual modems served on ptys (socat, opened by
// the driver through the real serialport package) or in process, virtual phones, drivers with
// short time limits, and one close() that tears everything down.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { Modem } from '../../src/bearer/modem/driver.js';
import { serialPortOpener } from '../../src/bearer/modem/port.js';
import type { AtPdu, ModemOptions, ModemState, ModemStatus, ModemTimeouts } from '../../src/bearer/modem/types.js';
import {
  InProcessPorts, VirtualModem, VirtualNetwork, VirtualPhone, servePort, socatAvailable,
  type NetworkOptions, type ServedPort, type VirtualModemOptions,
} from '../../src/bearer/simulator/index.js';
import { encodeSms, parseAddress, segmentText, toAtPdu, type SegmentTextOptions } from '../../src/codec/sms/index.js';

/** Time limits that keep tests fast; faults still take a few of them. */
export const FAST: Partial<ModemTimeouts> = {
  command: 2_000,
  prompt: 2_000,
  send: 3_000,
  settle: 40,
  probe: 300,
  backoff: 40,
  backoffMax: 300,
  poll: 0,
  simReady: 1_000,
};

export interface LabModem {
  modem: VirtualModem;
  port: ServedPort;
}

/** Log lines kept in memory, to check what a fault logged. */
export class LogSink {
  readonly lines: Record<string, unknown>[] = [];
  readonly logger: Logger;
  constructor() {
    this.logger = pino({ level: 'debug' }, { write: (s: string) => void this.lines.push(JSON.parse(s) as Record<string, unknown>) });
  }
  messages(level = 30): string[] {
    return this.lines.filter((l) => (l.level as number) >= level).map((l) => String(l.msg));
  }
}

export class ModemLab {
  readonly network: VirtualNetwork;
  readonly dir: string;
  readonly inProcess = new InProcessPorts();
  readonly log = new LogSink();
  private readonly ports: ServedPort[] = [];
  private readonly drivers: Modem[] = [];
  private n = 0;

  constructor(readonly transport: 'pty' | 'in-process' = 'pty', network: NetworkOptions = {}) {
    if (transport === 'pty' && !socatAvailable()) throw new Error('socat is needed for the pty modem tests (apt-get install socat)');
    this.network = new VirtualNetwork(network);
    this.dir = mkdtempSync(join(tmpdir(), 'mmsc-modem-'));
  }

  /** A virtual modem served at <dir>/<name><n>. */
  async modem(opts: Partial<VirtualModemOptions> & { name?: string } = {}): Promise<LabModem> {
    const i = this.n++;
    const modem = new VirtualModem(this.network, { msisdn: `+1555100${String(i).padStart(4, '0')}`, ...opts });
    const path = join(this.dir, `${opts.name ?? modem.dialect.name}${i}`);
    const port = await servePort(modem, path, { transport: this.transport, inProcess: this.inProcess });
    this.ports.push(port);
    return { modem, port };
  }

  phone(msisdn: string): VirtualPhone {
    return new VirtualPhone(this.network, msisdn);
  }

  /** A driver on a lab port (opened with serialport for ptys), quiet and quick. */
  driver(port: ServedPort, opts: Partial<ModemOptions> = {}): Modem {
    const d = new Modem({
      path: port.path,
      logger: this.log.logger,
      opener: this.transport === 'pty' ? serialPortOpener() : this.inProcess.opener,
      ...(this.transport === 'in-process' ? { locate: () => this.inProcess.paths() } : {}),
      ...opts,
      timeouts: { ...FAST, ...opts.timeouts },
    });
    this.drivers.push(d);
    return d;
  }

  async close(): Promise<void> {
    for (const d of this.drivers) await d.close();
    for (const p of this.ports) await p.close();
    this.network.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** AT PDUs (no SMSC address: the SIM's) for a text, as the bearer will build them. */
export function textPdus(to: string, text: string, opts: Partial<SegmentTextOptions> = {}): AtPdu[] {
  return segmentText(text, { destination: parseAddress(to), ...opts }).map((t) => toAtPdu(encodeSms({ sca: null, tpdu: t }, { sca: false })));
}

/** Every state a driver goes through, from now on. */
export function recordStates(d: Modem): ModemState[] {
  const states: ModemState[] = [];
  d.on('state', (s: ModemStatus) => states.push(s.state));
  return states;
}

/** Resolves when `check` holds, re-checking on every network or driver event (no fixed sleeps). */
export function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check()) {
      resolve();
      return;
    }
    const started = Date.now();
    const tick = (): void => {
      if (check()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 5);
    };
    setTimeout(tick, 5);
  });
}
