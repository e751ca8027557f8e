// Writes WSP-layer objects (content types, parameters, part headers, multipart framing) as
// encode-table rows. Canonical output: well-known codes wherever one exists (the WSP 1.1/1.2
// parameter codes), minimal integers, Content-ID as a Quoted-string, Content-Disposition with
// the WSP 1.1 code 0xAE, Content-Transfer-Encoding as a textual header.
import * as T from '../../../assembly/shared/mms-table.js';
import { CodecError } from '../errors.js';
import { charsetToMib } from './charset.js';
import type { EncodeTable } from './module.js';
import { contentTypeCode, ENCODE_PARAM, PARAMS, type ParamKind } from './tables.js';
import type { ContentDisposition, ContentType, ContentTypeParams, Part, WspHeader } from './types.js';

/** Splits a number into the low/high 32-bit words of a row. */
export function lohi(v: number, field: string): [number, number] {
  if (!Number.isInteger(v) || v < 0 || v > Number.MAX_SAFE_INTEGER) {
    throw new CodecError('BAD_VALUE', field, -1, `${v} is not a non-negative integer`);
  }
  return [v % 4294967296 | 0, Math.floor(v / 4294967296) | 0];
}

/** Writes CT + R_PARAM rows. */
export function writeContentType(t: EncodeTable, ct: ContentType, field: string): void {
  if (!ct || typeof ct.type !== 'string') throw new CodecError('BAD_VALUE', field, -1, 'expected { type, params? }');
  const entries = paramEntries(ct.params);
  const code = contentTypeCode(ct.type);
  if (code !== undefined) t.row(T.R_CT, code, 0, 0, 0, 0, entries.length, 0);
  else {
    const [off, len] = t.text(checkPlainText(ct.type, field), -1, field);
    t.row(T.R_CT, -1, 0, off, len, 0, entries.length, 0);
  }
  writeParams(t, entries, field);
}

function paramEntries(params: ContentTypeParams | undefined): [string, string | number | boolean][] {
  if (!params) return [];
  return Object.entries(params).filter((e): e is [string, string | number | boolean] => e[1] !== undefined);
}

/**
 * Writes R_PARAM rows for the parameter entries, with the codes of `codes` / `table` (WSP's by
 * default; X-Mms-Element-Descriptor has its own).
 */
export function writeParams(
  t: EncodeTable,
  entries: [string, string | number | boolean][],
  field: string,
  codes: ReadonlyMap<string, number> = ENCODE_PARAM,
  table: readonly (readonly [string, ParamKind] | undefined)[] = PARAMS,
): void {
  for (const [name, value] of entries) {
    const pf = `${field} parameter ${name}`;
    const lower = name.toLowerCase();
    let code = codes.get(lower);
    const raw = /^x-wsp-param-0x([0-9a-f]+)$/i.exec(name);
    let kind: ParamKind | undefined;
    if (raw) { // a well-known code no table names (as decoded): typed by its value
      code = parseInt(raw[1], 16);
      kind = table[code]?.[1] ?? (typeof value === 'number' ? 'integer' : typeof value === 'boolean' ? 'none' : 'text');
    } else if (code !== undefined) kind = table[code]?.[1];
    if (lower === 'type' && typeof value === 'number' && table === PARAMS) {
      code = 0x03;
      kind = 'integer';
    }
    if (code === undefined || kind === undefined) { // Untyped-parameter: Token-text Untyped-value
      checkHeaderName(name, pf);
      const [noff, nlen] = t.text(name, -1, pf);
      if (typeof value === 'number') {
        const [lo, hi] = lohi(value, pf);
        t.row(T.R_PARAM, -1, T.K_INT, lo, hi, 0, noff, nlen);
      } else {
        const [off, len] = t.text(checkPlainText(String(value), pf), -1, pf);
        t.row(T.R_PARAM, -1, T.K_TEXT, off, len, 0, noff, nlen);
      }
      continue;
    }
    switch (kind) {
      case 'none':
        t.row(T.R_PARAM, code, T.K_NONE, 0, 0, 0, 0, 0);
        break;
      case 'charset': {
        const mib = charsetToMib(value as string | number);
        if (mib === undefined && typeof value === 'string') { // a name without MIBenum: textual
          const [noff, nlen] = t.text(name, -1, pf);
          const [off, len] = t.text(value, -1, pf);
          t.row(T.R_PARAM, -1, T.K_TEXT, off, len, 0, noff, nlen);
          break;
        }
        if (mib === undefined) throw new CodecError('BAD_VALUE', pf, -1, `unknown charset ${String(value)}`);
        const [lo, hi] = lohi(mib, pf);
        t.row(T.R_PARAM, code, T.K_INT, lo, hi, 0, 0, 0);
        break;
      }
      case 'media': { // Constrained-encoding: Short-integer or Extension-media
        const c = typeof value === 'string' ? contentTypeCode(value) : undefined;
        if (c !== undefined && c < 0x80) t.row(T.R_PARAM, code, T.K_OCTET, 0x80 | c, 0, 0, 0, 0);
        else {
          const [off, len] = t.text(String(value), -1, pf);
          t.row(T.R_PARAM, code, T.K_TEXT, off, len, 0, 0, 0);
        }
        break;
      }
      case 'version': {
        const v = typeof value === 'string' ? versionOctet(value) : undefined;
        if (v !== undefined) t.row(T.R_PARAM, code, T.K_OCTET, v, 0, 0, 0, 0);
        else {
          const [off, len] = t.text(String(value), -1, pf);
          t.row(T.R_PARAM, code, T.K_TEXT, off, len, 0, 0, 0);
        }
        break;
      }
      case 'q': {
        if (typeof value !== 'number' || value < 0 || value > 1) throw new CodecError('BAD_VALUE', pf, -1, 'expected a q-value 0..1');
        const hundredths = Math.round(value * 100);
        const v = Math.abs(hundredths - value * 100) < 1e-9 ? hundredths + 1 : Math.round(value * 1000) + 100;
        t.row(T.R_PARAM, code, T.K_INT, v, 0, 2, 0, 0);
        break;
      }
      case 'integer':
      case 'date': {
        if (typeof value !== 'number') throw new CodecError('BAD_VALUE', pf, -1, 'expected a number');
        const [lo, hi] = lohi(value, pf);
        t.row(T.R_PARAM, code, T.K_INT, lo, hi, kind === 'date' ? 1 : 0, 0, 0);
        break;
      }
      default: { // text, field
        const [off, len] = t.text(checkPlainText(value, pf), -1, pf);
        t.row(T.R_PARAM, code, T.K_TEXT, off, len, 0, 0, 0);
      }
    }
  }
}

