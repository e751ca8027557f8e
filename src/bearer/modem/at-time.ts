// Readers for the network's time as modems report it: the clock (+CCLK, 27.007 §8.15) and the
// time zone / NITZ codes (+CTZV, +CTZE, +CTZEU of 27.007 §8.41, Huawei ^NWTIME). Real modems
// write the time as "yy/MM/dd,hh:mm:ss±zz" - local time, and the zone in quarters of an hour
// east of UTC (27.007's example "94/05/06,22:10:00+08" is 20:10 UTC) - with or without quotes,
// with a four-digit year in +CTZE, a space after the comma on some (Motorola), and without the
// zone on modems that keep none (then the instant is unknown). Pure functions, like at-parse.ts.
import { AtParseError, afterPrefix, splitFields, unquote } from './at-parse.js';

/** A time a modem reported. */
export interface ModemTime {
  /** The instant (ms since the epoch), or null when the zone is unknown (a local time of somewhere). */
  utc: number | null;
  /** Quarters of an hour east of UTC (daylight saving included), or null when not given. */
  zone: number | null;
  /** The time as written, for logs. */
  text: string;
}

/** What a time zone / NITZ code says: the zone, and the time when it carries one. */
export interface ZoneReport {
  zone: number | null;
  /** Daylight-saving hours included in the zone (0-2), when given. */
  dst: number | null;
  /** The time it carries, if any. */
  time: ModemTime | null;
}

const TIME = /^(\d{2}|\d{4})\/(\d{1,2})\/(\d{1,2}),\s*(\d{1,2}):(\d{1,2}):(\d{1,2})\s*(?:([+-])\s*(\d{1,3}))?$/;

/** A two-digit year: modems' default clocks say 70, 80 (1980, the GPS epoch), 00 or 04. */
function year(y: string): number {
  if (y.length === 4) return Number(y);
  const n = Number(y);
  return n >= 70 ? 1900 + n : 2000 + n;
}

function zoneValue(what: string, line: string, z: string): number {
  const v = Number(z.replace(/\s+/g, ''));
  if (!/^[+-]?\d{1,3}$/.test(z.replace(/\s+/g, '')) || v < -96 || v > 96) throw new AtParseError(what, line, `time zone "${z}" is not quarters of an hour between -96 and +96`);
  return v;
}

/**
 * "yy/MM/dd,hh:mm:ss±zz" (or a four-digit year, or without the zone). `isUtc`: the time is
 * UTC (+CTZEU), not local; `zone` applies when the string carries none (+CTZE gives it apart).
 */
export function parseTimeString(what: string, line: string, s: string, o: { isUtc?: boolean; zone?: number | null } = {}): ModemTime {
  const text = unquote(s).trim();
  const m = TIME.exec(text);
  if (!m) throw new AtParseError(what, line, `"${text}" is not a yy/MM/dd,hh:mm:ss±zz time`);
  const [, y, mo, d, h, mi, se, sign, z] = m;
  const parts = [Number(mo), Number(d), Number(h), Number(mi), Number(se)];
  if (parts[0] < 1 || parts[0] > 12 || parts[1] < 1 || parts[1] > 31 || parts[2] > 23 || parts[3] > 59 || parts[4] > 60) {
    throw new AtParseError(what, line, `"${text}" is not a valid date and time`);
  }
  const zone = z !== undefined ? zoneValue(what, line, `${sign}${z}`) : (o.zone ?? null);
  const wall = Date.UTC(year(y), parts[0] - 1, parts[1], parts[2], parts[3], parts[4]);
  let utc: number | null;
  if (o.isUtc) utc = wall;
  else utc = zone === null ? null : wall - zone * 15 * 60_000;
  return { utc, zone, text };
}

/** +CCLK: "24/08/15,13:53:54-24" (the answer to AT+CCLK?). */
export function parseCclk(line: string): ModemTime {
  const rest = afterPrefix(line, '+CCLK');
  if (rest === null) throw new AtParseError('+CCLK', line, 'no +CCLK: prefix');
  // the time itself holds a comma: the whole value is the time
  return parseTimeString('+CCLK', line, rest);
}

/**
 * +CTZV: <tz> (27.007), +CTZV: <tz>,<dst> (SIMCom), +CTZV: <tz>,"yy/MM/dd,hh:mm:ss" (Infineon,
 * u-blox: local time).
 */
export function parseCtzv(line: string): ZoneReport {
  const rest = afterPrefix(line, '+CTZV');
  if (rest === null || rest === '') throw new AtParseError('+CTZV', line, 'no time zone');
  const f = splitFields(rest);
  const zone = zoneValue('+CTZV', line, unquote(f[0]));
  if (f.length >= 2 && unquote(f[1]).includes('/')) {
    const time = parseTimeString('+CTZV', line, f.slice(1).join(','), { zone });
    return { zone, dst: null, time };
  }
  const dst = f[1] !== undefined && /^\d$/.test(unquote(f[1])) ? Number(unquote(f[1])) : null;
  return { zone, dst, time: null };
}

/** +CTZE: <tz>,<dst>[,<time>] (local time, "yyyy/MM/dd,hh:mm:ss"); +CTZEU: the same in UTC. */
export function parseCtze(line: string): ZoneReport {
  const isUtc = afterPrefix(line, '+CTZEU') !== null;
  const what = isUtc ? '+CTZEU' : '+CTZE';
  const rest = afterPrefix(line, what);
  if (rest === null || rest === '') throw new AtParseError(what, line, 'no time zone');
  const f = splitFields(rest);
  const zone = zoneValue(what, line, unquote(f[0]));
  const dst = f[1] !== undefined && /^\d$/.test(unquote(f[1])) ? Number(unquote(f[1])) : null;
  const t = f.slice(2).join(',');
  const time = unquote(t).trim() === '' ? null : parseTimeString(what, line, t, { zone, isUtc });
  return { zone, dst, time };
}

/** Huawei ^NWTIME: yy/MM/dd,hh:mm:ss±zz,dst (local time; the URC, and the answer to AT^NWTIME?). */
export function parseNwtime(line: string): ZoneReport {
  const rest = afterPrefix(line, '^NWTIME');
  if (rest === null) throw new AtParseError('^NWTIME', line, 'no ^NWTIME: prefix');
  const f = splitFields(rest);
  if (f.length < 2) throw new AtParseError('^NWTIME', line, 'no date and time');
  const time = parseTimeString('^NWTIME', line, `${unquote(f[0])},${unquote(f[1])}`);
  const dst = f[2] !== undefined && /^\d+$/.test(unquote(f[2])) ? Number(unquote(f[2])) : null;
  return { zone: time.zone, dst, time };
}

/**
 * Codes that say the network just sent its time (NITZ): after one, the modem's clock holds the
 * network's time (when +CTZU or the vendor's equivalent is on) and is worth reading.
 */
export const NITZ_URCS = ['+CTZV:', '+CTZE:', '+CTZEU:', '^NWTIME:', '*PSUTTZ:', '+NITZ:', '#NITZ:', '*TLTS:'] as const;

/** The time a NITZ code carries itself, or null when it only says that the network sent one. */
export function timeOfNitzUrc(line: string): ModemTime | null {
  const up = line.toUpperCase();
  if (up.startsWith('+CTZV')) return parseCtzv(line).time;
  if (up.startsWith('+CTZE')) return parseCtze(line).time;
  if (up.startsWith('^NWTIME')) return parseNwtime(line).time;
  return null; // *PSUTTZ (SIMCom), #NITZ (Telit), *TLTS: read the clock instead
}
