// Places where tshark 4.0.17 misreads correct input. Each entry says what goes wrong, why it is
// the dissector's fault (source and a reproducing input), and how narrowly it applies: a
// predicate over the one input (its bytes and tshark's tree), and exactly which problems or
// view fields it excuses for that input. Nothing else is excused anywhere.
import type { ExpertInfo, PdmlNode } from './tshark.js';
import type { SmsView } from './tshark-views.js';

export interface KnownBug {
  id: string;
  /** What tshark does wrong and the evidence. */
  evidence: string;
}

/**
 * packet-mmse.c dissect_mmse() keeps the header name in `field` for its header loop and the
 * Content-Type check after it, but the one-octet-value cases (X-Mms-Status, -Priority,
 * -Response-Status, ...) overwrite `field` with the VALUE (`field = tvb_get_guint8(tvb,
 * offset++)`). When such a header is the last thing in the PDU and its value is 0x84, the
 * loop ends at the end of the data with field == 0x84 == MM_CTYPE_HDR, so tshark tries to read
 * a Content-Type past the end: "[Malformed Packet: MMSE]". Reproduced by the corpus file
 * mms/mmsengine-notifyresp-ind-unrecognised.mms (m-notifyresp-ind ending "95 84",
 * X-Mms-Status: Unrecognised), which mms-engine decodes fine and which is well-formed.
 */
export const MMSE_TRAILING_VALUE_0X84: KnownBug = {
  id: 'mmse-trailing-value-0x84',
  evidence:
    'packet-mmse.c reuses `field` for one-octet header values; a PDU whose last header has the value ' +
    '0x84 is then read as if a Content-Type (0x84) followed: Malformed. Corpus: ' +
    'mmsengine-notifyresp-ind-unrecognised.mms (ends 95 84, X-Mms-Status Unrecognised).',
};

// MMS headers whose value is one octet (OMA-MMS-ENC well-known values), i.e. the cases of
// dissect_mmse() that assign the value to `field`.
const ONE_OCTET_FIELDS = new Set([
  'mmse.delivery_report', 'mmse.message_class.id', 'mmse.priority', 'mmse.read_reply', 'mmse.read_report',
  'mmse.report_allowed', 'mmse.response_status', 'mmse.sender_visibility', 'mmse.status',
  'mmse.retrieve_status', 'mmse.read_status', 'mmse.reply_charging',
]);

/** True when this packet's MMSE tree ends exactly as the bug needs: last field one-octet 0x84. */
export function hitsTrailing0x84(mmse: PdmlNode): boolean {
  const fields = mmse.children.filter((c) => c.name !== '');
  const last = fields[fields.length - 1];
  return !!last && ONE_OCTET_FIELDS.has(last.name) && last.show === '0x84' && last.size === 2 &&
    last.pos + last.size === mmse.pos + mmse.size;
}

/** Is this problem the malformed marker the trailing-0x84 bug produces? */
export function isMmseMalformed(e: ExpertInfo): boolean {
  return e.protocol === '_ws.malformed' && e.protocolLabel === '[Malformed Packet: MMSE]' && e.severity === 'error';
}

/**
 * packet-mmse.c get_encoded_strval(): "\todo Something with Char-set, skip for now" - the text
 * of an Encoded-string-value with a charset is read as ASCII starting one octet after the
 * Value-length, whatever the charset: a Quote (0x7F) stays in the text, every octet >= 0x80
 * becomes U+FFFD, and a charset coded in more than one octet (e.g. UTF-16, MIBenum 1015 =
 * 02 03 F7) shifts the text. Corpus: mmsengine-notification-ind-utf8-subject.mms shows
 * "Subject: \177" + U+FFFD per octet of the UTF-8 Cyrillic subject. Not excused: the judge
 * compares our text through tsharkEncodedText() below, which models exactly that reading.
 */
