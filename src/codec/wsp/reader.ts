// Builds WSP-layer objects (content types, parameters, part headers, multipart entries) from
// the decode rows. Text is decoded from the caller's own input (offsets in IN equal offsets
// there); data are subarray views of it.
import * as T from '../../../assembly/shared/mms-table.js';
import { CodecError } from '../errors.js';
import { bufferOf, charsetFromMib, decodeText } from './charset.js';
import { contentTypeName, PARAMS, wspHeaderName, type ParamKind } from './tables.js';
import type { ContentDisposition, ContentType, ContentTypeParams, Part, WspHeader } from './types.js';

/** Reads an MMS PDU (R_PDU ... R_PDU_END) nested in a part; registered by src/codec/mms. */
export type PduReader = (r: RowReader) => unknown;

export class RowReader {
  /** Index of the next row. */
  i = 0;
  readonly buf: Buffer;

  constructor(
    readonly t: Int32Array,
    readonly bytes: Uint8Array,
    readonly readPdu?: PduReader,
  ) {
    this.buf = bufferOf(bytes);
  }

  get done(): boolean { return this.i * 8 >= this.t.length; }
  tag(): number { return this.t[this.i * 8]; }
  /** Word w of the current row. */
  w(w: number): number { return this.t[this.i * 8 + w]; }

  /** Fails on a row the grammar does not allow here (a WASM/TS mismatch, never the input). */
  expect(tag: number): void {
    if (this.tag() !== tag) {
      throw new CodecError('INTERNAL', 'decode table', -1, `row ${this.i}: tag ${this.tag()}, expected ${tag}`);
    }
  }

  /** Text of a text-kind value (a, b, c words at 3, 4, 5) in charset mib (-1: UTF-8). */
  text(off: number, len: number, flags: number, mib = -1): string {
    return decodeText(this.buf, off, len, mib, (flags & T.TF_NON_ASCII) === 0);
  }

  /** An integer from the low/high words (numbers above 2^53 lose precision). */
  static int(lo: number, hi: number): number {
    return (hi >>> 0) * 4294967296 + (lo >>> 0);
  }

  /** Reads CT + its parameters. */
  contentType(): ContentType {
    this.expect(T.R_CT);
    const code = this.w(1);
    const type = code >= 0 ? contentTypeName(code) : this.text(this.w(3), this.w(4), this.w(5));
    const n = this.w(6);
    this.i++;
    const params = this.params(n);
    return params ? { type, params } : { type };
  }

  /**
   * Reads n R_PARAM rows into a parameter object (undefined when n is 0), naming well-known
   * parameters from `table` (WSP's, or X-Mms-Element-Descriptor's own).
   */
  params(n: number, table: readonly (readonly [string, ParamKind] | undefined)[] = PARAMS): ContentTypeParams | undefined {
    if (n === 0) return undefined;
    const out: ContentTypeParams = {};
    for (let k = 0; k < n; k++) {
      this.expect(T.R_PARAM);
      const code = this.w(1);
      const kind = this.w(2);
      const spec = code >= 0 ? table[code] : undefined;
      const name = code >= 0
        ? spec?.[0] ?? `x-wsp-param-0x${code.toString(16)}`
        : this.text(this.w(6), this.w(7), T.TF_NON_ASCII);
      const pk = spec?.[1];
      let value: string | number | boolean;
      switch (kind) {
        case T.K_NONE:
          value = pk === 'none' ? true : '';
          break;
        case T.K_OCTET:
        case T.K_INT: {
          const v = kind === T.K_OCTET ? this.w(3) & 0x7f : RowReader.int(this.w(3), this.w(4));
          if (pk === 'charset') value = charsetFromMib(v);
          else if (pk === 'media') value = contentTypeName(v);
          else if (pk === 'version' && kind === T.K_OCTET) value = versionString(v);
          else if (pk === 'q') value = qValue(v);
          else value = v;
          break;
        }
        default: // K_TEXT, K_QUOTED
          value = this.text(this.w(3), this.w(4), this.w(5));
      }
      if (!(name in out)) out[name] = value;
      this.i++;
    }
    return out;
  }

