// TPDU decoder (3GPP TS 23.040 §9.2.2): one call per PDU, results as table rows (layout in
// shared/sms-layout.ts), text and addresses as UTF-16 units in OUT. Every read is bounds-checked
// by the io cursor; every loop advances it or is bounded by the input, so no input can hang it.
import { at, begin, end, fail, peek, pos, row, rowWrite, seek, skip, tableRows, take } from "../io";
import {
  ERR_BAD_LENGTH, ERR_BAD_TYPE, ERR_TRUNCATED, FIELD_SMS_CD, FIELD_SMS_CT, FIELD_SMS_DA, FIELD_SMS_DCS,
  FIELD_SMS_DT, FIELD_SMS_FCS, FIELD_SMS_FIRST_OCTET, FIELD_SMS_MN, FIELD_SMS_MR, FIELD_SMS_OA,
  FIELD_SMS_PI, FIELD_SMS_PID, FIELD_SMS_RA, FIELD_SMS_SCA, FIELD_SMS_SCTS, FIELD_SMS_ST, FIELD_SMS_UDH,
  FIELD_SMS_UDL, FIELD_SMS_VP,
} from "../shared/codes";
import {
  SMS_ALPHA_8BIT, SMS_ALPHA_GSM7, SMS_ALPHA_UCS2, SMS_COMMAND, SMS_DELIVER, SMS_DELIVER_REPORT,
  SMS_F_LENIENT, SMS_F_MO, SMS_F_REPORT_ACK, SMS_F_REPORT_ERROR, SMS_F_SCA, SMS_FIXED_ROWS,
  SMS_IE_CONCAT, SMS_IE_LOCKING, SMS_IE_PORTS, SMS_IE_RAW, SMS_IE_SINGLE, SMS_MSG_RP_ERROR, SMS_ROW_ADDR,
  SMS_ROW_MISC, SMS_ROW_MSG, SMS_ROW_SCA, SMS_ROW_TS1, SMS_ROW_TS2, SMS_ROW_UD, SMS_STATUS_REPORT,
  SMS_SUBMIT, SMS_SUBMIT_REPORT, SMS_UD_CLAMPED, SMS_UD_LONE_SURROGATE, SMS_UD_UDHI_EMPTY,
} from "../shared/sms-layout";
import { addrLength, addrOffset, addrPresent, addrStart, addrToa, addrUnits, readAddress } from "./address";
import { dcsAlphabet, dcsCompressed, dcsInfo } from "./dcs";
import { LANGUAGES, lockTable, shiftTable } from "./gsm-tables";
import { decodeSeptets, putUnit, unitsCount, unitsReset } from "./septets";
import { readTimestamp, setLenientDigits, tsDay, tsHour, tsMinute, tsMonth, tsSecond, tsYear, tsZone } from "./timestamp";

const MAX_SEPTETS: u32 = 160; // 140 octets of user data
const MAX_OCTETS: u32 = 140;
const MAX_COMMAND_DATA: u32 = 157; // TP-CD: 164 octets of TPDU less the 7 before it (at least)

function addressRow(i: u32): void {
  rowWrite(i, addrPresent, addrToa, addrStart, addrUnits, addrOffset, addrLength, 0, 0);
}

function timestampAt(i: u32, field: i32): void {
  const p = pos();
  readTimestamp(p, field);
  seek(p + 7);
  rowWrite(i, 1, tsYear, tsMonth, tsDay, tsHour, tsMinute, tsSecond, tsZone);
}

let mr: i32 = -1;
let pid: i32 = -1;
let dcs: i32 = -1;
let fcs: i32 = -1;
let msgFlags: i32 = 0;

// Shift tables in force for the text: defaults from the caller, then the UDH's choice.
let lockLang: u32 = 0;
let shiftLang: u32 = 0;

