// WSP primitive values (WAP-230-WSP §8.1.2, §8.4.2.1): readers over the bounds-checked cursor
// of ../io and writers into OUT. Readers that produce more than one number leave them in the
// module globals below (no allocation: the WASM never builds objects); a malformed value
// fails with the caller's field id at the offset where the value starts.
import {
  take, peek, pos, seek, left, end, at, fail, put, putFromInput, outLength, narrow, widen,
} from "../io";
import {
  ERR_BAD_LENGTH, ERR_BAD_VALUE, ERR_TRUNCATED, ERR_UNSUPPORTED, FIELD_WSP_UINTVAR,
} from "../shared/codes";
import { TF_NON_ASCII, TF_QUOTE, TF_WIDE } from "../shared/mms-table";

// ---- multi-value results of the readers ----
export let txtOff: u32 = 0; // text: offset of the first text octet (after any quote)
export let txtLen: u32 = 0; // text: octets before the terminating NUL
export let txtFlags: u32 = 0; // text: TF_* flags
export let intLo: u32 = 0; // integer: low 32 bits
export let intHi: u32 = 0; // integer: high 32 bits
export let intOctets: u32 = 0; // integer: octets of a Long-integer, 0 for a Short-integer
export let estrCharset: i32 = -1; // encoded-string-value: MIBenum, -1 for the plain form

/** Length of the whole input of the current decode (to tell truncation from a bad length). */
let inputLen: u32 = 0;
export function setInputLength(n: u32): void { inputLen = n; }

/** A length that runs past its container: TRUNCATED when it also runs past the input. */
export function failLength(start: u32, field: i32, n: u32): void {
  const truncated = <u64>pos() + <u64>n > <u64>inputLen;
  fail(truncated ? ERR_TRUNCATED : ERR_BAD_LENGTH, <i32>start, field, <i32>n);
}

/** Uintvar: 7 bits per octet, MSB first, at most 5 octets (32 bits). */
export function readUintvar(field: i32 = FIELD_WSP_UINTVAR): u32 {
  const start = pos();
  let v: u32 = 0;
  for (let i = 0; i < 5; i++) {
    const b = take(ERR_TRUNCATED, field);
    if (i == 4 && (v >>> 25) != 0) fail(ERR_BAD_VALUE, <i32>start, field);
    v = (v << 7) | (b & 0x7f);
    if ((b & 0x80) == 0) return v;
  }
  return <u32>fail(ERR_BAD_VALUE, <i32>start, field);
}

/** Value-length: Short-length (0..30) or Length-quote (31) + Uintvar; checked against the range. */
export function readValueLength(field: i32): u32 {
  const start = pos();
  const b = take(ERR_TRUNCATED, field);
  let n: u32 = b;
  if (b == 31) n = readUintvar(field);
  else if (b > 31) fail(ERR_BAD_VALUE, <i32>start, field, <i32>b);
  if (n > left()) failLength(start, field, n);
  return n;
}

/**
 * Long-integer: Short-length then big-endian octets. Values up to 2^64-1 are read (leading zero
 * octets beyond 8 are fine); a larger one fails UNSUPPORTED.
 */
export function readLongInteger(field: i32): void {
  const start = pos();
  const n = take(ERR_TRUNCATED, field);
  if (n > 30) fail(ERR_BAD_VALUE, <i32>start, field, <i32>n);
  if (n > left()) failLength(start, field, n);
  let hi: u32 = 0;
  let lo: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    const b = take(ERR_TRUNCATED, field);
    if ((hi >>> 24) != 0) fail(ERR_UNSUPPORTED, <i32>start, field, <i32>n); // > 64 bits
    hi = (hi << 8) | (lo >>> 24);
    lo = (lo << 8) | b;
  }
  intLo = lo;
  intHi = hi;
  intOctets = n;
}

/** Integer-value: Short-integer (one octet >= 0x80) or Long-integer. */
export function readIntegerValue(field: i32): void {
  const b = peek(ERR_TRUNCATED, field);
  if (b >= 0x80) {
    seek(pos() + 1);
    intLo = b & 0x7f;
    intHi = 0;
    intOctets = 0;
  } else if (b <= 30) {
    readLongInteger(field);
  } else {
    fail(ERR_BAD_VALUE, <i32>pos(), field, <i32>b);
  }
}

/** Integer-value that must fit 32 bits (counts, charsets, codes). */
export function readInteger32(field: i32): u32 {
  const start = pos();
  readIntegerValue(field);
  if (intHi != 0) fail(ERR_BAD_VALUE, <i32>start, field, <i32>intLo);
  return intLo;
}

