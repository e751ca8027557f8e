// Primitive-level entry points, used by the unit tests of the primitives.
import { begin, outReset, outLength } from "../io";
import { readUintvar, writeUintvar } from "./primitives";

/** Decodes one uintvar at the start of IN. */
export function wspUintvarDecode(len: u32): u32 {
  begin(len);
  return readUintvar();
}

/** Encodes v as a uintvar into OUT; returns its length. */
export function wspUintvarEncode(v: u32): u32 {
  outReset();
  writeUintvar(v);
  return outLength();
}
