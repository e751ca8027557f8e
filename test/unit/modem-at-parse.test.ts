// The AT response readers against real modem replies (test/corpus/at, from gammu's tests; the
// folder README says what gammu expects of each file). Each dump goes through the real line
// reader first, so line endings and blank lines are as the modem sent them.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AtLineReader } from '../../src/bearer/modem/at-lines.js';
import {
  AtParseError, parseCmgl, parseCmgr, parseCmgs, parseCnmiTest, parseCops, parseCpin, parseCpms, parseCpmsTest,
  parseCsca, parseCscs, parseCsms, parseCsq, parseCusd, parseIccid, parseImei, parseModel, parsePduHeaderLength,
  parsePduLine, parseRange, parseRegistration, parseStoredIndication, splitFields,
} from '../../src/bearer/modem/at-parse.js';
import { chooseCnmi, chooseStorage, cnmiCommand } from '../../src/bearer/modem/sms-setup.js';
import { CORPUS_DIR } from '../support/corpus.js';

const AT_DIR = join(CORPUS_DIR, 'at');

/** Response lines of a dump: the echoed command (first line starting with AT) removed. */
function reply(file: string): string[] {
  const r = new AtLineReader();
  const out = r.feed(readFileSync(join(AT_DIR, file)));
  const lines = [...out, ...r.feed('\r\n')].filter((t) => t.kind === 'line').map((t) => (t as { text: string }).text);
  return /^AT/i.test(lines[0] ?? '') ? lines.slice(1) : lines;
}

function infoLines(file: string): string[] {
  const lines = reply(file);
  expect(lines[lines.length - 1]).toBe('OK');
  return lines.slice(0, -1);
}

function folder(name: string): string[] {
  return readdirSync(join(AT_DIR, name)).filter((f) => f.endsWith('.dump')).sort().map((f) => `${name}/${f}`);
}

describe('corpus: every file of test/corpus/at is covered', () => {
  it('lists the folders this test reads', () => {
    const covered = ['at-cnmi', 'at-cpms', 'at-cpms-sm', 'at-cpms-sr', 'at-creg', 'at-creg-corner', 'at-cscs-huawei', 'at-model', 'at-smsc', 'at-smsc-failing', 'at-ussd'];
    const present = readdirSync(AT_DIR).filter((f) => !f.includes('.')).sort();
    expect(present).toEqual([...covered].sort());
  });
});

describe('+CNMI=? (at-cnmi)', () => {
  const want: Record<string, { mode: number[]; mt: number[]; ds: number[]; cmd: string }> = {
    'at-cnmi/01.dump': { mode: [2], mt: [0, 1, 3], ds: [0, 1], cmd: 'AT+CNMI=2,1,0,1,0' },
    'at-cnmi/02.dump': { mode: [0, 1, 2], mt: [0, 1, 3], ds: [0, 1], cmd: 'AT+CNMI=2,1,0,1,0' },
    'at-cnmi/03.dump': { mode: [0, 1, 2, 3], mt: [0, 1, 2, 3], ds: [0, 1], cmd: 'AT+CNMI=2,1,0,1,0' },
  };
  for (const file of folder('at-cnmi')) {
    it(`reads ${file} and picks the routing`, () => {
      const [line] = infoLines(file);
      const s = parseCnmiTest(line);
      expect(s.mode).toEqual(want[file].mode);
      expect(s.mt).toEqual(want[file].mt);
      expect(s.ds).toEqual(want[file].ds);
      const c = chooseCnmi(s, 'store');
      expect(cnmiCommand(c)).toBe(want[file].cmd);
      expect(c.sms).toBe('store');
      expect(c.reports).toBe('direct');
    });
  }

  it('falls back to stored status reports where <ds> 1 is not offered, and to +CMT where <mt> 1 is not', () => {
    const c = chooseCnmi(parseCnmiTest('+CNMI: (0-2),(0,2),(0,2),(0,2),(0,1)'), 'store');
    expect(cnmiCommand(c)).toBe('AT+CNMI=2,2,0,2,0');
    expect([c.sms, c.reports]).toEqual(['direct', 'store']);
    expect(chooseCnmi(parseCnmiTest('+CNMI: (1),(1),(0),(0),(0)'), 'store').reports).toBe('none');
  });
});

