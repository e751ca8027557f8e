// Receiving: stored messages (+CMTI, +CDSI, and whatever is found in the memories at start-up
// or on a poll) are read, handed to the caller, and deleted only after the caller resolved,
// i.e. committed them durably; direct ones (+CMT, +CDS) are handed over and then acknowledged
// with +CNMA when the modem expects it. One message at a time, in arrival order.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { CodecError } from '../../codec/errors.js';
import { decodeSms, fromAtPdu, type SmsMessage } from '../../codec/sms/index.js';
import { parseCmgl, parseCmgr, parsePduHeaderLength, parsePduLine } from './at-parse.js';
import { ModemError } from './errors.js';
import type { Session } from './session.js';
import type { IncomingPdu, IncomingStatusReport } from './types.js';

type Kind = 'sms' | 'report';

export interface InboxDeps {
  log: Logger;
  /** The session to work on, or null when there is none (the job is dropped: a scan finds it later). */
  session(): Session | null;
  imei(): string | null;
  onSms?: (sms: IncomingPdu) => Promise<void>;
  onStatusReport?: (r: IncomingStatusReport) => Promise<void>;
  /** A direct delivery could not be acknowledged in time: the modem may have turned routing off. */
  routingLost(): void;
}

/** Limit of messages one scan reads (a full 255-slot ME memory fits). */
const MAX_SCAN = 512;

