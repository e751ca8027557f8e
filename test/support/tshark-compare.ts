// Field-by-field comparison of our decoder's reading of a PDU with tshark's reading of the same
// bytes. Enumerations are compared by their octet, through tables typed here from the fact
// sheets (independent of the codec's own tables). Where tshark is known to misread a field
// (tshark-known-bugs.ts) the comparison models its reading or names the field as skipped.
import { decodeMms, type EncodedString, type FromValue, type MmsPart, type MmsPdu, type TimeValue } from '../../src/codec/mms/index.js';
import type { SmsAddress, SmsMessage, SmsTimestamp } from '../../src/codec/sms/index.js';
import { decodePush, type ContentType, type WspPush } from '../../src/codec/wsp/index.js';
import { GSM_SMS_UNDEFINED_EXTENSION, sameGsmText, tsharkEncodedText, usesNationalTables } from './tshark-known-bugs.js';
import { ownText, parseAbsTime, type ContentTypeView, type MmsView, type PartView, type PushView, type SctsView, type SmsView } from './tshark-views.js';

export interface Mismatch {
  field: string;
  ours: unknown;
  tshark: unknown;
}

/** What a comparison found, and which fields it could not compare for a known tshark bug. */
export interface Comparison {
  mismatches: Mismatch[];
  skipped: { field: string; bug: string }[];
  /** Number of fields compared. */
  compared: number;
}

class Collector implements Comparison {
  mismatches: Mismatch[] = [];
  skipped: { field: string; bug: string }[] = [];
  compared = 0;
  constructor(private readonly prefix = '') {}
  eq(field: string, ours: unknown, tshark: unknown): void {
    this.compared++;
    if (!same(ours, tshark)) this.mismatches.push({ field: this.prefix + field, ours, tshark });
  }
  skip(field: string, bug: string): void {
    this.skipped.push({ field: this.prefix + field, bug });
  }
  merge(c: Comparison): void {
    this.mismatches.push(...c.mismatches);
    this.skipped.push(...c.skipped);
    this.compared += c.compared;
  }
}

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) return Buffer.from(a).equals(Buffer.from(b));
  return JSON.stringify(a) === JSON.stringify(b);
}

// ---- MMS ----

// X-Mms-Message-Type 0x80.. in order (OMA-MMS-ENC; mms-encapsulation.md §3).
const MESSAGE_TYPES = [
  'm-send-req', 'm-send-conf', 'm-notification-ind', 'm-notifyresp-ind', 'm-retrieve-conf', 'm-acknowledge-ind',
  'm-delivery-ind', 'm-read-rec-ind', 'm-read-orig-ind', 'm-forward-req', 'm-forward-conf', 'm-mbox-store-req',
  'm-mbox-store-conf', 'm-mbox-view-req', 'm-mbox-view-conf', 'm-mbox-upload-req', 'm-mbox-upload-conf',
  'm-mbox-delete-req', 'm-mbox-delete-conf', 'm-mbox-descr', 'm-delete-req', 'm-delete-conf', 'm-cancel-req',
  'm-cancel-conf',
];

const seq = (names: string[], from = 0x80): Record<string, number> =>
  Object.fromEntries(names.map((n, i) => [n, from + i]));

