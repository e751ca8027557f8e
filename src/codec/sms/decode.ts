// decodeSms: one WASM call per PDU, then objects built from the result table. Octet payloads
// (UDH elements, 8-bit data, enhanced VP, command data) are views of the caller's input.
import * as L from '../../../assembly/shared/sms-layout.js';
import { CodecError } from '../errors.js';
import { dcsFromInfo } from './dcs.js';
import { loadInput, outText, tab, trap } from './module.js';
import { LANGUAGE_NAMES, NPI_NAMES, TON_NAMES, languageId } from './names.js';
import { fullYear } from './time.js';
import type {
  SmsAddress, SmsDcs, SmsDirection, SmsLanguage, SmsMessage, SmsOptionalFields, SmsTimestamp, SmsTpdu,
  SmsUdh, SmsUdhIe, SmsUserData, SmsValidity,
} from './types.js';

export interface DecodeSmsOptions {
  /** The input starts with the SMSC address (AT PDU-mode form, length octet 0 = none). Default true. */
  sca?: boolean;
  /** Decides what TP-MTI means: MT (SC -> MS, default) or MO (MS -> SC). */
  direction?: SmsDirection;
  /**
   * SMS-DELIVER-REPORT / SMS-SUBMIT-REPORT come in an RP-ACK form (no TP-FCS) and an RP-ERROR
   * form (TP-FCS first). The RP layer knows which; 'auto' (default) reads an octet >= 0x80 as
   * TP-FCS, since failure causes are 0x80-0xFF and TP-PI rarely sets its extension bit.
   */
  report?: 'auto' | 'ack' | 'error';
  /**
   * Accept what real devices send although 23.040 forbids it: a TP-UDL beyond the data (keep
   * what is there), an odd number of UCS-2 octets (drop the last), non-BCD time-stamp digits
   * (read as binary, as ofono does). Default false: such PDUs fail with a CodecError.
   */
  lenient?: boolean;
  /** Tables to use when the UDH names none (23.038 selects them by UDH only; for test data). */
  lockingShift?: SmsLanguage | null;
  singleShift?: SmsLanguage | null;
}

function address(t: Int32Array, r: number): SmsAddress | null {
  const b = r * 8;
  if (t[b] === 0) return null;
  const toa = t[b + 1];
  return { ton: TON_NAMES[(toa >> 4) & 7], npi: NPI_NAMES[toa & 15], number: outText(t[b + 2], t[b + 3]) };
}

function timestamp(t: Int32Array, r: number): SmsTimestamp {
  const b = r * 8;
  return {
    year: fullYear(t[b + 1]), month: t[b + 2], day: t[b + 3], hour: t[b + 4], minute: t[b + 5], second: t[b + 6],
    tz: t[b + 7],
  };
}

function udh(t: Int32Array, rows: number, input: Uint8Array): SmsUdh {
  const ies: SmsUdhIe[] = [];
  const h: SmsUdh = { ies, concat: null, ports: null, lockingShift: null, singleShift: null };
  for (let r = L.SMS_ROW_IE; r < rows; r++) {
    const b = r * 8;
    const off = t[b + 1];
    ies.push({ iei: t[b], data: input.subarray(off, off + t[b + 2]) });
    switch (t[b + 3]) {
      case L.SMS_IE_CONCAT:
        h.concat = { ref: t[b + 4], total: t[b + 5], seq: t[b + 6], refBits: t[b + 7] as 8 | 16 };
        break;
      case L.SMS_IE_PORTS:
        h.ports = { dest: t[b + 4], src: t[b + 5], bits: t[b + 6] as 8 | 16 };
        break;
      case L.SMS_IE_LOCKING:
        h.lockingShift = LANGUAGE_NAMES[t[b + 4]] ?? null;
        break;
      case L.SMS_IE_SINGLE:
        h.singleShift = LANGUAGE_NAMES[t[b + 4]] ?? null;
        break;
    }
  }
  return h;
}

/** Fills udh/text/data from the UD row into `into`. */
function userData(t: Int32Array, rows: number, input: Uint8Array, udhi: boolean, into: SmsUserData | SmsOptionalFields): void {
  const b = L.SMS_ROW_UD * 8;
  const h = t[b + 4];
  into.udh = udhi && h > 0 ? udh(t, rows, input) : null;
  const kind = t[b + 1];
  if (kind === L.SMS_ALPHA_8BIT) {
    const start = t[b + 2];
    into.data = input.subarray(start + h, start + t[b + 3]);
  } else {
    into.text = outText(t[b + 5], t[b + 6], (t[b + 7] & L.SMS_UD_LONE_SURROGATE) !== 0);
  }
}

function optional(t: Int32Array, rows: number, input: Uint8Array, udhi: boolean, pi: number, into: SmsOptionalFields, dcs: SmsDcs | undefined): void {
  if ((pi & 1) !== 0) into.pid = t[L.SMS_ROW_MSG * 8 + 5];
  if ((pi & 2) !== 0 && dcs !== undefined) into.dcs = dcs;
  if ((pi & 4) !== 0) userData(t, rows, input, udhi, into);
}

