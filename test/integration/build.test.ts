// The build behind `npm start` / `npm test` (scripts/build.mjs), run on a copy of the project:
// it says what it does, does nothing when nothing changed, and rebuilds exactly the part whose
// sources changed (or whose outputs are gone), so a stale build is never run.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/mmsc.js';

const ROOT = join(import.meta.dirname, '../..');

/** The sources a clone has, the installed node_modules, and this checkout's build as a start. */
function copyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mmsc-build-'));
  for (const f of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'asconfig.json']) cpSync(join(ROOT, f), join(dir, f));
  for (const d of ['scripts', 'src', 'bench', 'assembly', 'bin', 'build', 'dist']) {
    if (existsSync(join(ROOT, d))) cpSync(join(ROOT, d), join(dir, d), { recursive: true });
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function build(dir: string): string {
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: dir, encoding: 'utf8' });
  expect(r.status, r.stderr + r.stdout).toBe(0);
  return r.stderr + r.stdout;
}

describe('the build: only what changed, and it says so', () => {
  const dir = copyProject();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is up to date the second time, rebuilds a changed part, never runs a stale one', () => {
    build(dir); // whatever the copied build needed
    const main = join(dir, 'dist/src/cli/main.js');
    const before = statSync(main).mtimeMs;
    expect(build(dir).trim()).toBe('mmsc build: up to date');
    expect(statSync(main).mtimeMs).toBe(before);

    // a TypeScript change: compiled, and the command runs the new code
    const cli = join(dir, 'src/cli/main.ts');
    writeFileSync(cli, readFileSync(cli, 'utf8').replace(".version('0.1.0')", ".version('0.1.0-rebuilt')"));
    const ts = build(dir);
    expect(ts).toContain('mmsc build: compiling TypeScript (src/cli/main.ts changed)');
    expect(ts).not.toContain('WASM');
    expect(execFileSync(process.execPath, [join(dir, 'bin/mmsc.js'), '--version'], { encoding: 'utf8' }).trim()).toBe('0.1.0-rebuilt');

    // an AssemblyScript change: the WASM codecs, and only them
    const wasm = join(dir, 'build/sms.wasm');
    const wasmBefore = statSync(wasm).mtimeMs;
    appendFileSync(join(dir, 'assembly/sms/dcs.ts'), '\n// changed\n');
    const as = build(dir);
    expect(as).toContain('mmsc build: building the WASM codecs (assembly/sms/dcs.ts changed');
    expect(as).not.toContain('TypeScript');
    expect(statSync(wasm).mtimeMs).toBeGreaterThan(wasmBefore);

    // an output gone: built again (tsc's own incremental state would think it is there)
    rmSync(join(dir, 'dist/src/log.js'));
    expect(build(dir)).toContain('compiling TypeScript (dist/src/log.js missing');
    expect(existsSync(join(dir, 'dist/src/log.js'))).toBe(true);
    expect(build(dir).trim()).toBe('mmsc build: up to date');
  }, 240_000);

  it('npm start says the build is up to date, then the server listens', async () => {
    build(dir);
    const port = await freePort();
    const cfg = join(dir, 'mmsc.yaml');
    writeFileSync(cfg, `mmsc: { publicUrl: "http://127.0.0.1:${port}" }\nstore: { path: "${join(dir, 'data')}" }\nmm1: { host: 127.0.0.1, port: ${port} }\nbearer: { kind: loopback }\n`);
    const child = spawn('npm', ['start', '--', '--config', cfg], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    try {
      for (let i = 0; i < 600 && !out.includes('MMSC started'); i++) await new Promise((r) => setTimeout(r, 25));
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await exited;
    }
    expect(out).toContain('mmsc build: up to date');
    expect(out).toMatch(/MM1 listening/);
    expect(out.indexOf('mmsc build: up to date')).toBeLessThan(out.indexOf('MM1 listening'));
  }, 60_000);
});
