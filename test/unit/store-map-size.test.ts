// How large the store's maps are: 8 GiB on 64-bit, what fits where address space is short (a
// 32-bit Raspberry Pi OS process has 3 GiB), and a configured size that does not fit is lowered
// and said so.
import { describe, expect, it } from 'vitest';
import { chooseMapSizes } from '../../src/store/map-size.js';

const GiB = 1024 ** 3;

describe('store map sizes', () => {
  it('auto: 8 GiB on 64-bit, records a quarter', () => {
    expect(chooseMapSizes('auto', { arch: 'x64', addressLimit: Infinity })).toMatchObject({ recordsMiB: 2048, partsMiB: 6144, totalMiB: 8192, lowered: false, why: 'store.mapSizeMiB auto on 64-bit x64' });
    expect(chooseMapSizes('auto', { arch: 'arm64', addressLimit: Infinity }).totalMiB).toBe(8192);
  });

  it('auto on a 32-bit Pi: half of what the 3 GiB leave beside Node', () => {
    const m = chooseMapSizes('auto', { arch: 'arm', addressLimit: Infinity });
    expect(m).toMatchObject({ recordsMiB: 256, partsMiB: 768, totalMiB: 1024, lowered: false });
    expect(m.why).toBe('store.mapSizeMiB auto on 32-bit arm, 3072 MiB of address space');
  });

  it('a configured size that does not fit is lowered, and the reason says so', () => {
    // the old default (4 GiB per environment) on a Pi Zero 2 W running 32-bit Raspberry Pi OS
    const m = chooseMapSizes(8192, { arch: 'arm', addressLimit: Infinity });
    expect(m).toMatchObject({ totalMiB: 1024, lowered: true });
    expect(m.why).toBe('store.mapSizeMiB 8192 does not fit this process (32-bit arm, 3072 MiB of address space): lowered to 1024');
    // an RLIMIT_AS on 64-bit counts the same way
    expect(chooseMapSizes(8192, { arch: 'x64', addressLimit: 2 * GiB })).toMatchObject({ totalMiB: 512, recordsMiB: 128, lowered: true });
  });

  it('a configured size that fits is kept', () => {
    expect(chooseMapSizes(512, { arch: 'arm', addressLimit: Infinity })).toMatchObject({ recordsMiB: 128, partsMiB: 384, totalMiB: 512, lowered: false, why: 'store.mapSizeMiB 512' });
    expect(chooseMapSizes(16, { arch: 'x64', addressLimit: Infinity })).toMatchObject({ recordsMiB: 4, partsMiB: 12 });
  });
});
