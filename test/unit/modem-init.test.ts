// The start-up sequence against a scripted fake modem (ofono-style SEND/RECEIVE steps), with
// answers taken from real units where the corpus has them (test/corpus/at): a Huawei E3372 that
// chatters, refuses ^CURC and +CEREG, gives its SMSC in bare UCS-2 hex and its operator in
// UCS-2 hex, and lets an unsolicited +CREG slip into the +CREG? answer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { initialise, type InitParams } from '../../src/bearer/modem/init.js';
import { Session } from '../../src/bearer/modem/session.js';
import { DEFAULT_TIMEOUTS } from '../../src/bearer/modem/types.js';
import { ScriptedPort, type ScriptStep } from '../../src/bearer/simulator/scripted.js';
import { CORPUS_DIR } from '../support/corpus.js';

const logger = pino({ level: 'silent' });
const ok = '\r\nOK\r\n';
const info = (...lines: string[]): string => `${lines.map((l) => `\r\n${l}\r\n`).join('')}${ok}`;
/** The answer line of a corpus dump (its second line). */
const corpus = (file: string): string => readFileSync(join(CORPUS_DIR, 'at', file), 'latin1').split(/\r?\n/)[1].replace(/\r$/, '');

function session(steps: ScriptStep[]): { s: Session; port: ScriptedPort } {
  const port = new ScriptedPort(steps);
  const s = new Session({ path: '/dev/scripted', stream: port, close: async () => undefined }, logger, { ...DEFAULT_TIMEOUTS, command: 500, probe: 200, settle: 10 });
  return { s, port };
}

const params = (over: Partial<InitParams> = {}): InitParams => ({
  reset: 'ATZ', pin: null, pinRefused: { value: false }, expectImei: null, vendor: 'auto', receive: 'store',
  storage: ['SM', 'ME', 'MT'], smsc: null, ...over,
});

