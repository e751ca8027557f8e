// Incoming short messages: whole ones are handed over at once; parts of a concatenated one
// (UDH or SAR TLVs) wait for the rest, in any order. A deliver_sm is answered only once the
// listener has taken what it carries, so an SMSC whose ESME crashed delivers it again.
//
// Two limits on holding answers back: a part of a message still incomplete is answered after
// `partHoldMs` (SMSCs with a window of one send the next part only after the answer, and give
// up on a missing answer after some tens of seconds), and a message whose parts stop coming is
// handed over incomplete after `timeoutMs`, naming what is missing.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { IncomingSms } from '../../relay/bearer.js';
import type { SmppAddress } from './sm-body.js';

export interface InboundPart {
  source: SmppAddress;
  destination: SmppAddress;
  concat: { ref: number; total: number; seq: number; refBits: 8 | 16 } | null;
  ports: { dest: number; src: number } | null;
  text?: string;
  data?: Uint8Array;
  /** Answers the deliver_sm / data_sm that carried the part (0: taken). */
  answer(status: number): void;
}

export interface InboundOptions {
  /** Resolves once the message is taken durably; rejects (or throws) when it is not. */
  hand(sms: IncomingSms): Promise<void>;
  via: string;
  partHoldMs: number;
  timeoutMs: number;
  log: Logger;
  now?: () => number;
  /** Incomplete messages held at once; the oldest is handed over incomplete beyond. Default 256. */
  maxPending?: number;
}

/** The answer when the listener did not take a message: "try again later" (§5.1.3). */
export const ESME_RX_T_APPN = 0x64;

interface Piece {
  text?: string;
  data?: Uint8Array;
}

interface Held {
  answer(status: number): void;
  timer: NodeJS.Timeout | null;
}

interface Group {
  key: string;
  id: string | null;
  part: InboundPart;
  pieces: (Piece | null)[];
  received: number;
  firstAt: number;
  lastAt: number;
  held: Held[];
  handing: boolean;
  /** Parts that came while the group was being handed over incomplete. */
  after: InboundPart[];
}

const sameContent = (a: Piece, b: Piece): boolean =>
  a.text !== undefined ? a.text === b.text : a.data !== undefined && b.data !== undefined && Buffer.compare(a.data, b.data) === 0;

/** "+4790000001" for international numbers, the address as carried otherwise. */
export function formatSmppAddress(a: SmppAddress): string {
  return a.ton === 1 && /^[0-9]+$/.test(a.addr) ? `+${a.addr}` : a.addr;
}

export class Inbound {
  private readonly groups = new Map<string, Group>();
  /** Whole messages being handed over, by content: a redelivery meanwhile joins the first. */
  private readonly inflight = new Map<string, Held[]>();
  /** Concatenated messages recently taken: a late duplicate part is answered, not started anew. */
  private readonly done = new Map<string, { at: number; pieces: Piece[] }>();
  private readonly busy = new Set<Promise<void>>();
  private readonly now: () => number;
  private readonly maxPending: number;
  private closed = false;

  constructor(private readonly o: InboundOptions) {
    this.now = o.now ?? Date.now;
    this.maxPending = o.maxPending ?? 256;
  }

  /** Messages waiting for parts. */
  get pending(): number {
    return this.groups.size;
  }

  add(part: InboundPart): void {
    if (this.closed) return; // not answered: the SMSC delivers it again on the next bind
    const c = part.concat;
    if (c === null || c.total === 1) {
      this.whole(part);
      return;
    }
    const at = this.now();
    const key = `${part.source.ton}:${part.source.addr}|${part.destination.addr}|${c.refBits}:${c.ref}|${c.total}`;
    const piece: Piece = part.text !== undefined ? { text: part.text } : { data: part.data ?? new Uint8Array(0) };
    const recent = this.done.get(key);
    if (recent) {
      if (at - recent.at <= this.o.timeoutMs && recent.pieces[c.seq - 1] && sameContent(recent.pieces[c.seq - 1], piece)) {
        this.o.log.info({ key, seq: c.seq }, 'part of a message already taken came again; answered');
        part.answer(0);
        return;
      }
      this.done.delete(key);
    }
    let g = this.groups.get(key);
    if (!g) {
      if (this.groups.size >= this.maxPending) this.evictOldest();
      g = { key, id: null, part, pieces: new Array<Piece | null>(c.total).fill(null), received: 0, firstAt: at, lastAt: at, held: [], handing: false, after: [] };
      this.groups.set(key, g);
    }
    g.lastAt = at;
    const fresh = g.pieces[c.seq - 1] === null;
    if (g.handing && fresh) {
      // a missing part arriving while the rest is handed over incomplete: it starts anew after
      g.after.push(part);
      return;
    }
    if (fresh) {
      g.pieces[c.seq - 1] = piece;
      g.received++;
      if (part.ports && !g.part.ports) g.part = part;
    }
    const held: Held = { answer: (s) => part.answer(s), timer: null };
    g.held.push(held);
    if (g.handing) return; // a duplicate: answered with the outcome of the handover in progress
    if (g.received === c.total) {
      this.track(this.handGroup(g, false));
      return;
    }
    const group = g;
    held.timer = setTimeout(() => {
      const i = group.held.indexOf(held);
      if (i < 0) return;
      group.held.splice(i, 1);
      this.o.log.info({ key, seq: c.seq, of: c.total, heldMs: this.o.partHoldMs }, 'part answered before its message is complete (the SMSC would stop waiting)');
      part.answer(0);
    }, this.o.partHoldMs);
    held.timer.unref?.();
  }

