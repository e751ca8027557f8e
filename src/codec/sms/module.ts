// The "sms" WASM module (build/sms.wasm) and views over its windows, loaded on first use.
//
// The windows are sized once (IN_BYTES, TABLE_ROWS, OUT_BYTES) and only grow for larger inputs,
// so the hot paths skip WasmCodec.ensure and only re-take views when WASM memory was replaced.
import { CodecError } from '../errors.js';
import { WasmCodec, type BoundaryExports } from '../wasm.js';

export interface SmsExports extends BoundaryExports {
  smsDecode(len: number, flags: number): number;
  smsEncode(): number;
  smsDcsInfo(dcs: number): number;
  smsTextCost(units: number, lock: number, shift: number): number;
  smsGsm7Pack(units: number, fill: number, lock: number, shift: number): number;
  smsGsm7Unpack(len: number, count: number, fill: number, lock: number, shift: number): number;
  smsDecodeAddress(len: number, sca: number): number;
  smsEncodeAddress(sca: number): number;
  smsDecodeTimestamp(len: number, lenient: number): number;
  smsEncodeTimestamp(): number;
}

/** Table rows every call may use: 7 fixed rows plus one per UDH element (at most 70 fit in 140 octets). */
export const TABLE_ROWS = 96;
/** OUT bytes: UTF-16 text of one PDU, or one encoded PDU, with room to spare. */
export const OUT_BYTES = 8192;
/** IN bytes kept for encode requests: UTF-16 units from 0, raw octets from IN_OCTETS_AT. */
export const IN_BYTES = 8192;
export const IN_OCTETS_AT = 2048;

let codec: WasmCodec<SmsExports> | null = null;
let buffer: ArrayBufferLike | null = null;
let stale = true; // set after every ensure(): windows may have moved

/** Current views of the windows (see refresh). */
export let tab: Int32Array = new Int32Array(0);
export let in8: Uint8Array = new Uint8Array(0);
export let in16: Uint16Array = new Uint16Array(0);
export let out8: Uint8Array = new Uint8Array(0);
export let out16: Uint16Array = new Uint16Array(0);

export function sms(): WasmCodec<SmsExports> {
  if (codec === null) {
    codec = new WasmCodec<SmsExports>('sms');
    codec.ensure(IN_BYTES, TABLE_ROWS, OUT_BYTES);
    stale = true;
  }
  return codec;
}

/**
 * Re-takes the views when memory or a window moved; cheap when nothing did. Windows move only
 * in ensure(), which only this module calls (and flags), or when memory grows.
 */
export function views(): WasmCodec<SmsExports> {
  const c = sms();
  const x = c.exports;
  if (stale || buffer !== x.memory.buffer) {
    const inp = c.input();
    const out = c.output();
    tab = c.table();
    in8 = inp;
    in16 = new Uint16Array(inp.buffer, inp.byteOffset, inp.length >> 1);
    out8 = out;
    out16 = new Uint16Array(out.buffer, out.byteOffset, out.length >> 1);
    buffer = x.memory.buffer;
    stale = false;
  }
  return c;
}

/** Copies `bytes` into IN (growing the windows only when they are too small); returns the codec. */
export function loadInput(bytes: Uint8Array): WasmCodec<SmsExports> {
  let c = views();
  if (bytes.length > in8.length) {
    c.ensure(bytes.length, TABLE_ROWS, OUT_BYTES);
    stale = true;
    c = views();
  }
  in8.set(bytes);
  return c;
}

/** Makes sure IN holds `bytes` and OUT `outBytes` (for the rarer, larger helper calls). */
export function reserveWindows(bytes: number, outBytes = OUT_BYTES): WasmCodec<SmsExports> {
  const c = views();
  if (bytes > in8.length || outBytes > out8.length) {
    c.ensure(Math.max(bytes, IN_BYTES), TABLE_ROWS, Math.max(outBytes, OUT_BYTES));
    stale = true;
  }
  return views();
}

/**
 * Runs a WASM call; a trap (a codec bug, never a property of the input) becomes a CodecError,
 * as WasmCodec.guarded does, without a closure per call.
 */
export function trap(e: unknown): never {
  if (e instanceof WebAssembly.RuntimeError) throw new CodecError('INTERNAL', 'PDU', -1, `WASM trap: ${e.message}`);
  throw e;
}

// Measured here: String.fromCharCode over the units wins below ~50 units (180 vs 290 ns for 13),
// TextDecoder above (523 vs 873 ns for 160). TextDecoder would turn an unpaired surrogate into
// U+FFFD, so text flagged with one always takes the exact path.
const utf16 = new TextDecoder('utf-16le', { ignoreBOM: true });
const DECODER_FROM = 48;

/** Text from `n` UTF-16 units of OUT at unit index `start` (`exact`: may hold unpaired surrogates). */
export function outText(start: number, n: number, exact = true): string {
  if (n === 0) return '';
  if (!exact && n >= DECODER_FROM) return utf16.decode(out8.subarray(start * 2, (start + n) * 2));
  if (n <= 512) return String.fromCharCode.apply(null, out16.subarray(start, start + n) as unknown as number[]);
  let s = '';
  for (let i = 0; i < n; i += 512) {
    s += String.fromCharCode.apply(null, out16.subarray(start + i, start + Math.min(n, i + 512)) as unknown as number[]);
  }
  return s;
}

/** Writes a string's UTF-16 units into IN at unit index `at`; returns the next free unit index. */
export function putText(at: number, s: string): number {
  const u = in16;
  for (let i = 0; i < s.length; i++) u[at + i] = s.charCodeAt(i);
  return at + s.length;
}
