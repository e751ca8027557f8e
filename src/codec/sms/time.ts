// Time stamps and validity periods (23.040 §9.2.3.11-12) to and from ordinary time values.
import { CodecError } from '../errors.js';
import type { SmsTimestamp } from './types.js';

/** Full year of the two digits carried: 90-99 are 1990-1999, the rest 2000-2089. */
export function fullYear(yy: number): number {
  return yy >= 90 ? 1900 + yy : 2000 + yy;
}

/** The instant a time stamp names. */
export function timestampToDate(ts: SmsTimestamp): Date {
  const local = Date.UTC(ts.year, ts.month - 1, ts.day, ts.hour, ts.minute, ts.second);
  return new Date(local - ts.tz * 15 * 60_000);
}

/** A time stamp for an instant, in the zone `tz` (quarter hours east of UTC). */
export function timestampFromDate(date: Date, tz = 0): SmsTimestamp {
  if (!Number.isInteger(tz) || tz < -79 || tz > 79) throw new CodecError('BAD_VALUE', 'TP-SCTS', -1, `time zone ${tz}`);
  const d = new Date(date.getTime() + tz * 15 * 60_000);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    tz,
  };
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** ISO 8601 with the stamp's own offset, e.g. 2013-03-08T15:02:16+02:00. */
export function timestampToIso(ts: SmsTimestamp): string {
  const q = Math.abs(ts.tz);
  const off = `${ts.tz < 0 ? '-' : '+'}${pad(Math.floor(q / 4))}:${pad((q % 4) * 15)}`;
  return `${ts.year}-${pad(ts.month)}-${pad(ts.day)}T${pad(ts.hour)}:${pad(ts.minute)}:${pad(ts.second)}${off}`;
}

/** Seconds a relative TP-VP octet stands for. */
export function relativeVpSeconds(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 255) throw new CodecError('BAD_VALUE', 'TP-VP', -1, `value ${value}`);
  if (value <= 143) return (value + 1) * 300;
  if (value <= 167) return 43_200 + (value - 143) * 1800;
  if (value <= 196) return (value - 166) * 86_400;
  return (value - 192) * 604_800;
}

/**
 * The relative TP-VP octet for a period, rounded down to the format's step (5 minutes up to 12
 * hours, 30 minutes up to a day, days up to 30 days, then weeks); at least 5 minutes.
 */
export function relativeVpFromSeconds(seconds: number): number {
  if (!(seconds >= 0) || !Number.isFinite(seconds)) throw new CodecError('BAD_VALUE', 'TP-VP', -1, `${seconds} s`);
  if (seconds <= 43_200) return Math.max(0, Math.floor(seconds / 300) - 1);
  if (seconds <= 86_400) return 143 + Math.floor((seconds - 43_200) / 1800);
  if (seconds <= 30 * 86_400) return 166 + Math.floor(seconds / 86_400);
  const weeks = Math.floor(seconds / 604_800);
  if (weeks > 63) throw new CodecError('NOT_REPRESENTABLE', 'TP-VP', -1, `${seconds} s is longer than 63 weeks`);
  return 192 + weeks;
}
