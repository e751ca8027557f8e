// Deterministic input mutator for the codec fuzz tests (`npm test` runs thousands of cases,
// `npm run fuzz` a million). Mutations model what breaks PDUs in the field: flipped bits,
// truncation, length fields inflated past the data, spliced garbage and pure noise.

/** xorshift32: small, fast and reproducible from a seed (a failing case is replayable). */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  int(n: number): number {
    return n <= 0 ? 0 : this.next() % n;
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)];
  }
}

export type Mutation = 'bitflip' | 'byte' | 'truncate' | 'inflate' | 'insert' | 'delete' | 'splice' | 'random';
export const MUTATIONS: readonly Mutation[] = ['bitflip', 'byte', 'truncate', 'inflate', 'insert', 'delete', 'splice', 'random'];

/** Byte values that are length-ish or structural in WSP/MMS/SMS encodings. */
const INTERESTING = [0x00, 0x01, 0x1e, 0x1f, 0x20, 0x7f, 0x80, 0x81, 0xa0, 0xc0, 0xfe, 0xff];

export function mutate(input: Uint8Array, rng: Rng, kind: Mutation = rng.pick(MUTATIONS)): Uint8Array {
  const a = Uint8Array.from(input);
  const n = a.length;
  switch (kind) {
    case 'bitflip': {
      const flips = 1 + rng.int(4);
      for (let i = 0; i < flips && n > 0; i++) a[rng.int(n)] ^= 1 << rng.int(8);
      return a;
    }
    case 'byte': {
      if (n > 0) a[rng.int(n)] = rng.int(3) === 0 ? rng.int(256) : rng.pick(INTERESTING);
      return a;
    }
    case 'truncate':
      return a.subarray(0, rng.int(n + 1));
    case 'inflate': {
      // Raise a byte that might be a length (short-length 0..30, uintvar, UDL) to a large value,
      // or turn it into a length-quote / continuation octet.
      if (n === 0) return a;
      const i = rng.int(n);
      const choice = rng.int(4);
      if (choice === 0) a[i] = Math.min(30, a[i] + 1 + rng.int(30));
      else if (choice === 1) a[i] = 0x1f;
      else if (choice === 2) a[i] |= 0x80;
      else a[i] = 0xff;
      return a;
    }
    case 'insert': {
      const at = rng.int(n + 1);
      const len = 1 + rng.int(8);
      const out = new Uint8Array(n + len);
      out.set(a.subarray(0, at));
      for (let k = 0; k < len; k++) out[at + k] = rng.int(256);
      out.set(a.subarray(at), at + len);
      return out;
    }
    case 'delete': {
      if (n === 0) return a;
      const at = rng.int(n);
      const len = 1 + rng.int(Math.min(16, n - at));
      const out = new Uint8Array(n - len);
      out.set(a.subarray(0, at));
      out.set(a.subarray(at + len), at);
      return out;
    }
    case 'splice': {
      // Duplicate a slice of the input elsewhere (repeated headers, parts).
      if (n < 2) return a;
      const from = rng.int(n);
      const len = 1 + rng.int(Math.min(64, n - from));
      const at = rng.int(n + 1);
      const out = new Uint8Array(n + len);
      out.set(a.subarray(0, at));
      out.set(a.subarray(from, from + len), at);
      out.set(a.subarray(at), at + len);
      return out;
    }
    case 'random': {
      const out = new Uint8Array(rng.int(300));
      for (let k = 0; k < out.length; k++) out[k] = rng.int(256);
      return out;
    }
  }
}

/** A decoder under fuzz: must return or throw CodecError, nothing else. */
export interface FuzzTarget {
  name: string;
  seeds: Uint8Array[];
  decode(bytes: Uint8Array): unknown;
}

export interface FuzzStats {
  target: string;
  cases: number;
  decoded: number;
  rejected: number;
  byCode: Record<string, number>;
}