// Value octets (mms-encapsulation.md §5).
const ENUMS: Record<string, Record<string, number>> = {
  messageClass: seq(['Personal', 'Advertisement', 'Informational', 'Auto']),
  priority: seq(['Low', 'Normal', 'High']),
  senderVisibility: seq(['Hide', 'Show']),
  status: seq(['Expired', 'Retrieved', 'Rejected', 'Deferred', 'Unrecognised', 'Indeterminate', 'Forwarded', 'Unreachable']),
  readStatus: seq(['Read', 'Deleted-without-being-read']),
  replyCharging: seq(['Requested', 'Requested-text-only', 'Accepted', 'Accepted-text-only']),
  responseStatus: {
    ...seq(['Ok', 'Error-unspecified', 'Error-service-denied', 'Error-message-format-corrupt',
      'Error-sending-address-unresolved', 'Error-message-not-found', 'Error-network-problem',
      'Error-content-not-accepted', 'Error-unsupported-message']),
    ...seq(['Error-transient-failure', 'Error-transient-sending-address-unresolved', 'Error-transient-message-not-found',
      'Error-transient-network-problem', 'Error-transient-partial-success'], 0xc0),
    ...seq(['Error-permanent-failure', 'Error-permanent-service-denied', 'Error-permanent-message-format-corrupt',
      'Error-permanent-sending-address-unresolved', 'Error-permanent-message-not-found',
      'Error-permanent-content-not-accepted', 'Error-permanent-reply-charging-limitations-not-met',
      'Error-permanent-reply-charging-request-not-accepted', 'Error-permanent-reply-charging-forwarding-denied',
      'Error-permanent-reply-charging-not-supported', 'Error-permanent-address-hiding-not-supported',
      'Error-permanent-lack-of-prepaid'], 0xe0),
  },
  retrieveStatus: {
    Ok: 0x80,
    ...seq(['Error-transient-failure', 'Error-transient-message-not-found', 'Error-transient-network-problem'], 0xc0),
    ...seq(['Error-permanent-failure', 'Error-permanent-service-denied', 'Error-permanent-message-not-found',
      'Error-permanent-content-unsupported'], 0xe0),
  },
};

/** The octet of an enumerated value: a name, a boolean (Yes 0x80 / No 0x81), a raw octet or a folded status. */
function octet(field: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 0x80 : 0x81;
  if (typeof v === 'object' && v !== null && 'raw' in v) return (v as { raw: number }).raw;
  return ENUMS[field]?.[v as string] ?? NaN;
}

// MIBenum of the charsets our texts use (IANA); others are compared only when tshark could read them.
const MIB: Record<string, number> = { 'us-ascii': 3, 'iso-8859-1': 4, 'utf-8': 106, 'iso-10646-ucs-2': 1000, 'utf-16': 1015 };

/**
 * What tshark shows for one of our Encoded-string-values, or null when tshark cannot show it
 * (a charset coded in more than one octet, or one we cannot encode here to model it).
 */
function encodedAsTshark(v: EncodedString): string | null {
  if (typeof v === 'string') return v; // Text-string: tshark shows the octets as UTF-8
  const mib = typeof v.charset === 'number' ? v.charset : MIB[v.charset];
  if (mib === undefined || mib > 0x7f) return null; // not a one-octet Short-integer charset
  let octets: Uint8Array;
  if (mib === 106) octets = new TextEncoder().encode(v.text);
  else if (mib === 3 || mib === 4) octets = Uint8Array.from(Buffer.from(v.text, 'latin1'));
  else if (/^[\x00-\x7f]*$/.test(v.text)) octets = Uint8Array.from(Buffer.from(v.text, 'latin1'));
  else return null;
  return tsharkEncodedText(octets);
}

function compareText(c: Collector, field: string, ours: EncodedString | undefined, tshark: string | undefined): void {
  if (ours === undefined) {
    c.eq(field, undefined, tshark);
    return;
  }
  const want = encodedAsTshark(ours);
  if (want === null) c.skip(field, 'mmse-charset-ignored');
  else c.eq(field, want, tshark);
}

function fromAsTshark(v: FromValue): EncodedString {
  return typeof v === 'object' && 'insertAddress' in v ? '<insert address>' : v;
}

const time = (v: TimeValue | undefined): { relative: boolean; seconds: number } | undefined =>
  v === undefined ? undefined : 'relative' in v ? { relative: true, seconds: v.relative } : { relative: false, seconds: v.absolute };

