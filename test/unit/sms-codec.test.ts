// The TPDU kinds, DCS groups, national tables selected by UDH, and the helpers around them.
import { describe, expect, it } from 'vitest';
import {
  buildUdh, decodeSms, dcsFor, encodeSms, formatAddress, parseAddress, relativeVpSeconds, smsDcs,
  smsJsonReplacer, smsStatusGroup, timestampFromDate, timestampToDate, timestampToIso,
  type SmsMessage, type SmsTimestamp, type SmsTpdu,
} from '../../src/codec/sms/index.js';

const ts: SmsTimestamp = { year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 58, tz: -14 };
const addr = parseAddress('+4915112345678');

function roundTrip(m: SmsMessage, direction: 'MT' | 'MO', report?: 'ack' | 'error'): Uint8Array {
  const pdu = encodeSms(m);
  expect(decodeSms(pdu, { direction, report })).toEqual(m);
  expect(decodeSms(pdu, { direction })).toEqual(m); // the report form is told apart by itself
  return pdu;
}

describe('DCS (23.038 §4)', () => {
  it('reads the general, automatic-deletion, reserved, message-waiting and data-class groups', () => {
    const pick = (raw: number) => {
      const d = smsDcs(raw);
      return [d.group, d.alphabet, d.compressed, d.messageClass, d.reserved, d.waiting];
    };
    expect(pick(0x00)).toEqual(['general', 'gsm7', false, null, false, null]);
    expect(pick(0x04)).toEqual(['general', '8bit', false, null, false, null]);
    expect(pick(0x08)).toEqual(['general', 'ucs2', false, null, false, null]);
    expect(pick(0x0c)).toEqual(['general', 'gsm7', false, null, true, null]); // reserved alphabet
    expect(pick(0x12)).toEqual(['general', 'gsm7', false, 2, false, null]);
    expect(pick(0x39)).toEqual(['general', 'ucs2', true, 1, false, null]);
    expect(pick(0x53)).toEqual(['auto-delete', 'gsm7', false, 3, false, null]);
    expect(pick(0x8f)).toEqual(['reserved', 'gsm7', false, null, true, null]);
    expect(pick(0xc8)).toEqual(['mwi-discard', 'gsm7', false, null, false, { active: true, type: 'voicemail' }]);
    expect(pick(0xd1)).toEqual(['mwi-store', 'gsm7', false, null, false, { active: false, type: 'fax' }]);
    expect(pick(0xeb)).toEqual(['mwi-store-ucs2', 'ucs2', false, null, false, { active: true, type: 'other' }]);
    expect(pick(0xf6)).toEqual(['data-class', '8bit', false, 2, false, null]);
    expect(pick(0xf0)).toEqual(['data-class', 'gsm7', false, 0, false, null]);
    expect(dcsFor('ucs2', 1).raw).toBe(0x19);
    expect(() => smsDcs(256)).toThrow(/TP-DCS/);
  });

  it('decodes reserved codings as GSM 7-bit text and keeps the DCS as given', () => {
    const m = decodeSms(new Uint8Array(Buffer.from('0004039121F300AF1111111111110005E8329BFD06', 'hex')));
    expect(m.tpdu.type === 'SMS-DELIVER' && [m.tpdu.text, m.tpdu.dcs.raw]).toEqual(['hello', 0xaf]);
    expect(Buffer.from(encodeSms(m)).toString('hex').toUpperCase()).toBe('0004039121F300AF1111111111110005E8329BFD06');
  });

  it('returns compressed user data as octets', () => {
    const m = decodeSms(new Uint8Array(Buffer.from('0004039121430024111111111111000301020304', 'hex')));
    expect(m.tpdu.type === 'SMS-DELIVER' && [m.tpdu.text, Array.from(m.tpdu.data ?? [])]).toEqual([undefined, [1, 2, 3]]);
  });
});

describe('national language tables selected by the UDH', () => {
  it('decodes with the locking and single shift tables the IEs 0x25 / 0x24 name', () => {
    const tpdu: SmsTpdu = {
      type: 'SMS-DELIVER', moreMessagesToSend: false, loopPrevention: false, statusReportIndication: false,
      replyPath: false, originator: addr, pid: 0, dcs: dcsFor('gsm7'), scts: ts,
      udh: buildUdh({ lockingShift: 'turkish', singleShift: 'turkish' }), text: 'İstanbul’da ğüşıöç €'.replace('’', "'"),
    };
    const pdu = roundTrip({ sca: null, tpdu }, 'MT');
    // the same septets read with the default tables say something else
    const raw = Buffer.from(pdu).toString('hex');
    const noUdh = decodeSms(new Uint8Array(Buffer.from(raw.replace(/^0044/, '0004'), 'hex')));
    expect(noUdh.tpdu.type === 'SMS-DELIVER' && noUdh.tpdu.text).not.toBe(tpdu.text);
  });

  it('ignores an unknown language identifier (default tables)', () => {
    const udh = { ...buildUdh({}), ies: [{ iei: 0x25, data: Uint8Array.of(0x7f) }] };
    const tpdu: SmsTpdu = {
      type: 'SMS-DELIVER', moreMessagesToSend: false, loopPrevention: false, statusReportIndication: false,
      replyPath: false, originator: addr, pid: 0, dcs: dcsFor('gsm7'), scts: ts, udh, text: 'plain',
    };
    roundTrip({ sca: null, tpdu }, 'MT');
  });
});