/**
 * Scans text from the cursor: an optional Quote (0x7F), then octets up to a NUL or the end of
 * the current range. Sets txtOff/txtLen/txtFlags; returns where it stopped (the NUL, or end()).
 */
function scanText(): u32 {
  let p = pos();
  const lim = end();
  let flags: u32 = 0;
  if (p < lim && at(p) == 0x7f) {
    flags = TF_QUOTE;
    p++;
  }
  const first = p;
  let acc: u32 = 0;
  while (p < lim) {
    const b = at(p);
    if (b == 0) break;
    acc |= b;
    p++;
  }
  if ((acc & 0x80) != 0) flags |= TF_NON_ASCII;
  txtOff = first;
  txtLen = p - first;
  txtFlags = flags;
  return p;
}

/**
 * Text-string / Token-text: [Quote 0x7F] *octet NUL, all within the current range. A missing
 * NUL is a truncation: a text cut short must never pass as a shorter value.
 */
export function readText(field: i32): void {
  const start = pos();
  const p = scanText();
  if (p >= end()) fail(ERR_TRUNCATED, <i32>start, field);
  seek(p + 1);
}

/** Text up to NUL or to the end of the current range (inside a Value-length, the NUL is optional). */
export function readTextToEnd(): void {
  const p = scanText();
  const lim = end();
  seek(p < lim ? p + 1 : lim);
}

/**
 * Text of a 16-bit charset (UCS-2 / UTF-16): delimited by the value length, never by NUL
 * scanning (its code units contain 0x00 octets). A leading 0x7F is the Text-string quote; one
 * terminating NUL octet is dropped, and a second one when that leaves an odd length.
 */
function readWideTextToEnd(): void {
  let p = pos();
  const lim = end();
  let flags: u32 = TF_WIDE | TF_NON_ASCII;
  if (p < lim && at(p) == 0x7f) {
    flags |= TF_QUOTE;
    p++;
  }
  let q = lim;
  if (q > p && at(q - 1) == 0) q--;
  if (((q - p) & 1) != 0 && q > p && at(q - 1) == 0) q--;
  txtOff = p;
  txtLen = q - p;
  txtFlags = flags;
  seek(lim);
}

/** True for the MIBenums whose text is 16-bit code units. */
@inline export function isWideCharset(cs: i32): bool {
  return cs == 1000 || cs == 1013 || cs == 1014 || cs == 1015;
}

/**
 * Char-set of an Encoded-string-value: Any-charset (0x80) or an Integer-value MIBenum. Some
 * encoders write a small MIBenum as a bare octet (04 for ISO-8859-1, seen from a French MMSC);
 * Android and Wireshark read one octet there. A "Long-integer" that would not fit the value or
 * would not be a plausible MIBenum (above 0xFFFF) is read that way too.
 */
function readCharset(field: i32): i32 {
  const at0 = pos();
  const b = peek(ERR_TRUNCATED, field);
  if (b >= 0x80) { // Short-integer; Any-charset (0x80) is MIBenum 0
    seek(at0 + 1);
    return <i32>(b & 0x7f);
  }
  if (b <= 30 && b < left()) {
    readIntegerValue(field);
    if (intHi == 0 && intLo <= 0xffff) return <i32>intLo;
  }
  seek(at0 + 1);
  return <i32>b;
}

/**
 * Encoded-string-value: Text-string, or Value-length Char-set Text-string. A lone 0x00 is an
 * empty Text-string (several encoders send it for an empty Subject/Bcc).
 */
export function readEncodedString(field: i32): void {
  const start = pos();
  const b = peek(ERR_TRUNCATED, field);
  if (b == 0) {
    seek(start + 1);
    txtOff = start;
    txtLen = 0;
    txtFlags = 0;
    estrCharset = -1;
    return;
  }
  if (b >= 0x20) {
    if (b >= 0x80) fail(ERR_BAD_VALUE, <i32>start, field, <i32>b);
    readText(field);
    estrCharset = -1;
    return;
  }
  const n = readValueLength(field);
  const vEnd = pos() + n;
  const old = narrow(vEnd);
  const cs = readCharset(field);
  if (isWideCharset(cs)) readWideTextToEnd();
  else readTextToEnd();
  estrCharset = cs;
  widen(old);
  seek(vEnd);
}

/** Skips any header value by its first octet (WSP §8.4.1.2); returns where it started. */
export function skipValue(field: i32): u32 {
  const start = pos();
  const b = peek(ERR_TRUNCATED, field);
  if (b <= 31) {
    const n = readValueLength(field);
    seek(pos() + n);
  } else if (b < 0x80) {
    readText(field);
  } else {
    seek(start + 1);
  }
  return start;
}

