// MMS header field and token tables (OMA-MMS-ENC §7.3; checked against Wireshark's
// packet-mmse.c and AOSP PduHeaders): assigned number <-> property name <-> wire name, and the
// token names of every enumerated value.
import { setMmsHeaderNames } from '../fields.js';
import type { MessageType, MmsPdu } from './types.js';

/** How a header's value maps to the object model (see decode.ts / encode.ts). */
export type ValueType =
  | 'addresses' | 'estr' | 'text' | 'date' | 'long' | 'int' | 'bool' | 'time' | 'from' | 'ct'
  | 'class' | 'version' | 'type' | 'enum' | 'response-status' | 'retrieve-status'
  | 'store-status' | 'location' | 'response-text' | 'prev-by' | 'prev-date' | 'mm-state'
  | 'mm-flags' | 'attributes' | 'totals' | 'element-descriptor';

export interface HeaderSpec {
  code: number; // assigned number (wire octet & 0x7F)
  key: keyof MmsPdu & string;
  name: string; // wire name, for errors
  type: ValueType;
  tokens?: readonly string[]; // enum names by octet - 0x80
}

const PRIORITY = ['Low', 'Normal', 'High'];
const VISIBILITY = ['Hide', 'Show'];
const STATUS = ['Expired', 'Retrieved', 'Rejected', 'Deferred', 'Unrecognised', 'Indeterminate', 'Forwarded', 'Unreachable'];
const READ_STATUS = ['Read', 'Deleted-without-being-read'];
const REPLY_CHARGING = ['Requested', 'Requested-text-only', 'Accepted', 'Accepted-text-only'];
export const MM_STATES = ['Draft', 'Sent', 'New', 'Retrieved', 'Forwarded'];
export const MM_FLAG_ACTIONS = ['Add', 'Remove', 'Filter'];
const RETRIEVAL_MODE = ['Manual'];
const CONTENT_CLASS = ['text', 'image-basic', 'image-rich', 'video-basic', 'video-rich', 'megapixel', 'content-basic', 'content-rich'];
const CANCEL_STATUS = ['Cancel-request-successfully-received', 'Cancel-request-corrupted'];
export const MESSAGE_CLASSES = ['Personal', 'Advertisement', 'Informational', 'Auto'];

