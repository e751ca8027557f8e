// The modem driver's public shapes.
import type { Logger } from 'pino';
import type { CodecError } from '../../codec/errors.js';
import type { SmsMessage, SmsStatusReportTpdu } from '../../codec/sms/index.js';
import type { Registration } from './at-parse.js';
import type { PortOpener } from './port.js';
import type { VendorName } from './quirks.js';
import type { ReceiveMode } from './sms-setup.js';

/**
 * Where a modem stands, as callers (the pool, the CLI) see it:
 *   closed        not started, or closed
 *   opening       opening the port
 *   initialising  port open, setting the modem up
 *   ready         registered, SMS set up: sends go out
 *   searching     set up, but not registered (searching, or registration unknown)
 *   denied        registration denied by the network
 *   no-sim        no SIM, or the SIM failed
 *   pin-required  the SIM wants a PIN that was not configured, or refused it (never retried)
 *   puk-required  the SIM is blocked
 *   unresponsive  the modem stopped answering; recovering (escape, reopen, re-initialise)
 *   gone          the port disappeared; looking for the modem (by IMEI) with back-off
 *   missing       the port has not existed since start (not plugged in yet, or a wrong name);
 *                 looked for with the same back-off
 */
export type ModemState =
  | 'closed' | 'opening' | 'initialising' | 'ready' | 'searching' | 'denied' | 'no-sim'
  | 'pin-required' | 'puk-required' | 'unresponsive' | 'gone' | 'missing';

export interface ModemStatus {
  state: ModemState;
  /** Why, in words (the error, the registration status...), or null. */
  detail: string | null;
  since: Date;
  /** The port in use or last used. */
  path: string;
  imei: string | null;
}

export interface ModemIdentity {
  vendor: VendorName;
  manufacturer: string | null;
  model: string | null;
  revision: string | null;
  imei: string | null;
  imsi: string | null;
  iccid: string | null;
}

export interface ModemNetwork {
  /** Circuit-switched (+CREG), packet (+CGREG) and EPS (+CEREG) registration, when known. */
  creg: Registration | null;
  cgreg: Registration | null;
  cereg: Registration | null;
  operator: string | null;
  /** +CSQ <rssi> 0-31 and dBm (null when unknown). */
  rssi: number | null;
  dbm: number | null;
  /** The SMSC the SIM names (+CSCA). */
  smsc: string | null;
}

export interface ModemSmsSetup {
  memories: [string, string, string] | null;
  reportMemory: string | null;
  /** How SMS and status reports arrive (+CNMI), 'none' when not set up. */
  sms: 'store' | 'direct' | 'none';
  reports: 'direct' | 'store' | 'none';
  /** +CSMS service 1: direct deliveries are acknowledged with +CNMA. */
  acknowledge: boolean;
  cmms: boolean;
}

export interface ModemInfo {
  identity: ModemIdentity;
  network: ModemNetwork;
  sms: ModemSmsSetup;
}

/** One received PDU, as the modem gave it. */
export interface IncomingPdu {
  /** IMEI of the modem that received it. */
  modem: string | null;
  /** The PDU with its SMSC address prefix, and the same as hex. */
  pdu: Uint8Array;
  hex: string;
  /** Decoded, or null when the codec refused it (`error` says why). */
  message: SmsMessage | null;
  error: CodecError | null;
  /** Where it was stored (+CMTI/+CDSI/start-up scan), or null for a direct +CMT/+CDS. */
  storage: { memory: string; index: number } | null;
  receivedAt: Date;
  /**
   * sha256 of the PDU hex: the same stored message read again after a crash between the
   * caller's commit and the modem's delete has the same key (deduplicate on it).
   */
  key: string;
}

export interface IncomingStatusReport extends IncomingPdu {
  report: SmsStatusReportTpdu | null;
}

/** The network's time as a modem gave it (the driver's 'network-time' event). */
export interface NetworkTimeReading {
  /** UTC, ms since the epoch. */
  at: number;
  /** How it was read ('AT+CCLK? "26/01/02,10:00:00+08" after NITZ', '+CTZE ...'). */
  source: string;
  /** The network sent its time on this session (else the clock may be one no network set). */
  nitz: boolean;
}

/** An SMS-SUBMIT in AT PDU mode: hex with the SMSC address prefix, <length> of the TPDU. */
export interface AtPdu {
  hex: string;
  length: number;
}

export interface SendResult {
  /** TP-MR of each segment, in order (as +CMGS reported; null when the modem did not say). */
  mrs: (number | null)[];
  /** The modem's IMEI (status reports come back through it). */
  modem: string | null;
}

export interface ModemTimeouts {
  /** Final result of an ordinary command. Default 10 s. */
  command: number;
  /** The "> " prompt. Default 10 s. */
  prompt: number;
  /** +CMGS answer after the PDU (radio time). Default 60 s. */
  send: number;
  /** Quiet time after a time-out before the next command. Default 250 ms. */
  settle: number;
  /** An "AT" probe (start-up sync, recovery). Default 2 s. */
  probe: number;
  /** First wait before reopening or re-initialising; doubles up to `backoffMax`. Default 1 s. */
  backoff: number;
  backoffMax: number;
  /** Keep-alive, signal, registration and storage poll while up; 0 disables. Default 60 s. */
  poll: number;
  /** Waiting for the SIM after the PIN (it says "SIM busy" meanwhile). Default 10 s. */
  simReady: number;
}

export interface ModemOptions {
  /** The AT port, e.g. /dev/ttyUSB2 or a udev name such as /dev/modem-at0. */
  path: string;
  logger: Logger;
  /** How ports are opened (default: the serialport package). */
  opener?: PortOpener;
  /** The modem's IMEI, when known; otherwise learnt at the first start-up. */
  imei?: string;
  /** Ports to search for the modem (by IMEI) when its port vanished. Default: siblingPorts(path). */
  locate?: () => string[] | Promise<string[]>;
  /** SIM PIN, entered when the SIM asks (once: a refused PIN is never retried). */
  pin?: string;
  /** Force a vendor profile instead of detecting it. */
  vendor?: VendorName | 'auto';
  /** Reset command at start-up. Default 'ATZ'. */
  reset?: 'none' | 'ATZ' | 'AT&F';
  /** SMSC to set when the SIM has none (or another one). */
  smsc?: string;
  /** Memory preference for +CPMS. Default SM, ME, MT. */
  storage?: string[];
  /**
   * How to receive: 'store' (+CMTI, read, commit, delete: nothing lost on a crash), 'direct'
   * (+CMT, acknowledged with +CNMA after the commit when the modem supports it), or false
   * (do not touch routing nor storage: probing, sending only). Default 'store' when onSms is given.
   */
  receive?: ReceiveMode | false;
  /** Takes a received SMS; must resolve only once it is durably committed (then it is deleted). */
  onSms?: (sms: IncomingPdu) => Promise<void>;
  /** Takes a status report; same contract. */
  onStatusReport?: (report: IncomingStatusReport) => Promise<void>;
  timeouts?: Partial<ModemTimeouts>;
}

export const DEFAULT_TIMEOUTS: ModemTimeouts = {
  command: 10_000,
  prompt: 10_000,
  send: 60_000,
  settle: 250,
  probe: 2_000,
  backoff: 1_000,
  backoffMax: 60_000,
  poll: 60_000,
  simReady: 10_000,
};
