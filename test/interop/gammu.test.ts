// Proof that the simulator speaks real AT: gammu (an independent AT client, Debian package)
// talks to a virtual modem on its pty. It must identify the modem and send SMS that the
// virtual phone receives with the right text. Gammu is slow to connect (~4 s), so the cases
// run concurrently, each with its own network and pty.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ModemLab } from '../support/pty.js';

const run = promisify(execFile);

async function gammu(lab: ModemLab, device: string, args: string[]): Promise<string> {
  const rc = join(lab.dir, 'gammurc');
  writeFileSync(rc, `[gammu]\ndevice = ${device}\nconnection = at\nlogformat = textall\nlogfile = ${join(lab.dir, 'gammu.log')}\n`);
  try {
    const { stdout } = await run('gammu', ['-c', rc, ...args], { timeout: 40_000 });
    return stdout;
  } catch (err) {
    const e = err as { code?: string; stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') throw new Error('gammu is not installed (apt-get install gammu; .ci/run installs it)');
    throw new Error(`gammu ${args.join(' ')} failed: ${e.stdout ?? ''} ${e.stderr ?? ''}`);
  }
}

/** "Manufacturer         : Huawei" -> { Manufacturer: 'Huawei' } */
function fields(out: string): Record<string, string> {
  const r: Record<string, string> = {};
  for (const line of out.split('\n')) {
    const m = /^([A-Za-z][A-Za-z ]*?)\s*:\s(.*)$/.exec(line);
    if (m) r[m[1].trim()] = m[2].trim();
  }
  return r;
}

describe.concurrent('gammu against the simulated modem', () => {
  it('identifies a simulated Huawei E173: manufacturer, model, IMEI, SIM IMSI', { timeout: 60_000 }, async () => {
    const lab = new ModemLab('pty');
    try {
      const { modem: vm, port } = await lab.modem({ dialect: 'huawei' });
      const f = fields(await gammu(lab, port.path, ['identify']));
      expect(f.Manufacturer.toLowerCase()).toBe(vm.dialect.manufacturer.toLowerCase());
      expect(f.Model).toContain(vm.dialect.model);
      expect(f.Firmware).toBe(vm.dialect.revision);
      expect(f.IMEI).toBe(vm.imei);
      expect(f['SIM IMSI']).toBe(vm.imsi);
    } finally {
      await lab.close();
    }
  });

  it('sends an SMS through a simulated Huawei that the virtual phone receives', { timeout: 60_000 }, async () => {
    const lab = new ModemLab('pty');
    try {
      const { modem: vm, port } = await lab.modem({ dialect: 'huawei' });
      const phone = lab.phone('+15554000001');
      const text = 'Hello from gammu, via a virtual E173';
      const out = await gammu(lab, port.path, ['sendsms', 'TEXT', phone.msisdn, '-text', text]);
      expect(out).toMatch(/OK, message reference=\d+/);
      const [msg] = await phone.waitForInbox(1);
      expect(msg.text).toBe(text);
      expect(msg.address.number).toBe(vm.msisdn.slice(1));
      expect(lab.network.deliveredTo(phone.msisdn)).toHaveLength(1);
    } finally {
      await lab.close();
    }
  });

  it('sends a two-part text through a simulated SIM800, reassembled by the phone', { timeout: 60_000 }, async () => {
    const lab = new ModemLab('pty');
    try {
      const { modem: vm, port } = await lab.modem({ dialect: 'simcom' });
      const phone = lab.phone('+15554000002');
      const text = 'A longer message from gammu that needs two SMS segments. '.repeat(4).trim();
      await gammu(lab, port.path, ['sendsms', 'TEXT', phone.msisdn, '-len', String(text.length), '-text', text]);
      const [msg] = await phone.waitForInbox(1);
      expect(msg.text).toBe(text);
      expect(msg.parts).toHaveLength(2);
      expect(lab.network.deliveredTo(phone.msisdn)).toHaveLength(2);
      expect(vm.stats.sent).toBe(2);
    } finally {
      await lab.close();
    }
  });

  it('sends UCS-2 text through a simulated Quectel EC25', { timeout: 60_000 }, async () => {
    const lab = new ModemLab('pty');
    try {
      const { port } = await lab.modem({ dialect: 'quectel' });
      const phone = lab.phone('+15554000003');
      const text = 'Привет из gammu, ελληνικά';
      await gammu(lab, port.path, ['sendsms', 'TEXT', phone.msisdn, '-unicode', '-text', text]);
      const [msg] = await phone.waitForInbox(1);
      expect(msg.text).toBe(text);
      expect(msg.parts[0].dcs.alphabet).toBe('ucs2');
    } finally {
      await lab.close();
    }
  });
});
