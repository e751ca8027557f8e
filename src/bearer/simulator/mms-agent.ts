// The MMS user agent of a virtual phone: what a handset on automatic download does. It takes
// whole WAP-push SMS (port 2948) from its phone, decodes the push and the MMS PDU in it, and
// for an m-notification.ind GETs the Content-Location from the MMSC over HTTP (with the phone's
// MSISDN in the identity header the operator's gateway would insert) and POSTs an
// m-notifyresp.ind (Retrieved). m-delivery.ind and m-read-orig.ind pushes are recorded. It can
// also send an MMS (m-send.req) like a phone. Every step is an event, for demos and tests.
import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { decodeMms, encodeMms, type MmsPdu } from '../../codec/mms/index.js';
import { WAP_PUSH_PORT, type ReassembledSms } from '../../codec/sms/index.js';
import { decodePush, type WspPush } from '../../codec/wsp/index.js';
import type { VirtualPhone } from './phone.js';

export const MMS_CONTENT_TYPE = 'application/vnd.wap.mms-message';

export interface MmsAgentOptions {
  /** Where the phone POSTs MM1 PDUs (the MMSC's publicUrl + mm1.path). */
  mmscUrl: string;
  /** The header carrying the phone's MSISDN (mm1.identity.headers[0]). */
  identityHeader?: string;
  /** Fetch and confirm notified messages at once (a handset on automatic download). */
  autoFetch?: boolean;
  /** MMS version the phone speaks. Default 1.2. */
  version?: string;
  logger?: Logger;
}

export interface RetrievedMms {
  url: string;
  status: number;
  pdu: MmsPdu | null;
  bytes: Uint8Array;
  notification: MmsPdu;
}

export type AgentEvent =
  | { type: 'push'; sms: ReassembledSms; push: WspPush; pdu: MmsPdu }
  | { type: 'notification'; pdu: MmsPdu }
  | { type: 'retrieved'; retrieved: RetrievedMms }
  | { type: 'notifyresp'; transactionId: string; httpStatus: number }
  | { type: 'delivery-report'; pdu: MmsPdu }
  | { type: 'read-report'; pdu: MmsPdu }
  | { type: 'sent'; request: MmsPdu; conf: MmsPdu | null; httpStatus: number }
  | { type: 'error'; step: string; error: string };

export interface SendOptions {
  subject?: string;
  deliveryReport?: boolean;
  readReport?: boolean;
  transactionId?: string;
}

let tidCounter = 0;

export class MmsUserAgent extends EventEmitter {
  readonly pushes: { sms: ReassembledSms; push: WspPush; pdu: MmsPdu }[] = [];
  readonly notifications: MmsPdu[] = [];
  readonly retrieved: RetrievedMms[] = [];
  /** m-notifyresp.ind sent: the notification's TID and the MMSC's HTTP answer. */
  readonly confirmed: { transactionId: string; httpStatus: number }[] = [];
  readonly deliveryReports: MmsPdu[] = [];
  readonly readReports: MmsPdu[] = [];
  readonly errors: { step: string; error: string }[] = [];
  autoFetch: boolean;
  private readonly work = new Set<Promise<void>>();
  private readonly header: string;
  private readonly version: string;
  private readonly log: Logger | null;
  private readonly stop: () => void;

  constructor(readonly phone: VirtualPhone, private readonly o: MmsAgentOptions) {
    super();
    this.autoFetch = o.autoFetch ?? true;
    this.header = o.identityHeader ?? 'X-WAP-Network-Client-MSISDN';
    this.version = o.version ?? '1.2';
    this.log = o.logger ?? null;
    this.stop = phone.onMessage((m) => this.onSms(m));
  }

  get msisdn(): string {
    return this.phone.msisdn;
  }

  /** Stops listening to the phone. */
  detach(): void {
    this.stop();
  }

  /** Resolves when no fetch or confirmation is in progress. */
  async idle(): Promise<void> {
    while (this.work.size) await Promise.allSettled([...this.work]);
  }

