// `mmsc messages list|show` against a real store filled over MM1 by a real MMSC: no stack trace
// and nothing created when the store is not there, quiet when piped into `head`, -n checked, a
// header row and "N of TOTAL", long recipient lists shortened, the notification decoded.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MmsPdu } from '../../src/codec/mms/index.js';
import { Phone, startTestMmsc, type TestMmsc } from '../support/mmsc.js';

const CLI = join(import.meta.dirname, '../../bin/mmsc.js');
const GROUP = Array.from({ length: 40 }, (_, i) => `+4796${String(100000 + i).padStart(6, '0')}`);
const MESSAGES = 700; // enough rows to fill a pipe (64 KiB) so `head` closes it mid-write

function mmsc(args: string[], cwd?: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function sendReq(i: number, to: string[]): MmsPdu {
  return {
    messageType: 'm-send-req', transactionId: `list-${i}`, mmsVersion: '1.2', from: { insertAddress: true }, to: to.map((t) => `${t}/TYPE=PLMN`),
    subject: `message ${i}`, contentType: { type: 'text/plain' }, body: new Uint8Array(Buffer.from(`hello ${i}`)),
  };
}

describe('mmsc messages', () => {
  let t: TestMmsc;
  let cfg: string;
  let groupId: string;
  const dir = mkdtempSync(join(tmpdir(), 'mmsc-messages-'));

  beforeAll(async () => {
    t = await startTestMmsc({}, { dir });
    const phone = new Phone(t.base, '+4796000001');
    for (let i = 0; i < MESSAGES; i += 50) {
      const batch = Array.from({ length: Math.min(50, MESSAGES - i) }, (_, k) => phone.post(sendReq(i + k, ['+4796000002'])));
      for (const r of await Promise.all(batch)) expect(r.pdu?.responseStatus).toBe('Ok');
    }
    const group = await phone.post(sendReq(MESSAGES, GROUP)); // the newest
    expect(group.pdu?.responseStatus).toBe('Ok');
    groupId = group.pdu!.messageId as string;
    // every member notified (the notification is stored with the delivery then)
    for (let i = 0; i < 400 && GROUP.some((g) => !t.pushes.some((p) => p.to === g)); i++) await new Promise((r) => setTimeout(r, 25));
    cfg = join(dir, 'mmsc.yaml');
    writeFileSync(cfg, `store: { path: "${join(dir, 'store')}" }\n`);
  }, 120_000);
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says which store it looked for when there is none, and leaves nothing behind', () => {
    const missing = join(dir, 'nowhere', 'store');
    const other = join(dir, 'other.yaml');
    writeFileSync(other, `store: { path: "${missing}" }\n`);
    for (const sub of [['list'], ['show', 'x']]) {
      const r = mmsc(['messages', ...sub, '--config', other]);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(`mmsc messages: no message store at ${missing} (store.path in ${other}): nothing was stored there yet, or the server runs with another --config\n`);
      expect(existsSync(join(dir, 'nowhere'))).toBe(false);
    }
    // no --config: the default ./data of the current folder
    const cwd = mkdtempSync(join(tmpdir(), 'mmsc-messages-cwd-'));
    const r = mmsc(['messages', 'list'], cwd);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`no message store at ${join(cwd, 'data')} (the default store.path, in the current folder)`);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(cwd, 'data'))).toBe(false);
    rmSync(cwd, { recursive: true });
  });

  it('lists with a header row and "N of TOTAL", shortening long recipient lists', () => {
    const r = mmsc(['messages', 'list', '-n', '3', '--config', cfg]);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ACCEPTED +MESSAGE-ID +FROM +SIZE +RECIPIENTS$/);
    expect(lines).toHaveLength(1 + 3 + 1);
    expect(lines[4]).toBe(`3 of ${(MESSAGES + 1).toLocaleString('en-US')} messages, newest first (-n N shows more)`);
    const group = lines[1];
    expect(group).toContain(groupId);
    expect(group).toMatch(/ \+4796000001 /);
    expect(group).toMatch(new RegExp(`${GROUP[0].replace('+', '\\+')}:\\w+ ${GROUP[1].replace('+', '\\+')}:\\w+ … and ${GROUP.length - 2} more \\(\\w+ ${GROUP.length - 2}\\)$`));
    expect(lines[2]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ +\S+ +\+4796000001 +\d+ B +\+4796000002:\w+$/);
  });

  it('checks -n: a whole number of messages, 1 or more', () => {
    for (const bad of ['abc', '0', '-3', '2.5']) {
      const r = mmsc(['messages', 'list', '-n', bad, '--config', cfg]);
      expect(r.status, bad).not.toBe(0);
      expect(r.stderr, bad).toBe(`error: option '-n, --limit <n>' argument '${bad}' is invalid. expected a whole number of messages, 1 or more (e.g. -n 50)\n`);
    }
  });

  it('stops quietly when the reader does (| head)', () => {
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${CLI}" messages list -n 5000 --config "${cfg}" | head -n 2; echo "exit=\${PIPESTATUS[0]}" >&2`], { encoding: 'utf8' });
    expect(r.stdout.split('\n')[0]).toMatch(/^ACCEPTED/);
    expect(r.stderr).toBe('exit=0\n');
  });

  it('shows one message with its notification decoded and ISO dates', () => {
    const r = mmsc(['messages', 'show', groupId, '--config', cfg]);
    expect(r.status, r.stderr).toBe(0);
    const m = JSON.parse(r.stdout) as {
      acceptedAt: string; headers: { date?: string; subject?: string };
      deliveries: { recipient: string; notification?: { messageType: string; contentLocation: string; transactionId: string }; tid: string; history: { at: string }[] }[];
    };
    const isoTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
    expect(m.acceptedAt).toMatch(isoTime);
    expect(m.headers.subject).toBe(`message ${MESSAGES}`);
    if (m.headers.date !== undefined) expect(m.headers.date).toMatch(isoTime);
    expect(m.deliveries).toHaveLength(GROUP.length);
    const notified = m.deliveries.filter((d) => d.notification);
    expect(notified).toHaveLength(GROUP.length);
    for (const d of notified) {
      expect(d.notification).toMatchObject({ messageType: 'm-notification-ind', transactionId: d.tid });
      expect(d.notification!.contentLocation).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/m\//);
    }
    for (const h of m.deliveries[0].history) expect(h.at).toMatch(isoTime);
    expect(r.stdout).not.toContain('"type": "Buffer"');
    const none = mmsc(['messages', 'show', 'no-such-id', '--config', cfg]);
    expect(none.status).toBe(1);
    expect(none.stderr).toBe(`mmsc messages: no message no-such-id in the store at ${join(dir, 'store')}\n`);
  });
});
