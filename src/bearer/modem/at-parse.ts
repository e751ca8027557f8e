// Readers for the information lines of AT responses and unsolicited result codes (27.007,
// 27.005, V.250). Pure functions: a line (or the lines of one response) in, a value out, or an
// AtParseError naming the command and what was wrong. They read what real modems send (see
// test/corpus/at): quotes missing or unbalanced, '+CNMI:(' without the space, UCS-2 hex where
// text was expected, blank lines inside a response.
import { gsm7Unpack } from '../../codec/sms/fields.js';
import { ModemError } from './errors.js';

/** Thrown when an answer does not read as the response it should be. */
export class AtParseError extends ModemError {
  override readonly name = 'AtParseError';
  constructor(what: string, line: string, why: string) {
    super('PARSE', `${what}: ${why} in ${JSON.stringify(line.length > 120 ? `${line.slice(0, 120)}...` : line)}`, {
      class: 'temporary', scope: 'modem',
    });
  }
}

/** The text after "<prefix>:" (prefix matched case-insensitively, space after the colon optional). */
export function afterPrefix(line: string, prefix: string): string | null {
  const p = prefix.endsWith(':') ? prefix : `${prefix}:`;
  if (line.length < p.length || line.slice(0, p.length).toUpperCase() !== p.toUpperCase()) return null;
  return line.slice(p.length).trim();
}

/**
 * Splits a parameter list at top-level commas. Quoted strings and parenthesised groups stay
 * whole (quotes and parentheses are kept, see unquote); an unterminated quote or parenthesis
 * runs to the end of the line instead of failing.
 */
export function splitFields(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')' && depth > 0) depth--;
    else if (!quoted && depth === 0 && c === ',') {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur.trim() !== '' || out.length > 0) out.push(cur.trim());
  return out;
}

/** A field's value without its surrounding quotes (a lone leading or trailing quote is dropped too). */
export function unquote(f: string | undefined): string {
  if (f === undefined) return '';
  let v = f.trim();
  if (v.startsWith('"')) v = v.slice(1);
  if (v.endsWith('"')) v = v.slice(0, -1);
  return v;
}

function int(f: string | undefined, what: string, line: string, min = 0, max = 0x7fffffff): number {
  const v = unquote(f);
  if (!/^\d{1,10}$/.test(v)) throw new AtParseError(what, line, `expected a number, got ${JSON.stringify(f ?? '')}`);
  const n = Number(v);
  if (n < min || n > max) throw new AtParseError(what, line, `${n} is outside ${min}-${max}`);
  return n;
}

function optInt(f: string | undefined): number | null {
  const v = unquote(f);
  return /^\d{1,10}$/.test(v) ? Number(v) : null;
}

function hexInt(f: string | undefined): number | null {
  const v = unquote(f);
  return /^[0-9A-Fa-f]{1,8}$/.test(v) ? parseInt(v, 16) : null;
}

function body(line: string, prefix: string, what: string): string {
  const b = afterPrefix(line, prefix);
  if (b === null) throw new AtParseError(what, line, `expected ${prefix}`);
  return b;
}

/** Values of a test-command range list: "(0-1,3)", "(2)", "2", "0-3" (ranges capped at 0-255). */
export function parseRange(f: string): number[] {
  const inner = f.trim().replace(/^\(/, '').replace(/\)$/, '');
  const out = new Set<number>();
  for (const part of inner.split(',')) {
    const m = /^\s*(\d{1,3})\s*(?:-\s*(\d{1,3}))?\s*$/.exec(part);
    if (!m) continue;
    const a = Number(m[1]);
    const b = m[2] !== undefined ? Number(m[2]) : a;
    for (let v = Math.min(a, b); v <= Math.min(Math.max(a, b), 255); v++) out.add(v);
  }
  return [...out].sort((x, y) => x - y);
}

// ---------------------------------------------------------------------------------------------
// Network registration: +CREG / +CGREG / +CEREG (27.007)

export type RegistrationStatus =
  | 'not-registered' | 'home' | 'searching' | 'denied' | 'unknown' | 'roaming'
  | 'sms-only-home' | 'sms-only-roaming' | 'emergency-only' | 'csfb-not-preferred-home' | 'csfb-not-preferred-roaming';

const REG_NAMES: RegistrationStatus[] = [
  'not-registered', 'home', 'searching', 'denied', 'unknown', 'roaming',
  'sms-only-home', 'sms-only-roaming', 'emergency-only', 'csfb-not-preferred-home', 'csfb-not-preferred-roaming',
];

