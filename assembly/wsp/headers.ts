// WSP headers (WAP-230-WSP §8.4), as they appear in multipart entries and in the push PDU:
// decoded into R_WSP_HEADER / R_APP_HEADER rows and encoded from them. The headers an MMS
// stack reads get typed values; any other well-known header is skipped by its value's first
// octet and kept raw, so it re-encodes unchanged.
import { at, fail, peek, pos, putFromInput, put, row, rowGet, rowSet, seek, narrow, widen, outLength } from "../io";
import {
  ERR_BAD_VALUE, ERR_LIMIT, ERR_TRUNCATED, ERR_UNSUPPORTED, FIELD_CODEC_TABLE,
  FIELD_WSP_APPLICATION_ID, FIELD_WSP_APP_HEADER, FIELD_WSP_CONTENT_DISPOSITION,
  FIELD_WSP_CONTENT_ID, FIELD_WSP_CONTENT_LENGTH, FIELD_WSP_CONTENT_LOCATION,
  FIELD_WSP_CONTENT_TRANSFER_ENCODING, FIELD_WSP_ENCODING_VERSION, FIELD_WSP_INITIATOR_URI,
  FIELD_WSP_PUSH_FLAG,
} from "../shared/codes";
import {
  K_DISPOSITION, K_INT, K_OCTET, K_QUOTED, K_RAW, K_TEXT, R_APP_HEADER, R_WSP_HEADER,
} from "../shared/mms-table";
import { decodeParams, encodeParams, insertValueLength } from "./content-type";
import {
  intHi, intLo, intOctets, readIntegerValue, readText, readValueLength, skipValue, txtFlags,
  txtLen, txtOff, writeIntegerForm, writeQuoted, writeText, writeToken,
} from "./primitives";

// Well-known WSP header codes (wire & 0x7F) this module reads.
const H_CONTENT_LENGTH = 0x0d;
const H_CONTENT_LOCATION = 0x0e;
const H_CONTENT_DISPOSITION = 0x2e; // WSP 1.1
const H_APPLICATION_ID = 0x2f;
const H_INITIATOR_URI = 0x31;
const H_PUSH_FLAG = 0x34;
const H_CONTENT_ID = 0x40;
const H_ENCODING_VERSION = 0x43;
const H_CONTENT_DISPOSITION_14 = 0x45; // WSP 1.4
const H_ANDROID_CTE = 0x48; // X-Wap-Loc-Invocation, reused by Android for Content-Transfer-Encoding

/** Decodes headers until `until` (at most `max`); returns how many. */
export function decodeWspHeaders(until: u32, max: u32, field: i32, limitField: i32): u32 {
  let count: u32 = 0;
  while (pos() < until) {
    if (count == max) fail(ERR_LIMIT, <i32>pos(), limitField, <i32>max);
    decodeWspHeader(field);
    count++;
  }
  return count;
}

export function decodeWspHeader(field: i32): void {
  const start = pos();
  const b = at(start);
  if (b >= 0x80) {
    seek(start + 1);
    const code = b & 0x7f;
    // A typed reading only when the value has the expected shape; any other value is kept raw.
    const v = peek(ERR_TRUNCATED, field);
    const isText = v == 0 || (v >= 0x20 && v < 0x80);
    if (code == H_CONTENT_LOCATION && isText) {
      readText(FIELD_WSP_CONTENT_LOCATION);
      textRow(code, start);
    } else if (code == H_CONTENT_ID && v == 0x22) { // Quoted-string
      seek(pos() + 1);
      readText(FIELD_WSP_CONTENT_ID);
      row(R_WSP_HEADER, <i32>code, K_QUOTED, <i32>txtOff, <i32>txtLen, <i32>txtFlags, <i32>pos(), <i32>start);
    } else if (code == H_CONTENT_ID && isText) { // some encoders send a plain Text-string
      readText(FIELD_WSP_CONTENT_ID);
      textRow(code, start);
    } else if (code == H_CONTENT_DISPOSITION || code == H_CONTENT_DISPOSITION_14) {
      decodeDisposition(code, start);
    } else if (code == H_APPLICATION_ID && (v >= 0x80 || (v >= 1 && v <= 30))) {
      intRow(code, start, FIELD_WSP_APPLICATION_ID);
    } else if (code == H_APPLICATION_ID && isText) {
      readText(FIELD_WSP_APPLICATION_ID);
      textRow(code, start);
    } else if ((code == H_CONTENT_LENGTH || code == H_PUSH_FLAG) && (v >= 0x80 || (v >= 1 && v <= 30))) {
      intRow(code, start, code == H_CONTENT_LENGTH ? FIELD_WSP_CONTENT_LENGTH : FIELD_WSP_PUSH_FLAG);
    } else if (code == H_INITIATOR_URI && isText) {
      readText(FIELD_WSP_INITIATOR_URI);
      textRow(code, start);
    } else if (code == H_ENCODING_VERSION && v >= 0x80) {
      seek(pos() + 1);
      row(R_WSP_HEADER, <i32>code, K_OCTET, <i32>v, 0, 0, <i32>pos(), <i32>start);
    } else if (code == H_ENCODING_VERSION && isText) {
      readText(FIELD_WSP_ENCODING_VERSION);
      textRow(code, start);
    } else if (code == H_ANDROID_CTE && isText) {
      readText(FIELD_WSP_CONTENT_TRANSFER_ENCODING);
      textRow(code, start);
    } else {
      const vs = skipValue(field);
      row(R_WSP_HEADER, <i32>code, K_RAW, <i32>vs, <i32>(pos() - vs), 0, <i32>pos(), <i32>start);
    }
    return;
  }
  if (b >= 0x20 && b < 0x7f) { // Application-header: Token-text Application-specific-value
    readText(FIELD_WSP_APP_HEADER);
    const nameOff = txtOff;
    const nameLen = txtLen;
    readText(FIELD_WSP_APP_HEADER);
    row(R_APP_HEADER, 0, 0, <i32>nameOff, <i32>nameLen, <i32>txtOff, <i32>txtLen, <i32>txtFlags);
    return;
  }
  // 0x7F and 0x01..0x1F are header code-page shifts (§8.4.2.70), never used by MMS or push.
  fail(b == 0 ? ERR_BAD_VALUE : ERR_UNSUPPORTED, <i32>start, field, <i32>b);
}

