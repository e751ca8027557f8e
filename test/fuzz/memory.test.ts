// A 64 KiB input cannot make a decoder allocate more than 1 MiB: adversarial inputs built to
// maximise what a decoder keeps (thousands of tiny headers, parts, parameters, one huge text,
// deep nesting, noise) are decoded while we measure the JS heap and external memory allocated
// during the call (no GC runs in between: gc() first, and 1 MiB cannot fill the young space)
// plus any growth of the WASM memory.
import { describe, expect, it } from 'vitest';
import { CodecError } from '../../src/codec/errors.js';
import { decodeMms } from '../../src/codec/mms/index.js';
import { decodeSms } from '../../src/codec/sms/index.js';
import { decodePush } from '../../src/codec/wsp/index.js';
import { mmsModule } from '../../src/codec/wsp/module.js';
import { Rng } from './mutate.js';

const SIZE = 64 * 1024;
const LIMIT = 1024 * 1024;
const gc = (globalThis as { gc?: () => void }).gc;

function fill(head: number[], unit: number[], tail: number[] = []): Uint8Array {
  const out: number[] = [...head];
  while (out.length + unit.length + tail.length <= SIZE) out.push(...unit);
  out.push(...tail);
  return Uint8Array.from(out);
}

function uintvar(n: number): number[] {
  const o = [n & 0x7f];
  for (n >>>= 7; n; n >>>= 7) o.unshift((n & 0x7f) | 0x80);
  return o;
}

const retrieveConf = [0x8c, 0x84, 0x8d, 0x92];
const INPUTS: Record<string, Uint8Array> = {
  'tiny To headers': fill(retrieveConf, [0x97, 0x61, 0x00]),
  'tiny Yes/No headers': fill(retrieveConf, [0x86, 0x80]),
  'textual application headers': fill(retrieveConf, [0x41, 0x00, 0x42, 0x00]),
  'one 64 KiB subject': fill([...retrieveConf, 0x96], [0x61], [0x00]),
  'many tiny parts': fill([...retrieveConf, 0x84, 0xa3, ...uintvar(21000)], [0x01, 0x00, 0x83]),
  'many content-type parameters': fill([...retrieveConf, 0x84, 0x1f, ...uintvar(SIZE - 10), 0xa3], [0x81, 0xea]),
  'nested multiparts': (() => {
    // each level: one entry whose content type is multipart.mixed, wrapping the next level
    let body = Uint8Array.from([0x00]);
    for (let d = 0; d < 6000 && body.length < SIZE - 16; d++) {
      body = Uint8Array.from([0x01, ...uintvar(1), ...uintvar(body.length), 0xa3, ...body]);
    }
    return Uint8Array.from([...retrieveConf, 0x84, 0xa3, ...body]);
  })(),
  'recipients up to the limit, long addresses': (() => {
    const addr = [0x97, ...Array(250).fill(0x31), 0x00];
    const out = [...retrieveConf];
    for (let i = 0; i < 255 && out.length + addr.length <= SIZE; i++) out.push(...addr);
    return Uint8Array.from(out);
  })(),
  'parts up to the limit, each with headers': (() => {
    const hdrs = Array.from({ length: 12 }, () => [0x61, 0x00, 0x62, 0x00]).flat();
    const entry = [...uintvar(1 + hdrs.length), 0x01, 0x83, ...hdrs, 0x7a];
    return Uint8Array.from([...retrieveConf, 0x84, 0xa3, ...uintvar(120), ...Array(120).fill(entry).flat()]);
  })(),
  'push with many headers': fill([0x01, 0x06, ...uintvar(SIZE - 5), 0xbe], [0xb4, 0x80]),
  'random noise': (() => {
    const r = new Rng(64);
    return Uint8Array.from({ length: SIZE }, () => r.int(256));
  })(),
};

/** Median of several runs: the first calls of a code path also allocate for the JIT. */
function measure(fn: () => unknown): { bytes: number; wasmGrowth: number; outcome: string } {
  const runs = Array.from({ length: 5 }, () => measureOnce(fn));
  const bytes = runs.map((r) => r.bytes).sort((a, b) => a - b)[2];
  return { bytes, wasmGrowth: Math.max(...runs.map((r) => r.wasmGrowth)), outcome: runs[0].outcome };
}

function measureOnce(fn: () => unknown): { bytes: number; wasmGrowth: number; outcome: string; kept: unknown } {
  const mem = mmsModule().exports.memory;
  gc!();
  const m0 = process.memoryUsage();
  const w0 = mem.buffer.byteLength;
  let kept: unknown;
  let outcome = 'decoded';
  try {
    kept = fn();
  } catch (e) {
    if (!(e instanceof CodecError)) throw e;
    outcome = `${e.code} ${e.field}`;
  }
  const m1 = process.memoryUsage();
  const bytes = m1.heapUsed - m0.heapUsed + (m1.external - m0.external);
  return { bytes, wasmGrowth: mem.buffer.byteLength - w0, outcome, kept };
}

describe('64 KiB inputs allocate at most 1 MiB', () => {
  it('has gc() (vitest runs workers with --expose-gc)', () => expect(typeof gc).toBe('function'));

  // warm up: windows reach their steady size for 64 KiB inputs before measuring
  for (const b of Object.values(INPUTS)) for (const f of [decodeMms, decodePush]) try { f(b); } catch { /* measured below */ }

  for (const [name, bytes] of Object.entries(INPUTS)) {
    it(`${name} (${bytes.length} bytes)`, () => {
      expect(bytes.length).toBeLessThanOrEqual(SIZE);
      for (const [label, fn] of [['mms', () => decodeMms(bytes)], ['push', () => decodePush(bytes)], ['sms', () => decodeSms(bytes.subarray(0, 200))]] as const) {
        const r = measure(fn);
        console.log(`${name} as ${label}: ${r.outcome}, ${(r.bytes / 1024).toFixed(0)} KiB allocated, WASM memory +${r.wasmGrowth}`);
        expect(r.bytes).toBeLessThan(LIMIT);
        expect(r.wasmGrowth).toBe(0);
      }
    });
  }
});
