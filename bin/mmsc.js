#!/usr/bin/env -S node --max-semi-space-size=4
// The `mmsc` command: runs the compiled CLI (dist/, built by `npm start` / `npm run build`).
// The node flags above are the appliance's runtime settings (npm start, the systemd unit and
// the benchmarks launch through this line): V8's young generation is capped at 8 MiB (4 MiB
// semi-spaces) instead of up to 32 MiB, which keeps the process near 125 MiB RSS under full MM1
// load on a Pi-class box at no measurable throughput cost (npm run bench -- mm1).
//
// Found through a symlink (npm link, npm install -g <folder>), Node runs the real file, so
// ../dist is this package's. In a source checkout that was never built (a clone, then npm link)
// it builds first; one built from older sources says so rather than run them unannounced. An
// installed package (npm pack) ships dist/ and build/ and has no sources to compare.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const main = new URL('../dist/src/cli/main.js', import.meta.url);
const checkout = existsSync(`${root}scripts/build.mjs`) && existsSync(`${root}src`);

/** Newest mtime of the files under `dir` (a quick look; the build itself compares contents). */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) t = Math.max(t, statSync(`${e.parentPath ?? e.path}/${e.name}`).mtimeMs);
  }
  return t;
}

if (!existsSync(fileURLToPath(main))) {
  if (!checkout) {
    console.error(`mmsc: ${fileURLToPath(main)} is missing: this installation is incomplete`);
    process.exit(1);
  }
  console.error(`mmsc: not built yet; building ${root} first (npm run build)`);
  try {
    execFileSync(process.execPath, [`${root}scripts/build.mjs`], { stdio: ['ignore', 2, 2], cwd: root });
  } catch {
    process.exit(1);
  }
} else if (checkout) {
  const [ts, wasm] = ['dist/.stamp.json', 'build/.stamp.json'].map((f) => (existsSync(root + f) ? statSync(root + f).mtimeMs : 0));
  if (newest(`${root}src`) > ts || newest(`${root}assembly`) > Math.min(ts, wasm)) {
    console.error(`mmsc: the sources changed since ${root} was built; this runs the old build (npm run build brings it up to date)`);
  }
}
await import(main.href);
