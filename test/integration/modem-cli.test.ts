// `mmsc modem probe|send|simulate` as functions, against simulated modems on ptys.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { modemProbeCommand, modemSendCommand, modemSimulateCommand, probeModem } from '../../src/bearer/modem/cli.js';
import { FAST, ModemLab } from '../support/pty.js';

let lab: ModemLab;
afterEach(async () => {
  await lab?.close();
});

function capture(): { out: (t: string) => void; text: () => string } {
  const lines: string[] = [];
  return { out: (t) => void lines.push(t), text: () => lines.join('\n') };
}

describe('mmsc modem probe', () => {
  it('prints identity, SIM, registration, operator, signal and SMSC', async () => {
    lab = new ModemLab('pty');
    const { modem: vm, port } = await lab.modem({ dialect: 'quectel', rssi: 25 });
    const c = capture();
    const code = await modemProbeCommand(port.path, { out: c.out, logger: lab.log.logger, timeouts: FAST });
    expect(code).toBe(0);
    const t = c.text();
    expect(t).toMatch(/^State\s+ready \(home\)$/m);
    expect(t).toMatch(/^Manufacturer\s+Quectel$/m);
    expect(t).toMatch(/^Model\s+EC25$/m);
    expect(t).toContain(`IMEI          ${vm.imei}`);
    expect(t).toContain(`IMSI ${vm.imsi}, ICCID ${vm.iccid}`);
    expect(t).toMatch(/^Registration\s+CS home \(LAC 00A1, cell B2C3\)/m);
    expect(t).toMatch(/^Operator\s+Virtual Network$/m);
    expect(t).toMatch(/^Signal\s+-63 dBm \(CSQ 25\)$/m);
    expect(t).toMatch(new RegExp(`^SMSC\\s+\\${lab.network.smsc}$`, 'm'));
  });

  it('leaves stored messages where they are', async () => {
    lab = new ModemLab('pty');
    const { modem: vm, port } = await lab.modem({ dialect: 'huawei' });
    await lab.phone('+15556000001').sendText(vm.msisdn, 'keep me');
    await lab.network.idle();
    const r = await probeModem(port.path, { logger: lab.log.logger, timeouts: FAST });
    expect(r.status.state).toBe('ready');
    expect(vm.stored('SM')).toHaveLength(1);
    expect(vm.stats.commands.some((c) => c.startsWith('AT+CMGL') || c.startsWith('AT+CNMI='))).toBe(false);
  });

  it('says why when there is no modem, or when the SIM wants a PIN', async () => {
    lab = new ModemLab('pty');
    const c = capture();
    expect(await modemProbeCommand(join(lab.dir, 'ttyUSB9'), { out: c.out, logger: lab.log.logger, timeouts: FAST })).toBe(1);
    expect(c.text()).toMatch(/^State\s+missing \(cannot open .*ttyUSB9: no such device\)$/m);
    const { port } = await lab.modem({ dialect: 'simcom', pin: '1234' });
    const c2 = capture();
    expect(await modemProbeCommand(port.path, { out: c2.out, logger: lab.log.logger, timeouts: FAST, json: true })).toBe(1);
    expect(JSON.parse(c2.text()).status).toMatchObject({ state: 'pin-required' });
  });
});

describe('a port another program holds', () => {
  it('is refused as busy (serialport locks the tty), not taken over', async () => {
    lab = new ModemLab('pty');
    const { port } = await lab.modem({ dialect: 'huawei' });
    const holder = lab.driver(port);
    await holder.start();
    const c = capture();
    expect(await modemProbeCommand(port.path, { out: c.out, logger: lab.log.logger, timeouts: FAST })).toBe(1);
    expect(c.text()).toMatch(/^State\s+gone \(cannot open .*: in use by another program/m);
    expect(holder.status.state).toBe('ready');
  });
});

describe('mmsc modem send', () => {
  it('segments a long text with the codec and sends it', async () => {
    lab = new ModemLab('pty');
    const { port } = await lab.modem({ dialect: 'sierra' });
    const phone = lab.phone('+15556000002');
    const text = 'A long text from the command line, which the codec cuts into concatenated segments. '.repeat(3);
    const c = capture();
    expect(await modemSendCommand(port.path, { to: phone.msisdn, text, out: c.out, logger: lab.log.logger, timeouts: FAST })).toBe(0);
    expect(c.text()).toMatch(/^sent 2 segments to \+15556000002 through .* TP-MR 0, 1$/);
    const [m] = await phone.waitForInbox(1);
    expect(m.text).toBe(text);
  });

  it('reports a refusal with its class', async () => {
    lab = new ModemLab('pty');
    const { port } = await lab.modem({ dialect: 'generic' });
    lab.network.reject('+15556000003', 10);
    const c = capture();
    expect(await modemSendCommand(port.path, { to: '+15556000003', text: 'barred', out: c.out, logger: lab.log.logger, timeouts: FAST })).toBe(1);
    expect(c.text()).toMatch(/^not sent: segment 1: .*\+CMS ERROR 10 \(Call barred\) \[permanent, call-barred\]$/);
  });
});

describe('mmsc modem simulate', () => {
  it('serves virtual modems on ptys that probe finds ready', async () => {
    lab = new ModemLab('pty');
    const c = capture();
    const sim = await modemSimulateCommand({ dir: lab.dir, dialects: ['simcom', 'generic'], out: c.out, logger: lab.log.logger });
    try {
      expect(sim.paths).toHaveLength(2);
      expect(sim.paths.every((p) => existsSync(p))).toBe(true);
      expect(c.text()).toMatch(/^simcom modem \+15550000001 \(IMEI \d{15}\) at /m);
      const r = await probeModem(sim.paths[1], { logger: lab.log.logger, timeouts: FAST });
      expect(r.status.state).toBe('ready');
      expect(r.info?.identity.vendor).toBe('generic');
    } finally {
      await sim.stop();
    }
  });
});
