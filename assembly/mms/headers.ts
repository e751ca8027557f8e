// MMS header fields (OMA-MMS-ENC §7.3, fact sheet §4): one static table gives each assigned
// number its value encoding; decodeMmsHeader() turns a field into an R_MMS_HEADER row (plus
// the CT / parameter rows of Content-Type and X-Mms-Element-Descriptor), encodeMmsHeader()
// writes one back. Unknown codes are skipped by the generic WSP first-octet rule and kept raw.
import { at, fail, narrow, outLength, peek, pos, put, putFromInput, row, rowGet, rowSet, seek, take, widen } from "../io";
import {
  ERR_BAD_VALUE, ERR_TRUNCATED, FIELD_CODEC_TABLE, FIELD_MMS_HEADER, FIELD_MMS_MESSAGE_TYPE,
} from "../shared/codes";
import {
  K_CT, K_ESTR, K_INT, K_OCTET, K_PARAMS_TEXT, K_RAW, K_TEXT, K_TOKEN, K_TOKEN_ESTR,
  K_TOKEN_INT, K_TOKEN_OCTET, K_TOKEN_TEXT, R_MMS_HEADER,
} from "../shared/mms-table";
import { decodeContentType, decodeParams, encodeContentType, encodeParams, insertValueLength } from "../wsp/content-type";
import {
  encodedStringSize, estrCharset, integerFormSize, integerValueSize, intHi, intLo, intOctets,
  readEncodedString, readInteger32, readIntegerValue, readText, readTextToEnd, readValueLength,
  skipValue, textSize, txtFlags, txtLen, txtOff, writeEncodedString, writeIntegerForm,
  writeIntegerValue, writeText, writeValueLength,
} from "../wsp/primitives";

// Value encodings of the header fields.
const C_UNKNOWN: u8 = 0;
const C_ESTR: u8 = 1; //      Encoded-string-value
const C_TEXT: u8 = 2; //      Text-string
const C_OCTET: u8 = 3; //     one token octet (Yes/No, Priority, statuses...)
const C_INT: u8 = 4; //       Long-integer / Integer-value (accepted in either form)
const C_TIME: u8 = 5; //      Value-length (Absolute 0x80 Date | Relative 0x81 Delta-seconds)
const C_FROM: u8 = 6; //      Value-length (Address-present 0x80 ESV | Insert-address 0x81)
const C_CT: u8 = 7; //        Content-type-value (last header; the body follows)
const C_TOKEN_OR_TEXT: u8 = 8; // Message-Class, MMS-Version: token octet or Token-text
const C_PREV_BY: u8 = 9; //   Value-length Forwarded-count ESV
const C_PREV_DATE: u8 = 10; // Value-length Forwarded-count Date-value
const C_FLAGS: u8 = 11; //    Value-length (Add | Remove | Filter) ESV
const C_TOTALS: u8 = 12; //   Value-length (Messages | Size) Integer-value
const C_ELEMDESC: u8 = 13; // Value-length Content-Reference *Parameter
const C_LOCATION: u8 = 14; // Text-string, or indexed: Value-length Status-count Text-string
const C_RSTATUS: u8 = 15; //  token, or indexed: Value-length Status-count token
const C_RTEXT: u8 = 16; //    ESV, or (delete-conf PDUs) indexed: Value-length Status-count ESV
const C_TYPE: u8 = 17; //     X-Mms-Message-Type (only allowed first)

