// Wireshark as an independent judge of every PDU our encoders produce (encoded-samples.ts):
// re-encoded corpus MMS / push / SMS PDUs, the encoder fixtures, constructed MMS PDUs of every
// type, text segmentations and WAP pushes cut into SMS - all in one capture, one tshark run.
// Each PDU must dissect with no warning or error, and tshark's reading of every field must
// equal our own decoder's reading of the same bytes.
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeMms } from '../../src/codec/mms/index.js';
import { decodeSms, type SmsMessage } from '../../src/codec/sms/index.js';
import { decodePush } from '../../src/codec/wsp/index.js';
import { allEncodedSamples, type EncodedSample, type Refused } from '../support/encoded-samples.js';
import { describeExpert, problemsOf, tsharkVersion } from '../support/tshark.js';
import { compareMms, comparePush, compareSms, describeComparison, type Comparison } from '../support/tshark-compare.js';
import { GSM_SMS_UNDEFINED_EXTENSION } from '../support/tshark-known-bugs.js';
import { judge, type Judgement, type Sample, type Verdict } from '../support/tshark-judge.js';

/**
 * Samples tshark must flag, and why: each carries a defect of its input that our encoder is
 * asked to keep (a defective fixture reproduced byte-exactly, a push body passed on as is), so
 * the flag shows the judge sees it. The canonical form of the mmsd message (an empty multipart)
 * is in the set too and must be clean.
 */
const HEADERS_ONLY = 'mmsd fixture: multipart Content-Type and no body at all (no entry count); ' +
  'send-req-empty-multipart is the canonical form and is clean';
const STRAY_NEWLINE = 'the push body is carried as is, and the corpus push has a stray 0x0A after the last MMS header';
const MUST_FLAG: Record<string, string> = {
  'mmsd-encode-send-req-headers-only': HEADERS_ONLY,
  're-encoded mms/mmsd-encode-send-req-headers-only.mms': HEADERS_ONLY,
  're-encoded push/gammu-backup-tmobile-cz.wsp': STRAY_NEWLINE,
  're-encoded push/gammu-backup-vodafone-cz-promms.wsp': STRAY_NEWLINE,
};

/** Samples whose tshark problems a known dissector bug explains (tshark-known-bugs.ts). */
const EXCUSED: Record<string, string> = {
  'notifyresp-ind unrecognised (ends 95 84)': 'mmse-trailing-value-0x84',
  're-encoded mms/mmsengine-notifyresp-ind-unrecognised.mms': 'mmse-trailing-value-0x84',
};

/**
 * Inputs for which a known tshark bug makes a field read differently (tshark-known-bugs.ts):
 * ofono's national-language vectors, re-encoded with the tables their test selects out of
 * band, carry escapes to codes the default extension table lacks.
 */
const BUGS_FOR_INPUT: Record<string, string[]> = {
  're-encoded ofono-charset-spain': [GSM_SMS_UNDEFINED_EXTENSION.id],
  're-encoded ofono-charset-portugal-ext': [GSM_SMS_UNDEFINED_EXTENSION.id],
};

let samples: EncodedSample[];
let refused: Refused[];
let judgement: Judgement;
let verdicts: Map<string, Verdict>;

beforeAll(async () => {
  if (!tsharkVersion()) throw new Error('tshark is not installed (Debian: apt-get install tshark; .ci/run does it)');
  refused = [];
  samples = allEncodedSamples(refused);
  const batch: Sample[] = samples.map((s) =>
    s.kind === 'sms'
      ? { kind: 'sms', id: s.id, tpdu: s.bytes, direction: s.direction, message: s.message }
      : { kind: s.kind, id: s.id, pdu: s.bytes });
  judgement = await judge(batch);
  verdicts = new Map(judgement.verdicts.map((v) => [v.sample.id, v]));
});

const group = (g: string): EncodedSample[] => samples.filter((s) => s.group === g);

