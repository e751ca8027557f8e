// Reassembler bookkeeping and AT PDU-mode framing.
import { describe, expect, it } from 'vitest';
import { CodecError } from '../../src/codec/errors.js';
import {
  Reassembler, decodeSms, encodeSms, fromAtPdu, parseAddress, segmentText, toAtPdu,
  type SmsDeliverTpdu, type SmsSubmitTpdu,
} from '../../src/codec/sms/index.js';

const from = (n: string) => parseAddress(n);

/** The parts of a text as SMS-DELIVERs from `sender`, decoded from real PDUs. */
function delivered(text: string, sender: string, ref: number, refBits: 8 | 16 = 8): SmsDeliverTpdu[] {
  return segmentText(text, { destination: from('+1555'), ref, refBits }).map((s: SmsSubmitTpdu) => {
    const d: SmsDeliverTpdu = {
      type: 'SMS-DELIVER', moreMessagesToSend: false, loopPrevention: false, statusReportIndication: false,
      replyPath: false, originator: from(sender), pid: 0, dcs: s.dcs,
      scts: { year: 2024, month: 1, day: 2, hour: 3, minute: 4, second: 5, tz: 4 }, udh: s.udh, text: s.text,
    };
    return decodeSms(encodeSms({ sca: from('+4917000000'), tpdu: d })).tpdu as SmsDeliverTpdu;
  });
}

describe('Reassembler', () => {
  const long = 'The quick brown fox jumps over the lazy dog. '.repeat(8); // 360 chars: 3 parts

  it('yields the whole message once every part arrived, in any order, ignoring duplicates', () => {
    const parts = delivered(long, '+491701234567', 42);
    expect(parts).toHaveLength(3);
    const r = new Reassembler();
    expect(r.add(parts[2], 100)).toBeNull();
    expect(r.add(parts[0], 101)).toBeNull();
    expect(r.add(parts[0], 102)).toBeNull(); // duplicate
    expect(r.pending).toBe(1);
    const done = r.add(parts[1], 103);
    expect(done?.text).toBe(long);
    expect(done?.parts.map((p) => p.udh?.concat?.seq)).toEqual([1, 2, 3]);
    expect(done?.concat).toEqual({ ref: 42, total: 3, refBits: 8 });
    expect(done?.address).toEqual(from('+491701234567'));
    expect([done?.firstAt, done?.lastAt]).toEqual([100, 103]);
    expect(r.pending).toBe(0);
  });

  it('keeps messages apart by sender, reference and reference width', () => {
    const a = delivered(long, '+491700000001', 9);
    const b = delivered(long.toUpperCase(), '+491700000002', 9);
    const c = delivered(long.replace(/o/g, '0'), '+491700000001', 9, 16);
    const r = new Reassembler();
    const out: string[] = [];
    for (let i = 0; i < 3; i++) {
      for (const p of [a[i], b[i], c[i]]) {
        const done = r.add(p, i);
        if (done) out.push(done.text as string);
      }
    }
    expect(out.sort()).toEqual([long, long.toUpperCase(), long.replace(/o/g, '0')].sort());
  });

  it('passes a message without concatenation straight through', () => {
    const [p] = delivered('hello', '+491700000003', 1);
    expect(p.udh).toBeNull();
    expect(new Reassembler().add(p, 5)?.text).toBe('hello');
  });

  it('lists and expires incomplete messages by age, with the missing parts', () => {
    const parts = delivered(long, '+491700000004', 77);
    const r = new Reassembler();
    r.add(parts[0], 1000);
    r.add(parts[2], 1500);
    expect(r.stale(1500, 1000)).toEqual([]);
    const stale = r.stale(2000, 1000);
    expect(stale).toHaveLength(1);
    expect(stale[0].missing).toEqual([2]);
    expect(stale[0].parts[0]?.text).toBe(parts[0].text);
    expect(r.pending).toBe(1); // stale() keeps them
    expect(r.expire(2000, 1000).map((m) => m.missing)).toEqual([[2]]);
    expect(r.pending).toBe(0);
  });

  it('evicts the oldest beyond maxPending and hands it to expire()', () => {
    const r = new Reassembler({ maxPending: 2 });
    for (let i = 0; i < 3; i++) r.add(delivered(long, `+49170000010${i}`, i)[0], i);
    expect(r.pending).toBe(2);
    const out = r.expire(3, 1000); // nothing is old yet, but one was evicted
    expect(out.map((m) => m.address.number)).toEqual(['491700000100']);
  });

  it('joins binary parts and keeps their ports', () => {
    const pdus = ['0791947122725014440C8500947122921105F5112042519582408C0B05040B8423F0000396020101060B03AE81EAC3958D01A2B48403056A0A20566F6461666F6E650045C60C037761702E6D65696E63616C6C79612E64652F000801035A756D206B6F7374656E6C6F73656E20506F7274616C20224D65696E0083000322202D2065696E66616368206175662064656E20666F6C67656E64656E204C696E6B206B6C69636B656E',
      '0791947122725014440C8500947122921105F5112042519592403C0B05040B8423F00003960202206F6465722064696520536569746520646972656B7420617566727566656E2E2049687200830003205465616D000101'];
    const r = new Reassembler();
    r.add(decodeSms(Buffer.from(pdus[1], 'hex')), 0);
    const done = r.add(decodeSms(Buffer.from(pdus[0], 'hex')), 1);
    expect(done?.ports).toEqual({ dest: 2948, src: 9200, bits: 16 });
    expect(done?.data?.length).toBe(176);
    expect(done?.text).toBeUndefined();
  });

  it('refuses TPDUs that are not messages', () => {
    const sr = decodeSms(Buffer.from('0791538375000075061805810531F1019082416500400190824165004000', 'hex'));
    expect(() => new Reassembler().add(sr, 0)).toThrow(CodecError);
  });
});