export class Inbox {
  private readonly jobs: (() => Promise<void>)[] = [];
  private running = false;
  /** Announced slots: waiting to be read, or being read (then `again` if announced anew meanwhile). */
  private readonly queued = new Map<string, { reading: boolean; again: boolean }>();
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly deps: InboxDeps) {}

  /** A message announced in a memory (+CMTI / +CDSI). */
  stored(memory: string, index: number, kind: Kind): void {
    const key = `${memory}:${index}`;
    const slot = this.queued.get(key);
    if (slot) {
      // Still waiting: the same announcement twice. Being read: the slot may already hold a new
      // message (the modem reuses a slot as soon as +CMGD freed it), so read it once more.
      if (slot.reading) slot.again = true;
      return;
    }
    const state = { reading: false, again: false };
    this.queued.set(key, state);
    this.push(async () => {
      state.reading = true;
      try {
        await this.readStored(memory, index, kind);
      } finally {
        this.queued.delete(key);
        if (state.again) this.stored(memory, index, kind);
      }
    });
  }

  /**
   * A message delivered in a URC (+CMT / +CDS with the PDU line) on session `s`, which gets the
   * acknowledgement (also while it is still being set up).
   */
  direct(kind: Kind, header: string, pduLine: string | null, s: Session): void {
    this.push(async () => {
      let ok = false;
      if (pduLine === null) {
        this.deps.log.warn({ header }, 'modem announced a direct delivery without its PDU line');
      } else {
        let length: number | undefined;
        try {
          length = parsePduHeaderLength(header);
        } catch {
          length = undefined;
        }
        ok = await this.deliver(kind, pduLine, length, null);
      }
      // RP-ACK once committed; RP-ERROR (+CNMA=2) otherwise, so the network tries again later.
      if (!s.closed && s.acknowledge) {
        try {
          await s.at(ok ? 'AT+CNMA' : 'AT+CNMA=2');
        } catch (err) {
          this.deps.log.warn({ err: (err as Error).message }, 'acknowledgement (+CNMA) failed; routing is set again');
          if (err instanceof ModemError && err.code !== 'TIMEOUT' && err.code !== 'PORT_CLOSED') this.deps.routingLost();
          else throw err;
        }
      } else if (!ok && pduLine !== null) {
        this.deps.log.error({ kind }, 'a directly delivered message was not taken by its handler and cannot be asked for again');
      }
    });
  }

  /** Reads every received message left in the memories (start-up, after recovery, on a poll). */
  scan(): Promise<void> {
    return new Promise((resolve) => {
      this.push(async () => {
        try {
          await this.scanNow();
        } finally {
          resolve();
        }
      });
    });
  }

  /** Resolves when no job is queued or running. */
  idle(): Promise<void> {
    if (!this.running && this.jobs.length === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private push(job: () => Promise<void>): void {
    this.jobs.push(job);
    void this.run();
  }

  private async run(): Promise<void> {
    if (this.running) return;
    this.running = true;
    while (this.jobs.length > 0) {
      const job = this.jobs.shift() as () => Promise<void>;
      try {
        await job();
      } catch (err) {
        this.deps.log.debug({ err: (err as Error).message }, 'inbox job stopped (it is picked up again by the next scan)');
      }
    }
    this.running = false;
    const w = this.idleWaiters;
    this.idleWaiters = [];
    for (const r of w) r();
  }

  private async scanNow(): Promise<void> {
    const s = this.deps.session();
    if (!s || s.closed || !s.storage) return;
    const memories = [s.storage.memories[0], ...(s.storage.reportMemory && s.cnmi?.reports === 'store' ? [s.storage.reportMemory] : [])];
    if (!memories.includes(s.storage.memories[2])) memories.push(s.storage.memories[2]);
    for (const memory of memories) {
      await s.useReadMemory(memory);
      const r = await s.at('AT+CMGL=4', { prefixes: ['+CMGL:'], pduLines: true });
      let n = 0;
      for (let i = 0; i < r.lines.length && n < MAX_SCAN; i++) {
        let head: ReturnType<typeof parseCmgl>;
        try {
          head = parseCmgl(r.lines[i]);
        } catch {
          continue;
        }
        const pdu = r.lines[i + 1];
        i++;
        n++;
        if (head.stat !== 'unread' && head.stat !== 'read') continue; // our own stored drafts
        if (pdu === undefined) continue;
        const key = `${memory}:${head.index}`;
        if (this.queued.has(key)) continue;
        const ok = await this.deliver(memory === s.storage.reportMemory ? 'report' : 'sms', pdu, head.length, { memory, index: head.index });
        if (ok) await this.remove(s, memory, head.index);
      }
    }
    if (s.storage.memories[0] !== s.readMemory) await s.useReadMemory(s.storage.memories[0]);
  }

  private async readStored(memory: string, index: number, kind: Kind): Promise<void> {
    const s = this.deps.session();
    if (!s || s.closed) return;
    await s.useReadMemory(memory);
    let r;
    try {
      r = await s.at(`AT+CMGR=${index}`, { prefixes: ['+CMGR:'], pduLines: true });
    } catch (err) {
      if (err instanceof ModemError && err.code === 'CMS_ERROR' && err.value === 321) return; // already gone
      throw err;
    }
    if (r.lines.length < 2) return; // an empty slot answers OK on some modems
    const head = parseCmgr(r.lines[0]);
    const ok = await this.deliver(kind, r.lines[1], head.length, { memory, index });
    if (ok) await this.remove(s, memory, index);
  }

  private async remove(s: Session, memory: string, index: number): Promise<void> {
    await s.useReadMemory(memory);
    await s.at(`AT+CMGD=${index}`);
  }

  /** Decodes and hands over; true once the handler resolved (committed). */
  private async deliver(hint: Kind, line: string, length: number | undefined, storage: IncomingPdu['storage']): Promise<boolean> {
    const log = this.deps.log;
    let hex: string;
    try {
      hex = parsePduLine(line);
    } catch (err) {
      log.warn({ line: line.slice(0, 80), storage }, 'stored message is not a PDU line; left in place');
      void err;
      return false;
    }
    let pdu: Uint8Array = Uint8Array.from(Buffer.from(hex, 'hex'));
    let message: SmsMessage | null = null;
    let error: CodecError | null = null;
    try {
      pdu = fromAtPdu(hex, length).pdu;
      message = decodeSms(pdu, { direction: 'MT', lenient: true });
    } catch (err) {
      if (!(err instanceof CodecError)) throw err;
      error = err;
    }
    const kind: Kind = message ? (message.tpdu.type === 'SMS-STATUS-REPORT' ? 'report' : 'sms') : hint;
    const base: IncomingPdu = {
      modem: this.deps.imei(), pdu, hex, message, error, storage, receivedAt: new Date(),
      key: createHash('sha256').update(hex).digest('hex'),
    };
    try {
      if (kind === 'report') {
        if (!this.deps.onStatusReport) {
          log.warn({ storage }, 'status report received but no handler is set; left in place');
          return false;
        }
        const report = message?.tpdu.type === 'SMS-STATUS-REPORT' ? message.tpdu : null;
        await this.deps.onStatusReport({ ...base, report });
      } else {
        if (!this.deps.onSms) {
          log.warn({ storage }, 'SMS received but no handler is set; left in place');
          return false;
        }
        await this.deps.onSms(base);
      }
      return true;
    } catch (err) {
      log.error({ err, storage }, 'handler did not take a received message; it stays in the modem and is offered again');
      return false;
    }
  }
}
