// Bad input: every failure is a CodecError naming the field (in 23.040 terms) and the offset;
// truncated and mutated PDUs never crash or hang the decoder.
import { describe, expect, it } from 'vitest';
import { CodecError } from '../../src/codec/errors.js';
import { decodeSms, encodeSms, parseAddress, segmentText, type SmsMessage } from '../../src/codec/sms/index.js';

const b = (h: string): Uint8Array => new Uint8Array(Buffer.from(h, 'hex'));

function fails(pdu: string | Uint8Array, opts = {}): CodecError {
  try {
    decodeSms(typeof pdu === 'string' ? b(pdu) : pdu, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(CodecError);
    return e as CodecError;
  }
  throw new Error('decoded without error');
}

const where = (e: CodecError) => ({ code: e.code, field: e.field, offset: e.offset });

// Corpus PDUs of every shape: GSM 7-bit with UDH, UCS-2, 8-bit push, status report, alphanumeric OA
const SAMPLES: [string, 'MT' | 'MO'][] = [
  ['07919730071111F1400B919746121611F10000811170021222230E06080412340201C8329BFD6601', 'MT'],
  ['07914306073011F0040B914316709807F2000880604290224080084E2D5174901A8BAF', 'MT'],
  ['0791947122725014440C8500947122921105F5112042519592403C0B05040B8423F00003960202206F6465722064696520536569746520646972656B7420617566727566656E2E2049687200830003205465616D000101', 'MT'],
  ['07911614786007F006060B911634092142F4019071011000040190710110450400060000', 'MT'],
  ['07919471060040340409D0C6A733390400009060920173018093CC74595C96838C4F6772085AD6DDE4320B444E9741D4B03C6D7EC3E9E9B71B9474D3CB727799DEA286CFE5B9991DA6CBC3F432E85E9793CBA0F09A9EB6A7CB72BA0B9474D3CB727799DE72D6E9FABAFB0CBAA7E56490BA4CD7D34170F91BE4ACD3F575F7794E0F9F4161F1B92C2F8FD1EE32DD054AA2E520E3D3991C82A8E5701B', 'MT'],
  ['005100098156355476F80000AA14050003880303C2A066D8CD02B5F3A0F9DB0D', 'MO'],
  ['0019000B917228001011F100003170013193008017D474BB3CA787DB70903DCC4E93D3F43C885E9ED301', 'MO'],
];

describe('truncation at every offset', () => {
  for (const [hex, direction] of SAMPLES) {
    it(`${hex.slice(0, 24)}... (${hex.length / 2} octets)`, () => {
      const pdu = b(hex);
      expect(() => decodeSms(pdu, { direction })).not.toThrow();
      for (let n = 0; n < pdu.length; n++) {
        const prefix = pdu.subarray(0, n);
        let m: SmsMessage | null = null;
        try {
          m = decodeSms(prefix, { direction });
        } catch {
          // expected
        }
        if (m !== null) {
          // only a complete PDU of its own may decode: a status report may end after TP-ST
          expect(m.tpdu.type).toBe('SMS-STATUS-REPORT');
          expect(Buffer.from(encodeSms(m))).toEqual(Buffer.from(prefix));
          continue;
        }
        const e = fails(prefix, { direction });
        expect(e.code === 'TRUNCATED' || e.code === 'BAD_LENGTH', `${n}: ${e.message}`).toBe(true);
        expect(e.offset, e.message).toBeGreaterThanOrEqual(0);
        expect(e.offset, e.message).toBeLessThanOrEqual(n);
        expect(e.message).toMatch(/^(SMSC address|TP-[A-Z]+|TP-MTI\/first octet) .* \(at byte \d+\)/);
      }
    });
  }
});

describe('specific faults', () => {
  it('reserved TP-MTI 3', () => {
    expect(where(fails('0003'))).toEqual({ code: 'BAD_TYPE', field: 'TP-MTI/first octet', offset: 1 });
  });

  it('TP-UDL beyond the data', () => {
    // SMS-DELIVER, UDL 10 septets (9 octets) but 3 octets of user data
    expect(where(fails('00040391214300001111111111110C0A616263'))).toEqual({ code: 'BAD_LENGTH', field: 'TP-UDL', offset: 15 });
  });

  it('TP-UDL above 160 septets / 140 octets', () => {
    const ud = '00'.repeat(141);
    expect(where(fails(`00040391214300041111111111110C8D${ud}`))).toEqual({ code: 'BAD_LENGTH', field: 'TP-UDL', offset: 15 });
  });

  it('an information element that overruns the UDH', () => {
    // UDHL 5, element 00 claims 4 octets: 2 + 4 > 5
    expect(where(fails('00440391214300041111111111110C0805000401020304AA'))).toEqual({ code: 'BAD_LENGTH', field: 'TP-UDH', offset: 17 });
  });

  it('a UDHL beyond the user data', () => {
    expect(where(fails('00440391214300041111111111110C030A0001AA'))).toEqual({ code: 'BAD_LENGTH', field: 'TP-UDH', offset: 16 });
  });

  it('non-BCD digits in a time stamp (and lenient reading of them)', () => {
    const pdu = '000403912143000011111A1111110C00';
    expect(where(fails(pdu))).toEqual({ code: 'BAD_VALUE', field: 'TP-SCTS', offset: 10 });
    const m = decodeSms(b(pdu), { lenient: true });
    expect(m.tpdu.type === 'SMS-DELIVER' && m.tpdu.scts.day).toBe(10 * 10 + 1); // digit A read as ten, as ofono does
    expect(where(fails('0004039121430000111111111111F000'))).toEqual({ code: 'BAD_VALUE', field: 'TP-SCTS', offset: 14 });
  });

  it('address lengths beyond the format', () => {
    expect(where(fails('0C91'))).toEqual({ code: 'BAD_LENGTH', field: 'SMSC address', offset: 0 });
    expect(where(fails('000415911111111111111111'))).toEqual({ code: 'BAD_LENGTH', field: 'TP-OA', offset: 2 });
  });

  it('an odd number of UCS-2 octets', () => {
    expect(where(fails('00040391214300081111111111110C03004100'))).toEqual({ code: 'BAD_LENGTH', field: 'TP-UDL', offset: 15 });
    const m = decodeSms(b('00040391214300081111111111110C03004100'), { lenient: true });
    expect(m.tpdu.type === 'SMS-DELIVER' && m.tpdu.text).toBe('A');
  });

  it('TP-CD longer than the command', () => {
    expect(where(fails('0002000001000391214305AABB', { direction: 'MO' }))).toEqual({ code: 'BAD_LENGTH', field: 'TP-CD', offset: 10 });
  });
});

describe('encoder faults', () => {
  const destination = parseAddress('+4915112345678');
  const submit = segmentText('hello', { destination })[0];

  it('a character outside the tables, named with its index', () => {
    expect(() => encodeSms({ sca: null, tpdu: { ...submit, text: 'hé☃' } }))
      .toThrow(/SMS text cannot be represented.*"☃" \(U\+2603\) at index 2/);
  });

  it('user data above 160 septets', () => {
    expect(() => encodeSms({ sca: null, tpdu: { ...submit, text: 'x'.repeat(161) } })).toThrow(/TP-UD is larger than allowed/);
  });

  it('text with an 8-bit DCS, digits that are not digits, years outside 1990-2089', () => {
    const eightBit = segmentText('x', { destination })[0];
    expect(() => encodeSms({ sca: null, tpdu: { ...eightBit, dcs: { ...eightBit.dcs, raw: 4 } } })).toThrow(/TP-DCS/);
    expect(() => encodeSms({ sca: null, tpdu: { ...submit, destination: { ton: 'unknown', npi: 'isdn', number: '12x4' } } }))
      .toThrow(/SMS address has a value not allowed here/);
    expect(() => encodeSms({
      sca: null,
      tpdu: { ...submit, validity: { format: 'absolute', time: { year: 2100, month: 1, day: 1, hour: 0, minute: 0, second: 0, tz: 0 } } },
    })).toThrow(/TP-VP cannot be represented/);
    expect(() => encodeSms({ sca: parseAddress('+1'), tpdu: submit }, { sca: false })).toThrow(CodecError);
  });
});

describe('mutations never crash the decoder', () => {
  it('decodes or rejects 20 000 mutated corpus PDUs with CodecError only; what decodes round-trips', () => {
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    let ok = 0;
    let rejected = 0;
    for (let i = 0; i < 20_000; i++) {
      const [hex, direction] = SAMPLES[rnd(SAMPLES.length)];
      const pdu = b(hex);
      for (let k = 1 + rnd(3); k > 0; k--) pdu[rnd(pdu.length)] = rnd(256);
      let m: SmsMessage;
      try {
        m = decodeSms(pdu, { direction, lenient: rnd(2) === 1 });
      } catch (e) {
        expect(e).toBeInstanceOf(CodecError);
        rejected++;
        continue;
      }
      ok++;
      let again: Uint8Array;
      try {
        again = encodeSms(m);
      } catch (e) {
        // a lenient decode may hold values no encoder writes (e.g. a month of 165)
        expect(e).toBeInstanceOf(CodecError);
        continue;
      }
      expect(decodeSms(again, { direction })).toEqual(m);
    }
    expect(ok).toBeGreaterThan(1000);
    expect(rejected).toBeGreaterThan(1000);
  });
});
