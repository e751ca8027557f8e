// The shared-memory boundary with src/codec/wasm.ts.
//
// Three windows live in WASM memory: IN (bytes the JS face copies in), TAB (an i32 result
// table the JS face reads) and OUT (bytes produced: encoded PDUs, UTF-16 text). They are
// allocated once and only regrown when a caller needs more, so a decode never allocates.
// Errors do not travel as return codes: fail() calls the imported codecFail(), which throws a
// CodecError in JS and unwinds the WASM stack. No error plumbing, no allocation on failure.

import { ERR_INTERNAL, ERR_LIMIT, FIELD_NONE } from "../shared/codes";

@external("env", "codecFail")
declare function codecFail(code: i32, offset: i32, field: i32, detail: i32): void;

let inPtr: usize = 0;
let inCap: u32 = 0;
let tabPtr: usize = 0;
let tabCap: u32 = 0; // in i32 words
let outPtr: usize = 0;
let outCap: u32 = 0; // in bytes

/** Grows the windows to at least these sizes (never shrinks). The JS face rebuilds its views after. */
export function reserve(inBytes: u32, tabWords: u32, outBytes: u32): void {
  if (inBytes > inCap) {
    if (inPtr) heap.free(inPtr);
    inPtr = heap.alloc(<usize>inBytes);
    inCap = inBytes;
  }
  if (tabWords > tabCap) {
    if (tabPtr) heap.free(tabPtr);
    tabPtr = heap.alloc(<usize>tabWords << 2);
    tabCap = tabWords;
  }
  if (outBytes > outCap) {
    if (outPtr) heap.free(outPtr);
    outPtr = heap.alloc(<usize>outBytes);
    outCap = outBytes;
  }
}

export function inputPtr(): usize { return inPtr; }
export function inputCap(): u32 { return inCap; }
export function tablePtr(): usize { return tabPtr; }
export function tableCap(): u32 { return tabCap; }
export function outputPtr(): usize { return outPtr; }
export function outputCap(): u32 { return outCap; }

/** Throws a CodecError in JS; never returns. Typed i32 so it can end an expression. */
export function fail(code: i32, offset: i32, field: i32, detail: i32 = 0): i32 {
  codecFail(code, offset, field, detail);
  unreachable();
  return 0;
}

// ---- result table: rows of TAB_ROW i32 words, written by decoders, read by the JS face ----

export const TAB_ROW: u32 = 8;
let tabRows: u32 = 0;

export function tableReset(): void { tabRows = 0; }
export function tableRows(): u32 { return tabRows; }
/** Drops the rows appended after the first n (a reader that walks a field without keeping it). */
export function tableTruncate(n: u32): void { if (n < tabRows) tabRows = n; }

/** Appends one row; returns its index. Fails with ERR_LIMIT when the table is full. */
export function row(w0: i32, w1: i32, w2: i32, w3: i32, w4: i32, w5: i32, w6: i32, w7: i32): u32 {
  const i = tabRows;
  if ((i + 1) * TAB_ROW > tabCap) fail(ERR_LIMIT, 0, FIELD_NONE, <i32>i);
  rowWrite(i, w0, w1, w2, w3, w4, w5, w6, w7);
  tabRows = i + 1;
  return i;
}

/**
 * Overwrites all 8 words of row i (e.g. a fixed row reserved up front, filled once its values are
 * known). Unchecked, like rowSet: i must be a row already appended (row() checks the capacity).
 */
export function rowWrite(i: u32, w0: i32, w1: i32, w2: i32, w3: i32, w4: i32, w5: i32, w6: i32, w7: i32): void {
  const p = tabPtr + (<usize>(i * TAB_ROW) << 2);
  store<i32>(p, w0);
  store<i32>(p, w1, 4);
  store<i32>(p, w2, 8);
  store<i32>(p, w3, 12);
  store<i32>(p, w4, 16);
  store<i32>(p, w5, 20);
  store<i32>(p, w6, 24);
  store<i32>(p, w7, 28);
}

/** Overwrites one word of an existing row (e.g. a count known only after its children). */
export function rowSet(i: u32, word: u32, v: i32): void {
  store<i32>(tabPtr + (<usize>(i * TAB_ROW + word) << 2), v);
}

