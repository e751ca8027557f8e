// Records kept in LMDB. Every record is plain data (msgpack-encoded), versioned by the schema
// number in the meta database (see migrations.ts).

/**
 * Per-recipient delivery state (3GPP TS 23.140 / OMA MMS CTR flows):
 *   accepted     stored; first notification not yet handed to a bearer (or waiting for Delivery-Time)
 *   notified     m-notification.ind handed to the bearer (re-sent identically with back-off)
 *   deferred     the phone answered notifyresp Deferred; it may still fetch
 *   retrieved    the phone fetched the MM (GET); waiting for notifyresp/acknowledge
 *   acknowledged notifyresp Retrieved or m-acknowledge.ind received
 *   rejected     notifyresp Rejected / Unrecognised, or unroutable recipient
 *   expired      never fetched before the expiry
 *   forwarded    handed onward (m-forward.req without retrieval, MM3/MM4 peer)
 *   reported     the outcome above has been reported to the originator (or no report was due);
 *                nothing is left to do for this recipient. `outcome` keeps the final state.
 */
export type DeliveryState =
  | 'accepted'
  | 'notified'
  | 'deferred'
  | 'retrieved'
  | 'acknowledged'
  | 'rejected'
  | 'expired'
  | 'forwarded'
  | 'reported';

export type Outcome = 'acknowledged' | 'rejected' | 'unrecognised' | 'expired' | 'forwarded' | 'unroutable';

/** Where a recipient's copy goes (decided once, at acceptance). */
export type Route =
  | { kind: 'local' }
  | { kind: 'mm4'; domain: string }
  | { kind: 'mm3' }
  | { kind: 'reject'; reason: string };

export type AddressField = 'to' | 'cc' | 'bcc';

export interface PartMeta {
  /** Content-Type as the codec models it (type + parameters). */
  contentType: unknown;
  /** Part headers as the codec models them (Content-ID, Content-Location...). */
  headers: unknown;
  size: number;
}

export interface StoredMessage {
  id: string;
  acceptedAt: number;
  /** Canonical sender address, e.g. "+4712345678/TYPE=PLMN". */
  sender: string;
  senderTid: string;
  /** MMS version the sender speaks ("1.2"). */
  senderVersion: string;
  /** Headers of the MM as submitted, minus Bcc and submission-only fields (codec model). */
  headers: Record<string, unknown>;
  parts: PartMeta[];
  /** The body was a multipart (else a single part, `parts[0]`). */
  multipart: boolean;
  /** Every recipient is done and the payloads were dropped (the headers stay for read reports). */
  partsPurged?: boolean;
  /** Size of the MM in octets (X-Mms-Message-Size of notifications). */
  size: number;
  expiresAt: number;
  deliverAt: number;
  deliveryReport: boolean;
  readReport: boolean;
  hideSender: boolean;
  recipients: number;
}

export interface HistoryEntry {
  state: DeliveryState;
  at: number;
  note?: string;
}

export interface Delivery {
  messageId: string;
  index: number;
  /** Canonical address of the recipient. */
  recipient: string;
  field: AddressField;
  route: Route;
  state: DeliveryState;
  outcome?: Outcome;
  /** When the scheduler next acts on this delivery (ms), or null when only a phone can move it. */
  nextAt: number | null;
  /** Notifications handed to a bearer so far. */
  notifications: number;
  /** Transaction-ID of the notification (identical in every re-notification). */
  tid: string;
  /** The m-notification.ind as first sent: re-notifications must be identical (OMA MMS ENC). */
  notification?: Uint8Array;
  /** Retrieval token (Content-Location path), 128 random bits. */
  token: string;
  /** Transaction-ID put in m-retrieve.conf when an m-acknowledge.ind is wanted. */
  retrieveTid?: string;
  /** X-Mms-Report-Allowed from the recipient (absent means yes). */
  reportAllowed: boolean;
  /** MMS version the recipient's phone speaks, once known. */
  version?: string;
  history: HistoryEntry[];
}

export type OutboxKind = 'notification' | 'delivery-report' | 'read-report';

/** A WAP push waiting for a bearer. */
export interface OutboxItem {
  id: string;
  kind: OutboxKind;
  /** International MSISDN of the phone ("+4712345678"). */
  to: string;
  /** The WSP push PDU (the bearer segments it). */
  push: Uint8Array;
  /** [messageId, index] of the delivery this push serves, if any. */
  delivery?: [string, number];
  createdAt: number;
  attempts: number;
  nextAt: number;
  lastError?: string;
}

export type DeliveryKey = [string, number];

/** What we know of a phone (by MSISDN): the MMS version it speaks. */
export interface PhoneRecord {
  version: string;
  seenAt: number;
}

