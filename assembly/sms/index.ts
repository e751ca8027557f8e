// WASM module "sms": SMS TPDUs (3GPP TS 23.040), GSM 7-bit / UCS-2 text (23.038), UDH.
// One call per PDU: smsDecode and smsEncode. The other entry points serve segmentation (text
// cost per character) and the field-level codecs the TypeScript face exposes.
export {
  reserve, inputPtr, inputCap, tablePtr, tableCap, outputPtr, outputCap, tableRows, outLength,
} from "../io";
import { begin, fail, outLength, outReset, pos, row, rowGet } from "../io";
import { ERR_TRUNCATED, FIELD_SMS_ADDRESS, FIELD_SMS_SCA, FIELD_SMS_SCTS, FIELD_SMS_UD } from "../shared/codes";
import { SMS_REQ_SCA, SMS_REQ_TS1 } from "../shared/sms-layout";
import { addrLength, addrOffset, addrPresent, addrStart, addrToa, addrUnits, readAddress, writeAddress } from "./address";
import { dcsInfo } from "./dcs";
import { decode } from "./decode";
import { encode } from "./encode";
import { lockTable, shiftTable } from "./gsm-tables";
import { decodeSeptets, packBegin, packEnd, packText, textCost, unitsCount, unitsReset } from "./septets";
import { readTimestamp, setLenientDigits, tsDay, tsHour, tsMinute, tsMonth, tsSecond, tsYear, tsZone, writeTimestamp } from "./timestamp";

/** Decodes the `len`-byte PDU in IN; returns the number of result rows. */
export function smsDecode(len: u32, flags: u32): u32 {
  return decode(len, flags);
}

/** Encodes the request in TAB/IN into OUT; returns the PDU length. */
export function smsEncode(): u32 {
  outReset();
  return encode();
}

/** The DCS as a receiver reads it (packed, see SMS_DCS_* in shared/sms-layout.ts). */
export function smsDcsInfo(dcs: u32): u32 {
  return dcsInfo(dcs);
}

/**
 * Septet cost of each of `units` UTF-16 units in IN with the given tables, one octet per unit in
 * OUT; returns the total, or -1 - index of the first unit the tables cannot represent.
 */
export function smsTextCost(units: u32, lock: u32, shift: u32): i32 {
  return textCost(0, units, lock, shift);
}

/** Packs `units` UTF-16 units of IN as septets after `fill` zero bits; returns the septet count. */
export function smsGsm7Pack(units: u32, fill: u32, lock: u32, shift: u32): u32 {
  outReset();
  packBegin(fill);
  packText(0, units, lock, shift);
  return packEnd();
}

/** Unpacks `count` septets after `fill` bits of the `len` octets in IN to text in OUT; returns the units. */
export function smsGsm7Unpack(len: u32, count: u32, fill: u32, lock: u32, shift: u32): u32 {
  begin(len);
  unitsReset();
  if ((<u64>fill + <u64>count * 7 + 7) >> 3 > <u64>len) fail(ERR_TRUNCATED, <i32>len, FIELD_SMS_UD, <i32>count);
  decodeSeptets(0, fill, count, lockTable(lock), shiftTable(shift));
  return unitsCount();
}

/** Decodes one address field at the start of IN (SMSC form when `sca`); returns the octets read. */
export function smsDecodeAddress(len: u32, sca: u32): u32 {
  begin(len);
  unitsReset();
  readAddress(sca != 0 ? FIELD_SMS_SCA : FIELD_SMS_ADDRESS, sca != 0);
  row(addrPresent, addrToa, addrStart, addrUnits, addrOffset, addrLength, 0, 0);
  return pos();
}

/** Encodes the address of request row SMS_REQ_SCA (SMSC form when `sca`); returns its length. */
export function smsEncodeAddress(sca: u32): u32 {
  outReset();
  writeAddress(sca != 0, rowGet(SMS_REQ_SCA, 0) != 0, <u32>rowGet(SMS_REQ_SCA, 1) & 0xff,
    <u32>rowGet(SMS_REQ_SCA, 2), <u32>rowGet(SMS_REQ_SCA, 3));
  return outLength();
}

/** Decodes a 7-octet time stamp at the start of IN into one row. */
export function smsDecodeTimestamp(len: u32, lenient: u32): u32 {
  begin(len);
  setLenientDigits(lenient != 0);
  readTimestamp(0, FIELD_SMS_SCTS);
  row(1, tsYear, tsMonth, tsDay, tsHour, tsMinute, tsSecond, tsZone);
  return 1;
}

/** Encodes the time stamp of request row SMS_REQ_TS1; returns 7. */
export function smsEncodeTimestamp(): u32 {
  outReset();
  writeTimestamp(rowGet(SMS_REQ_TS1, 1), rowGet(SMS_REQ_TS1, 2), rowGet(SMS_REQ_TS1, 3), rowGet(SMS_REQ_TS1, 4),
    rowGet(SMS_REQ_TS1, 5), rowGet(SMS_REQ_TS1, 6), rowGet(SMS_REQ_TS1, 7), FIELD_SMS_SCTS);
  return outLength();
}
