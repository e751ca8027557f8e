// test/corpus/sms/field-vectors.jsonl: the sub-field vectors, each in full, through the field
// codecs and, where a field lives inside a PDU, through a whole PDU as well.
import { describe, expect, it } from 'vitest';
import {
  buildUdh, decodeAddressField, decodeSms, decodeTimestampField, encodeAddressField, encodeSms,
  encodeTimestampField, gsm7Pack, gsm7Unpack, parseAddress, relativeVpFromSeconds, relativeVpSeconds,
  timestampFromDate, timestampToIso, type SmsTimestamp,
} from '../../src/codec/sms/index.js';
import { bytes, hex, readJsonl } from './sms-corpus.js';

type V = Record<string, unknown> & { kind: string; source: string };
const vectors = readJsonl<V>('sms/field-vectors.jsonl');
const kinds = (k: string): V[] => vectors.filter((v) => v.kind === k);
const label = (v: V): string => String(v.name ?? v.text ?? v.address ?? v.digits ?? v.timestamp ?? v.period_seconds ?? v.ie_hex ?? v.udh_hex);

/** A one-off SMS-DELIVER around user data, to see a field inside a whole PDU. */
function deliverHex(udHex: string, udl: number, dcs = 0, udhi = false): string {
  return `00${udhi ? '44' : '04'}0B916407281553F800${dcs.toString(16).padStart(2, '0')}11111111111100${udl.toString(16).padStart(2, '0')}${udHex}`.toUpperCase();
}

