import { describe, expect, it } from 'vitest';
import { CodecError } from '../../src/codec/errors.js';
import { WasmCodec, type BoundaryExports } from '../../src/codec/wasm.js';

interface PrimitiveExports extends BoundaryExports {
  wspUintvarDecode(len: number): number;
  wspUintvarEncode(v: number): number;
}
const codec = new WasmCodec<PrimitiveExports>('mms');
const { wspUintvarDecode: decode, wspUintvarEncode: encode } = codec.exports;

describe('JS-WASM boundary', () => {
  it('round-trips uintvars through the shared windows (WAP-230 examples)', () => {
    const cases: [number, string][] = [
      [0, '00'], [127, '7f'], [128, '8100'], [16383, 'ff7f'], [16384, '818000'], [0xffffffff, '8fffffff7f'],
    ];
    for (const [v, hex] of cases) {
      const n = encode(v);
      expect(Buffer.from(codec.output().subarray(0, n)).toString('hex')).toBe(hex);
      codec.copyIn(Buffer.from(hex, 'hex'), 16, 16);
      expect(decode(hex.length / 2) >>> 0).toBe(v);
    }
  });

  it('turns a WASM-side failure into a CodecError naming field and offset', () => {
    codec.copyIn(Buffer.from('8080', 'hex'), 16, 16);
    let err: unknown;
    try { codec.guarded(() => decode(2)); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(CodecError);
    expect((err as CodecError).code).toBe('TRUNCATED');
    expect((err as CodecError).field).toBe('WSP uintvar');
    expect((err as CodecError).offset).toBe(2);
    codec.copyIn(Buffer.from('8f8080808000', 'hex'), 16, 16);
    expect(() => decode(6)).toThrow(/WSP uintvar has a value not allowed here \(at byte 0\)/);
  });

  it('grows its windows for large inputs and keeps working', () => {
    const big = new Uint8Array(3 * 1024 * 1024);
    big[0] = 0x81; big[1] = 0x00;
    codec.copyIn(big, 16, 16);
    expect(decode(big.length)).toBe(128);
    expect(codec.exports.inputCap()).toBeGreaterThanOrEqual(big.length);
  });
});