/** A short message a phone sent to one of our numbers, reassembled and stored by the bearer. */
export interface IncomingSms {
  /** Stable id (the bearer's durable record): handing the same SMS twice must be harmless. */
  id: string;
  /** Originator as received ("+4790000001", or an alphanumeric sender). */
  from: string;
  /** Our number it was sent to, when the bearer knows it (modem's MSISDN, SMPP destination). */
  to?: string;
  /** Service-centre time stamp (ms since the epoch), else the time of receipt. */
  sentAt: number;
  receivedAt: number;
  /** Text, for GSM 7-bit and UCS-2 messages. */
  text?: string;
  /** Octets, for 8-bit messages. */
  data?: Uint8Array;
  /** WDP application ports, when the UDH carried them. */
  ports?: { dest: number; src: number };
  /** Parts missing when the reassembly timeout delivered what had arrived. */
  missingParts?: number[];
  /** Which modem / link received it. */
  via: string;
}

// ---- the SMPP bearer's record (src/bearer/smpp/journal.ts) ----

/** One WAP push sent to an SMSC: what a restart must know not to send it again, and to read its receipts. */
export interface SmppPushRecord {
  /** Concatenation reference of its segments (0 when it fits one SMS). */
  ref: number;
  /** message_id of each segment the SMSC accepted ("" when it gave none), null while not accepted. */
  ids: (string | null)[];
  /** Receipt state of each segment (null: none yet), or null when no receipts were asked for. */
  states: ('delivered' | 'failed' | 'pending' | null)[] | null;
  /** Last change. */
  at: number;
}

// ---- the modem pool's records (src/bearer/pool) ----

/** A WAP push the modem pool sends (or sent), by the relay's job id. */
export interface PoolJob {
  id: string;
  kind: OutboxKind;
  /** MSISDN of the phone. */
  to: string;
  /** sha256 of the push: a job id re-submitted with other bytes is a new job. */
  pushHash: string;
  createdAt: number;
  /** Last submit or change; jobs nobody touches for long are forgotten. */
  touchedAt: number;
  segments: number;
  /** Concatenation reference of the current round (0 for one segment). */
  ref: number;
  /** Bumped when a half-sent job starts over on another modem (with a new reference). */
  round: number;
  /** TP-SRR set in its SMS. */
  statusReport: boolean;
  /** The modem (IMEI, or port) a segment of this round went out through: the rest must follow it. */
  modem: string | null;
  /** Send attempts that failed (the pool's retry budget). */
  tries: number;
  state: 'queued' | 'sent' | 'failed';
  /** Why it failed for good. */
  reason?: string;
  lastError?: string;
  finishedAt?: number;
  /** TP-ST of the latest status report per segment of the current round (null: none yet). */
  reports: (number | null)[];
  /** The aggregated outcome already handed on (so it is handed on once). */
  reported?: 'delivered' | 'failed';
}

/** One SMS of a pool job: [job id, segment index]. */
export interface PoolSegment {
  /** The SMS-SUBMIT in AT PDU form (00 = the SIM's SMSC, then the TPDU) and its <length>. */
  hex: string;
  length: number;
  round: number;
  /** queued: not sent; unknown: written to a modem that never answered; confirmed: +CMGS came. */
  state: 'queued' | 'unknown' | 'confirmed';
  mr?: number | null;
  /** IMEI (or port) of the modem that confirmed it. */
  modem?: string;
  sentAt?: number;
}

/** An SMS sent with TP-SRR, to match its status report: key [modem, TP-MR, recipient digits, sentAt]. */
export interface PoolSentSms {
  job: string;
  seq: number;
  round: number;
  /** TP-ST of the last report matched to it. */
  status?: number;
}

/** A received part of a concatenated SMS: key [group, sequence number]. */
export interface PoolPart {
  /** The PDU as the modem gave it (SMSC address first). */
  pdu: Uint8Array;
  /** The driver's key of the PDU (sha256 of its hex). */
  key: string;
  modem: string;
  receivedAt: number;
}

/** What the pool last knew of a modem, for `mmsc modems` (written by the running server). */
export interface PoolModemRecord {
  key: string;
  port: string;
  imei: string | null;
  msisdn?: string;
  state: string;
  detail: string | null;
  since: number;
  operator: string | null;
  rssi: number | null;
  dbm: number | null;
  ratePerMinute: number;
  routes: string[];
  /** Jobs waiting that only this modem may take, and the one it is sending. */
  queue: number;
  busy: boolean;
  sent: number;
  failed: number;
  failuresInARow: number;
  benchedUntil: number | null;
  updatedAt: number;
  /** The server process that wrote it. */
  pid: number;
}