describe('field-vectors.jsonl', () => {
  it('holds 66 vectors of the kinds below', () => {
    expect(vectors.length).toBe(66);
    expect(new Set(vectors.map((v) => v.kind))).toEqual(new Set([
      'gsm7-packed', 'semi-octets', 'gsm7-septets-and-packed', 'ucs2', 'tp-address-field', 'sc-address-field',
      'tp-vp-relative', 'scts', 'udh-ie-concatenation', 'udh-ie-port-address', 'udh', 'tp-vp-absolute-scts',
    ]));
  });

  describe('GSM 7-bit packing', () => {
    for (const v of [...kinds('gsm7-packed'), ...kinds('gsm7-septets-and-packed')]) {
      it(label(v), () => {
        const text = v.text as string;
        const fillBits = (v.align_bits as number | undefined) ?? 0;
        const packed = v.packed_hex as string;
        if (v.septet_count !== undefined) {
          // "@ loss": a trailing '@' (septet 0) packs into the same octets as no character; only
          // the septet count (TP-UDL) tells them apart
          expect(gsm7Unpack(bytes(packed), v.septet_count as number)).toBe(text);
          expect(gsm7Unpack(bytes(packed), (v.septet_count as number) - 1)).toBe(text.slice(0, -1));
          expect(hex(gsm7Pack(text).bytes)).toBe(packed);
          return;
        }
        const { bytes: b, septets } = gsm7Pack(text, { fillBits });
        expect(hex(b)).toBe(packed);
        expect(gsm7Unpack(bytes(packed), septets, { fillBits })).toBe(text);
        if (v.septets_hex) expect(septets).toBe((v.septets_hex as string).length / 2);
        if (fillBits === 0) {
          // and inside an SMS-DELIVER
          const m = decodeSms(bytes(deliverHex(packed, septets)));
          expect((m.tpdu as { text: string }).text).toBe(text);
          expect(hex(encodeSms(m))).toBe(deliverHex(packed, septets));
        }
      });
    }
  });

  describe('semi-octets', () => {
    for (const v of kinds('semi-octets')) {
      it(label(v), () => {
        const digits = v.digits as string;
        const field = encodeAddressField({ ton: 'unknown', npi: 'isdn', number: digits });
        expect(hex(field)).toBe(`${digits.length.toString(16).padStart(2, '0').toUpperCase()}81${v.encoded_hex}`);
        expect(decodeAddressField(field).address?.number).toBe(digits);
      });
    }
  });

  describe('UCS-2', () => {
    for (const v of kinds('ucs2')) {
      it(label(v), () => {
        const ud = v.encoded_hex as string;
        const pdu = deliverHex(ud, ud.length / 2, 8);
        const m = decodeSms(bytes(pdu));
        expect((m.tpdu as { text: string }).text).toBe(v.text);
        expect(hex(encodeSms(m))).toBe(pdu);
      });
    }
  });

  describe('address fields', () => {
    for (const v of [...kinds('tp-address-field'), ...kinds('sc-address-field')]) {
      it(`${v.kind} ${label(v)} <- ${v.input_hex}`, () => {
        const sca = v.kind === 'sc-address-field';
        const { address, length } = decodeAddressField(bytes(v.input_hex as string), { sca });
        expect(length).toBe(v.bytes_read);
        // python-gsmmodem writes "+digits" international (91), other digits national (A1)
        const a = parseAddress(v.address as string);
        expect(address).toEqual(a.ton === 'unknown' ? { ...a, ton: 'national' } : a);
        expect(hex(encodeAddressField(address, { sca }))).toBe(v.encoded_hex);
      });
    }
  });

  describe('TP-VP relative', () => {
    for (const v of kinds('tp-vp-relative')) {
      it(`${v.period_seconds} s <-> ${v.tp_vp} (${v.source})`, () => {
        const value = v.tp_vp as number;
        expect(relativeVpFromSeconds(v.period_seconds as number)).toBe(value);
        // the octet stands for a period no longer than asked (rounded down to the format's step)
        expect(relativeVpSeconds(value)).toBeLessThanOrEqual(Math.max(300, v.period_seconds as number));
        expect(relativeVpFromSeconds(relativeVpSeconds(value))).toBe(value);
      });
    }
  });

  describe('time stamps (TP-SCTS, TP-VP absolute)', () => {
    for (const v of [...kinds('scts'), ...kinds('tp-vp-absolute-scts')]) {
      it(`${v.timestamp} <-> ${v.encoded_hex}`, () => {
        const stated = v.timestamp as string;
        // "naive" datetimes are encoded with zone 00 by python-messaging
        const iso = stated.endsWith('(naive)') ? `${stated.slice(0, 19)}+00:00` : stated;
        const z = /([+-])(\d\d):(\d\d)$/.exec(iso) as RegExpExecArray;
        const tz = (Number(z[2]) * 4 + Number(z[3]) / 15) * (z[1] === '-' ? -1 : 1);
        const ts: SmsTimestamp = timestampFromDate(new Date(iso), tz);
        expect(timestampToIso(ts)).toBe(iso);
        expect(hex(encodeTimestampField(ts))).toBe(v.encoded_hex);
        expect(decodeTimestampField(bytes(v.encoded_hex as string))).toEqual(ts);
        if (v.kind === 'tp-vp-absolute-scts') {
          // as TP-VP of an SMS-SUBMIT (VPF absolute)
          const m = decodeSms(bytes(`001900039199F90000${v.encoded_hex}00`), { direction: 'MO' });
          expect(m.tpdu.type === 'SMS-SUBMIT' && m.tpdu.validity).toEqual({ format: 'absolute', time: ts });
        }
      });
    }
  });

  describe('UDH information elements', () => {
    for (const v of [...kinds('udh-ie-concatenation'), ...kinds('udh-ie-port-address'), ...kinds('udh')]) {
      it(`${v.kind} ${label(v)}`, () => {
        const udhHex = (v.udh_hex as string | undefined) ?? (v.ie_hex as string);
        const udhLen = udhHex.length / 2;
        // inside an 8-bit SMS-DELIVER: UDHL, the elements, one octet of data
        const pdu = deliverHex(`${udhLen.toString(16).padStart(2, '0').toUpperCase()}${udhHex}AA`, udhLen + 2, 4, true);
        const m = decodeSms(bytes(pdu));
        const udh = (m.tpdu as { udh: ReturnType<typeof buildUdh> }).udh;
        expect(hex(encodeSms(m))).toBe(pdu.toUpperCase());
        const concat = (v.concat as Record<string, number> | undefined) ??
          (v.ref !== undefined ? { ref: v.ref as number, parts: v.parts as number, seq: v.seq as number } : undefined);
        if (concat) {
          const refBits = concat.ref_bits ?? (udhHex.startsWith('08') || udhHex.startsWith('0804') ? 16 : 8);
          expect(udh.concat).toEqual({ ref: concat.ref, total: concat.parts, seq: concat.seq, refBits });
        }
        const ports = (v.ports as Record<string, number> | undefined) ??
          (v.dest_port !== undefined ? { dest: v.dest_port as number, orig: v.orig_port as number } : undefined);
        if (ports) {
          expect({ dest: udh.ports?.dest, src: udh.ports?.src }).toEqual({ dest: ports.dest, src: ports.orig });
        }
        // built from its meaning, the header is the same element list (order aside for the
        // two-element header, whose order buildUdh fixes)
        const built = buildUdh({ concat: udh.concat, ports: udh.ports });
        expect(built.ies.map((ie) => hex(Uint8Array.of(ie.iei, ie.data.length, ...ie.data))).sort())
          .toEqual(udh.ies.map((ie) => hex(Uint8Array.of(ie.iei, ie.data.length, ...ie.data))).sort());
      });
    }
  });
});
