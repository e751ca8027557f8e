// WSP entry points of the "mms" module: primitives (for their unit tests), push and
// standalone multipart decode. Each decode is one call that leaves its result as table rows.
import { begin, outReset, outLength, tableRows } from "../io";
import { decodeMultipart, resetPartBudget } from "./multipart";
import { decodePush } from "./push";
import { readUintvar, setInputLength, writeUintvar } from "./primitives";

/** Decodes one uintvar at the start of IN. */
export function wspUintvarDecode(len: u32): u32 {
  begin(len);
  return readUintvar();
}

/** Encodes v as a uintvar into OUT; returns its length. */
export function wspUintvarEncode(v: u32): u32 {
  outReset();
  writeUintvar(v);
  return outLength();
}

/** Decodes the WSP push PDU in IN[0, len); returns the number of table rows. */
export function wspPushDecode(len: u32, flags: u32): u32 {
  resetPartBudget();
  decodePush(len, flags);
  return tableRows();
}

/** Decodes the WSP multipart body in IN[0, len); returns the number of table rows. */
export function wspMultipartDecode(len: u32, flags: u32): u32 {
  begin(len);
  setInputLength(len);
  resetPartBudget();
  decodeMultipart(len, 1, flags, 0);
  return tableRows();
}
