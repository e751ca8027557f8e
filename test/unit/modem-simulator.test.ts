// The virtual modem on its own: the bytes it answers (echo, line endings, prompt), its 27.005
// state (memories, routing, acknowledgements), its faults, and the virtual network behind it.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AtChat } from '../../src/bearer/modem/at-chat.js';
import { parseCusd } from '../../src/bearer/modem/at-parse.js';
import { ModemError } from '../../src/bearer/modem/errors.js';
import { parseCommandLine } from '../../src/bearer/simulator/command-line.js';
import { VirtualModem, VirtualNetwork, VirtualPhone, duplexPair, type VirtualModemOptions } from '../../src/bearer/simulator/index.js';
import { decodeSms, encodeSms, parseAddress, segmentText, toAtPdu } from '../../src/codec/sms/index.js';

const logger = pino({ level: 'silent' });

interface Rig {
  net: VirtualNetwork;
  vm: VirtualModem;
  /** Everything the modem wrote. */
  output: () => string;
  write: (s: string) => void;
  chat: AtChat;
  /** Waits until the modem's output contains `text`. */
  see: (text: string | RegExp) => Promise<void>;
}

function rig(opts: Partial<VirtualModemOptions> = {}): Rig {
  const net = new VirtualNetwork();
  const vm = new VirtualModem(net, { msisdn: '+15557000001', ...opts });
  const [modemSide, hostSide] = duplexPair();
  vm.attach(modemSide);
  let out = '';
  hostSide.on('data', (b: Buffer) => (out += b.toString('latin1')));
  const chat = new AtChat(hostSide, { logger, commandTimeoutMs: 2000, settleMs: 10 });
  const see = (text: string | RegExp): Promise<void> =>
    new Promise((resolve, reject) => {
      const started = Date.now();
      const check = (): void => {
        if (typeof text === 'string' ? out.includes(text) : text.test(out)) resolve();
        else if (Date.now() - started > 3000) reject(new Error(`never saw ${String(text)} in ${JSON.stringify(out)}`));
        else setTimeout(check, 2);
      };
      check();
    });
  return { net, vm, output: () => out, write: (s) => hostSide.write(Buffer.from(s, 'latin1')), chat, see };
}

async function fails(p: Promise<unknown>): Promise<ModemError> {
  try {
    await p;
  } catch (e) {
    return e as ModemError;
  }
  throw new Error('expected a failure');
}

describe('AT command lines', () => {
  it('splits basic and extended commands', () => {
    expect(parseCommandLine('ATE0V1+CMEE=1;+CMGF=0')?.map((c) => `${c.name}:${c.type}:${c.args.join('|')}`)).toEqual([
      'E:set:0', 'V:set:1', '+CMEE:set:1', '+CMGF:set:0',
    ]);
    expect(parseCommandLine('AT+CUSD=1,"*100#;x",15')?.[0].args).toEqual(['1', '"*100#;x"', '15']);
    expect(parseCommandLine('AT^ICCID?')?.[0]).toMatchObject({ name: '^ICCID', type: 'read' });
    expect(parseCommandLine('AT+CNMI=?')?.[0]).toMatchObject({ name: '+CNMI', type: 'test' });
    expect(parseCommandLine('AT&F')?.[0]).toMatchObject({ name: '&F', type: 'exec' });
    expect(parseCommandLine('ATI4')?.[0]).toMatchObject({ name: 'I', type: 'set', args: ['4'] });
    expect(parseCommandLine('hello')).toBeNull();
    expect(parseCommandLine('AT@@')).toBeNull();
  });
});

describe('virtual modem bytes', () => {
  it('echoes by default, answers with CRLF framing, and stops echoing after ATE0', async () => {
    const r = rig({ dialect: 'simcom' });
    r.write('AT\r');
    await r.see('AT\r\r\nOK\r\n');
    r.write('ATE0\r');
    await r.see('ATE0\r\r\nOK\r\n');
    r.write('AT+CGMI\r');
    await r.see('\r\nSIMCOM_Ltd\r\n\r\nOK\r\n');
    expect(r.output().endsWith('ATE0\r\r\nOK\r\n\r\nSIMCOM_Ltd\r\n\r\nOK\r\n')).toBe(true);
  });

  it('uses the line ending and prompt it was given', async () => {
    const r = rig({ dialect: 'generic', overrides: { eol: '\n', prompt: '>' } });
    r.write('AT+CSQ\r');
    await r.see('\n+CSQ: 20,99\n\nOK\n');
    r.write('AT+CMGS=9\r');
    await r.see(/OK\n>$/);
  });

  it('answers unknown commands the vendor way', async () => {
    const r = rig({ dialect: 'huawei' });
    r.write('AT+FOO\r');
    await r.see('COMMAND NOT SUPPORT');
  });

  it('reads the Huawei ICCID nibble-swapped, as the real ones do', async () => {
    const r = rig({ dialect: 'huawei' });
    const res = await r.chat.send('AT^ICCID?', { prefixes: ['^ICCID:'] });
    expect(res.lines[0]).toMatch(/^\^ICCID: 98/);
  });

  it('answers USSD like the E160 (packed GSM 7-bit hex) and like others (text)', async () => {
    for (const [dialect, encoding] of [['huawei', 'gsm7-packed-hex'], ['quectel', 'text']] as const) {
      const r = rig({ dialect, ussdReply: () => 'Balance 12.50 EUR' });
      const got = new Promise<string>((resolve) => r.chat.onUnsolicited('+CUSD:', (l) => resolve(l)));
      await r.chat.send('AT+CUSD=1,"*100#",15');
      const u = parseCusd(await got);
      expect(u).toMatchObject({ status: 0, text: 'Balance 12.50 EUR', encoding });
    }
  });
});

