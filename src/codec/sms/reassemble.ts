// Reassembly of concatenated short messages (23.040 §9.2.3.24.1). Pure bookkeeping: parts are
// grouped by sender (or recipient, for SMS-SUBMIT) + reference + total, in any order, duplicates
// ignored. No timers: the caller passes the time, and asks for what has waited too long.
import { CodecError } from '../errors.js';
import type { SmsAddress, SmsConcat, SmsDeliverTpdu, SmsMessage, SmsPorts, SmsSubmitTpdu, SmsTpdu } from './types.js';

type Part = SmsDeliverTpdu | SmsSubmitTpdu;

/** A whole message: its parts in order, and their text or data joined. */
export interface ReassembledSms {
  /** Originator of an SMS-DELIVER, destination of an SMS-SUBMIT. */
  address: SmsAddress;
  /** Null for a message that came in one part. */
  concat: Omit<SmsConcat, 'seq'> | null;
  ports: SmsPorts | null;
  parts: Part[];
  /** Joined text when every part carries text. */
  text?: string;
  /** Joined octets when every part carries data. */
  data?: Uint8Array;
  firstAt: number;
  lastAt: number;
}

/** A message still missing parts. */
export interface IncompleteSms {
  address: SmsAddress;
  concat: Omit<SmsConcat, 'seq'>;
  ports: SmsPorts | null;
  /** By sequence number - 1; null where the part has not arrived. */
  parts: (Part | null)[];
  /** Sequence numbers not received. */
  missing: number[];
  firstAt: number;
  lastAt: number;
}

interface Group {
  address: SmsAddress;
  concat: Omit<SmsConcat, 'seq'>;
  parts: (Part | null)[];
  received: number;
  firstAt: number;
  lastAt: number;
}

export interface ReassemblerOptions {
  /** Incomplete messages kept at most; beyond, the oldest is evicted (and returned by expire). Default 1024. */
  maxPending?: number;
}

function join(parts: Part[]): { text?: string; data?: Uint8Array } {
  if (parts.every((p) => p.text !== undefined)) return { text: parts.map((p) => p.text).join('') };
  if (parts.every((p) => p.data !== undefined)) {
    const n = parts.reduce((s, p) => s + (p.data as Uint8Array).length, 0);
    const out = new Uint8Array(n);
    let at = 0;
    for (const p of parts) {
      out.set(p.data as Uint8Array, at);
      at += (p.data as Uint8Array).length;
    }
    return { data: out };
  }
  return {};
}

function portsOf(parts: (Part | null)[]): SmsPorts | null {
  for (const p of parts) if (p?.udh?.ports) return p.udh.ports;
  return null;
}

export class Reassembler {
  private readonly groups = new Map<string, Group>();
  private evicted: Group[] = [];
  private readonly maxPending: number;

  constructor(opts: ReassemblerOptions = {}) {
    this.maxPending = Math.max(1, opts.maxPending ?? 1024);
  }

  /** Incomplete messages held. */
  get pending(): number {
    return this.groups.size;
  }

  /**
   * Adds a decoded part received at time `at` (any unit, e.g. ms). Returns the whole message
   * when this part completes it (at once for a message without concatenation), else null.
   */
  add(input: SmsMessage | SmsTpdu, at: number): ReassembledSms | null {
    const tpdu = 'tpdu' in input ? input.tpdu : input;
    if (tpdu.type !== 'SMS-DELIVER' && tpdu.type !== 'SMS-SUBMIT') {
      throw new CodecError('BAD_TYPE', 'TP-MTI/first octet', -1, `${tpdu.type} is not reassembled`);
    }
    const address = tpdu.type === 'SMS-DELIVER' ? tpdu.originator : tpdu.destination;
    const c = tpdu.udh?.concat ?? null;
    if (c === null || c.total === 1) {
      const parts = [tpdu];
      return {
        address,
        concat: c === null ? null : { ref: c.ref, total: 1, refBits: c.refBits },
        ports: tpdu.udh?.ports ?? null,
        parts,
        ...join(parts),
        firstAt: at,
        lastAt: at,
      };
    }
    const key = `${address.ton}:${address.number}|${c.refBits}:${c.ref}|${c.total}`;
    let g = this.groups.get(key);
    if (g === undefined) {
      if (this.groups.size >= this.maxPending) {
        const [oldest, og] = this.groups.entries().next().value as [string, Group];
        this.groups.delete(oldest);
        this.evicted.push(og);
      }
      g = {
        address, concat: { ref: c.ref, total: c.total, refBits: c.refBits },
        parts: new Array<Part | null>(c.total).fill(null), received: 0, firstAt: at, lastAt: at,
      };
      this.groups.set(key, g);
    }
    if (g.parts[c.seq - 1] !== null) return null; // duplicate
    g.parts[c.seq - 1] = tpdu;
    g.received++;
    g.lastAt = Math.max(g.lastAt, at);
    g.firstAt = Math.min(g.firstAt, at);
    if (g.received < c.total) return null;
    this.groups.delete(key);
    const parts = g.parts as Part[];
    return { address: g.address, concat: g.concat, ports: portsOf(parts), parts, ...join(parts), firstAt: g.firstAt, lastAt: g.lastAt };
  }

  private view(g: Group): IncompleteSms {
    const missing: number[] = [];
    g.parts.forEach((p, i) => {
      if (p === null) missing.push(i + 1);
    });
    return {
      address: g.address, concat: g.concat, ports: portsOf(g.parts), parts: g.parts.slice(), missing,
      firstAt: g.firstAt, lastAt: g.lastAt,
    };
  }

  /** Incomplete messages whose first part arrived at or before `now - maxAge`, oldest first (kept). */
  stale(now: number, maxAge: number): IncompleteSms[] {
    const out: IncompleteSms[] = [];
    for (const g of this.groups.values()) if (g.firstAt <= now - maxAge) out.push(this.view(g));
    return out.sort((a, b) => a.firstAt - b.firstAt);
  }

  /** Removes and returns the stale messages (see stale) and any evicted for room. */
  expire(now: number, maxAge: number): IncompleteSms[] {
    const out = this.evicted.map((g) => this.view(g));
    this.evicted = [];
    for (const [k, g] of this.groups) {
      if (g.firstAt <= now - maxAge) {
        out.push(this.view(g));
        this.groups.delete(k);
      }
    }
    return out.sort((a, b) => a.firstAt - b.firstAt);
  }
}