/** Version-value octet for `major.minor` (minor 15 = none), or undefined when not of that form. */
export function versionOctet(s: string): number | undefined {
  const m = /^([1-7])(?:\.([0-9]|1[0-4]))?$/.exec(s);
  if (!m) return undefined;
  return 0x80 | (Number(m[1]) << 4) | (m[2] === undefined ? 15 : Number(m[2]));
}

const DISPOSITION_TOKENS = new Map([['form-data', 0], ['attachment', 1], ['inline', 2]]);

/** Writes a Content-Disposition header row (+ parameters). */
export function writeDisposition(t: EncodeTable, d: ContentDisposition, field: string): void {
  if (!d || typeof d.type !== 'string') throw new CodecError('BAD_VALUE', field, -1, 'expected { type, params? }');
  const entries = paramEntries(d.params);
  const token = DISPOSITION_TOKENS.get(d.type.toLowerCase());
  const m = /^x-wsp-disposition-0x([0-9a-f]+)$/i.exec(d.type);
  if (token !== undefined || m) {
    t.row(T.R_WSP_HEADER, 0x2e, T.K_DISPOSITION, 0, 0, 0, entries.length, token ?? parseInt(m![1], 16));
  } else {
    const [off, len] = t.text(d.type, -1, field);
    t.row(T.R_WSP_HEADER, 0x2e, T.K_DISPOSITION, off, len, 0, entries.length, -1);
  }
  writeParams(t, entries, field);
}

/**
 * A textual header name must start with an octet a decoder reads as Token-text (0x20-0x7E);
 * whatever follows is kept as it is, so that every decoded header re-encodes.
 */
export function checkHeaderName(name: unknown, field: string): void {
  if (typeof name !== 'string' || !/^[\x20-\x7e]/.test(name)) {
    throw new CodecError('BAD_VALUE', field, -1, 'a textual header name must start with a printable ASCII character');
  }
}

/**
 * A Text-string (no charset form) cannot start with a control character: a decoder would read
 * it as a Value-length. The charset form of an Encoded-string-value can carry any text.
 */
export function checkPlainText(s: unknown, field: string): string {
  if (typeof s !== 'string') throw new CodecError('BAD_VALUE', field, -1, 'expected a string');
  const c = s.charCodeAt(0);
  if (c >= 0x01 && c <= 0x1f) throw new CodecError('NOT_REPRESENTABLE', field, -1, 'a Text-string cannot start with a control character');
  return s;
}

