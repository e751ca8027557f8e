// GSM 7-bit septet streams (23.038 §6.1.2.1): septets packed LSB first into octets, text mapped
// through a locking-shift table with escapes (0x1B) into a single-shift table.
//
// Decoded text goes to OUT as UTF-16 code units (the TypeScript face turns them into a string);
// encoded septets are appended to OUT as packed octets.
import { at, fail, outBase, outputCap, put, inBase } from "../io";
import { ERR_LIMIT, ERR_NOT_REPRESENTABLE, FIELD_NONE, FIELD_SMS_TEXT } from "../shared/codes";
import { encodeUnit, lockUnit, shiftUnit } from "./charset";

const ESC: u32 = 0x1b;

// ---- UTF-16 output (decode) ----

let units: u32 = 0;

export function unitsReset(): void { units = 0; }
export function unitsCount(): u32 { return units; }

@inline export function putUnit(u: u32): void {
  if ((units + 1) << 1 > outputCap()) fail(ERR_LIMIT, <i32>units, FIELD_NONE);
  store<u16>(outBase() + (<usize>units << 1), <u16>u);
  units++;
}

/**
 * Unpacks `count` septets of the stream whose first septet starts `bit` bits into byte `start`
 * of IN, and writes them as text. Reads only the octets those septets occupy (the caller checked
 * they exist). An escape as the very last septet has nothing to shift and is shown as a space.
 */
export function decodeSeptets(start: u32, bit: u32, count: u32, lockTab: usize, shiftTab: usize): void {
  if (count == 0) return;
  let p = start + (bit >> 3);
  let acc: u32 = at(p++) >> (bit & 7);
  let nbits: u32 = 8 - (bit & 7);
  let escaped = false;
  for (let s: u32 = 0; s < count; s++) {
    if (nbits < 7) {
      acc |= at(p++) << nbits;
      nbits += 8;
    }
    const septet = acc & 0x7f;
    acc >>= 7;
    nbits -= 7;
    if (escaped) {
      putUnit(shiftUnit(shiftTab, lockTab, septet));
      escaped = false;
    } else if (septet == ESC) {
      escaped = true;
    } else {
      putUnit(lockUnit(lockTab, septet));
    }
  }
  if (escaped) putUnit(0x20);
}

// ---- packing (encode) ----

let acc: u32 = 0;
let nbits: u32 = 0;
let septets: u32 = 0;

/** Starts a septet stream after `fillBits` zero bits (the fill that aligns text after a UDH). */
export function packBegin(fillBits: u32): void {
  acc = 0;
  nbits = fillBits;
  septets = 0;
}

@inline export function packSeptet(s: u32): void {
  acc |= s << nbits;
  nbits += 7;
  septets++;
  if (nbits >= 8) {
    put(acc & 0xff);
    acc >>= 8;
    nbits -= 8;
  }
}

/** Flushes the last partial octet; returns the number of septets packed. */
export function packEnd(): u32 {
  if (nbits > 0) put(acc & 0xff);
  nbits = 0;
  return septets;
}

/**
 * Maps `count` UTF-16 code units at byte offset `off` of IN to septets and packs them. A unit
 * neither table holds fails with NOT_REPRESENTABLE whose offset is the unit's index in the text.
 */
export function packText(off: u32, count: u32, lock: u32, shift: u32): void {
  const base = inBase() + <usize>off;
  for (let i: u32 = 0; i < count; i++) {
    const code = encodeUnit(<u32>load<u16>(base + (<usize>i << 1)), lock, shift);
    if (code < 0) fail(ERR_NOT_REPRESENTABLE, <i32>i, FIELD_SMS_TEXT);
    if (code >= 0x100) packSeptet(ESC);
    packSeptet(<u32>code & 0x7f);
  }
}

/**
 * Septets each of `count` UTF-16 units at byte offset `off` of IN costs (1, 2 with an escape,
 * 0 when not representable), written as octets to OUT from offset 0. Returns the total, or
 * -1 - index of the first unit that cannot be represented.
 */
export function textCost(off: u32, count: u32, lock: u32, shift: u32): i32 {
  if (count > outputCap()) fail(ERR_LIMIT, 0, FIELD_SMS_TEXT, <i32>count);
  const base = inBase() + <usize>off;
  let total: i32 = 0;
  let firstBad: i32 = -1;
  for (let i: u32 = 0; i < count; i++) {
    const code = encodeUnit(<u32>load<u16>(base + (<usize>i << 1)), lock, shift);
    let cost: u32 = 0;
    if (code < 0) {
      if (firstBad < 0) firstBad = <i32>i;
    } else {
      cost = code >= 0x100 ? 2 : 1;
    }
    store<u8>(outBase() + <usize>i, <u8>cost);
    total += <i32>cost;
  }
  return firstBad >= 0 ? -1 - firstBad : total;
}
