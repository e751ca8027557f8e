// `npm run bench -- <name...>`: runs bench/<name>.ts (all when none given).
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
// runs compiled (dist/bench/*.js, as production runs dist/src) or under tsx (bench/*.ts)
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const all = readdirSync(here)
  .filter((f) => f.endsWith(ext) && !['run', 'lib'].includes(f.slice(0, -3)))
  .map((f) => f.slice(0, -3));
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length ? wanted : all;
for (const n of names) {
  if (!all.includes(n)) {
    console.error(`unknown benchmark "${n}"; have: ${all.join(', ')}`);
    process.exit(2);
  }
}
console.log(`node ${process.version}, ${process.arch}, pid ${process.pid}`);
for (const n of names) {
  console.log(`\n# bench ${n}`);
  const mod = (await import(pathToFileURL(join(here, `${n}${ext}`)).href)) as { main(): Promise<void> | void };
  await mod.main();
}
