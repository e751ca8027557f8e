// `mmsc demo`: one MMS from phone A to phone B through a real MMSC (MM1 on HTTP, the relay,
// LMDB in a temporary folder) and the modem pool on the simulated radio network (virtual
// modems on socat ptys opened by the real driver), each step printed in words an operator
// follows: the m-send.req and its m-send.conf, the WAP-push SMS that notifies B (its hex, its
// user data header, the push and the m-notification.ind in it), B fetching and confirming, the
// network's status report, and the delivery report back to A. Exits 0 when the whole path
// completed, otherwise with the number of the step that failed (and says which).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startMmsc, type Mmsc } from '../app.js';
import { SimulatorBearer } from '../bearer/pool/from-config.js';
import type { AgentEvent, MmsUserAgent, SimulatedRadio, SubmissionRecord } from '../bearer/simulator/index.js';
import { decodeMms, partText, type MmsPdu } from '../codec/mms/index.js';
import { toHex } from '../codec/sms/index.js';
import { decodePush } from '../codec/wsp/index.js';
import { configOrReport } from './load-config.js';
import type { Config } from '../config/schema.js';
import { parseDuration } from '../config/duration.js';
import type { StatusReport } from '../relay/bearer.js';

export interface DemoOptions {
  config?: string;
  /** Air time per SMS (overrides the configuration), e.g. "300ms". */
  airTime?: string;
  /** Longest wait for each step. Default 30 s. */
  timeout?: string;
  /** Log level of the MMSC (default: warn, so the steps stay readable). */
  logLevel?: string;
  out?: (text: string) => void;
}

const STEPS = [
  'phone A sends the MMS',
  'the MMSC notifies phone B by SMS',
  'phone B fetches the MMS',
  'the network reports the SMS delivered',
  'phone A gets the delivery report',
] as const;

class StepFailed extends Error {
  constructor(readonly step: number, message: string) {
    super(message);
  }
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v && typeof v === 'object' && 'text' in v ? String((v as { text: unknown }).text) : String(v ?? ''));
const durationText = (s: number): string => (s % 86_400 === 0 ? `${s / 86_400} d` : s % 3600 === 0 ? `${s / 3600} h` : `${s} s`);

/** One number for A and B inside the MMSC's local prefixes. */
function demoNumbers(config: Config): [string, string] {
  const prefix = (config.relay.localPrefixes[0] ?? '').replace(/^\+/, '');
  const make = (n: number) => (prefix ? `+${prefix}${String(9000000 + n)}` : `+1555000${1000 + n}`);
  return [make(1), make(2)];
}

