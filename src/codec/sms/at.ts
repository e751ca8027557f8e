// AT PDU mode framing (3GPP TS 27.005): AT+CMGS=<length> takes the hex of the SMSC address
// prefix and the TPDU, where <length> counts the TPDU octets only; +CMGR / +CMT replies carry
// the same form.
import { CodecError } from '../errors.js';
import { encodeAddressField, toHex } from './fields.js';
import type { SmsAddress } from './types.js';

/** The hex line and <length> for AT+CMGS; no SMSC address (or null) sends 00: the modem's default SMSC. */
export function toAtPdu(tpdu: Uint8Array, sca: SmsAddress | null = null): { hex: string; length: number } {
  const prefix = sca === null ? '00' : toHex(encodeAddressField(sca, { sca: true }));
  return { hex: prefix + toHex(tpdu), length: tpdu.length };
}

// nibble value of an ASCII character, -1 for a non-hex one
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 10; i++) NIBBLE[0x30 + i] = i;
for (let i = 0; i < 6; i++) NIBBLE[0x41 + i] = NIBBLE[0x61 + i] = 10 + i;

function nibble(hex: string, i: number): number {
  const c = hex.charCodeAt(i);
  const v = c < 128 ? NIBBLE[c] : -1;
  if (v < 0) throw new CodecError('BAD_VALUE', 'AT PDU hex', i, `character ${JSON.stringify(hex[i])} is not a hex digit`);
  return v;
}

/**
 * Parses the hex line of a +CMGR / +CMT reply. `pdu` is the whole PDU (SMSC address prefix
 * included, for decodeSms), `tpdu` the part after it and `length` its octets, checked against
 * the <length> the modem declared when given. Offsets in errors are character positions.
 * A message read from SIM storage may come as its whole record: the TPDU of the declared
 * length, then 0xFF to the end of the record (TS 31.102 §4.2.25); the padding is cut off.
 */
export function fromAtPdu(hex: string, declaredLength?: number): { pdu: Uint8Array; tpdu: Uint8Array; length: number } {
  const s = hex.trim();
  if (s.length % 2 !== 0) throw new CodecError('BAD_LENGTH', 'AT PDU hex', s.length, `odd number of hex digits (${s.length})`);
  if (s.length === 0) throw new CodecError('MISSING', 'AT PDU hex', 0, 'empty line');
  let pdu = new Uint8Array(s.length >> 1);
  for (let i = 0; i < pdu.length; i++) pdu[i] = (nibble(s, 2 * i) << 4) | nibble(s, 2 * i + 1);
  const scaLength = pdu[0];
  if (scaLength > 11) throw new CodecError('BAD_LENGTH', 'SMSC address', 0, `value ${scaLength}`);
  if (1 + scaLength >= pdu.length) throw new CodecError('TRUNCATED', 'SMSC address', 0, `${pdu.length} octets in all`);
  let tpdu = pdu.subarray(1 + scaLength);
  if (declaredLength !== undefined && declaredLength < tpdu.length && tpdu.subarray(declaredLength).every((b) => b === 0xff)) {
    pdu = pdu.subarray(0, 1 + scaLength + declaredLength);
    tpdu = pdu.subarray(1 + scaLength);
  }
  if (declaredLength !== undefined && declaredLength !== tpdu.length) {
    throw new CodecError('BAD_LENGTH', 'AT PDU length', -1, `declared ${declaredLength}, the TPDU has ${tpdu.length} octets`);
  }
  return { pdu, tpdu, length: tpdu.length };
}