export const MMSE_CHARSET_IGNORED: KnownBug = {
  id: 'mmse-charset-ignored',
  evidence:
    'packet-mmse.c get_encoded_strval() skips one charset octet and decodes the rest as ASCII (Quote kept, ' +
    'octets >= 0x80 -> U+FFFD). Corpus: mmsengine-notification-ind-utf8-subject.mms.',
};

/**
 * What tshark shows (after unescapeShow) for the text of an Encoded-string-value in the
 * charset form whose charset is one octet, given the text's octets in that charset
 * (MMSE_CHARSET_IGNORED): the Quote an encoder puts before a first octet >= 0x80 stays, and
 * every octet >= 0x80 is U+FFFD. (A plain Text-string is shown as its octets read as UTF-8.)
 */
export function tsharkEncodedText(octets: Uint8Array): string {
  let s = octets.length > 0 && octets[0] >= 0x80 ? '\x7f' : '';
  for (const c of octets) s += c < 0x80 ? String.fromCharCode(c) : '\ufffd';
  return s;
}

/**
 * packet-mmse.c shows the indexed (Status-count) forms of X-Mms-Content-Location and
 * -Response-Text of m-mbox-delete-conf as "<Undecoded value for m-mbox-delete-conf>", and has
 * no such case for X-Mms-Response-Status: it reads one octet (the Value-length) as the status
 * and the rest of the value as further headers ("Unknown field (0x80)"). Those fields are not
 * comparable for such a PDU (the constructed m-mbox-delete-conf shows both).
 */
export const MMSE_INDEXED_FORMS: KnownBug = {
  id: 'mmse-indexed-forms-not-decoded',
  evidence:
    'packet-mmse.c: "<Undecoded value for m-mbox-delete-conf>" for indexed Content-Location / Response-Text; ' +
    'an indexed Response-Status is read as one octet.',
};

/**
 * packet-gsm_sms.c decodes 7-bit text with the default alphabet and its default extension
 * table only: the National Language Single/Locking Shift IEs (0x24/0x25, TS 23.038 6.2.1.2.4)
 * are dissected ("Language (Locking Shift): Turkish (1)") but not applied to the text. Probe
 * (test/interop/tshark-corpus.test.ts): locking shift Turkish + septets 04 07 shows "èì"
 * (default table) instead of "€ı"; single shift Turkish + 1B 47 shows U+FFFD instead of "Ğ".
 * For an input with such an IE the text is not comparable.
 */
export const GSM_SMS_NATIONAL_TABLES: KnownBug = {
  id: 'gsm_sms-national-language-tables',
  evidence:
    'packet-gsm_sms.c decodes GSM 7-bit text with the default tables only; IE 0x24/0x25 are shown, not applied ' +
    '(probe: locking shift Turkish 04 07 -> "èì", not "€ı").',
};

export function usesNationalTables(v: SmsView): boolean {
  return v.ies.some((ie) => ie.iei === 0x24 || ie.iei === 0x25);
}

/**
 * epan/charsets.c GSMext_to_UNICHAR() returns U+FFFD (UNREPL) for an escape (0x1B) followed by
 * a code the default extension table does not define. TS 23.038 6.2.1.1 says a receiver shows
 * the main table's character for it instead, as our decoder does. Corpus: ofono-charset-spain
 * (its Spanish single-shift text read with the default tables: 1B 09 is "Ç" by the main table,
 * tshark shows U+FFFD). Modelled: a U+FFFD in tshark's text stands for any one character.
 */
export const GSM_SMS_UNDEFINED_EXTENSION: KnownBug = {
  id: 'gsm_sms-undefined-extension-char',
  evidence:
    'epan/charsets.c GSMext_to_UNICHAR() gives U+FFFD for an escape to an undefined extension code; ' +
    '23.038 6.2.1.1 says show the main-table character. Corpus: ofono-charset-spain.',
};

/** Our GSM 7-bit text against tshark's, a U+FFFD of tshark's matching any one character. */
export function sameGsmText(ours: string, tshark: string): boolean {
  const a = [...ours];
  const b = [...tshark];
  return a.length === b.length && a.every((c, i) => c === b[i] || b[i] === '\ufffd');
}
