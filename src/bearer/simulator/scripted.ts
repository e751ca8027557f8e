// A scripted fake port (after ofono's unit tests): a list of steps, each the exact bytes the
// host is expected to write and the bytes the "modem" answers, possibly in several chunks
// (to cut lines in odd places). Unsolicited bytes can be pushed at any time. Whatever the
// host writes that the script did not expect is recorded in `mismatches`.
import { Duplex } from 'node:stream';

export interface ScriptStep {
  /** What the host must write next (e.g. "AT+CSQ\r", or a PDU followed by "\x1a"). */
  expect: string;
  /** Answer chunks, sent one per event-loop turn; a string is one chunk. */
  reply?: string | string[];
}

export class ScriptedPort extends Duplex {
  /** Everything the host wrote. */
  written = '';
  /** Host writes that did not match the script. */
  readonly mismatches: string[] = [];
  private pendingWrite = '';
  private readonly steps: ScriptStep[];

  constructor(steps: ScriptStep[] = []) {
    super();
    this.steps = [...steps];
  }

  /** Steps not yet played. */
  get remaining(): number {
    return this.steps.length;
  }

  /** Adds steps at the end of the script. */
  expect(...steps: ScriptStep[]): this {
    this.steps.push(...steps);
    return this;
  }

  /** Sends bytes now, unasked (a URC, noise). */
  unsolicited(...chunks: string[]): void {
    this.play(chunks);
  }

  override _read(): void {}

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    const s = chunk.toString('latin1');
    this.written += s;
    this.pendingWrite += s;
    for (;;) {
      const step = this.steps[0];
      if (!step) {
        if (this.pendingWrite) {
          this.mismatches.push(this.pendingWrite);
          this.pendingWrite = '';
        }
        break;
      }
      if (this.pendingWrite.length < step.expect.length) {
        if (!step.expect.startsWith(this.pendingWrite)) {
          this.mismatches.push(this.pendingWrite);
          this.pendingWrite = '';
        }
        break;
      }
      if (!this.pendingWrite.startsWith(step.expect)) {
        this.mismatches.push(this.pendingWrite);
        this.pendingWrite = '';
        break;
      }
      this.pendingWrite = this.pendingWrite.slice(step.expect.length);
      this.steps.shift();
      if (step.reply !== undefined) this.play(typeof step.reply === 'string' ? [step.reply] : step.reply);
    }
    cb();
  }

  private play(chunks: string[]): void {
    let i = 0;
    const next = (): void => {
      if (i >= chunks.length || this.destroyed) return;
      this.push(Buffer.from(chunks[i++], 'latin1'));
      setImmediate(next);
    };
    setImmediate(next);
  }
}
