// The PDUs the relay originates: notifications, delivery and read reports (all carried in a
// WSP push), and the m-retrieve.conf a phone fetches. Kept small on purpose: a notification
// must fit one SMS (133 octets of push), so optional fields are left out unless configured.
import { encodeMms, type EncodedString, type MmsPart, type MmsPdu, type ReadStatus, type Status } from '../codec/mms/index.js';
import { encodePush } from '../codec/wsp/index.js';
import type { Delivery, StoredMessage } from '../store/types.js';
import { displayAddress, type AddressPolicy } from './address.js';

/** Versions as "major.minor" strings; the lower of two. */
export function lowerVersion(a: string | undefined, b: string): string {
  if (!a) return b;
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  if (am !== bm) return am < bm ? a : b;
  return (an || 0) <= (bn || 0) ? a : b;
}

let pushTid = Math.floor(Math.random() * 256);

/** Wraps an MMS PDU in a connectionless WSP push for x-wap-application:mms.ua. */
export function wapPush(mms: Uint8Array): Uint8Array {
  pushTid = (pushTid + 1) & 0xff;
  return encodePush({
    tid: pushTid,
    pduType: 'push',
    contentType: { type: 'application/vnd.wap.mms-message' },
    applicationId: 'x-wap-application:mms.ua',
    body: mms,
  });
}

export interface NotificationOptions {
  version: string;
  url: string;
  now: number;
  includeFrom: boolean;
  includeSubject: boolean;
}

export function notification(msg: StoredMessage, d: Delivery, o: NotificationOptions): MmsPdu {
  const h = msg.headers as Partial<MmsPdu>;
  const pdu: MmsPdu = { messageType: 'm-notification-ind', transactionId: d.tid, mmsVersion: o.version };
  if (o.includeFrom && !msg.hideSender) pdu.from = msg.sender;
  if (o.includeSubject && h.subject !== undefined) pdu.subject = h.subject;
  pdu.messageClass = h.messageClass ?? 'Personal';
  pdu.messageSize = msg.size;
  pdu.expiry = { relative: Math.max(1, Math.round((msg.expiresAt - o.now) / 1000)) };
  pdu.contentLocation = o.url;
  return pdu;
}

export function deliveryReport(msg: StoredMessage, d: Delivery, status: Status, now: number, version: string): MmsPdu {
  return {
    messageType: 'm-delivery-ind',
    mmsVersion: version,
    messageId: msg.id,
    to: [d.recipient],
    date: Math.floor(now / 1000),
    status,
  };
}

export function readOrig(msg: StoredMessage, reader: string, status: ReadStatus, date: number, version: string): MmsPdu {
  return {
    messageType: 'm-read-orig-ind',
    mmsVersion: version,
    messageId: msg.id,
    to: [msg.sender],
    from: reader,
    date,
    readStatus: status,
  };
}

/** Headers a recipient never sees in m-retrieve.conf (Bcc; submission-only fields). */
const SUBMISSION_ONLY = new Set(['bcc', 'expiry', 'deliveryTime', 'senderVisibility', 'store', 'mmState', 'mmFlags', 'transactionId', 'messageType', 'mmsVersion', 'from', 'contentType', 'parts', 'body', 'date', 'messageId']);

/**
 * m-retrieve.conf for one recipient, with the stored parts. To and Cc list every number in one
 * international form (`policy`), the same for each recipient: group threads are keyed on them.
 */
export function retrieveConf(
  msg: StoredMessage,
  version: string,
  parts: { data: Uint8Array }[],
  ackTid: string | undefined,
  policy: AddressPolicy,
): Uint8Array {
  const h = msg.headers as Partial<MmsPdu> & Record<string, unknown>;
  const pdu: MmsPdu = { messageType: 'm-retrieve-conf' };
  if (ackTid) pdu.transactionId = ackTid;
  pdu.mmsVersion = version;
  pdu.messageId = msg.id;
  pdu.date = (h.date as number | undefined) ?? Math.floor(msg.acceptedAt / 1000);
  if (!msg.hideSender) pdu.from = msg.sender as EncodedString;
  const rec = pdu as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(h)) {
    if (!SUBMISSION_ONLY.has(k) && v !== undefined) rec[k] = v;
  }
  if (h.to) pdu.to = h.to.map((a) => displayAddress(a, policy));
  if (h.cc) pdu.cc = h.cc.map((a) => displayAddress(a, policy));
  pdu.contentType = h.contentType ?? { type: 'application/vnd.wap.multipart.mixed' };
  if (msg.multipart || msg.parts.length !== 1 || isMultipart(pdu.contentType.type)) {
    pdu.parts = msg.parts.map((p, i) => ({ ...(p.headers as object), contentType: p.contentType, data: parts[i].data }) as MmsPart);
  } else {
    pdu.body = parts[0].data;
  }
  return encodeMms(pdu);
}

function isMultipart(type: string): boolean {
  return /multipart/i.test(type);
}

/** m-retrieve.conf telling a phone its message is gone (HTTP 200, with a text body for 1.0 phones). */
export function retrieveError(version: string, now: number, status: 'Error-permanent-message-not-found' | 'Error-permanent-service-denied' | 'Error-transient-failure', text: string): Uint8Array {
  return encodeMms({
    messageType: 'm-retrieve-conf',
    mmsVersion: version,
    date: Math.floor(now / 1000),
    retrieveStatus: status,
    retrieveText: text,
    contentType: { type: 'text/plain', params: { charset: 'utf-8' } },
    body: new TextEncoder().encode(text),
  });
}