export interface Registration {
  /** <n> (the URC mode) in a read response; null in an unsolicited +CREG. */
  n: number | null;
  stat: number;
  status: RegistrationStatus;
  /** Registered to a network (home or roaming, SMS-only and CSFB-not-preferred included). */
  registered: boolean;
  lac: number | null;
  ci: number | null;
  act: number | null;
}

export function isRegistered(stat: number): boolean {
  return stat === 1 || stat === 5 || stat === 6 || stat === 7 || stat === 9 || stat === 10;
}

const quoted = (f: string | undefined): boolean => f !== undefined && f.trim().startsWith('"');

/**
 * Reads +CREG/+CGREG/+CEREG. The read response is "<n>,<stat>[,<lac>,<ci>[,<AcT>...]]", the
 * unsolicited form "<stat>[,<lac>,<ci>[,<AcT>...]]"; `form` says which, 'auto' tells them apart
 * by the number of fields and where the quoted location starts. Location fields that are not
 * hex (an empty "" or a broken quote) read as null rather than failing the whole line.
 */
export function parseRegistration(line: string, form: 'read' | 'urc' | 'auto' = 'auto'): Registration {
  const m = /^\+C(?:G|E|5G)?REG:/i.exec(line);
  if (!m) throw new AtParseError('+CREG', line, 'expected +CREG/+CGREG/+CEREG');
  const f = splitFields(line.slice(m[0].length).trim());
  if (f.length === 0 || (f.length === 1 && f[0] === '')) throw new AtParseError('+CREG', line, 'no status');
  let read: boolean;
  if (form !== 'auto') read = form === 'read';
  else if (f.length === 1 || f.length === 3 || f.length === 6) read = false;
  else if (f.length === 2 || f.length === 5 || f.length >= 7) read = true;
  else read = !quoted(f[1]) && (quoted(f[2]) || /^\d{1,2}$/.test(unquote(f[1])));
  const o = read ? 1 : 0;
  const stat = int(f[o], '+CREG <stat>', line, 0, 10);
  return {
    n: read ? int(f[0], '+CREG <n>', line, 0, 5) : null,
    stat,
    status: REG_NAMES[stat],
    registered: isRegistered(stat),
    lac: hexInt(f[o + 1]),
    ci: hexInt(f[o + 2]),
    act: optInt(f[o + 3]),
  };
}

// ---------------------------------------------------------------------------------------------
// SMS settings: +CNMI=?, +CPMS=?, +CPMS, +CSMS, +CSCA

export interface CnmiSupport {
  mode: number[];
  mt: number[];
  bm: number[];
  ds: number[];
  bfr: number[];
}

/** +CNMI: (2),(0-1,3),(0,2),(0-1),(0) - the values each parameter may take. */
export function parseCnmiTest(line: string): CnmiSupport {
  const f = splitFields(body(line, '+CNMI', '+CNMI=?'));
  if (f.length < 2) throw new AtParseError('+CNMI=?', line, 'fewer than 2 parameter lists');
  const r = (i: number): number[] => (f[i] !== undefined ? parseRange(f[i]) : []);
  return { mode: r(0), mt: r(1), bm: r(2), ds: r(3), bfr: r(4) };
}

/** +CPMS=?: the memories offered for <mem1> (read, delete), <mem2> (write, send), <mem3> (receive). */
export function parseCpmsTest(line: string): [string[], string[], string[]] {
  const b = body(line, '+CPMS', '+CPMS=?');
  const names = (s: string): string[] => [...new Set((s.match(/[A-Za-z][A-Za-z0-9_]*/g) ?? []).map((x) => x.toUpperCase()))];
  let groups: string[][];
  if (b.includes('(')) {
    groups = (b.match(/\([^()]*\)?/g) ?? []).map(names);
  } else {
    groups = splitFields(b).map(names);
  }
  const g = (i: number): string[] => groups[i] ?? [];
  const m1 = g(0);
  const m2 = groups.length > 1 ? g(1) : m1;
  const m3 = groups.length > 2 ? g(2) : m2;
  return [m1, m2, m3];
}

export interface MemoryUse {
  memory: string | null;
  used: number;
  total: number;
}

