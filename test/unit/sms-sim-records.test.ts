// Messages read from SIM storage (+CMGR / +CMGL on a real modem) can come as whole records: the
// SMSC address and the TPDU, then 0xFF up to the end of the record (TS 31.102 §4.2.25 EF-SMS:
// 175 octets after the status octet; §4.2.32 EF-SMSR: 29 for a status report). Every TPDU
// type must decode from such a record exactly as from the bare PDU. The records are built from
// the corpus's real PDUs; the types the corpus lacks are built by our encoder.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Inbox } from '../../src/bearer/modem/inbox.js';
import { Session } from '../../src/bearer/modem/session.js';
import { DEFAULT_TIMEOUTS, type IncomingStatusReport } from '../../src/bearer/modem/types.js';
import { ScriptedPort } from '../../src/bearer/simulator/scripted.js';
import {
  decodeSms, dcsFor, encodeSms, fromAtPdu, parseAddress, toHex, type SmsMessage, type SmsTimestamp,
} from '../../src/codec/sms/index.js';
import { smsVectors } from '../support/corpus.js';

const EF_SMS_REMAINDER = 175;
const EF_SMSR_REPORT = 29;

/** The PDU (with its SMSC address prefix) as a SIM record holds it: 0xFF up to `size`. */
function record(pdu: Uint8Array, size = EF_SMS_REMAINDER): Uint8Array {
  const out = new Uint8Array(Math.max(size, pdu.length)).fill(0xff);
  out.set(pdu);
  return out;
}

function withSca(hex: string, scaPresent: boolean): Uint8Array {
  return new Uint8Array(Buffer.from(scaPresent ? hex : `00${hex}`, 'hex'));
}

/** Real corpus PDUs that decode strictly, by type, with their direction. */
function corpusPdus(): { id: string; type: string; pdu: Uint8Array; direction: 'MT' | 'MO' }[] {
  const out = [];
  for (const v of smsVectors()) {
    if (!/^[0-9a-f]+$/i.test(v.pdu_hex) || v.pdu_hex.length % 2 !== 0) continue;
    const pdu = withSca(v.pdu_hex, v.sca_present);
    const direction = v.direction ?? 'MT';
    try {
      const m = decodeSms(pdu, { direction });
      out.push({ id: v.id, type: m.tpdu.type, pdu, direction });
    } catch {
      /* decode-must-fail vectors and the like: not records of anything */
    }
  }
  return out;
}

const ts: SmsTimestamp = { year: 2026, month: 12, day: 7, hour: 10, minute: 30, second: 5, tz: 4 };
const addr = parseAddress('+4790000001');

/** The TPDU types the corpus has no real PDU of, from our encoder. */
const encoded: [string, SmsMessage, 'MT' | 'MO'][] = [
  ['SMS-COMMAND', { sca: null, tpdu: { type: 'SMS-COMMAND', statusReportRequest: false, udhi: false, mr: 4, pid: 0, commandType: 1, messageNumber: 4, destination: addr, commandData: new Uint8Array(0) } }, 'MO'],
  ['SMS-DELIVER-REPORT', { sca: null, tpdu: { type: 'SMS-DELIVER-REPORT', failureCause: null, pi: 0 } }, 'MO'],
  ['SMS-DELIVER-REPORT', { sca: null, tpdu: { type: 'SMS-DELIVER-REPORT', failureCause: 0xd3, pi: 0 } }, 'MO'],
  ['SMS-SUBMIT-REPORT', { sca: null, tpdu: { type: 'SMS-SUBMIT-REPORT', failureCause: null, pi: 0, scts: ts } }, 'MT'],
  ['SMS-SUBMIT-REPORT', { sca: null, tpdu: { type: 'SMS-SUBMIT-REPORT', failureCause: 0xc0, pi: 2, scts: ts, dcs: dcsFor('gsm7') } }, 'MT'],
  ['SMS-STATUS-REPORT', { sca: null, tpdu: { type: 'SMS-STATUS-REPORT', moreMessagesToSend: false, loopPrevention: false, statusReportQualifier: 'submit', mr: 9, recipient: addr, scts: ts, dischargeTime: ts, status: 0x46, pi: 7, pid: 0, dcs: dcsFor('gsm7'), udh: null, text: 'expired' } }, 'MT'],
];

