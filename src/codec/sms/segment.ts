// Cutting text and binary payloads into the fewest SMS-SUBMITs (23.040 §9.2.3.24.1 concatenation,
// §9.2.3.24.3-4 application ports, 23.038 §6.2.1.2.4 national language shift tables).
//
// Septet costs per character come from the WASM (the same tables the encoder packs with); the
// cutting is bookkeeping: fill each part greedily, which is optimal for a left-to-right cut, and
// never split an escape sequence or a UTF-16 surrogate pair across parts.
import { CodecError } from '../errors.js';
import { dcsFor, smsDcs } from './dcs.js';
import { out8, putText, reserveWindows, trap } from './module.js';
import { LANGUAGE_NAMES, languageId } from './names.js';
import { buildUdh } from './udh.js';
import type { SmsAddress, SmsDcs, SmsLanguage, SmsSubmitTpdu, SmsUdh, SmsValidity } from './types.js';

/** Octets of user data in one SMS. */
export const SMS_UD_OCTETS = 140;
/** WAP push (16-bit ports 2948/9200): payload octets that fit one SMS (7-octet port UDH). */
export const PUSH_SINGLE_SMS_BUDGET = 133;
/** ... per part of a concatenated push with an 8-bit reference (12-octet UDH). */
export const PUSH_SEGMENT_BUDGET = 128;
/** ... per part of a concatenated push with a 16-bit reference (13-octet UDH). */
export const PUSH_SEGMENT_BUDGET_16BIT_REF = 127;
/** WAP push ports (WAP-259 WDP): the WAP push connectionless session service and its source. */
export const WAP_PUSH_PORT = 2948;
export const WAP_PUSH_SOURCE_PORT = 9200;

const MAX_SEGMENTS = 255;
const MAX_TEXT = 255 * 160;

/** Octets of UDH (UDHL included) for the given elements; 0 without any. */
function udhOctets(ports: 8 | 16 | null, concat: 8 | 16 | null, tables = 0): number {
  const ie = (ports === null ? 0 : ports === 8 ? 4 : 6) + (concat === null ? 0 : concat === 8 ? 5 : 6) + 3 * tables;
  return ie === 0 ? 0 : ie + 1;
}

/**
 * Payload octets one 8-bit SMS carries with these header elements, e.g. 133 for a WAP push
 * (16-bit ports) in one SMS, 128 per part once an 8-bit concatenation reference is added.
 */
export function binaryBudget(opts: { portBits?: 8 | 16 | null; concatRefBits?: 8 | 16 | null } = {}): number {
  return SMS_UD_OCTETS - udhOctets(opts.portBits ?? null, opts.concatRefBits ?? null);
}

/** SMS parts a binary payload needs (at least 1). */
export function binarySegmentCount(length: number, opts: { portBits?: 8 | 16 | null; refBits?: 8 | 16 } = {}): number {
  const ports = opts.portBits ?? null;
  if (length <= binaryBudget({ portBits: ports })) return 1;
  return Math.ceil(length / binaryBudget({ portBits: ports, concatRefBits: opts.refBits ?? 8 }));
}

/** Common SMS-SUBMIT fields of the parts. */
export interface SubmitOptions {
  destination: SmsAddress;
  /** Concatenation reference shared by the parts (the caller's counter). Default 0. */
  ref?: number;
  /** Concatenation reference width. Default 8. */
  refBits?: 8 | 16;
  /** TP-MR of every part. Default 0 (modems assign their own). */
  mr?: number;
  pid?: number;
  validity?: SmsValidity;
  statusReportRequest?: boolean;
  rejectDuplicates?: boolean;
  replyPath?: boolean;
  messageClass?: 0 | 1 | 2 | 3 | null;
  /** Refuse to need more parts than this (default and maximum 255). */
  maxSegments?: number;
}

export interface SegmentTextOptions extends SubmitOptions {
  /** 'auto' (default): GSM 7-bit when the text fits its tables, else UCS-2. */
  alphabet?: 'auto' | 'gsm7' | 'ucs2';
  /** National language tables the recipient supports: used only when they save parts. */
  languages?: SmsLanguage[];
}

/** How a text will be cut. */
export interface TextPlan {
  alphabet: 'gsm7' | 'ucs2';
  lockingShift: SmsLanguage | null;
  singleShift: SmsLanguage | null;
  /** Septets (GSM 7-bit) or UTF-16 units (UCS-2) of text, headers excluded. */
  units: number;
  /** Index in the text where each part starts. */
  starts: number[];
}

function costs(text: string, lock: number, shift: number): Uint8Array | number {
  const c = reserveWindows(text.length * 2 + 16, text.length);
  putText(0, text);
  let total = 0;
  try {
    total = c.exports.smsTextCost(text.length, lock, shift);
  } catch (e) {
    trap(e);
  }
  return total < 0 ? -1 - total : out8.slice(0, text.length);
}

