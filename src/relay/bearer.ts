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
  close(): Promise<void>;
}
