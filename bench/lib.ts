import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

// Benchmark helpers. The machine is noisy (2 cores): every figure is the median of several
// runs, ours and the peer's are measured alternately in the same process, and we print both
// absolute figures and the ratio.

export interface Rate {
  opsPerSec: number;
  nsPerOp: number;
}

/** Runs fn in batches until `ms` have passed; returns the rate. */
export function rate(fn: () => void, ms = 300): Rate {
  // warm-up: let the JIT and the WASM tier up before timing
  for (let i = 0; i < 200; i++) fn();
  let ops = 0;
  let batch = 64;
  const t0 = process.hrtime.bigint();
  let elapsed = 0;
  while (elapsed < ms * 1e6) {
    for (let i = 0; i < batch; i++) fn();
    ops += batch;
    elapsed = Number(process.hrtime.bigint() - t0);
    if (elapsed < ms * 1e5) batch *= 2;
  }
  return { opsPerSec: (ops * 1e9) / elapsed, nsPerOp: elapsed / ops };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Measures several contenders alternately `runs` times; returns the median ops/s of each. */
export function compare(contenders: Record<string, () => void>, runs = 7, ms = 250): Record<string, number> {
  const samples: Record<string, number[]> = {};
  for (const k of Object.keys(contenders)) samples[k] = [];
  for (let r = 0; r < runs; r++) {
    for (const [k, fn] of Object.entries(contenders)) samples[k].push(rate(fn, ms).opsPerSec);
  }
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(samples)) out[k] = median(v);
  return out;
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** Prints rows as an aligned table. */
export function table(title: string, rows: (string | number)[][]): void {
  console.log(`\n## ${title}`);
  const cells = rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)));
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
  for (const r of cells) console.log(r.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  '));
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

/** The project folder (bench runs from bench/ under tsx and from dist/bench/ compiled). */
export function projectRoot(): string {
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

/** The node flags production runs with: those on the first line of bin/mmsc.js. */
export function productionNodeFlags(): string[] {
  const first = readFileSync(join(projectRoot(), 'bin/mmsc.js'), 'utf8').split('\n')[0];
  return first.replace(/^#!\/usr\/bin\/env -S node\s*/, '').split(/\s+/).filter((f) => f.startsWith('--'));
}

export interface Memory {
  /** Peak RSS of the process. */
  maxRssKiB: number;
  rssKiB: number;
  /** Private memory: heap, buffers, WASM. */
  anonKiB: number;
  /** The LMDB file mappings (page cache of the database files: grows with the data, shared and reclaimable). */
  lmdbKiB: number;
}

/** This process's memory (Linux /proc): peak RSS and what the RSS is made of now. */
export function memory(): Memory {
  const status = readFileSync('/proc/self/status', 'utf8');
  const field = (k: string) => Number(/\d+/.exec(status.split('\n').find((l) => l.startsWith(k)) ?? '0')?.[0] ?? 0);
  let lmdbKiB = 0;
  let name = '';
  for (const l of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(l)) name = l.split(/\s+/).slice(5).join(' ');
    else if (l.startsWith('Rss:') && name.endsWith('data.mdb')) lmdbKiB += Number(/\d+/.exec(l)![0]);
  }
  return { maxRssKiB: process.resourceUsage().maxRSS, rssKiB: field('VmRSS'), anonKiB: field('RssAnon'), lmdbKiB };
}