/** Greedy cut: `cost(i)` units for character i, `single` capacity alone, `multi` per part. */
function cut(n: number, cost: (i: number) => number, keep: (i: number) => boolean, single: number, multi: number): number[] {
  let total = 0;
  for (let i = 0; i < n; i++) total += cost(i);
  if (total <= single) return [0];
  const starts = [0];
  let used = 0;
  for (let i = 0; i < n; ) {
    // a character and what must stay with it (a surrogate pair's low half)
    let w = cost(i);
    let j = i + 1;
    if (keep(i) && j < n) w += cost(j++);
    if (used + w > multi) {
      starts.push(i);
      used = 0;
    }
    used += w;
    i = j;
  }
  return starts;
}

const septets = (units: number): number => Math.ceil((units * 8) / 7);

function planGsm7(text: string, lock: number, shift: number, refBits: 8 | 16, cost: Uint8Array): TextPlan {
  const tables = (lock !== 0 ? 1 : 0) + (shift !== 0 ? 1 : 0);
  const single = 160 - septets(udhOctets(null, null, tables));
  const multi = 160 - septets(udhOctets(null, refBits, tables));
  const starts = cut(text.length, (i) => cost[i], () => false, single, multi);
  let units = 0;
  for (let i = 0; i < cost.length; i++) units += cost[i];
  return { alphabet: 'gsm7', lockingShift: LANGUAGE_NAMES[lock], singleShift: LANGUAGE_NAMES[shift], units, starts };
}

function planUcs2(text: string, refBits: 8 | 16): TextPlan {
  const high = (i: number): boolean => {
    const u = text.charCodeAt(i);
    return u >= 0xd800 && u <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
  };
  const starts = cut(text.length, () => 1, high, 70, (SMS_UD_OCTETS - udhOctets(null, refBits)) >> 1);
  return { alphabet: 'ucs2', lockingShift: null, singleShift: null, units: text.length, starts };
}

const HAS_LOCK = new Set(['turkish', 'portuguese', 'bengali', 'gujarati', 'hindi', 'kannada', 'malayalam', 'oriya',
  'punjabi', 'tamil', 'telugu', 'urdu']);

/** Chooses the alphabet and tables that need the fewest parts (ties: GSM 7-bit, fewer tables). */
export function planText(text: string, opts: Omit<SegmentTextOptions, 'destination'> = {}): TextPlan {
  if (text.length > MAX_TEXT) throw new CodecError('TOO_LARGE', 'SMS text', -1, `${text.length} characters`);
  const refBits = opts.refBits ?? 8;
  const alphabet = opts.alphabet ?? 'auto';
  let best: TextPlan | null = null;
  let firstBad = -1;
  if (alphabet !== 'ucs2') {
    const langs = opts.languages ?? [];
    const locks = [0, ...langs.filter((l) => HAS_LOCK.has(l)).map(languageId)];
    const shifts = [0, ...langs.map(languageId)];
    const pairs: [number, number][] = [];
    for (const l of locks) for (const s of shifts) pairs.push([l, s]);
    // fewer tables first, so that ties keep the cheaper header
    pairs.sort((a, b) => (a[0] !== 0 ? 1 : 0) + (a[1] !== 0 ? 1 : 0) - (b[0] !== 0 ? 1 : 0) - (b[1] !== 0 ? 1 : 0));
    for (const [l, s] of pairs) {
      if (best !== null && best.starts.length === 1) break; // nothing beats one part
      const cost = costs(text, l, s);
      if (typeof cost === 'number') {
        if (l === 0 && s === 0) firstBad = cost;
        continue;
      }
      const plan = planGsm7(text, l, s, refBits, cost);
      if (best === null || plan.starts.length < best.starts.length) best = plan;
    }
  }
  if (alphabet === 'gsm7' && best === null) {
    const ch = text.charAt(firstBad);
    throw new CodecError('NOT_REPRESENTABLE', 'SMS text', -1,
      `character ${JSON.stringify(ch)} (U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}) at index ${firstBad} is not in the GSM 7-bit tables allowed`);
  }
  // UCS-2 can only do better when GSM 7-bit needs more than one part (or cannot carry the text)
  if (alphabet !== 'gsm7' && (best === null || best.starts.length > 1)) {
    const u = planUcs2(text, refBits);
    if (best === null || u.starts.length < best.starts.length) best = u;
  }
  const plan = best as TextPlan;
  const max = Math.min(opts.maxSegments ?? MAX_SEGMENTS, MAX_SEGMENTS);
  if (plan.starts.length > max) {
    throw new CodecError('LIMIT', 'SMS segment count', -1, `${plan.starts.length} parts, at most ${max}`);
  }
  return plan;
}