// ---------------------------------------------------------------------------------------
// Writers (encode): append to OUT. Sizes are computed first where a length prefix needs them.

/** Writes a Uintvar to OUT. */
export function writeUintvar(v: u32): void {
  let shift: i32 = 28;
  while (shift > 0 && ((v >>> <u32>shift) & 0x7f) == 0) shift -= 7;
  while (shift > 0) {
    put(((v >>> <u32>shift) & 0x7f) | 0x80);
    shift -= 7;
  }
  put(v & 0x7f);
}

export function uintvarSize(v: u32): u32 {
  let n: u32 = 1;
  while (v >= 0x80) {
    v >>>= 7;
    n++;
  }
  return n;
}

export function writeValueLength(n: u32): void {
  if (n <= 30) put(n);
  else {
    put(31);
    writeUintvar(n);
  }
}

export function valueLengthSize(n: u32): u32 {
  return n <= 30 ? 1 : 1 + uintvarSize(n);
}

/** Octets of the minimal big-endian form of a 64-bit value (at least 1). */
export function longOctets(lo: u32, hi: u32): u32 {
  if (hi != 0) return 4 + (hi >= 0x1000000 ? 4 : hi >= 0x10000 ? 3 : hi >= 0x100 ? 2 : 1);
  return lo >= 0x1000000 ? 4 : lo >= 0x10000 ? 3 : lo >= 0x100 ? 2 : 1;
}

/** Long-integer in its minimal form. */
export function writeLongInteger(lo: u32, hi: u32): void {
  const n = longOctets(lo, hi);
  put(n);
  for (let i = <i32>n - 1; i >= 0; i--) {
    const shift = <u32>(i * 8);
    put(shift >= 32 ? (hi >>> (shift - 32)) & 0xff : (lo >>> shift) & 0xff);
  }
}

/** Integer-value: Short-integer when the value is below 128, else Long-integer. */
export function writeIntegerValue(lo: u32, hi: u32): void {
  if (hi == 0 && lo < 0x80) put(0x80 | lo);
  else writeLongInteger(lo, hi);
}

export function integerValueSize(lo: u32, hi: u32): u32 {
  return hi == 0 && lo < 0x80 ? 1 : 1 + longOctets(lo, hi);
}

/** Integer in the form the encode row asks for: 0 Integer-value, 1 Long-integer, 2 Uintvar. */
export function writeIntegerForm(lo: u32, hi: u32, form: u32): void {
  if (form == 1) writeLongInteger(lo, hi);
  else if (form == 2) writeUintvar(lo);
  else writeIntegerValue(lo, hi);
}

export function integerFormSize(lo: u32, hi: u32, form: u32): u32 {
  if (form == 1) return 1 + longOctets(lo, hi);
  if (form == 2) return uintvarSize(lo);
  return integerValueSize(lo, hi);
}

/**
 * Text-string from IN: quoted when the first octet is >= 0x7F (the spec quotes >= 0x80; a
 * leading 0x7F would otherwise read back as a quote), then NUL-terminated.
 */
export function writeText(off: u32, len: u32): void {
  if (len > 0 && at(off) >= 0x7f) put(0x7f);
  putFromInput(off, len);
  put(0);
}

export function textSize(off: u32, len: u32): u32 {
  return len + 1 + (len > 0 && at(off) >= 0x7f ? 1 : 0);
}

/** Token-text from IN (header and parameter names): no quote. */
export function writeToken(off: u32, len: u32): void {
  putFromInput(off, len);
  put(0);
}

/** Quoted-string: 0x22, the text, NUL (no closing quote). */
export function writeQuoted(off: u32, len: u32): void {
  put(0x22);
  putFromInput(off, len);
  put(0);
}

/** Encoded-string-value: the plain Text-string form when cs < 0, else the charset form. */
export function writeEncodedString(off: u32, len: u32, cs: i32): void {
  if (cs < 0) {
    writeText(off, len);
    return;
  }
  writeValueLength(integerValueSize(<u32>cs, 0) + textSize(off, len));
  writeIntegerValue(<u32>cs, 0);
  writeText(off, len);
}

export function encodedStringSize(off: u32, len: u32, cs: i32): u32 {
  if (cs < 0) return textSize(off, len);
  const inner = integerValueSize(<u32>cs, 0) + textSize(off, len);
  return valueLengthSize(inner) + inner;
}

/** Current OUT length (re-exported for the encoders' back-patching). */
@inline export function outPos(): u32 { return outLength(); }
