// SMS phones send to the pool's numbers. Every part is committed to LMDB before the modem
// driver deletes it from the SIM; concatenated parts (8- or 16-bit reference, any order,
// duplicates) are joined there, and a message still missing parts after `timeoutMs` is handed
// over with what arrived and `missingParts`. Whole messages wait in LMDB until the relay's
// listener resolved (took them durably); after a restart they are handed over again.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { decodeSms, formatAddress, timestampToDate, type SmsDeliverTpdu } from '../../codec/sms/index.js';
import type { IncomingSms } from '../../relay/bearer.js';
import type { Store } from '../../store/store.js';
import type { PoolPart } from '../../store/types.js';
import type { IncomingPdu } from '../modem/types.js';

export type IncomingListener = (sms: IncomingSms) => Promise<void>;

export interface IncomingOptions {
  store: Store;
  log: Logger;
  /** Parts of a message missing this long after its first part: deliver what arrived. */
  timeoutMs: number;
  now: () => number;
  /** How long a taken PDU is remembered (a copy read again from the SIM is ignored). Default 2 x timeout, at least a day. */
  seenMs?: number;
  /** Wait before handing a message again after the listener failed. Default 5 s. */
  retryMs?: number;
}

/** Reassembly groups: parts from one sender to one modem with one reference and count. */
function groupKey(modem: string, d: SmsDeliverTpdu): string {
  const c = d.udh?.concat;
  return `${modem}|${formatAddress(d.originator)}|${c?.refBits}:${c?.ref}|${c?.total}`;
}

/** Joins the parts' text (GSM 7-bit, UCS-2) or octets, in order. */
function join(parts: SmsDeliverTpdu[]): { text?: string; data?: Uint8Array } {
  if (parts.every((p) => p.text !== undefined)) return { text: parts.map((p) => p.text).join('') };
  const chunks = parts.map((p) => p.data ?? new TextEncoder().encode(p.text ?? ''));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return { data: out };
}

export class IncomingBook {
  private readonly store: Store;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly seenMs: number;
  private readonly retryMs: number;
  private listener: IncomingListener | null = null;
  private pumping: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(private readonly o: IncomingOptions) {
    this.store = o.store;
    this.log = o.log;
    this.now = o.now;
    this.seenMs = o.seenMs ?? Math.max(2 * o.timeoutMs, 86_400_000);
    this.retryMs = o.retryMs ?? 5_000;
  }

  /** Where whole messages go; those waiting (from before a restart too) are handed over now. */
  listen(fn: IncomingListener): void {
    this.listener = fn;
    this.pump();
  }

  /** Looks at what a previous run left: timed-out groups, messages not handed over. */
  start(): void {
    this.arm();
    this.pump();
  }

  /**
   * A modem's onSms: resolves once the PDU is durable (whole message, or part) or known to be
   * taken already; the driver then deletes it from the SIM.
   */
  async take(modem: string, ourNumber: string | undefined, sms: IncomingPdu): Promise<void> {
    const t = sms.message?.tpdu;
    if (!t || t.type !== 'SMS-DELIVER') {
      // Undecodable, or not a message (nothing to hand over): logged with its bytes, then let go,
      // so that it does not fill the SIM nor come back on every scan.
      this.log.warn({ modem, hex: sms.hex, error: sms.error?.message, type: t?.type }, 'received PDU is not a readable SMS-DELIVER; dropped');
      return;
    }
    const now = this.now();
    const added = await this.store.tx(() => {
      if (this.store.poolSeen.get(sms.key) !== undefined) return 'seen' as const;
      this.store.poolSeen.putSync(sms.key, now + this.seenMs);
      const c = t.udh?.concat;
      if (!c || c.total <= 1) {
        this.store.poolInbox.putSync(...this.whole(modem, ourNumber, [{ tpdu: t, key: sms.key, receivedAt: now }], null, now));
        return 'whole' as const;
      }
      const group = groupKey(modem, t);
      const here = this.store.poolParts.get([group, c.seq]);
      if (here && here.key !== sms.key) {
        // Same sender, reference and number but another text: the old group is a message whose
        // other parts never came. Hand it over as it is and start again with this part.
        this.flush(group, ourNumber, now);
      }
      const part: PoolPart = { pdu: sms.pdu, key: sms.key, modem, receivedAt: now };
      this.store.poolParts.putSync([group, c.seq], part);
      const parts = this.partsOf(group);
      if (parts.length < c.total) return 'part' as const;
      this.flush(group, ourNumber, now);
      return 'whole' as const;
    });
    if (added === 'whole') this.pump();
    if (added === 'part') this.arm();
  }