// By assigned number 0x00..0x3F (fact sheet §4).
const HDR_CLASS = memory.data<u8>([
  // 0x00 -, Bcc, Cc, Content-Location, Content-Type, Date, Delivery-Report, Delivery-Time
  C_UNKNOWN, C_ESTR, C_ESTR, C_LOCATION, C_CT, C_INT, C_OCTET, C_TIME,
  // 0x08 Expiry, From, Message-Class, Message-ID, Message-Type, MMS-Version, Message-Size, Priority
  C_TIME, C_FROM, C_TOKEN_OR_TEXT, C_TEXT, C_TYPE, C_TOKEN_OR_TEXT, C_INT, C_OCTET,
  // 0x10 Read-Report, Report-Allowed, Response-Status, Response-Text, Sender-Visibility, Status, Subject, To
  C_OCTET, C_OCTET, C_RSTATUS, C_RTEXT, C_OCTET, C_OCTET, C_ESTR, C_ESTR,
  // 0x18 Transaction-Id, Retrieve-Status, Retrieve-Text, Read-Status, Reply-Charging, -Deadline, -ID, -Size
  C_TEXT, C_OCTET, C_ESTR, C_OCTET, C_OCTET, C_TIME, C_TEXT, C_INT,
  // 0x20 Previously-Sent-By, -Date, Store, MM-State, MM-Flags, Store-Status, Store-Status-Text, Stored
  C_PREV_BY, C_PREV_DATE, C_OCTET, C_OCTET, C_FLAGS, C_OCTET, C_ESTR, C_OCTET,
  // 0x28 Attributes, Totals, Mbox-Totals, Quotas, Mbox-Quotas, Message-Count, Content, Start
  C_OCTET, C_OCTET, C_TOTALS, C_OCTET, C_TOTALS, C_INT, C_UNKNOWN, C_INT,
  // 0x30 Additional-headers, Distribution-Indicator, Element-Descriptor, Limit,
  //      Recommended-Retrieval-Mode, -Text, Status-Text, Applic-ID
  C_UNKNOWN, C_OCTET, C_ELEMDESC, C_INT, C_OCTET, C_ESTR, C_ESTR, C_TEXT,
  // 0x38 Reply-Applic-ID, Aux-Applic-Info, Content-Class, DRM-Content, Adaptation-Allowed,
  //      Replace-ID, Cancel-ID, Cancel-Status
  C_TEXT, C_TEXT, C_OCTET, C_OCTET, C_OCTET, C_TEXT, C_TEXT, C_OCTET,
]);

const M_MBOX_DELETE_CONF: u32 = 0x92;
const M_DELETE_CONF: u32 = 0x95;

@inline function classOf(code: u32): u8 {
  return code < 64 ? load<u8>(HDR_CLASS + <usize>code) : C_UNKNOWN;
}

/**
 * Decodes the value of header `code` (the cursor is just after the field-name octet at `start`)
 * for a PDU of message type `mt`, writing its rows.
 */
