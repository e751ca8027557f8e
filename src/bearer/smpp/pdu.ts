// SMPP framing: the 16-octet header every PDU starts with (§3.2), cutting a TCP byte stream
// into whole PDUs, and writing PDUs with npm `smpp`'s definitions.
import smpp from 'smpp';

/** command_id values this bearer sends or handles (§5.1.2.1). */
export const CMD = {
  generic_nack: 0x80000000,
  bind_transceiver: 0x00000009,
  bind_transceiver_resp: 0x80000009,
  submit_sm: 0x00000004,
  submit_sm_resp: 0x80000004,
  deliver_sm: 0x00000005,
  deliver_sm_resp: 0x80000005,
  data_sm: 0x00000103,
  data_sm_resp: 0x80000103,
  unbind: 0x00000006,
  unbind_resp: 0x80000006,
  enquire_link: 0x00000015,
  enquire_link_resp: 0x80000015,
  outbind: 0x0000000b,
  alert_notification: 0x00000102,
} as const;

/** The largest PDU accepted: a 64 KiB message_payload and the rest of a data_sm. */
export const MAX_PDU_OCTETS = 70_000;

export interface PduHeader {
  length: number;
  id: number;
  status: number;
  sequence: number;
}

export const isResponse = (id: number): boolean => (id & 0x80000000) !== 0;

export function readHeader(frame: Uint8Array): PduHeader {
  const v = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  return { length: v.getUint32(0), id: v.getUint32(4), status: v.getUint32(8), sequence: v.getUint32(12) };
}

/** A stream that cannot be cut into PDUs (the link has to go: there is no resynchronising). */
export class FramingError extends Error {
  override readonly name = 'FramingError';
}

/** Cuts received chunks into whole PDUs (each a Buffer of exactly command_length octets). */
export class FrameReader {
  private chunks: Buffer[] = [];
  private have = 0;

  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.have += chunk.length;
    const out: Buffer[] = [];
    while (this.have >= 4) {
      const head = this.chunks[0].length >= 4 ? this.chunks[0] : this.flatten();
      const length = head.readUInt32BE(0);
      if (length < 16 || length > MAX_PDU_OCTETS) {
        throw new FramingError(`command_length ${length} is outside 16..${MAX_PDU_OCTETS}`);
      }
      if (this.have < length) break;
      const all = this.flatten();
      out.push(all.subarray(0, length));
      const rest = all.subarray(length);
      this.chunks = rest.length ? [rest] : [];
      this.have = rest.length;
    }
    return out;
  }

  private flatten(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.have)];
    return this.chunks[0];
  }
}

/** A request PDU by command name and parameters (npm smpp writes it). */
export function encodeRequest(command: string, sequence: number, fields: Record<string, unknown> = {}): Buffer {
  const pdu = new smpp.PDU(command, { ...fields, sequence_number: sequence });
  return pdu.toBuffer();
}

/** A response: with a non-zero status the body is left out, as §3.2 allows and SMSCs expect. */
export function encodeResponse(command: string, sequence: number, status: number, fields: Record<string, unknown> = {}): Buffer {
  const pdu = new smpp.PDU(command, { ...fields, sequence_number: sequence, command_status: status });
  return pdu.toBuffer();
}

/** Reads a response PDU's parameters (message_id, system_id...) with npm smpp; null if it cannot. */
export function decodeFields(frame: Buffer): Record<string, unknown> | null {
  try {
    return new smpp.PDU(frame) as unknown as Record<string, unknown>;
  } catch {
    return null;
  }
}