export async function runDemo(opts: DemoOptions = {}): Promise<number> {
  const out = opts.out ?? ((t: string) => void process.stdout.write(`${t}\n`));
  const loaded = configOrReport(opts.config, out);
  if (!loaded) return 2;
  const config: Config = structuredClone(loaded);
  const wait = parseDuration(opts.timeout ?? '30s') ?? 30_000;
  if (opts.airTime !== undefined) {
    const air = parseDuration(opts.airTime);
    if (air === undefined) {
      out(`--air-time ${opts.airTime}: expected a duration such as 300ms or 1s`);
      return 2;
    }
    config.bearer.simulator.airTime = air;
  }
  // A throw-away store and a free port: the demo never touches a real installation's data.
  const dir = mkdtempSync(join(tmpdir(), 'mmsc-demo-'));
  const port = await freePort();
  config.store.path = join(dir, 'store');
  config.mm1.host = '127.0.0.1';
  config.mm1.port = port;
  config.mmsc.publicUrl = `http://127.0.0.1:${port}`;
  config.bearer.kind = 'simulator';
  config.bearer.simulator.autoFetch = true;
  const log = pino({ level: opts.logLevel ?? 'warn' }, pino.destination(2));
  const [A, B] = demoNumbers(config);
  let mmsc: Mmsc | null = null;
  let step = 0;
  try {
    mmsc = await startMmsc(config, { log });
    const bearer = mmsc.bearer as SimulatorBearer;
    await bearer.ready;
    const radio = bearer.radio;
    if (!radio || !bearer.pool) throw new StepFailed(1, 'the simulated radio network did not start (see the log)');
    const sim = config.bearer.simulator;
    out(`MMSC demo: MM1 on ${config.mmsc.publicUrl}${config.mm1.path}, a throw-away store in ${dir}`);
    out(`simulated radio: ${radio.modems.length} ${sim.dialect} modem${radio.modems.length > 1 ? 's' : ''} on ${radio.transport === 'pty' ? 'socat pseudo-terminals, opened by the modem driver through serialport' : 'in-process ports (socat is not installed)'}; ${sim.airTime} ms of air time per SMS`);
    for (const m of radio.modems) out(`  modem ${m.virtual.msisdn}  IMEI ${m.virtual.imei}  port ${m.port.path}`);
    await Promise.all(bearer.pool.members.map((m) => m.modem.waitFor('ready', wait))).catch(() => {
      throw new StepFailed(1, `the modems did not become ready: ${bearer.pool!.status().map((s) => `${s.port} ${s.state}${s.detail ? ` (${s.detail})` : ''}`).join('; ')}`);
    });
    const phoneA = radio.agent(A) as MmsUserAgent;
    const phoneB = radio.agent(B) as MmsUserAgent;
    const reports: StatusReport[] = [];
    bearer.onStatusReport((r) => reports.push(r));
    const submissions: SubmissionRecord[] = [];
    radio.network.on('submit', (r: SubmissionRecord) => submissions.push(r));

    // ---- 1
    step = 1;
    out(`\n1. ${STEPS[0]}: ${A} -> ${B}`);
    const body = 'Hello from the MMSC demo!';
    const conf = await within(wait, phoneA.send(B, body, { subject: 'demo', deliveryReport: true }), 'the m-send.conf');
    const sent = conf;
    if (!sent || sent.responseStatus !== 'Ok') throw new StepFailed(1, `the MMSC answered ${sent ? `${text(sent.responseStatus)}: ${text(sent.responseText)}` : 'no m-send.conf'}`);
    out(`   A POSTs an m-send.req (one text part: "${body}", delivery report asked) to ${config.mmsc.publicUrl}${config.mm1.path}`);
    out(`   the MMSC stored it and answered m-send.conf: ${text(sent.responseStatus)}, Message-ID ${sent.messageId}`);

    // ---- 2
    step = 2;
    out(`\n2. ${STEPS[1]}`);
    const notified = await waitEvent(phoneB, 'notification', wait);
    const toB = submissions.filter((s) => s.to === B);
    printSms(out, radio, toB);
    const push = phoneB.pushes.at(-1)!;
    out(`   WAP push: TID ${push.push.tid}, ${push.push.contentType.type}, application ${push.push.applicationId}, ${push.push.body.length} octets of body`);
    printNotification(out, notified.pdu);

    // ---- 3
    step = 3;
    out(`\n3. ${STEPS[2]}`);
    const got = await waitEvent(phoneB, 'retrieved', wait);
    const rc = got.retrieved.pdu;
    out(`   B's phone GETs ${got.retrieved.url} (its number in ${config.mm1.identity.headers[0]}) -> HTTP ${got.retrieved.status}`);
    if (!rc || rc.messageType !== 'm-retrieve-conf') throw new StepFailed(3, `the MMSC answered HTTP ${got.retrieved.status} without an m-retrieve.conf`);
    const parts = rc.parts ?? [];
    const first = parts[0] ? partText(parts[0]) : rc.body && rc.contentType ? partText({ contentType: rc.contentType, data: rc.body }) : null;
    const what = rc.parts ? `${parts.length} part${parts.length === 1 ? '' : 's'}` : `a ${rc.contentType?.type ?? 'body'} body`;
    out(`   m-retrieve.conf: from ${text(rc.from)}, subject "${text(rc.subject)}", ${what}${first !== null ? `: "${first}"` : ''}`);
    if (first !== body) throw new StepFailed(3, `B received "${first}" instead of "${body}"`);
    const ack = await waitEvent(phoneB, 'notifyresp', wait);
    out(`   B POSTs m-notifyresp.ind (Retrieved, TID ${ack.transactionId}) -> HTTP ${ack.httpStatus}`);
    if (ack.httpStatus !== 200) throw new StepFailed(3, `the MMSC answered HTTP ${ack.httpStatus} to the m-notifyresp.ind`);

    // ---- 4
    step = 4;
    out(`\n4. ${STEPS[3]}`);
    const report = await until(wait, () => reports.find((r) => r.status !== 'pending'), 'status report for the notification SMS');
    out(`   SMS-STATUS-REPORT through the modem, matched by TP-MR and recipient: ${report.status}${report.detail ? ` (${report.detail})` : ''}`);
    if (report.status !== 'delivered') throw new StepFailed(4, `the network reports the notification ${report.status}: ${report.detail ?? ''}`);

    // ---- 5
    step = 5;
    out(`\n5. ${STEPS[4]}`);
    const dr = await waitEvent(phoneA, 'delivery-report', wait);
    printSms(out, radio, submissions.filter((s) => s.to === A));
    out(`   m-delivery.ind: Message-ID ${dr.pdu.messageId}, to ${text(dr.pdu.to?.[0])}, status ${text(dr.pdu.status)}`);
    if (dr.pdu.status !== 'Retrieved' || dr.pdu.messageId !== sent.messageId) throw new StepFailed(5, `A got a delivery report with status ${text(dr.pdu.status)} for ${dr.pdu.messageId}`);

    out(`\nDone: the MMS went from ${A} to ${B} over MM1 and a WAP-push SMS, and the delivery report came back to ${A}.`);
    return 0;
  } catch (err) {
    const s = err instanceof StepFailed ? err.step : Math.max(step, 1);
    out(`\nFAILED at step ${s} (${STEPS[s - 1]}): ${(err as Error).message}`);
    return s;
  } finally {
    await mmsc?.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A free TCP port on 127.0.0.1 for the demo's MM1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no free port'))));
    });
  });
}

