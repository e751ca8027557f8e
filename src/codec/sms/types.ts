// The decoded shape of SMS PDUs (3GPP TS 23.040 TPDUs with the 27.005 SMSC-address prefix).
// Plain JSON-friendly data: numbers, strings, booleans, null and Uint8Array views of the
// caller's input (hex-render them for JSON, see smsJsonReplacer). Field comments give the
// 23.040 name. Derived, read-only conveniences (DCS meaning, UDH `concat`/`ports`) are computed
// by the decoder and ignored by the encoder, which works from the raw values next to them.

/** MT: SC -> MS (received by a phone or modem); MO: MS -> SC (sent). */
export type SmsDirection = 'MT' | 'MO';

/** Type of number (23.040 §9.1.2.5, TOA bits 6-4). */
export type SmsTon =
  | 'unknown'
  | 'international'
  | 'national'
  | 'network-specific'
  | 'subscriber'
  | 'alphanumeric'
  | 'abbreviated'
  | 'reserved';

/** Numbering plan identification (TOA bits 3-0); reserved values keep their number. */
export type SmsNpi =
  | 'unknown'
  | 'isdn'
  | 'data'
  | 'telex'
  | 'service-centre-1'
  | 'service-centre-2'
  | 'national'
  | 'private'
  | 'ermes'
  | `reserved-${2 | 7 | 11 | 12 | 13 | 14 | 15}`;

/**
 * An address (TP-OA/DA/RA or the SMSC address). `number` holds the digits exactly as carried,
 * without a '+' (the TON says international), including the extended digits * # a b c; for
 * TON 'alphanumeric' it holds the text.
 */
export interface SmsAddress {
  ton: SmsTon;
  npi: SmsNpi;
  number: string;
}

/**
 * A service-centre time stamp (TP-SCTS, TP-DT, absolute TP-VP): local time fields as sent and
 * the offset from UTC in quarters of an hour (negative west of Greenwich). The two-digit year is
 * read as 1990-2089.
 */
export interface SmsTimestamp {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Time zone in quarter hours, -79..79. */
  tz: number;
}

/** TP-VP in its four formats (TP-VPF). `relative.value` is the TP-VP octet (see relativeVpSeconds). */
export type SmsValidity =
  | { format: 'none' }
  | { format: 'relative'; value: number }
  | { format: 'absolute'; time: SmsTimestamp }
  | { format: 'enhanced'; octets: Uint8Array };

/** National language tables of 23.038 Annex A, by name (identifier 1-13 in the UDH). */
export type SmsLanguage =
  | 'turkish'
  | 'spanish'
  | 'portuguese'
  | 'bengali'
  | 'gujarati'
  | 'hindi'
  | 'kannada'
  | 'malayalam'
  | 'oriya'
  | 'punjabi'
  | 'tamil'
  | 'telugu'
  | 'urdu';

export type SmsAlphabet = 'gsm7' | '8bit' | 'ucs2';

/** TP-DCS: `raw` is what is encoded; the rest is how a receiver reads it (23.038 §4). */
export interface SmsDcs {
  raw: number;
  group: 'general' | 'auto-delete' | 'reserved' | 'mwi-discard' | 'mwi-store' | 'mwi-store-ucs2' | 'data-class';
  alphabet: SmsAlphabet;
  /** A reserved value read as the GSM 7-bit default alphabet, as §4 tells receivers to. */
  reserved: boolean;
  /** Compressed user data (23.042); the data is returned as octets, not decompressed. */
  compressed: boolean;
  messageClass: 0 | 1 | 2 | 3 | null;
  /** Message waiting indication groups only. */
  waiting: { active: boolean; type: 'voicemail' | 'fax' | 'email' | 'other' } | null;
}

/** One user-data-header information element, kept raw so it re-encodes as it came. */
export interface SmsUdhIe {
  iei: number;
  data: Uint8Array;
}

/** Concatenated short message IE (0x00: 8-bit reference, 0x08: 16-bit). */
export interface SmsConcat {
  ref: number;
  total: number;
  seq: number;
  refBits: 8 | 16;
}

/** Application port addressing IE (0x04: 8-bit ports, 0x05: 16-bit). */
export interface SmsPorts {
  dest: number;
  src: number;
  bits: 8 | 16;
}

