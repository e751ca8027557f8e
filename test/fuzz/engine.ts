// Runs mutated inputs through a decoder: the only acceptable outcomes are a result or a
// CodecError that is not INTERNAL (a WASM trap or abort). Anything else is returned as a
// failure with the seed index and the input, so it can be replayed.
import { CodecError } from '../../src/codec/errors.js';
import { mutate, Rng, type FuzzStats, type FuzzTarget } from './mutate.js';

export interface FuzzFailure {
  target: string;
  case: number;
  input: string;
  error: string;
}

export function fuzz(t: FuzzTarget, cases: number, seed: number, failures: FuzzFailure[]): FuzzStats {
  const rng = new Rng(seed);
  const stats: FuzzStats = { target: t.name, cases, decoded: 0, rejected: 0, byCode: {} };
  for (let i = 0; i < cases; i++) {
    let input = t.seeds[rng.int(t.seeds.length)];
    const rounds = 1 + rng.int(3);
    for (let r = 0; r < rounds; r++) input = mutate(input, rng);
    try {
      const out = t.decode(input);
      JSON.stringify(out, (_k, v: unknown) => (v instanceof Uint8Array ? v.length : v)); // touch every lazy field
      stats.decoded++;
    } catch (e) {
      if (e instanceof CodecError && e.code !== 'INTERNAL') {
        stats.rejected++;
        stats.byCode[e.code] = (stats.byCode[e.code] ?? 0) + 1;
      } else {
        failures.push({ target: t.name, case: i, input: Buffer.from(input).toString('hex'), error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
      }
    }
  }
  return stats;
}
