// decodeMms(): one WASM call decodes the whole PDU into rows; this builds the MmsPdu object
// from them (header fields in wire order, text decoded with its charset from the caller's own
// input, part data as views of it).
import * as T from '../../../assembly/shared/mms-table.js';
import { CodecError } from '../errors.js';
import { charsetFromMib } from '../wsp/charset.js';
import { runDecode } from '../wsp/module.js';
import { RowReader, versionString } from '../wsp/reader.js';
import { ELEMENT_PARAMS } from '../wsp/tables.js';
import {
  ATTRIBUTE_ONLY, HEADER_BY_CODE, MESSAGE_CLASSES, MESSAGE_TYPES, MM_FLAG_ACTIONS, RESPONSE_STATUS,
  RETRIEVE_STATUS, STORE_STATUS, foldStatus, type HeaderSpec,
} from './headers.js';
import type { EncodedString, MmsDecodeOptions, MmsPdu } from './types.js';

/** Decodes an MMS PDU (application/vnd.wap.mms-message). Throws only CodecError. */
export function decodeMms(bytes: Uint8Array, opts: MmsDecodeOptions = {}): MmsPdu {
  const flags = (opts.nested === false ? 0 : T.DF_NESTED) | (opts.headersOnly ? T.DF_HEADERS_ONLY : 0) | (opts.leadingOnly ? T.DF_LEADING : 0);
  const rows = runDecode(bytes, (x, len) => x.mmsDecode(len, flags));
  return readPdu(new RowReader(rows, bytes, readPdu));
}

type Bag = Record<string, unknown>;

/** Reads R_PDU ... R_PDU_END. */
export function readPdu(r: RowReader): MmsPdu {
  r.expect(T.R_PDU);
  const mt = r.w(1);
  r.i++;
  const pdu: Bag = {};
  for (;;) {
    const tag = r.tag();
    if (tag === T.R_PDU_END) {
      r.i++;
      break;
    }
    if (tag === T.R_MMS_HEADER) readHeader(r, pdu, mt);
    else if (tag === T.R_APP_HEADER) {
      const name = r.text(r.w(3), r.w(4), T.TF_NON_ASCII);
      const value = r.text(r.w(5), r.w(6), r.w(7));
      ((pdu.applicationHeaders ??= []) as unknown[]).push({ name, value });
      r.i++;
    } else if (tag === T.R_MULTIPART) {
      pdu.parts = r.multipart();
    } else if (tag === T.R_BODY) {
      const off = r.w(3);
      const len = r.w(4);
      const nest = r.w(5);
      r.i++;
      if (nest === T.NEST_PDU) pdu.bodyPdu = readPdu(r);
      else pdu.body = r.bytes.subarray(off, off + len);
    } else {
      throw new CodecError('INTERNAL', 'decode table', -1, `row ${r.i}: unexpected tag ${tag}`);
    }
  }
  return pdu as unknown as MmsPdu;
}