/**
 * +CPMS after a set ("+CPMS: 3,30,3,30,3,30") or a read ("+CPMS: "SM",3,30,"SM",3,30,...").
 * Returns what each of the (up to three) memories holds.
 */
export function parseCpms(line: string): MemoryUse[] {
  const f = splitFields(body(line, '+CPMS', '+CPMS'));
  const out: MemoryUse[] = [];
  let i = 0;
  while (i < f.length && out.length < 3) {
    let memory: string | null = null;
    if (!/^\d+$/.test(f[i])) memory = unquote(f[i++]).toUpperCase();
    if (i + 1 >= f.length + (memory !== null && i === f.length ? 1 : 0)) break;
    const used = optInt(f[i]);
    const total = optInt(f[i + 1]);
    if (used === null || total === null) throw new AtParseError('+CPMS', line, 'expected <used>,<total>');
    out.push({ memory, used, total });
    i += 2;
  }
  if (out.length === 0) throw new AtParseError('+CPMS', line, 'no memory');
  return out;
}

/** +CSMS: <service>,<mt>,<mo>,<bm> (set and read responses; the read one starts with <service>). */
export function parseCsms(line: string): { service: number | null; mt: boolean; mo: boolean; bm: boolean } {
  const f = splitFields(body(line, '+CSMS', '+CSMS'));
  const start = f.length >= 4 ? f.length - 3 : 0;
  return {
    service: f.length >= 4 ? optInt(f[0]) : null,
    mt: optInt(f[start]) === 1,
    mo: optInt(f[start + 1]) === 1,
    bm: optInt(f[start + 2]) === 1,
  };
}

/** +CSCS: "GSM" (read) or +CSCS: ("IRA","GSM","UCS2") (test): the character sets named. */
export function parseCscs(line: string): string[] {
  const b = body(line, '+CSCS', '+CSCS');
  const names = [...b.matchAll(/"([^"]*)"/g)].map((m) => m[1].toUpperCase()).filter((n) => n !== '');
  if (names.length === 0) {
    const bare = unquote(b.replace(/[()]/g, '')).toUpperCase();
    if (/^[A-Z0-9_-]+$/.test(bare)) return [bare];
    throw new AtParseError('+CSCS', line, 'no character set named');
  }
  return names;
}

/** Text in UCS-2 hex ("002B0039...") when every unit decodes to `allowed`; null otherwise. */
function ucs2HexText(v: string, allowed: RegExp): string | null {
  if (v.length < 4 || v.length % 4 !== 0 || !/^[0-9A-Fa-f]+$/.test(v)) return null;
  let s = '';
  for (let i = 0; i < v.length; i += 4) s += String.fromCharCode(parseInt(v.slice(i, i + 4), 16));
  return allowed.test(s) ? s : null;
}

/**
 * +CSCA: <sca>,<tosca> - the SMSC number, quoted or bare, plain or UCS-2 hex (when +CSCS is
 * "UCS2", or always on some Huawei firmwares). An empty number fails: no SMSC is set.
 */
