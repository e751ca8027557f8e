// TP-DCS values as SmsDcs objects. The meaning comes from the WASM (one reading of 23.038 §4 for
// decoder, encoder and this helper); the 256 possible objects are built once and frozen.
import * as L from '../../../assembly/shared/sms-layout.js';
import { CodecError } from '../errors.js';
import { sms } from './module.js';
import type { SmsAlphabet, SmsDcs } from './types.js';

const GROUPS: SmsDcs['group'][] = [
  'general', 'auto-delete', 'reserved', 'mwi-discard', 'mwi-store', 'mwi-store-ucs2', 'data-class',
];
const ALPHABETS: SmsAlphabet[] = ['gsm7', '8bit', 'ucs2'];
const WAITING: ('voicemail' | 'fax' | 'email' | 'other')[] = ['voicemail', 'fax', 'email', 'other'];
const cache: (SmsDcs | undefined)[] = new Array(256);

/** Builds the SmsDcs for a packed info word (see SMS_DCS_* in shared/sms-layout.ts). */
export function dcsFromInfo(raw: number, info: number): SmsDcs {
  let d = cache[raw];
  if (d !== undefined) return d;
  const group = GROUPS[info & L.SMS_DCS_GROUP_MASK];
  const cls = (info >> L.SMS_DCS_CLASS_SHIFT) & 7;
  const isMwi = group === 'mwi-discard' || group === 'mwi-store' || group === 'mwi-store-ucs2';
  d = Object.freeze({
    raw,
    group,
    alphabet: ALPHABETS[(info >> L.SMS_DCS_ALPHA_SHIFT) & 3],
    reserved: group === 'reserved' || (info & L.SMS_DCS_ALPHA_RESERVED) !== 0,
    compressed: (info & L.SMS_DCS_COMPRESSED) !== 0,
    messageClass: cls === 0 ? null : ((cls - 1) as 0 | 1 | 2 | 3),
    waiting: isMwi
      ? Object.freeze({ active: (info & L.SMS_DCS_MWI_ACTIVE) !== 0, type: WAITING[(info >> L.SMS_DCS_MWI_TYPE_SHIFT) & 3] })
      : null,
  }) as SmsDcs;
  cache[raw] = d;
  return d;
}

/** The SmsDcs of a TP-DCS octet. */
export function smsDcs(raw: number): SmsDcs {
  if (!Number.isInteger(raw) || raw < 0 || raw > 255) throw new CodecError('BAD_VALUE', 'TP-DCS', -1, `value ${raw}`);
  return cache[raw] ?? dcsFromInfo(raw, sms().exports.smsDcsInfo(raw));
}

/**
 * The usual DCS for an alphabet and optional message class: the general data coding group
 * (0x00 GSM 7-bit, 0x04 8-bit, 0x08 UCS-2; 0x10 | class when a class is given).
 */
export function dcsFor(alphabet: SmsAlphabet, messageClass: 0 | 1 | 2 | 3 | null = null): SmsDcs {
  const a = alphabet === 'gsm7' ? 0 : alphabet === '8bit' ? 4 : 8;
  return smsDcs(messageClass === null ? a : a | 0x10 | messageClass);
}
