// Content-type-value and WSP parameters (WAP-230-WSP §8.4.2.24, §8.4.2.4): decode into
// R_CT / R_PARAM rows, encode from them.
//
//   Content-type-value   = Constrained-media | Content-general-form
//   Content-general-form = Value-length Media-type
//   Media-type           = (Well-known-media | Extension-Media) *(Parameter)
//   Parameter            = Typed-parameter | Untyped-parameter
import {
  at, fail, narrow, peek, pos, row, rowGet, rowSet, seek, widen, put, outLength, outShift, outSet,
} from "../io";
import { ERR_BAD_VALUE, ERR_LIMIT, ERR_TRUNCATED, FIELD_CODEC_TABLE } from "../shared/codes";
import {
  K_INT, K_NONE, K_OCTET, K_QUOTED, K_TEXT, MAX_PARAMS, R_CT, R_PARAM,
} from "../shared/mms-table";
import {
  intLo, intHi, intOctets, readIntegerValue, readText, readUintvar, readValueLength, txtFlags,
  txtLen, txtOff, writeIntegerForm, writeIntegerValue, writeQuoted, writeText, writeToken,
  uintvarSize, valueLengthSize,
} from "./primitives";

// What the last decoded content type was, for the callers that decide how to read a body.
export let ctCode: i32 = -1; // well-known media code, -1 when textual
export let ctTextOff: u32 = 0;
export let ctTextLen: u32 = 0;

const MMS_MESSAGE = memory.data<u8>([ // "application/vnd.wap.mms-message"
  0x61, 0x70, 0x70, 0x6c, 0x69, 0x63, 0x61, 0x74, 0x69, 0x6f, 0x6e, 0x2f, 0x76, 0x6e, 0x64, 0x2e,
  0x77, 0x61, 0x70, 0x2e, 0x6d, 0x6d, 0x73, 0x2d, 0x6d, 0x65, 0x73, 0x73, 0x61, 0x67, 0x65,
]);
const VND_MULTIPART = memory.data<u8>([ // "application/vnd.wap.multipart."
  0x61, 0x70, 0x70, 0x6c, 0x69, 0x63, 0x61, 0x74, 0x69, 0x6f, 0x6e, 0x2f, 0x76, 0x6e, 0x64, 0x2e,
  0x77, 0x61, 0x70, 0x2e, 0x6d, 0x75, 0x6c, 0x74, 0x69, 0x70, 0x61, 0x72, 0x74, 0x2e,
]);
const MULTIPART = memory.data<u8>([0x6d, 0x75, 0x6c, 0x74, 0x69, 0x70, 0x61, 0x72, 0x74, 0x2f]);

/** Case-insensitive: does the text at IN[off, off+len) start with the n-octet ASCII literal? */
function startsWith(off: u32, len: u32, lit: usize, n: u32): bool {
  if (len < n) return false;
  for (let i: u32 = 0; i < n; i++) {
    let c = at(off + i);
    if (c >= 0x41 && c <= 0x5a) c |= 0x20;
    if (c != <u32>load<u8>(lit + <usize>i)) return false;
  }
  return true;
}

/** Is the last decoded content type a WSP multipart (binary multipart body follows)? */
export function ctIsMultipart(): bool {
  if (ctCode >= 0) {
    return (ctCode >= 0x0b && ctCode <= 0x0f) || (ctCode >= 0x22 && ctCode <= 0x26) || ctCode == 0x33;
  }
  return startsWith(ctTextOff, ctTextLen, VND_MULTIPART, 30) || startsWith(ctTextOff, ctTextLen, MULTIPART, 10);
}

/** Is the last decoded content type application/vnd.wap.mms-message? */
export function ctIsMms(): bool {
  if (ctCode >= 0) return ctCode == 0x3e;
  return ctTextLen == 31 && startsWith(ctTextOff, ctTextLen, MMS_MESSAGE, 31);
}