export function decodeMmsHeader(code: u32, mt: u32, start: u32): void {
  const field = FIELD_MMS_HEADER + <i32>code;
  const cls = classOf(code);
  if (cls == C_ESTR) {
    readEncodedString(field);
    estrRow(code, K_ESTR, 0);
  } else if (cls == C_TEXT) {
    textValue(field);
    row(R_MMS_HEADER, <i32>code, K_TEXT, <i32>txtOff, <i32>txtLen, <i32>txtFlags, 0, <i32>start);
  } else if (cls == C_OCTET) {
    octetRow(code, field, 0, K_OCTET);
  } else if (cls == C_INT) {
    intValue(field);
    row(R_MMS_HEADER, <i32>code, K_INT, <i32>intLo, <i32>intHi, <i32>intOctets, 0, <i32>start);
  } else if (cls == C_TIME || cls == C_TOTALS) {
    const vEnd = openValue(field);
    const t = tokenIn(field, 0x81); // Absolute/Relative, Messages/Size
    intValue(field);
    closeValue(vEnd);
    row(R_MMS_HEADER, <i32>code, K_TOKEN_INT, <i32>intLo, <i32>intHi, <i32>intOctets, 0, <i32>t);
  } else if (cls == C_FROM) {
    decodeFrom(code, field);
  } else if (cls == C_CT) {
    row(R_MMS_HEADER, <i32>code, K_CT, 0, 0, 0, 0, <i32>start);
    decodeContentType(field);
  } else if (cls == C_TOKEN_OR_TEXT) {
    const b = peek(ERR_TRUNCATED, field);
    if (b >= 0x80) octetRow(code, field, 0, K_OCTET);
    else {
      textValue(field);
      row(R_MMS_HEADER, <i32>code, K_TEXT, <i32>txtOff, <i32>txtLen, <i32>txtFlags, 0, <i32>start);
    }
  } else if (cls == C_PREV_BY) {
    const vEnd = openValue(field);
    const count = readInteger32(field);
    readEncodedString(field);
    closeValue(vEnd);
    estrRow(code, K_TOKEN_ESTR, count);
  } else if (cls == C_PREV_DATE) {
    const vEnd = openValue(field);
    const count = readInteger32(field);
    intValue(field);
    closeValue(vEnd);
    row(R_MMS_HEADER, <i32>code, K_TOKEN_INT, <i32>intLo, <i32>intHi, <i32>intOctets, 0, <i32>count);
  } else if (cls == C_FLAGS) {
    const vEnd = openValue(field);
    const t = tokenIn(field, 0x82);
    readEncodedString(field);
    closeValue(vEnd);
    estrRow(code, K_TOKEN_ESTR, t);
  } else if (cls == C_ELEMDESC) {
    const vEnd = openValue(field);
    readText(field);
    const r = row(R_MMS_HEADER, <i32>code, K_PARAMS_TEXT, <i32>txtOff, <i32>txtLen, <i32>txtFlags, 0, <i32>start);
    rowSet(r, 6, <i32>decodeParams(vEnd, field));
    closeValue(vEnd);
  } else if (cls == C_LOCATION) {
    const b = peek(ERR_TRUNCATED, field);
    if (b >= 1 && b <= 31) { // indexed (m-mbox-delete-conf, m-delete-conf)
      const vEnd = openValue(field);
      const count = readInteger32(field);
      readTextToEnd();
      closeValue(vEnd);
      row(R_MMS_HEADER, <i32>code, K_TOKEN_TEXT, <i32>txtOff, <i32>txtLen, <i32>txtFlags, 0, <i32>count);
    } else {
      textValue(field);
      row(R_MMS_HEADER, <i32>code, K_TEXT, <i32>txtOff, <i32>txtLen, <i32>txtFlags, 0, <i32>start);
    }
  } else if (cls == C_RSTATUS) {
    const b = peek(ERR_TRUNCATED, field);
    if (b >= 1 && b <= 31) {
      const vEnd = openValue(field);
      const count = readInteger32(field);
      octetRow(code, field, count, K_TOKEN_OCTET);
      closeValue(vEnd);
    } else {
      octetRow(code, field, 0, K_OCTET);
    }
  } else if (cls == C_RTEXT) {
    const b = peek(ERR_TRUNCATED, field);
    if ((mt == M_MBOX_DELETE_CONF || mt == M_DELETE_CONF) && b >= 1 && b <= 31) {
      const vEnd = openValue(field);
      const count = readInteger32(field);
      readEncodedString(field);
      closeValue(vEnd);
      estrRow(code, K_TOKEN_ESTR, count);
    } else {
      readEncodedString(field);
      estrRow(code, K_ESTR, 0);
    }
  } else if (cls == C_TYPE) {
    fail(ERR_BAD_VALUE, <i32>start, FIELD_MMS_MESSAGE_TYPE, <i32>at(start));
  } else {
    const v = skipValue(field);
    row(R_MMS_HEADER, <i32>code, K_RAW, <i32>v, <i32>(pos() - v), 0, 0, <i32>start);
  }
}

function estrRow(code: u32, kind: i32, e: u32): void {
  row(R_MMS_HEADER, <i32>code, kind, <i32>txtOff, <i32>txtLen, <i32>txtFlags, estrCharset, <i32>e);
}

/** A token octet (>= 0x80) as the whole value, or after a Status-count (indexed forms). */
function octetRow(code: u32, field: i32, e: u32, kind: i32): void {
  const at0 = pos();
  const b = take(ERR_TRUNCATED, field);
  if (b < 0x80) fail(ERR_BAD_VALUE, <i32>at0, field, <i32>b);
  row(R_MMS_HEADER, <i32>code, kind, <i32>b, 0, 0, 0, <i32>e);
}

/** Text-string header value: never a Short-integer or a Value-length. */
function textValue(field: i32): void {
  const b = peek(ERR_TRUNCATED, field);
  if (b >= 0x80 || (b >= 1 && b < 0x20)) fail(ERR_BAD_VALUE, <i32>pos(), field, <i32>b);
  readText(field);
}

/** Integer header value: Long-integer or Short-integer (encoders use both). */
function intValue(field: i32): void {
  const b = peek(ERR_TRUNCATED, field);
  if (b > 30 && b < 0x80) fail(ERR_BAD_VALUE, <i32>pos(), field, <i32>b);
  readIntegerValue(field);
}

