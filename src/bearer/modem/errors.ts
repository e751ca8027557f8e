// Error tables for the AT modem bearer and the error classes it throws.
//
// +CMS ERROR values (3GPP TS 27.005 §3.2.5): 0-127 are RP-causes (24.011 Annex E-2) that the
// network returned, 128-255 TP-Failure-Cause values (23.040 §9.2.3.22), 300-340 and 500 the
// ME/TA's own; 512+ are manufacturer specific. +CME ERROR values: 27.007 §9.2.
//
// Each value is classed for the MESSAGE it concerns: `permanent` (sending it again can never
// work: unassigned number, barred, bad PDU) or `temporary` (try again later or elsewhere), and
// scoped: `message` (about this message or its recipient), `modem` (this modem or its SIM or
// its network cannot send now; another modem may) or `command` (a command was not accepted
// in the modem's present state). Unknown values are temporary: a retry schedule ends them,
// whereas a wrong "permanent" would drop a message that could have gone through.

export type FailureClass = 'permanent' | 'temporary';
export type FailureScope = 'message' | 'modem' | 'command';

export interface ErrorInfo {
  /** The number as the modem reported it (or as the verbose text was mapped). */
  code: number;
  /** Stable kebab-case name, e.g. 'unassigned-number'. */
  reason: string;
  /** The standard's wording. */
  text: string;
  class: FailureClass;
  scope: FailureScope;
}

type Row = [code: number, reason: string, text: string, cls: 'P' | 'T', scope: 'msg' | 'modem' | 'cmd'];

const SCOPES = { msg: 'message', modem: 'modem', cmd: 'command' } as const;