export function parseCsca(line: string): { number: string; toa: number | null } {
  const f = splitFields(body(line, '+CSCA', '+CSCA?'));
  const raw = unquote(f[0]);
  if (raw === '') throw new AtParseError('+CSCA?', line, 'the SMSC address is empty (not set on this SIM)');
  const toa = optInt(f[1]);
  let num = ucs2HexText(raw, /^\+?[0-9*#]+$/) ?? raw;
  if (!/^\+?[0-9*#]{1,20}$/.test(num)) throw new AtParseError('+CSCA?', line, 'not a telephone number');
  if (toa === 145 && !num.startsWith('+')) num = `+${num}`;
  return { number: num, toa };
}

// ---------------------------------------------------------------------------------------------
// SMS transfer: +CMGS, +CMTI/+CDSI, +CMT/+CDS headers, +CMGR, +CMGL

/** +CMGS: <mr>[,<ackpdu>] - the TP-MR the modem used. */
export function parseCmgs(line: string): number {
  return int(splitFields(body(line, '+CMGS', '+CMGS'))[0], '+CMGS <mr>', line, 0, 255);
}

/** +CMTI: <mem>,<index> / +CDSI: <mem>,<index> - a message stored in a memory. */
export function parseStoredIndication(line: string): { memory: string; index: number } {
  const m = /^\+C(?:MTI|DSI):/i.exec(line);
  if (!m) throw new AtParseError('+CMTI', line, 'expected +CMTI or +CDSI');
  const f = splitFields(line.slice(m[0].length).trim());
  const memory = unquote(f[0]).toUpperCase();
  if (!/^[A-Z_]{2,4}$/.test(memory)) throw new AtParseError('+CMTI', line, 'bad memory name');
  return { memory, index: int(f[1], '+CMTI <index>', line, 0, 65535) };
}

/** The <length> that ends a +CMT: [<alpha>],<length> or +CDS: <length> header (TPDU octets). */
export function parsePduHeaderLength(line: string): number {
  const m = /^\+(?:CMT|CDS|CMGR|CBM):/i.exec(line);
  if (!m) throw new AtParseError('PDU header', line, 'expected +CMT, +CDS or +CMGR');
  const f = splitFields(line.slice(m[0].length).trim());
  return int(f[f.length - 1], 'PDU <length>', line, 0, 255);
}

export type StoredStatus = 'unread' | 'read' | 'unsent' | 'sent';
const STAT_NAMES: StoredStatus[] = ['unread', 'read', 'unsent', 'sent'];

/** +CMGR: <stat>,[<alpha>],<length> (PDU mode). */
export function parseCmgr(line: string): { stat: StoredStatus; length: number } {
  const f = splitFields(body(line, '+CMGR', '+CMGR'));
  return { stat: STAT_NAMES[int(f[0], '+CMGR <stat>', line, 0, 3)], length: int(f[f.length - 1], '+CMGR <length>', line, 0, 255) };
}

/** +CMGL: <index>,<stat>,[<alpha>],<length> (PDU mode). */
export function parseCmgl(line: string): { index: number; stat: StoredStatus; length: number } {
  const f = splitFields(body(line, '+CMGL', '+CMGL'));
  if (f.length < 3) throw new AtParseError('+CMGL', line, 'fewer than 3 fields');
  return {
    index: int(f[0], '+CMGL <index>', line, 0, 65535),
    stat: STAT_NAMES[int(f[1], '+CMGL <stat>', line, 0, 3)],
    length: int(f[f.length - 1], '+CMGL <length>', line, 0, 255),
  };
}

/** A PDU line: hex digits only, even count; returns it upper-cased. */
export function parsePduLine(line: string, what = 'PDU'): string {
  const hex = line.trim();
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^[0-9A-Fa-f]+$/.test(hex)) {
    throw new AtParseError(what, line, 'not an even number of hex digits');
  }
  return hex.toUpperCase();
}

// ---------------------------------------------------------------------------------------------
// Status: +CPIN, +CSQ, +COPS

export type PinState =
  | 'ready' | 'sim-pin' | 'sim-puk' | 'ph-sim-pin' | 'sim-pin2' | 'sim-puk2' | 'ph-net-pin' | 'other';

/** +CPIN: READY | SIM PIN | SIM PUK | ... */
export function parseCpin(line: string): { state: PinState; raw: string } {
  const raw = unquote(body(line, '+CPIN', '+CPIN?')).toUpperCase();
  const map: Record<string, PinState> = {
    READY: 'ready', 'SIM PIN': 'sim-pin', 'SIM PUK': 'sim-puk', 'PH-SIM PIN': 'ph-sim-pin', 'SIM PIN2': 'sim-pin2',
    'SIM PUK2': 'sim-puk2', 'PH-NET PIN': 'ph-net-pin',
  };
  return { state: map[raw] ?? 'other', raw };
}

/** +CSQ: <rssi>,<ber>; dBm from <rssi> (0 = -113 or less, 31 = -51 or more, 99 unknown). */
export function parseCsq(line: string): { rssi: number | null; ber: number | null; dbm: number | null } {
  const f = splitFields(body(line, '+CSQ', '+CSQ'));
  const rssi = int(f[0], '+CSQ <rssi>', line, 0, 199);
  const ber = optInt(f[1]);
  const known = rssi <= 31;
  return { rssi: known ? rssi : null, ber: ber !== null && ber <= 7 ? ber : null, dbm: known ? -113 + 2 * rssi : null };
}

/** +COPS: <mode>[,<format>,<oper>[,<AcT>]]. */
export function parseCops(line: string): { mode: number; format: number | null; operator: string | null; act: number | null } {
  const f = splitFields(body(line, '+COPS', '+COPS?'));
  const op = f[2] !== undefined ? unquote(f[2]) : '';
  return { mode: int(f[0], '+COPS <mode>', line, 0, 9), format: optInt(f[1]), operator: op === '' ? null : op, act: optInt(f[3]) };
}

// ---------------------------------------------------------------------------------------------
// Identity: +CGMI, +CGMM, +CGMR, +CGSN, +CIMI, ICCID (+CCID, ^ICCID, +QCCID, +ICCID), ATI

const MAX_IDENTITY = 128;

/** The information text of a free-form answer (first non-empty line, own prefix and quotes removed). */
export function parseInfoText(lines: string[], prefixes: string[] = []): string {
  for (const line of lines) {
    let t = line.trim();
    for (const p of prefixes) {
      const b = afterPrefix(t, p);
      if (b !== null) {
        t = b;
        break;
      }
    }
    t = unquote(t).trim();
    if (t !== '') return t.length > MAX_IDENTITY ? t.slice(0, MAX_IDENTITY) : t;
  }
  throw new AtParseError('identity', lines.join(' | '), 'empty answer');
}

/**
 * The model from +CGMM (or an ATI/ATI4 block, which names it on a "Model:" line, e.g. CDMA
 * phones' "Model: I: SCH-U706/99"). Over-long answers are cut at 128 characters.
 */
export function parseModel(lines: string[]): string {
  for (const line of lines) {
    const m = /^\s*Model\s*:\s*(?:I:\s*)?(.*)$/i.exec(line);
    if (m && m[1].trim() !== '') return parseInfoText([m[1]]);
  }
  return parseInfoText(lines, ['+CGMM', '+GMM']);
}

/** The IMEI (14-16 digits; some answers add a "+CGSN:" prefix, quotes or an "IMEI:" label). */
export function parseImei(lines: string[]): string {
  for (const line of lines) {
    const m = /(?:^|[^0-9])(\d{14,16})(?:[^0-9]|$)/.exec(line);
    if (m) return m[1];
  }
  throw new AtParseError('+CGSN', lines.join(' | '), 'no IMEI (14-16 digits)');
}

/** The IMSI (6-15 digits). */
export function parseImsi(lines: string[]): string {
  for (const line of lines) {
    const m = /(?:^|[^0-9])(\d{6,15})(?:[^0-9]|$)/.exec(line);
    if (m) return m[1];
  }
  throw new AtParseError('+CIMI', lines.join(' | '), 'no IMSI');
}

/**
 * The ICCID from +CCID / ^ICCID / +QCCID / +ICCID / +CICCID answers. Trailing 'F' padding is
 * dropped; an ICCID starting "98" comes nibble-swapped from the SIM's EF (ICCIDs begin with
 * the telecom prefix 89) and is swapped back.
 */
export function parseIccid(lines: string[]): string {
  for (const line of lines) {
    const t = line.replace(/^\s*[+^!$]?[A-Z]*CC?ID\s*:\s*/i, '').trim();
    const m = /^"?([0-9A-Fa-f]{18,22})"?$/.exec(t);
    if (!m) continue;
    let v = m[1].toUpperCase();
    if (v.startsWith('98')) {
      let s = '';
      for (let i = 0; i + 1 < v.length; i += 2) s += v[i + 1] + v[i];
      v = s + (v.length % 2 ? v[v.length - 1] : '');
    }
    return v.replace(/F+$/, '');
  }
  throw new AtParseError('ICCID', lines.join(' | '), 'no ICCID (18-22 hex digits)');
}

// ---------------------------------------------------------------------------------------------
// USSD: +CUSD: <m>[,<str>[,<dcs>]] (27.007)

export interface Ussd {
  /** 0 no further action, 1 further action required, 2 terminated by network, 3 other client, 4 not supported, 5 timeout. */
  status: number;
  text: string | null;
  dcs: number | null;
  /** ISO 639 language the message started with (CBS DCS 0x10/0x11), else null. */
  language: string | null;
  /** How <str> was read. */
  encoding: 'text' | 'ucs2-hex' | 'gsm7-packed-hex' | 'none';
}

/** The alphabet a USSD DCS (the cell broadcast coding of 23.038 §5) announces. */
function cbsAlphabet(dcs: number | null): 'gsm7' | '8bit' | 'ucs2' | null {
  if (dcs === null) return null;
  const hi = dcs >> 4;
  if (hi === 0 || hi === 2 || hi === 3) return 'gsm7';
  if (dcs === 0x10) return 'gsm7';
  if (dcs === 0x11) return 'ucs2';
  if ((hi & 0xc) === 0x4 || hi === 0x9) return (['gsm7', '8bit', 'ucs2', null] as const)[(dcs >> 2) & 3];
  if (hi === 0xf) return dcs & 4 ? '8bit' : 'gsm7';
  return null;
}

/** Share of UCS-2 units in one script: 0x00xx plus the most common other high byte. */
function ucs2Score(units: number[]): number {
  if (units.length === 0) return 0;
  const hist = new Map<number, number>();
  let low = 0;
  for (const u of units) {
    const hi = u >> 8;
    if (hi !== 0) hist.set(hi, (hist.get(hi) ?? 0) + 1);
    else if (u >= 0x20 || u === 10 || u === 13) low++;
  }
  return (low + Math.max(0, ...hist.values())) / units.length;
}

/** Share of printable characters in unpacked GSM 7-bit text ('@', septet 0, counts as noise). */
function gsm7Score(text: string): number {
  if (text.length === 0) return 0;
  let good = 0;
  for (const ch of text) if (ch !== '@' && (ch >= ' ' || ch === '\n' || ch === '\r')) good++;
  return good / text.length;
}

/** UTF-16 units of UCS-2 hex, up to the first U+0000 (modems pad the string with 0000/FFFF). */
function decodeUcs2Hex(v: string): number[] {
  const units: number[] = [];
  for (let i = 0; i + 4 <= v.length; i += 4) {
    const u = parseInt(v.slice(i, i + 4), 16);
    if (u === 0 && units.length > 0) break;
    units.push(u);
  }
  return units;
}

function unpackGsm7Hex(v: string, septets?: number): string {
  const bytes = Uint8Array.from(Buffer.from(v, 'hex'));
  let text = gsm7Unpack(bytes, septets ?? Math.floor((bytes.length * 8) / 7));
  // 23.038 (USSD packing): 7 spare bits at the end are filled with CR (or left 0, read as '@').
  if (septets === undefined && (bytes.length * 8) % 7 === 0 && (text.endsWith('\r') || text.endsWith('@'))) {
    text = text.slice(0, -1);
  }
  return text;
}

/**
 * Reads a +CUSD line. The text may come as plain text, as UCS-2 hex (when +CSCS is "UCS2", or
 * whatever the DCS says - modems are not always right about it) or, on some Huawei sticks, as
 * the raw GSM 7-bit packed octets in hex. Hex that reads as one script in UCS-2 is UCS-2; hex
 * whose septets read as printable GSM text is packed GSM 7-bit; anything else stays text.
 * DCS 0x11 (UCS-2 preceded by a language) starts with two packed septets naming the language.
 */
export function parseCusd(line: string): Ussd {
  const f = splitFields(body(line, '+CUSD', '+CUSD'));
  const status = int(f[0], '+CUSD <m>', line, 0, 5);
  if (f.length < 2) return { status, text: null, dcs: null, language: null, encoding: 'none' };
  const str = unquote(f[1]);
  const dcs = optInt(f[2]);
  const isHex = str.length >= 2 && str.length % 2 === 0 && /^[0-9A-Fa-f]+$/.test(str);
  if (!isHex) return { status, text: str, dcs, language: null, encoding: 'text' };
  const alphabet = cbsAlphabet(dcs);
  if (dcs === 0x11 && str.length >= 8 && str.length % 4 === 0) {
    const units = decodeUcs2Hex(str.slice(4));
    if (ucs2Score(units) >= 0.5) {
      return { status, text: String.fromCharCode(...units), dcs, language: unpackGsm7Hex(str.slice(0, 4), 2), encoding: 'ucs2-hex' };
    }
  }
  const units = str.length % 4 === 0 ? decodeUcs2Hex(str) : null;
  const u = units ? ucs2Score(units) : 0;
  const packed = unpackGsm7Hex(str);
  const g = gsm7Score(packed);
  if (units && (alphabet === 'ucs2' ? u >= 0.5 : u >= 0.7 && u >= g)) {
    return { status, text: String.fromCharCode(...units), dcs, language: null, encoding: 'ucs2-hex' };
  }
  if (g >= 0.9 && alphabet !== 'ucs2') return { status, text: packed, dcs, language: null, encoding: 'gsm7-packed-hex' };
  return { status, text: str, dcs, language: null, encoding: 'text' };
}
