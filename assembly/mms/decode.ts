// MMS PDU decode: one call walks the header fields, the content type and the body (multipart
// entries, nested multiparts, PDUs carried in m-mbox-upload-req / m-mbox-view-conf bodies)
// and leaves the result as table rows (grammar in ../shared/mms-table.ts).
import { at, begin, fail, peek, pos, row, rowSet, seek, tableRows, tableTruncate, take } from "../io";
import {
  ERR_BAD_TYPE, ERR_BAD_VALUE, ERR_LIMIT, ERR_MISSING, ERR_TRUNCATED, FIELD_MMS_APP_HEADER,
  FIELD_MMS_HEADER, FIELD_MMS_HEADER_COUNT, FIELD_MMS_MESSAGE_TYPE, FIELD_MMS_RECIPIENTS,
  FIELD_WSP_NESTING,
} from "../shared/codes";
import {
  DF_HEADERS_ONLY, DF_LEADING, DF_NESTED, K_OCTET, MAX_DEPTH, MAX_MMS_HEADERS, MAX_RECIPIENTS, NEST_NONE, NEST_PDU,
  R_APP_HEADER, R_BODY, R_MMS_HEADER, R_PDU, R_PDU_END,
} from "../shared/mms-table";
import { ctIsMms, ctIsMultipart } from "../wsp/content-type";
import { decodeMultipart, resetPartBudget } from "../wsp/multipart";
import { readText, setInputLength, txtFlags, txtLen, txtOff } from "../wsp/primitives";
import { decodeMmsHeader } from "./headers";

const M_MBOX_UPLOAD_REQ: u32 = 0x8f;

/** Decodes the MMS PDU in IN[0, len); returns the number of table rows. */
export function mmsDecode(len: u32, flags: u32): u32 {
  begin(len);
  setInputLength(len);
  resetPartBudget();
  decodePdu(len, 0, flags);
  return tableRows();
}

/** To + Cc + Bcc seen in the PDU being decoded (saved and restored around nested PDUs). */
let recipients: u32 = 0;

/** Decodes the PDU at the cursor, ending at `until`, at nesting depth `depth`. */
export function decodePdu(until: u32, depth: u32, flags: u32): void {
  const start = pos();
  if (depth > <u32>MAX_DEPTH) fail(ERR_LIMIT, <i32>start, FIELD_WSP_NESTING, MAX_DEPTH);
  const outerRecipients = recipients;
  recipients = 0;
  const pr = row(R_PDU, 0, 0, <i32>start, <i32>(until - start), <i32>depth, 0, 0);

  // X-Mms-Message-Type must come first; anything else is not an MMS PDU.
  const b0 = peek(ERR_TRUNCATED, FIELD_MMS_MESSAGE_TYPE);
  if (b0 != 0x8c) fail(ERR_MISSING, <i32>start, FIELD_MMS_MESSAGE_TYPE, <i32>b0);
  seek(start + 1);
  const mt = take(ERR_TRUNCATED, FIELD_MMS_MESSAGE_TYPE);
  if (mt < 0x80 || mt > 0x97) fail(ERR_BAD_TYPE, <i32>(start + 1), FIELD_MMS_MESSAGE_TYPE, <i32>mt);
  rowSet(pr, 1, <i32>mt);
  row(R_MMS_HEADER, 0x0c, K_OCTET, <i32>mt, 0, 0, 0, <i32>start);

  let headers: u32 = 1;
  let version = false;
  let tid = false;
  let contentType = false;
  const leading = (flags & DF_LEADING) != 0;
  while (pos() < until) {
    if (leading && tid && version) break;
    const h = pos();
    const b = at(h);
    if (b < 0x20 && onlyControlOctets(h, until)) { // trailing padding: NULs (Nokia C6), a
      seek(until); //                                  newline (two Czech operators' notifications)
      break;
    }
    if (!leading && headers == MAX_MMS_HEADERS) fail(ERR_LIMIT, <i32>h, FIELD_MMS_HEADER_COUNT, MAX_MMS_HEADERS);
    headers++;
    const rows = tableRows();
    if (b >= 0x80) {
      seek(h + 1);
      const code = b & 0x7f;
      if (code == 0x0d) version = true;
      else if (code == 0x18) tid = true;
      else if (!leading && (code == 0x01 || code == 0x02 || code == 0x17)) {
        if (recipients == MAX_RECIPIENTS) fail(ERR_LIMIT, <i32>h, FIELD_MMS_RECIPIENTS, MAX_RECIPIENTS);
        recipients++;
      }
      decodeMmsHeader(code, mt, h);
      if (leading && code != 0x0d && code != 0x18) tableTruncate(rows); // walked over, not kept
      if (code == 0x04) { // Content-Type is the last header: the body follows
        contentType = true;
        break;
      }
    } else if (b >= 0x20 && b < 0x7f) { // Application-header: Token-text Text-string
      readText(FIELD_MMS_APP_HEADER);
      const nameOff = txtOff;
      const nameLen = txtLen;
      readText(FIELD_MMS_APP_HEADER);
      if (!leading) row(R_APP_HEADER, 0, 0, <i32>nameOff, <i32>nameLen, <i32>txtOff, <i32>txtLen, <i32>txtFlags);
    } else {
      fail(ERR_BAD_VALUE, <i32>h, FIELD_MMS_HEADER_COUNT, <i32>b);
    }
  }
  if (!version && !leading) fail(ERR_MISSING, <i32>pos(), FIELD_MMS_HEADER + 0x0d);

  if (contentType && (flags & (DF_HEADERS_ONLY | DF_LEADING)) == 0) {
    const bodyStart = pos();
    const bodyLen = until - bodyStart;
    if (ctIsMultipart()) {
      if (bodyLen > 0) decodeMultipart(until, depth + 1, flags, mt);
    } else if (bodyLen > 0) {
      const nest = (flags & DF_NESTED) != 0 && mt == M_MBOX_UPLOAD_REQ && ctIsMms();
      row(R_BODY, 0, 0, <i32>bodyStart, <i32>bodyLen, nest ? NEST_PDU : NEST_NONE, 0, 0);
      if (nest) decodePdu(until, depth + 1, flags);
    }
  }
  seek(until);
  row(R_PDU_END, 0, 0, 0, 0, 0, 0, 0);
  recipients = outerRecipients;
}

/** Are IN[from, until) all control octets (0x00-0x1F)? Such a tail cannot hold a header. */
function onlyControlOctets(from: u32, until: u32): bool {
  for (let p = from; p < until; p++) if (at(p) >= 0x20) return false;
  return true;
}