/** Decodes a Content-type-value at the cursor into R_CT (+ R_PARAM) rows. */
export function decodeContentType(field: i32): void {
  const start = pos();
  const b = peek(ERR_TRUNCATED, field);
  if (b >= 0x80) { // Constrained-media: Short-integer
    seek(start + 1);
    ctCode = <i32>(b & 0x7f);
    row(R_CT, ctCode, 0, 0, 0, 0, 0, <i32>start);
    return;
  }
  if (b >= 0x20 || b == 0) { // Constrained-media: Extension-media (a lone 0x00 is an empty one)
    if (b == 0) {
      seek(start + 1);
      ctCode = -1;
      ctTextOff = start;
      ctTextLen = 0;
      row(R_CT, -1, 1, <i32>start, 0, 0, 0, <i32>start);
      return;
    }
    readText(field);
    ctCode = -1;
    ctTextOff = txtOff;
    ctTextLen = txtLen;
    row(R_CT, -1, 1, <i32>txtOff, <i32>txtLen, <i32>txtFlags, 0, <i32>start);
    return;
  }
  // Content-general-form
  const n = readValueLength(field);
  const vEnd = pos() + n;
  const old = narrow(vEnd);
  const m = peek(ERR_TRUNCATED, field);
  if (m == 31) fail(ERR_BAD_VALUE, <i32>pos(), field, <i32>m);
  let r: u32;
  if (m >= 0x80 || m <= 30) { // Well-known-media: Integer-value
    const at0 = pos();
    readIntegerValue(field);
    if (intHi != 0 || intLo > 0x7fffffff) fail(ERR_BAD_VALUE, <i32>at0, field, <i32>intLo);
    ctCode = <i32>intLo;
    r = row(R_CT, ctCode, 2, 0, 0, 0, 0, <i32>start);
  } else {
    readText(field);
    ctCode = -1;
    ctTextOff = txtOff;
    ctTextLen = txtLen;
    r = row(R_CT, -1, 2, <i32>txtOff, <i32>txtLen, <i32>txtFlags, 0, <i32>start);
  }
  const count = decodeParams(vEnd, field);
  rowSet(r, 6, <i32>count);
  widen(old);
  seek(vEnd);
}

/** Decodes parameters until `until`; returns how many (limit MAX_PARAMS). */
export function decodeParams(until: u32, field: i32): u32 {
  let count: u32 = 0;
  while (pos() < until) {
    if (count == MAX_PARAMS) fail(ERR_LIMIT, <i32>pos(), field, MAX_PARAMS);
    decodeParam(field);
    count++;
  }
  return count;
}

/**
 * One parameter. Typed parameters start with an Integer-value token; textual ones with a
 * Token-text name. Every typed value of WSP is, by its first octet, one of: No-value (0x00),
 * Short-integer, Long-integer, Quoted-string or Text — except the Q-value (a Uintvar).
 */
function decodeParam(field: i32): void {
  const start = pos();
  const b = peek(ERR_TRUNCATED, field);
  let code: i32 = -1;
  let nameOff: u32 = 0;
  let nameLen: u32 = 0;
  if (b >= 0x80 || (b >= 1 && b <= 30)) {
    readIntegerValue(field);
    if (intHi != 0 || intLo > 0xffff) fail(ERR_BAD_VALUE, <i32>start, field, <i32>intLo);
    code = <i32>intLo;
  } else if (b >= 0x20 && b < 0x7f) {
    readText(field);
    nameOff = txtOff;
    nameLen = txtLen;
  } else {
    fail(ERR_BAD_VALUE, <i32>start, field, <i32>b);
  }
  if (code == 0) { // q: Q-value is a 1-2 octet Uintvar
    const v = readUintvar(field);
    row(R_PARAM, 0, K_INT, <i32>v, 0, 2, 0, 0);
    return;
  }
  const v = peek(ERR_TRUNCATED, field);
  if (v == 0) { // No-value
    seek(pos() + 1);
    row(R_PARAM, code, K_NONE, 0, 0, 0, <i32>nameOff, <i32>nameLen);
  } else if (v >= 0x80) {
    seek(pos() + 1);
    row(R_PARAM, code, K_OCTET, <i32>v, 0, 0, <i32>nameOff, <i32>nameLen);
  } else if (v <= 30) {
    readIntegerValue(field);
    row(R_PARAM, code, K_INT, <i32>intLo, <i32>intHi, <i32>intOctets, <i32>nameOff, <i32>nameLen);
  } else if (v == 0x22) { // Quoted-string
    seek(pos() + 1);
    readText(field);
    row(R_PARAM, code, K_QUOTED, <i32>txtOff, <i32>txtLen, <i32>txtFlags, <i32>nameOff, <i32>nameLen);
  } else if (v == 31) {
    fail(ERR_BAD_VALUE, <i32>pos(), field, 31);
  } else {
    readText(field);
    row(R_PARAM, code, K_TEXT, <i32>txtOff, <i32>txtLen, <i32>txtFlags, <i32>nameOff, <i32>nameLen);
  }
}

