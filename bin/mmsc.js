#!/usr/bin/env -S node --max-semi-space-size=4
// The `mmsc` command: runs the compiled CLI (npm run build puts it in dist/).
// The node flags above are the appliance's runtime settings (npm start, the systemd unit and
// the benchmarks launch through this line): V8's young generation is capped at 8 MiB (4 MiB
// semi-spaces) instead of up to 32 MiB, which keeps the process near 125 MiB RSS under full MM1
// load on a Pi-class box at no measurable throughput cost (npm run bench -- mm1).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error('mmsc: not built yet, run "npm run build" in ' + fileURLToPath(new URL('..', import.meta.url)));
  process.exit(1);
}
await import(main.href);
