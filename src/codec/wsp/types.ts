// Types of the WSP layer: content types, multipart entries, generic headers, the push PDU.
// Every decoded object is plain data (JSON.stringify / toEqual friendly); byte payloads are
// Uint8Array views of the caller's input, never copies.
import type { Charset } from './charset.js';

/**
 * A content type with its parameters, e.g.
 * `{ type: 'application/vnd.wap.multipart.related', params: { type: 'application/smil', start: '<0>' } }`.
 * Well-known WSP codes are mapped to their names (and back on encode).
 */
export interface ContentType {
  type: string;
  params?: ContentTypeParams;
}

/**
 * Content-type (and Content-Disposition) parameters by name, in wire order. Well-known
 * parameters (WSP 1.1-1.4 codes) use their lower-case names; textual parameters keep theirs.
 * `charset` is a Charset; `type` is a media type string (multipart/related `type`, WSP 0x09)
 * or a number (WSP 0x03 `type`); dates and sizes are numbers; `secure` (no value) is `true`.
 */
export interface ContentTypeParams {
  charset?: Charset;
  type?: string | number;
  start?: string;
  'start-info'?: string;
  name?: string;
  filename?: string;
  [name: string]: string | number | boolean | undefined;
}

/** Content-Disposition of a multipart entry: `form-data`, `attachment`, `inline` or a token. */
export interface ContentDisposition {
  type: string;
  params?: ContentTypeParams;
}

/**
 * A header kept as it came: a well-known WSP header we do not interpret (its code, its name
 * for reading, and its raw value octets, re-encoded unchanged), or a textual header.
 */
export type WspHeader =
  | { code: number; name: string; value: Uint8Array }
  | { name: string; value: string };

/**
 * One entry of a WSP multipart. Exactly one of `data` (the octets, a view of the input),
 * `parts` (a nested multipart, decoded) or `pdu` (an MMS PDU carried in the entry, decoded:
 * the entries of an m-mbox-view-conf) holds the content.
 */
export interface Part<P = unknown> {
  contentType: ContentType;
  /** Content-ID as sent (normally with the angle brackets: `<0.smil>`). */
  contentId?: string;
  contentLocation?: string;
  contentDisposition?: ContentDisposition;
  /** Textual Content-Transfer-Encoding header (or Android's private 0xC8 code): `base64`... */
  contentTransferEncoding?: string;
  /** Other headers, in wire order. */
  headers?: WspHeader[];
  data?: Uint8Array;
  parts?: Part<P>[];
  pdu?: P;
}

/** WSP PDU types a push decoder recognises. */
export type PushPduType = 'push' | 'confirmed-push';

/**
 * A WSP push PDU (connectionless: TID first; connection-oriented: no TID).
 * The headers an MMS stack needs are named; the rest are kept in `headers`.
 */
export interface WspPush {
  /** Transaction id octet; absent for the connection-oriented form. */
  tid?: number;
  pduType: PushPduType;
  contentType: ContentType;
  /** X-Wap-Application-Id: the URN (`x-wap-application:mms.ua`), or an unassigned numeric code. */
  applicationId?: string | number;
  contentLength?: number;
  pushFlag?: number;
  initiatorUri?: string;
  /** Encoding-Version, e.g. `1.5`. */
  encodingVersion?: string;
  headers?: WspHeader[];
  /** The push body (e.g. an m-notification-ind), a view of the input. */
  body: Uint8Array;
  /**
   * Present only when the declared Headers-Length was wrong and the decoder recovered the body
   * start (see assembly/wsp/push.ts): the declared and the actual header-block lengths.
   */
  headersLengthRepaired?: { declared: number; actual: number };
}
