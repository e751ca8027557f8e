// The start-up sequence, run on every new session (and again after a reboot or recovery):
// sync, reset, echo off, numeric errors, identity and vendor, SIM and PIN, SMS in PDU mode,
// memories, routing of new messages and status reports, registration, operator, signal, SMSC.
// Optional commands a modem refuses are skipped; what the bearer cannot work without fails.
import {
  AtParseError, afterPrefix, parseCnmiTest, parseCops, parseCpin, parseCpmsTest, parseCsca, parseCsq, parseIccid,
  parseImei, parseImsi, parseInfoText, parseModel, parseRegistration, type CnmiSupport, type Registration,
} from './at-parse.js';
import { detectVendor } from './detect.js';
import { ModemError } from './errors.js';
import { Quirk, type VendorName, type VendorProfile } from './quirks.js';
import type { Session } from './session.js';
import { chooseCnmi, chooseStorage, cnmiCommand, type ReceiveMode } from './sms-setup.js';
import type { ModemState } from './types.js';
import { VENDORS } from './vendors/index.js';

export interface InitParams {
  reset: 'none' | 'ATZ' | 'AT&F';
  pin: string | null;
  /** Shared across sessions: once the SIM refused the PIN it is never sent again. */
  pinRefused: { value: boolean };
  /** The IMEI this modem must have (after a port came back), or null. */
  expectImei: string | null;
  vendor: VendorName | 'auto';
  receive: ReceiveMode | false;
  storage: string[];
  smsc: string | null;
}

export interface InitOutcome {
  state: Extract<ModemState, 'ready' | 'searching' | 'denied' | 'no-sim' | 'pin-required' | 'puk-required'>;
  detail: string | null;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The line of a response that starts with `prefix`. */
function lineWith(lines: string[] | null, prefix: string): string | null {
  return lines?.find((l) => afterPrefix(l, prefix) !== null) ?? null;
}

/** Waits until the modem answers AT (it may be booting, or mid-way through a half-typed line). */
export async function sync(s: Session): Promise<void> {
  s.chat.escape();
  let last: unknown = null;
  for (let i = 0; i < 3; i++) {
    try {
      await s.at('AT', { timeoutMs: s.timeouts.probe });
      return;
    } catch (err) {
      // ERROR means it is alive and saw noise before our AT.
      if (err instanceof ModemError && err.code === 'AT_ERROR') return;
      if (!(err instanceof ModemError) || err.code !== 'TIMEOUT') throw err;
      last = err;
    }
  }
  throw new ModemError('TIMEOUT', 'the modem does not answer AT', { scope: 'modem', cause: last });
}

async function identify(s: Session, p: InitParams): Promise<void> {
  const text = async (cmd: string, prefixes: string[]): Promise<string | null> => {
    const lines = await s.tryAt(cmd);
    if (!lines) return null;
    try {
      return parseInfoText(lines, prefixes);
    } catch {
      return null;
    }
  };
  const id = s.identity;
  id.manufacturer = await text('AT+CGMI', ['+CGMI']);
  const modelLines = await s.tryAt('AT+CGMM');
  try {
    id.model = modelLines ? parseModel(modelLines) : null;
  } catch {
    id.model = null;
  }
  id.revision = await text('AT+CGMR', ['+CGMR']);
  const imeiLines = await s.tryAt('AT+CGSN');
  try {
    id.imei = imeiLines ? parseImei(imeiLines) : null;
  } catch {
    id.imei = null;
  }
  if (p.expectImei && id.imei && id.imei !== p.expectImei) {
    throw new ModemError('WRONG_MODEM', `${s.port.path} has the modem with IMEI ${id.imei}, not ${p.expectImei}`, { scope: 'modem' });
  }
  const vendor = p.vendor === 'auto' ? detectVendor({ manufacturer: id.manufacturer, model: id.model }) : p.vendor;
  setVendor(s, VENDORS[vendor]);
}

function setVendor(s: Session, v: VendorProfile): void {
  s.vendor = v;
  s.identity.vendor = v.name;
  for (const [text, kind] of v.finals) s.chat.addFinal(text, kind);
}

/** Runs `fn` again while the modem says its SMS side is not ready yet (just booted). */
async function whenSmsReady<T>(s: Session, fn: () => Promise<T>): Promise<T> {
  const until = Date.now() + s.timeouts.simReady;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      const notYet = err instanceof ModemError &&
        ((err.code === 'CMS_ERROR' && [302, 314, 500].includes(err.value ?? -1)) ||
          (err.code === 'CME_ERROR' && [3, 14].includes(err.value ?? -1)));
      if (!notYet || (s.vendor.quirks & Quirk.SmsLateAfterBoot) === 0 || Date.now() > until) throw err;
      await sleep(Math.min(500, s.timeouts.simReady / 10));
    }
  }
}

