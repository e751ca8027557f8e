// A scripted SMSC for the SMPP bearer's tests: npm smpp's own server on 127.0.0.1, answering
// binds (checking system_id and password), submit_sm (as the test says: a message_id, an error
// status, or no answer at all), enquire_link and unbind, and sending deliver_sm on request.
// Every PDU received is kept, decoded by npm smpp and as the raw frame the bearer wrote (taken
// from the socket as npm smpp reads it), so tests check bytes, not our own reading of them.
import type { AddressInfo } from 'node:net';
import smpp, { type PDU, type Server, type Session } from 'smpp';

export interface Received {
  pdu: PDU;
  /** The whole PDU as received (header included). */
  raw: Buffer;
  at: number;
  session: Session;
}

export interface Submitted extends Received {
  /** short_message as sent: the octets after sm_length. */
  shortMessage: Buffer;
  /** Its UDH (UDHL included) when esm_class has UDHI, and what follows. */
  udh: Buffer | null;
  payload: Buffer;
  /** The message_id answered, when accepted. */
  messageId?: string;
}

/** What to answer a submit_sm with: a status (0 = accepted), an explicit message id, or silence. */
export type SubmitAnswer = { status: number; messageId?: string } | 'silence';

export interface SmscOptions {
  systemId?: string;
  password?: string;
  /** Message ids in submit_sm_resp: hex (default, like many SMSCs) or decimal. */
  idFormat?: 'hex' | 'dec';
}

/** Splits a submit_sm frame: the short_message sits after sm_length, before any TLV. */
export function shortMessageOfFrame(raw: Buffer): Buffer {
  let p = 16;
  const cstring = (): void => {
    while (raw[p] !== 0) p++;
    p++;
  };
  cstring(); // service_type
  p += 2;
  cstring(); // source_addr
  p += 2;
  cstring(); // destination_addr
  p += 3; // esm_class, protocol_id, priority_flag
  cstring(); // schedule_delivery_time
  cstring(); // validity_period
  p += 4; // registered_delivery, replace_if_present_flag, data_coding, sm_default_msg_id
  const len = raw[p];
  return raw.subarray(p + 1, p + 1 + len);
}

/** Concatenation reference, part count and part number (1-based) of a submit_sm, from its UDH; null without one. */
export function concatOf(s: Submitted): { ref: number; total: number; seq: number } | null {
  const udh = s.udh;
  const at = udh ? udh.indexOf(Buffer.from([0x00, 0x03]), 1) : -1;
  return udh && at > 0 ? { ref: udh[at + 2], total: udh[at + 3], seq: udh[at + 4] } : null;
}

/** A delivery receipt's text in the form of SMPP 3.4 Appendix B. */
export const receiptText = (id: string, stat: string, err = '000'): Buffer =>
  Buffer.from(`id:${id} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:2611221830 done date:2611221831 stat:${stat} err:${err} text:`, 'latin1');

export class ScriptedSmsc {
  readonly server: Server;
  port = 0;
  readonly received: Received[] = [];
  readonly submits: Submitted[] = [];
  readonly binds: { systemId: string; password: string; systemType: string; interfaceVersion: number; accepted: boolean }[] = [];
  /** Bound sessions (closed ones are removed). */
  readonly sessions = new Set<Session>();
  /** How each submit_sm is answered (called in arrival order). */
  onSubmit: (s: Submitted) => SubmitAnswer = () => ({ status: 0 });
  answerEnquireLink = true;
  private nextId = 0x1000;
  private waiters: (() => void)[] = [];

  constructor(private readonly opts: SmscOptions = {}) {
    this.server = smpp.createServer((session) => this.session(session));
  }

  static async start(opts: SmscOptions = {}, port = 0): Promise<ScriptedSmsc> {
    const s = new ScriptedSmsc(opts);
    await s.listen(port);
    return s;
  }

