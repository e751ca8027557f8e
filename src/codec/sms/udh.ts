// Building user data headers whose raw elements and conveniences agree (what decodeSms would
// read back from them).
import { CodecError } from '../errors.js';
import { languageId } from './names.js';
import type { SmsConcat, SmsLanguage, SmsPorts, SmsUdh, SmsUdhIe } from './types.js';

export interface UdhSpec {
  concat?: SmsConcat | null;
  ports?: SmsPorts | null;
  lockingShift?: SmsLanguage | null;
  singleShift?: SmsLanguage | null;
  /** Further elements, written after these as given (not concatenation, port or shift IEs). */
  other?: SmsUdhIe[];
}

const KNOWN = new Set([0x00, 0x08, 0x04, 0x05, 0x24, 0x25]);

function check(ok: boolean, field: string, detail: string): void {
  if (!ok) throw new CodecError('BAD_VALUE', field, -1, detail);
}

const int = (v: number, max: number): boolean => Number.isInteger(v) && v >= 0 && v <= max;

/** A UDH with elements in the usual order: ports, concatenation, single shift, locking shift, others. */
export function buildUdh(spec: UdhSpec): SmsUdh {
  const ies: SmsUdhIe[] = [];
  const p = spec.ports ?? null;
  if (p) {
    const max = p.bits === 8 ? 0xff : 0xffff;
    check(p.bits === 8 || p.bits === 16, 'TP-UDH application port', `bits ${p.bits}`);
    check(int(p.dest, max) && int(p.src, max), 'TP-UDH application port', `ports ${p.dest}/${p.src} in ${p.bits} bits`);
    ies.push(p.bits === 8
      ? { iei: 0x04, data: Uint8Array.of(p.dest, p.src) }
      : { iei: 0x05, data: Uint8Array.of(p.dest >> 8, p.dest & 0xff, p.src >> 8, p.src & 0xff) });
  }
  const c = spec.concat ?? null;
  if (c) {
    check(c.refBits === 8 || c.refBits === 16, 'TP-UDH concatenation', `reference bits ${c.refBits}`);
    check(int(c.ref, c.refBits === 8 ? 0xff : 0xffff), 'TP-UDH concatenation', `reference ${c.ref}`);
    check(int(c.total, 255) && c.total >= 1 && int(c.seq, c.total) && c.seq >= 1, 'TP-UDH concatenation',
      `part ${c.seq} of ${c.total}`);
    ies.push(c.refBits === 8
      ? { iei: 0x00, data: Uint8Array.of(c.ref, c.total, c.seq) }
      : { iei: 0x08, data: Uint8Array.of(c.ref >> 8, c.ref & 0xff, c.total, c.seq) });
  }
  if (spec.singleShift) ies.push({ iei: 0x24, data: Uint8Array.of(languageId(spec.singleShift)) });
  if (spec.lockingShift) ies.push({ iei: 0x25, data: Uint8Array.of(languageId(spec.lockingShift)) });
  for (const ie of spec.other ?? []) {
    check(int(ie.iei, 255) && !KNOWN.has(ie.iei), 'TP-UDH', `element 0x${ie.iei.toString(16)} belongs in its own field`);
    ies.push(ie);
  }
  return {
    ies,
    concat: c ? { ref: c.ref, total: c.total, seq: c.seq, refBits: c.refBits } : null,
    ports: p ? { dest: p.dest, src: p.src, bits: p.bits } : null,
    lockingShift: spec.lockingShift ?? null,
    singleShift: spec.singleShift ?? null,
  };
}
