// The AT modem bearer: one driver per modem (driver.ts) on one AT chat per port (at-chat.ts),
// vendor quirks (quirks.ts, vendors/), detection (detect.ts), error tables (errors.ts), pure
// readers of AT answers (at-lines.ts, at-parse.ts) and the `mmsc modem` commands (cli.ts).
export { Modem } from './driver.js';
export type {
  AtPdu, IncomingPdu, IncomingStatusReport, ModemIdentity, ModemInfo, ModemNetwork, ModemOptions, ModemSmsSetup,
  ModemState, ModemStatus, ModemTimeouts, SendResult,
} from './types.js';
export { DEFAULT_TIMEOUTS } from './types.js';
export {
  ModemError, ModemSendError, cmeError, cmeErrorFromText, cmsError, cmsErrorFromText, readErrorValue,
  type ErrorInfo, type FailureClass, type FailureScope, type ModemErrorCode,
} from './errors.js';
export { AtChat, classifyFinal, type AtChatOptions, type AtCommandOptions, type AtResponse, type FinalKind } from './at-chat.js';
export { AtLineReader, type AtToken } from './at-lines.js';
export { AtParseError, parseCusd, type Registration, type RegistrationStatus, type Ussd } from './at-parse.js';
export { detectVendor, usbModem, USB_MODEMS, type UsbModem } from './detect.js';
export { Quirk, type VendorName, type VendorProfile } from './quirks.js';
export { serialPortOpener, siblingPorts, type ModemPort, type PortOpener, type SerialPortOptions } from './port.js';
export { modemProbeCommand, modemSendCommand, modemSimulateCommand, probeModem, formatProbe, type ProbeResult } from './cli.js';