describe('the encoded sample set', () => {
  it('has unique ids and every group the brief asks for', () => {
    expect(new Set(samples.map((s) => s.id)).size).toBe(samples.length);
    const counts = Object.fromEntries([...new Set(samples.map((s) => s.group))].map((g) => [g, group(g).length]));
    console.log(`tshark judge: ${samples.length} PDUs`, counts);
    expect(counts).toMatchObject({
      'corpus-mms': 77, 'corpus-push': 15, 'mms-fixture': 3, 'gammu-fixture': 193, 'sms-encode-expected': 20,
    });
    for (const g of ['constructed-mms', 'corpus-sms', 'text-segmentation', 'push', 'push-over-sms']) {
      expect(counts[g], g).toBeGreaterThan(3);
    }
  });

  it('leaves out only corpus inputs our decoders reject (decode-must-fail SMS vectors)', () => {
    expect(refused.map((r) => r.id).every((id) => id.startsWith('gammu-at-sms-failing-') || id === 'gsmmodem-invalid-mti-3'))
      .toBe(true);
  });

  it('reproduces every encoder fixture byte-exactly (else the fixture group would judge other bytes)', () => {
    const withFixture = samples.filter((s) => s.expected);
    expect(withFixture.length).toBe(2 + 20 + 193);
    for (const s of withFixture) expect(Buffer.from(s.bytes).toString('hex'), s.id).toBe(Buffer.from(s.expected!).toString('hex'));
  });
});

describe('tshark on every PDU we encode', () => {
  it('reads the capture without a framing problem', () => {
    expect(judgement.stray.map((p) => `${p.frame}: ${problemsOf(p).map(describeExpert)}`)).toEqual([]);
  });

  it('dissects every PDU as what it is', () => {
    for (const v of judgement.verdicts) {
      const s = v.sample;
      if (s.kind === 'mms') expect(v.mms, s.id).toBeDefined();
      else if (s.kind === 'push') expect(v.push, s.id).toBeDefined();
      else expect(v.sms, s.id).toBeDefined();
    }
  });

  it('raises no warning and no error, except the documented ones', () => {
    const flagged = Object.fromEntries(judgement.verdicts.filter((v) => v.problems.length)
      .map((v) => [v.sample.id, v.problems.map(describeExpert).join('; ')]));
    expect(Object.keys(flagged).sort()).toEqual(Object.keys(MUST_FLAG).sort());
    const excused = Object.fromEntries(judgement.verdicts.filter((v) => v.excused.length)
      .map((v) => [v.sample.id, v.excused.map((e) => e.bug).join()]));
    expect(excused).toEqual(EXCUSED);
  });
});

// ---- field by field ----

function compareOne(v: Verdict, segmentTexts: Map<string, string[]>): Comparison {
  const s = v.sample;
  if (s.kind === 'mms') return compareMms(decodeMms(s.pdu), s.pdu, v.mms!);
  if (s.kind === 'push') return comparePush(decodePush(s.pdu), s.pdu, v.push!);
  const ours: SmsMessage = decodeSms(s.tpdu, { sca: false, direction: s.direction });
  return compareSms(ours, v.sms!, { texts: s.message ? segmentTexts.get(s.message) : undefined, bugs: BUGS_FOR_INPUT[s.id] });
}

