// The modem driver against every simulated dialect, each on a pseudo-terminal opened with the
// real serialport package: start-up, identity, registration, signal, SMSC, sending (one and
// several segments, with +CMMS), receiving (+CMTI, +CMT), status reports, and messages left in
// storage before start-up. Every check counts what the virtual network delivered.
import { afterEach, describe, expect, it } from 'vitest';
import type { IncomingPdu, IncomingStatusReport } from '../../src/bearer/modem/types.js';
import { DIALECTS, type DialectName } from '../../src/bearer/simulator/index.js';
import { smsStatusGroup } from '../../src/codec/sms/index.js';
import { ModemLab, textPdus, until } from '../support/pty.js';

const LONG = 'The MMSC sends notifications as WAP push over SMS; this text needs two segments of GSM 7-bit. '.repeat(2);

let lab: ModemLab;
afterEach(async () => {
  await lab?.close();
});

function inboxOf(list: IncomingPdu[]): string[] {
  return list.map((m) => (m.message?.tpdu.type === 'SMS-DELIVER' ? (m.message.tpdu.text ?? '') : '?'));
}

const dialects = Object.keys(DIALECTS) as DialectName[];

describe.each(dialects)('driver on a simulated %s modem (pty)', (name) => {
  it('starts, identifies, sends and receives', async () => {
    lab = new ModemLab('pty');
    // Two dialects put their unsolicited codes in the middle of responses.
    const { modem: vm, port } = await lab.modem({ dialect: name, urcsMidResponse: name === 'huawei' || name === 'sierra' });
    const phone = lab.phone('+15552000001');
    const sms: IncomingPdu[] = [];
    const reports: IncomingStatusReport[] = [];
    const d = lab.driver(port, {
      onSms: async (m) => void sms.push(m),
      onStatusReport: async (r) => void reports.push(r),
    });
    const st = await d.start();
    expect(st.state).toBe('ready');
    expect(st.imei).toBe(vm.imei);

    const info = d.info!;
    expect(info.identity).toEqual({
      vendor: name, manufacturer: vm.dialect.manufacturer, model: vm.dialect.model, revision: vm.dialect.revision,
      imei: vm.imei, imsi: vm.imsi, iccid: vm.iccid,
    });
    expect(info.network.creg?.registered).toBe(true);
    expect(info.network.operator).toBe(lab.network.operator.long);
    expect(info.network.rssi).toBe(20);
    expect(info.network.dbm).toBe(-73);
    expect(info.network.smsc).toBe(lab.network.smsc);
    expect(info.sms.sms).toBe('store');
    // Sierra cannot route status reports to the host: they are stored and announced (+CDSI).
    expect(info.sms.reports).toBe(name === 'sierra' ? 'store' : 'direct');
    if (name === 'huawei') vm.noise();

    // one segment
    const one = await d.send(textPdus(phone.msisdn, 'hello from the MMSC'));
    expect(one.mrs).toHaveLength(1);
    expect(one.modem).toBe(vm.imei);

    // two segments, linked with +CMMS where the modem has it, with status reports
    const parts = textPdus(phone.msisdn, LONG, { ref: 9, statusReportRequest: true });
    expect(parts).toHaveLength(2);
    const two = await d.send(parts);
    expect(two.mrs).toHaveLength(2);
    expect(new Set([...one.mrs, ...two.mrs]).size).toBe(3);
    expect(vm.stats.sentWithCmms).toBe(vm.dialect.cmms ? 2 : 0);
    expect(d.info?.sms.cmms).toBe(vm.dialect.cmms);

    await phone.waitForInbox(2);
    expect(phone.inbox.map((m) => m.text)).toEqual(['hello from the MMSC', LONG]);
    expect(lab.network.deliveredTo(phone.msisdn)).toHaveLength(3); // nothing twice

    await until(() => reports.length === 2, 'two status reports');
    expect(reports.map((r) => r.report?.mr).sort()).toEqual([...two.mrs].sort());
    expect(reports.every((r) => r.report !== null && smsStatusGroup(r.report.status) === 'completed')).toBe(true);
    expect(reports.every((r) => r.report?.recipient.number === phone.msisdn.slice(1))).toBe(true);
    if (name === 'sierra') expect(reports.every((r) => r.storage?.memory === 'SR')).toBe(true);

    // an SMS from the phone: stored, announced, read, handed over, deleted
    await phone.sendText(vm.msisdn, 'reply from a phone');
    await until(() => sms.length === 1, 'the SMS from the phone');
    expect(inboxOf(sms)).toEqual(['reply from a phone']);
    expect(sms[0].storage?.memory).toBe('SM');
    expect(sms[0].message?.tpdu.type === 'SMS-DELIVER' && sms[0].message.tpdu.originator.number).toBe(phone.msisdn.slice(1));
    await until(() => vm.stored('SM').length === 0, 'the SMS to be deleted from the SIM');
    expect(lab.network.deliveredTo(vm.msisdn)).toHaveLength(1);

    // a two-part SMS arrives as two PDUs (reassembly is the relay's), each once
    await phone.sendText(vm.msisdn, LONG);
    await until(() => sms.length === 3, 'both parts');
    const concat = sms.slice(1).map((m) => (m.message?.tpdu.type === 'SMS-DELIVER' ? m.message.tpdu.udh?.concat?.seq : null));
    expect(concat.sort()).toEqual([1, 2]);
    expect(new Set(sms.map((m) => m.key)).size).toBe(3);
    if (name === 'huawei' || name === 'sierra') expect(vm.stats.urcsInResponses).toBeGreaterThan(0);
  });

  it('reads what was stored before start-up, then takes direct deliveries (+CMT, +CNMA where offered)', async () => {
    lab = new ModemLab('pty');
    // Radio on from power-on (a Sierra boots with it off and could not take the SMS yet).
    const { modem: vm, port } = await lab.modem({ dialect: name, overrides: { cfunAtBoot: 1 } });
    const phone = lab.phone('+15552000005');
    await phone.sendText(vm.msisdn, 'waiting in the SIM'); // no +CNMI yet: stored quietly
    await lab.network.idle();
    expect(vm.stored('SM')).toHaveLength(1);
    const sms: IncomingPdu[] = [];
    const reports: IncomingStatusReport[] = [];
    const d = lab.driver(port, { receive: 'direct', onSms: async (m) => void sms.push(m), onStatusReport: async (r) => void reports.push(r) });
    await d.start();
    await until(() => sms.length === 1, 'the stored SMS');
    expect(sms[0].storage).toEqual({ memory: 'SM', index: vm.dialect.firstIndex });
    await until(() => vm.stored('SM').length === 0, 'the stored SMS to be deleted');
    expect(d.info?.sms).toMatchObject({ sms: 'direct', acknowledge: vm.dialect.phase2plus });
    await phone.sendText(vm.msisdn, 'straight through');
    await until(() => sms.length === 2, 'the direct SMS');
    expect(inboxOf(sms)).toEqual(['waiting in the SIM', 'straight through']);
    expect(sms[1].storage).toBeNull();
    const r = await d.send(textPdus(phone.msisdn, 'report back', { statusReportRequest: true }));
    await until(() => reports.length === 1, 'the status report');
    expect(reports[0].report?.mr).toBe(r.mrs[0]);
    // +CNMA for the direct SMS and, where reports come directly (+CDS), for the report too.
    const acks = vm.dialect.phase2plus ? (d.info?.sms.reports === 'direct' ? 2 : 1) : 0;
    await until(() => vm.stats.acks === acks, `${acks} acknowledgement(s)`);
    expect(lab.network.deliveredTo(vm.msisdn)).toHaveLength(2);
    expect(lab.network.deliveredTo(phone.msisdn)).toHaveLength(1);
  });
});