describe('initialise (scripted Huawei E3372)', () => {
  it('runs the whole start-up and reads what the modem says', async () => {
    const { s, port } = session([
      { expect: '\x1b' },
      { expect: 'AT\r', reply: ['\r\n^RSSI:17\r\n', ok] },
      { expect: 'ATZ\r', reply: ok },
      { expect: 'ATE0\r', reply: `ATE0\r${ok}` },
      { expect: 'AT+CMEE=1\r', reply: ok },
      { expect: 'AT+CGMI\r', reply: info('huawei') },
      { expect: 'AT+CGMM\r', reply: ['\r\n^MODE:5,4\r\n', info('E3372')] },
      { expect: 'AT+CGMR\r', reply: info('22.200.15.00.00') },
      { expect: 'AT+CGSN\r', reply: info('866123456789012') },
      { expect: 'AT^CURC=0\r', reply: '\r\nCOMMAND NOT SUPPORT\r\n' },
      { expect: 'AT+CPIN?\r', reply: info('+CPIN: READY') },
      { expect: 'AT+CIMI\r', reply: info('242011234567890') },
      { expect: 'AT^ICCID?\r', reply: info('^ICCID: 98740000214365870921') },
      { expect: 'AT+CMGF=0\r', reply: ok },
      { expect: 'AT+CSCS="IRA"\r', reply: ok },
      { expect: 'AT+CSCA?\r', reply: info(corpus('at-smsc/01.dump')) },
      { expect: 'AT+CPMS=?\r', reply: info(corpus('at-cpms/brovi-e3372-325.dump')) },
      { expect: 'AT+CPMS="SM","SM","SM"\r', reply: info('+CPMS: 0,30,0,30,0,30') },
      { expect: 'AT+CNMI=?\r', reply: info(corpus('at-cnmi/02.dump')) },
      { expect: 'AT+CSMS=0\r', reply: info('+CSMS: 1,1,1') },
      { expect: 'AT+CNMI=2,1,0,1,0\r', reply: ok },
      { expect: 'AT+CREG=2\r', reply: ok },
      { expect: 'AT+CGREG=2\r', reply: ok },
      { expect: 'AT+CEREG=2\r', reply: '\r\nCOMMAND NOT SUPPORT\r\n' },
      { expect: 'AT+CREG?\r', reply: info('+CREG: 1,"00A1","B2C3"', corpus('at-creg/huawei.dump')) },
      { expect: 'AT+CGREG?\r', reply: info('+CGREG: 2,1,"04CA","81DE445"') },
      { expect: 'AT+CEREG?\r', reply: '\r\nCOMMAND NOT SUPPORT\r\n' },
      { expect: 'AT+COPS=3,0\r', reply: ok },
      { expect: 'AT+COPS?\r', reply: info('+COPS: 0,0,"0054002D004D006F00620069006C0065",2') },
      { expect: 'AT+CSQ\r', reply: info('+CSQ: 23,99') },
    ]);
    const outcome = await initialise(s, params());
    expect(port.mismatches).toEqual([]);
    expect(port.remaining).toBe(0);
    expect(outcome).toEqual({ state: 'ready', detail: 'home' });
    expect(s.identity).toEqual({
      vendor: 'huawei', manufacturer: 'huawei', model: 'E3372', revision: '22.200.15.00.00',
      imei: '866123456789012', imsi: '242011234567890', iccid: '89470000123456789012',
    });
    expect(s.network).toMatchObject({
      smsc: '+97254120032', operator: 'T-Mobile', rssi: 23, dbm: -67, cereg: null,
      creg: { n: 2, stat: 1, lac: 0x4ca, ci: 0x81de445 },
    });
    expect(s.storage).toEqual({ memories: ['SM', 'SM', 'SM'], reportMemory: null });
    expect(s.cnmi).toMatchObject({ sms: 'store', reports: 'direct' });
    expect(s.acknowledge).toBe(false);
    expect(s.initialised).toBe(true);
  });

  it('stops at the SIM: PIN refused once, then never sent again', async () => {
    const start: ScriptStep[] = [
      { expect: '\x1b' },
      { expect: 'AT\r', reply: ok },
      { expect: 'ATE0\r', reply: ok },
      { expect: 'AT+CMEE=1\r', reply: ok },
      { expect: 'AT+CGMI\r', reply: info('Generic') },
      { expect: 'AT+CGMM\r', reply: info('M1') },
      { expect: 'AT+CGMR\r', reply: info('1') },
      { expect: 'AT+CGSN\r', reply: info('356938035643809') },
      { expect: 'AT+CPIN?\r', reply: info('+CPIN: SIM PIN') },
    ];
    const p = params({ reset: 'none', pin: '1111' });
    const a = session([...start, { expect: 'AT+CPIN="1111"\r', reply: '\r\n+CME ERROR: 16\r\n' }]);
    expect(await initialise(a.s, p)).toMatchObject({ state: 'pin-required', detail: expect.stringMatching(/refused/) });
    expect(p.pinRefused.value).toBe(true);
    const b = session(start);
    expect(await initialise(b.s, p)).toMatchObject({ state: 'pin-required', detail: expect.stringMatching(/not tried again/) });
    expect(b.port.mismatches).toEqual([]);
    expect(b.port.written).not.toContain('AT+CPIN="');
  });

  it('refuses a port that answers with another IMEI', async () => {
    const { s } = session([
      { expect: '\x1b' },
      { expect: 'AT\r', reply: ok },
      { expect: 'ATE0\r', reply: ok },
      { expect: 'AT+CMEE=1\r', reply: ok },
      { expect: 'AT+CGMI\r', reply: info('Quectel') },
      { expect: 'AT+CGMM\r', reply: info('EC25') },
      { expect: 'AT+CGMR\r', reply: info('EC25EFAR06A06M4G') },
      { expect: 'AT+CGSN\r', reply: info('356938035643809') },
    ]);
    await expect(initialise(s, params({ reset: 'none', expectImei: '866123456789012' }))).rejects.toMatchObject({ code: 'WRONG_MODEM' });
  });

  it('gives up cleanly on a modem that never answers AT', async () => {
    const { s } = session([{ expect: '\x1b' }, { expect: 'AT\r' }, { expect: 'AT\r' }, { expect: 'AT\r' }]);
    await expect(initialise(s, params())).rejects.toMatchObject({ code: 'TIMEOUT', message: 'the modem does not answer AT' });
  });
});