// Typed header rows carry d = where the value ends and e = where the header starts, so the
// TS face can also take the raw value (for headers it keeps uninterpreted in a given context).
function textRow(code: u32, start: u32): void {
  row(R_WSP_HEADER, <i32>code, K_TEXT, <i32>txtOff, <i32>txtLen, <i32>txtFlags, <i32>pos(), <i32>start);
}

function intRow(code: u32, start: u32, field: i32): void {
  readIntegerValue(field);
  row(R_WSP_HEADER, <i32>code, K_INT, <i32>intLo, <i32>intHi, <i32>intOctets, <i32>pos(), <i32>start);
}

/**
 * Content-disposition-value = Value-length Disposition *(Parameter), Disposition = Form-data
 * (0x80) | Attachment (0x81) | Inline (0x82) | Token-text. A bare token or text is accepted too.
 */
function decodeDisposition(code: u32, start: u32): void {
  const field = FIELD_WSP_CONTENT_DISPOSITION;
  const v = peek(ERR_TRUNCATED, field);
  if (v >= 0x80) {
    seek(pos() + 1);
    row(R_WSP_HEADER, <i32>code, K_DISPOSITION, 0, 0, 0, 0, <i32>v);
    return;
  }
  if (v >= 0x20) {
    readText(field);
    row(R_WSP_HEADER, <i32>code, K_DISPOSITION, <i32>txtOff, <i32>txtLen, <i32>txtFlags, 0, -1);
    return;
  }
  const n = readValueLength(field);
  const vEnd = pos() + n;
  const old = narrow(vEnd);
  const d = peek(ERR_TRUNCATED, field);
  let r: u32;
  if (d >= 0x80) {
    seek(pos() + 1);
    r = row(R_WSP_HEADER, <i32>code, K_DISPOSITION, 0, 0, 0, 0, <i32>d);
  } else if (d >= 0x20 && d < 0x7f) {
    readText(field);
    r = row(R_WSP_HEADER, <i32>code, K_DISPOSITION, <i32>txtOff, <i32>txtLen, <i32>txtFlags, 0, -1);
  } else {
    r = <u32>fail(ERR_BAD_VALUE, <i32>pos(), field, <i32>d);
  }
  rowSet(r, 6, <i32>decodeParams(vEnd, field));
  widen(old);
  seek(vEnd);
}

/** Writes the header of row i (R_WSP_HEADER or R_APP_HEADER); returns the next row. */
export function encodeWspHeader(i: u32): u32 {
  const tag = rowGet(i, 0);
  const a = <u32>rowGet(i, 3);
  const b = <u32>rowGet(i, 4);
  const c = <u32>rowGet(i, 5);
  if (tag == R_APP_HEADER) {
    writeToken(a, b);
    writeText(c, <u32>rowGet(i, 6));
    return i + 1;
  }
  if (tag != R_WSP_HEADER) fail(ERR_BAD_VALUE, <i32>i, FIELD_CODEC_TABLE, tag);
  put(0x80 | (<u32>rowGet(i, 1) & 0x7f));
  const kind = rowGet(i, 2);
  if (kind == K_TEXT) writeText(a, b);
  else if (kind == K_QUOTED) writeQuoted(a, b);
  else if (kind == K_INT) writeIntegerForm(a, b, c);
  else if (kind == K_OCTET) put(a);
  else if (kind == K_RAW) putFromInput(a, b);
  else if (kind == K_DISPOSITION) {
    const start = outLength();
    const token = rowGet(i, 7);
    if (token >= 0) put(0x80 | (<u32>token & 0x7f));
    else writeText(a, b);
    const next = encodeParams(i + 1, <u32>rowGet(i, 6));
    insertValueLength(start);
    return next;
  } else fail(ERR_BAD_VALUE, <i32>i, FIELD_CODEC_TABLE, kind);
  return i + 1;
}
