// The network's time as real modems write it: +CCLK (27.007 §8.15: "yy/MM/dd,hh:mm:ss±zz",
// local time, the zone in quarters of an hour), +CTZV / +CTZE / +CTZEU (27.007 §8.41) and the
// vendors' forms. Answers as published by their makers and users: 27.007's own example, a
// Quectel UC200T in Mexico City, a Motorola G24 (a space after the comma), Cinterion/Multitech
// (no zone), SIMCom SIM800 (+CTZV with DST, *PSUTTZ), Infineon/u-blox (+CTZV with the time),
// Huawei ^NWTIME.
import { describe, expect, it } from 'vitest';
import { AtParseError } from '../../src/bearer/modem/at-parse.js';
import { parseCclk, parseCtze, parseCtzv, parseNwtime, timeOfNitzUrc } from '../../src/bearer/modem/at-time.js';

const utc = (s: string) => Date.parse(s);

describe('+CCLK', () => {
  it('reads local time and zone as an instant', () => {
    // 27.007: "6th of May 1994, 22:10:00 GMT+2 hours equals to 94/05/06,22:10:00+08"
    expect(parseCclk('+CCLK: "94/05/06,22:10:00+08"')).toEqual({ utc: utc('1994-05-06T20:10:00Z'), zone: 8, text: '94/05/06,22:10:00+08' });
    // Quectel UC200T after AT+CTZU=3, Mexico City (UTC-6)
    expect(parseCclk('+CCLK: "24/08/15,13:53:54-24"')).toMatchObject({ utc: utc('2024-08-15T19:53:54Z'), zone: -24 });
    // Motorola G24: a space after the comma
    expect(parseCclk('+CCLK: "01/01/01, 01:01:01-08"')).toMatchObject({ utc: utc('2001-01-01T03:01:01Z'), zone: -8 });
    // unquoted, and the zone a quarter-hour one (Nepal, UTC+5:45)
    expect(parseCclk('+CCLK: 26/03/01,06:00:00+23')).toMatchObject({ utc: utc('2026-03-01T00:15:00Z'), zone: 23 });
  });

  it('names no instant without a zone, and reads a default clock as the old date it is', () => {
    // Cinterion / Multitech: no zone; factory default "02/01/01,00:00:00"
    expect(parseCclk('+CCLK: "02/01/01,00:00:00"')).toEqual({ utc: null, zone: null, text: '02/01/01,00:00:00' });
    // a clock no network set: 1980 (the GPS epoch), not 2080
    expect(parseCclk('+CCLK: "80/01/06,00:00:12+00"').utc).toBe(utc('1980-01-06T00:00:12Z'));
  });

  it('refuses what is not a time, naming the command', () => {
    for (const bad of ['+CCLK: "24/13/01,00:00:00+00"', '+CCLK: "24/01/01,25:00:00+00"', '+CCLK: "24/01/01,00:00:00+99"', '+CCLK: ""', '+CCLK: 1704067200']) {
      expect(() => parseCclk(bad), bad).toThrow(AtParseError);
      expect(() => parseCclk(bad), bad).toThrow(/^\+CCLK: /);
    }
  });
});

describe('time zone and NITZ codes', () => {
  it('+CTZV: the zone alone (27.007), with DST (SIMCom), or with the local time (Infineon, u-blox)', () => {
    expect(parseCtzv('+CTZV: +32')).toEqual({ zone: 32, dst: null, time: null });
    expect(parseCtzv('+CTZV: "-09"')).toEqual({ zone: -9, dst: null, time: null });
    expect(parseCtzv('+CTZV: +12,0')).toEqual({ zone: 12, dst: 0, time: null }); // SIM800
    expect(parseCtzv('+CTZV: +04,"19/01/13,07:40:48"')).toMatchObject({ zone: 4, time: { utc: utc('2019-01-13T06:40:48Z'), zone: 4 } });
    expect(() => parseCtzv('+CTZV: ')).toThrow(/^\+CTZV: no time zone/);
  });

  it('+CTZE (local time, four-digit year) and +CTZEU (UTC)', () => {
    // Quectel EC25 / 27.007: +CTZE: <tz>,<dst>,<time>, the zone including the DST hour
    expect(parseCtze('+CTZE: "+08",1,"2024/03/31,03:30:00"')).toMatchObject({ zone: 8, dst: 1, time: { utc: utc('2024-03-31T01:30:00Z') } });
    expect(parseCtze('+CTZE: "-20",0')).toEqual({ zone: -20, dst: 0, time: null });
    expect(parseCtze('+CTZEU: "+32",0,"2019/01/13,03:40:48"')).toMatchObject({ zone: 32, time: { utc: utc('2019-01-13T03:40:48Z') } });
  });

  it('Huawei ^NWTIME: local time, zone and DST', () => {
    expect(parseNwtime('^NWTIME: 19/01/13,11:40:48+32,00')).toMatchObject({ zone: 32, dst: 0, time: { utc: utc('2019-01-13T03:40:48Z') } });
  });

  it('the time a code carries, or none (then the modem clock is read)', () => {
    expect(timeOfNitzUrc('+CTZE: "+04",0,"2026/05/01,14:00:00"')?.utc).toBe(utc('2026-05-01T13:00:00Z'));
    expect(timeOfNitzUrc('+CTZV: +12,0')).toBeNull();
    // SIM800 after AT+CLTS=1 (what its zone field means differs between firmwares: read +CCLK)
    expect(timeOfNitzUrc('*PSUTTZ: 2017,11,28,15,35,58,"+12",0')).toBeNull();
  });
});