function compareContentType(c: Collector, field: string, ours: ContentType | undefined, t: ContentTypeView | undefined): void {
  c.eq(`${field}.type`, ours?.type.toLowerCase(), t?.media.toLowerCase());
  if (!ours || !t) return;
  // tshark shows a number-valued parameter (SEC) in hex: compare such values as numbers.
  const value = (v: unknown): string => (/^0x[0-9a-f]+$/i.test(String(v)) ? String(Number(v)) : String(v).toLowerCase());
  const mine = Object.entries(ours.params ?? {}).map(([k, v]) => [k.toLowerCase(), value(v)]);
  const theirs = t.params.map((p) => [p.key.toLowerCase(), value(p.value)]);
  c.eq(`${field}.params`, mine, theirs);
}

const unquote = (s: string | undefined): string | undefined => s?.replace(/^"(.*)"$/, '$1');

function compareParts(c: Collector, field: string, ours: MmsPart[] | undefined, t: PartView[] | undefined): void {
  c.eq(`${field}.length`, ours?.length, t?.length);
  if (!ours || !t) return;
  ours.forEach((p, i) => {
    const tp = t[i];
    if (!tp) return;
    const f = `${field}[${i}]`;
    compareContentType(c, `${f}.contentType`, p.contentType, tp.contentType);
    const header = (key: string): string | undefined => tp.headers.find((h) => h.key === key)?.value;
    if (p.contentId !== undefined) c.eq(`${f}.contentId`, p.contentId, unquote(header('content_id')));
    if (p.contentLocation !== undefined) c.eq(`${f}.contentLocation`, p.contentLocation, header('content_location'));
    if (p.contentDisposition !== undefined) c.eq(`${f}.contentDisposition`, p.contentDisposition.type, header('content_disposition'));
    if (p.data !== undefined) c.eq(`${f}.data`, p.data, tp.data);
  });
}

