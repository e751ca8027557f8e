// The driver through the faults real modems have: refused sends, a modem that stops
// answering, lost answers, a port that vanishes and comes back under another name, garbage,
// no network, SIM trouble, a reboot. Each asserts the state the driver shows, the log line,
// and - by counting what the virtual network delivered - that no SMS handed to the driver was
// lost or sent twice.
import { afterEach, describe, expect, it } from 'vitest';
import { ModemSendError } from '../../src/bearer/modem/errors.js';
import type { IncomingPdu } from '../../src/bearer/modem/types.js';
import { ModemLab, recordStates, textPdus, until } from '../support/pty.js';

let lab: ModemLab;
afterEach(async () => {
  await lab?.close();
});

async function sendError(p: Promise<unknown>): Promise<ModemSendError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ModemSendError);
    return err as ModemSendError;
  }
  throw new Error('expected the send to fail');
}

const THREE = 'Three segments of text are needed for this notification, so the driver links them with +CMMS. '.repeat(4);

describe('refused sends', () => {
  it('reports a temporary +CMS ERROR on the 2nd segment with what went out, and resumes without duplicates', async () => {
    lab = new ModemLab('pty');
    const { modem: vm, port } = await lab.modem({ dialect: 'huawei' });
    const phone = lab.phone('+15553000001');
    const d = lab.driver(port);
    await d.start();
    const pdus = textPdus(phone.msisdn, THREE, { ref: 3 });
    expect(pdus).toHaveLength(3);
    vm.inject({ kind: 'cms-error', send: 2, code: 38 });
    const e = await sendError(d.send(pdus));
    expect(e).toMatchObject({ code: 'CMS_ERROR', value: 38, reason: 'network-out-of-order', class: 'temporary', failedSegment: 1, maybeSent: false });
    expect(e.sent).toHaveLength(1);
    expect(d.status.state).toBe('ready'); // a refusal is not a modem fault
    const rest = await d.send(pdus.slice(e.sent.length));
    expect(rest.mrs).toHaveLength(2);
    await phone.waitForInbox(1);
    expect(phone.inbox[0].text).toBe(THREE);
    expect(lab.network.deliveredTo(phone.msisdn)).toHaveLength(3);
  });

  it('classes an unassigned number as permanent', async () => {
    lab = new ModemLab('pty');
    const { port } = await lab.modem({ dialect: 'simcom' });
    lab.network.reject('+15550009999', 1);
    const d = lab.driver(port);
    await d.start();
    const e = await sendError(d.send(textPdus('+15550009999', 'nobody there')));
    expect(e).toMatchObject({ code: 'CMS_ERROR', value: 1, reason: 'unassigned-number', class: 'permanent', scope: 'message', maybeSent: false });
    expect(lab.network.submissions).toHaveLength(0);
  });

  it('refuses a PDU whose <length> does not match before touching the modem', async () => {
    lab = new ModemLab('pty');
    const { modem: vm, port } = await lab.modem({ dialect: 'generic' });
    const d = lab.driver(port);
    await d.start();
    const [p] = textPdus('+15553000002', 'x');
    await expect(d.send([{ hex: p.hex, length: p.length + 1 }])).rejects.toMatchObject({ code: 'BAD_ARGUMENT', class: 'permanent' });
    expect(vm.stats.sendAttempts).toBe(0);
  });
});

