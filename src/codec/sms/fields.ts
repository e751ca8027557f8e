// Field-level codecs: addresses, time stamps and GSM 7-bit septet streams on their own (the
// pieces decodeSms/encodeSms are made of), plus address parsing and JSON rendering helpers.
import * as L from '../../../assembly/shared/sms-layout.js';
import { CodecError } from '../errors.js';
import { loadInput, out8, outText, putText, reserveWindows, tab, trap } from './module.js';
import { NPI_NAMES, TON_NAMES, languageId, toaOctet } from './names.js';
import { fullYear } from './time.js';
import type { SmsAddress, SmsLanguage, SmsTimestamp } from './types.js';

const ADDRESS_CHARS = /^[0-9*#]+$/;

/**
 * An address from its usual written form: "+digits" is international (ISDN plan), digits (with
 * * and #) are of unknown type (ISDN plan), anything else is alphanumeric.
 */
export function parseAddress(s: string): SmsAddress {
  if (s.startsWith('+') && ADDRESS_CHARS.test(s.slice(1))) return { ton: 'international', npi: 'isdn', number: s.slice(1) };
  if (ADDRESS_CHARS.test(s)) return { ton: 'unknown', npi: 'isdn', number: s };
  return { ton: 'alphanumeric', npi: 'unknown', number: s };
}

/** The usual written form: '+' before international numbers. */
export function formatAddress(a: SmsAddress): string {
  return a.ton === 'international' ? `+${a.number}` : a.number;
}

export interface AddressFieldOptions {
  /** SMSC form (24.011: length in octets, TOA included; 0 = none) instead of a TP address. */
  sca?: boolean;
}

/** Decodes the address field at the start of `bytes`; `length` is the octets it took. */
export function decodeAddressField(bytes: Uint8Array, opts: AddressFieldOptions = {}): { address: SmsAddress | null; length: number } {
  const c = loadInput(bytes);
  let length = 0;
  try {
    length = c.exports.smsDecodeAddress(bytes.length, opts.sca ? 1 : 0);
  } catch (e) {
    trap(e);
  }
  const t = tab;
  if (t[0] === 0) return { address: null, length };
  const toa = t[1];
  return { address: { ton: TON_NAMES[(toa >> 4) & 7], npi: NPI_NAMES[toa & 15], number: outText(t[2], t[3]) }, length };
}

/** Encodes an address field (null: the empty SMSC address, octet 00). */
export function encodeAddressField(address: SmsAddress | null, opts: AddressFieldOptions = {}): Uint8Array {
  const c = reserveWindows(1024);
  const t = tab;
  t.fill(0, 0, 8 * 8);
  const b = L.SMS_REQ_SCA * 8;
  if (address !== null) {
    if (address.number.length > 64) throw new CodecError('TOO_LARGE', 'SMS address', -1, `${address.number.length} characters`);
    putText(0, address.number);
    t[b] = 1;
    t[b + 1] = toaOctet(address.ton, address.npi);
    t[b + 2] = 0;
    t[b + 3] = address.number.length;
  }
  let n = 0;
  try {
    n = c.exports.smsEncodeAddress(opts.sca ? 1 : 0);
  } catch (e) {
    trap(e);
  }
  return out8.slice(0, n);
}

/** Decodes a 7-octet service-centre time stamp (lenient: non-BCD digits read as binary). */
export function decodeTimestampField(bytes: Uint8Array, opts: { lenient?: boolean } = {}): SmsTimestamp {
  const c = loadInput(bytes);
  try {
    c.exports.smsDecodeTimestamp(bytes.length, opts.lenient ? 1 : 0);
  } catch (e) {
    trap(e);
  }
  const t = tab;
  return { year: fullYear(t[1]), month: t[2], day: t[3], hour: t[4], minute: t[5], second: t[6], tz: t[7] };
}

/** Encodes a time stamp as 7 octets. */
export function encodeTimestampField(ts: SmsTimestamp): Uint8Array {
  if (!Number.isInteger(ts.year) || ts.year < 1990 || ts.year > 2089) {
    throw new CodecError('NOT_REPRESENTABLE', 'TP-SCTS', -1, `year ${ts.year} (1990-2089)`);
  }
  const c = reserveWindows(1024);
  const t = tab;
  const b = L.SMS_REQ_TS1 * 8;
  t[b] = 1; t[b + 1] = ts.year % 100; t[b + 2] = ts.month; t[b + 3] = ts.day;
  t[b + 4] = ts.hour; t[b + 5] = ts.minute; t[b + 6] = ts.second; t[b + 7] = ts.tz;
  let n = 0;
  try {
    n = c.exports.smsEncodeTimestamp();
  } catch (e) {
    trap(e);
  }
  return out8.slice(0, n);
}

export interface Gsm7Options {
  /** Zero bits before the first septet (the fill that aligns text after a UDH). */
  fillBits?: number;
  lockingShift?: SmsLanguage | null;
  singleShift?: SmsLanguage | null;
}

function fill(opts: Gsm7Options): number {
  const f = opts.fillBits ?? 0;
  if (!Number.isInteger(f) || f < 0 || f > 6) throw new CodecError('BAD_VALUE', 'TP-UD fill bits', -1, `value ${f}`);
  return f;
}

/** Packs text as GSM 7-bit septets (escapes included); `septets` counts them. */
export function gsm7Pack(text: string, opts: Gsm7Options = {}): { bytes: Uint8Array; septets: number } {
  if (text.length > 4096) throw new CodecError('TOO_LARGE', 'SMS text', -1, `${text.length} characters`);
  const c = reserveWindows(text.length * 2 + 16, text.length * 2 + 16);
  putText(0, text);
  const f = fill(opts);
  let septets = 0;
  try {
    septets = c.exports.smsGsm7Pack(text.length, f, languageId(opts.lockingShift), languageId(opts.singleShift));
  } catch (e) {
    trap(e);
  }
  return { bytes: out8.slice(0, (f + septets * 7 + 7) >> 3), septets };
}

/** Unpacks `septets` septets (after the fill bits) of `bytes` to text. */
export function gsm7Unpack(bytes: Uint8Array, septets: number, opts: Gsm7Options = {}): string {
  if (!Number.isInteger(septets) || septets < 0 || septets > 4096) throw new CodecError('BAD_VALUE', 'TP-UDL', -1, `value ${septets}`);
  const f = fill(opts);
  const lock = languageId(opts.lockingShift);
  const shift = languageId(opts.singleShift);
  reserveWindows(bytes.length, septets * 2 + 16);
  const c = loadInput(bytes);
  let n = 0;
  try {
    n = c.exports.smsGsm7Unpack(bytes.length, septets, f, lock, shift);
  } catch (e) {
    trap(e);
  }
  return outText(0, n);
}

/** Upper-case hex of octets. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('hex').toUpperCase();
}

/** JSON.stringify replacer rendering Uint8Array values (UDH data, 8-bit data...) as hex strings. */
export function smsJsonReplacer(_key: string, value: unknown): unknown {
  return value instanceof Uint8Array ? toHex(value) : value;
}

/**
 * The TP-ST group (23.040 §9.2.3.15): the transaction completed (0x00-0x1F; 0x00 = received by
 * the SME), a temporary error with the SC still trying (0x20-0x3F), a permanent error
 * (0x40-0x5F), a temporary error after which the SC gave up (0x60-0x7F), or reserved (0x80+).
 */
export function smsStatusGroup(st: number): 'completed' | 'trying' | 'permanent-error' | 'gave-up' | 'reserved' {
  if (st < 0x20) return 'completed';
  if (st < 0x40) return 'trying';
  if (st < 0x60) return 'permanent-error';
  if (st < 0x80) return 'gave-up';
  return 'reserved';
}
