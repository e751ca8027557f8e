// encodeMms(): strict and canonical. The PDU object becomes an encode table (header rows in
// key order, strings written into WASM memory in their charset), one WASM call writes the wire
// bytes, and the part/body data are spliced in with a single allocation.
//
// Canonical choices: X-Mms-Message-Type, X-Mms-Transaction-Id, X-Mms-MMS-Version first;
// Content-Type last; minimal Long-integers (Date, sizes, times always as Long-integer);
// tokens wherever a token exists; Text-strings quoted only when they must be.
import * as T from '../../../assembly/shared/mms-table.js';
import { CodecError } from '../errors.js';
import { charsetToMib } from '../wsp/charset.js';
import { runEncode, type EncodeTable } from '../wsp/module.js';
import { ELEMENT_ENCODE_PARAM, ELEMENT_PARAMS } from '../wsp/tables.js';
import type { Part } from '../wsp/types.js';
import {
  checkHeaderName, checkPlainText, lohi, partData, versionOctet, writeContentType, writeMultipart,
  writeParams,
} from '../wsp/writer.js';
import {
  ATTRIBUTE_ONLY, HEADER_BY_KEY, MESSAGE_CLASSES, MESSAGE_TYPES, MM_FLAG_ACTIONS, RESPONSE_STATUS,
  RETRIEVE_STATUS, STORE_STATUS, reverse, type HeaderSpec,
} from './headers.js';
import type { EncodedString, MessageType, MmsPdu } from './types.js';

const RESPONSE_CODES = reverse(RESPONSE_STATUS);
const RETRIEVE_CODES = reverse(RETRIEVE_STATUS);
const STORE_CODES = reverse(STORE_STATUS);

/** Header fields each message type must carry (OMA-MMS-ENC §6; fact sheet §6). */
const MANDATORY: Partial<Record<MessageType, (keyof MmsPdu)[]>> = {
  'm-send-req': ['transactionId', 'from', 'contentType'],
  'm-send-conf': ['transactionId', 'responseStatus'],
  'm-notification-ind': ['transactionId', 'messageClass', 'messageSize', 'expiry', 'contentLocation'],
  'm-notifyresp-ind': ['transactionId', 'status'],
  'm-retrieve-conf': ['date', 'contentType'],
  'm-acknowledge-ind': ['transactionId'],
  'm-delivery-ind': ['messageId', 'to', 'date', 'status'],
  'm-read-rec-ind': ['messageId', 'to', 'from', 'readStatus'],
  'm-read-orig-ind': ['messageId', 'to', 'from', 'date', 'readStatus'],
  'm-forward-req': ['transactionId', 'from', 'contentLocation'],
  'm-forward-conf': ['transactionId', 'responseStatus'],
  'm-mbox-store-req': ['transactionId', 'contentLocation'],
  'm-mbox-store-conf': ['transactionId', 'storeStatus'],
  'm-mbox-view-req': ['transactionId'],
  'm-mbox-view-conf': ['transactionId', 'responseStatus'],
  'm-mbox-upload-req': ['transactionId', 'contentType'],
  'm-mbox-upload-conf': ['transactionId', 'storeStatus'],
  'm-mbox-delete-req': ['transactionId', 'contentLocation'],
  'm-mbox-delete-conf': ['transactionId', 'responseStatus'],
  'm-delete-req': ['transactionId', 'contentLocation'],
  'm-delete-conf': ['transactionId', 'responseStatus'],
  'm-cancel-req': ['transactionId', 'cancelId'],
  'm-cancel-conf': ['transactionId'],
};

const FIRST = new Set(['messageType', 'transactionId', 'mmsVersion']);
const BODY = new Set(['contentType', 'parts', 'body', 'bodyPdu']);

