// Part content helpers: the octets of a part with its textual Content-Transfer-Encoding undone,
// and the text of a text part decoded by its charset.
import { bufferOf, charsetToMib, decodeText } from '../wsp/charset.js';
import type { Part } from '../wsp/types.js';

/**
 * The content octets of a part. Parts normally carry raw octets (returned as they are, a view
 * of the decoded input); only a `base64` or `quoted-printable` Content-Transfer-Encoding (sent
 * by some MMSCs, e.g. elisa.fi) is undone, into a new array.
 */
export function partContent(part: Part<unknown>): Uint8Array {
  const data = part.data ?? new Uint8Array(0);
  const cte = part.contentTransferEncoding?.trim().toLowerCase();
  if (cte === 'base64') return new Uint8Array(Buffer.from(bufferOf(data).toString('latin1'), 'base64'));
  if (cte === 'quoted-printable') return decodeQuotedPrintable(data);
  return data;
}

/**
 * The text of a part, decoded by its Content-Type charset parameter (UTF-8 when absent, a
 * superset of the US-ASCII default). A leading byte-order mark is not part of the text.
 */
export function partText(part: Part<unknown>): string {
  const bytes = partContent(part);
  const cs = part.contentType.params?.charset;
  const mib = cs !== undefined && typeof cs !== 'boolean' ? charsetToMib(cs) ?? 106 : 106;
  const s = decodeText(bufferOf(bytes), 0, bytes.length, mib, false);
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

/** RFC 2045 §6.7 quoted-printable: =XX octets, "=" line ends are soft breaks. */
function decodeQuotedPrintable(src: Uint8Array): Uint8Array {
  const out = new Uint8Array(src.length);
  let n = 0;
  for (let i = 0; i < src.length; i++) {
    const b = src[i];
    if (b !== 0x3d) {
      out[n++] = b;
      continue;
    }
    if (src[i + 1] === 0x0d && src[i + 2] === 0x0a) {
      i += 2;
      continue;
    }
    if (src[i + 1] === 0x0a) {
      i += 1;
      continue;
    }
    const hi = hexValue(src[i + 1]);
    const lo = hexValue(src[i + 2]);
    if (hi < 0 || lo < 0) {
      out[n++] = b; // a stray "=" is kept (RFC 2045 §6.7 note 2: be robust)
      continue;
    }
    out[n++] = (hi << 4) | lo;
    i += 2;
  }
  return out.slice(0, n);
}

function hexValue(c: number | undefined): number {
  if (c === undefined) return -1;
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}