function readHeader(r: RowReader, pdu: Bag, mt: number): void {
  const code = r.w(1);
  const kind = r.w(2);
  const spec = HEADER_BY_CODE[code];
  if (!spec || kind === T.K_RAW) {
    ((pdu.unknownHeaders ??= []) as unknown[]).push({ code, value: r.bytes.subarray(r.w(3), r.w(3) + r.w(4)) });
    r.i++;
    return;
  }
  const key = spec.key;
  if (spec.type === 'ct') {
    r.i++;
    const ct = r.contentType();
    if (pdu[key] === undefined) pdu[key] = ct;
    return;
  }
  if (spec.type === 'element-descriptor') {
    const contentReference = r.text(r.w(3), r.w(4), r.w(5));
    const n = r.w(6);
    r.i++;
    const params = r.params(n, ELEMENT_PARAMS);
    if (pdu[key] === undefined) pdu[key] = params ? { contentReference, params } : { contentReference };
    return;
  }
  const a = r.w(3);
  const e = r.w(7);
  switch (spec.type) {
    case 'type':
      if (pdu[key] === undefined) pdu[key] = MESSAGE_TYPES[mt - 0x80];
      break;
    case 'addresses':
      ((pdu[key] ??= []) as unknown[]).push(estr(r));
      break;
    case 'estr':
      once(pdu, key, estr(r));
      break;
    case 'text':
      once(pdu, key, r.text(a, r.w(4), r.w(5)));
      break;
    case 'date':
    case 'long':
    case 'int':
      once(pdu, key, RowReader.int(a, r.w(4)));
      break;
    case 'bool':
      once(pdu, key, a === 0x80 ? true : a === 0x81 ? false : a);
      break;
    case 'enum':
      once(pdu, key, token(spec, a));
      break;
    case 'time':
      once(pdu, key, e === 0 ? { absolute: RowReader.int(a, r.w(4)) } : { relative: RowReader.int(a, r.w(4)) });
      break;
    case 'from':
      once(pdu, key, kind === T.K_TOKEN ? { insertAddress: true } : estr(r));
      break;
    case 'class':
      once(pdu, key, kind === T.K_OCTET ? MESSAGE_CLASSES[a - 0x80] ?? a : r.text(a, r.w(4), r.w(5)));
      break;
    case 'version':
      once(pdu, key, kind === T.K_OCTET ? versionString(a & 0x7f) : r.text(a, r.w(4), r.w(5)));
      break;
    case 'response-status':
    case 'retrieve-status':
    case 'store-status': {
      const table = spec.type === 'response-status' ? RESPONSE_STATUS : spec.type === 'retrieve-status' ? RETRIEVE_STATUS : STORE_STATUS;
      const v = table.get(a) ?? { name: foldStatus(a), raw: a };
      if (spec.type === 'response-status') multi(pdu, key, kind === T.K_TOKEN_OCTET ? { index: e, value: v } : v, kind === T.K_TOKEN_OCTET);
      else once(pdu, key, v);
      break;
    }
    case 'location':
      if (kind === T.K_TOKEN_TEXT) multi(pdu, key, { index: e, value: r.text(a, r.w(4), r.w(5)) }, true);
      else multi(pdu, key, r.text(a, r.w(4), r.w(5)), false);
      break;
    case 'response-text':
      if (kind === T.K_TOKEN_ESTR) multi(pdu, key, { index: e, value: estr(r) }, true);
      else multi(pdu, key, estr(r), false);
      break;
    case 'mm-state':
      multi(pdu, key, token(spec, a), false);
      break;
    case 'prev-by':
      ((pdu[key] ??= []) as unknown[]).push({ count: e, address: estr(r) });
      break;
    case 'prev-date':
      ((pdu[key] ??= []) as unknown[]).push({ count: e, date: RowReader.int(a, r.w(4)) });
      break;
    case 'mm-flags':
      ((pdu[key] ??= []) as unknown[]).push({ action: MM_FLAG_ACTIONS[e] ?? (0x80 | e), keyword: estr(r) });
      break;
    case 'attributes': {
      const c = a & 0x7f;
      ((pdu[key] ??= []) as unknown[]).push(HEADER_BY_CODE[c]?.key ?? ATTRIBUTE_ONLY.get(c) ?? a);
      break;
    }
    case 'totals': {
      const t = (pdu[key] ??= {}) as Record<string, number>;
      const name = e === 0 ? 'messages' : 'size';
      if (t[name] === undefined) t[name] = RowReader.int(a, r.w(4));
      break;
    }
    default:
      throw new CodecError('INTERNAL', spec.name, -1, `no reader for ${spec.type}`);
  }
  r.i++;
}

/** The Encoded-string-value of the current row (a/b/c text, d charset). */
function estr(r: RowReader): EncodedString {
  const mib = r.w(6);
  const text = r.text(r.w(3), r.w(4), r.w(5), mib);
  return mib < 0 ? text : { text, charset: charsetFromMib(mib) };
}

function token(spec: HeaderSpec, octet: number): string | number {
  return spec.tokens?.[octet - 0x80] ?? octet;
}

function once(pdu: Bag, key: string, v: unknown): void {
  if (pdu[key] === undefined) pdu[key] = v;
}

/** A single value, that turns into a list when the header repeats or is indexed. */
function multi(pdu: Bag, key: string, v: unknown, indexed: boolean): void {
  const cur = pdu[key];
  if (cur === undefined) pdu[key] = indexed ? [v] : v;
  else if (Array.isArray(cur)) cur.push(v);
  else pdu[key] = [cur, v];
}
