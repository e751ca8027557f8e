// Splits the byte stream from a modem into response lines and the SMS text prompt (V.250 /
// 27.005). Pure: bytes in, tokens out, no I/O, no timers.
//
// What real modems send, and what this survives:
// - lines ended by CR, LF, CRLF or CR CR LF (echo "AT+CGMM\r\r\n"); empty lines are skipped;
// - the "> " prompt after AT+CMGS, with or without the space, after CRLF or not, never followed
//   by a line end (so a line reader alone would wait forever) - only recognised when the caller
//   says a prompt is expected, so a line that happens to start with '>' is not lost otherwise;
// - garbage: NUL and control bytes are dropped, bytes outside printable ASCII before the first
//   printable character of a line are dropped (noise at boot or after a power glitch sticks to
//   the start of the next line, and no AT response starts with a non-ASCII byte);
// - echoed Ctrl-Z / ESC after a PDU (dropped with the other control bytes);
// - a line longer than `maxLine` (no terminator in sight): dropped whole, reported once.

export type AtToken =
  | { kind: 'line'; text: string }
  | { kind: 'prompt' }
  /** Bytes thrown away (control bytes, leading noise, an over-long line); for logging. */
  | { kind: 'garbage'; bytes: number; why: 'control' | 'noise' | 'overflow' };

const CR = 13;
const LF = 10;
const TAB = 9;
const PROMPT = 0x3e; // '>'
const SPACE = 0x20;

export class AtLineReader {
  /** Set by the chat while it waits for the SMS text prompt. Cleared when one is seen. */
  expectPrompt = false;
  private buf: number[] = [];
  private swallowSpace = false;
  private overflowing = false;
  private dropped = 0;

  constructor(readonly maxLine = 4096) {}

  /** Feeds bytes (or a latin1 string); returns the tokens they complete, in order. */
  feed(chunk: Uint8Array | string): AtToken[] {
    const out: AtToken[] = [];
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const c = typeof chunk === 'string' ? chunk.charCodeAt(i) & 0xff : chunk[i];
      if (this.swallowSpace) {
        this.swallowSpace = false;
        if (c === SPACE) continue;
      }
      if (c === CR || c === LF) {
        this.endLine(out);
        continue;
      }
      if (this.overflowing) {
        this.dropped++;
        continue;
      }
      if (c === PROMPT && this.buf.length === 0 && this.expectPrompt) {
        this.expectPrompt = false;
        this.swallowSpace = true;
        this.flushDropped(out, 'control');
        out.push({ kind: 'prompt' });
        continue;
      }
      if ((c < SPACE && c !== TAB) || c === 0x7f) {
        this.dropped++;
        continue;
      }
      if (this.buf.length === 0 && (c > 0x7e || c === SPACE || c === TAB)) {
        // Leading blanks are not content either ("  OK"), but they are not noise to report.
        if (c > 0x7e) this.dropped++;
        continue;
      }
      this.buf.push(c);
      if (this.buf.length > this.maxLine) {
        this.overflowing = true;
        this.dropped += this.buf.length;
        this.buf = [];
      }
    }
    return out;
  }

  /** The unterminated tail (for diagnostics when a command times out). */
  pending(): string {
    return String.fromCharCode(...this.buf);
  }

  /** Forgets any partial line (after a reopen or an escape). */
  reset(): void {
    this.buf = [];
    this.swallowSpace = false;
    this.overflowing = false;
    this.dropped = 0;
    this.expectPrompt = false;
  }

  private endLine(out: AtToken[]): void {
    if (this.overflowing) {
      this.overflowing = false;
      this.flushDropped(out, 'overflow');
      return;
    }
    this.flushDropped(out, this.buf.length > 0 ? 'noise' : 'control');
    if (this.buf.length === 0) return;
    let end = this.buf.length;
    while (end > 0 && (this.buf[end - 1] === SPACE || this.buf[end - 1] === TAB)) end--;
    const text = latin1(this.buf, end);
    this.buf = [];
    out.push({ kind: 'line', text });
  }

  private flushDropped(out: AtToken[], why: 'control' | 'noise' | 'overflow'): void {
    if (this.dropped === 0) return;
    out.push({ kind: 'garbage', bytes: this.dropped, why });
    this.dropped = 0;
  }
}

function latin1(b: number[], end: number): string {
  let s = '';
  for (let i = 0; i < end; i += 4096) s += String.fromCharCode(...b.slice(i, Math.min(end, i + 4096)));
  return s;
}