const CMS_ROWS: Row[] = [
  // RP-cause, 24.011 Annex E-2 (mobile originating) and E-3 (22 in MT: memory capacity exceeded)
  [1, 'unassigned-number', 'Unassigned (unallocated) number', 'P', 'msg'],
  [8, 'operator-determined-barring', 'Operator determined barring', 'P', 'modem'],
  [10, 'call-barred', 'Call barred', 'P', 'msg'],
  [17, 'network-failure', 'Network failure', 'T', 'modem'],
  [21, 'transfer-rejected', 'Short message transfer rejected', 'P', 'msg'],
  [22, 'congestion', 'Congestion / memory capacity exceeded', 'T', 'msg'],
  [27, 'destination-out-of-service', 'Destination out of service', 'T', 'msg'],
  [28, 'unidentified-subscriber', 'Unidentified subscriber', 'T', 'modem'],
  [29, 'facility-rejected', 'Facility rejected', 'P', 'msg'],
  [30, 'unknown-subscriber', 'Unknown subscriber', 'P', 'modem'],
  [38, 'network-out-of-order', 'Network out of order', 'T', 'modem'],
  [41, 'temporary-failure', 'Temporary failure', 'T', 'msg'],
  [42, 'congestion', 'Congestion', 'T', 'modem'],
  [47, 'resources-unavailable', 'Resources unavailable, unspecified', 'T', 'modem'],
  [50, 'facility-not-subscribed', 'Requested facility not subscribed', 'P', 'modem'],
  [69, 'facility-not-implemented', 'Requested facility not implemented', 'P', 'msg'],
  [81, 'invalid-transfer-reference', 'Invalid short message transfer reference value', 'T', 'msg'],
  [95, 'invalid-message', 'Invalid message, unspecified', 'P', 'msg'],
  [96, 'invalid-mandatory-information', 'Invalid mandatory information', 'P', 'msg'],
  [97, 'message-type-not-implemented', 'Message type non-existent or not implemented', 'P', 'msg'],
  [98, 'message-not-compatible', 'Message not compatible with short message protocol state', 'T', 'msg'],
  [99, 'information-element-not-implemented', 'Information element non-existent or not implemented', 'P', 'msg'],
  [111, 'protocol-error', 'Protocol error, unspecified', 'T', 'msg'],
  [127, 'interworking', 'Interworking, unspecified', 'T', 'msg'],
  // TP-Failure-Cause, 23.040 §9.2.3.22
  [0x80, 'telematic-interworking-not-supported', 'Telematic interworking not supported', 'P', 'msg'],
  [0x81, 'type0-not-supported', 'Short message Type 0 not supported', 'P', 'msg'],
  [0x82, 'cannot-replace', 'Cannot replace short message', 'P', 'msg'],
  [0x8f, 'pid-error', 'Unspecified TP-PID error', 'P', 'msg'],
  [0x90, 'dcs-not-supported', 'Data coding scheme (alphabet) not supported', 'P', 'msg'],
  [0x91, 'message-class-not-supported', 'Message class not supported', 'P', 'msg'],
  [0x9f, 'dcs-error', 'Unspecified TP-DCS error', 'P', 'msg'],
  [0xa0, 'command-cannot-be-actioned', 'Command cannot be actioned', 'P', 'msg'],
  [0xa1, 'command-unsupported', 'Command unsupported', 'P', 'msg'],
  [0xaf, 'command-error', 'Unspecified TP-Command error', 'P', 'msg'],
  [0xb0, 'tpdu-not-supported', 'TPDU not supported', 'P', 'msg'],
  [0xc0, 'sc-busy', 'SC busy', 'T', 'msg'],
  [0xc1, 'no-sc-subscription', 'No SC subscription', 'P', 'modem'],
  [0xc2, 'sc-system-failure', 'SC system failure', 'T', 'msg'],
  [0xc3, 'invalid-sme-address', 'Invalid SME address', 'P', 'msg'],
  [0xc4, 'destination-barred', 'Destination SME barred', 'P', 'msg'],
  [0xc5, 'duplicate', 'SM Rejected-Duplicate SM', 'P', 'msg'],
  [0xc6, 'vpf-not-supported', 'TP-VPF not supported', 'P', 'msg'],
  [0xc7, 'vp-not-supported', 'TP-VP not supported', 'P', 'msg'],
  [0xd0, 'sim-storage-full', '(U)SIM SMS storage full', 'T', 'msg'],
  [0xd1, 'no-sim-storage', 'No SMS storage capability in (U)SIM', 'P', 'msg'],
  [0xd2, 'error-in-ms', 'Error in MS', 'T', 'msg'],
  [0xd3, 'memory-capacity-exceeded', 'Memory capacity exceeded', 'T', 'msg'],
  [0xd4, 'sat-busy', '(U)SIM Application Toolkit busy', 'T', 'msg'],
  [0xd5, 'sim-data-download-error', '(U)SIM data download error', 'T', 'msg'],
  [0xff, 'unspecified', 'Unspecified error cause', 'T', 'msg'],
  // The ME/TA's own, 27.005 §3.2.5
  [300, 'me-failure', 'ME failure', 'T', 'modem'],
  [301, 'sms-service-reserved', 'SMS service of ME reserved', 'T', 'modem'],
  [302, 'operation-not-allowed', 'Operation not allowed', 'T', 'cmd'],
  [303, 'operation-not-supported', 'Operation not supported', 'P', 'cmd'],
  [304, 'invalid-pdu-parameter', 'Invalid PDU mode parameter', 'P', 'msg'],
  [305, 'invalid-text-parameter', 'Invalid text mode parameter', 'P', 'msg'],
  [310, 'sim-not-inserted', '(U)SIM not inserted', 'T', 'modem'],
  [311, 'sim-pin-required', '(U)SIM PIN required', 'T', 'modem'],
  [312, 'ph-sim-pin-required', 'PH-(U)SIM PIN required', 'T', 'modem'],
  [313, 'sim-failure', '(U)SIM failure', 'T', 'modem'],
  [314, 'sim-busy', '(U)SIM busy', 'T', 'modem'],
  [315, 'sim-wrong', '(U)SIM wrong', 'T', 'modem'],
  [316, 'sim-puk-required', '(U)SIM PUK required', 'T', 'modem'],
  [317, 'sim-pin2-required', '(U)SIM PIN2 required', 'T', 'modem'],
  [318, 'sim-puk2-required', '(U)SIM PUK2 required', 'T', 'modem'],
  [320, 'memory-failure', 'Memory failure', 'T', 'modem'],
  [321, 'invalid-memory-index', 'Invalid memory index', 'P', 'cmd'],
  [322, 'memory-full', 'Memory full', 'T', 'modem'],
  [330, 'smsc-address-unknown', 'SMSC address unknown', 'T', 'modem'],
  [331, 'no-network-service', 'No network service', 'T', 'modem'],
  [332, 'network-timeout', 'Network timeout', 'T', 'msg'],
  [340, 'no-cnma-expected', 'No +CNMA acknowledgement expected', 'P', 'cmd'],
  [500, 'unknown', 'Unknown error', 'T', 'msg'],
];