  /**
   * Reads n part-header rows into `part`: Content-ID, Content-Location, Content-Disposition and
   * Content-Transfer-Encoding (binary or textual) as named fields in wire order, the rest (and
   * repeats) in `headers`.
   */
  partHeaders(n: number, part: Part<unknown>): void {
    for (let k = 0; k < n; k++) {
      const tag = this.tag();
      if (tag === T.R_APP_HEADER) {
        const name = this.text(this.w(3), this.w(4), T.TF_NON_ASCII);
        const value = this.text(this.w(5), this.w(6), this.w(7));
        this.i++;
        const lower = name.toLowerCase();
        if (lower === 'content-transfer-encoding' && part.contentTransferEncoding === undefined) {
          part.contentTransferEncoding = value;
        } else if (lower === 'content-id' && part.contentId === undefined) {
          part.contentId = value;
        } else if (lower === 'content-location' && part.contentLocation === undefined) {
          part.contentLocation = value;
        } else {
          (part.headers ??= []).push({ name, value });
        }
        continue;
      }
      this.expect(T.R_WSP_HEADER);
      const code = this.w(1);
      const kind = this.w(2);
      if (kind === T.K_DISPOSITION) {
        const d = this.disposition();
        if (part.contentDisposition === undefined) part.contentDisposition = d;
        continue;
      }
      if (code === 0x0e && kind === T.K_TEXT && part.contentLocation === undefined) {
        part.contentLocation = this.text(this.w(3), this.w(4), this.w(5));
      } else if (code === 0x40 && (kind === T.K_QUOTED || kind === T.K_TEXT) && part.contentId === undefined) {
        part.contentId = this.text(this.w(3), this.w(4), this.w(5));
      } else if (code === 0x48 && kind === T.K_TEXT && part.contentTransferEncoding === undefined) {
        part.contentTransferEncoding = this.text(this.w(3), this.w(4), this.w(5));
      } else {
        (part.headers ??= []).push(this.rawHeader());
        continue;
      }
      this.i++;
    }
  }

  /** The current R_WSP_HEADER as a kept header (code, name, raw value octets); advances. */
  rawHeader(): WspHeader {
    const code = this.w(1);
    const start = this.w(7);
    const end = this.w(6);
    this.i++;
    return { code, name: wspHeaderName(code), value: this.bytes.subarray(start + 1, end) };
  }

  /** Reads a K_DISPOSITION header row and its parameters. */
  disposition(): ContentDisposition {
    const token = this.w(7);
    const type = token >= 0 ? DISPOSITIONS[token & 0x7f] ?? `x-wsp-disposition-0x${(token & 0x7f).toString(16)}`
      : this.text(this.w(3), this.w(4), this.w(5));
    const n = this.w(6);
    this.i++;
    const params = this.params(n);
    return params ? { type, params } : { type };
  }

  /** Reads R_MULTIPART and its entries. */
  multipart(): Part<unknown>[] {
    this.expect(T.R_MULTIPART);
    const count = this.w(1);
    this.i++;
    const parts: Part<unknown>[] = [];
    for (let k = 0; k < count; k++) parts.push(this.part());
    return parts;
  }

  private part(): Part<unknown> {
    this.expect(T.R_PART);
    const nHeaders = this.w(1);
    const dataOff = this.w(3);
    const dataLen = this.w(4);
    const nest = this.w(5);
    this.i++;
    const part: Part<unknown> = { contentType: this.contentType() };
    this.partHeaders(nHeaders, part);
    if (nest === T.NEST_MULTIPART) part.parts = this.multipart();
    else if (nest === T.NEST_PDU && this.readPdu) part.pdu = this.readPdu(this);
    else part.data = this.bytes.subarray(dataOff, dataOff + dataLen);
    return part;
  }
}

export const DISPOSITIONS: readonly string[] = ['form-data', 'attachment', 'inline'];

/** Version-value as text: major.minor, or just major when the minor nibble is 15. */
export function versionString(v: number): string {
  const major = (v >> 4) & 7;
  const minor = v & 15;
  return minor === 15 ? `${major}` : `${major}.${minor}`;
}

/** Q-value (WSP §8.4.2.3): 1..100 are q*100+1, 101..1099 are q*1000+100. */
function qValue(v: number): number {
  return v <= 100 ? (v - 1) / 100 : (v - 100) / 1000;
}