describe('+CPMS=? (at-cpms, at-cpms-sm, at-cpms-sr)', () => {
  const want: Record<string, [string[], string[], string[]]> = {
    'at-cpms/alcatel-s320.dump': [['SM', 'ME', 'SM_P', 'ME_P', 'MT'], ['SM', 'ME', 'SM_P', 'ME_P', 'MT'], ['SM', 'ME', 'SM_P', 'ME_P', 'MT']],
    'at-cpms/brovi-e3372-325.dump': [['SM', 'ME'], ['SM', 'ME'], ['SM', 'ME']],
    'at-cpms/generic.dump': [['SM', 'ME'], ['SM', 'ME'], ['SM', 'ME']],
    'at-cpms/samsung-j700.dump': [[], [], []],
    'at-cpms-sm/iwow.dump': [['SM'], ['SM'], ['SM']],
    'at-cpms-sr/generic.dump': [['ME', 'SR'], ['ME', 'SR'], ['ME']],
  };
  for (const file of [...folder('at-cpms'), ...folder('at-cpms-sm'), ...folder('at-cpms-sr')]) {
    it(`reads the memories offered in ${file}`, () => {
      const [line] = infoLines(file);
      expect(parseCpmsTest(line)).toEqual(want[file]);
    });
  }

  it('chooses SIM storage first, ME where the SIM is not offered, reports in SR, nothing when nothing is offered', () => {
    expect(chooseStorage(want['at-cpms/generic.dump'])).toEqual({ memories: ['SM', 'SM', 'SM'], reportMemory: null });
    expect(chooseStorage(want['at-cpms-sr/generic.dump'])).toEqual({ memories: ['ME', 'ME', 'ME'], reportMemory: 'SR' });
    expect(chooseStorage(want['at-cpms/alcatel-s320.dump'], ['ME', 'SM'])?.memories).toEqual(['ME', 'ME', 'ME']);
    expect(chooseStorage(want['at-cpms/samsung-j700.dump'])).toBeNull();
  });

  it('reads +CPMS set and read answers', () => {
    expect(parseCpms('+CPMS: 3,30,3,30,3,30')).toEqual([
      { memory: null, used: 3, total: 30 }, { memory: null, used: 3, total: 30 }, { memory: null, used: 3, total: 30 },
    ]);
    expect(parseCpms('+CPMS: "SM",1,20,"ME",0,255,"SM",1,20')[1]).toEqual({ memory: 'ME', used: 0, total: 255 });
    expect(() => parseCpms('+CPMS: "SM",x,20')).toThrow(AtParseError);
  });
});

describe('+CREG? (at-creg, at-creg-corner)', () => {
  const want: Record<string, { n: number; stat: number; lac: number | null; ci: number | null; act: number | null; registered: boolean }> = {
    'at-creg/huawei.dump': { n: 2, stat: 1, lac: 0x4ca, ci: 0x81de445, act: null, registered: true },
    'at-creg/none.dump': { n: 0, stat: 0, lac: null, ci: null, act: null, registered: false },
    'at-creg/siemens.dump': { n: 0, stat: 1, lac: 0x5e25, ci: 0x605f, act: null, registered: true },
    'at-creg/sierra312u.dump': { n: 2, stat: 5, lac: 0x2af5, ci: 0x0b88e350, act: 2, registered: true },
    'at-creg/telit.dump': { n: 0, stat: 1, lac: 0x5e25, ci: 0x605f, act: 2, registered: true },
  };
  for (const file of folder('at-creg')) {
    it(`reads ${file}`, () => {
      const lines = infoLines(file);
      if (file.endsWith('empty.dump')) {
        expect(lines).toEqual([]); // OK alone: no registration line at all
        return;
      }
      const r = parseRegistration(lines[0], 'read');
      expect({ n: r.n, stat: r.stat, lac: r.lac, ci: r.ci, act: r.act, registered: r.registered }).toEqual(want[file]);
    });
  }

  for (const file of folder('at-creg-corner')) {
    it(`survives ${file}: a clean reading or an AtParseError, never a crash`, () => {
      const [line] = infoLines(file);
      let r: ReturnType<typeof parseRegistration> | null = null;
      try {
        r = parseRegistration(line, 'read');
      } catch (err) {
        expect(err).toBeInstanceOf(AtParseError);
      }
      if (r) {
        expect(r.stat).toBe(1);
        expect(r.lac === null || Number.isInteger(r.lac)).toBe(true);
      }
    });
  }

  it('keeps what the corner cases do say', () => {
    expect(parseRegistration(infoLines('at-creg-corner/empty-lac.dump')[0], 'read')).toMatchObject({ stat: 1, lac: null, ci: 0x605f });
    expect(parseRegistration(infoLines('at-creg-corner/single-quote.dump')[0], 'read')).toMatchObject({ stat: 1, lac: 0x5e25, ci: null });
  });

  it('tells the unsolicited form from the read form', () => {
    expect(parseRegistration('+CREG: 1,"5E25","605F"')).toMatchObject({ n: null, stat: 1, lac: 0x5e25, ci: 0x605f });
    expect(parseRegistration('+CREG: 2')).toMatchObject({ n: null, stat: 2, status: 'searching', registered: false });
    expect(parseRegistration('+CREG: 2,1,"5E25","605F"')).toMatchObject({ n: 2, stat: 1 });
    expect(parseRegistration('+CEREG: 5,"00A1","0001B2C3",7')).toMatchObject({ n: null, stat: 5, act: 7, status: 'roaming' });
    expect(parseRegistration('+CGREG: 3')).toMatchObject({ status: 'denied', registered: false });
    expect(() => parseRegistration('+CREG: x')).toThrow(AtParseError);
    expect(() => parseRegistration('+CREG: 2,17')).toThrow(AtParseError);
  });
});

