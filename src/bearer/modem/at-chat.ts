// One AT chat per port (after ofono's gatchat): commands are queued and written one at a time,
// each with the response prefixes it expects and its own time limit; every other line goes to
// the unsolicited-result handlers registered by prefix, even in the middle of a response; the
// final result codes are a per-port, extendable table; the SMS "> " prompt, the PDU, Ctrl-Z
// and ESC belong to the chat, not to the caller.
//
// After a time-out the chat does not trust the line until it has been quiet for `settleMs`:
// a late answer to the abandoned command would otherwise be taken as the answer to the next.
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { AtLineReader } from './at-lines.js';
import { afterPrefix } from './at-parse.js';
import { ModemError, readErrorValue } from './errors.js';

const CTRL_Z = '\x1a';
const ESC = '\x1b';

export type FinalKind = 'ok' | 'error' | 'cms' | 'cme';

export interface FinalResult {
  kind: FinalKind;
  line: string;
}

/** Final result codes every port knows; vendors add theirs with addFinal(). */
const DEFAULT_FINALS: [string, FinalKind][] = [
  ['OK', 'ok'],
  ['ERROR', 'error'],
  ['NO CARRIER', 'error'],
  ['NO DIALTONE', 'error'],
  ['BUSY', 'error'],
  ['NO ANSWER', 'error'],
  // Huawei answers unknown commands so, without ERROR (known before the vendor is detected).
  ['COMMAND NOT SUPPORT', 'error'],
  ['TOO MANY PARAMETERS', 'error'],
];

export interface AtCommandOptions {
  /**
   * Prefixes of the information lines that answer this command ("+CSQ:"). Lines without one
   * go to the unsolicited handlers. Undefined: free-form answer (+CGMM, +CGSN): every line
   * that is neither a final result nor a registered unsolicited code belongs to the command.
   */
  prefixes?: string[];
  /** A prefixed line is followed by a PDU line (+CMGR, +CMGL in PDU mode). */
  pduLines?: boolean;
  /** Hex PDU to write after the "> " prompt, followed by Ctrl-Z (+CMGS, +CMGW, +CNMA=n,len). */
  pdu?: string;
  /** Time limit for the final result (after the PDU for prompt commands), in ms. */
  timeoutMs?: number;
  /** Time limit for the prompt, in ms. */
  promptTimeoutMs?: number;
}

export interface AtResponse {
  command: string;
  /** Information lines in order (for pduLines commands, each header followed by its PDU). */
  lines: string[];
  final: string;
}

export interface AtChatOptions {
  logger: Logger;
  /** Default time limit for a final result. */
  commandTimeoutMs?: number;
  /** Default time limit for the SMS prompt. */
  promptTimeoutMs?: number;
  /** Quiet time required after a time-out before the next command is written. */
  settleMs?: number;
}

type UrcHandler = (line: string, pdu: string | null) => void;

interface Urc {
  prefix: string;
  upper: string;
  pdu: boolean;
  handler: UrcHandler;
}

interface Pending {
  text: string;
  upper: string;
  prefixes: string[] | null;
  pduLines: boolean;
  pdu: string | null;
  timeoutMs: number;
  promptTimeoutMs: number;
  lines: string[];
  /** The PDU has been written (so a time-out now may hide a sent message). */
  pduWritten: boolean;
  nextIsPdu: boolean;
  timer: NodeJS.Timeout | null;
  resolve: (r: AtResponse) => void;
  reject: (e: ModemError) => void;
}