function within<T>(ms: number, p: Promise<T>, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms);
    p.then((v) => (clearTimeout(t), resolve(v)), (e: unknown) => (clearTimeout(t), reject(e as Error)));
  });
}

async function until<T>(ms: number, get: () => T | undefined, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`no ${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The first event of a kind this agent has had (already, or from now on). */
async function waitEvent<T extends AgentEvent['type']>(agent: MmsUserAgent, type: T, ms: number): Promise<Extract<AgentEvent, { type: T }>> {
  const have = pastEvent(agent, type);
  if (have) return have as Extract<AgentEvent, { type: T }>;
  return agent.waitFor(type, () => true, ms);
}

function pastEvent(a: MmsUserAgent, type: AgentEvent['type']): AgentEvent | null {
  const err = a.errors.at(-1);
  if (err) throw new Error(`phone ${a.msisdn} could not ${err.step}: ${err.error}`);
  switch (type) {
    case 'notification':
      return a.notifications.length ? { type, pdu: a.notifications[0] } : null;
    case 'retrieved':
      return a.retrieved.length ? { type, retrieved: a.retrieved[0] } : null;
    case 'notifyresp':
      return a.confirmed.length ? { type, ...a.confirmed[0] } : null;
    case 'delivery-report':
      return a.deliveryReports.length ? { type, pdu: a.deliveryReports[0] } : null;
    default:
      return null;
  }
}

function printSms(out: (t: string) => void, radio: SimulatedRadio, subs: SubmissionRecord[]): void {
  for (const s of subs) {
    const modem = radio.modems.find((m) => m.virtual.msisdn === s.from);
    const t = s.tpdu;
    const c = t.udh?.concat;
    out(`   SMS ${c ? `${c.seq}/${c.total} ` : ''}from modem ${s.from}${modem ? ` (IMEI ${modem.virtual.imei}, ${modem.port.path})` : ''} to ${s.to}:`);
    if (s.raw) out(`     TPDU ${toHex(s.raw)}`);
    out(`     SMS-SUBMIT, TP-MR ${s.mr} (the modem's), ${t.statusReportRequest ? 'status report requested (TP-SRR)' : 'no status report'}, TP-DCS 0x${t.dcs.raw.toString(16).padStart(2, '0')} (8-bit data), ${t.data?.length ?? 0} octets after the header`);
    const ies: string[] = [];
    if (t.udh?.ports) ies.push(`application ports ${t.udh.ports.src} -> ${t.udh.ports.dest}${t.udh.ports.dest === 2948 ? ' (WAP push)' : ''}`);
    if (c) ies.push(`concatenation: reference ${c.ref} (${c.refBits}-bit), part ${c.seq} of ${c.total}`);
    out(`     user data header: ${ies.join('; ') || 'none'}`);
    if (!c || c.seq === c.total) {
      const payload = joinData(subs.filter((x) => (x.tpdu.udh?.concat?.ref ?? -1) === (c?.ref ?? -1) && x.from === s.from));
      try {
        const push = decodePush(payload);
        const mms = decodeMms(push.body);
        out(`     payload: a WSP push (${payload.length} octets) carrying ${mms.messageType}`);
      } catch (err) {
        out(`     payload: ${payload.length} octets that do not decode as a push (${(err as Error).message})`);
      }
    }
  }
}

function joinData(subs: SubmissionRecord[]): Uint8Array {
  const parts = [...subs].sort((a, b) => (a.tpdu.udh?.concat?.seq ?? 0) - (b.tpdu.udh?.concat?.seq ?? 0)).map((s) => s.tpdu.data ?? new Uint8Array(0));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function printNotification(out: (t: string) => void, n: MmsPdu): void {
  const exp = n.expiry && 'relative' in n.expiry ? `in ${durationText(n.expiry.relative)}` : n.expiry ? `at ${new Date(n.expiry.absolute * 1000).toISOString()}` : '?';
  out(`   m-notification.ind: TID ${n.transactionId}, MMS ${n.mmsVersion}, class ${text(n.messageClass)}, size ${n.messageSize} octets, expires ${exp}`);
  out(`     Content-Location ${text(n.contentLocation)}`);
}