describe('every TPDU kind encodes and decodes back', () => {
  it('SMS-SUBMIT with every validity format and flags', () => {
    for (const validity of [
      { format: 'none' as const }, { format: 'relative' as const, value: 173 },
      { format: 'absolute' as const, time: ts }, { format: 'enhanced' as const, octets: Uint8Array.of(1, 2, 3, 4, 5, 6, 7) },
    ]) {
      roundTrip({
        sca: parseAddress('+31624000000'),
        tpdu: {
          type: 'SMS-SUBMIT', rejectDuplicates: true, replyPath: true, statusReportRequest: true, mr: 255, destination: addr,
          pid: 0x41, dcs: dcsFor('ucs2', 0), validity, udh: null, text: 'ÿ€😀',
        },
      }, 'MO');
    }
  });

  it('UCS-2 keeps unpaired surrogates and a leading BOM exactly, short or long', () => {
    for (const text of ['\uFEFFa\uD800b', `\uFEFF${'x'.repeat(60)}\uDC00${'y'.repeat(5)}`, `${'😀'.repeat(30)}z`]) {
      roundTrip({
        sca: null,
        tpdu: {
          type: 'SMS-SUBMIT', rejectDuplicates: false, replyPath: false, statusReportRequest: false, mr: 0, destination: addr,
          pid: 0, dcs: dcsFor('ucs2'), validity: { format: 'none' }, udh: null, text,
        },
      }, 'MO');
    }
  });

  it('SMS-DELIVER with an alphanumeric originator using extension characters', () => {
    roundTrip({
      sca: parseAddress('+31624000000'),
      tpdu: {
        type: 'SMS-DELIVER', moreMessagesToSend: true, loopPrevention: true, statusReportIndication: true, replyPath: true,
        originator: { ton: 'alphanumeric', npi: 'unknown', number: 'a[]{}€' }, pid: 0, dcs: dcsFor('8bit'), scts: ts,
        udh: buildUdh({ ports: { dest: 5000, src: 6000, bits: 16 } }), data: Uint8Array.of(0, 255, 128),
      },
    }, 'MT');
  });

  it('SMS-STATUS-REPORT with and without the optional part', () => {
    const base = {
      type: 'SMS-STATUS-REPORT' as const, moreMessagesToSend: false, loopPrevention: false, statusReportQualifier: 'command' as const,
      mr: 17, recipient: addr, scts: ts, dischargeTime: { ...ts, second: 59 }, status: 0x41,
    };
    roundTrip({ sca: null, tpdu: { ...base, pi: null } }, 'MT');
    roundTrip({ sca: null, tpdu: { ...base, pi: 7, pid: 0, dcs: dcsFor('gsm7'), udh: null, text: 'note' } }, 'MT');
    expect(smsStatusGroup(0x41)).toBe('permanent-error');
    expect(smsStatusGroup(0x00)).toBe('completed');
    expect(smsStatusGroup(0x21)).toBe('trying');
    expect(smsStatusGroup(0x62)).toBe('gave-up');
  });

  it('SMS-COMMAND', () => {
    roundTrip({
      sca: null,
      tpdu: {
        type: 'SMS-COMMAND', statusReportRequest: true, udhi: false, mr: 3, pid: 0, commandType: 2, messageNumber: 9,
        destination: addr, commandData: Uint8Array.of(1, 2, 3),
      },
    }, 'MO');
  });

  it('SMS-DELIVER-REPORT and SMS-SUBMIT-REPORT in both RP forms', () => {
    roundTrip({ sca: null, tpdu: { type: 'SMS-DELIVER-REPORT', failureCause: null, pi: 0 } }, 'MO', 'ack');
    roundTrip({ sca: null, tpdu: { type: 'SMS-DELIVER-REPORT', failureCause: 0xd3, pi: 4, udh: null, text: 'full' } }, 'MO', 'error');
    roundTrip({ sca: null, tpdu: { type: 'SMS-SUBMIT-REPORT', failureCause: null, pi: 1, scts: ts, pid: 0x7f } }, 'MT', 'ack');
    roundTrip({
      sca: null, tpdu: { type: 'SMS-SUBMIT-REPORT', failureCause: 0xc0, pi: 2, scts: ts, dcs: dcsFor('gsm7') },
    }, 'MT', 'error');
  });
});

describe('helpers', () => {
  it('parse and format addresses', () => {
    expect(parseAddress('+123')).toEqual({ ton: 'international', npi: 'isdn', number: '123' });
    expect(parseAddress('*100#')).toEqual({ ton: 'unknown', npi: 'isdn', number: '*100#' });
    expect(parseAddress('Telfort')).toEqual({ ton: 'alphanumeric', npi: 'unknown', number: 'Telfort' });
    expect(formatAddress(parseAddress('+123'))).toBe('+123');
  });

  it('convert time stamps and validity periods', () => {
    expect(timestampToIso(ts)).toBe('2024-02-29T23:59:58-03:30');
    expect(timestampToDate(ts).toISOString()).toBe('2024-03-01T03:29:58.000Z');
    expect(timestampFromDate(timestampToDate(ts), -14)).toEqual(ts);
    expect([0, 143, 144, 167, 168, 196, 197, 255].map(relativeVpSeconds))
      .toEqual([300, 43_200, 45_000, 86_400, 172_800, 2_592_000, 3_024_000, 38_102_400]);
  });

  it('render decoded PDUs as JSON with octets in hex', () => {
    const m = decodeSms(new Uint8Array(Buffer.from('07914140279510F6440A8111110301003BF56080207130238A3B0B05040B8423F000032A0202362E3130322E3137312E3135302F524E453955304A6D713551414142666C414141414D774141423651414141414100', 'hex')));
    const json = JSON.parse(JSON.stringify(m, smsJsonReplacer));
    expect(json.tpdu.udh.ies[0]).toEqual({ iei: 5, data: '0B8423F0' });
    expect(json.tpdu.data.startsWith('362E313032')).toBe(true);
    expect(json.tpdu.originator).toEqual({ ton: 'unknown', npi: 'isdn', number: '1111301000' });
  });
});
