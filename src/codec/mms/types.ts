// The MMS PDU object model (OMA-MMS-ENC 1.0-1.3): what decodeMms() returns and encodeMms()
// takes. This is the API the relay uses, so it is plain data: JSON.stringify-able (byte
// payloads are Uint8Array views of the decoded input) and comparable with toEqual.
//
// Conventions
// - One camelCase property per header field, inserted in wire order: iterating the keys of a
//   decoded PDU gives its header order, and encodeMms() writes the headers in key order
//   (except X-Mms-Message-Type, X-Mms-Transaction-Id and X-Mms-MMS-Version, always first in
//   that order, and Content-Type, always last, followed by the body).
// - Repeatable headers (To, Cc, Bcc, X-Mms-Previously-Sent-By/-Date, X-Mms-MM-Flags,
//   X-Mms-Attributes) are always arrays. Content-Location, X-Mms-MM-State,
//   X-Mms-Response-Status and X-Mms-Response-Text are single values except where a PDU
//   repeats them or uses the indexed form (m-mbox-view-req, m-mbox-delete-req/conf,
//   m-delete-req/conf): then the value is an array whose indexed items are `{ index, value }`.
//   Any other header that occurs twice keeps its first occurrence.
// - Encoded-string-values keep their wire form: a plain `string` for a Text-string, or
//   `{ text, charset }` for the charset form (text already decoded with its charset).
// - Enumerations are readable names; a value the spec does not define is kept as its raw
//   octet (a number). Response/Retrieve/Store-Status values an OMA receiver must fold to the
//   generic transient/permanent error are `{ name: <folded>, raw: <octet> }`.
// - Times are seconds since 1970-01-01T00:00:00Z; sizes are octets; numbers above 2^53 lose
//   precision.
import type { Charset } from '../wsp/charset.js';
import type { ContentType, ContentTypeParams, Part } from '../wsp/types.js';

export type { Charset, CharsetName } from '../wsp/charset.js';
export type { ContentDisposition, ContentType, ContentTypeParams, WspHeader } from '../wsp/types.js';

/** X-Mms-Message-Type names (octets 0x80..0x97). */
export type MessageType =
  | 'm-send-req' | 'm-send-conf' | 'm-notification-ind' | 'm-notifyresp-ind' | 'm-retrieve-conf'
  | 'm-acknowledge-ind' | 'm-delivery-ind' | 'm-read-rec-ind' | 'm-read-orig-ind' | 'm-forward-req'
  | 'm-forward-conf' | 'm-mbox-store-req' | 'm-mbox-store-conf' | 'm-mbox-view-req'
  | 'm-mbox-view-conf' | 'm-mbox-upload-req' | 'm-mbox-upload-conf' | 'm-mbox-delete-req'
  | 'm-mbox-delete-conf' | 'm-mbox-descr' | 'm-delete-req' | 'm-delete-conf' | 'm-cancel-req'
  | 'm-cancel-conf';

/** Encoded-string-value: plain Text-string, or text with its charset (charset form on the wire). */
export type EncodedString = string | { text: string; charset: Charset };

/** From: an address, or the Insert-address-token a handset sends so the MMSC inserts its number. */
export type FromValue = EncodedString | { insertAddress: true };

/** X-Mms-Expiry, X-Mms-Delivery-Time, X-Mms-Reply-Charging-Deadline. */
export type TimeValue = { relative: number } | { absolute: number };

/** An unknown enumeration octet (kept raw so it re-encodes unchanged). */
export type RawOctet = number;

/** A status an OMA receiver must fold (§5.4): the folded name and the octet actually received. */
export interface FoldedStatus<N extends string> {
  name: N;
  raw: number;
}

/** One item of an indexed header (Status-count form of m-mbox-delete-conf / m-delete-conf). */
export interface Indexed<V> {
  index: number;
  value: V;
}

export type ResponseStatusName =
  | 'Ok' | 'Error-unspecified' | 'Error-service-denied' | 'Error-message-format-corrupt'
  | 'Error-sending-address-unresolved' | 'Error-message-not-found' | 'Error-network-problem'
  | 'Error-content-not-accepted' | 'Error-unsupported-message' | 'Error-transient-failure'
  | 'Error-transient-sending-address-unresolved' | 'Error-transient-message-not-found'
  | 'Error-transient-network-problem' | 'Error-transient-partial-success'
  | 'Error-permanent-failure' | 'Error-permanent-service-denied'
  | 'Error-permanent-message-format-corrupt' | 'Error-permanent-sending-address-unresolved'
  | 'Error-permanent-message-not-found' | 'Error-permanent-content-not-accepted'
  | 'Error-permanent-reply-charging-limitations-not-met'
  | 'Error-permanent-reply-charging-request-not-accepted'
  | 'Error-permanent-reply-charging-forwarding-denied'
  | 'Error-permanent-reply-charging-not-supported'
  | 'Error-permanent-address-hiding-not-supported' | 'Error-permanent-lack-of-prepaid';
