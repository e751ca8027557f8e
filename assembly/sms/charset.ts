// GSM 7-bit <-> UTF-16 character mapping over the 23.038 tables (gsm-tables.ts).
//
// Decoding indexes the forward tables directly. Encoding needs the reverse direction: at
// instantiation every table is turned once into a sorted list of (code unit, septet) pairs in
// the data segment, searched by bisection; Latin-1 text in the default tables (the common case)
// goes through a 256-entry direct map instead. Nothing is allocated after start-up.
import { LANGUAGES, lockTable, shiftTable } from "./gsm-tables";

const ESC: u32 = 0x1b;
const SPACE: u32 = 0x20;
const TABLE_SLOTS: u32 = 2 * 14; // locking tables 0-13, then single-shift tables 0-13
// Sorted pairs: (code unit << 8) | septet, 128 slots per table.
const REVERSE: usize = memory.data(<i32>(TABLE_SLOTS * 128 * 4));
const REVERSE_COUNT: usize = memory.data(<i32>(TABLE_SLOTS * 4));
// Default tables, code units U+0000-U+00FF: septet, 0x80 | septet for the extension table, 0xFF none.
const LATIN1_DEFAULT: usize = memory.data(256);

function buildReverse(slot: u32, table: usize): void {
  const base = REVERSE + (<usize>(slot * 128) << 2);
  let n: u32 = 0;
  for (let code: u32 = 0; code < 128; code++) {
    if (code == ESC) continue; // the escape (locking) / reserved space (single shift) encode nothing
    const unit = <u32>load<u16>(table + (<usize>code << 1));
    if (unit == 0) continue;
    // insertion sort by code unit; a unit already present keeps its lower septet
    let at: u32 = 0;
    while (at < n && (load<u32>(base + (<usize>at << 2)) >>> 8) < unit) at++;
    if (at < n && (load<u32>(base + (<usize>at << 2)) >>> 8) == unit) continue;
    for (let j = n; j > at; j--) store<u32>(base + (<usize>j << 2), load<u32>(base + (<usize>(j - 1) << 2)));
    store<u32>(base + (<usize>at << 2), (unit << 8) | code);
    n++;
  }
  store<u32>(REVERSE_COUNT + (<usize>slot << 2), n);
}

function init(): void {
  for (let lang: u32 = 0; lang < LANGUAGES; lang++) {
    buildReverse(lang, lockTable(lang));
    buildReverse(LANGUAGES + lang, shiftTable(lang));
  }
  for (let u: u32 = 0; u < 256; u++) store<u8>(LATIN1_DEFAULT + u, 0xff);
  for (let code: u32 = 127; code != 0xffffffff; code--) {
    const e = <u32>load<u16>(shiftTable(0) + (<usize>code << 1));
    if (code != ESC && e != 0 && e < 256) store<u8>(LATIN1_DEFAULT + e, <u8>(0x80 | code));
  }
  for (let code: u32 = 127; code != 0xffffffff; code--) {
    const u = <u32>load<u16>(lockTable(0) + (<usize>code << 1));
    if (u != 0 && u < 256) store<u8>(LATIN1_DEFAULT + u, <u8>code);
  }
}
init();

function search(slot: u32, unit: u32): i32 {
  const base = REVERSE + (<usize>(slot * 128) << 2);
  let lo: i32 = 0;
  let hi: i32 = <i32>load<u32>(REVERSE_COUNT + (<usize>slot << 2)) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = load<u32>(base + (<usize>mid << 2));
    const key = v >>> 8;
    if (key == unit) return <i32>(v & 0x7f);
    if (key < unit) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * Septet for a UTF-16 code unit: the septet (0-127) in the locking table, 0x100 | septet when it
 * needs the escape to the single-shift table, -1 when neither table has it.
 */
export function encodeUnit(unit: u32, lock: u32, shift: u32): i32 {
  if (lock == 0 && shift == 0 && unit < 256) {
    const m = <u32>load<u8>(LATIN1_DEFAULT + unit);
    if (m == 0xff) return -1;
    return (m & 0x80) != 0 ? <i32>(0x100 | (m & 0x7f)) : <i32>m;
  }
  const l = search(lock < LANGUAGES ? lock : 0, unit);
  if (l >= 0) return l;
  const s = search(LANGUAGES + (shift < LANGUAGES ? shift : 0), unit);
  if (s >= 0) return 0x100 | s;
  return -1;
}

/** UTF-16 code unit of a septet in a locking table (a space where the table has none). */
@inline export function lockUnit(table: usize, septet: u32): u32 {
  const u = <u32>load<u16>(table + (<usize>septet << 1));
  return u != 0 ? u : SPACE;
}

/**
 * UTF-16 code unit of an escaped septet: the single-shift table's character, else (23.038
 * §6.2.1.1) the locking table's character at that position.
 */
@inline export function shiftUnit(shiftTab: usize, lockTab: usize, septet: u32): u32 {
  const u = <u32>load<u16>(shiftTab + (<usize>septet << 1));
  return u != 0 ? u : lockUnit(lockTab, septet);
}