describe('virtual modem SMS state', () => {
  it('refuses a PDU whose length disagrees (+CMS ERROR 304) and one sent unregistered (331)', async () => {
    const r = rig({ dialect: 'quectel' });
    await r.chat.send('AT+CMEE=1');
    const [pdu] = segmentText('hi', { destination: parseAddress('+15557000009') }).map((t) => toAtPdu(encodeSms({ sca: null, tpdu: t }, { sca: false })));
    expect(await fails(r.chat.send(`AT+CMGS=${pdu.length + 1}`, { pdu: pdu.hex }))).toMatchObject({ code: 'CMS_ERROR', value: 304 });
    r.vm.setRegistration(2);
    expect(await fails(r.chat.send(`AT+CMGS=${pdu.length}`, { pdu: pdu.hex }))).toMatchObject({ code: 'CMS_ERROR', value: 331 });
    expect(r.net.submissions).toHaveLength(0);
  });

  it('checks +CNMI values against what it offers, and memories against +CPMS=?', async () => {
    const r = rig({ dialect: 'sierra' });
    await r.chat.send('AT+CMEE=1');
    expect(await fails(r.chat.send('AT+CNMI=2,1,0,1,0'))).toMatchObject({ value: 303 }); // no <ds> 1 here
    await r.chat.send('AT+CNMI=2,1,0,2,0');
    expect(r.vm.routing).toEqual({ mode: 2, mt: 1, bm: 0, ds: 2, bfr: 0 });
    expect(await fails(r.chat.send('AT+CPMS="XX"'))).toMatchObject({ value: 302 });
  });

  it('stores, announces, lists, reads and deletes received messages', async () => {
    const r = rig({ dialect: 'generic' });
    const phone = new VirtualPhone(r.net, '+15557000002');
    await r.chat.send('AT+CNMI=2,1,0,0,0');
    const cmti = new Promise<string>((resolve) => r.chat.onUnsolicited('+CMTI:', (l) => resolve(l)));
    await phone.sendText(r.vm.msisdn, 'stored one');
    expect(await cmti).toBe('+CMTI: "SM",1');
    const list = await r.chat.send('AT+CMGL=4', { prefixes: ['+CMGL:'], pduLines: true });
    expect(list.lines[0]).toMatch(/^\+CMGL: 1,0,,\d+$/);
    const m = decodeSms(Uint8Array.from(Buffer.from(list.lines[1], 'hex')));
    expect(m.tpdu.type === 'SMS-DELIVER' && m.tpdu.text).toBe('stored one');
    const read = await r.chat.send('AT+CMGR=1', { prefixes: ['+CMGR:'], pduLines: true });
    expect(read.lines[0]).toMatch(/^\+CMGR: 1,,/); // read now
    await r.chat.send('AT+CMGD=1');
    expect(r.vm.stored('SM')).toEqual([]);
    expect(await fails(r.chat.send('AT+CMGR=1', { prefixes: ['+CMGR:'] }))).toMatchObject({ code: 'AT_ERROR' }); // +CMEE=0
  });

  it('with +CSMS=1 waits for +CNMA, and switches routing off when none comes (27.005 §3.4.4)', async () => {
    const r = rig({ dialect: 'quectel', cnmaTimeoutMs: 50 });
    const phone = new VirtualPhone(r.net, '+15557000003');
    await r.chat.send('AT+CSMS=1', { prefixes: ['+CSMS:'] });
    await r.chat.send('AT+CNMI=2,2,0,1,0');
    const first = new Promise<string | null>((resolve) => r.chat.onUnsolicited('+CMT:', (_l, pdu) => resolve(pdu), { pdu: true }));
    await phone.sendText(r.vm.msisdn, 'ack me');
    expect(await first).toMatch(/^[0-9A-F]+$/);
    await r.chat.send('AT+CNMA');
    expect(r.vm.stats.acks).toBe(1);
    expect(await fails(r.chat.send('AT+CNMA'))).toMatchObject({ code: 'AT_ERROR' }); // nothing to acknowledge
    await phone.sendText(r.vm.msisdn, 'nobody acknowledges');
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (r.vm.routing.mt === 0) {
          clearInterval(t);
          resolve();
        }
      }, 5);
    });
    expect(r.vm.routing).toMatchObject({ mt: 0, ds: 0 });
    // The network tries again; with routing off the modem now keeps it in memory.
    await r.net.idle();
    expect(r.vm.stored('SM')).toHaveLength(1);
    expect(r.net.deliveredTo(r.vm.msisdn)).toHaveLength(2);
    r.net.close();
  });

  it('returns status reports directly (+CDS) or stored (+CDSI), as routed', async () => {
    for (const [dialect, cnmi, prefix] of [['simcom', 'AT+CNMI=2,1,0,1,0', '+CDS:'], ['sierra', 'AT+CNMI=2,1,0,2,0', '+CDSI:']] as const) {
      const r = rig({ dialect });
      const phone = new VirtualPhone(r.net, '+15557000004');
      await r.chat.send('AT+CFUN=1'); // the Sierra comes up with its radio off
      await r.chat.send(cnmi);
      const got = new Promise<string>((resolve) => r.chat.onUnsolicited(prefix, (l) => resolve(l), { pdu: prefix === '+CDS:' }));
      const [pdu] = segmentText('report please', { destination: parseAddress(phone.msisdn), statusReportRequest: true })
        .map((t) => toAtPdu(encodeSms({ sca: null, tpdu: t }, { sca: false })));
      const sent = await r.chat.send(`AT+CMGS=${pdu.length}`, { pdu: pdu.hex, prefixes: ['+CMGS:'] });
      expect(sent.lines).toEqual(['+CMGS: 0']);
      const line = await got;
      if (prefix === '+CDSI:') {
        expect(line).toBe('+CDSI: "SR",0');
        expect(r.vm.stored('SR')).toHaveLength(1);
      } else expect(line).toMatch(/^\+CDS: \d+$/);
      expect(phone.inbox[0]?.text ?? (await phone.waitForInbox(1))[0].text).toBe('report please');
    }
  });
});

