// The AT chat against a scripted fake port (exact bytes written, answers in chunks).
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { AtChat } from '../../src/bearer/modem/at-chat.js';
import { ModemError } from '../../src/bearer/modem/errors.js';
import { ScriptedPort } from '../../src/bearer/simulator/scripted.js';

const logger = pino({ level: 'silent' });

function chat(port: ScriptedPort, opts: { commandTimeoutMs?: number; promptTimeoutMs?: number; settleMs?: number } = {}): AtChat {
  return new AtChat(port, { logger, settleMs: 20, ...opts });
}

async function failure(p: Promise<unknown>): Promise<ModemError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ModemError);
    return err as ModemError;
  }
  throw new Error('expected the command to fail');
}

describe('AtChat', () => {
  it('returns the lines with the expected prefix and the final result', async () => {
    const port = new ScriptedPort([{ expect: 'AT+CSQ\r', reply: '\r\n+CSQ: 20,99\r\n\r\nOK\r\n' }]);
    const r = await chat(port).send('AT+CSQ', { prefixes: ['+CSQ:'] });
    expect(r).toEqual({ command: 'AT+CSQ', lines: ['+CSQ: 20,99'], final: 'OK' });
    expect(port.mismatches).toEqual([]);
  });

  it('hands unsolicited codes that arrive inside a response to their handlers', async () => {
    const port = new ScriptedPort([{
      expect: 'AT+CPMS?\r',
      reply: ['\r\n+CPMS: "SM",1,20,', '"SM",1,20,"SM",1,20\r\n\r\n+CMTI: "SM",1\r\n', '\r\n+CREG: 1,"00A1","B2C3"\r\n\r\nOK\r\n'],
    }]);
    const c = chat(port);
    const urcs: string[] = [];
    c.onUnsolicited('+CMTI:', (l) => urcs.push(l));
    c.onUnsolicited('+CREG:', (l) => urcs.push(l));
    const r = await c.send('AT+CPMS?', { prefixes: ['+CPMS:'] });
    expect(r.lines).toEqual(['+CPMS: "SM",1,20,"SM",1,20,"SM",1,20']);
    expect(urcs).toEqual(['+CMTI: "SM",1', '+CREG: 1,"00A1","B2C3"']);
  });

  it('gives the PDU line after a +CMT header to the unsolicited handler, even mid-response', async () => {
    const pdu = '07911326040011F5040B911326880736F40000111011315214000AE8329BFD4697D9EC37';
    const port = new ScriptedPort([{ expect: 'AT+CGSN\r', reply: `\r\n350155510000019\r\n\r\n+CMT: ,29\r\n${pdu}\r\n\r\nOK\r\n` }]);
    const c = chat(port);
    const got: [string, string | null][] = [];
    c.onUnsolicited('+CMT:', (l, p) => got.push([l, p]), { pdu: true });
    const r = await c.send('AT+CGSN');
    expect(r.lines).toEqual(['350155510000019']);
    expect(got).toEqual([['+CMT: ,29', pdu]]);
  });

  it('does not take unknown result codes or registered chatter as a free-form answer', async () => {
    const port = new ScriptedPort([{ expect: 'AT+CGMM\r', reply: '\r\nCall Ready\r\n\r\n^BOOT:1,0\r\n\r\nE173\r\n\r\n+CGMM: E173\r\n\r\nOK\r\n' }]);
    const c = chat(port);
    c.onUnsolicited('Call Ready', () => undefined);
    const r = await c.send('AT+CGMM');
    expect(r.lines).toEqual(['E173', '+CGMM: E173']);
  });

  it('ignores the echo of the command, also when echo is switched off late', async () => {
    const port = new ScriptedPort([
      { expect: 'ATE0\r', reply: 'ATE0\r\r\nOK\r\n' },
      { expect: 'AT+CGMI\r', reply: 'AT+CGMI\r\r\nhuawei\r\n\r\nOK\r\n' },
      { expect: 'AT+CGMR\r', reply: '\r\n11.126\r\n\r\nOK\r\n' },
    ]);
    const c = chat(port);
    await c.send('ATE0');
    expect((await c.send('AT+CGMI')).lines).toEqual(['huawei']);
    expect((await c.send('AT+CGMR')).lines).toEqual(['11.126']);
  });

  it('writes one command at a time, in order', async () => {
    const port = new ScriptedPort([
      { expect: 'AT+CGMI\r', reply: ['\r\nSIMCOM_Ltd\r\n', '\r\nOK\r\n'] },
      { expect: 'AT+CGMM\r', reply: '\r\nSIMCOM_SIM800L\r\n\r\nOK\r\n' },
    ]);
    const c = chat(port);
    const [a, b] = await Promise.all([c.send('AT+CGMI'), c.send('AT+CGMM')]);
    expect(a.lines).toEqual(['SIMCOM_Ltd']);
    expect(b.lines).toEqual(['SIMCOM_SIM800L']);
    expect(port.mismatches).toEqual([]);
    expect(port.written).toBe('AT+CGMI\rAT+CGMM\r');
  });

  for (const [name, prompt] of [['CRLF and space', '\r\n> '], ['bare space', '> '], ['no space', '>'], ['LF only', '\n>']]) {
    it(`sends the PDU and Ctrl-Z after the prompt (${name})`, async () => {
      const port = new ScriptedPort([
        { expect: 'AT+CMGS=14\r', reply: prompt },
        { expect: '0011000B916407281553F80000AA00\x1a', reply: '\r\n+CMGS: 42\r\n\r\nOK\r\n' },
      ]);
      const r = await chat(port).send('AT+CMGS=14', { pdu: '0011000B916407281553F80000AA00', prefixes: ['+CMGS:'] });
      expect(r.lines).toEqual(['+CMGS: 42']);
      expect(port.mismatches).toEqual([]);
    });
  }

  it('ignores the echo of the PDU and of the prompt line', async () => {
    const port = new ScriptedPort([
      { expect: 'AT+CMGS=9\r', reply: 'AT+CMGS=9\r\r\n> ' },
      { expect: '001100000000AA0000\x1a', reply: '001100000000AA0000\x1a\r\n+CMGS: 7\r\n\r\nOK\r\n' },
    ]);
    const r = await chat(port).send('AT+CMGS=9', { pdu: '001100000000AA0000', prefixes: ['+CMGS:'] });
    expect(r.lines).toEqual(['+CMGS: 7']);
  });

  it('escapes and fails clearly when the prompt never comes; the next command still works', async () => {
    const port = new ScriptedPort([
      { expect: 'AT+CMGS=9\r' },
      { expect: '\x1b' },
      { expect: 'AT\r', reply: '\r\nOK\r\n' },
    ]);
    const c = chat(port, { promptTimeoutMs: 30 });
    const e = await failure(c.send('AT+CMGS=9', { pdu: '001100000000AA0000' }));
    expect(e.code).toBe('PROMPT_TIMEOUT');
    expect(e.pduWritten).toBe(false);
    expect(e.message).toMatch(/no "> " prompt within 30 ms/);
    await c.send('AT');
    expect(port.mismatches).toEqual([]);
  });

  it('reports a time-out after the PDU as possibly sent', async () => {
    const port = new ScriptedPort([{ expect: 'AT+CMGS=9\r', reply: '\r\n> ' }, { expect: '001100000000AA0000\x1a' }, { expect: '\x1b' }]);
    const c = chat(port, { commandTimeoutMs: 30 });
    const timeouts: string[] = [];
    c.onTimeout((err) => timeouts.push(err.code));
    const e = await failure(c.send('AT+CMGS=9', { pdu: '001100000000AA0000' }));
    expect(e).toMatchObject({ code: 'TIMEOUT', pduWritten: true });
    expect(timeouts).toEqual(['TIMEOUT']);
  });

  it('does not take a late answer to an abandoned command as the answer to the next one', async () => {
    const port = new ScriptedPort([{ expect: 'AT+COPS=?\r' }]);
    const c = chat(port, { commandTimeoutMs: 30, settleMs: 60 });
    const e = await failure(c.send('AT+COPS=?', { prefixes: ['+COPS:'] }));
    expect(e.code).toBe('TIMEOUT');
    port.expect({ expect: 'AT+CSQ\r', reply: '\r\n+CSQ: 11,99\r\n\r\nOK\r\n' });
    const next = c.send('AT+CSQ', { prefixes: ['+CSQ:'] });
    port.unsolicited('\r\n+COPS: (2,"Late","L","00101",2)\r\n', '\r\nOK\r\n'); // the stale answer
    expect((await next).lines).toEqual(['+CSQ: 11,99']);
    expect(port.mismatches).toEqual([]);
  });

  it('fails with the +CMS / +CME value, numeric or verbose', async () => {
    const port = new ScriptedPort([
      { expect: 'AT+CMGS=9\r', reply: '\r\n+CMS ERROR: 304\r\n' },
      { expect: 'AT+CPIN?\r', reply: '\r\n+CME ERROR: SIM not inserted\r\n' },
      { expect: 'AT^FOO\r', reply: '\r\nCOMMAND NOT SUPPORT\r\n' },
    ]);
    const c = chat(port);
    expect(await failure(c.send('AT+CMGS=9', { pdu: '00' }))).toMatchObject({ code: 'CMS_ERROR', value: 304, pduWritten: false });
    expect(await failure(c.send('AT+CPIN?', { prefixes: ['+CPIN:'] }))).toMatchObject({ code: 'CME_ERROR', value: 10, reason: 'sim-not-inserted' });
    expect(await failure(c.send('AT^FOO'))).toMatchObject({ code: 'AT_ERROR' });
  });

  it('knows final results added for the port', async () => {
    const port = new ScriptedPort([{ expect: 'AT+X\r', reply: '\r\nSEND FAIL\r\n' }]);
    const c = chat(port, { commandTimeoutMs: 1000 });
    c.addFinal('SEND FAIL', 'error');
    expect((await failure(c.send('AT+X'))).code).toBe('AT_ERROR');
  });

  it('survives garbage, odd line endings and lines cut anywhere', async () => {
    const port = new ScriptedPort([{
      expect: 'AT+CSQ\r',
      reply: ['\x00\xff\xfe', 'noise line\n\r+CS', 'Q: 5,', '99\r', '\xffOK\r'],
    }]);
    const r = await chat(port).send('AT+CSQ', { prefixes: ['+CSQ:'] });
    expect(r.lines).toEqual(['+CSQ: 5,99']);
  });

  it('reads PDU listings: each header followed by its PDU line', async () => {
    const port = new ScriptedPort([{
      expect: 'AT+CMGL=4\r',
      reply: '\r\n+CMGL: 0,1,,24\r\n0791AABBCC\r\n+CMGL: 3,0,,25\r\n0791DDEEFF\r\n\r\nOK\r\n',
    }]);
    const r = await chat(port).send('AT+CMGL=4', { prefixes: ['+CMGL:'], pduLines: true });
    expect(r.lines).toEqual(['+CMGL: 0,1,,24', '0791AABBCC', '+CMGL: 3,0,,25', '0791DDEEFF']);
  });

  it('fails what is pending when the port closes, and says so once', async () => {
    const port = new ScriptedPort([{ expect: 'AT+CGMI\r' }]);
    const c = chat(port);
    const closes: string[] = [];
    c.onClose((e) => closes.push(e.code));
    const a = c.send('AT+CGMI');
    const b = c.send('AT+CGMM');
    setImmediate(() => port.destroy());
    expect((await failure(a)).code).toBe('PORT_CLOSED');
    expect((await failure(b)).code).toBe('PORT_CLOSED');
    expect(closes).toEqual(['PORT_CLOSED']);
    expect((await failure(c.send('AT'))).code).toBe('PORT_CLOSED');
  });

  it('dispatches unsolicited codes with no command waiting', async () => {
    const port = new ScriptedPort();
    const c = chat(port);
    const got = new Promise<string>((resolve) => c.onUnsolicited('+CDSI:', (l) => resolve(l)));
    port.unsolicited('\r\n+CDSI: "SR",2\r\n');
    expect(await got).toBe('+CDSI: "SR",2');
  });
});
