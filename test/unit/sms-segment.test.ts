// Segmentation: fewest parts, escapes and surrogate pairs never split, national tables only when
// they save parts, every part decodes back and reassembles to the input; WAP push budgets.
import { describe, expect, it } from 'vitest';
import {
  PUSH_SEGMENT_BUDGET, PUSH_SEGMENT_BUDGET_16BIT_REF, PUSH_SINGLE_SMS_BUDGET, Reassembler, binaryBudget,
  decodeSms, encodeSms, parseAddress, planText, pushToSms, segmentBinary, segmentText,
  type SegmentTextOptions, type SmsSubmitTpdu,
} from '../../src/codec/sms/index.js';
import { CodecError } from '../../src/codec/errors.js';

const destination = parseAddress('+4915112345678');

/** Encodes every part, decodes it back (as the SC would read it) and reassembles. */
function roundTrip(parts: SmsSubmitTpdu[]): { text?: string; data?: Uint8Array; pdus: Uint8Array[] } {
  const r = new Reassembler();
  const pdus = parts.map((tpdu) => encodeSms({ sca: null, tpdu }));
  let whole: ReturnType<Reassembler['add']> = null;
  // reverse order: reassembly must not depend on arrival order
  for (let i = pdus.length - 1; i >= 0; i--) {
    const back = decodeSms(pdus[i], { direction: 'MO' });
    expect(back.tpdu).toEqual(parts[i]);
    const done = r.add(back, i);
    if (i > 0) expect(done).toBeNull();
    else whole = done;
  }
  expect(whole).not.toBeNull();
  return { text: whole!.text, data: whole!.data, pdus };
}

const text = (opts: Partial<SegmentTextOptions> & { t: string }) => segmentText(opts.t, { destination, ref: 7, ...opts });

