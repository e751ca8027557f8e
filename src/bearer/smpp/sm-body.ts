// Reads deliver_sm (§4.6.1) and data_sm (§4.7.1) from the raw frame. npm smpp would hand the
// short message over already turned into text with its own tables (bytes above 0x7F become
// spaces in the default alphabet, IA5 is read as GSM); the SMS codec needs the octets as sent.
import { CMD } from './pdu.js';

/** A PDU body that is not what SMPP 3.4 says; `status` is the command_status to answer with. */
export class SmppBodyError extends Error {
  override readonly name = 'SmppBodyError';
  constructor(
    readonly field: string,
    readonly offset: number,
    detail: string,
    readonly status: number,
  ) {
    super(`${field}${offset >= 0 ? ` (at byte ${offset})` : ''}: ${detail}`);
  }
}

const ESME_RINVCMDLEN = 0x02;
const ESME_RINVMSGLEN = 0x01;
const ESME_RINVOPTPARSTREAM = 0xc0;

/** TLV tags read here (§5.3.2). */
export const TLV = {
  receipted_message_id: 0x001e,
  source_port: 0x020a,
  destination_port: 0x020b,
  sar_msg_ref_num: 0x020c,
  sar_total_segments: 0x020e,
  sar_segment_seqnum: 0x020f,
  network_error_code: 0x0423,
  message_payload: 0x0424,
  message_state: 0x0427,
} as const;

/** At most this many TLVs in one PDU (a 70 KB frame could otherwise carry 17,000 empty ones). */
const MAX_TLVS = 64;

export interface SmppAddress {
  ton: number;
  npi: number;
  addr: string;
}

export interface ShortMessagePdu {
  command: 'deliver_sm' | 'data_sm';
  serviceType: string;
  source: SmppAddress;
  destination: SmppAddress;
  esmClass: number;
  protocolId: number;
  registeredDelivery: number;
  dataCoding: number;
  /** short_message, or the message_payload TLV when short_message is empty (views of the frame). */
  message: Uint8Array;
  /** TLV values by tag (views of the frame); the first of a repeated tag. */
  tlvs: Map<number, Uint8Array>;
}

class Reader {
  pos = 16;
  constructor(
    readonly b: Uint8Array,
    readonly end: number,
  ) {}

  byte(field: string): number {
    if (this.pos >= this.end) throw new SmppBodyError(field, this.pos, 'the PDU ends before it', ESME_RINVCMDLEN);
    return this.b[this.pos++];
  }

  /** A C-Octet String of at most `max` octets with its NUL. */
  cstring(field: string, max: number): string {
    const start = this.pos;
    const limit = Math.min(this.end, start + max);
    let i = start;
    while (i < limit && this.b[i] !== 0) i++;
    if (i >= limit) {
      throw new SmppBodyError(field, start, i >= this.end ? 'no terminating NUL before the end of the PDU' : `longer than ${max - 1} characters`, ESME_RINVCMDLEN);
    }
    this.pos = i + 1;
    return Buffer.from(this.b.buffer, this.b.byteOffset + start, i - start).toString('latin1');
  }

  octets(field: string, n: number, status = ESME_RINVCMDLEN): Uint8Array {
    if (this.pos + n > this.end) throw new SmppBodyError(field, this.pos, `${n} octets announced, ${this.end - this.pos} left`, status);
    const v = this.b.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
}

function tlvs(r: Reader): Map<number, Uint8Array> {
  const out = new Map<number, Uint8Array>();
  let n = 0;
  while (r.pos < r.end) {
    if (++n > MAX_TLVS) throw new SmppBodyError('TLV', r.pos, `more than ${MAX_TLVS} optional parameters`, ESME_RINVOPTPARSTREAM);
    if (r.pos + 4 > r.end) throw new SmppBodyError('TLV', r.pos, `${r.end - r.pos} stray octets after the last parameter`, ESME_RINVOPTPARSTREAM);
    const tag = (r.b[r.pos] << 8) | r.b[r.pos + 1];
    const len = (r.b[r.pos + 2] << 8) | r.b[r.pos + 3];
    r.pos += 4;
    const value = r.octets(`TLV 0x${tag.toString(16).padStart(4, '0')}`, len, ESME_RINVOPTPARSTREAM);
    if (!out.has(tag)) out.set(tag, value);
  }
  return out;
}

/** Reads a deliver_sm or data_sm frame (header included); throws SmppBodyError. */
export function readShortMessagePdu(frame: Uint8Array): ShortMessagePdu {
  const id = new DataView(frame.buffer, frame.byteOffset, frame.byteLength).getUint32(4);
  const r = new Reader(frame, frame.length);
  const serviceType = r.cstring('service_type', 6);
  const data = id === CMD.data_sm;
  const addrMax = data ? 65 : 21;
  const source = { ton: r.byte('source_addr_ton'), npi: r.byte('source_addr_npi'), addr: r.cstring('source_addr', addrMax) };
  const destination = { ton: r.byte('dest_addr_ton'), npi: r.byte('dest_addr_npi'), addr: r.cstring('destination_addr', addrMax) };
  const esmClass = r.byte('esm_class');
  let protocolId = 0;
  let registeredDelivery: number;
  let dataCoding: number;
  let message: Uint8Array = frame.subarray(0, 0);
  if (data) {
    registeredDelivery = r.byte('registered_delivery');
    dataCoding = r.byte('data_coding');
  } else {
    protocolId = r.byte('protocol_id');
    r.byte('priority_flag');
    r.cstring('schedule_delivery_time', 17);
    r.cstring('validity_period', 17);
    registeredDelivery = r.byte('registered_delivery');
    r.byte('replace_if_present_flag');
    dataCoding = r.byte('data_coding');
    r.byte('sm_default_msg_id');
    const smLength = r.byte('sm_length');
    if (smLength > 254) throw new SmppBodyError('sm_length', r.pos - 1, `${smLength} (at most 254)`, ESME_RINVMSGLEN);
    message = r.octets('short_message', smLength, ESME_RINVMSGLEN);
  }
  const t = tlvs(r);
  const payload = t.get(TLV.message_payload);
  if (payload !== undefined) {
    // §5.3.2.32: message_payload and a non-empty short_message must not come together
    if (message.length > 0) throw new SmppBodyError('message_payload', -1, 'present together with a short_message', ESME_RINVOPTPARSTREAM);
    message = payload;
  }
  return {
    command: data ? 'data_sm' : 'deliver_sm',
    serviceType, source, destination, esmClass, protocolId, registeredDelivery, dataCoding, message, tlvs: t,
  };
}

/** A TLV's value as an unsigned integer of its length (1, 2 or 4 octets); undefined if absent or odd. */
export function tlvInt(tlvs: Map<number, Uint8Array>, tag: number): number | undefined {
  const v = tlvs.get(tag);
  if (v === undefined || v.length === 0 || v.length > 4 || v.length === 3) return undefined;
  let n = 0;
  for (const b of v) n = n * 256 + b;
  return n;
}

/** A C-Octet-String TLV's text (without the NUL). */
export function tlvString(tlvs: Map<number, Uint8Array>, tag: number): string | undefined {
  const v = tlvs.get(tag);
  if (v === undefined) return undefined;
  let end = v.indexOf(0);
  if (end < 0) end = v.length;
  return Buffer.from(v.buffer, v.byteOffset, end).toString('latin1');
}