/** One part; an object literal of one shape (spreading would be slower on this path). */
function submit(opts: SubmitOptions, dcs: SmsDcs, udh: SmsUdh | null, text: string | undefined, data: Uint8Array | undefined): SmsSubmitTpdu {
  const p: SmsSubmitTpdu = {
    type: 'SMS-SUBMIT',
    rejectDuplicates: opts.rejectDuplicates ?? false,
    replyPath: opts.replyPath ?? false,
    statusReportRequest: opts.statusReportRequest ?? false,
    mr: opts.mr ?? 0,
    destination: opts.destination,
    pid: opts.pid ?? 0,
    dcs,
    validity: opts.validity ?? { format: 'none' },
    udh,
  };
  if (text !== undefined) p.text = text;
  if (data !== undefined) p.data = data;
  return p;
}

/** Text -> the fewest SMS-SUBMITs (see planText), concatenated when more than one. */
export function segmentText(text: string, opts: SegmentTextOptions): SmsSubmitTpdu[] {
  const plan = planText(text, opts);
  const dcs = dcsFor(plan.alphabet, opts.messageClass ?? null);
  const n = plan.starts.length;
  const refBits = opts.refBits ?? 8;
  const parts: SmsSubmitTpdu[] = [];
  for (let k = 0; k < n; k++) {
    const tables = plan.lockingShift !== null || plan.singleShift !== null;
    const udh = n > 1 || tables
      ? buildUdh({
        concat: n > 1 ? { ref: opts.ref ?? 0, total: n, seq: k + 1, refBits } : null,
        lockingShift: plan.lockingShift,
        singleShift: plan.singleShift,
      })
      : null;
    const end = k + 1 < n ? plan.starts[k + 1] : text.length;
    parts.push(submit(opts, dcs, udh, text.slice(plan.starts[k], end), undefined));
  }
  return parts;
}

export interface SegmentBinaryOptions extends SubmitOptions {
  /** Application ports (omit both for none). */
  destPort?: number;
  srcPort?: number;
  /** Port width; default 16 (8 only when both ports fit in 8 bits and this says so). */
  portBits?: 8 | 16;
  /** TP-DCS; default 0x04 (8-bit data, no class) or with the message class given. */
  dcs?: number;
}

/** Binary payload -> SMS-SUBMITs with 8-bit data, application ports and concatenation as needed. */
export function segmentBinary(payload: Uint8Array, opts: SegmentBinaryOptions): SmsSubmitTpdu[] {
  const hasPorts = opts.destPort !== undefined || opts.srcPort !== undefined;
  const portBits = hasPorts ? (opts.portBits ?? 16) : null;
  const refBits = opts.refBits ?? 8;
  const n = binarySegmentCount(payload.length, { portBits, refBits });
  const max = Math.min(opts.maxSegments ?? MAX_SEGMENTS, MAX_SEGMENTS);
  if (n > max) throw new CodecError('LIMIT', 'SMS segment count', -1, `${n} parts, at most ${max}`);
  const per = n === 1 ? payload.length : binaryBudget({ portBits, concatRefBits: refBits });
  const dcs = binaryDcs(opts);
  const parts: SmsSubmitTpdu[] = [];
  for (let k = 0; k < n; k++) {
    const ports = portBits === null ? null : { dest: opts.destPort ?? 0, src: opts.srcPort ?? 0, bits: portBits };
    const concat = n > 1 ? { ref: opts.ref ?? 0, total: n, seq: k + 1, refBits } : null;
    const udh = ports !== null || concat !== null ? buildUdh({ ports, concat }) : null;
    parts.push(submit(opts, dcs, udh, undefined, payload.subarray(k * per, Math.min(payload.length, (k + 1) * per))));
  }
  return parts;
}

function binaryDcs(opts: SegmentBinaryOptions): SmsDcs {
  if (opts.dcs === undefined) return dcsFor('8bit', opts.messageClass ?? null);
  const d = smsDcs(opts.dcs);
  if (d.alphabet !== '8bit' && !d.compressed) {
    throw new CodecError('BAD_VALUE', 'TP-DCS', -1, `0x${opts.dcs.toString(16)} does not carry 8-bit data`);
  }
  return d;
}

/** A WAP push (WSP connectionless push PDU) -> SMS-SUBMITs to port 2948 from 9200 (16-bit ports). */
export function pushToSms(push: Uint8Array, opts: SubmitOptions): SmsSubmitTpdu[] {
  return segmentBinary(push, { ...opts, destPort: WAP_PUSH_PORT, srcPort: WAP_PUSH_SOURCE_PORT, portBits: 16 });
}
