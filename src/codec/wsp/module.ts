// The "mms" WASM module (WSP primitives, push, multipart, MMS) shared by src/codec/wsp and
// src/codec/mms, plus the two halves of every call across the boundary: run a decode and get
// its rows, build an encode table and get the bytes.
import * as T from '../../../assembly/shared/mms-table.js';
import { CodecError } from '../errors.js';
import { WasmCodec, type BoundaryExports } from '../wasm.js';
import { encodeTextInto, maxEncodedLength } from './charset.js';

export interface MmsModuleExports extends BoundaryExports {
  wspPushDecode(len: number, flags: number): number;
  wspMultipartDecode(len: number, flags: number): number;
  mmsDecode(len: number, flags: number): number;
  codecEncode(rows: number): number;
}

let instance: WasmCodec<MmsModuleExports> | undefined;

/** The module instance (loaded on first use; calls are synchronous, so one is enough). */
export function mmsModule(): WasmCodec<MmsModuleExports> {
  return (instance ??= new WasmCodec<MmsModuleExports>('mms'));
}

/**
 * Copies `bytes` into IN, runs one decode call and returns its rows: a view of the WASM table,
 * valid until the next call into the module (the readers build every object before returning,
 * and never call the WASM meanwhile).
 */
export function runDecode(bytes: Uint8Array, call: (x: MmsModuleExports, len: number) => number): Int32Array {
  const codec = mmsModule();
  codec.copyIn(bytes, T.MAX_ROWS, 0);
  const n = codec.guarded(() => call(codec.exports, bytes.length));
  // The WASM stops at its table's capacity, which an earlier large encode may have grown:
  // the row limit that bounds the JS objects built below is enforced here.
  if (n > T.MAX_ROWS) throw new CodecError('LIMIT', 'PDU', -1, `${n} table rows, limit ${T.MAX_ROWS}`);
  return codec.table().subarray(0, n * 8);
}

/** Thrown inside a build when IN or TAB is too small; the build is re-run after growing. */
const GROW = Symbol('grow');

/**
 * The encode table under construction: rows go straight into TAB, strings straight into IN
 * (already in their charset), part/body data are only referenced and spliced in at the end.
 */
export class EncodeTable {
  private inView!: Uint8Array;
  private tab!: Int32Array;
  private inPos = 0;
  private count = 0;
  private readonly dataRows: number[] = [];
  private readonly datas: Uint8Array[] = [];

  constructor(private readonly codec: WasmCodec<MmsModuleExports>) {
    this.reset();
  }

  reset(): void {
    this.inView = this.codec.input();
    this.tab = this.codec.table();
    this.inPos = 0;
    this.count = 0;
    this.dataRows.length = 0;
    this.datas.length = 0;
  }

  get rows(): number { return this.count; }

  /** Appends a row; returns its index. */
  row(tag: number, code: number, kind: number, a: number, b: number, c: number, d: number, e: number): number {
    const i = this.count;
    const p = i * 8;
    if (p + 8 > this.tab.length) throw GROW;
    const t = this.tab;
    t[p] = tag; t[p + 1] = code; t[p + 2] = kind; t[p + 3] = a;
    t[p + 4] = b; t[p + 5] = c; t[p + 6] = d; t[p + 7] = e;
    this.count = i + 1;
    return i;
  }

  /** Overwrites word w of row i (counts known only after the rows that follow). */
  set(i: number, w: number, v: number): void { this.tab[i * 8 + w] = v; }

  /** Writes `s` into IN in charset `mib` (-1: UTF-8 Text-string); returns [offset, length]. */
  text(s: string, mib: number, field: string): [number, number] {
    const max = maxEncodedLength(s, mib);
    if (this.inPos + max > this.inView.length) throw GROW;
    const n = encodeTextInto(s, mib, this.inView, this.inPos, field);
    const off = this.inPos;
    this.inPos += n;
    return [off, n];
  }

  /** Copies raw octets (kept header values) into IN; returns [offset, length]. */
  raw(bytes: Uint8Array): [number, number] {
    if (this.inPos + bytes.length > this.inView.length) throw GROW;
    this.inView.set(bytes, this.inPos);
    const off = this.inPos;
    this.inPos += bytes.length;
    return [off, bytes.length];
  }

  /** Registers the data spliced in at the OUT offset the WASM writes into word a of row i. */
  data(i: number, bytes: Uint8Array): void {
    this.dataRows.push(i);
    this.datas.push(bytes);
  }

  /** Runs the encode call and assembles the result in one allocation. */
  finish(): Uint8Array {
    const codec = this.codec;
    // OUT holds the strings (already in IN) plus per row at most: field code, two Value-lengths,
    // a count, a charset, a Long-integer, quote and NUL - well under 32 octets.
    codec.ensure(0, 0, this.inPos + this.count * 32 + 64);
    const x = codec.exports;
    const outLen = codec.guarded(() => x.codecEncode(this.count));
    const out = codec.output();
    if (this.datas.length === 0) return out.slice(0, outLen);
    let total = outLen;
    for (const d of this.datas) total += d.length;
    const result = new Uint8Array(total);
    const tab = codec.table();
    let src = 0;
    let dst = 0;
    for (let k = 0; k < this.datas.length; k++) {
      const at = tab[this.dataRows[k] * 8 + 3];
      result.set(out.subarray(src, at), dst);
      dst += at - src;
      result.set(this.datas[k], dst);
      dst += this.datas[k].length;
      src = at;
    }
    result.set(out.subarray(src, outLen), dst);
    return result;
  }
}

/** Builds an encode table with `build` (re-run after growing IN/TAB when they are too small). */
export function runEncode(build: (t: EncodeTable) => void): Uint8Array {
  const codec = mmsModule();
  for (let attempt = 0; ; attempt++) {
    const t = new EncodeTable(codec);
    try {
      build(t);
    } catch (e) {
      if (e !== GROW) throw e;
      if (attempt > 24) throw new CodecError('LIMIT', 'encode table', -1, 'does not fit');
      codec.ensure(codec.exports.inputCap() * 2, (codec.exports.tableCap() / 8) * 2, 0);
      continue;
    }
    return t.finish();
  }
}
