// The modem simulator: virtual modems speaking AT (several vendor dialects), virtual phones,
// and the virtual radio network between them, served on ptys (socat) or in process.
export { VirtualNetwork, TP_ST, addressKey, type NetworkOptions, type NetworkPdu, type Subscriber, type SubmissionRecord, type DeliveryRecord } from './network.js';
export { VirtualModem, type VirtualModemOptions, type ModemFault, type SimState } from './modem.js';
export { VirtualPhone, type PhoneSendOptions } from './phone.js';
export { DIALECTS, dialect, type Dialect, type DialectName } from './dialects.js';
export { PtyPort, InProcessPorts, InProcessPort, servePort, socatAvailable, duplexPair, type ServedPort, type ServeOptions } from './transport.js';
export { ScriptedPort, type ScriptStep } from './scripted.js';
