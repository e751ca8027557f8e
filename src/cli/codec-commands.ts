// `mmsc decode` and `mmsc encode`: an operator's view of any PDU the MMSC handles. decode
// prints a summary (pdu-summary.ts), or with --full JSON that encode turns back into the same
// bytes: byte fields are written as {"$hex": "..."} and keys starting with "$" (e.g. the MMS
// inside a WAP push) are only for reading and ignored by encode. --extract writes an MMS's
// parts as files (extract-parts.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import { CodecError } from '../codec/errors.js';
import { decodeMms, encodeMms, type MmsPdu } from '../codec/mms/index.js';
import { decodeSms, encodeSms, type SmsMessage } from '../codec/sms/index.js';
import { decodePush, encodePush, type WspPush } from '../codec/wsp/index.js';
import { extractParts } from './extract-parts.js';
import { summarize } from './pdu-summary.js';

export type Kind = 'mms' | 'push' | 'sms';

export type Decoded =
  | { kind: 'mms'; pdu: MmsPdu }
  | { kind: 'push'; push: WspPush; $mms?: MmsPdu }
  | { kind: 'sms'; sca: boolean; direction: 'MT' | 'MO'; message: SmsMessage; $lenient?: string };

function replacer(_k: string, v: unknown): unknown {
  return v instanceof Uint8Array ? { $hex: Buffer.from(v).toString('hex') } : v;
}

function reviver(_k: string, v: unknown): unknown {
  if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { $hex?: unknown }).$hex === 'string') {
    const hex = (v as { $hex: string }).$hex;
    if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new Error(`"$hex" is not hex: ${hex.slice(0, 40)}`);
    return new Uint8Array(Buffer.from(hex, 'hex'));
  }
  return v;
}

/** Drops the read-only "$..." keys before encoding. */
function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (v instanceof Uint8Array || !v || typeof v !== 'object') return v;
  return Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith('$')).map(([k, x]) => [k, strip(x)]));
}

export function toJson(d: Decoded): string {
  return JSON.stringify(d, replacer, 2);
}

/**
 * Auto-detection found no family the input fits: why not, per family, in one line each (the
 * first decoder's error alone would name a field of a family the input may have nothing to do
 * with).
 */
export class NotAPduError extends Error {
  constructor(readonly reasons: { mms: string; push: string; sms: string }) {
    super(`not an MMS PDU, a WAP push or an SMS TPDU\n  as an MMS PDU:  ${reasons.mms}\n  as a WAP push:  ${reasons.push}\n  as an SMS TPDU: ${reasons.sms}`);
  }
}

const hex2 = (b: number | undefined): string => (b === undefined ? 'missing' : `0x${b.toString(16).padStart(2, '0')}`);

/** Guesses the kind of a PDU from its first octets, trying the likely decoders in turn. */
export function decodeAny(bytes: Uint8Array, o: { as?: Kind; sca?: boolean; direction?: 'MT' | 'MO' } = {}): Decoded {
  const tries: (() => Decoded)[] = [];
  const auto = o.as === undefined && o.sca === undefined;
  // the reason each family was ruled out, for an auto-detection that finds none
  const reasons = {
    mms: `the first octet is ${hex2(bytes[0])}, not X-Mms-Message-Type (0x8c)`,
    push: `the second octet is ${hex2(bytes[1])}, not a WSP push PDU type (0x06 push, 0x07 confirmed push)`,
    sms: [] as string[],
  };
  const mms = (): Decoded => {
    try {
      return { kind: 'mms', pdu: decodeMms(bytes) };
    } catch (e) {
      reasons.mms = (e as Error).message;
      throw e;
    }
  };
  const push = (): Decoded => {
    let p: WspPush;
    try {
      p = decodePush(bytes);
    } catch (e) {
      reasons.push = (e as Error).message;
      throw e;
    }
    const out: Decoded = { kind: 'push', push: p };
    if (p.applicationId === 'x-wap-application:mms.ua') {
      try {
        out.$mms = decodeMms(p.body);
      } catch {
        /* the push itself is still shown */
      }
    }
    return out;
  };
  const sms = (sca: boolean, direction: 'MT' | 'MO') => (): Decoded => {
    try {
      return { kind: 'sms', sca, direction, message: decodeSms(bytes, { sca, direction }) };
    } catch (e) {
      const why = `${sca ? 'with' : 'without'} an SMSC address: ${(e as Error).message}`;
      if (!reasons.sms.some((r) => r.startsWith(why.slice(0, why.indexOf(':'))))) reasons.sms.push(why);
      throw e;
    }
  };
  if (o.as === 'mms') tries.push(mms);
  else if (o.as === 'push') tries.push(push);
  else if (o.as === 'sms' || o.sca) tries.push(sms(o.sca ?? true, o.direction ?? 'MT'), sms(o.sca ?? true, o.direction === 'MT' ? 'MO' : 'MT'));
  else {
    if (bytes[0] === 0x8c) tries.push(mms);
    if (bytes[1] === 0x06 || bytes[1] === 0x07) tries.push(push);
    tries.push(sms(true, o.direction ?? 'MT'), sms(false, o.direction ?? 'MT'), sms(true, o.direction === 'MO' ? 'MT' : 'MO'));
  }
  let first: unknown;
  for (const t of tries) {
    try {
      return t();
    } catch (e) {
      if (!(e instanceof CodecError)) throw e;
      first ??= e;
    }
  }
  // What real modems hand over is sometimes a little off (a TP-UDL past the data, non-BCD
  // time-stamp digits): show it anyway, saying so, when it is plausibly an SMS.
  if (o.as === undefined || o.as === 'sms') {
    for (const sca of o.sca === undefined ? [true, false] : [o.sca]) {
      try {
        const message = decodeSms(bytes, { sca, direction: o.direction ?? 'MT', lenient: true });
        return { kind: 'sms', sca, direction: o.direction ?? 'MT', message, $lenient: `decoded leniently: ${(first as Error).message}` };
      } catch {
        /* fall through to the strict error */
      }
    }
  }
  if (auto) throw new NotAPduError({ mms: reasons.mms, push: reasons.push, sms: reasons.sms.join('; ') });
  throw first;
}