export type ResponseStatus = ResponseStatusName | FoldedStatus<ResponseStatusName>;

export type RetrieveStatusName =
  | 'Ok' | 'Error-transient-failure' | 'Error-transient-message-not-found'
  | 'Error-transient-network-problem' | 'Error-permanent-failure'
  | 'Error-permanent-service-denied' | 'Error-permanent-message-not-found'
  | 'Error-permanent-content-unsupported';
export type RetrieveStatus = RetrieveStatusName | FoldedStatus<RetrieveStatusName>;

export type StoreStatusName =
  | 'Success' | 'Error-transient-failure' | 'Error-transient-network-problem'
  | 'Error-permanent-failure' | 'Error-permanent-service-denied'
  | 'Error-permanent-message-format-corrupt' | 'Error-permanent-message-not-found'
  | 'Error-permanent-mmbox-full';
export type StoreStatus = StoreStatusName | FoldedStatus<StoreStatusName>;

export type MessageClass = 'Personal' | 'Advertisement' | 'Informational' | 'Auto';
export type Priority = 'Low' | 'Normal' | 'High';
export type SenderVisibility = 'Hide' | 'Show';
export type Status =
  | 'Expired' | 'Retrieved' | 'Rejected' | 'Deferred' | 'Unrecognised' | 'Indeterminate'
  | 'Forwarded' | 'Unreachable';
export type ReadStatus = 'Read' | 'Deleted-without-being-read';
export type ReplyCharging = 'Requested' | 'Requested-text-only' | 'Accepted' | 'Accepted-text-only';
export type MmState = 'Draft' | 'Sent' | 'New' | 'Retrieved' | 'Forwarded';
export type MmFlagAction = 'Add' | 'Remove' | 'Filter';
export type ContentClass =
  | 'text' | 'image-basic' | 'image-rich' | 'video-basic' | 'video-rich' | 'megapixel'
  | 'content-basic' | 'content-rich';
export type CancelStatus = 'Cancel-request-successfully-received' | 'Cancel-request-corrupted';
export type RetrievalMode = 'Manual';

/** X-Mms-Element-Descriptor: a content reference with parameters (e.g. `type`). */
export interface ElementDescriptor {
  contentReference: string;
  params?: ContentTypeParams;
}

/** A multipart entry of an MMS body; `pdu` holds the m-mbox-descr entries of m-mbox-view-conf. */
export type MmsPart = Part<MmsPdu>;

/**
 * An MMS PDU. Every header field is optional here (decoding is lenient); which ones a given
 * message type requires is in OMA-MMS-ENC §6 and /work/shared/spec/mms-encapsulation.md.
 */
export interface MmsPdu {
  /** X-Mms-Message-Type (0x8C). */
  messageType: MessageType;
  /** X-Mms-Transaction-Id (0x98). */
  transactionId?: string;
  /** X-Mms-MMS-Version (0x8D): '1.0' ... '1.3' ('1' when the minor nibble is 15). */
  mmsVersion?: string;