async function checkSim(s: Session, p: InitParams): Promise<InitOutcome | null> {
  const until = Date.now() + s.timeouts.simReady;
  let pinSent = false;
  for (;;) {
    let state: string;
    try {
      const r = await s.at('AT+CPIN?', { prefixes: ['+CPIN:'] });
      const line = lineWith(r.lines, '+CPIN');
      state = line ? parseCpin(line).state : 'ready'; // OK without a line: nothing asked
    } catch (err) {
      if (!(err instanceof ModemError) || err.code !== 'CME_ERROR') throw err;
      const v = err.value ?? -1;
      if (v === 10 || v === 13 || v === 15) return { state: 'no-sim', detail: err.reason.replace(/-/g, ' ') };
      if (v === 11) state = 'sim-pin';
      else if (v === 12) state = 'sim-puk';
      else if (v === 14 && Date.now() < until) {
        await sleep(Math.min(500, s.timeouts.simReady / 10));
        continue;
      } else return { state: 'no-sim', detail: err.message };
    }
    if (state === 'ready') return null;
    if (state === 'sim-puk') return { state: 'puk-required', detail: 'the SIM is blocked: it needs its PUK' };
    if (state !== 'sim-pin') return { state: 'pin-required', detail: `the SIM asks for ${state}` };
    if (pinSent) {
      if (Date.now() > until) return { state: 'no-sim', detail: 'the SIM took the PIN but never became ready' };
      await sleep(Math.min(500, s.timeouts.simReady / 10));
      continue;
    }
    if (p.pin === null) return { state: 'pin-required', detail: 'the SIM asks for a PIN and none is configured' };
    if (p.pinRefused.value) return { state: 'pin-required', detail: 'the configured PIN was refused earlier; it is not tried again' };
    try {
      await s.at(`AT+CPIN="${p.pin}"`, { timeoutMs: Math.max(s.timeouts.command, 20_000) });
      pinSent = true;
    } catch (err) {
      if (err instanceof ModemError && err.code === 'CME_ERROR' && err.value === 16) {
        p.pinRefused.value = true;
        return { state: 'pin-required', detail: 'the SIM refused the configured PIN (+CME ERROR 16); it is not tried again' };
      }
      if (err instanceof ModemError && err.code === 'CME_ERROR' && err.value === 12) {
        return { state: 'puk-required', detail: 'the SIM is blocked: it needs its PUK' };
      }
      throw err;
    }
  }
}

async function readIccid(s: Session): Promise<string | null> {
  for (const c of s.vendor.iccid) {
    const lines = await s.tryAt(c.command);
    if (!lines) continue;
    try {
      if (c.command.includes('CRSM')) {
        // +CRSM: 144,0,"98..." - EF-ICCID read as a file: nibble-swapped hex.
        const m = /"([0-9A-F]+)"/i.exec(lines.join(' '));
        if (m) return parseIccid([m[1]]);
        continue;
      }
      return parseIccid(lines);
    } catch {
      // try the next command
    }
  }
  return null;
}

