// The short message octets of SMPP in both directions: the user data header (23.040
// §9.2.3.24) followed by text or octets, read according to data_coding (SMPP §5.2.19).
//
// Unlike the air interface, SMPP carries GSM 7-bit text unpacked, one septet per octet, and
// after a UDH without fill bits; the septets are packed here and read by the SMS codec, so the
// escape and national language tables are the codec's.
import { gsm7Unpack, smsDcs, type SmsLanguage, type SmsSubmitTpdu, type SmsUdh } from '../../codec/sms/index.js';
import { LANGUAGE_NAMES } from '../../codec/sms/names.js';
import { SmppBodyError } from './sm-body.js';

/** What data_coding 0 ("SMSC default alphabet") means on this SMSC (Latin-1 also reads IA5/ASCII). */
export type DefaultAlphabet = 'gsm7' | 'latin1';

export interface Udh {
  /** Octets of the header, its length octet (UDHL) included. */
  octets: number;
  concat: { ref: number; total: number; seq: number; refBits: 8 | 16 } | null;
  ports: { dest: number; src: number } | null;
  lockingShift: SmsLanguage | null;
  singleShift: SmsLanguage | null;
}

export interface UserData {
  udh: Udh | null;
  /** Text for the text alphabets... */
  text?: string;
  /** ...octets (a view of the input) for binary data and character sets not read here. */
  data?: Uint8Array;
  /** How the octets were read: 'gsm7', 'ucs2', 'latin1', 'octets' or a TextDecoder label. */
  reading: string;
  /** Set when the data had to be read otherwise than data_coding said, and why. */
  note?: string;
}

const ESME_RX_P_APPN = 0x65;

// SMPP character sets that a TextDecoder reads (WHATWG labels). 0x05 and 0x0D (JIS X 0208 and
// X 0212 without escapes) and 0x09 (pictograms) have no decoder and stay octets.
const CHARSETS: Record<number, string> = { 0x06: 'iso-8859-5', 0x07: 'iso-8859-8', 0x0a: 'iso-2022-jp', 0x0e: 'euc-kr' };

/** Reads a user data header; elements with impossible values are ignored, as 23.040 tells receivers. */
export function readUdh(b: Uint8Array): Udh {
  if (b.length === 0) throw new SmppBodyError('UDHL', 0, 'esm_class announces a user data header but the message is empty', ESME_RX_P_APPN);
  const udhl = b[0];
  if (udhl + 1 > b.length) throw new SmppBodyError('UDHL', 0, `${udhl} octets of header, ${b.length - 1} in the message`, ESME_RX_P_APPN);
  const h: Udh = { octets: udhl + 1, concat: null, ports: null, lockingShift: null, singleShift: null };
  for (let p = 1; p < udhl + 1; ) {
    if (p + 2 > udhl + 1) throw new SmppBodyError('UDH information element', p, 'cut off by the header length', ESME_RX_P_APPN);
    const iei = b[p];
    const len = b[p + 1];
    const d = p + 2;
    if (d + len > udhl + 1) throw new SmppBodyError(`UDH element 0x${iei.toString(16).padStart(2, '0')}`, p, `${len} octets run past the header`, ESME_RX_P_APPN);
    if ((iei === 0x00 && len === 3) || (iei === 0x08 && len === 4)) {
      const ref = iei === 0x00 ? b[d] : (b[d] << 8) | b[d + 1];
      const total = b[d + len - 2];
      const seq = b[d + len - 1];
      if (total >= 1 && seq >= 1 && seq <= total) h.concat = { ref, total, seq, refBits: iei === 0x00 ? 8 : 16 };
    } else if (iei === 0x04 && len === 2) {
      h.ports = { dest: b[d], src: b[d + 1] };
    } else if (iei === 0x05 && len === 4) {
      h.ports = { dest: (b[d] << 8) | b[d + 1], src: (b[d + 2] << 8) | b[d + 3] };
    } else if ((iei === 0x24 || iei === 0x25) && len === 1) {
      const lang = LANGUAGE_NAMES[b[d]] ?? null;
      if (iei === 0x24) h.singleShift = lang;
      else h.lockingShift = lang;
    }
    p = d + len;
  }
  return h;
}