  async listen(port = 0): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', () => resolve()));
    this.port = (this.server.address() as AddressInfo).port;
  }

  private session(session: Session): void {
    // npm smpp reads with socket.read(); 'data' then carries each chunk it took, in order.
    const chunks: Buffer[] = [];
    let have = 0;
    const frames: Buffer[] = [];
    session.socket.on('data', (c: Buffer) => {
      chunks.push(c);
      have += c.length;
      for (;;) {
        const all = Buffer.concat(chunks, have);
        if (all.length < 4 || all.length < all.readUInt32BE(0)) break;
        const n = all.readUInt32BE(0);
        frames.push(all.subarray(0, n));
        chunks.length = 0;
        if (all.length > n) chunks.push(all.subarray(n));
        have = all.length - n;
      }
    });
    session.on('close', () => this.sessions.delete(session));
    session.on('error', () => this.sessions.delete(session));
    session.on('pdu', (pdu: PDU) => {
      const raw = frames.shift() ?? Buffer.alloc(0);
      const r: Received = { pdu, raw, at: Date.now(), session };
      this.received.push(r);
      this.handle(r);
      this.notify();
    });
  }

  private handle(r: Received): void {
    const { pdu, session } = r;
    switch (pdu.command) {
      case 'bind_transceiver': {
        const b = {
          systemId: String(pdu.system_id), password: String(pdu.password), systemType: String(pdu.system_type),
          interfaceVersion: Number(pdu.interface_version), accepted: false,
        };
        if (this.opts.systemId !== undefined && b.systemId !== this.opts.systemId) {
          session.send(pdu.response({ command_status: smpp.errors.ESME_RINVSYSID }));
        } else if (this.opts.password !== undefined && b.password !== this.opts.password) {
          session.send(pdu.response({ command_status: smpp.errors.ESME_RINVPASWD }));
        } else {
          b.accepted = true;
          this.sessions.add(session);
          session.send(pdu.response({ system_id: 'TESTSMSC' }));
        }
        this.binds.push(b);
        return;
      }
      case 'submit_sm': {
        const sm = shortMessageOfFrame(r.raw);
        const udhi = (Number(pdu.esm_class) & 0x40) !== 0;
        const udh = udhi ? sm.subarray(0, sm[0] + 1) : null;
        const s: Submitted = { ...r, shortMessage: sm, udh, payload: udh ? sm.subarray(udh.length) : sm };
        this.submits.push(s);
        const answer = this.onSubmit(s);
        if (answer === 'silence') return;
        if (answer.status !== 0) {
          session.send(pdu.response({ command_status: answer.status }));
          return;
        }
        const n = this.nextId++;
        const id = answer.messageId ?? (this.opts.idFormat === 'dec' ? String(n) : n.toString(16));
        s.messageId = id;
        session.send(pdu.response({ message_id: id }));
        return;
      }
      case 'enquire_link':
        if (this.answerEnquireLink) session.send(pdu.response());
        return;
      case 'unbind':
        session.send(pdu.response());
        session.close();
        return;
    }
  }

  /** Any bound session (the bearer has one). */
  get session1(): Session {
    const s = [...this.sessions][0];
    if (!s) throw new Error('no bound session');
    return s;
  }

  /** Sends a deliver_sm; resolves with its deliver_sm_resp (or never, if the bearer holds it). */
  deliver(fields: Record<string, unknown>, session = this.session1): Promise<PDU> {
    return new Promise((resolve) => {
      session.deliver_sm({ source_addr_ton: 1, source_addr_npi: 1, dest_addr_ton: 1, dest_addr_npi: 1, data_coding: 0, ...fields }, resolve);
    });
  }

  /** Sends a data_sm; resolves with its data_sm_resp. */
  dataSm(fields: Record<string, unknown>, session = this.session1): Promise<PDU> {
    return new Promise((resolve) => {
      session.data_sm({ source_addr_ton: 1, source_addr_npi: 1, dest_addr_ton: 1, dest_addr_npi: 1, data_coding: 0, ...fields }, resolve);
    });
  }

  /** Cuts every connection at once (no unbind), like a failing network. */
  drop(): void {
    for (const s of this.server.sessions) s.socket.destroy();
    this.sessions.clear();
  }

  private notify(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }

  /** Waits until `cond` holds (checked after each PDU received and every 20 ms). */
  async until(cond: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > end) throw new Error(`scripted SMSC: timed out waiting for ${what}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 20);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  commands(name: string): Received[] {
    return this.received.filter((r) => r.pdu.command === name);
  }

  async close(): Promise<void> {
    this.drop();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