describe('SIM records: a TPDU followed by 0xFF padding', () => {
  const real = corpusPdus();

  it('decodes every real corpus PDU from its 176-octet EF-SMS record as from the bare PDU', () => {
    const types: Record<string, number> = {};
    for (const { id, type, pdu, direction } of real) {
      if (pdu.length >= EF_SMS_REMAINDER) continue;
      const bare = decodeSms(pdu, { direction });
      expect(decodeSms(record(pdu), { direction }), id).toEqual(bare);
      types[type] = (types[type] ?? 0) + 1;
    }
    // the corpus holds real DELIVERs, SUBMITs and STATUS-REPORTs (the report is what failed:
    // "TP-PI runs past the end of the data")
    expect(types['SMS-DELIVER']).toBeGreaterThan(30);
    expect(types['SMS-SUBMIT']).toBeGreaterThan(10);
    expect(types['SMS-STATUS-REPORT']).toBeGreaterThanOrEqual(8);
  });

  it('reads a status report in a padded record as one with no optional parameters, as gammu does', () => {
    const reports = real.filter((r) => r.type === 'SMS-STATUS-REPORT');
    for (const { id, pdu } of reports) {
      const bare = decodeSms(pdu);
      for (const size of [EF_SMS_REMAINDER, pdu.length + 1, 1 + pdu[0] + EF_SMSR_REPORT]) {
        if (size <= pdu.length) continue;
        const m = decodeSms(record(pdu, size));
        expect(m, `${id} in ${size} octets`).toEqual(bare);
        expect(m.tpdu.type === 'SMS-STATUS-REPORT' && m.tpdu.pi, id).toBe(bare.tpdu.type === 'SMS-STATUS-REPORT' ? bare.tpdu.pi : -1);
      }
    }
    expect(reports.filter(({ pdu }) => decodeSms(pdu).tpdu.type === 'SMS-STATUS-REPORT' && (decodeSms(pdu).tpdu as { pi: unknown }).pi === null).length)
      .toBeGreaterThanOrEqual(5);
  });

  it('decodes the TPDU types the corpus lacks (command, both reports) from padded records too', () => {
    for (const [type, m, direction] of encoded) {
      const pdu = encodeSms(m);
      expect(decodeSms(record(pdu), { direction }), type).toEqual(decodeSms(pdu, { direction }));
      expect(decodeSms(record(pdu), { direction }).tpdu.type).toBe(type);
    }
  });

  it('still refuses a TP-PI 0xFF that is not padding (data follows it)', () => {
    const [{ pdu }] = real.filter((r) => r.type === 'SMS-STATUS-REPORT' && (decodeSms(r.pdu).tpdu as { pi: unknown }).pi === null);
    const notPadding = new Uint8Array([...pdu, 0xff, 0x01]); // extension, then "TP-PID present"
    expect(() => decodeSms(notPadding)).toThrow(/TP-PID/);
  });

  it('cuts the padding off an AT PDU line whose <length> is the TPDU alone', () => {
    const [{ pdu }] = real.filter((r) => r.type === 'SMS-STATUS-REPORT');
    const tpduLength = pdu.length - 1 - pdu[0];
    const at = fromAtPdu(toHex(record(pdu)), tpduLength);
    expect(at.length).toBe(tpduLength);
    expect(toHex(at.pdu)).toBe(toHex(pdu));
    // a declared length that the data contradicts is still an error
    expect(() => fromAtPdu(`${toHex(pdu)}00ff`, tpduLength)).toThrow(/declared/);
  });
});

describe('the modem inbox hands a status report read from a SIM record to its handler', () => {
  const reports = corpusPdus().filter((r) => r.type === 'SMS-STATUS-REPORT' && r.pdu.length < EF_SMS_REMAINDER);

  for (const declared of ['the TPDU alone', 'the whole record'] as const) {
    it(`when +CMGR's <length> counts ${declared}`, async () => {
      const { pdu } = reports[0];
      const line = toHex(record(pdu));
      const length = declared === 'the TPDU alone' ? pdu.length - 1 - pdu[0] : EF_SMS_REMAINDER - 1 - pdu[0];
      const port = new ScriptedPort([
        { expect: 'AT+CPMS="SM"\r', reply: '\r\n+CPMS: 1,30,1,30,1,30\r\n\r\nOK\r\n' },
        { expect: 'AT+CMGR=3\r', reply: `\r\n+CMGR: 0,,${length}\r\n${line}\r\n\r\nOK\r\n` },
        { expect: 'AT+CMGD=3\r', reply: '\r\nOK\r\n' },
      ]);
      const logger = pino({ level: 'silent' });
      const s = new Session({ path: '/dev/scripted', stream: port, close: async () => undefined }, logger, { ...DEFAULT_TIMEOUTS, command: 500, settle: 10 });
      const got: IncomingStatusReport[] = [];
      const inbox = new Inbox({
        log: logger, session: () => s, imei: () => '350155500001019', routingLost: () => undefined,
        onStatusReport: async (r) => void got.push(r),
      });
      inbox.stored('SM', 3, 'report');
      await new Promise((r) => setTimeout(r, 20));
      await inbox.idle();
      expect(port.mismatches).toEqual([]);
      expect(port.remaining).toBe(0); // taken, so deleted from the SIM
      expect(got).toHaveLength(1);
      expect(got[0].error).toBeNull();
      expect(got[0].report).toEqual(decodeSms(pdu).tpdu);
    });
  }
});