/** A token octet in 0x80..max inside a composite value; returns its number (octet & 0x7F). */
function tokenIn(field: i32, max: u32): u32 {
  const at0 = pos();
  const t = take(ERR_TRUNCATED, field);
  if (t < 0x80 || t > max) fail(ERR_BAD_VALUE, <i32>at0, field, <i32>t);
  return t & 0x7f;
}

// A Value-length-delimited value: reads the length and narrows the cursor to it. Not
// re-entrant (no header value nests one inside another).
let savedEnd: u32 = 0;
function openValue(field: i32): u32 {
  const n = readValueLength(field);
  const vEnd = pos() + n;
  savedEnd = narrow(vEnd);
  return vEnd;
}
/** Leaves the value (ignoring octets its reader did not need) and restores the outer range. */
function closeValue(vEnd: u32): void {
  widen(savedEnd);
  seek(vEnd);
}

/**
 * From-value = Value-length (Address-present-token Encoded-string-value | Insert-address-token).
 * A bare Encoded-string-value (no length, no token) is accepted as an address.
 */
function decodeFrom(code: u32, field: i32): void {
  const b = peek(ERR_TRUNCATED, field);
  if (b >= 0x20) {
    readEncodedString(field);
    estrRow(code, K_TOKEN_ESTR, 0);
    return;
  }
  const vEnd = openValue(field);
  const t = tokenIn(field, 0x81);
  if (t == 1) {
    closeValue(vEnd);
    row(R_MMS_HEADER, <i32>code, K_TOKEN, 0, 0, 0, 0, 1);
    return;
  }
  if (pos() < vEnd) readEncodedString(field);
  else { // Address-present with nothing after it: an empty address
    txtOff = pos();
    txtLen = 0;
    txtFlags = 0;
    estrCharset = -1;
  }
  closeValue(vEnd);
  estrRow(code, K_TOKEN_ESTR, 0);
}

// ---------------------------------------------------------------------------------------
// Encode

/** Writes the R_MMS_HEADER at row i; returns the next row. */
export function encodeMmsHeader(i: u32): u32 {
  const code = <u32>rowGet(i, 1);
  const kind = rowGet(i, 2);
  const a = <u32>rowGet(i, 3);
  const b = <u32>rowGet(i, 4);
  const c = <u32>rowGet(i, 5);
  const d = rowGet(i, 6);
  const e = <u32>rowGet(i, 7);
  put(0x80 | (code & 0x7f));
  if (kind == K_TEXT) writeText(a, b);
  else if (kind == K_ESTR) writeEncodedString(a, b, d);
  else if (kind == K_OCTET) put(a);
  else if (kind == K_INT) writeIntegerForm(a, b, c);
  else if (kind == K_TOKEN) {
    writeValueLength(integerValueSize(e, 0));
    writeIntegerValue(e, 0);
  } else if (kind == K_TOKEN_INT) {
    writeValueLength(integerValueSize(e, 0) + integerFormSize(a, b, c));
    writeIntegerValue(e, 0);
    writeIntegerForm(a, b, c);
  } else if (kind == K_TOKEN_ESTR) {
    writeValueLength(integerValueSize(e, 0) + encodedStringSize(a, b, d));
    writeIntegerValue(e, 0);
    writeEncodedString(a, b, d);
  } else if (kind == K_TOKEN_TEXT) {
    writeValueLength(integerValueSize(e, 0) + textSize(a, b));
    writeIntegerValue(e, 0);
    writeText(a, b);
  } else if (kind == K_TOKEN_OCTET) {
    writeValueLength(integerValueSize(e, 0) + 1);
    writeIntegerValue(e, 0);
    put(a);
  } else if (kind == K_RAW) putFromInput(a, b);
  else if (kind == K_CT) return encodeContentType(i + 1);
  else if (kind == K_PARAMS_TEXT) {
    const start = outLength();
    writeText(a, b);
    const next = encodeParams(i + 1, <u32>d);
    insertValueLength(start);
    return next;
  } else fail(ERR_BAD_VALUE, <i32>i, FIELD_CODEC_TABLE, kind);
  return i + 1;
}
