// WSP primitive value readers (WAP-230-WSP §8.1.2, §8.4.2.1). All reads go through the
// bounds-checked cursor of ../io; a malformed value fails with the caller's field id.
import { take, peek, pos, fail, put } from "../io";
import { ERR_BAD_VALUE, ERR_TRUNCATED, FIELD_WSP_UINTVAR } from "../shared/codes";

/** Uintvar: 7 bits per octet, MSB first, at most 5 octets (32 bits). */
export function readUintvar(field: i32 = FIELD_WSP_UINTVAR): u32 {
  const start = pos();
  let v: u32 = 0;
  for (let i = 0; i < 5; i++) {
    const b = take(ERR_TRUNCATED, field);
    if (i == 4 && (v >>> 25) != 0) fail(ERR_BAD_VALUE, <i32>start, field);
    v = (v << 7) | (b & 0x7f);
    if ((b & 0x80) == 0) return v;
  }
  return <u32>fail(ERR_BAD_VALUE, <i32>start, field);
}

/** Writes a Uintvar to OUT. */
export function writeUintvar(v: u32): void {
  let shift: i32 = 28;
  while (shift > 0 && ((v >>> <u32>shift) & 0x7f) == 0) shift -= 7;
  while (shift > 0) {
    put(((v >>> <u32>shift) & 0x7f) | 0x80);
    shift -= 7;
  }
  put(v & 0x7f);
}

/** Next octet without consuming it. */
export function peekOctet(field: i32): u32 {
  return peek(ERR_TRUNCATED, field);
}
