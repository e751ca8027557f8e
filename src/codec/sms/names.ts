// Names for the numeric codes of 23.040 / 23.038 used in the decoded objects.
import { CodecError } from '../errors.js';
import type { SmsLanguage, SmsNpi, SmsTon } from './types.js';

export const TON_NAMES: readonly SmsTon[] = [
  'unknown', 'international', 'national', 'network-specific', 'subscriber', 'alphanumeric', 'abbreviated', 'reserved',
];

export const NPI_NAMES: readonly SmsNpi[] = [
  'unknown', 'isdn', 'reserved-2', 'data', 'telex', 'service-centre-1', 'service-centre-2', 'reserved-7',
  'national', 'private', 'ermes', 'reserved-11', 'reserved-12', 'reserved-13', 'reserved-14', 'reserved-15',
];

/** Index = national language identifier (23.038 §6.2.1.2.4); 0 is the default alphabet. */
export const LANGUAGE_NAMES: readonly (SmsLanguage | null)[] = [
  null, 'turkish', 'spanish', 'portuguese', 'bengali', 'gujarati', 'hindi', 'kannada', 'malayalam', 'oriya',
  'punjabi', 'tamil', 'telugu', 'urdu',
];

const TON_CODES = new Map(TON_NAMES.map((n, i) => [n, i]));
const NPI_CODES = new Map(NPI_NAMES.map((n, i) => [n, i]));
const LANGUAGE_CODES = new Map(LANGUAGE_NAMES.map((n, i) => [n, i]));

/** Identifier of a national language; null (default tables) is 0. */
export function languageId(lang: SmsLanguage | null | undefined): number {
  if (lang == null) return 0;
  const id = LANGUAGE_CODES.get(lang);
  if (id === undefined) throw new CodecError('BAD_VALUE', 'SMS national language', -1, `unknown language "${String(lang)}"`);
  return id;
}

export function tonCode(ton: SmsTon): number {
  const c = TON_CODES.get(ton);
  if (c === undefined) throw new CodecError('BAD_VALUE', 'TOA type of number', -1, `unknown "${String(ton)}"`);
  return c;
}

export function npiCode(npi: SmsNpi): number {
  const c = NPI_CODES.get(npi);
  if (c === undefined) throw new CodecError('BAD_VALUE', 'TOA numbering plan', -1, `unknown "${String(npi)}"`);
  return c;
}

/** Type-of-address octet: extension bit, TON, NPI. */
export function toaOctet(ton: SmsTon, npi: SmsNpi): number {
  return 0x80 | (tonCode(ton) << 4) | npiCode(npi);
}
