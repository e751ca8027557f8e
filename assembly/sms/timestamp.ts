// Service-centre time stamps (23.040 §9.2.3.11): 7 octets of swapped BCD digits, year, month,
// day, hour, minute, second, then the time zone in quarters of an hour whose tens digit shares
// its semi-octet with the sign bit (bit 3).
import { at, fail, put, end } from "../io";
import { ERR_BAD_VALUE, ERR_TRUNCATED } from "../shared/codes";

// Result of the last readTimestamp: year (2 digits), month, day, hour, minute, second, zone.
export let tsYear: i32 = 0;
export let tsMonth: i32 = 0;
export let tsDay: i32 = 0;
export let tsHour: i32 = 0;
export let tsMinute: i32 = 0;
export let tsSecond: i32 = 0;
export let tsZone: i32 = 0;

/** Lenient decoding reads a non-BCD digit as its binary value (as ofono does) instead of failing. */
let lenientDigits = false;
export function setLenientDigits(on: bool): void { lenientDigits = on; }

function bcd(p: u32, field: i32): i32 {
  const b = at(p);
  const lo = b & 0xf;
  const hi = b >> 4;
  if ((lo > 9 || hi > 9) && !lenientDigits) fail(ERR_BAD_VALUE, <i32>p, field, <i32>b);
  return <i32>(lo * 10 + hi);
}

/** Reads the 7-octet time stamp at byte p (the caller moves the cursor). */
export function readTimestamp(p: u32, field: i32): void {
  if (end() < 7 || p > end() - 7) fail(ERR_TRUNCATED, <i32>p, field);
  tsYear = bcd(p, field);
  tsMonth = bcd(p + 1, field);
  tsDay = bcd(p + 2, field);
  tsHour = bcd(p + 3, field);
  tsMinute = bcd(p + 4, field);
  tsSecond = bcd(p + 5, field);
  const z = at(p + 6);
  const units = z >> 4;
  if (units > 9 && !lenientDigits) fail(ERR_BAD_VALUE, <i32>(p + 6), field, <i32>z);
  const q = <i32>((z & 7) * 10 + units);
  tsZone = (z & 8) != 0 ? -q : q;
}

function putBcd(v: i32, field: i32): void {
  if (v < 0 || v > 99) fail(ERR_BAD_VALUE, -1, field, v);
  put(<u32>(v % 10) << 4 | <u32>(v / 10));
}

/** Writes a time stamp to OUT; the zone must fit the format (|quarters| <= 79). */
export function writeTimestamp(
  year: i32, month: i32, day: i32, hour: i32, minute: i32, second: i32, zone: i32, field: i32,
): void {
  putBcd(year, field);
  putBcd(month, field);
  putBcd(day, field);
  putBcd(hour, field);
  putBcd(minute, field);
  putBcd(second, field);
  const q = zone < 0 ? -zone : zone;
  if (q > 79) fail(ERR_BAD_VALUE, -1, field, zone);
  put(<u32>(q / 10) | (zone < 0 ? 8 : 0) | (<u32>(q % 10) << 4));
}