export const HEADERS: readonly HeaderSpec[] = [
  { code: 0x01, key: 'bcc', name: 'Bcc', type: 'addresses' },
  { code: 0x02, key: 'cc', name: 'Cc', type: 'addresses' },
  { code: 0x03, key: 'contentLocation', name: 'X-Mms-Content-Location', type: 'location' },
  { code: 0x04, key: 'contentType', name: 'Content-Type', type: 'ct' },
  { code: 0x05, key: 'date', name: 'Date', type: 'date' },
  { code: 0x06, key: 'deliveryReport', name: 'X-Mms-Delivery-Report', type: 'bool' },
  { code: 0x07, key: 'deliveryTime', name: 'X-Mms-Delivery-Time', type: 'time' },
  { code: 0x08, key: 'expiry', name: 'X-Mms-Expiry', type: 'time' },
  { code: 0x09, key: 'from', name: 'From', type: 'from' },
  { code: 0x0a, key: 'messageClass', name: 'X-Mms-Message-Class', type: 'class' },
  { code: 0x0b, key: 'messageId', name: 'Message-ID', type: 'text' },
  { code: 0x0c, key: 'messageType', name: 'X-Mms-Message-Type', type: 'type' },
  { code: 0x0d, key: 'mmsVersion', name: 'X-Mms-MMS-Version', type: 'version' },
  { code: 0x0e, key: 'messageSize', name: 'X-Mms-Message-Size', type: 'long' },
  { code: 0x0f, key: 'priority', name: 'X-Mms-Priority', type: 'enum', tokens: PRIORITY },
  { code: 0x10, key: 'readReport', name: 'X-Mms-Read-Report', type: 'bool' },
  { code: 0x11, key: 'reportAllowed', name: 'X-Mms-Report-Allowed', type: 'bool' },
  { code: 0x12, key: 'responseStatus', name: 'X-Mms-Response-Status', type: 'response-status' },
  { code: 0x13, key: 'responseText', name: 'X-Mms-Response-Text', type: 'response-text' },
  { code: 0x14, key: 'senderVisibility', name: 'X-Mms-Sender-Visibility', type: 'enum', tokens: VISIBILITY },
  { code: 0x15, key: 'status', name: 'X-Mms-Status', type: 'enum', tokens: STATUS },
  { code: 0x16, key: 'subject', name: 'Subject', type: 'estr' },
  { code: 0x17, key: 'to', name: 'To', type: 'addresses' },
  { code: 0x18, key: 'transactionId', name: 'X-Mms-Transaction-Id', type: 'text' },
  { code: 0x19, key: 'retrieveStatus', name: 'X-Mms-Retrieve-Status', type: 'retrieve-status' },
  { code: 0x1a, key: 'retrieveText', name: 'X-Mms-Retrieve-Text', type: 'estr' },
  { code: 0x1b, key: 'readStatus', name: 'X-Mms-Read-Status', type: 'enum', tokens: READ_STATUS },
  { code: 0x1c, key: 'replyCharging', name: 'X-Mms-Reply-Charging', type: 'enum', tokens: REPLY_CHARGING },
  { code: 0x1d, key: 'replyChargingDeadline', name: 'X-Mms-Reply-Charging-Deadline', type: 'time' },
  { code: 0x1e, key: 'replyChargingId', name: 'X-Mms-Reply-Charging-ID', type: 'text' },
  { code: 0x1f, key: 'replyChargingSize', name: 'X-Mms-Reply-Charging-Size', type: 'long' },
  { code: 0x20, key: 'previouslySentBy', name: 'X-Mms-Previously-Sent-By', type: 'prev-by' },
  { code: 0x21, key: 'previouslySentDate', name: 'X-Mms-Previously-Sent-Date', type: 'prev-date' },
  { code: 0x22, key: 'store', name: 'X-Mms-Store', type: 'bool' },
  { code: 0x23, key: 'mmState', name: 'X-Mms-MM-State', type: 'mm-state', tokens: MM_STATES },
  { code: 0x24, key: 'mmFlags', name: 'X-Mms-MM-Flags', type: 'mm-flags' },
  { code: 0x25, key: 'storeStatus', name: 'X-Mms-Store-Status', type: 'store-status' },
  { code: 0x26, key: 'storeStatusText', name: 'X-Mms-Store-Status-Text', type: 'estr' },
  { code: 0x27, key: 'stored', name: 'X-Mms-Stored', type: 'bool' },
  { code: 0x28, key: 'attributes', name: 'X-Mms-Attributes', type: 'attributes' },
  { code: 0x29, key: 'totals', name: 'X-Mms-Totals', type: 'bool' },
  { code: 0x2a, key: 'mboxTotals', name: 'X-Mms-Mbox-Totals', type: 'totals' },
  { code: 0x2b, key: 'quotas', name: 'X-Mms-Quotas', type: 'bool' },
  { code: 0x2c, key: 'mboxQuotas', name: 'X-Mms-Mbox-Quotas', type: 'totals' },
  { code: 0x2d, key: 'messageCount', name: 'X-Mms-Message-Count', type: 'int' },
  { code: 0x2f, key: 'start', name: 'X-Mms-Start', type: 'int' },
  { code: 0x31, key: 'distributionIndicator', name: 'X-Mms-Distribution-Indicator', type: 'bool' },
  { code: 0x32, key: 'elementDescriptor', name: 'X-Mms-Element-Descriptor', type: 'element-descriptor' },
  { code: 0x33, key: 'limit', name: 'X-Mms-Limit', type: 'int' },
  { code: 0x34, key: 'recommendedRetrievalMode', name: 'X-Mms-Recommended-Retrieval-Mode', type: 'enum', tokens: RETRIEVAL_MODE },
  { code: 0x35, key: 'recommendedRetrievalModeText', name: 'X-Mms-Recommended-Retrieval-Mode-Text', type: 'estr' },
  { code: 0x36, key: 'statusText', name: 'X-Mms-Status-Text', type: 'estr' },
  { code: 0x37, key: 'applicId', name: 'X-Mms-Applic-ID', type: 'text' },
  { code: 0x38, key: 'replyApplicId', name: 'X-Mms-Reply-Applic-ID', type: 'text' },
  { code: 0x39, key: 'auxApplicInfo', name: 'X-Mms-Aux-Applic-Info', type: 'text' },
  { code: 0x3a, key: 'contentClass', name: 'X-Mms-Content-Class', type: 'enum', tokens: CONTENT_CLASS },
  { code: 0x3b, key: 'drmContent', name: 'X-Mms-DRM-Content', type: 'bool' },
  { code: 0x3c, key: 'adaptationAllowed', name: 'X-Mms-Adaptation-Allowed', type: 'bool' },
  { code: 0x3d, key: 'replaceId', name: 'X-Mms-Replace-ID', type: 'text' },
  { code: 0x3e, key: 'cancelId', name: 'X-Mms-Cancel-ID', type: 'text' },
  { code: 0x3f, key: 'cancelStatus', name: 'X-Mms-Cancel-Status', type: 'enum', tokens: CANCEL_STATUS },
];