/** Encodes an MMS PDU. Throws CodecError for values the format cannot carry. */
export function encodeMms(pdu: MmsPdu): Uint8Array {
  const mt = MESSAGE_TYPES.indexOf(pdu?.messageType);
  if (mt < 0) throw new CodecError('BAD_VALUE', 'X-Mms-Message-Type', -1, `${String(pdu?.messageType)} is not an MMS message type`);
  for (const key of ['mmsVersion', ...(MANDATORY[pdu.messageType] ?? [])] as (keyof MmsPdu)[]) {
    if (pdu[key] === undefined) {
      throw new CodecError('MISSING', HEADER_BY_KEY.get(key)!.name, -1, `mandatory in ${pdu.messageType}`);
    }
  }
  const hasBody = pdu.parts !== undefined || pdu.body !== undefined || pdu.bodyPdu !== undefined;
  if (hasBody && pdu.contentType === undefined) throw new CodecError('MISSING', 'Content-Type', -1, 'a body needs a content type');

  // Nested content is encoded first: each is its own WASM call, done before this table exists.
  const datas = pdu.parts !== undefined ? partData(pdu.parts as Part<unknown>[], encodeParts, encodeMms as (p: unknown) => Uint8Array, 'MMS part') : undefined;
  const body = pdu.bodyPdu !== undefined ? encodeMms(pdu.bodyPdu) : pdu.body;
  if (body !== undefined && !(body instanceof Uint8Array)) throw new CodecError('BAD_VALUE', 'MMS body', -1, 'expected a Uint8Array');

  return runEncode((t) => {
    t.row(T.R_MMS_HEADER, 0x0c, T.K_OCTET, 0x80 + mt, 0, 0, 0, 0);
    if (pdu.transactionId !== undefined) writeHeader(t, 'transactionId', pdu.transactionId);
    writeHeader(t, 'mmsVersion', pdu.mmsVersion);
    for (const key of Object.keys(pdu)) {
      const v = (pdu as unknown as Record<string, unknown>)[key];
      if (v === undefined || FIRST.has(key) || BODY.has(key)) continue;
      writeHeader(t, key, v);
    }
    if (pdu.contentType !== undefined) {
      t.row(T.R_MMS_HEADER, 0x04, T.K_CT, 0, 0, 0, 0, 0);
      writeContentType(t, pdu.contentType, 'Content-Type');
    }
    if (datas) writeMultipart(t, pdu.parts as Part<unknown>[], datas, 'MMS part');
    else if (body !== undefined && body.length > 0) t.data(t.row(T.R_BODY, 0, 0, 0, 0, 0, 0, 0), body);
  });
}

/** Encodes a multipart nested in a part (its own call, before the outer table is built). */
function encodeParts(parts: Part<unknown>[]): Uint8Array {
  const datas = partData(parts, encodeParts, encodeMms as (p: unknown) => Uint8Array, 'MMS part');
  return runEncode((t) => writeMultipart(t, parts, datas, 'MMS part'));
}