export function rowGet(i: u32, word: u32): i32 {
  return load<i32>(tabPtr + (<usize>(i * TAB_ROW + word) << 2));
}

// ---- input cursor: every read is bounds-checked against the current end ----

let cur: u32 = 0; // current offset in IN
let lim: u32 = 0; // current end (exclusive); narrowed while inside a length-delimited value

/** Starts reading len bytes of IN from offset 0. */
export function begin(len: u32): void {
  if (len > inCap) fail(ERR_LIMIT, 0, FIELD_NONE, <i32>len);
  cur = 0;
  lim = len;
  tabRows = 0;
}

@inline export function pos(): u32 { return cur; }
@inline export function end(): u32 { return lim; }
@inline export function left(): u32 { return lim - cur; }
@inline export function atEnd(): bool { return cur >= lim; }
@inline export function seek(p: u32): void { cur = p; }
/** Narrows the readable range (to read inside a length-delimited value); returns the old end. */
@inline export function narrow(newEnd: u32): u32 { const old = lim; lim = newEnd; return old; }
@inline export function widen(oldEnd: u32): void { lim = oldEnd; }

/** Byte at absolute offset p of IN, unchecked against the cursor (caller checks p < end()). */
@inline export function at(p: u32): u32 { return <u32>load<u8>(inPtr + <usize>p); }

/** Reads one byte or fails with the given error and field. */
@inline export function take(code: i32, field: i32): u32 {
  if (cur >= lim) fail(code, <i32>cur, field);
  return <u32>load<u8>(inPtr + <usize>(cur++));
}

/** Peeks the next byte or fails. */
@inline export function peek(code: i32, field: i32): u32 {
  if (cur >= lim) fail(code, <i32>cur, field);
  return <u32>load<u8>(inPtr + <usize>cur);
}

/** Skips n bytes or fails. */
@inline export function skip(n: u32, code: i32, field: i32): void {
  if (n > lim - cur) fail(code, <i32>cur, field, <i32>n);
  cur += n;
}

// ---- output bytes: encoders append to OUT ----

let outLen: u32 = 0;

export function outReset(): void { outLen = 0; }
export function outLength(): u32 { return outLen; }
export function outSeek(n: u32): void { outLen = n; }

@inline export function put(b: u32): void {
  if (outLen >= outCap) fail(ERR_LIMIT, <i32>outLen, FIELD_NONE);
  store<u8>(outPtr + <usize>(outLen++), <u8>b);
}

/** Byte at absolute offset p of OUT (for back-patching lengths). */
@inline export function outAt(p: u32): u32 { return <u32>load<u8>(outPtr + <usize>p); }
@inline export function outSet(p: u32, b: u32): void { store<u8>(outPtr + <usize>p, <u8>b); }

/** Copies n bytes of IN at offset src to OUT. */
export function putFromInput(src: u32, n: u32): void {
  if (n > outCap - outLen) fail(ERR_LIMIT, <i32>outLen, FIELD_NONE);
  memory.copy(outPtr + <usize>outLen, inPtr + <usize>src, <usize>n);
  outLen += n;
}

/** Moves OUT bytes [from, outLength) forward by n (to insert a length prefix before a value). */
export function outShift(from: u32, n: u32): void {
  if (n > outCap - outLen) fail(ERR_LIMIT, <i32>outLen, FIELD_NONE);
  memory.copy(outPtr + <usize>(from + n), outPtr + <usize>from, <usize>(outLen - from));
  outLen += n;
}

/** Raw pointers for code that must scan memory directly (kept for tight loops). */
@inline export function inBase(): usize { return inPtr; }
@inline export function outBase(): usize { return outPtr; }

// Replaces AssemblyScript's abort (asconfig "use": abort=assembly/io/index/onAbort): a WASM-side
// assertion becomes an ERR_INTERNAL CodecError instead of a trap.
export function onAbort(msg: usize, file: usize, line: u32, column: u32): void {
  codecFail(ERR_INTERNAL, <i32>line, FIELD_NONE, <i32>column);
  unreachable();
}
