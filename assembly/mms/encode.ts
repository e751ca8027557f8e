// Encode: one call turns an encode table (rows of the shape the decoders write, strings as
// ranges of IN already in their charset) into wire bytes in OUT - MMS header blocks, WSP push
// headers, multipart framing. Part and body data never come here: R_PART / R_BODY rows get
// the OUT offset where the TS face splices the data in.
import { fail, outLength, outReset, rowGet, rowSet } from "../io";
import { ERR_BAD_VALUE, FIELD_CODEC_TABLE } from "../shared/codes";
import {
  R_APP_HEADER, R_BODY, R_MMS_HEADER, R_MULTIPART, R_PDU, R_PDU_END, R_PUSH,
} from "../shared/mms-table";
import { encodeMultipart } from "../wsp/multipart";
import { encodePush } from "../wsp/push";
import { writeText, writeToken } from "../wsp/primitives";
import { encodeMmsHeader } from "./headers";

/** Encodes table rows [0, n) into OUT; returns the OUT length. */
export function codecEncode(n: u32): u32 {
  outReset();
  let i: u32 = 0;
  while (i < n) {
    const tag = rowGet(i, 0);
    if (tag == R_MMS_HEADER) i = encodeMmsHeader(i);
    else if (tag == R_APP_HEADER) {
      writeToken(<u32>rowGet(i, 3), <u32>rowGet(i, 4));
      writeText(<u32>rowGet(i, 5), <u32>rowGet(i, 6));
      i++;
    } else if (tag == R_MULTIPART) i = encodeMultipart(i);
    else if (tag == R_PUSH) i = encodePush(i);
    else if (tag == R_BODY) {
      rowSet(i, 3, <i32>outLength());
      i++;
    } else if (tag == R_PDU || tag == R_PDU_END) i++;
    else fail(ERR_BAD_VALUE, <i32>i, FIELD_CODEC_TABLE, tag);
  }
  return outLength();
}