describe('AT PDU mode (27.005)', () => {
  const tpdu = encodeSms({ sca: null, tpdu: segmentText('hi', { destination: from('+31612345678') })[0] }, { sca: false });

  it('frames AT+CMGS: <length> counts the TPDU only, 00 selects the modem SMSC', () => {
    const { hex, length } = toAtPdu(tpdu);
    expect(length).toBe(tpdu.length);
    expect(hex).toBe(`00${Buffer.from(tpdu).toString('hex').toUpperCase()}`);
    const withSca = toAtPdu(tpdu, from('+31624000000'));
    expect(withSca.hex.startsWith('07911326040000F0')).toBe(true);
    expect(withSca.length).toBe(tpdu.length);
  });

  it('reads a +CMGR / +CMT line back, checking the declared length', () => {
    const { hex, length } = toAtPdu(tpdu, from('+31624000000'));
    const back = fromAtPdu(`${hex.toLowerCase()}\r`, length);
    expect(Buffer.from(back.tpdu)).toEqual(Buffer.from(tpdu));
    expect(back.length).toBe(length);
    expect(decodeSms(back.pdu, { direction: 'MO' }).sca).toEqual(from('+31624000000'));
  });

  it('names the problem in the line: odd length, non-hex character, wrong <length>, short SMSC part', () => {
    const cases: [() => unknown, string, string, number][] = [
      [() => fromAtPdu('0011223'), 'BAD_LENGTH', 'AT PDU hex', 7],
      [() => fromAtPdu('00112G33'), 'BAD_VALUE', 'AT PDU hex', 5],
      [() => fromAtPdu('0001000391', 5), 'BAD_LENGTH', 'AT PDU length', -1],
      [() => fromAtPdu('0791'), 'TRUNCATED', 'SMSC address', 0],
      [() => fromAtPdu('0C91000000000000000000000000'), 'BAD_LENGTH', 'SMSC address', 0],
    ];
    for (const [fn, code, field, offset] of cases) {
      let err: unknown;
      try {
        fn();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CodecError);
      expect({ code: (err as CodecError).code, field: (err as CodecError).field, offset: (err as CodecError).offset })
        .toEqual({ code, field, offset });
    }
    expect(() => fromAtPdu('0001000391', 5)).toThrow(/declared 5, the TPDU has 4 octets/);
  });
});
