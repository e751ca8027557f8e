// How the SMS corpus's encoder inputs become SmsMessages, one mapping per source, shared by the
// conformance tests (which compare our bytes with the PDU the source states) and by
// encoded-samples.ts (which hands the same messages to the tshark judge).
//   gammuMessage           sms/gammu-at-sms-encode.jsonl: one gammu .backup message
//   encodeExpectedGroups   sms/sms-pdus.jsonl: the encode-expected vectors, grouped per input
//   encoderInputMessages   sms/sms-pdus.jsonl: what one vector's encoder_input makes
import {
  dcsFor, gsm7Pack, parseAddress, relativeVpFromSeconds, segmentBinary, segmentText, timestampFromDate,
  type SmsAddress, type SmsMessage, type SmsTpdu, type SmsValidity,
} from '../../src/codec/sms/index.js';
import type { GammuEncodeFixture, GammuEncoderInput, SmsVector } from './corpus.js';

// ---- gammu at-sms-encode fixtures ----

/** INI values keep their quotes; gammu writes "+digits" as international, other digits as TON unknown. */
function gammuAddress(ini: string): SmsAddress {
  return parseAddress(ini.replace(/^"|"$/g, ''));
}

/**
 * What gammu puts in one stored message: its "Default" coding transliterates characters the GSM
 * alphabet lacks (here only š -> s, the one such character in the fixtures), and a message
 * holds at most one SMS of text: 160 septets, or 70 UCS-2 units.
 */
function gammuText(text: string, coding: GammuEncoderInput['Coding']): string {
  if (coding === 'Unicode') return text.slice(0, 70);
  const t = text.replace(/š/g, 's');
  let n = t.length;
  while (gsm7Pack(t.slice(0, n)).septets > 160) n--;
  return t.slice(0, n);
}

/**
 * The message gammu stores for a fixture, its SMSC as the SCA. Folder 1 (outbox) -> SMS-SUBMIT
 * with gammu's defaults; Folder 2 (inbox) -> SMS-DELIVER dated Sent.
 */
export function gammuMessage(f: Pick<GammuEncodeFixture, 'encoder_input'>): SmsMessage {
  const i = f.encoder_input;
  const dcs = dcsFor(i.Coding === 'Unicode' ? 'ucs2' : 'gsm7');
  const text = gammuText(i.text, i.Coding);
  const sca = gammuAddress(i.SMSC);
  if (i.Folder === '1') {
    return {
      sca,
      tpdu: {
        type: 'SMS-SUBMIT', rejectDuplicates: false, replyPath: false, statusReportRequest: false, mr: 0,
        destination: gammuAddress(i.Number), pid: 0, dcs, validity: { format: 'relative', value: 255 }, udh: null, text,
      },
    };
  }
  const s = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)$/.exec(i.Sent as string) as RegExpExecArray;
  return {
    sca,
    tpdu: {
      type: 'SMS-DELIVER', moreMessagesToSend: true, loopPrevention: false, statusReportIndication: false, replyPath: false,
      originator: gammuAddress(i.Number), pid: 0, dcs,
      scts: { year: +s[1], month: +s[2], day: +s[3], hour: +s[4], minute: +s[5], second: +s[6], tz: 0 },
      udh: null, text,
    },
  };
}

// ---- sms-pdus.jsonl encode-expected vectors ----

type EncodeVector = Pick<SmsVector, 'id' | 'role' | 'encoder_input'>;

/**
 * The encode-expected vectors, one group per encoder input: a concatenated message's first
 * segment holds the input, its later segments say {"see": <first id>}.
 */
export function encodeExpectedGroups<V extends EncodeVector>(vectors: V[]): { input: V; segments: V[] }[] {
  const enc = vectors.filter((v) => v.role === 'encode-expected');
  return enc
    .filter((v) => !(v.encoder_input && 'see' in v.encoder_input))
    .map((input) => ({
      input,
      segments: enc.filter((x) => x.id === input.id || (x.encoder_input as { see?: string } | undefined)?.see === input.id),
    }));
}

const intl = (n: string): SmsAddress => parseAddress(n);
/** python-gsmmodem's address rule: "+digits" international, other digits national (TOA A1). */
const gsmmodemAddress = (n: string): SmsAddress => (n.startsWith('+') ? parseAddress(n) : { ton: 'national', npi: 'isdn', number: n });

/**
 * A source's stated validity: none, "N days" (relative), python-messaging's naive datetime (its
 * fields as written, zone 0), or ISO 8601 with an offset (python-gsmmodem).
 */
function validityOf(v: unknown): SmsValidity {
  if (v === undefined) return { format: 'none' };
  const s = v as string;
  const days = /^(\d+) days$/.exec(s);
  if (days) return { format: 'relative', value: relativeVpFromSeconds(Number(days[1]) * 86_400) };
  if (s.endsWith('(naive datetime)')) return { format: 'absolute', time: timestampFromDate(new Date(`${s.slice(0, 19)}Z`), 0) };
  const z = /([+-])(\d\d):(\d\d)$/.exec(s) as RegExpExecArray;
  const quarters = (Number(z[2]) * 4 + Number(z[3]) / 15) * (z[1] === '-' ? -1 : 1);
  return { format: 'absolute', time: timestampFromDate(new Date(s), quarters) };
}

/** The messages (one per segment, in order) a vector's source builds from its encoder_input. */
export function encoderInputMessages(v: Pick<SmsVector, 'source' | 'encoder_input'>): SmsMessage[] {
  const i = (v.encoder_input ?? {}) as Record<string, never>;
  const withSca = (sca: SmsAddress | null, tpdus: SmsTpdu[]): SmsMessage[] => tpdus.map((tpdu) => ({ sca, tpdu }));
  switch (v.source) {
    case 'pmarti/python-messaging': {
      const common = {
        destination: intl(i.number), mr: i.ref, ref: i.rand_id, validity: validityOf(i.validity),
        messageClass: i.klass ?? null, statusReportRequest: i.request_status ?? false,
      };
      const tpdus = i.fmt
        ? segmentBinary(new Uint8Array(Buffer.from(i.text as string, 'latin1')), common)
        : segmentText(i.text, common);
      return withSca(i.csca ? intl(i.csca) : null, tpdus);
    }
    case 'faucamp/python-gsmmodem':
      return withSca(i.smsc ? gsmmodemAddress(i.smsc) : null, segmentText(i.text, {
        destination: gsmmodemAddress(i.number),
        mr: i.reference,
        validity: validityOf(i.validity),
        // Positional arguments of the source test: it passes (..., rejectDuplicates, sendFlash)
        // into encodeSmsSubmitPdu(..., requestStatusReport, rejectDuplicates, sendFlash), so its
        // "rejectDuplicates" sets TP-SRR and its "sendFlash" TP-RD (the bytes agree; see the
        // 'message_class' check in test/conformance/sms-pdus.test.ts).
        statusReportRequest: i.rejectDuplicates ?? false,
        rejectDuplicates: i.sendFlash ?? false,
      }));
    case 'sailfishos-native/ofono-mirror':
      // sms_text_prepare(): TP-MR 0, relative validity 0xA7 (24 hours), no status report unless asked
      return withSca(intl(i.sca), segmentText(i.text, {
        destination: intl(i.destination),
        validity: { format: 'relative', value: relativeVpFromSeconds(86_400) },
        statusReportRequest: i.use_delivery_reports,
        refBits: i.use_16bit_ref ? 16 : 8,
      }));
    default:
      throw new Error(`no encoder mapping for ${v.source}`);
  }
}
