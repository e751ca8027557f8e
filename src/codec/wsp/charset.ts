// Character sets of WSP/MMS text (IANA MIBenum, as Well-known-charset / Char-set values):
// names in both directions, decoding octets to strings and encoding strings to octets.
//
// Decoding: UTF-8 and ISO-8859-1/US-ASCII natively (Buffer), UCS-2/UTF-16 with BOM handling
// (big-endian when there is no BOM), everything else through TextDecoder when the platform
// knows the charset; an unknown charset decodes as ISO-8859-1, which keeps every octet (so it
// re-encodes to the same octets). Encoding supports the same set; multi-byte legacy charsets
// (Shift_JIS, Big5, GB...) only for ASCII text.
import { CodecError } from '../errors.js';

export type CharsetName =
  | 'utf-8' | 'us-ascii' | 'iso-8859-1' | 'iso-8859-2' | 'iso-8859-3' | 'iso-8859-4'
  | 'iso-8859-5' | 'iso-8859-6' | 'iso-8859-7' | 'iso-8859-8' | 'iso-8859-9' | 'iso-8859-10'
  | 'iso-8859-13' | 'iso-8859-14' | 'iso-8859-15' | 'iso-8859-16' | 'shift_jis' | 'euc-jp'
  | 'iso-2022-jp' | 'euc-kr' | 'gbk' | 'gb18030' | 'gb2312' | 'big5' | 'koi8-r' | 'koi8-u'
  | 'iso-10646-ucs-2' | 'utf-16' | 'utf-16be' | 'utf-16le' | 'windows-1250' | 'windows-1251'
  | 'windows-1252' | 'windows-1253' | 'windows-1254' | 'windows-1255' | 'windows-1256'
  | 'windows-1257' | 'windows-1258' | '*';

/** A charset: its name when we know it, else its MIBenum. */
export type Charset = CharsetName | number;

type Kind = 'utf8' | 'latin1' | 'wide' | 'utf16be' | 'utf16le' | 'single' | 'multi';

const TABLE: readonly [mib: number, name: CharsetName, kind: Kind][] = [
  [0, '*', 'utf8'], [3, 'us-ascii', 'latin1'], [4, 'iso-8859-1', 'latin1'],
  [5, 'iso-8859-2', 'single'], [6, 'iso-8859-3', 'single'], [7, 'iso-8859-4', 'single'],
  [8, 'iso-8859-5', 'single'], [9, 'iso-8859-6', 'single'], [10, 'iso-8859-7', 'single'],
  [11, 'iso-8859-8', 'single'], [12, 'iso-8859-9', 'single'], [13, 'iso-8859-10', 'single'],
  [17, 'shift_jis', 'multi'], [18, 'euc-jp', 'multi'], [38, 'euc-kr', 'multi'],
  [39, 'iso-2022-jp', 'multi'], [106, 'utf-8', 'utf8'], [109, 'iso-8859-13', 'single'],
  [110, 'iso-8859-14', 'single'], [111, 'iso-8859-15', 'single'], [112, 'iso-8859-16', 'single'],
  [113, 'gbk', 'multi'], [114, 'gb18030', 'multi'], [1000, 'iso-10646-ucs-2', 'wide'],
  [1013, 'utf-16be', 'utf16be'], [1014, 'utf-16le', 'utf16le'], [1015, 'utf-16', 'wide'],
  [2025, 'gb2312', 'multi'], [2026, 'big5', 'multi'], [2084, 'koi8-r', 'single'],
  [2088, 'koi8-u', 'single'], [2250, 'windows-1250', 'single'], [2251, 'windows-1251', 'single'],
  [2252, 'windows-1252', 'single'], [2253, 'windows-1253', 'single'],
  [2254, 'windows-1254', 'single'], [2255, 'windows-1255', 'single'],
  [2256, 'windows-1256', 'single'], [2257, 'windows-1257', 'single'],
  [2258, 'windows-1258', 'single'],
];
const BY_MIB = new Map(TABLE.map(([mib, name, kind]) => [mib, { name, kind }]));
const BY_NAME = new Map<string, number>(TABLE.map(([mib, name]) => [name, mib]));
BY_NAME.set('ucs-2', 1000);
BY_NAME.set('ascii', 3);
BY_NAME.set('latin1', 4);
BY_NAME.set('utf8', 106);

/** The Charset for a MIBenum (its name when known). */
export function charsetFromMib(mib: number): Charset {
  return BY_MIB.get(mib)?.name ?? mib;
}

/** The MIBenum of a charset name (case-insensitive) or number; undefined when unknown. */
export function charsetToMib(cs: Charset | string): number | undefined {
  if (typeof cs === 'number') return Number.isInteger(cs) && cs >= 0 && cs <= 0x7fffffff ? cs : undefined;
  return BY_NAME.get(cs.toLowerCase());
}

const decoders = new Map<string, TextDecoder | null>();
function decoderFor(label: string): TextDecoder | null {
  let d = decoders.get(label);
  if (d === undefined) {
    try {
      d = new TextDecoder(label);
    } catch {
      d = null;
    }
    decoders.set(label, d);
  }
  return d;
}