/** A "+XXX:" / "^XXX:" / "!XXX:" line that looks like a result code of its own. */
const RESULT_CODE = /^[+^!$*#%][A-Z0-9]+:/i;

/** Reads a final result line against a table; null when the line is not final. */
export function classifyFinal(line: string, extra: ReadonlyMap<string, FinalKind> = new Map()): FinalResult | null {
  const u = line.toUpperCase();
  if (u.startsWith('+CMS ERROR:')) return { kind: 'cms', line };
  if (u.startsWith('+CME ERROR:')) return { kind: 'cme', line };
  const k = extra.get(u);
  if (k) return { kind: k, line };
  for (const [t, kind] of DEFAULT_FINALS) if (u === t) return { kind, line };
  return null;
}

/** The ModemError a failing final result stands for. */
export function finalError(f: FinalResult, command: string, pduWritten = false): ModemError {
  if (f.kind === 'cms' || f.kind === 'cme') {
    const kind = f.kind === 'cms' ? 'CMS' : 'CME';
    const info = readErrorValue(kind, f.line.slice(f.line.indexOf(':') + 1));
    return new ModemError(`${kind}_ERROR`, `${command}: +${kind} ERROR ${info.code >= 0 ? `${info.code} ` : ''}(${info.text})`, {
      info, command, pduWritten,
    });
  }
  return new ModemError('AT_ERROR', `${command}: ${f.line}`, { command, class: 'temporary', scope: 'command', pduWritten });
}

export class AtChat {
  private readonly reader = new AtLineReader();
  private readonly log: Logger;
  private readonly queue: Pending[] = [];
  private current: Pending | null = null;
  private readonly urcs: Urc[] = [];
  private readonly finals = new Map<string, FinalKind>();
  /** A URC whose PDU line is still to come. */
  private urcAwaitingPdu: { urc: Urc; line: string } | null = null;
  private settling = false;
  private settleTimer: NodeJS.Timeout | null = null;
  private closedWith: ModemError | null = null;
  private readonly closeListeners: ((err: ModemError) => void)[] = [];
  private readonly timeoutListeners: ((err: ModemError) => void)[] = [];
  private readonly commandTimeoutMs: number;
  private readonly promptTimeoutMs: number;
  private readonly settleMs: number;
  private readonly onData = (chunk: Buffer | string): void => this.receive(chunk);
  private readonly onPortClose = (): void => this.shutdown(new ModemError('PORT_CLOSED', 'the port closed', { scope: 'modem' }));
  private readonly onPortError = (err: Error): void => {
    this.log.debug({ err: err.message }, 'modem port error');
    this.shutdown(new ModemError('PORT_CLOSED', `port error: ${err.message}`, { scope: 'modem', cause: err }));
  };

  constructor(private readonly port: Duplex, opts: AtChatOptions) {
    this.log = opts.logger;
    this.commandTimeoutMs = opts.commandTimeoutMs ?? 10_000;
    this.promptTimeoutMs = opts.promptTimeoutMs ?? 10_000;
    this.settleMs = opts.settleMs ?? 250;
    port.on('data', this.onData);
    port.on('close', this.onPortClose);
    port.on('error', this.onPortError);
  }

  /** True once the port closed or close() was called. */
  get closed(): boolean {
    return this.closedWith !== null;
  }

  /** Adds a final result code of this port's modem (e.g. a vendor's own error word). */
  addFinal(text: string, kind: FinalKind): void {
    this.finals.set(text.toUpperCase(), kind);
  }

  /**
   * Registers a handler for unsolicited lines starting with `prefix` ("+CMTI:", "RING").
   * With `pdu`, the handler also gets the line that follows (+CMT, +CDS in PDU mode).
   * Returns a function that removes the handler.
   */
  onUnsolicited(prefix: string, handler: UrcHandler, opts: { pdu?: boolean } = {}): () => void {
    const u: Urc = { prefix, upper: prefix.toUpperCase(), pdu: opts.pdu === true, handler };
    this.urcs.push(u);
    return () => {
      const i = this.urcs.indexOf(u);
      if (i >= 0) this.urcs.splice(i, 1);
    };
  }

  /** Called once with the reason when the port closes (not after close()). */
  onClose(fn: (err: ModemError) => void): void {
    this.closeListeners.push(fn);
  }

  /** Called whenever a command times out (the owner decides whether the modem is lost). */
  onTimeout(fn: (err: ModemError) => void): void {
    this.timeoutListeners.push(fn);
  }

  /** Queues a command ("AT+CSQ"); resolves with its information lines on OK. */
  send(command: string, opts: AtCommandOptions = {}): Promise<AtResponse> {
    const closed = this.closedWith;
    if (closed) {
      return Promise.reject(new ModemError(closed.code, `${command}: ${closed.message}`, { command, scope: 'modem', cause: closed }));
    }
    return new Promise<AtResponse>((resolve, reject) => {
      this.queue.push({
        text: command,
        upper: command.toUpperCase(),
        prefixes: opts.prefixes ?? null,
        pduLines: opts.pduLines === true,
        pdu: opts.pdu ?? null,
        timeoutMs: opts.timeoutMs ?? this.commandTimeoutMs,
        promptTimeoutMs: opts.promptTimeoutMs ?? this.promptTimeoutMs,
        lines: [],
        pduWritten: false,
        nextIsPdu: false,
        timer: null,
        resolve,
        reject,
      });
      this.pump();
    });
  }

  /** Writes ESC: cancels SMS text entry and, on many modems, a half-typed command. */
  escape(): void {
    this.write(ESC);
    this.reader.expectPrompt = false;
  }

  /** Stops the chat: pending commands fail with CLOSED; the port is left to its owner. */
  close(): void {
    this.shutdown(new ModemError('CLOSED', 'the AT chat was closed', { scope: 'modem' }), false);
  }

  /** Commands queued or in progress. */
  get busy(): number {
    return this.queue.length + (this.current ? 1 : 0);
  }

  private write(data: string): void {
    try {
      this.port.write(Buffer.from(data, 'latin1'));
    } catch (err) {
      this.onPortError(err as Error);
    }
  }

  private pump(): void {
    if (this.current || this.settling || this.closedWith) return;
    const next = this.queue.shift();
    if (!next) return;
    this.current = next;
    if (next.pdu !== null) this.reader.expectPrompt = true;
    this.log.trace({ at: next.text }, 'AT>');
    this.write(`${next.text}\r`);
    if (this.closedWith) return; // the write failed and closed the chat
    this.arm(next, next.pdu !== null ? next.promptTimeoutMs : next.timeoutMs, next.pdu !== null ? 'PROMPT_TIMEOUT' : 'TIMEOUT');
  }

  private arm(p: Pending, ms: number, code: 'TIMEOUT' | 'PROMPT_TIMEOUT'): void {
    if (p.timer) clearTimeout(p.timer);
    p.timer = setTimeout(() => this.timedOut(p, code), ms);
  }

  private timedOut(p: Pending, code: 'TIMEOUT' | 'PROMPT_TIMEOUT'): void {
    if (this.current !== p) return;
    p.timer = null;
    this.current = null;
    if (p.pdu !== null) this.escape();
    const tail = this.reader.pending();
    const what = code === 'PROMPT_TIMEOUT' ? 'no "> " prompt' : 'no final result';
    const err = new ModemError(code, `${p.text}: ${what} within ${code === 'PROMPT_TIMEOUT' ? p.promptTimeoutMs : p.timeoutMs} ms` +
      (tail ? ` (partial line ${JSON.stringify(tail.slice(0, 40))})` : ''), { command: p.text, scope: 'modem', pduWritten: p.pduWritten });
    this.startSettling();
    p.reject(err);
    for (const fn of this.timeoutListeners) fn(err);
  }

  private startSettling(): void {
    this.settling = true;
    this.restartSettleTimer();
  }

  private restartSettleTimer(): void {
    if (this.settleTimer) clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => {
      this.settleTimer = null;
      this.settling = false;
      this.pump();
    }, this.settleMs);
  }

  private receive(chunk: Buffer | string): void {
    if (this.settling) this.restartSettleTimer();
    const tokens = this.reader.feed(typeof chunk === 'string' ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    for (const t of tokens) {
      if (t.kind === 'garbage') {
        this.log.debug({ bytes: t.bytes, why: t.why }, 'modem sent bytes that are not AT text; skipped');
      } else if (t.kind === 'prompt') {
        this.prompt();
      } else {
        this.line(t.text);
      }
      if (this.closedWith) return;
    }
  }

  private prompt(): void {
    const p = this.current;
    if (!p || p.pdu === null || p.pduWritten) {
      this.log.debug('unexpected "> " prompt; ignored');
      return;
    }
    p.pduWritten = true;
    this.log.trace({ pdu: p.pdu }, 'AT> (pdu)');
    this.write(p.pdu + CTRL_Z);
    this.arm(p, p.timeoutMs, 'TIMEOUT');
  }

  private findUrc(line: string): Urc | null {
    const u = line.toUpperCase();
    for (const h of this.urcs) if (u.startsWith(h.upper)) return h;
    return null;
  }

  private dispatchUrc(h: Urc, line: string, pdu: string | null): void {
    this.log.trace({ urc: line, pdu }, 'AT< (unsolicited)');
    try {
      h.handler(line, pdu);
    } catch (err) {
      this.log.error({ err, urc: line }, 'unsolicited result handler failed');
    }
  }

  private line(text: string): void {
    this.log.trace({ line: text }, 'AT<');
    const final = classifyFinal(text, this.finals);
    // The line after a two-line URC header is its PDU, unless it is plainly something else.
    if (this.urcAwaitingPdu) {
      const { urc, line } = this.urcAwaitingPdu;
      this.urcAwaitingPdu = null;
      if (!final && !this.findUrc(text)) {
        this.dispatchUrc(urc, line, text);
        return;
      }
      this.dispatchUrc(urc, line, null);
    }
    const p = this.current;
    if (p && !this.settling) {
      const u = text.toUpperCase();
      if (u === p.upper || (p.pdu !== null && u === p.pdu.toUpperCase())) return; // echo
      if (p.nextIsPdu && !final) {
        p.nextIsPdu = false;
        p.lines.push(text);
        return;
      }
      p.nextIsPdu = false;
      if (final) {
        this.finish(p, final);
        return;
      }
      if (p.prefixes && p.prefixes.some((x) => afterPrefix(text, x) !== null)) {
        p.lines.push(text);
        if (p.pduLines) p.nextIsPdu = true;
        return;
      }
    }
    const urc = this.findUrc(text);
    if (urc) {
      if (urc.pdu) this.urcAwaitingPdu = { urc, line: text };
      else this.dispatchUrc(urc, text, null);
      return;
    }
    if (p && !this.settling && !final && p.prefixes === null && (!RESULT_CODE.test(text) || this.ownResult(p, text))) {
      p.lines.push(text);
      return;
    }
    if (final) this.log.debug({ line: text }, 'final result with no command waiting (a late answer?); ignored');
    else this.log.debug({ line: text }, 'unexpected line from modem; ignored');
  }

  /** "+CGSN: 123" answering AT+CGSN: a prefixed line naming the command itself. */
  private ownResult(p: Pending, text: string): boolean {
    const name = /^AT([+^!$*#%][A-Z0-9]+)/i.exec(p.text)?.[1];
    return name !== undefined && text.toUpperCase().startsWith(`${name.toUpperCase()}:`);
  }

  private finish(p: Pending, f: FinalResult): void {
    if (p.timer) clearTimeout(p.timer);
    p.timer = null;
    this.current = null;
    this.reader.expectPrompt = false;
    if (f.kind === 'ok') p.resolve({ command: p.text, lines: p.lines, final: f.line });
    else p.reject(finalError(f, p.text, p.pduWritten));
    this.pump();
  }

  private shutdown(err: ModemError, notify = true): void {
    if (this.closedWith) return;
    this.closedWith = err;
    this.port.removeListener('data', this.onData);
    this.port.removeListener('close', this.onPortClose);
    this.port.removeListener('error', this.onPortError);
    // A late 'error' after we stopped listening must not crash the process.
    this.port.on('error', () => undefined);
    if (this.settleTimer) clearTimeout(this.settleTimer);
    const all = this.current ? [this.current, ...this.queue] : [...this.queue];
    this.current = null;
    this.queue.length = 0;
    for (const p of all) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(new ModemError(err.code, `${p.text}: ${err.message}`, {
        command: p.text, scope: 'modem', cause: err, pduWritten: p.pduWritten,
      }));
    }
    if (notify) for (const fn of this.closeListeners) fn(err);
  }
}