/** Compares our decode of an MMS PDU (`pdu`: its bytes) with tshark's reading of the same bytes. */
export function compareMms(ours: MmsPdu, pdu: Uint8Array, t: MmsView, prefix = ''): Comparison {
  const c = new Collector(prefix);
  c.eq('messageType', 0x80 + MESSAGE_TYPES.indexOf(ours.messageType), t.messageType);
  c.eq('transactionId', ours.transactionId, t.transactionId);
  c.eq('mmsVersion', ours.mmsVersion, t.version);
  if (ours.from !== undefined || t.from !== undefined) compareText(c, 'from', ours.from && fromAsTshark(ours.from), t.from);
  for (const k of ['to', 'cc', 'bcc'] as const) {
    const mine = ours[k] ?? [];
    c.eq(`${k}.length`, mine.length, t[k].length);
    mine.forEach((a, i) => compareText(c, `${k}[${i}]`, a, t[k][i]));
  }
  compareText(c, 'subject', ours.subject, t.subject);
  const locations = ours.contentLocation;
  if (Array.isArray(locations) && locations.some((l) => typeof l !== 'string')) c.skip('contentLocation', 'mmse-indexed-forms-not-decoded');
  else c.eq('contentLocation', locations === undefined ? [] : Array.isArray(locations) ? locations : [locations], t.contentLocations);
  c.eq('messageId', ours.messageId, t.messageId);
  c.eq('date', ours.date, t.date);
  c.eq('expiry', time(ours.expiry), t.expiry);
  c.eq('deliveryTime', time(ours.deliveryTime), t.deliveryTime);
  c.eq('messageSize', ours.messageSize, t.messageSize);
  const cls = ours.messageClass;
  c.eq('messageClass', typeof cls === 'string' && !(cls in ENUMS.messageClass) ? cls : octet('messageClass', cls), t.messageClass);
  c.eq('priority', octet('priority', ours.priority), t.priority);
  c.eq('deliveryReport', octet('', ours.deliveryReport), t.deliveryReport);
  c.eq('readReport', octet('', ours.readReport), t.readReport);
  c.eq('reportAllowed', octet('', ours.reportAllowed), t.reportAllowed);
  c.eq('senderVisibility', octet('senderVisibility', ours.senderVisibility), t.senderVisibility);
  c.eq('status', octet('status', ours.status), t.status);
  // packet-mmse.c decodes the indexed forms of m-mbox-delete-conf / m-delete-conf only for
  // Content-Location and Response-Text, and reads an indexed Response-Status as one octet.
  if (Array.isArray(ours.responseStatus) || Array.isArray(ours.responseText)) c.skip('responseStatus', 'mmse-indexed-forms-not-decoded');
  else {
    c.eq('responseStatus', octet('responseStatus', ours.responseStatus), t.responseStatus);
    compareText(c, 'responseText', ours.responseText, t.responseText);
  }
  c.eq('retrieveStatus', octet('retrieveStatus', ours.retrieveStatus), t.retrieveStatus);
  compareText(c, 'retrieveText', ours.retrieveText, t.retrieveText);
  c.eq('readStatus', octet('readStatus', ours.readStatus), t.readStatus);
  c.eq('replyCharging', octet('replyCharging', ours.replyCharging), t.replyCharging);
  c.eq('replyChargingDeadline', time(ours.replyChargingDeadline), t.replyChargingDeadline);
  c.eq('replyChargingId', ours.replyChargingId, t.replyChargingId);
  c.eq('replyChargingSize', ours.replyChargingSize, t.replyChargingSize);
  c.eq('previouslySentBy.length', ours.previouslySentBy?.length ?? 0, t.previouslySentBy.length);
  (ours.previouslySentBy ?? []).forEach((p, i) => {
    c.eq(`previouslySentBy[${i}].count`, p.count, t.previouslySentBy[i]?.forwardCount);
    compareText(c, `previouslySentBy[${i}].address`, p.address, t.previouslySentBy[i]?.address);
  });
  c.eq('previouslySentDate', (ours.previouslySentDate ?? []).map((p) => [p.count, p.date]),
    t.previouslySentDate.map((p) => [p.forwardCount, parseAbsTime(p.date)]));
  // Textual headers: tshark labels them "name: value" (format_text, so control characters escaped).
  c.eq('applicationHeaders', (ours.applicationHeaders ?? []).map((h) => formatText(`${h.name}: ${h.value}`).trimEnd()),
    t.applicationHeaders.map((l) => l.trimEnd()));
  compareContentType(c, 'contentType', ours.contentType, t.contentType);
  if (ours.parts || t.parts) compareParts(c, 'parts', ours.parts, t.parts);
  if (ours.body !== undefined || t.bodyRange !== undefined) {
    // An absent body and an empty one are the same octets.
    const theirs = t.bodyRange ? pdu.subarray(t.bodyRange.offset, t.bodyRange.offset + t.bodyRange.length) : undefined;
    c.eq('body', ours.body ?? new Uint8Array(0), theirs ?? new Uint8Array(0));
  }
  return c;
}

/**
 * Wireshark's format_text() as its labels use it: C escapes for \a\b\f\n\r\t\v, other
 * control characters (and DEL) as three-digit octal.
 */
