// TP-Data-Coding-Scheme as a receiver reads it (3GPP TS 23.038 §4), packed into one word
// (layout in shared/sms-layout.ts). Reserved values are read the way §4 tells receivers to:
// a reserved alphabet or coding group means the GSM 7-bit default alphabet.
import {
  SMS_ALPHA_8BIT, SMS_ALPHA_GSM7, SMS_ALPHA_UCS2, SMS_DCS_ALPHA_RESERVED, SMS_DCS_ALPHA_SHIFT,
  SMS_DCS_AUTO_DELETE, SMS_DCS_CLASS_SHIFT, SMS_DCS_COMPRESSED, SMS_DCS_DATA_CLASS, SMS_DCS_GENERAL,
  SMS_DCS_MWI_ACTIVE, SMS_DCS_MWI_DISCARD, SMS_DCS_MWI_STORE, SMS_DCS_MWI_STORE_UCS2,
  SMS_DCS_MWI_TYPE_SHIFT, SMS_DCS_RESERVED,
} from "../shared/sms-layout";

export function dcsInfo(dcs: u32): u32 {
  dcs &= 0xff;
  const hi = dcs >> 4;
  if (hi < 8) {
    // 00xx general / 01xx marked for automatic deletion: bit 5 compressed, bit 4 class meaningful
    let info: u32 = hi < 4 ? SMS_DCS_GENERAL : SMS_DCS_AUTO_DELETE;
    const a = (dcs >> 2) & 3;
    if (a == 3) info |= SMS_DCS_ALPHA_RESERVED;
    info |= (a == 1 ? SMS_ALPHA_8BIT : a == 2 ? SMS_ALPHA_UCS2 : SMS_ALPHA_GSM7) << SMS_DCS_ALPHA_SHIFT;
    if ((dcs & 0x20) != 0) info |= SMS_DCS_COMPRESSED;
    if ((dcs & 0x10) != 0) info |= ((dcs & 3) + 1) << SMS_DCS_CLASS_SHIFT;
    return info;
  }
  if (hi < 0xc) return SMS_DCS_RESERVED | (SMS_ALPHA_GSM7 << SMS_DCS_ALPHA_SHIFT);
  if (hi < 0xf) {
    // message waiting indication groups: bit 3 sense, bits 1-0 indication type
    const group: u32 = hi == 0xc ? SMS_DCS_MWI_DISCARD : hi == 0xd ? SMS_DCS_MWI_STORE : SMS_DCS_MWI_STORE_UCS2;
    const alpha: u32 = hi == 0xe ? SMS_ALPHA_UCS2 : SMS_ALPHA_GSM7;
    let info = group | (alpha << SMS_DCS_ALPHA_SHIFT) | ((dcs & 3) << SMS_DCS_MWI_TYPE_SHIFT);
    if ((dcs & 8) != 0) info |= SMS_DCS_MWI_ACTIVE;
    return info;
  }
  // 1111: data coding / message class; bit 2 selects 8-bit data
  const alpha: u32 = (dcs & 4) != 0 ? SMS_ALPHA_8BIT : SMS_ALPHA_GSM7;
  return SMS_DCS_DATA_CLASS | (alpha << SMS_DCS_ALPHA_SHIFT) | (((dcs & 3) + 1) << SMS_DCS_CLASS_SHIFT);
}

@inline export function dcsAlphabet(info: u32): u32 { return (info >> SMS_DCS_ALPHA_SHIFT) & 3; }
@inline export function dcsCompressed(info: u32): bool { return (info & SMS_DCS_COMPRESSED) != 0; }
