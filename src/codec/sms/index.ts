// SMS TPDU codec (3GPP TS 23.040 / 23.038 / 27.005): the TypeScript face of build/sms.wasm.
//   decodeSms / encodeSms          one PDU <-> SmsMessage, one WASM call each
//   segmentText / segmentBinary    the fewest SMS-SUBMITs for a text or payload; pushToSms for WAP push
//   Reassembler                    concatenated parts -> whole messages
//   toAtPdu / fromAtPdu            AT PDU-mode framing (27.005)
export type * from './types.js';
export { decodeSms, type DecodeSmsOptions } from './decode.js';
export { encodeSms, type EncodeSmsOptions } from './encode.js';
export { smsDcs, dcsFor } from './dcs.js';
export { buildUdh, type UdhSpec } from './udh.js';
export {
  timestampToDate, timestampFromDate, timestampToIso, relativeVpSeconds, relativeVpFromSeconds,
} from './time.js';
export {
  parseAddress, formatAddress, decodeAddressField, encodeAddressField, decodeTimestampField, encodeTimestampField,
  gsm7Pack, gsm7Unpack, toHex, smsJsonReplacer, smsStatusGroup,
  type AddressFieldOptions, type Gsm7Options,
} from './fields.js';
export {
  segmentText, segmentBinary, pushToSms, planText, binaryBudget, binarySegmentCount,
  SMS_UD_OCTETS, PUSH_SINGLE_SMS_BUDGET, PUSH_SEGMENT_BUDGET, PUSH_SEGMENT_BUDGET_16BIT_REF,
  WAP_PUSH_PORT, WAP_PUSH_SOURCE_PORT,
  type SubmitOptions, type SegmentTextOptions, type SegmentBinaryOptions, type TextPlan,
} from './segment.js';
export { Reassembler, type ReassembledSms, type IncompleteSms, type ReassemblerOptions } from './reassemble.js';
export { toAtPdu, fromAtPdu } from './at.js';