/** A Buffer view (no copy) of the caller's bytes, for Node's fast native text decoders. */
export function bufferOf(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// Node's native slicers, without the argument checks of Buffer#toString (they are what
// toString calls; measurably faster for the many short header strings of a PDU).
interface Slicers {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}
const latin1 = (buf: Buffer, start: number, end: number): string => (buf as unknown as Slicers).latin1Slice(start, end);
const utf8 = (buf: Buffer, start: number, end: number): string => (buf as unknown as Slicers).utf8Slice(start, end);

/**
 * Decodes octets [off, off+len) of `buf` in the charset with MIBenum `mib` (-1: a plain
 * Text-string, which MMS senders write in UTF-8). `ascii` says all octets are < 0x80.
 */
export function decodeText(buf: Buffer, off: number, len: number, mib: number, ascii: boolean): string {
  if (len === 0) return '';
  if (ascii && mib !== 1000 && mib !== 1013 && mib !== 1014 && mib !== 1015) {
    return latin1(buf, off, off + len);
  }
  const kind = mib < 0 ? 'utf8' : BY_MIB.get(mib)?.kind;
  switch (kind) {
    case 'utf8':
      return utf8(buf, off, off + len);
    case 'latin1':
      return latin1(buf, off, off + len);
    case 'wide': { // UCS-2 / UTF-16: a BOM picks the byte order, big-endian without one
      if (len >= 2 && buf[off] === 0xff && buf[off + 1] === 0xfe) return decodeWith('utf-16le', buf, off + 2, len - 2);
      if (len >= 2 && buf[off] === 0xfe && buf[off + 1] === 0xff) return decodeWith('utf-16be', buf, off + 2, len - 2);
      return decodeWith('utf-16be', buf, off, len);
    }
    case 'utf16be':
      return decodeWith('utf-16be', buf, off, len);
    case 'utf16le':
      return decodeWith('utf-16le', buf, off, len);
    case 'single':
    case 'multi': {
      const d = decoderFor(BY_MIB.get(mib)!.name);
      if (d) return d.decode(buf.subarray(off, off + len));
      return latin1(buf, off, off + len);
    }
    default: // a charset we do not know: keep every octet (ISO-8859-1 is 1:1)
      return latin1(buf, off, off + len);
  }
}

function decodeWith(label: string, buf: Buffer, off: number, len: number): string {
  if (label === 'utf-16le') return buf.toString('utf16le', off, off + (len & ~1));
  return decoderFor(label)!.decode(buf.subarray(off, off + len));
}

const encoder = new TextEncoder();
const reverse = new Map<number, Map<number, number>>();

/** Character -> octet table of a single-byte charset, built once from its decoder. */
function reverseTable(mib: number): Map<number, number> | undefined {
  let t = reverse.get(mib);
  if (t) return t;
  const d = decoderFor(BY_MIB.get(mib)!.name);
  if (!d) return undefined;
  t = new Map();
  for (let b = 0; b < 256; b++) {
    const s = d.decode(Uint8Array.of(b));
    if (s.length === 1 && s !== '\ufffd' && !t.has(s.charCodeAt(0))) t.set(s.charCodeAt(0), b);
  }
  reverse.set(mib, t);
  return t;
}

/** Upper bound of the octets encodeTextInto() writes for `s`. */
export function maxEncodedLength(s: string, mib: number): number {
  return mib < 0 || BY_MIB.get(mib)?.kind === 'utf8' ? s.length * 3 : s.length * 2;
}

/**
 * Writes `s` in the charset `mib` (-1: plain Text-string, UTF-8) into `out` at `at`; returns
 * the octets written. Throws NOT_REPRESENTABLE (naming `field`) for characters the charset
 * cannot carry. Never writes NUL octets for 8-bit charsets (a Text-string cannot hold them).
 */
export function encodeTextInto(s: string, mib: number, out: Uint8Array, at: number, field: string): number {
  const kind = mib < 0 ? 'utf8' : BY_MIB.get(mib)?.kind;
  if (kind !== 'wide' && kind !== 'utf16be' && kind !== 'utf16le' && s.includes('\0')) {
    throw new CodecError('NOT_REPRESENTABLE', field, -1, 'a NUL character cannot be carried in a Text-string');
  }
  switch (kind) {
    case 'utf8': {
      const r = encoder.encodeInto(s, out.subarray(at));
      if (r.read !== s.length) throw new CodecError('LIMIT', field, -1, 'encode buffer too small');
      return r.written;
    }
    case 'wide':
    case 'utf16be':
    case 'utf16le': {
      const le = kind === 'utf16le';
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        out[at + 2 * i] = le ? c & 0xff : c >> 8;
        out[at + 2 * i + 1] = le ? c >> 8 : c & 0xff;
      }
      return s.length * 2;
    }
    case 'single': {
      const t = reverseTable(mib);
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        const b = c < 0x80 ? c : t?.get(c);
        if (b === undefined) throw notRepresentable(field, s, i, mib);
        out[at + i] = b;
      }
      return s.length;
    }
    case 'multi':
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) throw notRepresentable(field, s, i, mib);
        out[at + i] = c;
      }
      return s.length;
    default: // ISO-8859-1, US-ASCII (decoded 1:1), unknown charsets (decoded as ISO-8859-1)
      for (let i = 0; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c > 0xff) throw notRepresentable(field, s, i, mib);
        out[at + i] = c;
      }
      return s.length;
  }
}

function notRepresentable(field: string, s: string, i: number, mib: number): CodecError {
  const cs = charsetFromMib(mib);
  return new CodecError('NOT_REPRESENTABLE', field, -1,
    `U+${s.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0')} at index ${i} is not in charset ${cs}`);
}