describe('virtual modem faults and power', () => {
  it('refuses the Nth send, stays silent for N commands, loses an answer', async () => {
    const r = rig({ dialect: 'simcom' });
    new VirtualPhone(r.net, '+15557000005');
    await r.chat.send('AT+CMEE=1');
    const [pdu] = segmentText('x', { destination: parseAddress('+15557000005') }).map((t) => toAtPdu(encodeSms({ sca: null, tpdu: t }, { sca: false })));
    const send = (): Promise<unknown> => r.chat.send(`AT+CMGS=${pdu.length}`, { pdu: pdu.hex, prefixes: ['+CMGS:'], timeoutMs: 100, promptTimeoutMs: 100 });
    r.vm.inject({ kind: 'cms-error', send: 2, code: 42 });
    await send();
    expect(await fails(send())).toMatchObject({ code: 'CMS_ERROR', value: 42 });
    r.vm.inject({ kind: 'silent', commands: 1 });
    expect(await fails(r.chat.send('AT', { timeoutMs: 100 }))).toMatchObject({ code: 'TIMEOUT' });
    await r.chat.send('AT');
    r.vm.inject({ kind: 'lose-answer', send: 1, delivered: true });
    expect(await fails(send())).toMatchObject({ code: 'TIMEOUT', pduWritten: true });
    await r.net.idle();
    expect(r.net.deliveredTo('+15557000005')).toHaveLength(2);
  });

  it('forgets its settings and asks for the PIN again after a power cycle', async () => {
    const r = rig({ dialect: 'quectel', pin: '1234' });
    await r.chat.send('AT+CPIN="1234"');
    await r.chat.send('AT+CNMI=2,1,0,1,0');
    expect(r.vm.sim).toBe('ready');
    const boot = new Promise<void>((resolve) => r.chat.onUnsolicited('RDY', () => resolve()));
    r.vm.powerOn();
    await boot;
    expect(r.vm.sim).toBe('pin');
    expect(r.vm.routing.mt).toBe(0);
  });

  it('counts a phone\'s concatenated message once, whatever the parts order', async () => {
    const net = new VirtualNetwork();
    const a = new VirtualPhone(net, '+15557000006');
    const b = new VirtualPhone(net, '+15557000007');
    await a.sendText(b.msisdn, 'Ünïcödé and long: '.repeat(10));
    const [m] = await b.waitForInbox(1);
    expect(m.text).toBe('Ünïcödé and long: '.repeat(10));
    expect(m.parts.length).toBeGreaterThan(1);
    expect(net.deliveredTo(b.msisdn)).toHaveLength(m.parts.length);
    net.close();
  });
});
