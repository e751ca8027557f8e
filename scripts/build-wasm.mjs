// Compiles each WASM module (assembly/<name>/index.ts -> build/<name>.wasm, release and debug),
// unless build/ already holds what the sources give (build/.stamp.json: see stamp.mjs).
// Usage: node scripts/build-wasm.mjs [--force] [name...]   (default: all modules)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { changedSince, dropStamp, hashFiles, listFiles, writeStamp } from './stamp.mjs';

export const MODULES = ['mms', 'sms'];
const TARGETS = [['release', ''], ['debug', '.debug']];

function inputs(root) {
  const files = [...listFiles(root, 'assembly'), 'asconfig.json', 'scripts/build-wasm.mjs'];
  const hashes = hashFiles(root, files);
  // a different compiler may give different bytes
  const asc = join(root, 'node_modules/assemblyscript/package.json');
  hashes['assemblyscript version'] = existsSync(asc) ? JSON.parse(readFileSync(asc, 'utf8')).version : 'missing';
  return hashes;
}

/** What would make a build necessary: changed inputs, or missing outputs ([] = up to date). */
export function wasmChanges(root) {
  const missing = MODULES.flatMap((m) => TARGETS.map(([, s]) => `build/${m}${s}.wasm`)).filter((f) => !existsSync(join(root, f)))
    .map((f) => `${f} missing`);
  return [...missing, ...changedSince(join(root, 'build/.stamp.json'), inputs(root))];
}

/** Compiles `names` (all modules: the stamp is written only then). */
export function buildWasm(root, names = MODULES) {
  const stamp = join(root, 'build/.stamp.json');
  mkdirSync(join(root, 'build'), { recursive: true });
  dropStamp(stamp); // a build that stops half-way must not look finished
  const hashes = inputs(root);
  for (const name of names) {
    for (const [target, suffix] of TARGETS) {
      execFileSync(
        process.execPath,
        [join(root, 'node_modules/assemblyscript/bin/asc.js'), `assembly/${name}/index.ts`, '--config', 'asconfig.json',
          '--target', target, '--outFile', `build/${name}${suffix}.wasm`],
        { stdio: 'inherit', cwd: root },
      );
    }
  }
  if (MODULES.every((m) => names.includes(m))) writeStamp(stamp, hashes);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const names = args.filter((a) => a !== '--force');
  if (names.length > 0) buildWasm(root, names);
  else if (force || wasmChanges(root).length > 0) buildWasm(root);
  else console.error('mmsc build: WASM codecs up to date');
}