export function encodeAny(d: Decoded): Uint8Array {
  const clean = strip(d) as Decoded;
  switch (clean.kind) {
    case 'mms':
      return encodeMms(clean.pdu);
    case 'push':
      return encodePush(clean.push);
    case 'sms':
      return encodeSms(clean.message, { sca: clean.sca });
    default:
      throw new Error(`unknown "kind": expected mms, push or sms`);
  }
}

function readInput(file: string | undefined, hex: string | undefined): Uint8Array {
  if (hex !== undefined) return parseHex(hex);
  const raw = file === undefined || file === '-' ? readFileSync(0) : readFileSync(file);
  const text = raw.toString('latin1').trim();
  // a file holding hex (as modems and logs print PDUs) is read as hex
  return raw.length > 1 && /^[0-9a-fA-F\s]+$/.test(text) && text.replace(/\s/g, '').length % 2 === 0 ? parseHex(text) : new Uint8Array(raw);
}

function parseHex(s: string): Uint8Array {
  const h = s.replace(/\s/g, '');
  if (!/^([0-9a-fA-F]{2})+$/.test(h)) throw new Error('--hex: expected an even number of hex digits');
  return new Uint8Array(Buffer.from(h, 'hex'));
}

export interface DecodeCommandOptions {
  hex?: string;
  as?: Kind;
  sca: boolean;
  direction: 'MT' | 'MO';
  /** The complete JSON (what `mmsc encode` takes back) instead of the summary. */
  full?: boolean;
  /** Write the parts of an MMS into this folder. */
  extract?: string;
}

export async function decodeCommand(file: string | undefined, o: DecodeCommandOptions): Promise<number> {
  try {
    const bytes = readInput(file, o.hex);
    const d = decodeAny(bytes, { as: o.as, sca: o.sca || undefined, direction: o.direction });
    if (o.extract !== undefined) {
      if (d.kind === 'sms') throw new Error(`--extract: only an MMS has parts to write, and this is an ${d.message.tpdu.type}`);
      const pdu = d.kind === 'mms' ? d.pdu : d.$mms;
      if (!pdu) throw new Error('--extract: only an MMS has parts to write, and this WAP push carries none');
      for (const x of extractParts(pdu, o.extract)) process.stdout.write(`${x.file}  ${x.type}  ${x.bytes.toLocaleString('en-US')} B\n`);
      return 0;
    }
    process.stdout.write(`${o.full ? toJson(d) : summarize(d, bytes.length)}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`mmsc decode: ${(e as Error).message}\n`);
    return 1;
  }
}

export async function encodeCommand(file: string, o: { out?: string }): Promise<number> {
  try {
    const text = (file === '-' ? readFileSync(0) : readFileSync(file)).toString('utf8');
    const bytes = encodeAny(JSON.parse(text, reviver) as Decoded);
    if (o.out) writeFileSync(o.out, bytes);
    else process.stdout.write(`${Buffer.from(bytes).toString('hex')}\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`mmsc encode: ${(e as Error).message}\n`);
    return 1;
  }
}

export const json = { replacer, reviver };