  /** Resolves with the first event (now or later) that `match` accepts; rejects after `timeoutMs`. */
  waitFor<T extends AgentEvent['type']>(type: T, match: (e: Extract<AgentEvent, { type: T }>) => boolean = () => true, timeoutMs = 30_000): Promise<Extract<AgentEvent, { type: T }>> {
    return new Promise((resolve, reject) => {
      const on = (e: AgentEvent): void => {
        if (e.type !== type || !match(e as Extract<AgentEvent, { type: T }>)) return;
        clearTimeout(timer);
        this.off('event', on);
        resolve(e as Extract<AgentEvent, { type: T }>);
      };
      const timer = setTimeout(() => {
        this.off('event', on);
        reject(new Error(`phone ${this.msisdn}: no ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.on('event', on);
    });
  }

  /** Sends an MMS with one text part to `to` (m-send.req over HTTP); resolves with the m-send.conf. */
  async send(to: string, text: string, opts: SendOptions = {}): Promise<MmsPdu | null> {
    const req: MmsPdu = {
      messageType: 'm-send-req',
      transactionId: opts.transactionId ?? `sim${process.pid.toString(36)}${(tidCounter++).toString(36)}`,
      mmsVersion: this.version,
      from: { insertAddress: true },
      to: [`${to}/TYPE=PLMN`],
      ...(opts.subject !== undefined ? { subject: opts.subject } : {}),
      ...(opts.deliveryReport ? { deliveryReport: true } : {}),
      ...(opts.readReport ? { readReport: true } : {}),
      contentType: { type: 'text/plain', params: { charset: 'utf-8' } },
      body: new TextEncoder().encode(text),
    };
    const res = await this.http('POST', this.o.mmscUrl, encodeMms(req));
    const conf = res.type === MMS_CONTENT_TYPE && res.body.length ? decodeMms(res.body) : null;
    this.event({ type: 'sent', request: req, conf, httpStatus: res.status });
    return conf;
  }

  /** Fetches a notified message and confirms it (what autoFetch does by itself). */
  async fetch(notification: MmsPdu): Promise<RetrievedMms> {
    const loc = notification.contentLocation;
    const url = typeof loc === 'string' ? loc : '';
    const res = await this.http('GET', url);
    let pdu: MmsPdu | null = null;
    if (res.type === MMS_CONTENT_TYPE && res.body.length) pdu = decodeMms(res.body);
    const r: RetrievedMms = { url, status: res.status, pdu, bytes: res.body, notification };
    this.retrieved.push(r);
    this.event({ type: 'retrieved', retrieved: r });
    if (res.status !== 200 || pdu?.messageType !== 'm-retrieve-conf') throw new Error(`GET ${url} answered HTTP ${res.status}${pdu ? ` with ${pdu.messageType}` : ''}`);
    const tid = notification.transactionId ?? '';
    const ack = await this.http('POST', this.o.mmscUrl, encodeMms({
      messageType: 'm-notifyresp-ind', transactionId: tid, mmsVersion: this.version, status: 'Retrieved',
    }));
    this.confirmed.push({ transactionId: tid, httpStatus: ack.status });
    this.event({ type: 'notifyresp', transactionId: tid, httpStatus: ack.status });
    return r;
  }

  // ------------------------------------------------------------------------------------------

  private onSms(m: ReassembledSms): void {
    if (m.ports?.dest !== WAP_PUSH_PORT || !m.data) return; // a text: for the handset's SMS app
    let push: WspPush;
    let pdu: MmsPdu;
    try {
      push = decodePush(m.data);
      const ct = push.contentType.type;
      if (push.applicationId !== 'x-wap-application:mms.ua' && ct !== MMS_CONTENT_TYPE) return; // another push application
      pdu = decodeMms(push.body);
    } catch (err) {
      this.fail('decode the push', err);
      return;
    }
    this.pushes.push({ sms: m, push, pdu });
    this.event({ type: 'push', sms: m, push, pdu });
    switch (pdu.messageType) {
      case 'm-notification-ind':
        this.notifications.push(pdu);
        this.event({ type: 'notification', pdu });
        if (this.autoFetch) this.track(this.fetch(pdu).then(() => undefined, (err: unknown) => this.fail('fetch the message', err)));
        break;
      case 'm-delivery-ind':
        this.deliveryReports.push(pdu);
        this.event({ type: 'delivery-report', pdu });
        break;
      case 'm-read-orig-ind':
        this.readReports.push(pdu);
        this.event({ type: 'read-report', pdu });
        break;
      default:
        this.log?.info({ phone: this.msisdn, type: pdu.messageType }, 'virtual phone: push ignored');
    }
  }

  private track(p: Promise<void>): void {
    this.work.add(p);
    void p.finally(() => this.work.delete(p));
  }

  private fail(step: string, err: unknown): void {
    const error = (err as Error)?.message ?? String(err);
    this.errors.push({ step, error });
    this.log?.warn({ phone: this.msisdn, step, error }, 'virtual phone: MMS step failed');
    this.event({ type: 'error', step, error });
  }

  private event(e: AgentEvent): void {
    this.emit('event', e);
  }

  private async http(method: 'GET' | 'POST', url: string, body?: Uint8Array): Promise<{ status: number; type: string | null; body: Uint8Array }> {
    const headers: Record<string, string> = { [this.header]: this.msisdn };
    if (body) headers['Content-Type'] = MMS_CONTENT_TYPE;
    const res = await fetch(url, { method, headers, ...(body ? { body: Buffer.from(body) } : {}), signal: AbortSignal.timeout(30_000) });
    const buf = new Uint8Array(await res.arrayBuffer());
    return { status: res.status, type: res.headers.get('content-type'), body: buf };
  }
}
