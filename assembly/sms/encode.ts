// TPDU encoder: the TypeScript face writes a request (rows in TAB, layout in shared/sms-layout.ts;
// address and text UTF-16 units and raw octets in IN) and one call builds the whole PDU in OUT,
// with the SMSC address prefix when asked. Lengths (TP-UDL, UDHL, address lengths) and fill bits
// are derived here, never taken from the request.
import { at, fail, inBase, inputCap, outLength, outSet, put, putFromInput, rowGet } from "../io";
import {
  ERR_BAD_VALUE, ERR_TOO_LARGE, FIELD_NONE, FIELD_SMS_CD, FIELD_SMS_CT, FIELD_SMS_DA, FIELD_SMS_DCS,
  FIELD_SMS_DT, FIELD_SMS_FCS, FIELD_SMS_FIRST_OCTET, FIELD_SMS_MN, FIELD_SMS_MR, FIELD_SMS_PI,
  FIELD_SMS_PID, FIELD_SMS_SCTS, FIELD_SMS_ST, FIELD_SMS_UD, FIELD_SMS_UDH, FIELD_SMS_VP,
} from "../shared/codes";
import {
  SMS_ALPHA_GSM7, SMS_ALPHA_UCS2, SMS_COMMAND, SMS_DELIVER, SMS_DELIVER_REPORT, SMS_REQ_ADDR,
  SMS_REQ_IE, SMS_REQ_MISC, SMS_REQ_MSG, SMS_REQ_SCA, SMS_REQ_TS1, SMS_REQ_TS2, SMS_REQ_UD,
  SMS_REQ_WITH_SCA, SMS_STATUS_REPORT, SMS_SUBMIT, SMS_SUBMIT_REPORT,
} from "../shared/sms-layout";
import { writeAddress } from "./address";
import { dcsAlphabet, dcsCompressed, dcsInfo } from "./dcs";
import { LANGUAGES } from "./gsm-tables";
import { packBegin, packEnd, packText } from "./septets";
import { writeTimestamp } from "./timestamp";

const MAX_SEPTETS: i32 = 160;
const MAX_OCTETS: i32 = 140;

function octet(v: i32, field: i32): void {
  if (v < 0 || v > 255) fail(ERR_BAD_VALUE, -1, field, v);
  put(<u32>v);
}

function checkInput(off: i32, len: i32, field: i32): void {
  if (off < 0 || len < 0 || <u32>(off + len) > inputCap()) fail(ERR_BAD_VALUE, -1, field, len);
}

function address(r: u32, sca: bool): void {
  const n = rowGet(r, 3);
  checkInput(rowGet(r, 2), n * 2, FIELD_SMS_DA);
  writeAddress(sca, rowGet(r, 0) != 0, <u32>rowGet(r, 1) & 0xff, <u32>rowGet(r, 2), <u32>n);
}

function timestamp(r: u32, field: i32): void {
  writeTimestamp(rowGet(r, 1), rowGet(r, 2), rowGet(r, 3), rowGet(r, 4), rowGet(r, 5), rowGet(r, 6), rowGet(r, 7), field);
}

/** TP-UDL, TP-UDH and TP-UD. The DCS decides how the text or octets are carried. */
function userData(dcs: i32): void {
  const off = rowGet(SMS_REQ_UD, 1);
  const len = rowGet(SMS_REQ_UD, 2);
  const ieCount = rowGet(SMS_REQ_UD, 3);
  const withUdh = rowGet(SMS_REQ_UD, 4) != 0;
  const isText = rowGet(SMS_REQ_UD, 5) == 0;
  const info = dcsInfo(<u32>dcs);
  const alpha = dcsAlphabet(info);
  const compressed = dcsCompressed(info);
  const septets = alpha == SMS_ALPHA_GSM7 && !compressed;
  const ucs2 = alpha == SMS_ALPHA_UCS2 && !compressed;
  // text needs a text alphabet and octets need 8-bit (or compressed) data
  if (isText != (septets || ucs2)) fail(ERR_BAD_VALUE, -1, FIELD_SMS_DCS, dcs);
  checkInput(off, isText ? len * 2 : len, FIELD_SMS_UD);

  const udlAt = outLength();
  put(0);
  let h: i32 = 0;
  // tables: the caller's defaults, then what the UDH selects (as the decoder reads them)
  let lock = <u32>rowGet(SMS_REQ_UD, 6);
  let shift = <u32>rowGet(SMS_REQ_UD, 7);
  if (lock >= LANGUAGES) lock = 0;
  if (shift >= LANGUAGES) shift = 0;
  if (withUdh) {
    const udhlAt = outLength();
    put(0);
    for (let i: i32 = 0; i < ieCount; i++) {
      const r = <u32>(SMS_REQ_IE + i);
      const iei = rowGet(r, 0);
      const ieOff = rowGet(r, 1);
      const ieLen = rowGet(r, 2);
      checkInput(ieOff, ieLen, FIELD_SMS_UDH);
      octet(iei, FIELD_SMS_UDH);
      octet(ieLen, FIELD_SMS_UDH);
      putFromInput(<u32>ieOff, <u32>ieLen);
      if ((iei == 0x24 || iei == 0x25) && ieLen == 1) {
        const lang = at(<u32>ieOff);
        if (iei == 0x24) shift = lang < LANGUAGES ? lang : 0;
        else lock = lang < LANGUAGES ? lang : 0;
      }
    }
    const udhl = <i32>(outLength() - udhlAt) - 1;
    if (udhl > MAX_OCTETS - 1) fail(ERR_TOO_LARGE, -1, FIELD_SMS_UDH, udhl);
    outSet(udhlAt, <u32>udhl);
    h = udhl + 1;
  }
  let udl: i32;
  if (septets) {
    const hs = (h * 8 + 6) / 7;
    packBegin(<u32>(hs * 7 - h * 8));
    packText(<u32>off, <u32>len, lock, shift);
    udl = hs + <i32>packEnd();
    if (udl > MAX_SEPTETS) fail(ERR_TOO_LARGE, -1, FIELD_SMS_UD, udl);
  } else if (ucs2) {
    udl = h + len * 2;
    if (udl > MAX_OCTETS) fail(ERR_TOO_LARGE, -1, FIELD_SMS_UD, udl);
    const base = inBase() + <usize>off;
    for (let i: i32 = 0; i < len; i++) {
      const u = <u32>load<u16>(base + (<usize>i << 1));
      put(u >> 8);
      put(u & 0xff);
    }
  } else {
    udl = h + len;
    if (udl > MAX_OCTETS) fail(ERR_TOO_LARGE, -1, FIELD_SMS_UD, udl);
    putFromInput(<u32>off, <u32>len);
  }
  outSet(udlAt, <u32>udl);
}