describe('modem to modem, air time, and quirky strings', () => {
  it('waits for the air time the network takes', async () => {
    lab = new ModemLab('pty', { airTimeMs: 40, deliveryDelayMs: 20 });
    const { port } = await lab.modem({ dialect: 'generic' });
    const phone = lab.phone('+15552000007');
    const d = lab.driver(port);
    await d.start();
    const r = await d.send(textPdus(phone.msisdn, 'slow radio '.repeat(20), { ref: 4 }));
    expect(r.mrs).toHaveLength(2);
    const [m] = await phone.waitForInbox(1);
    expect(m.text).toBe('slow radio '.repeat(20));
  });

  it('lets the send in progress finish on close(), and refuses new ones', async () => {
    lab = new ModemLab('pty', { airTimeMs: 80 });
    const { port } = await lab.modem({ dialect: 'quectel' });
    const phone = lab.phone('+15552000008');
    const d = lab.driver(port);
    await d.start();
    const inFlight = d.send(textPdus(phone.msisdn, 'finishing while closing'));
    const closing = d.close();
    const late = d.send(textPdus(phone.msisdn, 'too late')).then(() => null, (e: unknown) => e);
    await closing;
    expect((await inFlight).mrs).toHaveLength(1);
    expect(await late).toMatchObject({ code: 'CLOSED', maybeSent: false });
    expect(d.status.state).toBe('closed');
    await lab.network.idle();
    expect(lab.network.deliveredTo(phone.msisdn)).toHaveLength(1);
  });

  it('delivers an SMS from one driven modem to another', async () => {
    lab = new ModemLab('pty');
    const a = await lab.modem({ dialect: 'quectel' });
    const b = await lab.modem({ dialect: 'huawei' });
    const got: IncomingPdu[] = [];
    const da = lab.driver(a.port);
    const db = lab.driver(b.port, { onSms: async (m) => void got.push(m) });
    await Promise.all([da.start(), db.start()]);
    await da.send(textPdus(b.modem.msisdn, 'modem to modem'));
    await until(() => got.length === 1, 'the SMS at the other modem');
    expect(inboxOf(got)).toEqual(['modem to modem']);
    expect(got[0].modem).toBe(b.modem.imei);
  });

  it('reads SMSC and operator sent as UCS-2 hex by a Huawei that ignores +CSCS', async () => {
    lab = new ModemLab('pty');
    const { port } = await lab.modem({ dialect: 'huawei', overrides: { ucs2Strings: true } });
    const d = lab.driver(port);
    await d.start();
    expect(d.info?.network.smsc).toBe(lab.network.smsc);
    expect(d.info?.network.operator).toBe(lab.network.operator.long);
  });

  it('switches on the radio of a Sierra that boots with +CFUN: 4', async () => {
    lab = new ModemLab('pty');
    const { modem: vm, port } = await lab.modem({ dialect: 'sierra' });
    expect(vm.dialect.cfunAtBoot).toBe(4);
    const d = lab.driver(port);
    expect((await d.start()).state).toBe('ready');
    expect(vm.stats.commands).toContain('AT+CFUN=1');
  });
});