describe("tshark's reading equals our decoder's reading of the same bytes", () => {
  /**
   * Compares every PDU of the groups; `skips` are the exact (input, field, bug) triples a known
   * tshark bug keeps from a plain comparison - pinned, so no other input or field slips by.
   */
  const check = (groups: string[], skips: string[] = []): number => {
    // Texts of each concatenated message (tshark lists them all in the segment completing it),
    // and for pushes cut into SMS the reassembled payload (tshark dissects it there).
    const segmentTexts = new Map<string, string[]>();
    const payloads = new Map<string, Uint8Array[]>();
    for (const v of judgement.verdicts) {
      const s = v.sample;
      if (s.kind !== 'sms' || !s.message) continue;
      const t = decodeSms(s.tpdu, { sca: false, direction: s.direction }).tpdu;
      if ('text' in t && t.text !== undefined) segmentTexts.set(s.message, [...(segmentTexts.get(s.message) ?? []), t.text]);
      if ('data' in t && t.data !== undefined) payloads.set(s.message, [...(payloads.get(s.message) ?? []), t.data]);
    }
    const failures: string[] = [];
    let compared = 0;
    const skipped: string[] = [];
    for (const v of judgement.verdicts) {
      const sample = samples.find((x) => x.id === v.sample.id)!;
      if (!groups.includes(sample.group) || MUST_FLAG[sample.id]) continue;
      let c = compareOne(v, segmentTexts);
      // A push cut into SMS: tshark dissects the reassembled push in the last segment.
      if (v.sample.kind === 'sms' && v.sample.message && v.sms?.push && v.sms.reassembledFrames) {
        const whole = Buffer.concat((payloads.get(v.sample.message) ?? []).map((d) => Buffer.from(d)));
        const pushBytes = new Uint8Array(whole);
        c = mergeComparisons(c, comparePush(decodePush(pushBytes), pushBytes, v.sms.push));
      }
      compared += c.compared;
      skipped.push(...c.skipped.map((k) => `${v.sample.id} ${k.field} (${k.bug})`));
      if (c.mismatches.length) failures.push(describeComparison(v.sample.id, c));
    }
    console.log(`${groups.join(', ')}: ${compared} field comparisons`);
    expect(failures).toEqual([]);
    expect(skipped).toEqual(skips);
    return compared;
  };

  it('MMS: corpus re-encoded, fixtures, constructed PDUs of every type', () => {
    expect(check(['corpus-mms', 'mms-fixture', 'constructed-mms'], [
      'mbox-delete-conf (indexed forms) contentLocation (mmse-indexed-forms-not-decoded)',
      'mbox-delete-conf (indexed forms) responseStatus (mmse-indexed-forms-not-decoded)',
    ])).toBeGreaterThan(3000);
  });

  it('WAP push: corpus re-encoded and the notifications we build', () => {
    expect(check(['corpus-push', 'push'])).toBeGreaterThan(500);
  });

  it('SMS: corpus re-encoded, encode-expected vectors, gammu fixtures', () => {
    expect(check(['corpus-sms', 'sms-encode-expected', 'gammu-fixture'], [
      // U+FFFD in tshark's text matched against our main-table characters (sameGsmText)
      're-encoded ofono-charset-portugal-ext text (U+FFFD positions) (gsm_sms-undefined-extension-char)',
      're-encoded ofono-charset-spain text (U+FFFD positions) (gsm_sms-undefined-extension-char)',
    ])).toBeGreaterThan(4500);
  });

  it('SMS: text segmentations and pushes cut into SMS, reassembled by tshark', () => {
    expect(check(['text-segmentation', 'push-over-sms'], [
      'turkish locking shift 1/2 text (gsm_sms-national-language-tables)',
      'turkish locking shift 2/2 text (gsm_sms-national-language-tables)',
    ])).toBeGreaterThan(500);
    // Every multi-segment message was reassembled by tshark in its last segment.
    for (const g of ['text-segmentation', 'push-over-sms']) {
      const messages = new Set(group(g).flatMap((s) => (s.kind === 'sms' && s.message ? [s.message] : [])));
      expect(messages.size, g).toBeGreaterThan(2);
      for (const m of messages) {
        const segs = group(g).filter((s) => s.kind === 'sms' && s.message === m);
        const last = verdicts.get(segs.at(-1)!.id)!;
        expect(last.sms!.reassembledFrames?.length, m).toBe(segs.length);
        if (g === 'push-over-sms') expect(last.sms!.push?.mms, m).toBeDefined();
      }
    }
  });
});

function mergeComparisons(a: Comparison, b: Comparison): Comparison {
  return {
    mismatches: [...a.mismatches, ...b.mismatches],
    skipped: [...a.skipped, ...b.skipped],
    compared: a.compared + b.compared,
  };
}
