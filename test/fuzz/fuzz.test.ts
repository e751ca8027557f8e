// Bad input never crashes a decoder: mutated corpus PDUs (bit flips, truncation, inflated
// length fields, spliced and random bytes) give a result or a CodecError, never a trap, another
// exception or a hang. `npm run fuzz` runs a million of these; here a few thousand per decoder.
import { describe, expect, it } from 'vitest';
import { fuzz, type FuzzFailure } from './engine.js';
import { targets } from './targets.js';

const CASES_PER_TARGET = 5000;

describe('fuzz: decoders only return or throw CodecError', () => {
  for (const t of targets()) {
    it(`${t.name}: ${CASES_PER_TARGET} mutated inputs`, () => {
      const failures: FuzzFailure[] = [];
      const stats = fuzz(t, CASES_PER_TARGET, 0x5eed + t.name.length, failures);
      expect(failures.slice(0, 3)).toEqual([]);
      expect(stats.decoded + stats.rejected).toBe(CASES_PER_TARGET);
      // the mutations must actually reach the error paths, and leave some inputs decodable
      expect(stats.rejected).toBeGreaterThan(CASES_PER_TARGET / 10);
      expect(stats.decoded).toBeGreaterThan(0);
    });
  }
});