describe('a modem that stops answering', () => {
  it('times out, escapes, reopens the port, re-initialises, and sends again exactly once', async () => {
    lab = new ModemLab('pty');
    const { modem: vm, port } = await lab.modem({ dialect: 'quectel' });
    const phone = lab.phone('+15553000003');
    const d = lab.driver(port, { timeouts: { prompt: 300, command: 300 } });
    await d.start();
    const states = recordStates(d);
    // Hung: the AT+CMGS and the two escape probes get nothing; the reopened port answers.
    vm.inject({ kind: 'silent', commands: 3 });
    const e = await sendError(d.send(textPdus(phone.msisdn, 'after the hang')));
    expect(e).toMatchObject({ code: 'PROMPT_TIMEOUT', maybeSent: false, sent: [] });
    await d.waitFor('ready', 10_000);
    expect(states).toEqual(['unresponsive', 'initialising', 'ready']);
    expect(lab.log.messages(40).filter((m) => m.startsWith('modem unresponsive'))).toHaveLength(1);
    await d.send(textPdus(phone.msisdn, 'after the hang'));
    await phone.waitForInbox(1);
    expect(lab.network.deliveredTo(phone.msisdn)).toHaveLength(1);
  });

  it('says "maybe sent" when the answer to a written PDU is lost, and tells the two cases apart in the network', async () => {
    lab = new ModemLab('pty');
    const { modem: vm, port } = await lab.modem({ dialect: 'sierra' });
    const phone = lab.phone('+15553000004');
    const d = lab.driver(port, { timeouts: { send: 300 } });
    await d.start();
    // The network took it, the answer got lost: resending would duplicate it.
    vm.inject({ kind: 'lose-answer', send: 1, delivered: true });
    const e1 = await sendError(d.send(textPdus(phone.msisdn, 'answer lost')));
    expect(e1).toMatchObject({ code: 'TIMEOUT', maybeSent: true, failedSegment: 0 });
    await d.waitFor('ready', 10_000);
    await phone.waitForInbox(1);
    // Lost before the network: the same report; a resend delivers it once.
    vm.inject({ kind: 'lose-answer', send: 1, delivered: false });
    const e2 = await sendError(d.send(textPdus(phone.msisdn, 'lost before the network')));
    expect(e2).toMatchObject({ code: 'TIMEOUT', maybeSent: true });
    await d.waitFor('ready', 10_000);
    expect(lab.network.deliveredTo(phone.msisdn)).toHaveLength(1);
    await d.send(textPdus(phone.msisdn, 'lost before the network'));
    await phone.waitForInbox(2);
    expect(phone.inbox.map((m) => m.text)).toEqual(['answer lost', 'lost before the network']);
    expect(lab.network.deliveredTo(phone.msisdn)).toHaveLength(2);
  });
});

describe('a port that vanishes', () => {
  it('goes "gone", finds the modem by IMEI under its new name, and gets what arrived meanwhile', async () => {
    lab = new ModemLab('pty');
    const { modem: vm, port } = await lab.modem({ dialect: 'huawei', name: 'ttyUSB' });
    const phone = lab.phone('+15553000005');
    const sms: IncomingPdu[] = [];
    const d = lab.driver(port, { onSms: async (m) => void sms.push(m), timeouts: { poll: 100 } });
    await d.start();
    const oldPath = port.path;
    const states = recordStates(d);
    await port.vanish();
    await d.waitFor('gone', 5_000);
    await expect(d.send(textPdus(phone.msisdn, 'nowhere to go'))).rejects.toMatchObject({ code: 'NOT_READY', maybeSent: false });
    // An SMS for the modem while it is unplugged: the SMSC keeps it and retries.
    const sending = phone.sendText(vm.msisdn, 'sent while unplugged');
    await port.reappear(`${lab.dir}/ttyUSB7`);
    await d.waitFor('ready', 10_000);
    await sending;
    expect(d.status.path).toBe(`${lab.dir}/ttyUSB7`);
    expect(d.status.path).not.toBe(oldPath);
    expect(states[0]).toBe('gone');
    expect(states[states.length - 1]).toBe('ready');
    expect(lab.log.lines.some((l) => l.msg === 'modem found on another port' && l.to === `${lab.dir}/ttyUSB7`)).toBe(true);
    await until(() => sms.length === 1, 'the SMS that waited in the network');
    await d.send(textPdus(phone.msisdn, 'back again'));
    await phone.waitForInbox(1);
    expect(lab.network.deliveredTo(phone.msisdn)).toHaveLength(1);
    expect(lab.network.deliveredTo(vm.msisdn)).toHaveLength(1);
  });

  it('does not take another modem for ours', async () => {
    lab = new ModemLab('pty');
    const { port } = await lab.modem({ dialect: 'simcom', name: 'ttyACM' });
    // An idle pty does not always report its hang-up: the poll notices the device is gone.
    const d = lab.driver(port, { timeouts: { poll: 100 } });
    await d.start();
    await port.vanish();
    await d.waitFor('gone', 5_000);
    const other = await lab.modem({ dialect: 'simcom', name: 'ttyACM' }); // same stem, other IMEI
    expect(other.modem.imei).not.toBe(d.status.imei);
    await port.reappear();
    await d.waitFor('ready', 10_000);
    expect(d.status.path).toBe(port.path);
  });
});

