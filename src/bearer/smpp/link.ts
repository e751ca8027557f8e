// One SMPP session over one TCP connection: sequence numbers, requests waiting for their
// response (each with its own timeout), responses to the SMSC's requests, enquire_link answered
// here. What the SMSC asks besides (deliver_sm, data_sm, unbind) goes to the owner. The first
// fault (socket error, a stream that cannot be framed) ends the link; the owner makes a new one.
import { connect as tcpConnect, type Socket } from 'node:net';
import { CMD, FrameReader, decodeFields, encodeRequest, encodeResponse, isResponse, readHeader, type PduHeader } from './pdu.js';

export interface Response {
  header: PduHeader;
  /** Parameters read by npm smpp (message_id, system_id...); null when it could not read them. */
  fields: Record<string, unknown> | null;
}

/** A request that got no response: the link closed, or the response took too long. */
export class LinkError extends Error {
  override readonly name = 'LinkError';
  constructor(
    readonly code: 'closed' | 'timeout',
    message: string,
  ) {
    super(message);
  }
}

interface Pending {
  command: string;
  resolve(r: Response): void;
  reject(e: LinkError): void;
  timer: NodeJS.Timeout;
}

export interface LinkHandlers {
  /** deliver_sm, data_sm, unbind from the SMSC (header and the whole frame). */
  request(header: PduHeader, frame: Buffer): void;
}

const RESPONSE_NAMES = new Map<number, string>(
  Object.entries(CMD)
    .filter(([, id]) => !isResponse(id))
    .map(([name, id]) => [id, name]),
);

export class SmppLink {
  private sequence = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly reader = new FrameReader();
  private ended: string | null = null;
  private handlers: LinkHandlers | null = null;
  /** Resolves with the reason once the link is down. */
  readonly done: Promise<string>;
  private markDone!: (reason: string) => void;

  private constructor(private readonly socket: Socket) {
    this.done = new Promise((r) => (this.markDone = r));
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.received(chunk));
    socket.on('error', (e) => this.end(`socket error: ${e.message}`));
    socket.on('end', () => this.end('the SMSC closed the connection'));
    socket.on('close', () => this.end('connection closed'));
  }

  /** Opens a TCP connection (the owner binds it). */
  static open(host: string, port: number, timeoutMs: number): Promise<SmppLink> {
    return new Promise((resolve, reject) => {
      const socket = tcpConnect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new LinkError('timeout', `no TCP connection to ${host}:${port} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(new LinkError('closed', `cannot connect to ${host}:${port}: ${e.message}`));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new SmppLink(socket));
      });
    });
  }

  get closed(): boolean {
    return this.ended !== null;
  }

  /** Why the link ended (null while it is up). */
  get endReason(): string | null {
    return this.ended;
  }

  setHandlers(h: LinkHandlers): void {
    this.handlers = h;
  }

  /** Sends a request and waits for its response (any command_status; generic_nack too). */
  request(command: string, fields: Record<string, unknown>, timeoutMs: number): Promise<Response> {
    if (this.ended) return Promise.reject(new LinkError('closed', `link is down (${this.ended})`));
    this.sequence = this.sequence >= 0x7fffffff ? 1 : this.sequence + 1;
    const sequence = this.sequence;
    const frame = encodeRequest(command, sequence, fields);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(sequence);
        reject(new LinkError('timeout', `no ${command}_resp within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(sequence, { command, resolve, reject, timer });
      this.socket.write(frame);
    });
  }

  /** Answers a request of the SMSC. */
  respond(command: string, sequence: number, status: number, fields: Record<string, unknown> = {}): void {
    if (this.ended) return;
    this.socket.write(encodeResponse(command, sequence, status, fields));
  }

  /** Ends the TCP connection after what was written (after unbind_resp, or ours). */
  finish(reason: string): void {
    if (!this.ended) this.socket.end();
    this.end(reason);
  }

  /** Drops the connection at once. */
  destroy(reason: string): void {
    this.end(reason);
    this.socket.destroy();
  }

  private end(reason: string): void {
    if (this.ended) return;
    this.ended = reason;
    for (const [seq, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new LinkError('closed', `link went down before the ${p.command}_resp: ${reason}`));
      this.pending.delete(seq);
    }
    this.markDone(reason);
  }

  private received(chunk: Buffer): void {
    let frames: Buffer[];
    try {
      frames = this.reader.push(chunk);
    } catch (e) {
      this.destroy(`unreadable PDU stream: ${(e as Error).message}`);
      return;
    }
    for (const frame of frames) {
      if (this.ended) return;
      const header = readHeader(frame);
      if (isResponse(header.id)) this.response(header, frame);
      else this.incoming(header, frame);
    }
  }

  private response(header: PduHeader, frame: Buffer): void {
    const p = this.pending.get(header.sequence);
    if (!p) return; // late (after its timeout) or unsolicited: nothing waits for it
    this.pending.delete(header.sequence);
    clearTimeout(p.timer);
    p.resolve({ header, fields: header.status === 0 ? decodeFields(frame) : null });
  }

  private incoming(header: PduHeader, frame: Buffer): void {
    switch (header.id) {
      case CMD.enquire_link:
        this.respond('enquire_link_resp', header.sequence, 0);
        return;
      case CMD.alert_notification:
        return; // has no response (§4.12)
      case CMD.deliver_sm:
      case CMD.data_sm:
      case CMD.unbind:
        if (this.handlers) this.handlers.request(header, frame);
        else this.respond(`${RESPONSE_NAMES.get(header.id)}_resp`, header.sequence, 0x08);
        return;
      default:
        // ESME_RINVCMDID: nothing else is for an ESME to answer (§5.1.3)
        this.respond('generic_nack', header.sequence, 0x03);
    }
  }
}
