// WSP multipart bodies (WAP-230-WSP §8.5): decode into R_MULTIPART / R_PART rows, encode the
// framing (entry count, header and data lengths, content types, headers) from them. Part data
// never passes through here on encode: the TS face splices it in at the OUT offsets recorded
// in the R_PART rows.
//
//   Multipart = nEntries(Uintvar) *Entry
//   Entry     = HeadersLen(Uintvar) DataLen(Uintvar) ContentType Headers Data
import { fail, narrow, outLength, pos, row, rowGet, rowSet, seek, widen } from "../io";
import {
  ERR_BAD_VALUE, ERR_LIMIT, FIELD_CODEC_TABLE, FIELD_WSP_CONTENT_TYPE,
  FIELD_WSP_MULTIPART_COUNT, FIELD_WSP_NESTING, FIELD_WSP_PART_DATA_LENGTH,
  FIELD_WSP_PART_HEADER, FIELD_WSP_PART_HEADERS_LENGTH,
} from "../shared/codes";
import {
  DF_NESTED, MAX_DEPTH, MAX_PARTS, MAX_PART_HEADERS, NEST_MULTIPART, NEST_PDU, R_MULTIPART,
  R_PART,
} from "../shared/mms-table";
import { decodePdu } from "../mms/decode";
import { ctIsMms, ctIsMultipart, decodeContentType, encodeContentType, insertUintvar } from "./content-type";
import { decodeWspHeaders, encodeWspHeader } from "./headers";
import { failLength, readUintvar, writeUintvar } from "./primitives";

const M_MBOX_VIEW_CONF: u32 = 0x8e;

/** Parts decoded so far in this decode call (all levels): the MAX_PARTS budget. */
let partsTotal: u32 = 0;
export function resetPartBudget(): void { partsTotal = 0; }

/**
 * Decodes the multipart at the cursor, which ends at `until`. `pduType` is the message type
 * of the MMS PDU carrying it (0 outside MMS): the parts of an m-mbox-view-conf carry PDUs.
 */
export function decodeMultipart(until: u32, depth: u32, flags: u32, pduType: u32): void {
  const start = pos();
  if (depth > <u32>MAX_DEPTH) fail(ERR_LIMIT, <i32>start, FIELD_WSP_NESTING, MAX_DEPTH);
  const count = readUintvar(FIELD_WSP_MULTIPART_COUNT);
  if (count > <u32>MAX_PARTS - partsTotal) fail(ERR_LIMIT, <i32>start, FIELD_WSP_MULTIPART_COUNT, <i32>count);
  partsTotal += count;
  const mr = row(R_MULTIPART, <i32>count, 0, <i32>start, <i32>(until - start), <i32>depth, 0, 0);
  for (let i: u32 = 0; i < count; i++) {
    const hlAt = pos();
    const hl = readUintvar(FIELD_WSP_PART_HEADERS_LENGTH);
    const dlAt = pos();
    const dl = readUintvar(FIELD_WSP_PART_DATA_LENGTH);
    const hStart = pos();
    if (hl > until - hStart) {
      seek(hStart);
      failLength(hlAt, FIELD_WSP_PART_HEADERS_LENGTH, hl);
    }
    const hEnd = hStart + hl;
    if (dl > until - hEnd) {
      seek(hEnd);
      failLength(dlAt, FIELD_WSP_PART_DATA_LENGTH, dl);
    }
    const r = row(R_PART, 0, 0, <i32>hEnd, <i32>dl, 0, <i32>hStart, <i32>hl);
    const old = narrow(hEnd);
    decodeContentType(FIELD_WSP_CONTENT_TYPE);
    const multipart = ctIsMultipart();
    const mms = ctIsMms();
    const n = decodeWspHeaders(hEnd, MAX_PART_HEADERS, FIELD_WSP_PART_HEADER, FIELD_WSP_PART_HEADER);
    widen(old);
    rowSet(r, 1, <i32>n);
    const dEnd = hEnd + dl;
    seek(hEnd);
    if ((flags & DF_NESTED) != 0 && dl > 0 && (multipart || (mms && pduType == M_MBOX_VIEW_CONF))) {
      rowSet(r, 5, multipart ? NEST_MULTIPART : NEST_PDU);
      const o = narrow(dEnd);
      if (multipart) decodeMultipart(dEnd, depth + 1, flags, 0);
      else decodePdu(dEnd, depth + 1, flags);
      widen(o);
    }
    seek(dEnd);
  }
  // Octets after the last entry are ignored (seen in real PDUs); word d records where the
  // entries ended so the TS face can tell.
  rowSet(mr, 6, <i32>pos());
}

/** Encodes the multipart whose R_MULTIPART row is at index i; returns the row after it. */
export function encodeMultipart(i: u32): u32 {
  if (rowGet(i, 0) != R_MULTIPART) fail(ERR_BAD_VALUE, <i32>i, FIELD_CODEC_TABLE, rowGet(i, 0));
  const count = <u32>rowGet(i, 1);
  writeUintvar(count);
  let r = i + 1;
  for (let k: u32 = 0; k < count; k++) {
    if (rowGet(r, 0) != R_PART) fail(ERR_BAD_VALUE, <i32>r, FIELD_CODEC_TABLE, rowGet(r, 0));
    const partRow = r;
    const nHeaders = <u32>rowGet(r, 1);
    const dataLen = <u32>rowGet(r, 4);
    const start = outLength();
    r = encodeContentType(r + 1);
    for (let h: u32 = 0; h < nHeaders; h++) r = encodeWspHeader(r);
    const hl = outLength() - start;
    insertUintvar(start, dataLen);
    insertUintvar(start, hl);
    rowSet(partRow, 3, <i32>outLength()); // where the TS face splices the data in
  }
  return r;
}