const CME_ROWS: Row[] = [
  [0, 'phone-failure', 'Phone failure', 'T', 'modem'],
  [1, 'no-connection', 'No connection to phone', 'T', 'modem'],
  [2, 'link-reserved', 'Phone-adaptor link reserved', 'T', 'modem'],
  [3, 'operation-not-allowed', 'Operation not allowed', 'T', 'cmd'],
  [4, 'operation-not-supported', 'Operation not supported', 'P', 'cmd'],
  [5, 'ph-sim-pin-required', 'PH-SIM PIN required', 'T', 'modem'],
  [6, 'ph-fsim-pin-required', 'PH-FSIM PIN required', 'T', 'modem'],
  [7, 'ph-fsim-puk-required', 'PH-FSIM PUK required', 'T', 'modem'],
  [10, 'sim-not-inserted', 'SIM not inserted', 'T', 'modem'],
  [11, 'sim-pin-required', 'SIM PIN required', 'T', 'modem'],
  [12, 'sim-puk-required', 'SIM PUK required', 'T', 'modem'],
  [13, 'sim-failure', 'SIM failure', 'T', 'modem'],
  [14, 'sim-busy', 'SIM busy', 'T', 'modem'],
  [15, 'sim-wrong', 'SIM wrong', 'T', 'modem'],
  [16, 'incorrect-password', 'Incorrect password', 'T', 'modem'],
  [17, 'sim-pin2-required', 'SIM PIN2 required', 'T', 'modem'],
  [18, 'sim-puk2-required', 'SIM PUK2 required', 'T', 'modem'],
  [20, 'memory-full', 'Memory full', 'T', 'modem'],
  [21, 'invalid-index', 'Invalid index', 'P', 'cmd'],
  [22, 'not-found', 'Not found', 'P', 'cmd'],
  [23, 'memory-failure', 'Memory failure', 'T', 'modem'],
  [24, 'text-too-long', 'Text string too long', 'P', 'cmd'],
  [25, 'invalid-characters', 'Invalid characters in text string', 'P', 'cmd'],
  [26, 'dial-string-too-long', 'Dial string too long', 'P', 'cmd'],
  [27, 'invalid-dial-string', 'Invalid characters in dial string', 'P', 'cmd'],
  [30, 'no-network-service', 'No network service', 'T', 'modem'],
  [31, 'network-timeout', 'Network timeout', 'T', 'modem'],
  [32, 'emergency-calls-only', 'Network not allowed - emergency calls only', 'T', 'modem'],
  [40, 'network-pin-required', 'Network personalisation PIN required', 'T', 'modem'],
  [41, 'network-puk-required', 'Network personalisation PUK required', 'T', 'modem'],
  [42, 'network-subset-pin-required', 'Network subset personalisation PIN required', 'T', 'modem'],
  [43, 'network-subset-puk-required', 'Network subset personalisation PUK required', 'T', 'modem'],
  [44, 'service-provider-pin-required', 'Service provider personalisation PIN required', 'T', 'modem'],
  [45, 'service-provider-puk-required', 'Service provider personalisation PUK required', 'T', 'modem'],
  [46, 'corporate-pin-required', 'Corporate personalisation PIN required', 'T', 'modem'],
  [47, 'corporate-puk-required', 'Corporate personalisation PUK required', 'T', 'modem'],
  [48, 'ph-sim-puk-required', 'PH-SIM PUK required', 'T', 'modem'],
  [100, 'unknown', 'Unknown', 'T', 'modem'],
  [103, 'illegal-ms', 'Illegal MS', 'T', 'modem'],
  [106, 'illegal-me', 'Illegal ME', 'T', 'modem'],
  [107, 'gprs-not-allowed', 'GPRS services not allowed', 'T', 'modem'],
  [111, 'plmn-not-allowed', 'PLMN not allowed', 'T', 'modem'],
  [112, 'location-area-not-allowed', 'Location area not allowed', 'T', 'modem'],
  [113, 'roaming-not-allowed', 'Roaming not allowed in this location area', 'T', 'modem'],
  [132, 'service-option-not-supported', 'Service option not supported', 'T', 'modem'],
  [133, 'service-option-not-subscribed', 'Requested service option not subscribed', 'T', 'modem'],
  [134, 'service-option-out-of-order', 'Service option temporarily out of order', 'T', 'modem'],
  [148, 'gprs-unspecified', 'Unspecified GPRS error', 'T', 'modem'],
  [149, 'pdp-authentication-failure', 'PDP authentication failure', 'T', 'modem'],
  [150, 'invalid-mobile-class', 'Invalid mobile class', 'T', 'modem'],
];