export function formatText(s: string): string {
  const esc: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' };
  return s.replace(/[\x00-\x1f\x7f]/g, (ch) => esc[ch] ?? `\\${ch.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

// ---- WSP push ----

const PUSH_PDU_TYPES: Record<string, number> = { push: 0x06, 'confirmed-push': 0x07 };

function uintvarLength(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    n++;
  }
  return n;
}

/**
 * Compares our decode of a push (`bytes` are the PDU ours was decoded from) with tshark's; when
 * tshark handed the body to mmse, our decodeMms() of the body is compared with that too.
 */
export function comparePush(ours: WspPush, bytes: Uint8Array, t: PushView): Comparison {
  const c = new Collector();
  c.eq('tid', ours.tid, t.tid);
  c.eq('pduType', PUSH_PDU_TYPES[ours.pduType], t.pduType);
  compareContentType(c, 'contentType', ours.contentType, t.contentType);
  if (typeof ours.applicationId === 'string' || t.applicationId !== undefined) c.eq('applicationId', ours.applicationId, t.applicationId);
  const header = (key: string) => t.headers.find((h) => h.key === key);
  if (ours.contentLength !== undefined) c.eq('contentLength', String(ours.contentLength), header('content_length')?.value);
  if (ours.initiatorUri !== undefined) c.eq('initiatorUri', ours.initiatorUri, header('initiator_uri')?.value);
  if (ours.encodingVersion !== undefined) c.eq('encodingVersion', ours.encodingVersion, header('encoding_version')?.value);
  if (ours.pushFlag !== undefined) c.eq('pushFlag', ours.pushFlag, header('push_flag') && header('push_flag')!.raw[1] & 0x7f);
  // Where our decoder found the body must be where tshark's Headers-Length puts it.
  const bodyAt = ours.body.byteOffset - bytes.byteOffset;
  c.eq('body offset', bodyAt, 2 + uintvarLength(t.headersLength) + t.headersLength);
  if (t.mms) c.merge(compareMms(decodeMms(ours.body), ours.body, t.mms, 'body.'));
  else c.eq('body', ours.body, t.body);
  return c;
}

// ---- SMS ----

const TON: Record<string, number> = {
  unknown: 0, international: 1, national: 2, 'network-specific': 3, subscriber: 4, alphanumeric: 5, abbreviated: 6, reserved: 7,
};
const NPI: Record<string, number> = {
  unknown: 0, isdn: 1, data: 3, telex: 4, 'service-centre-1': 5, 'service-centre-2': 6, national: 8, private: 9, ermes: 10,
};
const npiCode = (n: string): number => NPI[n] ?? Number(n.replace('reserved-', ''));
const VPF: Record<string, number> = { none: 0, enhanced: 1, relative: 2, absolute: 3 };

function compareAddress(c: Collector, field: string, a: SmsAddress, t: SmsView): void {
  c.eq(`${field}.number`, a.number, t.address);
  c.eq(`${field}.ton`, TON[a.ton], t.ton);
  c.eq(`${field}.npi`, npiCode(a.npi), t.npi);
}

const stamp = (s: SmsTimestamp): SctsView => ({
  year: s.year % 100, month: s.month, day: s.day, hour: s.hour, minute: s.minute, second: s.second, tz: s.tz,
});

/** What the message a segment belongs to says as a whole (for the segment that completes it). */
export interface SmsMessageContext {
  /** Texts of every segment, in order. */
  texts?: string[];
  /** Known tshark bugs this input is listed for (by id, in the test that judges it). */
  bugs?: readonly string[];
}

/**
 * Compares our decode of a bare TPDU with tshark's reading of it. A WAP push in the user data
 * that tshark dissected is compared through our decodePush() of the same octets.
 */
export function compareSms(ours: SmsMessage, t: SmsView, ctx: SmsMessageContext = {}): Comparison {
  const c = new Collector();
  const p = ours.tpdu;
  c.eq('type', p.type, t.type.replace(' ', '-'));
  switch (p.type) {
    case 'SMS-DELIVER':
      compareAddress(c, 'originator', p.originator, t);
      c.eq('replyPath', p.replyPath, t.rp);
      c.eq('moreMessagesToSend', p.moreMessagesToSend, t.mms === undefined ? undefined : !t.mms);
      c.eq('loopPrevention', p.loopPrevention, t.lp);
      c.eq('statusReportIndication', p.statusReportIndication, t.sri);
      c.eq('scts', stamp(p.scts), t.scts);
      break;
    case 'SMS-SUBMIT':
      compareAddress(c, 'destination', p.destination, t);
      c.eq('mr', p.mr, t.mr);
      c.eq('replyPath', p.replyPath, t.rp);
      c.eq('rejectDuplicates', p.rejectDuplicates, t.rd);
      c.eq('statusReportRequest', p.statusReportRequest, t.srr);
      c.eq('validity.format', VPF[p.validity.format], t.vpf);
      if (p.validity.format === 'relative') c.eq('validity.value', p.validity.value, t.vp);
      break;
    case 'SMS-STATUS-REPORT':
      compareAddress(c, 'recipient', p.recipient, t);
      c.eq('mr', p.mr, t.mr);
      c.eq('moreMessagesToSend', p.moreMessagesToSend, t.mms === undefined ? undefined : !t.mms);
      c.eq('loopPrevention', p.loopPrevention, t.lp);
      c.eq('statusReportQualifier', p.statusReportQualifier, t.srq === undefined ? undefined : t.srq ? 'command' : 'submit');
      c.eq('scts', stamp(p.scts), t.scts);
      c.eq('dischargeTime', stamp(p.dischargeTime), t.dischargeTime);
      c.eq('status', p.status, t.status);
      break;
    default:
      break;
  }
  if ('pid' in p && p.pid !== undefined) c.eq('pid', p.pid, t.pid);
  if ('dcs' in p && p.dcs !== undefined) c.eq('dcs', p.dcs.raw, t.dcs);
  if (!('udh' in p)) return c;
  const udh = p.udh ?? null;
  c.eq('udh.ies', (udh?.ies ?? []).map((ie) => [ie.iei, Buffer.from(ie.data).toString('hex')]),
    t.ies.map((ie) => [ie.iei, Buffer.from(ie.data).toString('hex')]));
  c.eq('udh.concat', udh?.concat ? { ref: udh.concat.ref, total: udh.concat.total, seq: udh.concat.seq } : undefined, t.concat);
  c.eq('udh.ports', udh?.ports ? { dst: udh.ports.dest, src: udh.ports.src } : undefined, t.ports);
  if (p.text !== undefined || (t.texts.length && p.data === undefined)) {
    // tshark adds no text item for empty user data (TP-UDL 0).
    const theirs = ownText(t) ?? (t.udl === 0 || t.udl === t.udhl ? '' : undefined);
    if (usesNationalTables(t)) c.skip('text', 'gsm_sms-national-language-tables');
    else if (t.reassembledFrames && ctx.texts && t.texts.length > 1) c.eq('message texts', ctx.texts, t.texts);
    else if (ctx.bugs?.includes(GSM_SMS_UNDEFINED_EXTENSION.id) && p.text !== undefined && theirs !== undefined) {
      c.eq('text', true, sameGsmText(p.text, theirs) || `ours ${JSON.stringify(p.text)}, tshark ${JSON.stringify(theirs)}`);
      c.skip('text (U+FFFD positions)', 'gsm_sms-undefined-extension-char');
    } else c.eq('text', p.text, theirs);
  }
  if (p.data !== undefined) {
    // A push in one SMS is dissected here; one cut into several is dissected in the segment
    // that completes it, from the reassembled payload (compared by the caller).
    if (t.push && !t.reassembledFrames) c.merge(comparePush(decodePush(p.data), p.data, t.push));
    else if (!t.push) c.eq('data', p.data, t.body ?? t.compressedData);
  }
  return c;
}

export function describeComparison(id: string, c: Comparison): string {
  return `${id}: ${c.mismatches.map((m) => `${m.field}: ours ${show(m.ours)}, tshark ${show(m.tshark)}`).join('; ')}`;
}

function show(v: unknown): string {
  if (v instanceof Uint8Array) return `<${v.length} octets ${Buffer.from(v.subarray(0, 16)).toString('hex')}${v.length > 16 ? '...' : ''}>`;
  return JSON.stringify(v);
}