  bcc?: EncodedString[]; //                                      0x81
  cc?: EncodedString[]; //                                       0x82
  /** X-Mms-Content-Location (0x83): a URI; a list in the repeated / indexed forms. */
  contentLocation?: string | (string | Indexed<string>)[];
  /** Content-Type (0x84): always last; the body follows it. */
  contentType?: ContentType;
  date?: number; //                                              0x85
  deliveryReport?: boolean | RawOctet; //                        0x86
  deliveryTime?: TimeValue; //                                   0x87
  expiry?: TimeValue; //                                         0x88
  from?: FromValue; //                                           0x89
  /** X-Mms-Message-Class (0x8A): a class name, or the Token-text of an extension class. */
  messageClass?: MessageClass | RawOctet | string;
  messageId?: string; //                                         0x8B
  messageSize?: number; //                                       0x8E
  priority?: Priority | RawOctet; //                             0x8F
  /** X-Mms-Read-Report (0x90; "X-Mms-Read-Reply" in MMS 1.0). */
  readReport?: boolean | RawOctet;
  reportAllowed?: boolean | RawOctet; //                         0x91
  responseStatus?: ResponseStatus | RawOctet | (ResponseStatus | RawOctet | Indexed<ResponseStatus | RawOctet>)[]; // 0x92
  responseText?: EncodedString | (EncodedString | Indexed<EncodedString>)[]; // 0x93
  senderVisibility?: SenderVisibility | RawOctet; //             0x94
  status?: Status | RawOctet; //                                 0x95
  subject?: EncodedString; //                                    0x96
  to?: EncodedString[]; //                                       0x97
  retrieveStatus?: RetrieveStatus | RawOctet; //                 0x99
  retrieveText?: EncodedString; //                               0x9A
  readStatus?: ReadStatus | RawOctet; //                         0x9B
  replyCharging?: ReplyCharging | RawOctet; //                   0x9C
  replyChargingDeadline?: TimeValue; //                          0x9D
  replyChargingId?: string; //                                   0x9E
  replyChargingSize?: number; //                                 0x9F
  /** X-Mms-Previously-Sent-By (0xA0), one per forwarding hop. */
  previouslySentBy?: { count: number; address: EncodedString }[];
  /** X-Mms-Previously-Sent-Date (0xA1), one per forwarding hop. */
  previouslySentDate?: { count: number; date: number }[];
  store?: boolean | RawOctet; //                                 0xA2
  mmState?: MmState | RawOctet | (MmState | RawOctet)[]; //      0xA3
  mmFlags?: { action: MmFlagAction | RawOctet; keyword: EncodedString }[]; // 0xA4
  storeStatus?: StoreStatus | RawOctet; //                       0xA5
  storeStatusText?: EncodedString; //                            0xA6
  stored?: boolean | RawOctet; //                                0xA7
  /** X-Mms-Attributes (0xA8): the header fields asked for, as property names ('content' = body). */
  attributes?: (string | RawOctet)[];
  totals?: boolean | RawOctet; //                                0xA9
  /** X-Mms-Mbox-Totals (0xAA): both tokens of the header merged. */
  mboxTotals?: { messages?: number; size?: number };
  quotas?: boolean | RawOctet; //                                0xAB
  /** X-Mms-Mbox-Quotas (0xAC): both tokens of the header merged. */
  mboxQuotas?: { messages?: number; size?: number };
  messageCount?: number; //                                      0xAD
  start?: number; //                                             0xAF
  distributionIndicator?: boolean | RawOctet; //                 0xB1
  elementDescriptor?: ElementDescriptor; //                      0xB2
  limit?: number; //                                             0xB3
  recommendedRetrievalMode?: RetrievalMode | RawOctet; //        0xB4
  recommendedRetrievalModeText?: EncodedString; //               0xB5
  statusText?: EncodedString; //                                 0xB6
  applicId?: string; //                                          0xB7
  replyApplicId?: string; //                                     0xB8
  auxApplicInfo?: string; //                                     0xB9
  contentClass?: ContentClass | RawOctet; //                     0xBA
  drmContent?: boolean | RawOctet; //                            0xBB
  adaptationAllowed?: boolean | RawOctet; //                     0xBC
  replaceId?: string; //                                         0xBD
  cancelId?: string; //                                          0xBE
  cancelStatus?: CancelStatus | RawOctet; //                     0xBF

  /** Well-known header codes this codec does not define, kept raw (code = assigned number). */
  unknownHeaders?: { code: number; value: Uint8Array }[];
  /** Textual (application) header fields, e.g. `X-MMS-Unrecognised-Header-Field: Yes`. */
  applicationHeaders?: { name: string; value: string }[];

  /** Multipart body entries (multipart content types); absent when there is no body at all. */
  parts?: MmsPart[];
  /** Single-part body (any other content type), a view of the input; absent when empty. */
  body?: Uint8Array;
  /** The MMS PDU carried as the body of an m-mbox-upload-req, decoded (then `body` is absent). */
  bodyPdu?: MmsPdu;
}

/** Options of decodeMms(). */
export interface MmsDecodeOptions {
  /**
   * Decode multiparts nested in entries and the PDUs carried by m-mbox-upload-req /
   * m-mbox-view-conf (default true); false keeps them as raw `data` / `body`.
   */
  nested?: boolean;
  /**
   * Read the header fields only: the body after Content-Type is not looked at (no `parts` /
   * `body`). For answering a PDU whose body is corrupt or too large with its Transaction-Id.
   */
  headersOnly?: boolean;
  /**
   * Read X-Mms-Message-Type, X-Mms-Transaction-Id and X-Mms-MMS-Version only, and stop once the
   * last two are read: the fields walked over are not kept and no decoder limit applies to them,
   * a missing version is no error. For answering a PDU refused for its size, a decoder limit or
   * a corrupt field after these three with an m-send.conf carrying its Transaction-Id.
   */
  leadingOnly?: boolean;
}

/** What parseAddress() makes of an address (OMA MMS addressing model, fact sheet §11). */
export type ParsedAddress =
  | { kind: 'phone'; number: string; address: string }
  | { kind: 'ipv4' | 'ipv6'; ip: string; address: string }
  | { kind: 'email'; email: string; displayName?: string; address: string }
  | { kind: 'other'; type: string; value: string; address: string }
  | { kind: 'shortcode'; code: string; address: string }
  | { kind: 'unknown'; address: string };
