// SMSC delivery receipts (SMPP 3.4 §2.11 and Appendix B): a deliver_sm whose esm_class says
// "delivery receipt", with the message id and final state in the text
//   id:IIIIIIIIII sub:SSS dlvrd:DDD submit date:YYMMDDhhmm done date:YYMMDDhhmm stat:DDDDDDD err:E text:...
// and, from SMSCs that speak 3.4 fully, in the receipted_message_id / message_state TLVs, which
// win when both are there (the text format is only "an example" in the specification).
import { TLV, tlvInt, tlvString, type ShortMessagePdu } from './sm-body.js';

/** The final states (§5.2.28) by their receipt-text abbreviation. */
export type ReceiptState = 'ENROUTE' | 'DELIVRD' | 'EXPIRED' | 'DELETED' | 'UNDELIV' | 'ACCEPTD' | 'UNKNOWN' | 'REJECTD';

export interface Receipt {
  messageId: string;
  /** The state, or null when neither the TLV nor the text names a known one. */
  state: ReceiptState | null;
  /** As a job status: delivered, failed (final and not delivered) or pending (not final yet). */
  status: 'delivered' | 'failed' | 'pending';
  /** err: of the text, or the network_error_code TLV (type:code). */
  error?: string;
  /** esm_class says intermediate notification (0x20) rather than final receipt (0x04). */
  intermediate: boolean;
}

/** message_state TLV values (§5.3.2.35). */
const STATE_BY_NUMBER: (ReceiptState | undefined)[] = [undefined, 'ENROUTE', 'DELIVRD', 'EXPIRED', 'DELETED', 'UNDELIV', 'ACCEPTD', 'UNKNOWN', 'REJECTD'];

// Spellings seen besides Appendix B's (DELIVERED and UNDELIVERABLE are the §5.2.28 names).
const STATE_BY_TEXT: Record<string, ReceiptState> = {
  ENROUTE: 'ENROUTE', DELIVRD: 'DELIVRD', DELIVERED: 'DELIVRD', EXPIRED: 'EXPIRED', DELETED: 'DELETED',
  UNDELIV: 'UNDELIV', UNDELIVERABLE: 'UNDELIV', ACCEPTD: 'ACCEPTD', ACCEPTED: 'ACCEPTD', UNKNOWN: 'UNKNOWN',
  REJECTD: 'REJECTD', REJECTED: 'REJECTD',
};

/**
 * Job status of a state. ACCEPTD is final in 3.4 ("read on behalf of the subscriber") but SMSCs
 * send it as an intermediate state; UNKNOWN is final and says nothing was delivered.
 */
function statusOf(state: ReceiptState | null, intermediate: boolean): Receipt['status'] {
  if (state === 'DELIVRD') return 'delivered';
  if (intermediate || state === null || state === 'ENROUTE' || state === 'ACCEPTD') return 'pending';
  return 'failed';
}

/** esm_class message type bits (§5.2.12, bits 5-2) of receipts: SMSC receipt, intermediate notification. */
export function isReceipt(esmClass: number): boolean {
  const type = esmClass & 0x3c;
  return type === 0x04 || type === 0x20;
}

const FIELD = (name: string): RegExp => new RegExp(`(?:^|\\s)${name}:\\s*(\\S*)`, 'i');
const ID = FIELD('id');
const STAT = FIELD('stat');
const ERR = FIELD('err');

/** The receipt in a deliver_sm / data_sm; null when it names no message id. */
export function readReceipt(pdu: ShortMessagePdu): Receipt | null {
  const text = Buffer.from(pdu.message.buffer, pdu.message.byteOffset, pdu.message.byteLength).toString('latin1');
  const messageId = tlvString(pdu.tlvs, TLV.receipted_message_id) || ID.exec(text)?.[1];
  if (!messageId) return null;
  const n = tlvInt(pdu.tlvs, TLV.message_state);
  const fromText = STAT.exec(text)?.[1]?.toUpperCase();
  const state = (n !== undefined ? STATE_BY_NUMBER[n] : undefined) ?? (fromText ? STATE_BY_TEXT[fromText] : undefined) ?? null;
  const intermediate = (pdu.esmClass & 0x3c) === 0x20;
  const r: Receipt = { messageId, state, status: statusOf(state, intermediate), intermediate };
  const net = pdu.tlvs.get(TLV.network_error_code);
  const err = ERR.exec(text)?.[1];
  if (net && net.length === 3) r.error = `network ${net[0]}:${(net[1] << 8) | net[2]}`;
  else if (err && !/^0+$/.test(err)) r.error = err;
  return r;
}