function writeHeader(t: EncodeTable, key: string, v: unknown): void {
  if (key === 'unknownHeaders') {
    for (const h of asArray<{ code: number; value: Uint8Array }>(v, key)) {
      if (!Number.isInteger(h?.code) || h.code < 0 || h.code > 0x7f || !(h.value instanceof Uint8Array)) {
        throw new CodecError('BAD_VALUE', 'unknownHeaders', -1, 'expected { code: 0..127, value: Uint8Array }');
      }
      const [off, len] = t.raw(h.value);
      t.row(T.R_MMS_HEADER, h.code, T.K_RAW, off, len, 0, 0, 0);
    }
    return;
  }
  if (key === 'applicationHeaders') {
    for (const h of asArray<{ name: string; value: string }>(v, key)) {
      checkHeaderName(h?.name, 'application header');
      checkPlainText(h.value, `application header ${h.name}`);
      const [noff, nlen] = t.text(h.name, -1, h.name);
      const [voff, vlen] = t.text(h.value, -1, h.name);
      t.row(T.R_APP_HEADER, 0, 0, noff, nlen, voff, vlen, 0);
    }
    return;
  }
  const spec = HEADER_BY_KEY.get(key);
  if (!spec) throw new CodecError('BAD_VALUE', key, -1, 'not an MMS header field');
  const f = spec.name;
  const c = spec.code;
  switch (spec.type) {
    case 'addresses':
      for (const a of asArray<EncodedString>(v, f)) estrRow(t, c, T.K_ESTR, a, 0, f);
      break;
    case 'estr':
      estrRow(t, c, T.K_ESTR, v as EncodedString, 0, f);
      break;
    case 'text':
      textRow(t, c, T.K_TEXT, v, 0, f);
      break;
    case 'date':
    case 'long':
    case 'int': {
      const [lo, hi] = lohi(v as number, f);
      t.row(T.R_MMS_HEADER, c, T.K_INT, lo, hi, spec.type === 'int' ? 0 : 1, 0, 0);
      break;
    }
    case 'bool':
      octetRow(t, c, v === true ? 0x80 : v === false ? 0x81 : rawOctet(v, f), 0, T.K_OCTET);
      break;
    case 'enum':
    case 'mm-state':
      for (const x of spec.type === 'mm-state' && Array.isArray(v) ? v : [v]) {
        octetRow(t, c, tokenOctet(spec, x, f), 0, T.K_OCTET);
      }
      break;
    case 'time': {
      const tv = v as { relative?: number; absolute?: number };
      const rel = tv?.relative !== undefined;
      if (!rel && tv?.absolute === undefined) throw new CodecError('BAD_VALUE', f, -1, 'expected { relative } or { absolute }');
      const [lo, hi] = lohi((rel ? tv.relative : tv.absolute) as number, f);
      t.row(T.R_MMS_HEADER, c, T.K_TOKEN_INT, lo, hi, 1, 0, rel ? 1 : 0);
      break;
    }
    case 'from':
      if (typeof v === 'object' && v !== null && (v as { insertAddress?: unknown }).insertAddress === true) {
        t.row(T.R_MMS_HEADER, c, T.K_TOKEN, 0, 0, 0, 0, 1);
      } else estrRow(t, c, T.K_TOKEN_ESTR, v as EncodedString, 0, f);
      break;
    case 'class': {
      const i = typeof v === 'string' ? MESSAGE_CLASSES.indexOf(v) : -1;
      if (i >= 0) octetRow(t, c, 0x80 + i, 0, T.K_OCTET);
      else if (typeof v === 'string') textRow(t, c, T.K_TEXT, v, 0, f);
      else octetRow(t, c, rawOctet(v, f), 0, T.K_OCTET);
      break;
    }
    case 'version': {
      const o = typeof v === 'string' ? versionOctet(v) : undefined;
      if (o !== undefined) octetRow(t, c, o, 0, T.K_OCTET);
      else if (typeof v === 'string' && v.length > 0) textRow(t, c, T.K_TEXT, v, 0, f);
      else throw new CodecError('BAD_VALUE', f, -1, `${String(v)} is not a version`);
      break;
    }
    case 'response-status':
      for (const x of Array.isArray(v) ? v : [v]) {
        if (isIndexed(x)) octetRow(t, c, statusOctet(x.value, RESPONSE_CODES, f), count(x.index, f), T.K_TOKEN_OCTET);
        else octetRow(t, c, statusOctet(x, RESPONSE_CODES, f), 0, T.K_OCTET);
      }
      break;
    case 'retrieve-status':
      octetRow(t, c, statusOctet(v, RETRIEVE_CODES, f), 0, T.K_OCTET);
      break;
    case 'store-status':
      octetRow(t, c, statusOctet(v, STORE_CODES, f), 0, T.K_OCTET);
      break;
    case 'location':
      for (const x of Array.isArray(v) ? v : [v]) {
        if (isIndexed(x)) textRow(t, c, T.K_TOKEN_TEXT, x.value, count(x.index, f), f);
        else textRow(t, c, T.K_TEXT, x, 0, f);
      }
      break;
    case 'response-text':
      for (const x of Array.isArray(v) ? v : [v]) {
        if (isIndexed(x)) estrRow(t, c, T.K_TOKEN_ESTR, x.value as EncodedString, count(x.index, f), f);
        else estrRow(t, c, T.K_ESTR, x as EncodedString, 0, f);
      }
      break;
    case 'prev-by':
      for (const x of asArray<{ count: number; address: EncodedString }>(v, f)) {
        estrRow(t, c, T.K_TOKEN_ESTR, x?.address, count(x?.count, f), f);
      }
      break;
    case 'prev-date':
      for (const x of asArray<{ count: number; date: number }>(v, f)) {
        const [lo, hi] = lohi(x?.date, f);
        t.row(T.R_MMS_HEADER, c, T.K_TOKEN_INT, lo, hi, 1, 0, count(x?.count, f));
      }
      break;
    case 'mm-flags':
      for (const x of asArray<{ action: string | number; keyword: EncodedString }>(v, f)) {
        const i = typeof x?.action === 'string' ? MM_FLAG_ACTIONS.indexOf(x.action) : -1;
        const action = i >= 0 ? i : rawOctet(x?.action, f) & 0x7f;
        estrRow(t, c, T.K_TOKEN_ESTR, x?.keyword, action, f);
      }
      break;
    case 'attributes':
      for (const x of asArray<string | number>(v, f)) {
        const code = typeof x === 'string' ? HEADER_BY_KEY.get(x)?.code ?? attributeOnly(x) : undefined;
        octetRow(t, c, code !== undefined ? 0x80 | code : rawOctet(x, f), 0, T.K_OCTET);
      }
      break;
    case 'totals': {
      const tv = v as { messages?: number; size?: number };
      if (typeof tv !== 'object' || tv === null) throw new CodecError('BAD_VALUE', f, -1, 'expected { messages?, size? }');
      for (const [name, token] of [['messages', 0], ['size', 1]] as const) {
        if (tv[name] === undefined) continue;
        const [lo, hi] = lohi(tv[name]!, f);
        t.row(T.R_MMS_HEADER, c, T.K_TOKEN_INT, lo, hi, 0, 0, token);
      }
      break;
    }
    case 'element-descriptor': {
      const d = v as { contentReference: string; params?: Record<string, string | number | boolean | undefined> };
      if (typeof d?.contentReference !== 'string') throw new CodecError('BAD_VALUE', f, -1, 'expected { contentReference, params? }');
      const entries = Object.entries(d.params ?? {}).filter((e): e is [string, string | number | boolean] => e[1] !== undefined);
      const [off, len] = t.text(d.contentReference, -1, f);
      t.row(T.R_MMS_HEADER, c, T.K_PARAMS_TEXT, off, len, 0, entries.length, 0);
      writeParams(t, entries, f, ELEMENT_ENCODE_PARAM, ELEMENT_PARAMS);
      break;
    }
    default: // 'type' and 'ct' are written by encodeMms itself
      throw new CodecError('BAD_VALUE', f, -1, 'not writable here');
  }
}