describe('segmentText', () => {
  it('puts 160 GSM 7-bit characters in one SMS and 161 in two (153 + 8)', () => {
    const one = text({ t: 'a'.repeat(160) });
    expect(one).toHaveLength(1);
    expect(one[0].udh).toBeNull();
    const two = text({ t: 'a'.repeat(161) });
    expect(two.map((p) => p.text?.length)).toEqual([153, 8]);
    expect(two.map((p) => p.udh?.concat)).toEqual([
      { ref: 7, total: 2, seq: 1, refBits: 8 }, { ref: 7, total: 2, seq: 2, refBits: 8 },
    ]);
    expect(roundTrip(two).text).toBe('a'.repeat(161));
  });

  it('counts extension characters as two septets', () => {
    expect(text({ t: '€'.repeat(80) })).toHaveLength(1);
    const two = text({ t: '€'.repeat(81) });
    expect(two).toHaveLength(2);
    expect(roundTrip(two).text).toBe('€'.repeat(81));
  });

  it('never splits an escape sequence across parts', () => {
    // 152 septets, then '{' (2 septets) would straddle the 153-septet boundary
    const t = `${'x'.repeat(152)}{${'y'.repeat(20)}`;
    const parts = text({ t });
    expect(parts[0].text).toBe('x'.repeat(152));
    expect(parts[1].text?.startsWith('{')).toBe(true);
    const { text: back, pdus } = roundTrip(parts);
    expect(back).toBe(t);
    // the first part carries 152 septets + 7 header septets
    expect(pdus[0][14]).toBe(159); // SCA, first octet, MR, DA (2 + 7), PID, DCS, then TP-UDL
  });

  it('uses 16-bit references on request (152 septets per part)', () => {
    const parts = text({ t: 'b'.repeat(400), refBits: 16, ref: 0x1234 });
    expect(parts.map((p) => p.text?.length)).toEqual([152, 152, 96]);
    expect(parts[2].udh?.ies[0]).toEqual({ iei: 0x08, data: Uint8Array.of(0x12, 0x34, 3, 3) });
    expect(roundTrip(parts).text).toBe('b'.repeat(400));
  });

  it('falls back to UCS-2: 70 units in one SMS, 67 per part', () => {
    const t = 'Привет'.repeat(12); // 72 units
    const parts = text({ t });
    expect(parts[0].dcs.alphabet).toBe('ucs2');
    expect(parts.map((p) => p.text?.length)).toEqual([67, 5]);
    expect(roundTrip(parts).text).toBe(t);
    expect(text({ t: t.slice(0, 70) })).toHaveLength(1);
  });

  it('never splits a surrogate pair', () => {
    const t = `${'a'.repeat(66)}😀${'b'.repeat(10)}`; // the pair sits at units 66-67
    const parts = text({ t });
    expect(parts.map((p) => p.text?.length)).toEqual([66, 12]);
    expect(parts[1].text?.codePointAt(0)).toBe(0x1f600);
    expect(roundTrip(parts).text).toBe(t);
  });

  it('fits a surrogate pair in the last free units of a single SMS', () => {
    const t = `${'a'.repeat(68)}😀`;
    expect(text({ t })).toHaveLength(1);
  });

  it('uses national tables only when allowed and only when they save parts', () => {
    const turkish = 'Şişli’de ğ ı İ ç ş '.replace('’', "'").repeat(5); // needs UCS-2 without the tables
    const plain = text({ t: turkish });
    expect(plain[0].dcs.alphabet).toBe('ucs2');
    const withTables = text({ t: turkish, languages: ['turkish'] });
    expect(withTables[0].dcs.alphabet).toBe('gsm7');
    expect(withTables.length).toBeLessThan(plain.length);
    expect(withTables[0].udh?.lockingShift ?? withTables[0].udh?.singleShift).toBe('turkish');
    expect(roundTrip(withTables).text).toBe(turkish);
    // a default-alphabet text gains nothing from them: no shift IEs
    const english = text({ t: 'hello world', languages: ['turkish', 'spanish'] });
    expect(english[0].udh).toBeNull();
  });

  it('picks the cheapest table pair (single shift only for Spanish)', () => {
    const t = 'Él comió pan, sí: ¿y tú? ÚÍÓÁ '.repeat(3);
    const plan = planText(t, { languages: ['spanish'] });
    expect(plan.alphabet).toBe('gsm7');
    expect(plan.singleShift).toBe('spanish');
    expect(plan.lockingShift).toBeNull();
    expect(roundTrip(segmentText(t, { destination, languages: ['spanish'] })).text).toBe(t);
  });

  it('round-trips every national language through its own tables', () => {
    const samples: Record<string, string> = {
      portuguese: 'Não há ação: você está lá? ÀÉÍÓÚ ãõç',
      bengali: 'আমি বাংলায় গান গাই',
      gujarati: 'ગુજરાતી ભાષા',
      hindi: 'नमस्ते दुनिया, यह हिंदी है',
      kannada: 'ಕನ್ನಡ ಭಾಷೆ',
      malayalam: 'മലയാളം ഭാഷ',
      oriya: 'ଓଡ଼ିଆ ଭାଷା',
      punjabi: 'ਪੰਜਾਬੀ ਭਾਸ਼ਾ',
      tamil: 'தமிழ் மொழி',
      telugu: 'తెలుగు భాష',
      urdu: 'اردو زبان',
    };
    for (const [lang, t] of Object.entries(samples)) {
      const parts = segmentText(t, { destination, languages: [lang as never] });
      expect(parts[0].dcs.alphabet, lang).toBe('gsm7');
      expect(roundTrip(parts).text, lang).toBe(t);
    }
  });

  it('refuses a character outside GSM 7-bit when told to use it, naming the character', () => {
    const err = (() => {
      try {
        segmentText('abc 中', { destination, alphabet: 'gsm7' });
      } catch (e) {
        return e as CodecError;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(CodecError);
    expect(err?.code).toBe('NOT_REPRESENTABLE');
    expect(err?.message).toContain('"中" (U+4E2D) at index 4');
  });

  it('refuses more parts than allowed', () => {
    expect(() => segmentText('x'.repeat(153 * 3 + 1), { destination, maxSegments: 3 })).toThrow(CodecError);
  });

  it('reproduces python-messaging\'s 3-part 7-bit message layout (153 + 153 + 13 septets)', () => {
    const t = 'x'.repeat(319);
    expect(planText(t).starts).toEqual([0, 153, 306]);
  });
});

describe('segmentBinary / pushToSms', () => {
  const push = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);

  it('states the budgets', () => {
    expect(PUSH_SINGLE_SMS_BUDGET).toBe(133);
    expect(PUSH_SEGMENT_BUDGET).toBe(128);
    expect(PUSH_SEGMENT_BUDGET_16BIT_REF).toBe(127);
    expect(binaryBudget({ portBits: 16 })).toBe(133);
    expect(binaryBudget({ portBits: 16, concatRefBits: 8 })).toBe(128);
    expect(binaryBudget({ portBits: 16, concatRefBits: 16 })).toBe(127);
    expect(binaryBudget()).toBe(140);
  });

  it('puts a 133-byte push in one SMS with the 7-octet port header', () => {
    const parts = pushToSms(push(133), { destination });
    expect(parts).toHaveLength(1);
    expect(parts[0].dcs.raw).toBe(0x04);
    expect(parts[0].udh?.ies).toEqual([{ iei: 0x05, data: Uint8Array.of(0x0b, 0x84, 0x23, 0xf0) }]);
    const { data, pdus } = roundTrip(parts);
    expect(data).toEqual(push(133));
    // TP-UDL: 7 header octets + 133 = 140
    expect(pdus[0][pdus[0].length - 141]).toBe(140);
  });

  it('needs two SMS for 134 bytes (128 + 6 with the 12-octet header)', () => {
    const parts = pushToSms(push(134), { destination, ref: 0x42 });
    expect(parts.map((p) => p.data?.length)).toEqual([128, 6]);
    expect(parts[0].udh?.ies.map((ie) => ie.iei)).toEqual([0x05, 0x00]);
    expect(roundTrip(parts).data).toEqual(push(134));
  });

  it('uses 127 bytes per part with a 16-bit reference', () => {
    const parts = pushToSms(push(300), { destination, ref: 0xbeef, refBits: 16 });
    expect(parts.map((p) => p.data?.length)).toEqual([127, 127, 46]);
    expect(parts[0].udh?.concat).toEqual({ ref: 0xbeef, total: 3, seq: 1, refBits: 16 });
    expect(roundTrip(parts).data).toEqual(push(300));
  });

  it('takes parts as views of the payload, and 8-bit ports on request', () => {
    const p = push(200);
    const parts = segmentBinary(p, { destination, destPort: 80, srcPort: 81, portBits: 8 });
    expect(parts[0].data?.buffer).toBe(p.buffer);
    expect(parts[0].udh?.ports).toEqual({ dest: 80, src: 81, bits: 8 });
    expect(roundTrip(parts).data).toEqual(p);
  });
});
