// `npm run fuzz [-- --cases N --seed S]`: a million mutated PDUs (default) through every decoder.
import { fuzz, type FuzzFailure } from './engine.js';
import { targets } from './targets.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const total = arg('cases', 1_000_000);
const seed = arg('seed', Date.now() & 0x7fffffff);
const ts = targets();
const failures: FuzzFailure[] = [];
const t0 = Date.now();
console.log(`fuzz: ${total} cases over ${ts.map((t) => t.name).join(', ')}, seed ${seed}`);
for (const [i, t] of ts.entries()) {
  const n = Math.floor(total / ts.length);
  const s = fuzz(t, n, seed + i, failures);
  console.log(`${t.name.padEnd(7)} ${s.cases} cases: ${s.decoded} decoded, ${s.rejected} rejected ${JSON.stringify(s.byCode)}`);
}
console.log(`done in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${failures.length} failures`);
for (const f of failures.slice(0, 20)) console.log(`FAIL ${f.target} case ${f.case}: ${f.error}\n  ${f.input}`);
process.exitCode = failures.length ? 1 : 0;
