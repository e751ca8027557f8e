// The example configuration, copied as it is, is a working box on the simulated radio network.
// Nothing in the file is changed for the test: the box runs in its own network namespace (so
// MM1 has 127.0.0.1:8080 to itself) and mount namespace (so /var/lib/mmsc, the store path the
// example gives, is a temporary folder), created with unshare(1) — CI runs as root; elsewhere
// unprivileged user namespaces do the same. A phone inside that namespace sends an MMS; the
// recipient is a virtual phone of the simulator, which gets the notification SMS through a
// virtual modem on a socat pty and fetches the message from the URL in it
// (http://127.0.0.1:8080/m/..., the publicUrl derived from mm1).
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';

const ROOT = join(import.meta.dirname, '../..');
const EXAMPLE = join(ROOT, 'firmware-config/mmsc.example.yaml');

let dir: string;
let holder: ChildProcess;
let server: ChildProcess | null = null;
let serverLog = '';

function collect(p: ChildProcess): { text: () => string; exited: Promise<number | null> } {
  let out = '';
  p.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  p.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  return { text: () => out, exited: new Promise((r) => p.once('exit', (code) => r(code))) };
}

/** A command inside the box's namespaces (user, mount, network), from the repository's folder. */
function inBox(cmd: string[], cwd = ROOT): ChildProcess {
  return spawn('nsenter', ['-t', String(holder.pid), '-U', '-m', '-n', '--preserve-credentials', `--wd=${cwd}`, '--', ...cmd], { stdio: ['ignore', 'pipe', 'pipe'] });
}

async function until<T>(get: () => T | undefined, what: string, ms: number): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`no ${what} within ${ms} ms; the box said:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mmsc-example-'));
  mkdirSync(join(dir, 'etc'));
  mkdirSync(join(dir, 'state'));
  copyFileSync(EXAMPLE, join(dir, 'etc/mmsc.yaml'));
  // The namespaces live as long as this process: loopback up, a fresh /var/lib with the test's
  // folder as /var/lib/mmsc.
  holder = spawn('unshare', ['-rnm', 'sh', '-c', 'ip link set lo up && mount -t tmpfs tmpfs /var/lib && mkdir /var/lib/mmsc && mount --bind "$1" /var/lib/mmsc && echo ready && exec sleep 600', 'sh', join(dir, 'state')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const h = collect(holder);
  const end = Date.now() + 10_000;
  while (!h.text().includes('ready')) {
    if (Date.now() > end || holder.exitCode !== null) throw new Error(`could not make the namespaces with unshare: ${h.text()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
});

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => server!.once('exit', r));
  }
  holder?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('firmware-config/mmsc.example.yaml as /etc/mmsc/mmsc.yaml', () => {
  it('runs a box that takes an MMS and delivers it through the simulated network', async () => {
    const config = join(dir, 'etc/mmsc.yaml');
    expect(readFileSync(config)).toEqual(readFileSync(EXAMPLE)); // verbatim
    // The check the systemd unit runs before the start.
    const check = inBox([process.execPath, join(ROOT, 'bin/mmsc.js'), 'config', 'check', config]);
    const c = collect(check);
    expect(await c.exited, c.text()).toBe(0);

    server = inBox([process.execPath, join(ROOT, 'bin/mmsc.js'), 'serve', '--config', config], '/');
    const s = collect(server);
    const log = setInterval(() => (serverLog = s.text()), 100);
    try {
      const A = '+15550001001';
      const B = '+15550001002';
      const phone = inBox([process.execPath, '--import', 'tsx', join(ROOT, 'test/support/mm1-send.ts'), JSON.stringify({ url: 'http://127.0.0.1:8080/mms', from: A, to: B, text: 'hello from the example box', waitMs: 20_000 })]);
      const p = collect(phone);
      expect(await p.exited, p.text()).toBe(0);
      const conf = JSON.parse(p.text().trim().split('\n').at(-1)!) as { http: number; responseStatus: string; messageId: string };
      expect(conf).toMatchObject({ http: 200, responseStatus: 'Ok' });

      // The store the box writes, read from outside as `mmsc messages` does.
      const store = new Store({ path: join(dir, 'state'), readOnly: true });
      try {
        const delivery = await until(() => {
          const d = store.deliveriesOf(conf.messageId).find((x) => x.recipient.startsWith(B));
          return d && d.history.some((h) => h.state === 'acknowledged' || h.state === 'reported') ? d : undefined;
        }, 'acknowledged delivery to B', 30_000);
        // notified over the virtual modem, fetched at the derived publicUrl, confirmed by the phone
        expect(delivery.history.map((h) => h.state)).toEqual(expect.arrayContaining(['notified', 'retrieved', 'acknowledged']));
        expect(store.messages.get(conf.messageId)).toMatchObject({ sender: expect.stringContaining(A) });
      } finally {
        await store.close();
      }
    } finally {
      clearInterval(log);
      serverLog = s.text();
    }
    server.kill('SIGTERM');
    expect(await s.exited, serverLog).toBe(0);
    expect(serverLog).toMatch(/simulated radio network up/);
  }, 90_000);
});