  /** Delivers the groups that waited longer than the timeout, with the parts they have. */
  async sweep(): Promise<number> {
    const now = this.now();
    const late = new Set<string>();
    for (const { key, value } of this.store.poolParts.getRange()) {
      if (value.receivedAt <= now - this.o.timeoutMs) late.add(key[0]);
    }
    if (late.size) {
      await this.store.tx(() => late.forEach((g) => this.flush(g, undefined, now)));
      this.log.info({ messages: late.size }, 'incomplete concatenated SMS delivered after the reassembly timeout');
      this.pump();
    }
    const seenLimit = now;
    const forget: string[] = [];
    for (const { key, value } of this.store.poolSeen.getRange()) if (value <= seenLimit) forget.push(key);
    if (forget.length) await this.store.tx(() => forget.forEach((k) => this.store.poolSeen.removeSync(k)));
    this.arm();
    return late.size;
  }

  /** The clock stepped and the parts' times moved with it: the timer is set again from them. */
  rearm(): void {
    this.arm();
  }

  /** Stops the timers; what is stored stays for the next start. */
  close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.timer = this.retryTimer = null;
    return this.pumping ?? Promise.resolve();
  }

  // --------------------------------------------------------------------------------------------

  private partsOf(group: string): { seq: number; part: PoolPart }[] {
    return [...this.store.poolParts.getRange({ start: [group, 0], end: [group, 256] })].map(({ key, value }) => ({ seq: key[1], part: value }));
  }

  /** Inside a transaction: turns a group into one message (missing parts noted) and removes it. */
  private flush(group: string, ourNumber: string | undefined, now: number): void {
    const parts = this.partsOf(group);
    if (parts.length === 0) return;
    const decoded: { tpdu: SmsDeliverTpdu; key: string; receivedAt: number }[] = [];
    for (const { part } of parts) {
      const m = decodeSms(part.pdu, { direction: 'MT', lenient: true });
      if (m.tpdu.type === 'SMS-DELIVER') decoded.push({ tpdu: m.tpdu, key: part.key, receivedAt: part.receivedAt });
    }
    const total = decoded[0]?.tpdu.udh?.concat?.total ?? parts.length;
    const have = new Set(parts.map((p) => p.seq));
    const missing: number[] = [];
    for (let s = 1; s <= total; s++) if (!have.has(s)) missing.push(s);
    if (decoded.length) this.store.poolInbox.putSync(...this.whole(parts[0].part.modem, ourNumber, decoded, missing.length ? missing : null, now));
    for (const { seq } of parts) this.store.poolParts.removeSync([group, seq]);
  }

  private whole(
    modem: string, ourNumber: string | undefined, parts: { tpdu: SmsDeliverTpdu; key: string; receivedAt: number }[], missing: number[] | null, now: number,
  ): [string, IncomingSms] {
    const first = parts[0].tpdu;
    const ports = parts.find((p) => p.tpdu.udh?.ports)?.tpdu.udh?.ports ?? null;
    const hash = createHash('sha256').update(parts.map((p) => p.key).join('|')).digest('hex').slice(0, 20);
    // Time-ordered ids: the inbox is handed over in order of arrival.
    const id = `${now.toString(36).padStart(9, '0')}-${hash}`;
    const sms: IncomingSms = {
      id,
      from: formatAddress(first.originator),
      sentAt: timestampToDate(first.scts).getTime(),
      receivedAt: Math.min(...parts.map((p) => p.receivedAt)),
      via: modem,
      ...join(parts.map((p) => p.tpdu)),
    };
    if (ourNumber) sms.to = ourNumber;
    if (ports) sms.ports = { dest: ports.dest, src: ports.src };
    if (missing) sms.missingParts = missing;
    return [id, sms];
  }

  /** Hands the stored messages to the listener, one at a time, oldest first. */
  private pump(): void {
    if (!this.listener || this.closed) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = (async () => {
      do {
        this.again = false;
        for (;;) {
          const batch = [...this.store.poolInbox.getRange({ limit: 64 })];
          if (batch.length === 0) break;
          for (const { key, value } of batch) {
            if (this.closed || !this.listener) return;
            try {
              await this.listener(value);
            } catch (err) {
              this.log.warn({ err: (err as Error).message, id: key }, 'the relay did not take a received SMS; handed over again later');
              this.retryLater();
              return;
            }
            await this.store.tx(() => this.store.poolInbox.removeSync(key));
          }
        }
      } while (this.again && !this.closed);
    })()
      .catch((err: unknown) => {
        // the relay took it but its removal here was not written (a full disk): handed over
        // again later, which the relay's inbox takes as the same SMS (by its id)
        this.log.warn({ err: (err as Error).message }, 'handing over received SMS failed; tried again later');
        this.retryLater();
      })
      .finally(() => {
        this.pumping = null;
        if (this.again && !this.closed) this.pump(); // asked for while finishing
      });
  }

  private retryLater(): void {
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.pump();
    }, this.retryMs);
    this.retryTimer.unref?.();
  }

  /** A timer for the first group to time out. */
  private arm(): void {
    if (this.closed) return;
    let first = Infinity;
    for (const { value } of this.store.poolParts.getRange()) first = Math.min(first, value.receivedAt);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (first === Infinity) return;
    const wait = Math.max(0, first + this.o.timeoutMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.sweep().catch((err: unknown) => this.log.error({ err }, 'reassembly sweep failed'));
    }, Math.min(wait, 2 ** 31 - 1));
    this.timer.unref?.();
  }
}