async function setupSms(s: Session, p: InitParams): Promise<void> {
  await whenSmsReady(s, () => s.at('AT+CMGF=0'));
  // IRA: names and numbers in plain ASCII (Huawei dashboards leave "UCS2" saved).
  if ((await s.tryAt('AT+CSCS="IRA"')) === null) await s.tryAt('AT+CSCS="GSM"');
  await readSmsc(s, p);
  if (p.receive === false) return;
  const test = await whenSmsReady(s, () => s.at('AT+CPMS=?', { prefixes: ['+CPMS:'] }));
  const line = lineWith(test.lines, '+CPMS');
  const choice = line ? chooseStorage(parseCpmsTest(line), p.storage) : null;
  if (choice) {
    const [m1, m2, m3] = choice.memories;
    await whenSmsReady(s, () => s.at(`AT+CPMS="${m1}","${m2}","${m3}"`, { prefixes: ['+CPMS:'] }));
    s.storage = choice;
    s.readMemory = m1;
  } else {
    s.log.warn({ answer: line }, 'modem names no SMS memories (+CPMS=?); its defaults stay');
  }
  await setupRouting(s, p.receive);
}

async function readSmsc(s: Session, p: InitParams): Promise<void> {
  const lines = await s.tryAt('AT+CSCA?', { prefixes: ['+CSCA:'] });
  const line = lineWith(lines, '+CSCA');
  let smsc: string | null = null;
  if (line) {
    try {
      smsc = parseCsca(line).number;
    } catch (err) {
      if (!(err instanceof AtParseError)) throw err;
      if (!p.smsc) s.log.warn({ err: err.message }, 'the SIM names no SMSC (+CSCA?): sends will fail until one is configured');
    }
  }
  if (p.smsc && smsc !== p.smsc) {
    await s.at(`AT+CSCA="${p.smsc}",${p.smsc.startsWith('+') ? 145 : 129}`);
    smsc = p.smsc;
  }
  s.network.smsc = smsc;
}

async function setupRouting(s: Session, receive: ReceiveMode): Promise<void> {
  const r = await s.tryAt('AT+CNMI=?', { prefixes: ['+CNMI:'] });
  const line = lineWith(r, '+CNMI');
  let support: CnmiSupport;
  try {
    support = line ? parseCnmiTest(line) : { mode: [2, 1], mt: [1, 2], bm: [0], ds: [0, 1], bfr: [0] };
  } catch {
    support = { mode: [2, 1], mt: [1, 2], bm: [0], ds: [0, 1], bfr: [0] };
  }
  const choice = chooseCnmi(support, receive);
  // Direct deliveries are only safe when acknowledged after the commit (+CSMS=1, +CNMA).
  s.acknowledge = false;
  if (choice.sms === 'direct') {
    const t = lineWith(await s.tryAt('AT+CSMS=?', { prefixes: ['+CSMS:'] }), '+CSMS');
    if (t && /1/.test(t.slice(t.indexOf(':') + 1)) && (await s.tryAt('AT+CSMS=1', { prefixes: ['+CSMS:'] })) !== null) {
      s.acknowledge = true;
    } else {
      s.log.warn('modem delivers SMS directly (+CMT) without acknowledgements: a crash before the commit loses the SMS');
    }
  } else {
    await s.tryAt('AT+CSMS=0', { prefixes: ['+CSMS:'] });
  }
  const attempts = [choice, { ...choice, bfr: null }, { ...choice, bfr: null, ds: 0, reports: 'none' as const }];
  for (const c of attempts) {
    if ((await whenSmsReady(s, () => s.tryAt(cnmiCommand(c)))) !== null) {
      s.cnmi = c;
      if (c.reports === 'none') s.log.warn('modem does not route status reports (+CNMI <ds> 0)');
      return;
    }
  }
  throw new ModemError('AT_ERROR', 'the modem accepts no +CNMI setting: new messages would not be announced', { scope: 'modem' });
}