/** Writes a kept header (raw well-known value or textual header). */
export function writeKeptHeader(t: EncodeTable, h: WspHeader, field: string): void {
  if (typeof h.value === 'string') {
    checkHeaderName(h.name, field);
    checkPlainText(h.value, field);
    const [noff, nlen] = t.text(h.name, -1, field);
    const [voff, vlen] = t.text(h.value, -1, field);
    t.row(T.R_APP_HEADER, 0, 0, noff, nlen, voff, vlen, 0);
  } else if ('code' in h && h.value instanceof Uint8Array) {
    if (!Number.isInteger(h.code) || h.code < 0 || h.code > 0x7f) throw new CodecError('BAD_VALUE', field, -1, `header code ${h.code}`);
    const [off, len] = t.raw(h.value);
    t.row(T.R_WSP_HEADER, h.code, T.K_RAW, off, len, 0, 0, 0);
  } else {
    throw new CodecError('BAD_VALUE', field, -1, 'expected { code, value: Uint8Array } or { name, value: string }');
  }
}

const PART_CONTENT = new Set(['contentType', 'data', 'parts', 'pdu']);

/** Writes the header rows of a part (after its CT); returns how many. */
export function writePartHeaders(t: EncodeTable, part: Part<unknown>, field: string): number {
  let n = 0;
  for (const key of Object.keys(part) as (keyof Part<unknown>)[]) {
    const v = part[key];
    if (v === undefined || PART_CONTENT.has(key)) continue;
    switch (key) {
      case 'contentId': {
        const [off, len] = t.text(v as string, -1, `${field} Content-ID`);
        t.row(T.R_WSP_HEADER, 0x40, T.K_QUOTED, off, len, 0, 0, 0);
        n++;
        break;
      }
      case 'contentLocation': {
        const [off, len] = t.text(checkPlainText(v, `${field} Content-Location`), -1, `${field} Content-Location`);
        t.row(T.R_WSP_HEADER, 0x0e, T.K_TEXT, off, len, 0, 0, 0);
        n++;
        break;
      }
      case 'contentDisposition':
        writeDisposition(t, v as ContentDisposition, `${field} Content-Disposition`);
        n++;
        break;
      case 'contentTransferEncoding': {
        const [noff, nlen] = t.text('Content-Transfer-Encoding', -1, field);
        const [voff, vlen] = t.text(checkPlainText(v, `${field} Content-Transfer-Encoding`), -1, `${field} Content-Transfer-Encoding`);
        t.row(T.R_APP_HEADER, 0, 0, noff, nlen, voff, vlen, 0);
        n++;
        break;
      }
      case 'headers':
        for (const h of v as WspHeader[]) {
          writeKeptHeader(t, h, `${field} header ${h.name}`);
          n++;
        }
        break;
      default:
        throw new CodecError('BAD_VALUE', `${field} ${String(key)}`, -1, 'not a multipart entry field');
    }
  }
  return n;
}

/**
 * Content octets of each part, nested content encoded first (`parts` with this function's
 * caller, `pdu` with `encodePdu`), so that the table of the outer call is built in one go.
 */
export function partData(
  parts: Part<unknown>[],
  encodeParts: (parts: Part<unknown>[]) => Uint8Array,
  encodePdu: ((pdu: unknown) => Uint8Array) | undefined,
  field: string,
): Uint8Array[] {
  if (!Array.isArray(parts)) throw new CodecError('BAD_VALUE', field, -1, 'expected an array of parts');
  return parts.map((p, i) => {
    if (p.parts !== undefined) return encodeParts(p.parts);
    if (p.pdu !== undefined) {
      if (!encodePdu) throw new CodecError('BAD_VALUE', `${field} ${i + 1} pdu`, -1, 'no MMS encoder here');
      return encodePdu(p.pdu);
    }
    if (p.data instanceof Uint8Array) return p.data;
    if (p.data === undefined) return new Uint8Array(0);
    throw new CodecError('BAD_VALUE', `${field} ${i + 1} data`, -1, 'expected a Uint8Array');
  });
}

/** Writes R_MULTIPART and the entries (data spliced in from `datas`). */
export function writeMultipart(t: EncodeTable, parts: Part<unknown>[], datas: Uint8Array[], field: string): void {
  t.row(T.R_MULTIPART, parts.length, 0, 0, 0, 0, 0, 0);
  parts.forEach((part, i) => {
    const pf = `${field} ${i + 1}`;
    const r = t.row(T.R_PART, 0, 0, 0, datas[i].length, 0, 0, 0);
    writeContentType(t, part.contentType, `${pf} Content-Type`);
    t.set(r, 1, writePartHeaders(t, part, pf));
    t.data(r, datas[i]);
  });
}