/**
 * TP-UDH. `ies` is the header as carried (and what the encoder writes); the other fields are
 * the receiver's reading of it: the last valid concatenation / port / shift IE, null if none.
 */
export interface SmsUdh {
  ies: SmsUdhIe[];
  concat: SmsConcat | null;
  ports: SmsPorts | null;
  lockingShift: SmsLanguage | null;
  singleShift: SmsLanguage | null;
}

/**
 * User data: `text` when the DCS is a text alphabet (GSM 7-bit or UCS-2, as UTF-16), `data`
 * (a view of the caller's input) for 8-bit or compressed data. Fill bits and lengths are derived.
 */
export interface SmsUserData {
  udh: SmsUdh | null;
  text?: string;
  data?: Uint8Array;
}

export interface SmsDeliverTpdu extends SmsUserData {
  type: 'SMS-DELIVER';
  /** TP-MMS inverted: true when TP-MMS = 0 ("more messages are waiting"). */
  moreMessagesToSend: boolean;
  /** TP-LP */
  loopPrevention: boolean;
  /** TP-SRI */
  statusReportIndication: boolean;
  /** TP-RP */
  replyPath: boolean;
  /** TP-OA */
  originator: SmsAddress;
  /** TP-PID */
  pid: number;
  dcs: SmsDcs;
  /** TP-SCTS */
  scts: SmsTimestamp;
}

export interface SmsSubmitTpdu extends SmsUserData {
  type: 'SMS-SUBMIT';
  /** TP-RD */
  rejectDuplicates: boolean;
  /** TP-RP */
  replyPath: boolean;
  /** TP-SRR */
  statusReportRequest: boolean;
  /** TP-MR */
  mr: number;
  /** TP-DA */
  destination: SmsAddress;
  pid: number;
  dcs: SmsDcs;
  /** TP-VPF and TP-VP */
  validity: SmsValidity;
}

/** Optional trailer of the reports: present per TP-PI bits (PID 1, DCS 2, UDL 4). */
export interface SmsOptionalFields {
  pid?: number;
  dcs?: SmsDcs;
  udh?: SmsUdh | null;
  text?: string;
  data?: Uint8Array;
}

export interface SmsStatusReportTpdu extends SmsOptionalFields {
  type: 'SMS-STATUS-REPORT';
  moreMessagesToSend: boolean;
  loopPrevention: boolean;
  /** TP-SRQ: the report is about an SMS-SUBMIT or an SMS-COMMAND. */
  statusReportQualifier: 'submit' | 'command';
  mr: number;
  /** TP-RA */
  recipient: SmsAddress;
  scts: SmsTimestamp;
  /** TP-DT */
  dischargeTime: SmsTimestamp;
  /** TP-ST (see smsStatusCategory) */
  status: number;
  /** TP-PI octet, null when the report ends after TP-ST. */
  pi: number | null;
}

export interface SmsCommandTpdu {
  type: 'SMS-COMMAND';
  statusReportRequest: boolean;
  /** TP-UDHI: TP-CD starts with a header (kept inside commandData). */
  udhi: boolean;
  mr: number;
  pid: number;
  /** TP-CT */
  commandType: number;
  /** TP-MN */
  messageNumber: number;
  destination: SmsAddress;
  /** TP-CD */
  commandData: Uint8Array;
}

/** SMS-DELIVER-REPORT: failureCause (TP-FCS) is set in the RP-ERROR form, null for RP-ACK. */
export interface SmsDeliverReportTpdu extends SmsOptionalFields {
  type: 'SMS-DELIVER-REPORT';
  failureCause: number | null;
  pi: number;
}

/** SMS-SUBMIT-REPORT: failureCause (TP-FCS) is set in the RP-ERROR form, null for RP-ACK. */
export interface SmsSubmitReportTpdu extends SmsOptionalFields {
  type: 'SMS-SUBMIT-REPORT';
  failureCause: number | null;
  pi: number;
  scts: SmsTimestamp;
}

export type SmsTpdu =
  | SmsDeliverTpdu
  | SmsSubmitTpdu
  | SmsStatusReportTpdu
  | SmsCommandTpdu
  | SmsDeliverReportTpdu
  | SmsSubmitReportTpdu;

/** A PDU as AT PDU mode carries it: the SMSC address (null when absent or empty) and the TPDU. */
export interface SmsMessage {
  sca: SmsAddress | null;
  tpdu: SmsTpdu;
}