describe('+CSCS (at-cscs-huawei)', () => {
  it('reads the Huawei E1752 answer', () => {
    expect(parseCscs(infoLines('at-cscs-huawei/huawei-e1752.dump')[0])).toEqual(['GSM']);
  });
  it('reads a test answer', () => {
    expect(parseCscs('+CSCS: ("IRA","GSM","UCS2")')).toEqual(['IRA', 'GSM', 'UCS2']);
  });
});

describe('+CGMM / ATI4 (at-model)', () => {
  const want: Record<string, string> = {
    'at-model/01.dump': 'MULTIBAND  900E  1800',
    'at-model/02.dump': 'Nokia 5210',
    'at-model/03.dump': 'AAB-1022041-BV',
    'at-model/05.dump': 'SCH-U706/99',
    'at-model/06.dump': 'MULTIBAND  900E  1800',
  };
  for (const file of folder('at-model')) {
    it(`reads the model in ${file}`, () => {
      const m = parseModel(infoLines(file));
      if (file.endsWith('04.dump')) {
        expect(m.startsWith('0123456789012345678901234567890123456789')).toBe(true);
        expect(m.length).toBe(128); // cut: an over-long answer is not a model name
      } else {
        expect(m).toBe(want[file]);
      }
    });
  }
});

describe('+CSCA? (at-smsc, at-smsc-failing)', () => {
  const want: Record<string, string> = {
    'at-smsc/01.dump': '+97254120032',
    'at-smsc/02.dump': '+79168999100',
    'at-smsc/03.dump': '+6281100000',
    'at-smsc/05.dump': '+447802092035',
  };
  for (const file of folder('at-smsc')) {
    it(`reads the SMSC in ${file}`, () => {
      const r = parseCsca(infoLines(file)[0]);
      expect(r.number).toBe(want[file]);
      expect(r.toa).toBe(145);
    });
  }
  for (const file of folder('at-smsc-failing')) {
    it(`fails cleanly on ${file} (no SMSC set)`, () => {
      expect(() => parseCsca(infoLines(file)[0])).toThrow(AtParseError);
      expect(() => parseCsca(infoLines(file)[0])).toThrow(/SMSC address is empty/);
    });
  }
  it('refuses what is not a number', () => {
    expect(() => parseCsca('+CSCA: "hello",129')).toThrow(AtParseError);
    expect(parseCsca('+CSCA: "0791234",129')).toEqual({ number: '0791234', toa: 129 });
  });
});

describe('+CUSD (at-ussd)', () => {
  const want: Record<string, { status: number; encoding: string; starts: string }> = {
    'at-ussd/01-E160.dump': { status: 0, encoding: 'gsm7-packed-hex', starts: 'Ihr Guthaben' },
    'at-ussd/02-E160.dump': { status: 0, encoding: 'gsm7-packed-hex', starts: 'Ihr Guthaben für die Nr.4915783647410 beträgt 5.78 Euro' },
    'at-ussd/03-unknown.dump': { status: 1, encoding: 'text', starts: 'Kontostand: 3.00 EUR' },
    'at-ussd/04-unknown.dump': { status: 2, encoding: 'text', starts: 'Maaf, permintaan Anda' },
    'at-ussd/Uissue358-Quectel_M35.dump': { status: 2, encoding: 'ucs2-hex', starts: 'Havi keret: 0Ft. Feltöltött egyenleg' },
    'at-ussd/issue109-E3276.dump': { status: 0, encoding: 'ucs2-hex', starts: 'Для справки о балансе наберите *105#.' },
    'at-ussd/issue178-dell.dump': { status: 0, encoding: 'text', starts: 'On DATA Pack u have 3Gb' },
    'at-ussd/issue377-HE910-D.dump': { status: 2, encoding: 'ucs2-hex', starts: 'رصيدك 107.93' },
  };
  for (const file of folder('at-ussd')) {
    it(`decodes ${file}`, () => {
      const [line] = reply(file);
      const u = parseCusd(line);
      expect(u.status).toBe(want[file].status);
      expect(u.encoding).toBe(want[file].encoding);
      expect(u.text?.startsWith(want[file].starts)).toBe(true);
      expect(u.text).not.toMatch(/^[0-9A-F]{16,}$/); // never the undecoded hex
    });
  }
  it('reads the language of DCS 0x11 and stops UCS-2 at the padding', () => {
    const u = parseCusd(reply('at-ussd/issue377-HE910-D.dump')[0]);
    expect(u.language).toBe('ar');
    expect(u.text?.endsWith('2018-11-09')).toBe(true);
  });
  it('reads a +CUSD without text', () => {
    expect(parseCusd('+CUSD: 4')).toEqual({ status: 4, text: null, dcs: null, language: null, encoding: 'none' });
  });
});