/** TP-PI and the optional fields it announces. */
function optional(pi: i32, pid: i32, dcs: i32): void {
  octet(pi, FIELD_SMS_PI);
  if ((pi & 1) != 0) octet(pid, FIELD_SMS_PID);
  if ((pi & 2) != 0) octet(dcs, FIELD_SMS_DCS);
  if ((pi & 4) != 0) userData((pi & 2) != 0 ? dcs : 0);
}

export function encode(): u32 {
  const kind = rowGet(SMS_REQ_MSG, 0);
  const first = rowGet(SMS_REQ_MSG, 1);
  const mr = rowGet(SMS_REQ_MSG, 2);
  const pid = rowGet(SMS_REQ_MSG, 3);
  const dcs = rowGet(SMS_REQ_MSG, 4);
  const fcs = rowGet(SMS_REQ_MSG, 5);
  const pi = rowGet(SMS_REQ_MSG, 6);
  const flags = rowGet(SMS_REQ_MSG, 7);
  if ((flags & SMS_REQ_WITH_SCA) != 0) address(SMS_REQ_SCA, true);
  octet(first, FIELD_SMS_FIRST_OCTET);
  if (kind == SMS_DELIVER) {
    address(SMS_REQ_ADDR, false);
    octet(pid, FIELD_SMS_PID);
    octet(dcs, FIELD_SMS_DCS);
    timestamp(SMS_REQ_TS1, FIELD_SMS_SCTS);
    userData(dcs);
  } else if (kind == SMS_SUBMIT) {
    octet(mr, FIELD_SMS_MR);
    address(SMS_REQ_ADDR, false);
    octet(pid, FIELD_SMS_PID);
    octet(dcs, FIELD_SMS_DCS);
    const vpf = (first >> 3) & 3;
    if (vpf == 2) octet(rowGet(SMS_REQ_MISC, 1), FIELD_SMS_VP);
    else if (vpf == 3) timestamp(SMS_REQ_TS2, FIELD_SMS_VP);
    else if (vpf == 1) {
      const off = rowGet(SMS_REQ_MISC, 2);
      checkInput(off, 7, FIELD_SMS_VP);
      putFromInput(<u32>off, 7);
    }
    userData(dcs);
  } else if (kind == SMS_STATUS_REPORT) {
    octet(mr, FIELD_SMS_MR);
    address(SMS_REQ_ADDR, false);
    timestamp(SMS_REQ_TS1, FIELD_SMS_SCTS);
    timestamp(SMS_REQ_TS2, FIELD_SMS_DT);
    octet(rowGet(SMS_REQ_MISC, 3), FIELD_SMS_ST);
    if (pi >= 0) optional(pi, pid, dcs);
  } else if (kind == SMS_COMMAND) {
    octet(mr, FIELD_SMS_MR);
    octet(pid, FIELD_SMS_PID);
    octet(rowGet(SMS_REQ_MISC, 4), FIELD_SMS_CT);
    octet(rowGet(SMS_REQ_MISC, 5), FIELD_SMS_MN);
    address(SMS_REQ_ADDR, false);
    const off = rowGet(SMS_REQ_MISC, 6);
    const len = rowGet(SMS_REQ_MISC, 7);
    checkInput(off, len, FIELD_SMS_CD);
    octet(len, FIELD_SMS_CD);
    putFromInput(<u32>off, <u32>len);
  } else if (kind == SMS_DELIVER_REPORT || kind == SMS_SUBMIT_REPORT) {
    if (fcs >= 0) octet(fcs, FIELD_SMS_FCS);
    if (kind == SMS_SUBMIT_REPORT) {
      octet(pi, FIELD_SMS_PI);
      timestamp(SMS_REQ_TS1, FIELD_SMS_SCTS);
      if ((pi & 1) != 0) octet(pid, FIELD_SMS_PID);
      if ((pi & 2) != 0) octet(dcs, FIELD_SMS_DCS);
      if ((pi & 4) != 0) userData((pi & 2) != 0 ? dcs : 0);
    } else {
      optional(pi, pid, dcs);
    }
  } else {
    fail(ERR_BAD_VALUE, -1, FIELD_NONE, kind);
  }
  return outLength();
}