/** Parses the information elements in [p, e) into IE rows (23.040 §9.2.3.24). */
function readElements(p: u32, e: u32): void {
  while (p < e) {
    if (e - p < 2) fail(ERR_BAD_LENGTH, <i32>p, FIELD_SMS_UDH, <i32>(e - p));
    const iei = at(p);
    const len = at(p + 1);
    if (len > e - p - 2) fail(ERR_BAD_LENGTH, <i32>p, FIELD_SMS_UDH, <i32>iei);
    const d = p + 2;
    let kind = SMS_IE_RAW;
    let a: u32 = 0, b: u32 = 0, c: u32 = 0, w: u32 = 0;
    // An IE whose values are invalid is ignored (kept raw), as §9.2.3.24.1 tells receivers to.
    if ((iei == 0x00 && len == 3) || (iei == 0x08 && len == 4)) {
      const wide = iei == 0x08;
      a = wide ? (at(d) << 8) | at(d + 1) : at(d);
      b = at(d + len - 2);
      c = at(d + len - 1);
      w = wide ? 16 : 8;
      if (b != 0 && c != 0 && c <= b) kind = SMS_IE_CONCAT;
    } else if (iei == 0x04 && len == 2) {
      kind = SMS_IE_PORTS;
      a = at(d);
      b = at(d + 1);
      c = 8;
    } else if (iei == 0x05 && len == 4) {
      kind = SMS_IE_PORTS;
      a = (at(d) << 8) | at(d + 1);
      b = (at(d + 2) << 8) | at(d + 3);
      c = 16;
    } else if ((iei == 0x24 || iei == 0x25) && len == 1) {
      a = at(d);
      const lang = a < LANGUAGES ? a : 0; // reserved identifiers: default table
      if (iei == 0x24) {
        kind = SMS_IE_SINGLE;
        shiftLang = lang;
      } else {
        kind = SMS_IE_LOCKING;
        lockLang = lang;
      }
    }
    row(<i32>iei, <i32>d, <i32>len, kind, <i32>a, <i32>b, <i32>c, <i32>w);
    p = d + len;
  }
}

/** TP-UDL and TP-UD (with TP-UDH when TP-UDHI is set), read per the DCS (-1 = absent: GSM 7-bit). */
function readUserData(udhi: bool, dcs: i32, flags: u32): void {
  const udlOff = pos();
  const udl = take(ERR_TRUNCATED, FIELD_SMS_UDL);
  const info = dcsInfo(dcs >= 0 ? <u32>dcs : 0);
  const alpha = dcsAlphabet(info);
  const compressed = dcsCompressed(info);
  const septets = alpha == SMS_ALPHA_GSM7 && !compressed;
  const start = pos();
  const avail = end() - start;
  let n = udl;
  let octets = septets ? (n * 7 + 7) >> 3 : n;
  let udFlags = 0;
  if (octets > avail || n > (septets ? MAX_SEPTETS : MAX_OCTETS)) {
    // lenient: take a TP-UDL that overstates the user data as "what is there" (seen from modems)
    if ((flags & SMS_F_LENIENT) == 0) fail(ERR_BAD_LENGTH, <i32>udlOff, FIELD_SMS_UDL, <i32>udl);
    if (octets > avail) {
      n = septets ? (avail << 3) / 7 : avail;
      octets = septets ? (n * 7 + 7) >> 3 : n;
      udFlags |= SMS_UD_CLAMPED;
    }
  }
  let h: u32 = 0;
  if (udhi) {
    if (n == 0) {
      udFlags |= SMS_UD_UDHI_EMPTY;
    } else {
      h = at(start) + 1;
      if (h > octets) fail(ERR_BAD_LENGTH, <i32>start, FIELD_SMS_UDH, <i32>(h - 1));
      readElements(start + 1, start + h);
    }
  }
  const textStart = unitsCount();
  let kind = SMS_ALPHA_8BIT;
  if (septets) {
    kind = SMS_ALPHA_GSM7;
    const hs = (h * 8 + 6) / 7; // header septets, fill bits included
    if (hs > n) fail(ERR_BAD_LENGTH, <i32>start, FIELD_SMS_UDH, <i32>(h - 1));
    decodeSeptets(start, hs * 7, n - hs, lockTable(lockLang), shiftTable(shiftLang));
  } else if (alpha == SMS_ALPHA_UCS2 && !compressed) {
    kind = SMS_ALPHA_UCS2;
    let bytes = octets - h;
    if ((bytes & 1) != 0) {
      if ((flags & SMS_F_LENIENT) == 0) fail(ERR_BAD_LENGTH, <i32>udlOff, FIELD_SMS_UDL, <i32>udl);
      bytes--;
      udFlags |= SMS_UD_CLAMPED;
    }
    // unpaired surrogates pass through as they are; the flag lets the TS face keep them so
    let pending = false; // a high surrogate waiting for its low half
    for (let p = start + h; p < start + h + bytes; p += 2) {
      const u = (at(p) << 8) | at(p + 1);
      const high = (u & 0xfc00) == 0xd800;
      const low = (u & 0xfc00) == 0xdc00;
      if (pending != low) udFlags |= SMS_UD_LONE_SURROGATE;
      pending = high;
      putUnit(u);
    }
    if (pending) udFlags |= SMS_UD_LONE_SURROGATE;
  }
  rowWrite(SMS_ROW_UD, <i32>n, kind, <i32>start, <i32>octets, <i32>h, <i32>textStart,
    <i32>(unitsCount() - textStart), udFlags);
  seek(start + octets);
}

