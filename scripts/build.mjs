// The build behind `npm start`, `npm test`, `npm run build`: builds only what changed and says
// what it is doing (a Pi takes minutes for a full build, and silence looks like a hang).
//   WASM codecs   assembly/** -> build/*.wasm          (scripts/build-wasm.mjs)
//   TypeScript    src, bench, assembly/shared -> dist/ (tsc, incremental: dist/.tsbuildinfo)
// Each part is skipped when its inputs hash as at its last successful build (stamp.mjs) and
// its outputs are there; anything else rebuilds, so a stale build is never run.
// Usage: node scripts/build.mjs [wasm|ts] [--force]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWasm, wasmChanges } from './build-wasm.mjs';
import { changedSince, describeChanges, dropStamp, hashFiles, listFiles, touchStamp, writeStamp } from './stamp.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const force = args.includes('--force');
const parts = args.filter((a) => a !== '--force');
const want = (p) => parts.length === 0 || parts.includes(p);
const say = (text) => console.error(`mmsc build: ${text}`);
/** Why a part is built: forced, never built here, or what changed since. */
const why = (changed, stamp) => (force ? 'forced' : !existsSync(stamp) ? 'no previous build' : describeChanges(changed));

// What tsconfig.build.json compiles, and what the result depends on besides.
const TS_DIRS = ['src', 'bench'];
function tsInputs() {
  const ts = (n) => n.endsWith('.ts');
  const files = [
    ...TS_DIRS.flatMap((d) => listFiles(root, d, ts)),
    ...listFiles(root, 'assembly/shared', ts),
  ];
  // the installed packages' types (npm ci rewrites this file whenever a dependency changes)
  const config = ['tsconfig.json', 'tsconfig.build.json', 'node_modules/.package-lock.json'];
  return { files, hashes: hashFiles(root, [...files, ...config]) };
}

function tscOutputsMissing(files) {
  return files.map((f) => `dist/${f.replace(/\.ts$/, '.js')}`).filter((f) => !f.endsWith('.d.js') && !existsSync(join(root, f)))
    .map((f) => `${f} missing`);
}

function buildTs() {
  const stamp = join(root, 'dist/.stamp.json');
  const info = join(root, 'dist/.tsbuildinfo');
  const { files, hashes } = tsInputs();
  const missing = tscOutputsMissing(files);
  const changed = [...missing, ...changedSince(stamp, hashes)];
  if (!force && changed.length === 0) {
    touchStamp(stamp);
    return false;
  }
  // tsc --incremental trusts its .tsbuildinfo: with outputs gone, or forced, start afresh
  if (force || missing.length > 0) rmSync(info, { force: true });
  const full = !existsSync(info);
  say(`compiling TypeScript (${why(changed, stamp)}${full ? '; a full build takes a minute or two on a Pi' : ''})…`);
  mkdirSync(join(root, 'dist'), { recursive: true });
  dropStamp(stamp);
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json',
      '--incremental', '--tsBuildInfoFile', info], { stdio: 'inherit', cwd: root });
  } catch {
    say('TypeScript did not compile (errors above)');
    process.exit(1);
  }
  writeStamp(stamp, hashes);
  return true;
}

function build() {
  let built = false;
  if (want('wasm')) {
    const changed = wasmChanges(root);
    if (force || changed.length > 0) {
      say(`building the WASM codecs (${why(changed, join(root, 'build/.stamp.json'))}; a minute or two on a Pi)…`);
      try {
        buildWasm(root);
      } catch {
        say('the WASM codecs did not compile (errors above)');
        process.exit(1);
      }
      built = true;
    } else {
      touchStamp(join(root, 'build/.stamp.json'));
    }
  }
  if (want('ts')) built = buildTs() || built;
  return built;
}

const started = Date.now();
say(build() ? `done in ${((Date.now() - started) / 1000).toFixed(1)} s` : 'up to date');
