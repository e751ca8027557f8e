// The SMPP bearer (SMPP 3.4 transceiver bind to an SMSC): bearer.ts is the Bearer; keeper.ts
// keeps the bind up; link.ts is one session over TCP; pdu.ts and sm-body.ts the PDUs;
// user-data.ts the short message octets; receipt.ts and tracker.ts delivery receipts;
// journal.ts what a restart must know of the pushes sent; inbound.ts incoming SMS; status.ts
// the command_status table; pacer.ts the rate limit.
export { SmppBearer, smppAddressOf, smppOptionsFromConfig, type SmppBearerOptions } from './bearer.js';
export { LinkKeeper, type SmppState, type SmppStatus } from './keeper.js';
export { describeStatus, smppStatus, smppStatusCode, SMPP_STATUS_CODES, type CommandStatus, type SmppStatusKind } from './status.js';
export { readReceipt, isReceipt, type Receipt, type ReceiptState } from './receipt.js';
export { readUdh, readUserData, readingOf, udhOctets, shortMessageOf, type DefaultAlphabet, type Udh, type UserData } from './user-data.js';
export { readShortMessagePdu, SmppBodyError, TLV, type ShortMessagePdu, type SmppAddress } from './sm-body.js';
export { ReceiptTracker } from './tracker.js';
export { storeJournal, type SmppJournal, type SmppPushRecord } from './journal.js';
export { Pacer } from './pacer.js';