describe('noise, network and SIM', () => {
  it('survives garbage bytes between and inside answers', async () => {
    lab = new ModemLab('pty');
    const { modem: vm, port } = await lab.modem({ dialect: 'generic' });
    const phone = lab.phone('+15553000006');
    const d = lab.driver(port);
    await d.start();
    vm.garbage(Buffer.from([0x00, 0xff, 0xfe, 0x13, 0x88, 0x0d, 0x0a, 0xfa]));
    const r = await d.send(textPdus(phone.msisdn, 'through the noise'));
    expect(r.mrs).toHaveLength(1);
    vm.garbage('\r\n~~~ line noise ~~~\r\n\xff\xff');
    await d.refresh();
    expect(d.status.state).toBe('ready');
    await phone.waitForInbox(1);
    expect(lab.network.deliveredTo(phone.msisdn)).toHaveLength(1);
  });

  it('waits as "searching" without network, refuses to send, and is ready once registered', async () => {
    lab = new ModemLab('pty');
    const { modem: vm, port } = await lab.modem({ dialect: 'quectel', registration: 2 });
    const phone = lab.phone('+15553000007');
    const d = lab.driver(port);
    expect((await d.start()).state).toBe('searching');
    await expect(d.send(textPdus(phone.msisdn, 'no network'))).rejects.toMatchObject({ code: 'NOT_READY', reason: 'searching' });
    const sending = d.send(textPdus(phone.msisdn, 'once registered'), { waitReadyMs: 10_000 });
    vm.setRegistration(1); // +CREG: 1 ... arrives unsolicited
    await sending;
    expect(d.status.state).toBe('ready');
    vm.setRegistration(3);
    await d.waitFor('denied', 5_000);
    expect(lab.network.deliveredTo(phone.msisdn)).toHaveLength(1);
  });

  it('shows "no-sim" without a SIM', async () => {
    lab = new ModemLab('pty');
    const { port } = await lab.modem({ dialect: 'simcom', sim: 'absent' });
    const d = lab.driver(port);
    const st = await d.start();
    expect(st).toMatchObject({ state: 'no-sim', detail: 'sim not inserted' });
    expect(lab.log.messages(40)).toContain('modem no-sim: sim not inserted');
  });

  it('enters the configured PIN', async () => {
    lab = new ModemLab('pty');
    const { modem: vm, port } = await lab.modem({ dialect: 'huawei', pin: '4321' });
    const d = lab.driver(port, { pin: '4321' });
    expect((await d.start()).state).toBe('ready');
    expect(vm.sim).toBe('ready');
    expect(d.info?.identity.imsi).toBe(vm.imsi);
  });

  it('asks for a PIN when none is configured', async () => {
    lab = new ModemLab('pty');
    const { port } = await lab.modem({ dialect: 'huawei', pin: '4321' });
    const d = lab.driver(port);
    expect(await d.start()).toMatchObject({ state: 'pin-required', detail: 'the SIM asks for a PIN and none is configured' });
  });

  it('tries a wrong PIN once and never again, even across re-initialisations', async () => {
    lab = new ModemLab('pty');
    const { modem: vm, port } = await lab.modem({ dialect: 'simcom', pin: '4321' });
    const d = lab.driver(port, { pin: '0000' });
    expect(await d.start()).toMatchObject({ state: 'pin-required', detail: expect.stringMatching(/refused the configured PIN/) });
    expect(vm.pinAttemptsLeft).toBe(2);
    vm.powerOn(); // "RDY": the driver sets the modem up again
    await until(() => vm.stats.commands.filter((c) => c === 'AT+CPIN?').length >= 2, 'a second start-up');
    await d.waitFor('pin-required', 5_000);
    expect(vm.pinAttemptsLeft).toBe(2);
    expect(vm.stats.commands.filter((c) => c.startsWith('AT+CPIN="'))).toEqual(['AT+CPIN="0000"']);
  });

  it('shows "puk-required" for a blocked SIM', async () => {
    lab = new ModemLab('pty');
    const { port } = await lab.modem({ dialect: 'generic', sim: 'puk', pin: '1111' });
    const d = lab.driver(port, { pin: '1111' });
    expect((await d.start()).state).toBe('puk-required');
  });
});