describe('receiving', () => {
  it('reads messages left in storage before start-up, then deletes them', async () => {
    lab = new ModemLab('pty');
    const { modem: vm, port } = await lab.modem({ dialect: 'simcom' });
    const phone = lab.phone('+15552000002');
    // Nobody has set +CNMI yet: the modem stores quietly.
    await phone.sendText(vm.msisdn, 'first, while nobody listened');
    await phone.sendText(vm.msisdn, 'second, while nobody listened');
    await lab.network.idle();
    expect(vm.stored('SM')).toHaveLength(2);
    const sms: IncomingPdu[] = [];
    const d = lab.driver(port, { onSms: async (m) => void sms.push(m) });
    await d.start();
    await until(() => sms.length === 2, 'the stored messages');
    expect(inboxOf(sms)).toEqual(['first, while nobody listened', 'second, while nobody listened']);
    await until(() => vm.stored('SM').length === 0, 'the memory to be emptied');
  });

  it('takes direct deliveries (+CMT) and acknowledges them after the handler resolved (+CNMA)', async () => {
    lab = new ModemLab('pty');
    const { modem: vm, port } = await lab.modem({ dialect: 'quectel' });
    const phone = lab.phone('+15552000003');
    const sms: IncomingPdu[] = [];
    const d = lab.driver(port, { receive: 'direct', onSms: async (m) => void sms.push(m) });
    await d.start();
    expect(d.info?.sms).toMatchObject({ sms: 'direct', acknowledge: true });
    await phone.sendText(vm.msisdn, 'straight to the host');
    await until(() => vm.stats.acks === 1, 'the acknowledgement');
    expect(inboxOf(sms)).toEqual(['straight to the host']);
    expect(sms[0].storage).toBeNull();
    expect(vm.stored('SM')).toHaveLength(0);
    expect(lab.network.deliveredTo(vm.msisdn)).toHaveLength(1);
  });

  it('answers a failed direct delivery with RP-ERROR (+CNMA=2), so the network offers it again', async () => {
    lab = new ModemLab('pty', { retryMs: 20 });
    const { modem: vm, port } = await lab.modem({ dialect: 'simcom' });
    const phone = lab.phone('+15552000006');
    const committed: string[] = [];
    let calls = 0;
    const d = lab.driver(port, {
      receive: 'direct',
      onSms: async (m) => {
        calls++;
        if (calls === 1) throw new Error('database unavailable');
        committed.push(m.hex);
      },
    });
    await d.start();
    await phone.sendText(vm.msisdn, 'offered twice, committed once');
    await until(() => committed.length === 1, 'the second offer');
    // the acknowledgement follows the commit: wait for it to reach the modem
    const cnma = () => vm.stats.commands.filter((c) => c.startsWith('AT+CNMA'));
    await until(() => cnma().length === 2, 'the second acknowledgement');
    expect(calls).toBe(2);
    expect(cnma()).toEqual(['AT+CNMA=2', 'AT+CNMA']);
    expect(lab.network.deliveredTo(vm.msisdn)).toHaveLength(1);
  });

  it('keeps a message whose handler failed, and offers it again', async () => {
    lab = new ModemLab('pty');
    const { modem: vm, port } = await lab.modem({ dialect: 'huawei' });
    const phone = lab.phone('+15552000004');
    const committed: string[] = [];
    let attempts = 0;
    const d = lab.driver(port, {
      onSms: async (m) => {
        attempts++;
        if (attempts === 1) throw new Error('disk full');
        committed.push(m.key);
      },
    });
    await d.start();
    await phone.sendText(vm.msisdn, 'must not be lost');
    await until(() => attempts === 1, 'the first, failing, attempt');
    await d.scan(); // the periodic poll does this
    expect(attempts).toBe(2);
    expect(committed).toHaveLength(1);
    await until(() => vm.stored('SM').length === 0, 'the delete after the commit');
  });
});

describe('line endings, prompt forms and echo', () => {
  const variants = [
    { eol: '\n', prompt: '>', echo: true },
    { eol: '\r', prompt: '\r\n>', echo: true },
    { eol: '\r\n', prompt: '\r\n> ', echo: false },
  ];
  it.each(variants)('works with eol %j', async (v) => {
    lab = new ModemLab('pty');
    const { modem: vm, port } = await lab.modem({ dialect: 'generic', overrides: v });
    const phone = lab.phone('+15552000009');
    const sms: IncomingPdu[] = [];
    const d = lab.driver(port, { onSms: async (m) => void sms.push(m) });
    expect((await d.start()).state).toBe('ready');
    expect(d.info?.identity.model).toBe(vm.dialect.model);
    await d.send(textPdus(phone.msisdn, `eol ${JSON.stringify(v.eol)}`));
    await phone.sendText(vm.msisdn, 'and back');
    await until(() => sms.length === 1, 'the SMS');
    await phone.waitForInbox(1);
    expect(phone.inbox[0].text).toBe(`eol ${JSON.stringify(v.eol)}`);
    expect(inboxOf(sms)).toEqual(['and back']);
  });
});