function toInfo(r: Row): ErrorInfo {
  return { code: r[0], reason: r[1], text: r[2], class: r[3] === 'P' ? 'permanent' : 'temporary', scope: SCOPES[r[4]] };
}

const CMS = new Map(CMS_ROWS.map((r) => [r[0], Object.freeze(toInfo(r))]));
const CME = new Map(CME_ROWS.map((r) => [r[0], Object.freeze(toInfo(r))]));

/** Normalised wording for matching verbose errors: lower case, "(U)SIM" -> "sim", letters and digits only. */
function norm(s: string): string {
  return s.toLowerCase().replace(/\(u\)/g, '').replace(/[^a-z0-9]+/g, ' ').trim();
}

// Wordings modems use in verbose mode (+CMEE=2) beside the standard's own.
const CMS_ALIASES: [string, number][] = [
  ['unassigned number', 1], ['unallocated number', 1], ['operator barring', 8], ['short message transfer rejected', 21],
  ['memory capacity exceeded', 22], ['destination out of order', 27], ['semantically incorrect message', 95],
  ['sim not ready', 314], ['invalid memory index', 321], ['invalid index', 321], ['memory full', 322],
  ['sms service of me reserved', 301], ['sms service reserved', 301], ['unknown error', 500], ['unknown', 500],
  ['invalid pdu mode parameter', 304], ['invalid pdu mode', 304], ['invalid text mode parameter', 305],
  ['sim pin required', 311], ['sim puk required', 316], ['sim not inserted', 310], ['no network service', 331],
  ['network timeout', 332], ['smsc address unknown', 330], ['no cnma acknowledgement expected', 340],
];
const CME_ALIASES: [string, number][] = [
  ['sim pin required', 11], ['sim puk required', 12], ['sim not inserted', 10], ['incorrect password', 16],
  ['sim busy', 14], ['sim failure', 13], ['sim wrong', 15], ['operation not allowed', 3], ['operation not supported', 4],
  ['not found', 22], ['invalid index', 21], ['memory full', 20], ['no network service', 30], ['network timeout', 31],
  ['phone failure', 0], ['unknown', 100], ['unknown error', 100], ['sim not ready', 14],
];

function textIndex(map: Map<number, ErrorInfo>, aliases: [string, number][]): Map<string, number> {
  const idx = new Map<string, number>();
  for (const [code, info] of map) if (!idx.has(norm(info.text))) idx.set(norm(info.text), code);
  for (const [text, code] of aliases) if (!idx.has(norm(text))) idx.set(norm(text), code);
  return idx;
}
const CMS_TEXT = textIndex(CMS, CMS_ALIASES);
const CME_TEXT = textIndex(CME, CME_ALIASES);

function unknownInfo(code: number, kind: 'CMS' | 'CME'): ErrorInfo {
  const vendor = kind === 'CMS' ? code >= 512 : code >= 256;
  return {
    code,
    reason: vendor ? 'manufacturer-specific' : 'unknown',
    text: `${vendor ? 'manufacturer specific' : 'unlisted'} +${kind} ERROR ${code}`,
    class: 'temporary',
    scope: kind === 'CMS' ? 'message' : 'modem',
  };
}

/** The meaning of a numeric +CMS ERROR value. */
export function cmsError(code: number): ErrorInfo {
  return CMS.get(code) ?? unknownInfo(code, 'CMS');
}

/** The meaning of a numeric +CME ERROR value. */
export function cmeError(code: number): ErrorInfo {
  return CME.get(code) ?? unknownInfo(code, 'CME');
}

function fromText(text: string, idx: Map<string, number>, byCode: (n: number) => ErrorInfo): ErrorInfo | null {
  const t = norm(text);
  const code = idx.get(t);
  if (code !== undefined) return byCode(code);
  return null;
}

/** A verbose +CMS ERROR text (+CMEE=2) read as the same named reason; null when not recognised. */
export function cmsErrorFromText(text: string): ErrorInfo | null {
  return fromText(text, CMS_TEXT, cmsError);
}

/** A verbose +CME ERROR text read as the same named reason; null when not recognised. */
export function cmeErrorFromText(text: string): ErrorInfo | null {
  return fromText(text, CME_TEXT, cmeError);
}

