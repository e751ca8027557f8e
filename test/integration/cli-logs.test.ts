// The log form follows where stdout goes: `mmsc serve` on a terminal (run under a real
// pseudo-terminal by util-linux `script`) prints readable lines with a local time; piped, as
// journald takes it, one JSON object per line with the epoch time.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/mmsc.js';

const CLI = join(import.meta.dirname, '../../bin/mmsc.js');
const ANSI = /\x1b\[[0-9;]*m/g;

/** Runs `argv` until its output holds `until`, then stops it (SIGTERM to its process group). */
async function runUntil(argv: string[], until: string): Promise<string> {
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    for (let i = 0; i < 400 && !out.includes(until); i++) await new Promise((r) => setTimeout(r, 25));
  } finally {
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
  expect(out, 'the server never said it started').toContain(until);
  return out;
}

describe('mmsc serve: the log form follows stdout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmsc-logs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function config(name: string): Promise<string> {
    const port = await freePort();
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, `mmsc: { publicUrl: "http://127.0.0.1:${port}" }\nstore: { path: "${join(dir, name)}" }\nmm1: { host: 127.0.0.1, port: ${port} }\nbearer: { kind: loopback }\n`);
    return file;
  }

  it('on a terminal: one readable line per entry, local time, level name, no JSON', async () => {
    const cfg = await config('tty');
    const out = await runUntil(['script', '-qfec', `${process.execPath} ${CLI} serve --config ${cfg}`, '/dev/null'], 'MMSC started');
    const lines = out.replace(ANSI, '').split(/\r?\n/).filter((l) => l.trim());
    const listening = lines.find((l) => l.includes('MM1 listening'));
    expect(listening).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}\] INFO: MM1 listening \{.*"port":\d+/);
    expect(lines.find((l) => l.includes('MMSC started'))).toMatch(/^\[[-\d: .]+\] INFO: MMSC started/);
    expect(out).not.toContain('"level":');
  }, 30_000);

  it('piped (journald): JSON lines with level, epoch time and message', async () => {
    const cfg = await config('pipe');
    const out = await runUntil([process.execPath, CLI, 'serve', '--config', cfg], 'MMSC started');
    const entries = out.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { level: number; time: number; msg: string });
    expect(entries.map((e) => e.msg)).toEqual(expect.arrayContaining(['MM1 listening', 'MMSC started']));
    for (const e of entries) {
      expect(e.level).toBeGreaterThanOrEqual(30);
      expect(Math.abs(e.time - Date.now())).toBeLessThan(60_000);
    }
  }, 30_000);
});
