// The WSP Push PDU (WAP-230-WSP §8.2.4.1), connectionless (TID first) or connection-oriented:
//
//   [TID] PDU-type(0x06 Push | 0x07 ConfirmedPush) HeadersLen(Uintvar) ContentType Headers Data
//
// Headers-Length repair: a real operator notification (gammu issue #298, corpus
// push/gammu-issue298-bad-wsp-headers-length.wsp) declares 2 octets more than its content type
// and headers occupy, so the MMS PDU appears to start 2 octets late. Android (WapPushOverSms)
// and mmsd (push.c) trust the length and then fail to parse the notification (it no longer
// starts with X-Mms-Message-Type) - the user never gets the MMS; gammu scans the body octet by
// octet and recovers its fields. We recover too, but only when it is unambiguous: the content
// type is application/vnd.wap.mms-message, the declared body does not start with 0x8C (every
// MMS PDU does), and a header boundary inside the declared header block starts with
// 0x8C <message type 0x80..0x97>. The body then starts there; R_PUSH reports both lengths.
import { at, begin, fail, narrow, pos, put, row, rowGet, rowSet, seek, take, widen, outLength } from "../io";
import {
  ERR_BAD_TYPE, ERR_BAD_VALUE, ERR_LIMIT, ERR_TRUNCATED, FIELD_CODEC_TABLE,
  FIELD_WSP_CONTENT_TYPE, FIELD_WSP_HEADER, FIELD_WSP_HEADERS_LENGTH, FIELD_WSP_PDU_TYPE,
  FIELD_WSP_PUSH_HEADERS, FIELD_WSP_PUSH_TID,
} from "../shared/codes";
import { DF_NO_TID, MAX_PUSH_HEADERS, R_PUSH } from "../shared/mms-table";
import { ctIsMms, decodeContentType, encodeContentType, insertUintvar } from "./content-type";
import { decodeWspHeader, encodeWspHeader } from "./headers";
import { failLength, readUintvar, setInputLength } from "./primitives";

/** Decodes the push PDU in IN[0, len) into table rows. */
export function decodePush(len: u32, flags: u32): void {
  begin(len);
  setInputLength(len);
  let tid: i32 = -1;
  if ((flags & DF_NO_TID) == 0) tid = <i32>take(ERR_TRUNCATED, FIELD_WSP_PUSH_TID);
  const typeAt = pos();
  const type = take(ERR_TRUNCATED, FIELD_WSP_PDU_TYPE);
  if (type != 0x06 && type != 0x07) fail(ERR_BAD_TYPE, <i32>typeAt, FIELD_WSP_PDU_TYPE, <i32>type);
  const hlAt = pos();
  const hl = readUintvar(FIELD_WSP_HEADERS_LENGTH);
  const hStart = pos();
  if (hl > len - hStart) failLength(hlAt, FIELD_WSP_HEADERS_LENGTH, hl);
  let hEnd = hStart + hl;
  const r = row(R_PUSH, tid, 0, <i32>type, <i32>hl, <i32>hl, <i32>hEnd, 0);
  const old = narrow(hEnd);
  decodeContentType(FIELD_WSP_CONTENT_TYPE);
  const repairable = ctIsMms() && (hEnd >= len || at(hEnd) != 0x8c);
  let count: u32 = 0;
  while (pos() < hEnd) {
    const p = pos();
    if (repairable && at(p) == 0x8c && p + 1 < len && at(p + 1) >= 0x80 && at(p + 1) <= 0x97) {
      hEnd = p;
      break;
    }
    if (count == MAX_PUSH_HEADERS) fail(ERR_LIMIT, <i32>p, FIELD_WSP_PUSH_HEADERS, MAX_PUSH_HEADERS);
    decodeWspHeader(FIELD_WSP_HEADER);
    count++;
  }
  widen(old);
  seek(hEnd);
  rowSet(r, 5, <i32>(hEnd - hStart));
  rowSet(r, 6, <i32>hEnd);
  rowSet(r, 7, <i32>count);
}

/**
 * Encodes the push whose R_PUSH row is at index i (followed by its CT and header rows):
 * TID, type, Headers-Length, content type and headers. The TS face appends the body.
 */
export function encodePush(i: u32): u32 {
  if (rowGet(i, 0) != R_PUSH) fail(ERR_BAD_VALUE, <i32>i, FIELD_CODEC_TABLE, rowGet(i, 0));
  const tid = rowGet(i, 1);
  if (tid >= 0) put(<u32>tid & 0xff);
  put(<u32>rowGet(i, 3) & 0xff);
  const start = outLength();
  let r = encodeContentType(i + 1);
  const n = <u32>rowGet(i, 7);
  for (let k: u32 = 0; k < n; k++) r = encodeWspHeader(r);
  insertUintvar(start, outLength() - start);
  return r;
}