  /** Hands over the messages whose parts stopped coming `timeoutMs` ago, incomplete. */
  async sweep(): Promise<void> {
    const limit = this.now() - this.o.timeoutMs;
    const stale = [...this.groups.values()].filter((g) => !g.handing && g.firstAt <= limit);
    await Promise.all(stale.map((g) => this.track(this.handGroup(g, true))));
  }

  /** Resolves when no handover is in progress. */
  async idle(): Promise<void> {
    while (this.busy.size > 0) await Promise.allSettled([...this.busy]);
  }

  /** Stops: nothing more is answered; held parts are delivered again by the SMSC. */
  close(): void {
    this.closed = true;
    for (const g of this.groups.values()) for (const h of g.held) if (h.timer) clearTimeout(h.timer);
    this.groups.clear();
  }

  private track(p: Promise<void>): Promise<void> {
    this.busy.add(p);
    void p.finally(() => this.busy.delete(p));
    return p;
  }

  private evictOldest(): void {
    const oldest = [...this.groups.values()].find((g) => !g.handing);
    if (oldest) {
      this.o.log.warn({ key: oldest.key, pending: this.groups.size }, 'too many incomplete messages: the oldest is handed over as it is');
      this.track(this.handGroup(oldest, true));
    }
  }

  private whole(part: InboundPart): void {
    const content = part.text !== undefined ? `t:${part.text}` : `d:${Buffer.from(part.data ?? []).toString('hex')}`;
    const key = `${part.source.ton}:${part.source.addr}|${part.destination.addr}|${content}`;
    const joined = this.inflight.get(key);
    const held: Held = { answer: (s) => part.answer(s), timer: null };
    if (joined) {
      joined.push(held);
      return;
    }
    const list = [held];
    this.inflight.set(key, list);
    const at = this.now();
    const sms = this.message(part, [part.text !== undefined ? { text: part.text } : { data: part.data ?? new Uint8Array(0) }], [], at, at, null);
    this.track(
      this.handOver(sms).then((ok) => {
        this.inflight.delete(key);
        for (const h of list) h.answer(ok ? 0 : ESME_RX_T_APPN);
      }),
    );
  }

  private async handGroup(g: Group, incomplete: boolean): Promise<void> {
    g.handing = true;
    for (const h of g.held) if (h.timer) clearTimeout(h.timer);
    const missing: number[] = [];
    g.pieces.forEach((p, i) => {
      if (p === null) missing.push(i + 1);
    });
    const present = g.pieces.filter((p): p is Piece => p !== null);
    const sms = this.message(g.part, present, incomplete ? missing : [], g.firstAt, g.lastAt, g.id);
    g.id = sms.id;
    const ok = await this.handOver(sms);
    g.handing = false;
    const held = g.held;
    g.held = [];
    if (ok) {
      if (this.groups.get(g.key) === g) this.groups.delete(g.key);
      this.done.set(g.key, { at: this.now(), pieces: g.pieces.map((p) => p ?? {}) });
      this.trimDone();
    }
    // Not taken: the SMSC delivers the unanswered parts again, which completes the group again.
    for (const h of held) h.answer(ok ? 0 : ESME_RX_T_APPN);
    const after = g.after;
    g.after = [];
    for (const p of after) this.add(p);
  }

  private trimDone(): void {
    const limit = this.now() - this.o.timeoutMs;
    for (const [k, v] of this.done) {
      if (this.done.size <= 1024 && v.at > limit) break;
      this.done.delete(k);
    }
  }

  private async handOver(sms: IncomingSms): Promise<boolean> {
    try {
      await this.o.hand(sms);
      return true;
    } catch (err) {
      this.o.log.warn({ err, id: sms.id, from: sms.from }, 'incoming SMS not taken; the SMSC is asked to deliver it again');
      return false;
    }
  }

  private message(part: InboundPart, pieces: Piece[], missing: number[], firstAt: number, lastAt: number, id: string | null): IncomingSms {
    const from = formatSmppAddress(part.source);
    const to = formatSmppAddress(part.destination);
    const sms: IncomingSms = { id: '', from, sentAt: firstAt, receivedAt: lastAt, via: this.o.via };
    if (to) sms.to = to;
    if (pieces.every((p) => p.text !== undefined)) {
      sms.text = pieces.map((p) => p.text).join('');
    } else {
      sms.data = Buffer.concat(pieces.map((p) => (p.data ? p.data : Buffer.from(p.text ?? '', 'utf8'))));
    }
    if (part.ports) sms.ports = { dest: part.ports.dest, src: part.ports.src };
    if (missing.length) sms.missingParts = missing;
    // Stable for this reception (a retried handover of the same message reuses it); two
    // identical texts sent a minute apart are still two messages.
    sms.id = id ?? `smpp-${createHash('sha256').update(`${from}|${to}|${firstAt}|${part.concat?.ref ?? ''}|${sms.text ?? ''}|${sms.data ? Buffer.from(sms.data).toString('hex') : ''}`).digest('hex').slice(0, 24)}`;
    return sms;
  }
}
