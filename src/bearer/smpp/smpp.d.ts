// The parts of npm `smpp` (0.5.1, no types of its own) this project uses: its PDU class, to
// write requests and read responses, and its server and session, which the tests script as an
// SMSC. PDU fields are the SMPP 3.4 parameter names (command_status, short_message, ...).
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';

  type Fields = Record<string, unknown>;
  type ResponseCallback = (pdu: PDU) => void;

  export class PDU {
    /** A new PDU by command name (with its parameters and TLVs), or one read from a whole frame. */
    constructor(command: string | Buffer, options?: Fields);
    command: string;
    command_id: number;
    command_length: number;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    isResponse(): boolean;
    /** The response PDU to this request (same sequence number). */
    response(options?: Fields): PDU;
    toBuffer(): Buffer;
    static maxLength: number;
    static fromBuffer(buffer: Buffer): PDU | false;
  }

  export class Session extends EventEmitter {
    constructor(options: { socket: Socket } | Fields);
    socket: Socket;
    send(pdu: PDU, responseCallback?: ResponseCallback, sendCallback?: ResponseCallback): boolean;
    pause(): void;
    resume(): void;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    bind_transceiver(options: Fields, responseCallback?: ResponseCallback): boolean;
    submit_sm(options: Fields, responseCallback?: ResponseCallback): boolean;
    deliver_sm(options: Fields, responseCallback?: ResponseCallback): boolean;
    data_sm(options: Fields, responseCallback?: ResponseCallback): boolean;
    enquire_link(options?: Fields, responseCallback?: ResponseCallback): boolean;
    unbind(options?: Fields, responseCallback?: ResponseCallback): boolean;
  }

  export class Server extends NetServer {
    sessions: Session[];
  }

  export function createServer(listener: (session: Session) => void): Server;
  export function createServer(options: Fields, listener: (session: Session) => void): Server;
  export function connect(options: Fields, listener?: () => void): Session;

  /** command_status values by ESME_* name. */
  export const errors: Record<string, number>;

  /** The GSM 03.38 tables npm smpp writes unpacked septets with (language 0: default alphabet). */
  export const gsmCoder: { encode(text: string, language?: number): Buffer; decode(septets: Buffer, language?: number): string };
}
