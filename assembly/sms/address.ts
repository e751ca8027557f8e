// Address fields (23.040 §9.1.2.5): TP-OA/DA/RA (length in semi-octets) and the SMSC address of
// the AT PDU-mode prefix (24.011 RP address: length in octets, TOA included).
//
// Digits are BCD semi-octets, low nibble first, with the extended digits of §9.1.2.3 (1010 '*',
// 1011 '#', 1100 'a', 1101 'b', 1110 'c') and 1111 as filler / end mark. TON 101 carries GSM
// 7-bit text packed into the semi-octets. Decoded addresses go to OUT as UTF-16 units.
import { at, pos, seek, end, fail, put, take, inBase } from "../io";
import {
  ERR_BAD_LENGTH, ERR_BAD_VALUE, ERR_NOT_REPRESENTABLE, ERR_TOO_LARGE, ERR_TRUNCATED, FIELD_SMS_ADDRESS,
} from "../shared/codes";
import { lockTable, shiftTable } from "./gsm-tables";
import { decodeSeptets, packBegin, packEnd, packSeptet, putUnit, unitsCount } from "./septets";
import { encodeUnit } from "./charset";

const TON_ALPHANUMERIC: u32 = 5;
const MAX_DIGITS: u32 = 20; // 10 octets of semi-octets
const MAX_SCA_LENGTH: u32 = 11; // TOA + 10 octets
const MAX_ALPHA_SEPTETS: u32 = 11; // 10 octets of packed septets

// Result of the last readAddress: row words.
export let addrPresent: i32 = 0;
export let addrToa: i32 = 0;
export let addrStart: i32 = 0;
export let addrUnits: i32 = 0;
export let addrOffset: i32 = 0;
export let addrLength: i32 = 0;

const DIGITS: usize = memory.data<u8>([
  0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x2a, 0x23, 0x61, 0x62, 0x63, 0,
]);

/** BCD digits from `nibbles` semi-octets starting at byte p; a filler nibble ends the number. */
function readDigits(p: u32, nibbles: u32): void {
  for (let i: u32 = 0; i < nibbles; i++) {
    const b = at(p + (i >> 1));
    const d = (i & 1) == 0 ? b & 0xf : b >> 4;
    if (d == 0xf) break;
    putUnit(<u32>load<u8>(DIGITS + d));
  }
}

/**
 * Reads an address field at the cursor. `sca` selects the SMSC form (length in octets, 0 = none).
 * Fills the addr* results and moves the cursor past the field.
 */
export function readAddress(field: i32, sca: bool): void {
  const off = pos();
  const len = take(ERR_TRUNCATED, field);
  addrOffset = <i32>off;
  addrLength = <i32>len;
  addrStart = <i32>unitsCount();
  addrUnits = 0;
  addrToa = 0;
  addrPresent = 0;
  if (sca) {
    if (len == 0) return;
    if (len > MAX_SCA_LENGTH) fail(ERR_BAD_LENGTH, <i32>off, field, <i32>len);
  } else if (len > MAX_DIGITS) {
    fail(ERR_BAD_LENGTH, <i32>off, field, <i32>len);
  }
  const toa = take(ERR_TRUNCATED, field);
  const octets = sca ? len - 1 : (len + 1) >> 1;
  const p = pos();
  if (octets > end() - p) fail(ERR_TRUNCATED, <i32>off, field, <i32>len);
  addrPresent = 1;
  addrToa = <i32>toa;
  if (((toa >> 4) & 7) == TON_ALPHANUMERIC) {
    // TP addresses count the semi-octets the septets use; the SMSC form counts whole octets
    const count = sca ? (octets << 3) / 7 : (len << 2) / 7;
    decodeSeptets(p, 0, count, lockTable(0), shiftTable(0));
  } else {
    readDigits(p, sca ? octets << 1 : len);
  }
  addrUnits = <i32>unitsCount() - addrStart;
  seek(p + octets);
}

function digitNibble(u: u32, index: u32): u32 {
  if (u >= 0x30 && u <= 0x39) return u - 0x30;
  if (u == 0x2a) return 0xa;
  if (u == 0x23) return 0xb;
  if (u == 0x61 || u == 0x41) return 0xc;
  if (u == 0x62 || u == 0x42) return 0xd;
  if (u == 0x63 || u == 0x43) return 0xe;
  fail(ERR_BAD_VALUE, <i32>index, FIELD_SMS_ADDRESS, <i32>u);
  return 0;
}

/**
 * Writes an address field to OUT from `count` UTF-16 units at byte offset `off` of IN: digits,
 * or GSM 7-bit text when the TOA's TON is alphanumeric. `present` false writes an empty SMSC
 * address (length 0). Offsets in errors are indexes into the address text.
 */
export function writeAddress(sca: bool, present: bool, toa: u32, off: u32, count: u32): void {
  if (!present) {
    if (!sca) fail(ERR_BAD_VALUE, -1, FIELD_SMS_ADDRESS);
    put(0);
    return;
  }
  const base = inBase() + <usize>off;
  if (((toa >> 4) & 7) == TON_ALPHANUMERIC) {
    let n: u32 = 0;
    for (let i: u32 = 0; i < count; i++) {
      const code = encodeUnit(<u32>load<u16>(base + (<usize>i << 1)), 0, 0);
      if (code < 0) fail(ERR_NOT_REPRESENTABLE, <i32>i, FIELD_SMS_ADDRESS);
      n += code >= 0x100 ? 2 : 1;
    }
    if (n > MAX_ALPHA_SEPTETS) fail(ERR_TOO_LARGE, -1, FIELD_SMS_ADDRESS, <i32>n);
    const octets = (n * 7 + 7) >> 3;
    put(sca ? octets + 1 : (n * 7 + 3) >> 2);
    put(toa);
    packBegin(0);
    for (let i: u32 = 0; i < count; i++) {
      const code = encodeUnit(<u32>load<u16>(base + (<usize>i << 1)), 0, 0);
      if (code >= 0x100) packSeptet(0x1b);
      packSeptet(<u32>code & 0x7f);
    }
    packEnd();
    return;
  }
  if (count > MAX_DIGITS) fail(ERR_TOO_LARGE, -1, FIELD_SMS_ADDRESS, <i32>count);
  put(sca ? ((count + 1) >> 1) + 1 : count);
  put(toa);
  for (let i: u32 = 0; i < count; i += 2) {
    const lo = digitNibble(<u32>load<u16>(base + (<usize>i << 1)), i);
    const hi = i + 1 < count ? digitNibble(<u32>load<u16>(base + (<usize>(i + 1) << 1)), i + 1) : 0xf;
    put(lo | (hi << 4));
  }
}
