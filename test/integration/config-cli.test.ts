// The configuration as the operator meets it, through the real command (bin/mmsc.js on the
// built code): `config check` and `serve` refuse the same file with the same words and the same
// exit status, `config check` prints durations as written (7d), and a modem port that does not
// exist is a warning from both and a visible "missing" modem, not a silent retry loop.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { freePort } from '../support/mmsc.js';
import { ModemLab } from '../support/pty.js';

const CLI = join(import.meta.dirname, '../../bin/mmsc.js');
const run = promisify(execFile);

async function mmsc(args: string[]): Promise<{ code: number; out: string; err: string }> {
  try {
    const r = await run(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
}

async function until<T>(get: () => T | undefined | Promise<T | undefined>, what: string, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`no ${what} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

let dir: string;
let lab: ModemLab | null = null;
afterEach(async () => {
  await lab?.close();
  lab = null;
  rmSync(dir, { recursive: true, force: true });
});

describe('a bad configuration file', () => {
  it('gets the same errors and the same exit status (2) from config check and serve', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmsc-cfg-'));
    const files: Record<string, [string, RegExp]> = {
      // bearer.kind: modem with no modem to send through
      'no-modems.yaml': ['log: { level: warn }\nbearer:\n  kind: modem\n', /no-modems\.yaml:3: bearer\.modems: no modems: bearer\.kind is modem/],
      // a realistic indentation mistake: one error, at the line to fix
      'indent.yaml': ['mm1:\n  port: 8081\n  identity:\n  headers: [X-MSISDN]\nrelay:\n  countryCode: "47"\n', /^ {2}\S*indent\.yaml:4: mm1\.headers: headers belongs under identity: \(line 3\)/m],
      'modem.yaml': ['bearer:\n  kind: modem\n  modems:\n    - imei: "861234567890123"\n', /modem\.yaml:4: bearer\.modems\[0\]\.port: missing: the serial port of this modem/],
      'zero.yaml': ['mm1:\n  host: 0.0.0.0\n', /zero\.yaml:2: mmsc\.publicUrl: not set, and mm1\.host 0\.0\.0\.0 .* set mmsc\.publicUrl/],
    };
    for (const [name, [text, expected]] of Object.entries(files)) {
      const file = join(dir, name);
      writeFileSync(file, text);
      const check = await mmsc(['config', 'check', file]);
      const serve = await mmsc(['serve', '--config', file]);
      expect([check.code, serve.code], name).toEqual([2, 2]);
      expect(check.err, name).toMatch(expected);
      expect(check.err.trim().split('\n'), name).toHaveLength(2); // the heading and ONE problem
      expect(serve.err, name).toBe(check.err);
      expect(check.out, name).toBe('');
    }
  });
});

describe('mmsc config check', () => {
  it('prints the effective settings in the notation of the file: durations as 7d, a config that loads again', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmsc-cfg-'));
    const file = join(dir, 'good.yaml');
    writeFileSync(file, 'relay:\n  defaultExpiry: 2d\n  renotify: { first: 90000 }\nmm1:\n  port: 9099\n');
    const r = await mmsc(['config', 'check', file]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[0]).toBe(`# ${file}: OK`);
    expect(r.out).toMatch(/^ {2}defaultExpiry: 2d$/m);
    expect(r.out).toMatch(/^ {2}readReportWindow: 7d$/m);
    expect(r.out).toMatch(/^ {4}first: 90s$/m);
    expect(r.out).toMatch(/^ {4}airTime: 500ms$/m);
    expect(r.out).toMatch(/^ {2}publicUrl: http:\/\/127\.0\.0\.1:9099$/m); // derived from mm1
    expect(r.out).not.toMatch(/86400000|172800000/);
    expect(parseConfig(r.out, 'printed')).toEqual(loadConfig(file));
  });
});

describe('a modem port that does not exist at start', () => {
  it('is a warning from config check and from serve, and a "missing" modem in mmsc modems', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmsc-cfg-'));
    lab = new ModemLab('pty');
    const port = join(lab.dir, 'ttyUSB0'); // where the lab will serve its first modem, later
    const file = join(dir, 'mmsc.yaml');
    writeFileSync(file, [
      `store: { path: "${join(dir, 'store')}", mapSizeMiB: 64 }`,
      `mm1: { port: ${await freePort()} }`,
      'bearer:',
      '  kind: modem',
      '  modems:',
      `    - port: "${port}"`,
      'log: { level: info }',
    ].join('\n'));
    const warning = `bearer.modems[0].port: warning: ${port} does not exist (the modem is not plugged in, or its port has another name`;

    const check = await mmsc(['config', 'check', file]);
    expect(check.code).toBe(0); // a USB modem may be plugged in after the start
    expect(check.err).toContain(`${file}:6: ${warning}`);
    expect(check.out).toContain(`# ${file}: OK`);

    const server = spawn(process.execPath, [CLI, 'serve', '--config', file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    server.stdout.on('data', (c: Buffer) => (log += c.toString()));
    server.stderr.on('data', (c: Buffer) => (log += c.toString()));
    const exited = new Promise<number | null>((r) => server.once('exit', (code) => r(code)));
    try {
      await until(() => (log.includes(`bearer.modems[0].port: ${port} does not exist`) ? true : undefined), 'warning in the log of serve');
      const modems = await until(async () => {
        const r = await mmsc(['modems', '--config', file]);
        return /\bmissing\b/.test(r.out) ? r : undefined;
      }, 'the modem recorded as missing');
      expect(modems.code).toBe(1);
      expect(modems.out.split('\n')[1]).toMatch(new RegExp(`^${port}\\s+\\?\\s+missing\\s`));
      expect(modems.out).toContain(`${port}: missing: cannot open ${port}: no such device`);
      expect(log.match(/modem missing/g)).toHaveLength(1); // one line on entering the state, not one per retry
      // plugged in later: it is looked for again, and taken into the pool
      const { modem } = await lab.modem({ dialect: 'quectel', name: 'ttyUSB' });
      const ready = await until(async () => {
        const r = await mmsc(['modems', '--config', file]);
        return /\bready\b/.test(r.out) ? r : undefined;
      }, 'the modem ready once plugged in', 25_000);
      expect(ready.code).toBe(0);
      expect(ready.out.split('\n')[1]).toMatch(new RegExp(`^${port}\\s+${modem.imei}\\s+ready\\s`));
    } finally {
      server.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 60_000);
});
