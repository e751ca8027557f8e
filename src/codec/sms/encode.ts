// encodeSms: writes one request (rows in TAB; addresses, text and octets in IN) and makes one
// WASM call that builds the PDU. The first octet's flags are composed here; every length, the
// fill bits and the septet packing are the WASM's.
import * as L from '../../../assembly/shared/sms-layout.js';
import { CodecError } from '../errors.js';
import { IN_BYTES, IN_OCTETS_AT, TABLE_ROWS, in8, out8, putText, tab, trap, views } from './module.js';
import { languageId, toaOctet } from './names.js';
import type { SmsAddress, SmsLanguage, SmsMessage, SmsOptionalFields, SmsTimestamp, SmsTpdu, SmsUdh } from './types.js';

export interface EncodeSmsOptions {
  /** Write the SMSC address prefix (AT PDU-mode form; a null `sca` becomes the octet 00). Default true. */
  sca?: boolean;
  /** Tables to pack GSM 7-bit text with when the UDH names none (the counterpart of decodeSms's). */
  lockingShift?: SmsLanguage | null;
  singleShift?: SmsLanguage | null;
}

// Upper bounds that keep a request inside the windows whatever the caller passes; the WASM
// enforces the real limits (160 septets / 140 octets of user data, 20 digits...).
const MAX_TEXT_UNITS = 320;
const MAX_OCTETS = 256;

const KIND: Record<SmsTpdu['type'], number> = {
  'SMS-DELIVER': L.SMS_DELIVER, 'SMS-SUBMIT': L.SMS_SUBMIT, 'SMS-STATUS-REPORT': L.SMS_STATUS_REPORT,
  'SMS-COMMAND': L.SMS_COMMAND, 'SMS-DELIVER-REPORT': L.SMS_DELIVER_REPORT, 'SMS-SUBMIT-REPORT': L.SMS_SUBMIT_REPORT,
};

let unit = 0; // next free UTF-16 unit of IN
let octet = 0; // next free byte of IN (after the text area)
let lockDefault = 0; // tables when the UDH names none
let shiftDefault = 0;

function setRow(r: number, w0: number, w1 = 0, w2 = 0, w3 = 0, w4 = 0, w5 = 0, w6 = 0, w7 = 0): void {
  const t = tab;
  const b = r * 8;
  t[b] = w0; t[b + 1] = w1; t[b + 2] = w2; t[b + 3] = w3;
  t[b + 4] = w4; t[b + 5] = w5; t[b + 6] = w6; t[b + 7] = w7;
}

/** Puts a string's units in IN; returns its byte offset there. */
function text(s: string, field: string): number {
  if (s.length > MAX_TEXT_UNITS) throw new CodecError('TOO_LARGE', field, -1, `${s.length} characters`);
  const at = unit;
  unit = putText(unit, s);
  return at * 2;
}

function octets(b: Uint8Array, field: string): number {
  if (b.length > MAX_OCTETS || octet + b.length > IN_BYTES) throw new CodecError('TOO_LARGE', field, -1, `${b.length} octets`);
  const at = octet;
  in8.set(b, at);
  octet += b.length;
  return at;
}

function addressRow(r: number, a: SmsAddress | null, field: string): void {
  if (a === null) {
    setRow(r, 0);
    return;
  }
  setRow(r, 1, toaOctet(a.ton, a.npi), text(a.number, field), a.number.length);
}

function timestampRow(r: number, ts: SmsTimestamp, field: string): void {
  const y = ts.year;
  if (!Number.isInteger(y) || y < 1990 || y > 2089) throw new CodecError('NOT_REPRESENTABLE', field, -1, `year ${y} (1990-2089)`);
  setRow(r, 1, y % 100, ts.month, ts.day, ts.hour, ts.minute, ts.second, ts.tz);
}

/** UD request row and IE rows. */
function userDataRows(ud: { udh?: SmsUdh | null; text?: string; data?: Uint8Array }): void {
  const h = ud.udh ?? null;
  const ies = h?.ies ?? [];
  if (ies.length > TABLE_ROWS - L.SMS_REQ_IE) throw new CodecError('LIMIT', 'TP-UDH', -1, `${ies.length} elements`);
  let off = 0;
  let len = 0;
  let isText = 1;
  if (ud.text !== undefined) {
    if (ud.data !== undefined) throw new CodecError('BAD_VALUE', 'TP-UD', -1, 'both text and data given');
    off = text(ud.text, 'SMS text');
    len = ud.text.length;
  } else if (ud.data !== undefined) {
    off = octets(ud.data, 'TP-UD');
    len = ud.data.length;
    isText = 0;
  }
  for (let i = 0; i < ies.length; i++) {
    const ie = ies[i];
    setRow(L.SMS_REQ_IE + i, ie.iei, octets(ie.data, 'TP-UDH'), ie.data.length);
  }
  setRow(L.SMS_REQ_UD, 1, off, len, ies.length, h !== null ? 1 : 0, isText ? 0 : 1, lockDefault, shiftDefault);
}

function optionalRows(pi: number, f: SmsOptionalFields): [number, number] {
  const need = (bit: number, present: boolean, name: string): void => {
    if ((pi & bit) !== 0 && !present) throw new CodecError('MISSING', name, -1, `TP-PI ${pi} announces it`);
  };
  need(1, f.pid !== undefined, 'TP-PID');
  need(2, f.dcs !== undefined, 'TP-DCS');
  if ((pi & 4) !== 0) userDataRows(f);
  return [f.pid ?? 0, f.dcs?.raw ?? 0];
}

function b(v: boolean | undefined, bit: number): number {
  return v ? bit : 0;
}