export const HEADER_BY_CODE: readonly (HeaderSpec | undefined)[] = (() => {
  const t: (HeaderSpec | undefined)[] = new Array(128).fill(undefined);
  for (const h of HEADERS) t[h.code] = h;
  return t;
})();
export const HEADER_BY_KEY: ReadonlyMap<string, HeaderSpec> = new Map(HEADERS.map((h) => [h.key, h]));

/** Names of the header codes that only appear as X-Mms-Attributes values. */
export const ATTRIBUTE_ONLY: ReadonlyMap<number, string> = new Map([[0x2e, 'content'], [0x30, 'additionalHeaders']]);

export const MESSAGE_TYPES: readonly MessageType[] = [
  'm-send-req', 'm-send-conf', 'm-notification-ind', 'm-notifyresp-ind', 'm-retrieve-conf',
  'm-acknowledge-ind', 'm-delivery-ind', 'm-read-rec-ind', 'm-read-orig-ind', 'm-forward-req',
  'm-forward-conf', 'm-mbox-store-req', 'm-mbox-store-conf', 'm-mbox-view-req',
  'm-mbox-view-conf', 'm-mbox-upload-req', 'm-mbox-upload-conf', 'm-mbox-delete-req',
  'm-mbox-delete-conf', 'm-mbox-descr', 'm-delete-req', 'm-delete-conf', 'm-cancel-req',
  'm-cancel-conf',
];

/** X-Mms-Response-Status names by octet. */
export const RESPONSE_STATUS: ReadonlyMap<number, string> = new Map([
  [0x80, 'Ok'], [0x81, 'Error-unspecified'], [0x82, 'Error-service-denied'],
  [0x83, 'Error-message-format-corrupt'], [0x84, 'Error-sending-address-unresolved'],
  [0x85, 'Error-message-not-found'], [0x86, 'Error-network-problem'],
  [0x87, 'Error-content-not-accepted'], [0x88, 'Error-unsupported-message'],
  [0xc0, 'Error-transient-failure'], [0xc1, 'Error-transient-sending-address-unresolved'],
  [0xc2, 'Error-transient-message-not-found'], [0xc3, 'Error-transient-network-problem'],
  [0xc4, 'Error-transient-partial-success'],
  [0xe0, 'Error-permanent-failure'], [0xe1, 'Error-permanent-service-denied'],
  [0xe2, 'Error-permanent-message-format-corrupt'], [0xe3, 'Error-permanent-sending-address-unresolved'],
  [0xe4, 'Error-permanent-message-not-found'], [0xe5, 'Error-permanent-content-not-accepted'],
  [0xe6, 'Error-permanent-reply-charging-limitations-not-met'],
  [0xe7, 'Error-permanent-reply-charging-request-not-accepted'],
  [0xe8, 'Error-permanent-reply-charging-forwarding-denied'],
  [0xe9, 'Error-permanent-reply-charging-not-supported'],
  [0xea, 'Error-permanent-address-hiding-not-supported'], [0xeb, 'Error-permanent-lack-of-prepaid'],
]);

/** X-Mms-Retrieve-Status names by octet (numbered differently from Response-Status). */
export const RETRIEVE_STATUS: ReadonlyMap<number, string> = new Map([
  [0x80, 'Ok'], [0xc0, 'Error-transient-failure'], [0xc1, 'Error-transient-message-not-found'],
  [0xc2, 'Error-transient-network-problem'], [0xe0, 'Error-permanent-failure'],
  [0xe1, 'Error-permanent-service-denied'], [0xe2, 'Error-permanent-message-not-found'],
  [0xe3, 'Error-permanent-content-unsupported'],
]);

/** X-Mms-Store-Status names by octet. */
export const STORE_STATUS: ReadonlyMap<number, string> = new Map([
  [0x80, 'Success'], [0xc0, 'Error-transient-failure'], [0xc1, 'Error-transient-network-problem'],
  [0xe0, 'Error-permanent-failure'], [0xe1, 'Error-permanent-service-denied'],
  [0xe2, 'Error-permanent-message-format-corrupt'], [0xe3, 'Error-permanent-message-not-found'],
  [0xe4, 'Error-permanent-mmbox-full'],
]);

/**
 * The generic status an unknown octet folds to (OMA-MMS-ENC 1.3 §7.3.48, as Android applies
 * it): 0xC0-0xDF to Error-transient-failure, anything else to Error-permanent-failure.
 */
export function foldStatus(octet: number): string {
  return octet >= 0xc0 && octet <= 0xdf ? 'Error-transient-failure' : 'Error-permanent-failure';
}

export function reverse(table: ReadonlyMap<number, string>): ReadonlyMap<string, number> {
  return new Map([...table].map(([k, v]) => [v, k]));
}

// Errors name MMS header fields by their wire names.
setMmsHeaderNames((code) => HEADER_BY_CODE[code]?.name);
