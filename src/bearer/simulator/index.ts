// The modem simulator: virtual modems speaking AT (several vendor dialects), virtual phones,
// and the virtual radio network between them, served on ptys (socat) or in process; an MMS
// user agent for virtual phones, and a whole simulated radio for the MMSC (radio.ts).
export { VirtualNetwork, TP_ST, addressKey, type NetworkOptions, type NetworkPdu, type Subscriber, type SubmissionRecord, type DeliveryRecord } from './network.js';
export { VirtualModem, type VirtualModemOptions, type ModemFault, type SimState } from './modem.js';
export { VirtualPhone, type PhoneSendOptions } from './phone.js';
export { DIALECTS, dialect, type Dialect, type DialectName } from './dialects.js';
export { PtyPort, InProcessPorts, InProcessPort, servePort, socatAvailable, duplexPair, type ServedPort, type ServeOptions } from './transport.js';
export { ScriptedPort, type ScriptStep } from './scripted.js';
export { MmsUserAgent, MMS_CONTENT_TYPE, type MmsAgentOptions, type AgentEvent, type RetrievedMms, type SendOptions } from './mms-agent.js';
export { SimulatedRadio, type RadioOptions, type RadioModem } from './radio.js';
