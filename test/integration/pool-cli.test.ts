// The commands around the pool, run as the operator runs them (bin/mmsc.js on the built code):
// `mmsc modems` reading the state a running server recorded (and saying when it stopped),
// `mmsc demo` (one MMS from A to B, step by step; the failing step named in the exit status),
// and the `mmsc modem probe|send` wiring against a simulated modem on a pty.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startMmsc, type Mmsc } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import { ModemLab, until } from '../support/pty.js';
import { freePort } from '../support/mmsc.js';

const CLI = join(import.meta.dirname, '../../bin/mmsc.js');
const run = promisify(execFile);

async function mmsc(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const r = await run(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
    return { code: 0, out: r.stdout };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

let dir: string;
let server: Mmsc | null = null;
let lab: ModemLab | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
  await lab?.close();
  lab = null;
  rmSync(dir, { recursive: true, force: true });
});

describe('mmsc modems', () => {
  it("shows the running server's modems, then that the server stopped", async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmsc-modems-'));
    lab = new ModemLab('pty');
    const { modem: vm, port } = await lab.modem({ dialect: 'quectel' });
    const missing = join(lab.dir, 'ttyUSB9');
    const cfg = join(dir, 'mmsc.yaml');
    const mm1 = await freePort();
    writeFileSync(cfg, [
      `store: { path: "${join(dir, 'store')}" }`,
      `mm1: { port: ${mm1} }`,
      'bearer:',
      '  kind: modem',
      '  modems:',
      `    - { port: "${port.path}", imei: "${vm.imei}", ratePerMinute: 30, routes: ["+47"] }`,
      `    - { port: "${missing}" }`,
      'log: { level: silent }',
    ].join('\n'));
    server = await startMmsc(loadConfig(cfg), { log: pino({ level: 'silent' }) });
    await until(() => server!.store.poolModems.get(vm.imei)?.state === 'ready', 'the modem recorded as ready', 10_000);
    const live = await mmsc(['modems', '--config', cfg]);
    expect(live.code).toBe(1); // one configured modem is not there
    const lines = live.out.split('\n');
    expect(lines[0]).toMatch(/^PORT\s+IMEI\s+STATE\s+OPERATOR\s+SIGNAL\s+RATE\/MIN\s+QUEUE\s+SENT\s+FAILED\s+BENCHED UNTIL$/);
    expect(lines[1]).toMatch(new RegExp(`^${port.path}\\s+${vm.imei}\\s+ready\\s+Virtual Network\\s+-73 dBm\\s+30\\s+0\\s+0\\s+0$`));
    expect(lines[2]).toMatch(new RegExp(`^${missing}\\s+\\?\\s+missing`));
    expect(live.out).toContain(`${missing}: missing: cannot open ${missing}: no such device`);
    expect(live.out).toContain(`${port.path} (IMEI ${vm.imei}): serves +47`);
    const json = JSON.parse((await mmsc(['modems', '--config', cfg, '--json'])).out);
    expect(json[0]).toMatchObject({ configured: { port: port.path, imei: vm.imei }, serverRunning: true, record: { state: 'ready', imei: vm.imei } });
    await server.close();
    server = null;
    const after = await mmsc(['modems', '--config', cfg]);
    expect(after.code).toBe(1);
    expect(after.out).toMatch(new RegExp(`${vm.imei}\\s+closed \\(server stopped\\)`));
    // (the server ran in this test's process, which lives on; a killed server's note says "no longer running")
    expect(after.out).toMatch(new RegExp(`as recorded \\d+ s ago, when the server \\(process ${process.pid}\\) stopped its modem pool`));
  }, 30_000);

  it('says so when nothing is configured or recorded', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmsc-modems-'));
    const cfg = join(dir, 'mmsc.yaml');
    writeFileSync(cfg, `store: { path: "${join(dir, 'store')}" }\n`);
    expect(await mmsc(['modems', '--config', cfg])).toEqual({ code: 0, out: 'no modems: none configured (bearer.modems), and the server has recorded none\n' });
  });
});

describe('mmsc demo', () => {
  it('takes one MMS from A to B and the delivery report back, step by step', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmsc-demo-test-'));
    const r = await mmsc(['demo', '--air-time', '20ms']);
    expect(r.code, r.out).toBe(0);
    for (const step of ['1. phone A sends the MMS', '2. the MMSC notifies phone B by SMS', '3. phone B fetches the MMS', '4. the network reports the SMS delivered', '5. phone A gets the delivery report']) {
      expect(r.out).toContain(step);
    }
    expect(r.out).toMatch(/answered m-send\.conf: Ok, Message-ID \S+@mmsc\.local/);
    expect(r.out).toMatch(/TPDU [0-9A-F]+\n/);
    expect(r.out).toContain('user data header: application ports 9200 -> 2948 (WAP push)');
    expect(r.out).toContain('payload: a WSP push');
    expect(r.out).toMatch(/m-notification\.ind: TID \S+, MMS 1\.2, class Personal/);
    expect(r.out).toMatch(/GETs http:\/\/127\.0\.0\.1:\d+\/m\/\S+ \(its number in X-WAP-Network-Client-MSISDN\) -> HTTP 200/);
    expect(r.out).toContain('"Hello from the MMSC demo!"');
    expect(r.out).toContain('delivered (received by the phone (TP-ST 0x00))');
    expect(r.out).toMatch(/m-delivery\.ind: Message-ID \S+, to \+\d+\/TYPE=PLMN, status Retrieved/);
    expect(r.out).toMatch(/\nDone: /);
  }, 60_000);

  it('names the step that failed in its output and exit status', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmsc-demo-test-'));
    const cfg = join(dir, 'mmsc.yaml');
    writeFileSync(cfg, 'bearer: { statusReports: false, simulator: { airTime: 10ms } }\n'); // no status report will come
    const r = await mmsc(['demo', '--config', cfg, '--timeout', '1500ms']);
    expect(r.code).toBe(4);
    expect(r.out).toContain('3. phone B fetches the MMS');
    expect(r.out).toMatch(/FAILED at step 4 \(the network reports the SMS delivered\): no status report for the notification SMS within 1500 ms/);
  }, 60_000);
});

describe('mmsc modem probe | send', () => {
  it('are wired to the modem commands', async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmsc-modem-cmd-'));
    lab = new ModemLab('pty');
    const { modem: vm, port } = await lab.modem({ dialect: 'huawei' });
    const phone = lab.phone('+15557600001');
    const probe = await mmsc(['modem', 'probe', port.path]);
    expect(probe.code).toBe(0);
    expect(probe.out).toMatch(/^State\s+ready/m);
    expect(probe.out).toContain(vm.imei);
    const send = await mmsc(['modem', 'send', port.path, '--to', phone.msisdn, '--text', 'from the command line']);
    expect(send.code, send.out).toBe(0);
    expect(send.out).toMatch(/^sent 1 segment to \+15557600001 through /);
    await phone.waitForInbox(1);
    expect(phone.inbox[0].text).toBe('from the command line');
  }, 30_000);
});