/**
 * Whether every octet from `p` on is 0xFF. A message read from SIM storage (+CMGR / +CMGL) can
 * come as its whole record, the TPDU followed by 0xFF up to the end (TS 31.102 §4.2.25 EF-SMS:
 * 176 octets; §4.2.32 EF-SMSR: a status report in 29). Where an optional TP-PI would start,
 * that padding reads as TP-PI 0xFF (extension bit and every reserved bit set), which no service
 * centre sends: it means no optional parameters, as gammu reads such records. The other TPDUs
 * end where their own lengths say, so padding after them is never read.
 */
function paddingFrom(p: u32): bool {
  for (let i = p; i < end(); i++) if (at(i) != 0xff) return false;
  return true;
}

/** TP-PI and the optional fields it announces (reports). Returns the first PI octet. */
function readOptional(udhi: bool, flags: u32): i32 {
  const pi = take(ERR_TRUNCATED, FIELD_SMS_PI);
  // bit 7 extends TP-PI by another octet; later octets carry nothing defined yet
  let b = pi;
  while ((b & 0x80) != 0) b = take(ERR_TRUNCATED, FIELD_SMS_PI);
  if ((pi & 1) != 0) pid = <i32>take(ERR_TRUNCATED, FIELD_SMS_PID);
  if ((pi & 2) != 0) dcs = <i32>take(ERR_TRUNCATED, FIELD_SMS_DCS);
  if ((pi & 4) != 0) readUserData(udhi, dcs, flags);
  return <i32>(pi & 0x7f); // the extension octets define nothing yet: not kept
}

/** RP-ERROR reports start with TP-FCS; RP-ACK ones with TP-PI. Auto: FCS values are >= 0x80. */
function readFailureCause(flags: u32): void {
  let isError = (flags & SMS_F_REPORT_ERROR) != 0;
  if ((flags & (SMS_F_REPORT_ERROR | SMS_F_REPORT_ACK)) == 0) isError = peek(ERR_TRUNCATED, FIELD_SMS_PI) >= 0x80;
  if (isError) {
    fcs = <i32>take(ERR_TRUNCATED, FIELD_SMS_FCS);
    msgFlags |= SMS_MSG_RP_ERROR;
  }
}

