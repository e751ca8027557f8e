// The `mmsc modem ...` commands as functions (src/cli/main.ts wires them):
//   mmsc modem probe PORT            identity, SIM, registration, operator, signal, SMSC
//   mmsc modem send PORT --to N --text T   one SMS, segmented by the codec
//   mmsc modem simulate              virtual modems on ptys, for demos and machines without one
// Each returns the process exit code and writes its report through `out`.
import { pino, type Logger } from 'pino';
import { encodeSms, parseAddress, segmentText, toAtPdu } from '../../codec/sms/index.js';
import { Modem } from './driver.js';
import { ModemError, ModemSendError } from './errors.js';
import type { PortOpener } from './port.js';
import type { ModemInfo, ModemStatus, ModemTimeouts } from './types.js';

export interface ModemCliOptions {
  /** Where the report goes (default: stdout). */
  out?: (text: string) => void;
  logger?: Logger;
  opener?: PortOpener;
  pin?: string;
  json?: boolean;
  timeouts?: Partial<ModemTimeouts>;
}

export interface ProbeResult {
  status: ModemStatus;
  info: ModemInfo | null;
}

// The report says what went wrong; the log (stderr) only when asked for (MMSC_LOG_LEVEL=debug...).
const quietLogger = (): Logger => pino({ level: process.env.MMSC_LOG_LEVEL ?? 'error' }, pino.destination(2));

function hex(n: number | null, width: number): string {
  return n === null ? '?' : n.toString(16).toUpperCase().padStart(width, '0');
}

/** The probe report, one fact a line. */
export function formatProbe(r: ProbeResult): string {
  const s = r.status;
  const rows: [string, string][] = [
    ['Port', s.path],
    ['State', `${s.state}${s.detail ? ` (${s.detail})` : ''}`],
  ];
  const i = r.info;
  if (i) {
    const id = i.identity;
    const reg = (name: string, x: ModemInfo['network']['creg']): string | null =>
      x ? `${name} ${x.status}${x.lac !== null ? ` (LAC ${hex(x.lac, 4)}, cell ${hex(x.ci, 4)})` : ''}` : null;
    rows.push(
      ['Vendor', id.vendor],
      ['Manufacturer', id.manufacturer ?? '?'],
      ['Model', id.model ?? '?'],
      ['Revision', id.revision ?? '?'],
      ['IMEI', id.imei ?? '?'],
      ['SIM', `IMSI ${id.imsi ?? '?'}, ICCID ${id.iccid ?? '?'}`],
      ['Registration', [reg('CS', i.network.creg), reg('GPRS', i.network.cgreg), reg('EPS', i.network.cereg)].filter(Boolean).join('; ') || '?'],
      ['Operator', i.network.operator ?? '?'],
      ['Signal', i.network.dbm !== null ? `${i.network.dbm} dBm (CSQ ${i.network.rssi})` : 'unknown'],
      ['SMSC', i.network.smsc ?? 'not set on the SIM'],
    );
  }
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n');
}

/** A driver for a one-off command: no receiving (stored messages stay), no polling. */
function cliModem(path: string, opts: ModemCliOptions): Modem {
  return new Modem({
    path,
    logger: opts.logger ?? quietLogger(),
    receive: false,
    ...(opts.opener ? { opener: opts.opener } : {}),
    ...(opts.pin ? { pin: opts.pin } : {}),
    timeouts: { poll: 0, ...opts.timeouts },
  });
}

/** Opens the port, sets the modem up without touching its stored messages, and reads what it says. */
export async function probeModem(path: string, opts: ModemCliOptions = {}): Promise<ProbeResult> {
  const modem = cliModem(path, opts);
  try {
    await modem.start();
    if (['ready', 'searching', 'denied'].includes(modem.status.state)) await modem.refresh();
    return { status: modem.status, info: modem.info };
  } finally {
    await modem.close();
  }
}

/** `mmsc modem probe PORT`: 0 when the modem is ready, 1 otherwise. */
export async function modemProbeCommand(path: string, opts: ModemCliOptions = {}): Promise<number> {
  const out = opts.out ?? ((t: string) => void process.stdout.write(`${t}\n`));
  const r = await probeModem(path, opts);
  out(opts.json ? JSON.stringify(r, null, 2) : formatProbe(r));
  return r.status.state === 'ready' ? 0 : 1;
}