/** Encodes an SMS PDU; the inverse of decodeSms. */
export function encodeSms(msg: SmsMessage, opts: EncodeSmsOptions = {}): Uint8Array {
  const c = views();
  const withSca = opts.sca !== false;
  if (!withSca && msg.sca !== null) throw new CodecError('BAD_VALUE', 'SMSC address', -1, 'given but sca: false');
  unit = 0;
  octet = IN_OCTETS_AT;
  lockDefault = opts.lockingShift == null ? 0 : languageId(opts.lockingShift);
  shiftDefault = opts.singleShift == null ? 0 : languageId(opts.singleShift);
  const p: SmsTpdu = msg.tpdu;
  addressRow(L.SMS_REQ_SCA, msg.sca, 'SMSC address');
  let first = 0;
  let mr = 0;
  let pid = 0;
  let dcs = 0;
  let fcs = -1;
  let pi = -1;
  switch (p.type) {
    case 'SMS-DELIVER':
      first = 0x00 | b(!p.moreMessagesToSend, 0x04) | b(p.loopPrevention, 0x08) |
        b(p.statusReportIndication, 0x20) | (p.udh != null ? 0x40 : 0) | b(p.replyPath, 0x80);
      addressRow(L.SMS_REQ_ADDR, p.originator, 'TP-OA');
      pid = p.pid;
      dcs = p.dcs.raw;
      timestampRow(L.SMS_REQ_TS1, p.scts, 'TP-SCTS');
      userDataRows(p);
      break;
    case 'SMS-SUBMIT': {
      const v = p.validity;
      const vpf = v.format === 'relative' ? 2 : v.format === 'absolute' ? 3 : v.format === 'enhanced' ? 1 : 0;
      first = 0x01 | b(p.rejectDuplicates, 0x04) | (vpf << 3) | b(p.statusReportRequest, 0x20) |
        (p.udh != null ? 0x40 : 0) | b(p.replyPath, 0x80);
      mr = p.mr;
      addressRow(L.SMS_REQ_ADDR, p.destination, 'TP-DA');
      pid = p.pid;
      dcs = p.dcs.raw;
      let vpRel = 0;
      let vpOff = 0;
      if (v.format === 'relative') vpRel = v.value;
      else if (v.format === 'absolute') timestampRow(L.SMS_REQ_TS2, v.time, 'TP-VP');
      else if (v.format === 'enhanced') {
        if (v.octets.length !== 7) throw new CodecError('BAD_LENGTH', 'TP-VP', -1, `${v.octets.length} octets, enhanced format has 7`);
        vpOff = octets(v.octets, 'TP-VP');
      }
      setRow(L.SMS_REQ_MISC, vpf, vpRel, vpOff);
      userDataRows(p);
      break;
    }
    case 'SMS-STATUS-REPORT':
      first = 0x02 | b(!p.moreMessagesToSend, 0x04) | b(p.loopPrevention, 0x08) |
        b(p.statusReportQualifier === 'command', 0x20) | (p.udh != null ? 0x40 : 0);
      mr = p.mr;
      addressRow(L.SMS_REQ_ADDR, p.recipient, 'TP-RA');
      timestampRow(L.SMS_REQ_TS1, p.scts, 'TP-SCTS');
      timestampRow(L.SMS_REQ_TS2, p.dischargeTime, 'TP-DT');
      setRow(L.SMS_REQ_MISC, 0, 0, 0, p.status);
      if (p.pi !== null) {
        pi = p.pi;
        [pid, dcs] = optionalRows(pi, p);
      }
      break;
    case 'SMS-COMMAND': {
      first = 0x02 | b(p.statusReportRequest, 0x20) | b(p.udhi, 0x40); // TP-MTI 2 (MO)
      mr = p.mr;
      pid = p.pid;
      addressRow(L.SMS_REQ_ADDR, p.destination, 'TP-DA');
      const off = octets(p.commandData, 'TP-CD');
      setRow(L.SMS_REQ_MISC, 0, 0, 0, 0, p.commandType, p.messageNumber, off, p.commandData.length);
      break;
    }
    case 'SMS-DELIVER-REPORT':
    case 'SMS-SUBMIT-REPORT':
      first = (p.type === 'SMS-DELIVER-REPORT' ? 0 : 1) | (p.udh != null ? 0x40 : 0);
      fcs = p.failureCause ?? -1;
      pi = p.pi;
      if (p.type === 'SMS-SUBMIT-REPORT') timestampRow(L.SMS_REQ_TS1, p.scts, 'TP-SCTS');
      [pid, dcs] = optionalRows(pi, p);
      break;
    default:
      throw new CodecError('BAD_TYPE', 'TP-MTI/first octet', -1, `type ${(p as { type: unknown }).type}`);
  }
  const kind = KIND[p.type];
  setRow(L.SMS_REQ_MSG, kind, first, mr, pid, dcs, fcs, pi, withSca ? L.SMS_REQ_WITH_SCA : 0);
  let n: number;
  try {
    n = c.exports.smsEncode();
  } catch (e) {
    if (e instanceof CodecError) throw explain(e, p);
    trap(e);
  }
  return out8.slice(0, n);
}

/** Names the character behind a NOT_REPRESENTABLE from the WASM (whose offset is the index in the text). */
function explain(e: CodecError, p: SmsTpdu): CodecError {
  if (e.code !== 'NOT_REPRESENTABLE' || e.offset < 0) return e;
  const where = e.field === 'SMS text' ? 'text' : 'address';
  const s = e.field === 'SMS text' ? ((p as { text?: string }).text ?? '') : '';
  const ch = s.charAt(e.offset);
  const what = ch ? `${JSON.stringify(ch)} (U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}) ` : '';
  return new CodecError(
    'NOT_REPRESENTABLE', e.field, -1,
    `character ${what}at index ${e.offset} of the ${where} is not in the GSM 7-bit tables in use`,
  );
}
