// What the relay needs from a bearer (modem pool, SMPP link, loopback...). The relay owns the
// outbox, its retries and the delivery state; a bearer only has to deliver one WAP push to
// one phone and say how that went. Declared here, by its user (relay never imports a bearer).
import type { IncomingSms, OutboxKind } from '../store/types.js';

export type { IncomingSms };

export interface PushJob {
  /** Stable across retries and restarts: a bearer may use it to resume a half-sent job. */
  id: string;
  kind: OutboxKind;
  /** International MSISDN ("+4712345678"). */
  to: string;
  /** The WSP push PDU; an SMS bearer cuts it into segments with WDP ports 2948/9200. */
  push: Uint8Array;
  /** 1 for the first try. */
  attempt: number;
  /** Ask the network for a status report (SMS TP-SRR). */
  statusReport: boolean;
}

export interface SegmentReceipt {
  /** TP-MR (SMS), message_id (SMPP)... what a later status report will refer to. */
  reference?: number | string;
  /** Which modem / link sent it (IMEI, SMPP system id). */
  via?: string;
}

export type SubmitOutcome =
  | { status: 'sent'; segments: SegmentReceipt[] }
  | { status: 'retry'; reason: string; retryAfterMs?: number }
  | { status: 'failed'; reason: string };

/** A network status report for a job, correlated by the bearer (e.g. TP-MR + recipient). */
export interface StatusReport {
  jobId: string;
  status: 'delivered' | 'failed' | 'pending';
  at: number;
  detail?: string;
}

/**
 * What the network says the time is: a modem's clock set by the network (NITZ, read with
 * AT+CCLK? or carried by +CTZE / ^NWTIME), or a service centre's time stamp (TP-SCTS), which the
 * present cannot be earlier than. The app's clock keeper weighs it (src/clock); the relay never
 * sees it.
 */
export interface NetworkTime {
  /** UTC, ms since the epoch. */
  at: number;
  /** 'clock': the network's time now; 'not-before': a time stamp already past. */
  kind: 'clock' | 'not-before';
  /** Where it came from, in words ("modem 3500... (/dev/ttyUSB2): AT+CCLK? after NITZ"). */
  source: string;
}

/** A step of the process's clock, for bearers that keep wall-clock times of their own. */
export interface BearerClockStep {
  /** How far the clock moved (ms; negative: back). */
  delta: number;
}

export interface Bearer {
  readonly name: string;
  submit(job: PushJob): Promise<SubmitOutcome>;
  /** Status reports correlated to jobs, if the bearer gets any. */
  onStatusReport?(listener: (r: StatusReport) => void): void;
  /**
   * Incoming SMS. The listener resolves once it has taken the message durably; until then the
   * bearer keeps it (and hands it again after a restart).
   */
  onIncoming?(listener: (sms: IncomingSms) => Promise<void>): void;
  /** The network's time as the bearer learns it (modems' clocks, SMSC time stamps). */
  onNetworkTime?(listener: (t: NetworkTime) => void): void;
  /**
   * The process's clock stepped: the bearer moves the wall-clock times it keeps (reassembly
   * and report windows...) by the step, so that they keep their elapsed meaning.
   */
  clockStepped?(step: BearerClockStep): Promise<void>;
  close(): Promise<void>;
}