export interface SendCommandOptions extends ModemCliOptions {
  to: string;
  text: string;
  /** Ask for a status report (TP-SRR). */
  statusReport?: boolean;
  /** How long to wait for the modem to be ready. Default 30 s. */
  waitReadyMs?: number;
}

/** `mmsc modem send PORT --to N --text T`: 0 when every segment was accepted, 1 otherwise. */
export async function modemSendCommand(path: string, opts: SendCommandOptions): Promise<number> {
  const out = opts.out ?? ((t: string) => void process.stdout.write(`${t}\n`));
  let pdus;
  try {
    const parts = segmentText(opts.text, {
      destination: parseAddress(opts.to),
      ref: Math.floor(Math.random() * 256),
      statusReportRequest: opts.statusReport === true,
    });
    pdus = parts.map((t) => toAtPdu(encodeSms({ sca: null, tpdu: t }, { sca: false })));
  } catch (err) {
    out(`cannot encode the SMS: ${(err as Error).message}`);
    return 1;
  }
  const modem = cliModem(path, opts);
  try {
    await modem.start();
    const r = await modem.send(pdus, { waitReadyMs: opts.waitReadyMs ?? 30_000 });
    out(`sent ${pdus.length} segment${pdus.length > 1 ? 's' : ''} to ${opts.to} through ${path} (IMEI ${r.modem ?? '?'}), TP-MR ${r.mrs.join(', ')}`);
    return 0;
  } catch (err) {
    if (err instanceof ModemSendError) {
      const sent = err.sent.length ? `; segments 1-${err.sent.length} went out` : '';
      const maybe = err.maybeSent ? `; segment ${err.failedSegment + 1} may have gone out` : '';
      out(`not sent: ${err.message} [${err.class}, ${err.reason}]${sent}${maybe}`);
    } else if (err instanceof ModemError) {
      out(`not sent: ${err.message} [${err.class}, ${err.reason}]`);
    } else throw err;
    return 1;
  } finally {
    await modem.close();
  }
}

export interface SimulateOptions {
  /** Folder for the pty links (default: a new temporary folder). */
  dir?: string;
  /** One modem per dialect named here. Default: huawei. */
  dialects?: string[];
  /** A virtual phone that answers what it receives (its number). */
  phone?: string;
  out?: (text: string) => void;
  logger?: Logger;
}

/**
 * `mmsc modem simulate`: virtual modems on ptys (in process, with a log line, when socat is
 * missing) on one virtual network with one phone; runs until the returned stop() is called.
 */
export async function modemSimulateCommand(opts: SimulateOptions = {}): Promise<{ paths: string[]; stop(): Promise<void> }> {
  const { mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const sim = await import('../simulator/index.js');
  const out = opts.out ?? ((t: string) => void process.stdout.write(`${t}\n`));
  const logger = opts.logger ?? pino({ level: 'info' });
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'mmsc-sim-'));
  const network = new sim.VirtualNetwork({ logger });
  const phone = new sim.VirtualPhone(network, opts.phone ?? '+15559990000');
  network.on('deliver', (d: { to: string; tpdu: { text?: string } }) => {
    if (d.to === phone.msisdn) out(`phone ${phone.msisdn} received: ${d.tpdu.text ?? '(data)'}`);
  });
  const ports: import('../simulator/index.js').ServedPort[] = [];
  const names = opts.dialects?.length ? opts.dialects : ['huawei'];
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as import('../simulator/index.js').DialectName;
    if (!(name in sim.DIALECTS)) throw new Error(`unknown dialect "${name}" (one of ${Object.keys(sim.DIALECTS).join(', ')})`);
    const modem = new sim.VirtualModem(network, { msisdn: `+1555000${String(i + 1).padStart(4, '0')}`, dialect: name, logger });
    const port = await sim.servePort(modem, join(dir, `${name}${i}`), { logger });
    ports.push(port);
    out(`${name} modem ${modem.msisdn} (IMEI ${modem.imei}) at ${port.path}${port.kind === 'in-process' ? ' (in process only)' : ''}`);
  }
  out(`virtual phone ${phone.msisdn}; SMSC ${network.smsc}`);
  return {
    paths: ports.map((p) => p.path),
    async stop() {
      for (const p of ports) await p.close();
      network.close();
    },
  };
}