/** Decodes an SMS PDU (by default with the SMSC address prefix, as AT PDU mode gives it). */
export function decodeSms(bytes: Uint8Array, opts: DecodeSmsOptions = {}): SmsMessage {
  const c = loadInput(bytes);
  let flags = opts.sca === false ? 0 : L.SMS_F_SCA;
  if (opts.direction === 'MO') flags |= L.SMS_F_MO;
  if (opts.report === 'ack') flags |= L.SMS_F_REPORT_ACK;
  else if (opts.report === 'error') flags |= L.SMS_F_REPORT_ERROR;
  if (opts.lenient) flags |= L.SMS_F_LENIENT;
  if (opts.lockingShift != null) flags |= languageId(opts.lockingShift) << 8;
  if (opts.singleShift != null) flags |= languageId(opts.singleShift) << 16;
  let rows = 0;
  try {
    rows = c.exports.smsDecode(bytes.length, flags);
  } catch (e) {
    trap(e);
  }
  const t = tab;

  const m = L.SMS_ROW_MSG * 8;
  const kind = t[m];
  const first = t[m + 1];
  const udhi = (first & 0x40) !== 0;
  const x = L.SMS_ROW_MISC * 8;
  const dcsRaw = t[m + 6];
  const dcs = dcsRaw >= 0 ? dcsFromInfo(dcsRaw, t[x + 7]) : undefined;
  const sca = (flags & L.SMS_F_SCA) !== 0 ? address(t, L.SMS_ROW_SCA) : null;
  const addr = address(t, L.SMS_ROW_ADDR) as SmsAddress;
  let tpdu: SmsTpdu;
  switch (kind) {
    case L.SMS_DELIVER: {
      const d: SmsTpdu = {
        type: 'SMS-DELIVER',
        moreMessagesToSend: (first & 0x04) === 0,
        loopPrevention: (first & 0x08) !== 0,
        statusReportIndication: (first & 0x20) !== 0,
        replyPath: (first & 0x80) !== 0,
        originator: addr,
        pid: t[m + 5],
        dcs: dcs as SmsDcs,
        scts: timestamp(t, L.SMS_ROW_TS1),
        udh: null,
      };
      userData(t, rows, bytes, udhi, d);
      tpdu = d;
      break;
    }
    case L.SMS_SUBMIT: {
      const vpf = t[x];
      let validity: SmsValidity;
      if (vpf === 2) validity = { format: 'relative', value: t[x + 1] };
      else if (vpf === 3) validity = { format: 'absolute', time: timestamp(t, L.SMS_ROW_TS2) };
      else if (vpf === 1) validity = { format: 'enhanced', octets: bytes.subarray(t[x + 2], t[x + 2] + 7) };
      else validity = { format: 'none' };
      const s: SmsTpdu = {
        type: 'SMS-SUBMIT',
        rejectDuplicates: (first & 0x04) !== 0,
        replyPath: (first & 0x80) !== 0,
        statusReportRequest: (first & 0x20) !== 0,
        mr: t[m + 4],
        destination: addr,
        pid: t[m + 5],
        dcs: dcs as SmsDcs,
        validity,
        udh: null,
      };
      userData(t, rows, bytes, udhi, s);
      tpdu = s;
      break;
    }
    case L.SMS_STATUS_REPORT: {
      const pi = t[x + 4];
      const r: SmsTpdu = {
        type: 'SMS-STATUS-REPORT',
        moreMessagesToSend: (first & 0x04) === 0,
        loopPrevention: (first & 0x08) !== 0,
        statusReportQualifier: (first & 0x20) !== 0 ? 'command' : 'submit',
        mr: t[m + 4],
        recipient: addr,
        scts: timestamp(t, L.SMS_ROW_TS1),
        dischargeTime: timestamp(t, L.SMS_ROW_TS2),
        status: t[x + 3],
        pi: pi >= 0 ? pi : null,
      };
      if (pi >= 0) optional(t, rows, bytes, udhi, pi, r, dcs);
      tpdu = r;
      break;
    }
    case L.SMS_COMMAND: {
      const u = L.SMS_ROW_UD * 8;
      tpdu = {
        type: 'SMS-COMMAND',
        statusReportRequest: (first & 0x20) !== 0,
        udhi,
        mr: t[m + 4],
        pid: t[m + 5],
        commandType: t[x + 5],
        messageNumber: t[x + 6],
        destination: addr,
        commandData: bytes.subarray(t[u + 2], t[u + 2] + t[u + 3]),
      };
      break;
    }
    case L.SMS_DELIVER_REPORT:
    case L.SMS_SUBMIT_REPORT: {
      const pi = t[x + 4];
      const failureCause = (t[m + 3] & L.SMS_MSG_RP_ERROR) !== 0 ? t[m + 7] : null;
      const r: SmsTpdu =
        kind === L.SMS_DELIVER_REPORT
          ? { type: 'SMS-DELIVER-REPORT', failureCause, pi }
          : { type: 'SMS-SUBMIT-REPORT', failureCause, pi, scts: timestamp(t, L.SMS_ROW_TS1) };
      optional(t, rows, bytes, udhi, pi, r, dcs);
      tpdu = r;
      break;
    }
    default:
      throw new CodecError('INTERNAL', 'PDU', -1, `decoder returned TPDU kind ${kind}`);
  }
  return { sca, tpdu };
}