// ---------------------------------------------------------------------------------------
// Encode

/** Writes the content type of the R_CT row at index i (and its R_PARAM rows); returns the next row. */
export function encodeContentType(i: u32): u32 {
  if (rowGet(i, 0) != R_CT) fail(ERR_BAD_VALUE, <i32>i, FIELD_CODEC_TABLE, rowGet(i, 0));
  const code = rowGet(i, 1);
  const nParams = <u32>rowGet(i, 6);
  if (nParams == 0 && code < 0x80) {
    if (code >= 0) put(0x80 | <u32>code);
    else writeText(<u32>rowGet(i, 3), <u32>rowGet(i, 4));
    return i + 1;
  }
  // General form: the media and parameters are written first, then the Value-length is
  // inserted in front of them (one short memmove of the header bytes).
  const start = outLength();
  if (code >= 0) writeIntegerValue(<u32>code, 0);
  else writeText(<u32>rowGet(i, 3), <u32>rowGet(i, 4));
  const next = encodeParams(i + 1, nParams);
  insertValueLength(start);
  return next;
}

/** Inserts the Value-length of OUT[start, end) in front of it. */
export function insertValueLength(start: u32): void {
  const n = outLength() - start;
  const size = valueLengthSize(n);
  outShift(start, size);
  if (n <= 30) outSet(start, n);
  else {
    outSet(start, 31);
    let p = start + 1;
    const u = uintvarSize(n);
    for (let k = <i32>u - 1; k >= 0; k--) {
      const b = (n >>> (<u32>k * 7)) & 0x7f;
      outSet(p++, k > 0 ? b | 0x80 : b);
    }
  }
}

/** Inserts a Uintvar in front of OUT[start, end) (multipart and push header lengths). */
export function insertUintvar(start: u32, v: u32): void {
  const u = uintvarSize(v);
  outShift(start, u);
  let p = start;
  for (let k = <i32>u - 1; k >= 0; k--) {
    const b = (v >>> (<u32>k * 7)) & 0x7f;
    outSet(p++, k > 0 ? b | 0x80 : b);
  }
}

/** Writes n R_PARAM rows starting at row i; returns the row after them. */
export function encodeParams(i: u32, n: u32): u32 {
  for (let k: u32 = 0; k < n; k++) {
    const r = i + k;
    if (rowGet(r, 0) != R_PARAM) fail(ERR_BAD_VALUE, <i32>r, FIELD_CODEC_TABLE, rowGet(r, 0));
    const code = rowGet(r, 1);
    if (code >= 0) writeIntegerValue(<u32>code, 0);
    else writeToken(<u32>rowGet(r, 6), <u32>rowGet(r, 7));
    const kind = rowGet(r, 2);
    const a = <u32>rowGet(r, 3);
    const b = <u32>rowGet(r, 4);
    const c = <u32>rowGet(r, 5);
    if (kind == K_NONE) put(0);
    else if (kind == K_OCTET) put(a);
    else if (kind == K_INT) writeIntegerForm(a, b, c);
    else if (kind == K_QUOTED) writeQuoted(a, b);
    else if (kind == K_TEXT) writeText(a, b);
    else fail(ERR_BAD_VALUE, <i32>r, FIELD_CODEC_TABLE, kind);
  }
  return i + n;
}