export function decode(len: u32, flags: u32): u32 {
  begin(len);
  unitsReset();
  for (let i: u32 = 0; i < <u32>SMS_FIXED_ROWS; i++) row(0, 0, 0, 0, 0, 0, 0, 0);
  rowWrite(SMS_ROW_UD, -1, 0, 0, 0, 0, 0, 0, 0);
  mr = -1;
  pid = -1;
  dcs = -1;
  fcs = -1;
  msgFlags = 0;
  setLenientDigits((flags & SMS_F_LENIENT) != 0);
  lockLang = (flags >> 8) & 0xff;
  shiftLang = (flags >> 16) & 0xff;
  if (lockLang >= LANGUAGES) lockLang = 0;
  if (shiftLang >= LANGUAGES) shiftLang = 0;

  if ((flags & SMS_F_SCA) != 0) {
    readAddress(FIELD_SMS_SCA, true);
    addressRow(SMS_ROW_SCA);
  }
  const tpduStart = pos();
  const first = take(ERR_TRUNCATED, FIELD_SMS_FIRST_OCTET);
  const mti = first & 3;
  if (mti == 3) fail(ERR_BAD_TYPE, <i32>tpduStart, FIELD_SMS_FIRST_OCTET, <i32>first);
  const mo = (flags & SMS_F_MO) != 0;
  const kind = mo
    ? (mti == 0 ? SMS_DELIVER_REPORT : mti == 1 ? SMS_SUBMIT : SMS_COMMAND)
    : (mti == 0 ? SMS_DELIVER : mti == 1 ? SMS_SUBMIT_REPORT : SMS_STATUS_REPORT);
  const udhi = (first & 0x40) != 0;
  let vpf: i32 = 0, vp: i32 = 0, vpEnhanced: i32 = 0, st: i32 = -1, pi: i32 = -1, ct: i32 = -1, mn: i32 = -1;

  if (kind == SMS_DELIVER) {
    readAddress(FIELD_SMS_OA, false);
    addressRow(SMS_ROW_ADDR);
    pid = <i32>take(ERR_TRUNCATED, FIELD_SMS_PID);
    dcs = <i32>take(ERR_TRUNCATED, FIELD_SMS_DCS);
    timestampAt(SMS_ROW_TS1, FIELD_SMS_SCTS);
    readUserData(udhi, dcs, flags);
  } else if (kind == SMS_SUBMIT) {
    mr = <i32>take(ERR_TRUNCATED, FIELD_SMS_MR);
    readAddress(FIELD_SMS_DA, false);
    addressRow(SMS_ROW_ADDR);
    pid = <i32>take(ERR_TRUNCATED, FIELD_SMS_PID);
    dcs = <i32>take(ERR_TRUNCATED, FIELD_SMS_DCS);
    vpf = <i32>((first >> 3) & 3);
    if (vpf == 2) {
      vp = <i32>take(ERR_TRUNCATED, FIELD_SMS_VP);
    } else if (vpf == 3) {
      timestampAt(SMS_ROW_TS2, FIELD_SMS_VP);
    } else if (vpf == 1) {
      vpEnhanced = <i32>pos();
      skip(7, ERR_TRUNCATED, FIELD_SMS_VP);
    }
    readUserData(udhi, dcs, flags);
  } else if (kind == SMS_STATUS_REPORT) {
    mr = <i32>take(ERR_TRUNCATED, FIELD_SMS_MR);
    readAddress(FIELD_SMS_RA, false);
    addressRow(SMS_ROW_ADDR);
    timestampAt(SMS_ROW_TS1, FIELD_SMS_SCTS);
    timestampAt(SMS_ROW_TS2, FIELD_SMS_DT);
    st = <i32>take(ERR_TRUNCATED, FIELD_SMS_ST);
    if (pos() < end() && !paddingFrom(pos())) pi = readOptional(udhi, flags);
  } else if (kind == SMS_COMMAND) {
    mr = <i32>take(ERR_TRUNCATED, FIELD_SMS_MR);
    pid = <i32>take(ERR_TRUNCATED, FIELD_SMS_PID);
    ct = <i32>take(ERR_TRUNCATED, FIELD_SMS_CT);
    mn = <i32>take(ERR_TRUNCATED, FIELD_SMS_MN);
    readAddress(FIELD_SMS_DA, false);
    addressRow(SMS_ROW_ADDR);
    const cdlOff = pos();
    const cdl = take(ERR_TRUNCATED, FIELD_SMS_CD);
    if (cdl > MAX_COMMAND_DATA || cdl > end() - pos()) fail(ERR_BAD_LENGTH, <i32>cdlOff, FIELD_SMS_CD, <i32>cdl);
    rowWrite(SMS_ROW_UD, <i32>cdl, SMS_ALPHA_8BIT, <i32>pos(), <i32>cdl, 0, 0, 0, 0);
    skip(cdl, ERR_TRUNCATED, FIELD_SMS_CD);
  } else if (kind == SMS_DELIVER_REPORT) {
    readFailureCause(flags);
    pi = readOptional(udhi, flags);
  } else {
    readFailureCause(flags);
    let b = take(ERR_TRUNCATED, FIELD_SMS_PI);
    pi = <i32>(b & 0x7f); // extension octets define nothing yet: skipped, not kept
    while ((b & 0x80) != 0) b = take(ERR_TRUNCATED, FIELD_SMS_PI);
    timestampAt(SMS_ROW_TS1, FIELD_SMS_SCTS);
    if ((pi & 1) != 0) pid = <i32>take(ERR_TRUNCATED, FIELD_SMS_PID);
    if ((pi & 2) != 0) dcs = <i32>take(ERR_TRUNCATED, FIELD_SMS_DCS);
    if ((pi & 4) != 0) readUserData(udhi, dcs, flags);
  }
  rowWrite(SMS_ROW_MSG, kind, <i32>first, <i32>tpduStart, msgFlags, mr, pid, dcs, fcs);
  rowWrite(SMS_ROW_MISC, vpf, vp, vpEnhanced, st, pi, ct, mn, dcs >= 0 ? <i32>dcsInfo(<u32>dcs) : 0);
  return tableRows();
}