function estrRow(t: EncodeTable, code: number, kind: number, v: EncodedString, e: number, field: string): void {
  if (typeof v === 'string') {
    checkPlainText(v, field);
    const [off, len] = t.text(v, -1, field);
    t.row(T.R_MMS_HEADER, code, kind, off, len, 0, -1, e);
    return;
  }
  if (typeof v !== 'object' || v === null || typeof v.text !== 'string') {
    throw new CodecError('BAD_VALUE', field, -1, 'expected a string or { text, charset }');
  }
  const mib = charsetToMib(v.charset);
  if (mib === undefined) throw new CodecError('BAD_VALUE', field, -1, `unknown charset ${String(v.charset)}`);
  const [off, len] = t.text(v.text, mib, field);
  t.row(T.R_MMS_HEADER, code, kind, off, len, 0, mib, e);
}

function textRow(t: EncodeTable, code: number, kind: number, v: unknown, e: number, field: string): void {
  const [off, len] = t.text(checkPlainText(v, field), -1, field);
  t.row(T.R_MMS_HEADER, code, kind, off, len, 0, 0, e);
}

function octetRow(t: EncodeTable, code: number, octet: number, e: number, kind: number): void {
  t.row(T.R_MMS_HEADER, code, kind, octet, 0, 0, 0, e);
}

function rawOctet(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0x80 || v > 0xff) {
    throw new CodecError('BAD_VALUE', field, -1, `${String(v)} is not a value of this field`);
  }
  return v;
}

function tokenOctet(spec: HeaderSpec, v: unknown, field: string): number {
  const i = typeof v === 'string' && spec.tokens ? spec.tokens.indexOf(v) : -1;
  return i >= 0 ? 0x80 + i : rawOctet(v, field);
}

function statusOctet(v: unknown, codes: ReadonlyMap<string, number>, field: string): number {
  if (typeof v === 'string') {
    const o = codes.get(v);
    if (o === undefined) throw new CodecError('BAD_VALUE', field, -1, `${v} is not a status name`);
    return o;
  }
  if (typeof v === 'object' && v !== null && 'raw' in v) return rawOctet((v as { raw: unknown }).raw, field);
  return rawOctet(v, field);
}

function count(v: unknown, field: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0x7fffffff) {
    throw new CodecError('BAD_VALUE', field, -1, `${String(v)} is not a count`);
  }
  return v;
}

function isIndexed(x: unknown): x is { index: number; value: unknown } {
  return typeof x === 'object' && x !== null && 'index' in x && 'value' in x;
}

function attributeOnly(name: string): number | undefined {
  for (const [code, n] of ATTRIBUTE_ONLY) if (n === name) return code;
  return undefined;
}

function asArray<X>(v: unknown, field: string): X[] {
  if (!Array.isArray(v)) throw new CodecError('BAD_VALUE', field, -1, 'expected an array');
  return v as X[];
}