/** Registration from +CREG/+CGREG/+CEREG read responses, each optional. */
export async function readRegistration(s: Session): Promise<void> {
  const read = async (kind: 'CREG' | 'CGREG' | 'CEREG'): Promise<Registration | null> => {
    const lines = await s.tryAt(`AT+${kind}?`, { prefixes: [`+${kind}:`] });
    // An unsolicited +CREG may slip into the answer: prefer the line in the read form.
    let fallback: Registration | null = null;
    for (const l of lines ?? []) {
      try {
        const r = parseRegistration(l, 'auto');
        if (r.n !== null) return r;
      } catch {
        // a malformed line: try the next one
      }
      try {
        fallback ??= parseRegistration(l, 'read');
      } catch {
        // not in the read form either
      }
    }
    return fallback;
  };
  s.network.creg = await read('CREG');
  s.network.cgreg = await read('CGREG');
  s.network.cereg = await read('CEREG');
}

/** Operator name and signal. */
export async function readNetworkInfo(s: Session): Promise<void> {
  const cops = lineWith(await s.tryAt('AT+COPS?', { prefixes: ['+COPS:'] }), '+COPS');
  if (cops) {
    try {
      let op = parseCops(cops).operator;
      if (op && (s.vendor.quirks & Quirk.Ucs2Strings) !== 0 && /^(?:[0-9A-F]{4})+$/i.test(op) && op.startsWith('00')) {
        op = op.match(/.{4}/g)!.map((h) => String.fromCharCode(parseInt(h, 16))).join('');
      }
      s.network.operator = op;
    } catch {
      s.network.operator = null;
    }
  }
  const csq = lineWith(await s.tryAt('AT+CSQ', { prefixes: ['+CSQ:'] }), '+CSQ');
  if (csq) {
    try {
      const q = parseCsq(csq);
      s.network.rssi = q.rssi;
      s.network.dbm = q.dbm;
    } catch {
      // keep the last value
    }
  }
}

/** Registered on any of the three (SMS goes over CS, or over PS/SGs/IMS on LTE). */
export function registrationOutcome(s: Session): InitOutcome {
  const regs = [s.network.creg, s.network.cgreg, s.network.cereg].filter((r): r is Registration => r !== null);
  const reg = regs.find((r) => r.registered);
  if (reg) return { state: 'ready', detail: reg.status };
  if (regs.some((r) => r.status === 'denied')) return { state: 'denied', detail: 'registration denied by the network' };
  const st = regs[0]?.status ?? 'unknown';
  return { state: 'searching', detail: `not registered (${st})` };
}

/** The whole start-up sequence. */
export async function initialise(s: Session, p: InitParams): Promise<InitOutcome> {
  s.initialised = false;
  await sync(s);
  if (p.reset !== 'none') await s.tryAt(p.reset, { timeoutMs: Math.max(s.timeouts.command, 5_000) });
  await s.tryAt('ATE0');
  if ((await s.tryAt('AT+CMEE=1')) === null) await s.tryAt('AT+CMEE=2');
  await identify(s, p);
  if (s.vendor.prepare) {
    await s.vendor.prepare({ chat: s.chat, log: s.log, tryCommand: (c) => s.tryAt(c) });
  }
  if ((s.vendor.quirks & Quirk.RadioOffAtBoot) !== 0) {
    const cfun = lineWith(await s.tryAt('AT+CFUN?', { prefixes: ['+CFUN:'] }), '+CFUN');
    if (cfun && !/:\s*1\b/.test(cfun)) await s.at('AT+CFUN=1', { timeoutMs: Math.max(s.timeouts.command, 30_000) });
  }
  const sim = await checkSim(s, p);
  if (sim) return sim;
  const imsi = await s.tryAt('AT+CIMI');
  try {
    s.identity.imsi = imsi ? parseImsi(imsi) : null;
  } catch {
    s.identity.imsi = null;
  }
  s.identity.iccid = await readIccid(s);
  await setupSms(s, p);
  if ((await s.tryAt('AT+CREG=2')) === null) await s.tryAt('AT+CREG=1');
  await s.tryAt('AT+CGREG=2');
  await s.tryAt('AT+CEREG=2');
  await readRegistration(s);
  await s.tryAt('AT+COPS=3,0');
  await readNetworkInfo(s);
  s.initialised = true;
  return registrationOutcome(s);
}