describe('a modem that reboots', () => {
  it('sets the modem up again when it announces a restart, and keeps receiving', async () => {
    lab = new ModemLab('pty');
    const { modem: vm, port } = await lab.modem({ dialect: 'simcom' });
    const phone = lab.phone('+15553000008');
    const sms: IncomingPdu[] = [];
    const d = lab.driver(port, { onSms: async (m) => void sms.push(m) });
    await d.start();
    const states = recordStates(d);
    vm.powerOn(); // settings lost, "RDY" ... "SMS Ready"
    expect(vm.routing.mt).toBe(0);
    await until(() => states.includes('ready') && vm.routing.mt === 1, 'the new set-up');
    await phone.sendText(vm.msisdn, 'after the reboot');
    await until(() => sms.length === 1, 'the SMS after the reboot');
    expect(lab.log.lines.some((l) => l.msg === 'modem set up again' && /restarted \(RDY\)/.test(String(l.why)))).toBe(true);
  });
});

describe('in-process transport (no socat)', () => {
  it('runs the same driver over an in-memory port, vanishing included', async () => {
    lab = new ModemLab('in-process');
    const { modem: vm, port } = await lab.modem({ dialect: 'quectel' });
    const phone = lab.phone('+15553000009');
    const sms: IncomingPdu[] = [];
    const d = lab.driver(port, { onSms: async (m) => void sms.push(m) });
    expect((await d.start()).state).toBe('ready');
    await d.send(textPdus(phone.msisdn, 'in process'));
    await phone.sendText(vm.msisdn, 'to the modem');
    await until(() => sms.length === 1, 'the SMS');
    await port.vanish();
    await d.waitFor('gone', 5_000);
    await port.reappear('/virtual/modem9');
    await d.waitFor('ready', 10_000);
    expect(d.status.path).toBe('/virtual/modem9');
    await phone.waitForInbox(1);
    expect(lab.network.deliveredTo(phone.msisdn)).toHaveLength(1);
  });

  it('says in a log line that it fell back to an in-process port', async () => {
    const { servePort, InProcessPorts, VirtualModem, VirtualNetwork } = await import('../../src/bearer/simulator/index.js');
    lab = new ModemLab('in-process');
    const net = new VirtualNetwork();
    const vm = new VirtualModem(net, { msisdn: '+15553000010' });
    const served = await servePort(vm, '/virtual/fallback', { socat: false, logger: lab.log.logger, inProcess: new InProcessPorts() });
    expect(served.kind).toBe('in-process');
    expect(lab.log.messages(40).some((m) => m.startsWith('socat is not installed'))).toBe(true);
    await served.close();
    net.close();
  });
});