describe('other readers', () => {
  it('splits fields with quotes and parentheses kept whole', () => {
    expect(splitFields('1,"a,b",(0-1,3),,x')).toEqual(['1', '"a,b"', '(0-1,3)', '', 'x']);
    expect(splitFields('')).toEqual([]);
    expect(parseRange('(0-2,5)')).toEqual([0, 1, 2, 5]);
    expect(parseRange('(0-999)').length).toBe(256); // ranges are capped at 0-255
    expect(parseRange('(0-99999)')).toEqual([]); // and absurd ones ignored
  });
  it('reads SMS transfer answers', () => {
    expect(parseCmgs('+CMGS: 17')).toBe(17);
    expect(parseCmgs('+CMGS: 3,"07911326040011F5240B911326880736F40000111011315214000AE8329BFD4697D9EC37"')).toBe(3);
    expect(() => parseCmgs('+CMGS: 300')).toThrow(AtParseError);
    expect(parseStoredIndication('+CMTI: "SM",3')).toEqual({ memory: 'SM', index: 3 });
    expect(parseStoredIndication('+CDSI: "SR",0')).toEqual({ memory: 'SR', index: 0 });
    expect(() => parseStoredIndication('+CMTI: "SM"')).toThrow(AtParseError);
    expect(parsePduHeaderLength('+CMT: ,24')).toBe(24);
    expect(parsePduHeaderLength('+CMT: "+4712345678",24')).toBe(24);
    expect(parsePduHeaderLength('+CDS: 26')).toBe(26);
    expect(parseCmgr('+CMGR: 0,,24')).toEqual({ stat: 'unread', length: 24 });
    expect(parseCmgl('+CMGL: 4,1,,30')).toEqual({ index: 4, stat: 'read', length: 30 });
    expect(parsePduLine('07911326040011f5')).toBe('07911326040011F5');
    expect(() => parsePduLine('0791G3')).toThrow(AtParseError);
  });
  it('reads status answers', () => {
    expect(parseCpin('+CPIN: READY').state).toBe('ready');
    expect(parseCpin('+CPIN: SIM PIN').state).toBe('sim-pin');
    expect(parseCpin('+CPIN: "SIM PUK"').state).toBe('sim-puk');
    expect(parseCsq('+CSQ: 17,99')).toEqual({ rssi: 17, ber: null, dbm: -79 });
    expect(parseCsq('+CSQ: 99,99')).toEqual({ rssi: null, ber: null, dbm: null });
    expect(parseCops('+COPS: 0,0,"Telenor N",7')).toEqual({ mode: 0, format: 0, operator: 'Telenor N', act: 7 });
    expect(parseCops('+COPS: 0')).toEqual({ mode: 0, format: null, operator: null, act: null });
    expect(parseCsms('+CSMS: 1,1,1,1')).toEqual({ service: 1, mt: true, mo: true, bm: true });
    expect(parseCsms('+CSMS: 1,1,1')).toEqual({ service: null, mt: true, mo: true, bm: true });
  });
  it('reads identities', () => {
    expect(parseImei(['+CGSN: "356938035643809"'])).toBe('356938035643809');
    expect(parseImei(['IMEI: 356938035643809'])).toBe('356938035643809');
    expect(() => parseImei(['ERROR'])).toThrow(AtParseError);
    expect(parseIccid(['+CCID: 89470000123456789012'])).toBe('89470000123456789012');
    expect(parseIccid(['8901260487759545390F'])).toBe('8901260487759545390');
    expect(parseIccid(['^ICCID: 98740000214365870921'])).toBe('89470000123456789012'); // Huawei: nibble-swapped
    expect(parseIccid(['!ICCID: 89001011555100000014'])).toBe('89001011555100000014');
  });
});