/**
 * Reads the argument of "+CMS ERROR: <x>" / "+CME ERROR: <x>": a number, or a verbose text.
 * An unrecognised text keeps the text and is classed temporary (code -1).
 */
export function readErrorValue(kind: 'CMS' | 'CME', value: string): ErrorInfo {
  const v = value.trim().replace(/^"(.*)"$/, '$1');
  if (/^\d{1,5}$/.test(v)) return kind === 'CMS' ? cmsError(Number(v)) : cmeError(Number(v));
  const info = kind === 'CMS' ? cmsErrorFromText(v) : cmeErrorFromText(v);
  if (info) return info;
  return { code: -1, reason: 'unknown', text: v, class: 'temporary', scope: kind === 'CMS' ? 'message' : 'modem' };
}

/** Stable codes of ModemError, one per way things fail. */
export type ModemErrorCode =
  /** A final result ERROR (or a vendor's equivalent, e.g. Huawei "COMMAND NOT SUPPORT"). */
  | 'AT_ERROR'
  | 'CMS_ERROR'
  | 'CME_ERROR'
  /** No final result within the command's time limit. */
  | 'TIMEOUT'
  /** The "> " prompt of AT+CMGS never came. */
  | 'PROMPT_TIMEOUT'
  /** The port closed (or was closed) while the command waited. */
  | 'PORT_CLOSED'
  /** The port could not be opened. */
  | 'PORT_OPEN_FAILED'
  /** The port answers with another modem than the one expected (IMEI differs). */
  | 'WRONG_MODEM'
  /** The modem is not ready to send (initialising, no SIM, no network, recovering...). */
  | 'NOT_READY'
  /** An answer that does not read as the command's response. */
  | 'PARSE'
  /** A caller error: bad PDU length, empty list... */
  | 'BAD_ARGUMENT'
  /** The driver was closed. */
  | 'CLOSED';

/** The one error class of the modem bearer: `code` says what failed, `class`/`scope` what to do. */
export class ModemError extends Error {
  override readonly name: string = 'ModemError';
  /** +CMS/+CME value when the modem gave one (-1 for an unrecognised verbose text). */
  readonly value: number | null;
  readonly reason: string;
  readonly class: FailureClass;
  readonly scope: FailureScope;
  /** The AT command concerned, if any. */
  readonly command: string | null;
  /** An SMS PDU had been written when the command failed (the message may have gone out). */
  readonly pduWritten: boolean;

  constructor(
    readonly code: ModemErrorCode,
    message: string,
    opts: {
      info?: ErrorInfo; class?: FailureClass; scope?: FailureScope; command?: string; reason?: string; cause?: unknown;
      pduWritten?: boolean;
    } = {},
  ) {
    super(message, opts.cause !== undefined ? { cause: opts.cause } : undefined);
    this.value = opts.info?.code ?? null;
    this.reason = opts.reason ?? opts.info?.reason ?? code.toLowerCase().replace(/_/g, '-');
    this.class = opts.class ?? opts.info?.class ?? 'temporary';
    this.scope = opts.scope ?? opts.info?.scope ?? 'modem';
    this.command = opts.command ?? null;
    this.pduWritten = opts.pduWritten === true;
  }

  get permanent(): boolean {
    return this.class === 'permanent';
  }
}

/**
 * A send that did not complete. `sent` holds the TP-MR of each segment the network accepted
 * before the failure (segments 0..sent.length-1); `failedSegment` is the index that failed;
 * `maybeSent` says whether that segment may nevertheless have reached the network (its PDU
 * was written but no answer came), so a caller that resends it accepts a possible duplicate.
 */
export class ModemSendError extends ModemError {
  override readonly name = 'ModemSendError';
  constructor(
    /** What failed the segment (a CMS_ERROR, TIMEOUT, PORT_CLOSED...). */
    readonly failure: ModemError,
    readonly sent: (number | null)[],
    readonly failedSegment: number,
    readonly maybeSent: boolean,
  ) {
    super(failure.code, `segment ${failedSegment + 1}: ${failure.message}`, {
      class: failure.class, scope: failure.scope, command: failure.command ?? undefined, reason: failure.reason,
      cause: failure,
      info: failure.value !== null
        ? { code: failure.value, reason: failure.reason, text: '', class: failure.class, scope: failure.scope }
        : undefined,
    });
  }
}
