// Loads a codec module (build/<name>.wasm) and owns its three shared windows (see
// assembly/io/index.ts).
//
// The boundary is built for zero copy: a caller copies its input into IN once, the WASM
// writes a compact i32 table into TAB (offsets, lengths, codes) and bytes into OUT, and the
// TypeScript face builds objects from the table, taking byte ranges as views of the
// caller's own input. Views are rebuilt whenever memory grows.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CodecError } from './errors.js';

/** Exports every module has (from assembly/io); codec-specific ones are looked up by name. */
export interface BoundaryExports {
  memory: WebAssembly.Memory;
  reserve(inBytes: number, tabWords: number, outBytes: number): void;
  inputPtr(): number;
  inputCap(): number;
  tablePtr(): number;
  tableCap(): number;
  outputPtr(): number;
  outputCap(): number;
  tableRows(): number;
  outLength(): number;
}

/** Words per table row; must match TAB_ROW in assembly/io/index.ts. */
export const TAB_ROW = 8;

/** Largest input any codec accepts (bytes). A larger PDU is refused before it is copied. */
export const MAX_INPUT = 16 * 1024 * 1024;

function findWasm(file: string): string {
  // src/codec/ under vitest/tsx, dist/src/codec/ when compiled: walk up to the project root.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const p = join(dir, 'build', file);
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  throw new Error(`build/${file} not found: run "npm run build" first`);
}

export class WasmCodec<E extends BoundaryExports = BoundaryExports> {
  readonly exports: E;
  private buffer: ArrayBuffer | null = null;
  private inView: Uint8Array = new Uint8Array(0);
  private tabView: Int32Array = new Int32Array(0);
  private outView: Uint8Array = new Uint8Array(0);

  /** Loads build/<name>.wasm (build/<name>.debug.wasm when MMSC_WASM_DEBUG=1). */
  constructor(name: string) {
    const file = process.env.MMSC_WASM_DEBUG === '1' ? `${name}.debug.wasm` : `${name}.wasm`;
    const module = new WebAssembly.Module(readFileSync(findWasm(file)));
    const instance = new WebAssembly.Instance(module, {
      env: {
        // The WASM's only way to report an error: throwing here unwinds the WASM stack.
        codecFail(code: number, offset: number, field: number, detail: number): never {
          throw CodecError.fromWasm(code, offset, field, detail);
        },
      },
    });
    this.exports = instance.exports as unknown as E;
    this.ensure(64 * 1024, 1024, 64 * 1024);
  }

  private refresh(): void {
    const x = this.exports;
    this.buffer = x.memory.buffer;
    this.inView = new Uint8Array(this.buffer, x.inputPtr(), x.inputCap());
    this.tabView = new Int32Array(this.buffer, x.tablePtr(), x.tableCap());
    this.outView = new Uint8Array(this.buffer, x.outputPtr(), x.outputCap());
  }

  /**
   * Makes sure the windows hold at least `inBytes` of input, `tabRows` table rows and
   * `outBytes` of output. Grows in powers of two, so steady traffic never reallocates.
   */
  ensure(inBytes: number, tabRows: number, outBytes: number): void {
    if (inBytes > MAX_INPUT) {
      throw new CodecError('TOO_LARGE', 'PDU', -1, `${inBytes} bytes, limit ${MAX_INPUT}`);
    }
    const x = this.exports;
    const tabWords = tabRows * TAB_ROW;
    if (inBytes > x.inputCap() || tabWords > x.tableCap() || outBytes > x.outputCap()) {
      x.reserve(pow2(inBytes, x.inputCap()), pow2(tabWords, x.tableCap()), pow2(outBytes, x.outputCap()));
      this.refresh();
    } else if (this.buffer !== x.memory.buffer) {
      this.refresh();
    }
  }

  /** Copies `bytes` into IN, after ensuring room for them and for the results. */
  copyIn(bytes: Uint8Array, tabRows: number, outBytes: number): void {
    this.ensure(bytes.length, tabRows, outBytes);
    this.inView.set(bytes);
  }

  /** The IN window (valid until memory grows). */
  input(): Uint8Array {
    if (this.buffer !== this.exports.memory.buffer) this.refresh();
    return this.inView;
  }

  /** The result table (read it before the next call into the WASM). */
  table(): Int32Array {
    if (this.buffer !== this.exports.memory.buffer) this.refresh();
    return this.tabView;
  }

  /** The OUT window (read it before the next call into the WASM). */
  output(): Uint8Array {
    if (this.buffer !== this.exports.memory.buffer) this.refresh();
    return this.outView;
  }

  /**
   * Runs a WASM call, turning a trap (a codec bug, never a property of the input) into a
   * CodecError, so callers only ever see CodecError. Fuzz tests assert it never happens.
   */
  guarded<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (e instanceof CodecError) throw e;
      if (e instanceof WebAssembly.RuntimeError) {
        throw new CodecError('INTERNAL', 'PDU', -1, `WASM trap: ${e.message}`);
      }
      throw e;
    }
  }
}

function pow2(need: number, have: number): number {
  if (need <= have) return have;
  let n = 256;
  while (n < need) n *= 2;
  return n;
}