/** How a data_coding value is read: SMPP's own table below 0x10, 23.038 TP-DCS groups above. */
export function readingOf(dataCoding: number, defaultAlphabet: DefaultAlphabet): string {
  switch (dataCoding) {
    case 0x00:
      return defaultAlphabet === 'gsm7' ? 'gsm7' : 'latin1';
    case 0x01: // IA5 (ASCII); Latin-1 reads it and keeps any stray 8th bit visible
    case 0x03:
      return 'latin1';
    case 0x02:
    case 0x04:
      return 'octets';
    case 0x08:
      return 'ucs2';
  }
  if (CHARSETS[dataCoding]) return CHARSETS[dataCoding];
  if (dataCoding < 0x10) return 'octets';
  // MWI (0xC0-0xEF) and message class (0xF0-0xFF) groups, and the general groups many SMSCs
  // pass through from the TP-DCS: the codec's reading of 23.038.
  const dcs = smsDcs(dataCoding);
  if (dcs.compressed) return 'octets';
  return dcs.alphabet === '8bit' ? 'octets' : dcs.alphabet;
}

/** Packs septets (one per octet, each < 0x80) for the codec's unpacker. */
function packSeptets(septets: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil((septets.length * 7) / 8));
  let bit = 0;
  for (const s of septets) {
    const i = bit >> 3;
    const shift = bit & 7;
    out[i] |= (s << shift) & 0xff;
    if (shift > 1) out[i + 1] |= s >> (8 - shift);
    bit += 7;
  }
  return out;
}

/** gsm7Unpack reads at most 4096 septets a call; longer message_payloads go in pieces. */
const SEPTET_CHUNK = 4000;

function gsm7Text(septets: Uint8Array, lockingShift: SmsLanguage | null, singleShift: SmsLanguage | null): string {
  let text = '';
  for (let at = 0; at < septets.length; ) {
    let end = Math.min(septets.length, at + SEPTET_CHUNK);
    if (end < septets.length && septets[end - 1] === 0x1b) end--; // keep an escape with its character
    const piece = septets.subarray(at, end);
    text += gsm7Unpack(packSeptets(piece), piece.length, { lockingShift, singleShift });
    at = end;
  }
  return text;
}

const latin1 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');

/** Reads a short message (short_message or message_payload) as esm_class and data_coding say. */
export function readUserData(message: Uint8Array, esmClass: number, dataCoding: number, defaultAlphabet: DefaultAlphabet): UserData {
  const udh = (esmClass & 0x40) !== 0 ? readUdh(message) : null;
  const body = udh ? message.subarray(udh.octets) : message;
  const reading = readingOf(dataCoding, defaultAlphabet);
  switch (reading) {
    case 'octets':
      return { udh, data: body, reading };
    case 'latin1':
      return { udh, text: latin1(body), reading };
    case 'gsm7': {
      const bad = body.findIndex((o) => o > 0x7f);
      if (bad >= 0) {
        return {
          udh, text: latin1(body), reading: 'latin1',
          note: `data_coding 0x${dataCoding.toString(16).padStart(2, '0')} but octet 0x${body[bad].toString(16)} at ${bad} is not an unpacked GSM septet: read as Latin-1`,
        };
      }
      return { udh, text: gsm7Text(body, udh?.lockingShift ?? null, udh?.singleShift ?? null), reading };
    }
    case 'ucs2': {
      const odd = body.length % 2 === 1;
      const even = odd ? body.subarray(0, body.length - 1) : body;
      const text = new TextDecoder('utf-16be').decode(even);
      return odd ? { udh, text, reading, note: `UCS-2 text of ${body.length} octets: the last one was dropped` } : { udh, text, reading };
    }
    default:
      return { udh, text: new TextDecoder(reading).decode(body), reading };
  }
}

/** A UDH as octets: UDHL, then each element (IEI, length, data). */
export function udhOctets(udh: SmsUdh): Uint8Array {
  let n = 1;
  for (const ie of udh.ies) n += 2 + ie.data.length;
  const out = new Uint8Array(n);
  out[0] = n - 1;
  let p = 1;
  for (const ie of udh.ies) {
    out[p] = ie.iei;
    out[p + 1] = ie.data.length;
    out.set(ie.data, p + 2);
    p += 2 + ie.data.length;
  }
  return out;
}

/** The short_message of one SMS-SUBMIT part carrying octets: its UDH and then its data. */
export function shortMessageOf(part: SmsSubmitTpdu): Buffer {
  const data = part.data ?? new Uint8Array(0);
  if (!part.udh || part.udh.ies.length === 0) return Buffer.from(data);
  const h = udhOctets(part.udh);
  const out = Buffer.allocUnsafe(h.length + data.length);
  out.set(h, 0);
  out.set(data, h.length);
  return out;
}
