// A virtual handset on the virtual network: it shows what it received (every SMS-DELIVER
// decoded, and whole messages once their parts are in) and can send text or data to a modem.
import {
  Reassembler, parseAddress, segmentBinary, segmentText,
  type ReassembledSms, type SmsDeliverTpdu, type SmsStatusReportTpdu,
} from '../../codec/sms/index.js';
import type { NetworkPdu, Subscriber, VirtualNetwork } from './network.js';

export interface PhoneSendOptions {
  /** Ask for a status report (TP-SRR). */
  statusReport?: boolean;
}

export class VirtualPhone implements Subscriber {
  /** Every SMS-DELIVER taken, in order (segments and duplicates included). */
  readonly received: SmsDeliverTpdu[] = [];
  /** Whole messages, once all their parts arrived (duplicate parts are not counted twice). */
  readonly inbox: ReassembledSms[] = [];
  /** Status reports for what this phone sent. */
  readonly reports: SmsStatusReportTpdu[] = [];
  /** Switched off or out of coverage: the SMSC keeps messages and retries. */
  online = true;
  private readonly reassembler = new Reassembler();
  private mr = 0;
  private ref = 0;
  private waiters: { n: number; resolve: () => void }[] = [];
  private readonly listeners = new Set<(m: ReassembledSms) => void>();

  constructor(readonly network: VirtualNetwork, readonly msisdn: string) {
    network.attach(this);
  }

  async receive(pdu: NetworkPdu): Promise<boolean> {
    if (!this.online) return false;
    const t = pdu.message.tpdu;
    if (t.type === 'SMS-STATUS-REPORT') {
      this.reports.push(t);
      return true;
    }
    if (t.type !== 'SMS-DELIVER') return true;
    this.received.push(t);
    const whole = this.reassembler.add(t, Date.now());
    if (whole) {
      this.inbox.push(whole);
      for (const l of this.listeners) {
        try {
          l(whole);
        } catch {
          // a listener's trouble is its own (the handset still took the SMS)
        }
      }
      // After the network has recorded this delivery (it does so once we return).
      setImmediate(() => this.wake());
    }
    return true;
  }

  /** Hears every whole message as it completes (an MMS user agent listens for WAP push here). */
  onMessage(fn: (m: ReassembledSms) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Resolves once the inbox holds at least `n` whole messages. */
  waitForInbox(n: number): Promise<ReassembledSms[]> {
    if (this.inbox.length >= n) return Promise.resolve(this.inbox);
    return new Promise((resolve) => this.waiters.push({ n, resolve: () => resolve(this.inbox) }));
  }

  /** Sends a text (segmented as the codec decides) to `to`; resolves when the SMSC took every part. */
  async sendText(to: string, text: string, opts: PhoneSendOptions = {}): Promise<void> {
    const parts = segmentText(text, {
      destination: parseAddress(to), ref: this.ref++ & 0xff, statusReportRequest: opts.statusReport === true,
    });
    await this.submitAll(parts);
  }

  /** Sends octets (8-bit data, application ports when given) to `to`. */
  async sendData(to: string, data: Uint8Array, opts: PhoneSendOptions & { destPort?: number; srcPort?: number } = {}): Promise<void> {
    const parts = segmentBinary(data, {
      destination: parseAddress(to), ref: this.ref++ & 0xff, statusReportRequest: opts.statusReport === true,
      ...(opts.destPort !== undefined ? { destPort: opts.destPort, srcPort: opts.srcPort ?? 0 } : {}),
    });
    await this.submitAll(parts);
  }

  private async submitAll(parts: ReturnType<typeof segmentText>): Promise<void> {
    for (const p of parts) {
      const mr = this.mr++ & 0xff;
      const r = await this.network.submit(this, { ...p, mr }, mr);
      if (!r.ok) throw new Error(`virtual SMSC refused the SMS from ${this.msisdn} (RP-cause ${r.cause})`);
    }
  }

  private wake(): void {
    const ready = this.waiters.filter((w) => this.inbox.length >= w.n);
    this.waiters = this.waiters.filter((w) => this.inbox.length < w.n);
    for (const w of ready) w.resolve();
  }
}
