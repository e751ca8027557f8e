// WSP multipart bodies on their own (WAP-230-WSP §8.5): decodeMultipart / encodeMultipart.
// MMS bodies use the same entries (src/codec/mms); this face serves the other users (MM7/MM4
// conversions, push content, tests).
import * as T from '../../../assembly/shared/mms-table.js';
import { runDecode, runEncode } from './module.js';
import { RowReader } from './reader.js';
import type { Part } from './types.js';
import { partData, writeMultipart } from './writer.js';

export interface MultipartDecodeOptions {
  /** Decode multiparts nested in entries (default true); false keeps them as `data`. */
  nested?: boolean;
}

/** Decodes a WSP multipart body; entry data are views of `bytes`. */
export function decodeMultipart(bytes: Uint8Array, opts: MultipartDecodeOptions = {}): Part[] {
  const flags = opts.nested === false ? 0 : T.DF_NESTED;
  const rows = runDecode(bytes, (x, len) => x.wspMultipartDecode(len, flags));
  return new RowReader(rows, bytes).multipart() as Part[];
}

/** Encodes multipart entries (each with `data`, or nested `parts`). */
export function encodeMultipart(parts: Part[]): Uint8Array {
  const datas = partData(parts, (p) => encodeMultipart(p as Part[]), undefined, 'WSP multipart entry');
  return runEncode((t) => writeMultipart(t, parts, datas, 'WSP multipart entry'));
}
