// The result-table layout of the "sms" WASM module (assembly/sms) shared with its TypeScript face
// (src/codec/sms). Compiled by both asc and tsc, so it holds only plain integer constants.

// TPDU kinds (23.040 §9.2.2); TP-MTI alone is ambiguous, the direction decides.
export const SMS_DELIVER = 0;
export const SMS_SUBMIT = 1;
export const SMS_STATUS_REPORT = 2;
export const SMS_COMMAND = 3;
export const SMS_DELIVER_REPORT = 4;
export const SMS_SUBMIT_REPORT = 5;

// smsDecode flags. Bits 8-15 hold the default locking-shift language and bits 16-23 the default
// single-shift language (used when the UDH names none).
export const SMS_F_SCA = 1; // input starts with the SMSC address (AT PDU-mode form)
export const SMS_F_MO = 2; // MS -> SC (else SC -> MS)
export const SMS_F_REPORT_ACK = 4; // a report TPDU is the RP-ACK form (no TP-FCS)
export const SMS_F_REPORT_ERROR = 8; // a report TPDU is the RP-ERROR form (TP-FCS present)
export const SMS_F_LENIENT = 16; // accept what real devices send: TP-UDL beyond the data (clamped), odd UCS-2
// octet counts (last one dropped), non-BCD time-stamp digits (read as binary, as ofono does)

// Decode result rows (8 i32 words each).
export const SMS_ROW_MSG = 0; // kind, first octet, TPDU start, flags, MR, PID, DCS, FCS (-1 = absent)
export const SMS_ROW_SCA = 1; // address row
export const SMS_ROW_ADDR = 2; // address row: OA / DA / RA
export const SMS_ROW_TS1 = 3; // timestamp row: SCTS
export const SMS_ROW_TS2 = 4; // timestamp row: DT, or TP-VP absolute
export const SMS_ROW_MISC = 5; // VPF, VP relative, VP enhanced offset, ST, PI, CT, MN, DCS info
export const SMS_ROW_UD = 6; // UDL, alphabet, UD offset, UD octets, UDH octets, text start, text units, flags
export const SMS_ROW_IE = 7; // first UDH information element row
export const SMS_FIXED_ROWS = 7;

// Address row words: present, TOA, OUT start (UTF-16 units), units, field offset, length octet.
// Timestamp row words: present, yy, MM, dd, hh, mm, ss, time zone in quarter hours (signed).
// MSG row flags (word 3).
export const SMS_MSG_RP_ERROR = 1; // report TPDU in the RP-ERROR form
// UD row flags (word 7).
export const SMS_UD_UDHI_EMPTY = 1; // TP-UDHI set but the user data is empty (no TP-UDHL)
export const SMS_UD_CLAMPED = 2; // lenient decode: TP-UDL claimed more than present
export const SMS_UD_LONE_SURROGATE = 4; // UCS-2 text holds an unpaired surrogate (kept as is)

// User data alphabets (UD row word 1).
export const SMS_ALPHA_GSM7 = 0;
export const SMS_ALPHA_8BIT = 1;
export const SMS_ALPHA_UCS2 = 2;

// IE row words: IEI, data offset, data length, kind, then per kind: concat (ref, total, seq, ref
// bits), ports (dest, src, bits), language (id).
export const SMS_IE_RAW = 0;
export const SMS_IE_CONCAT = 1;
export const SMS_IE_PORTS = 2;
export const SMS_IE_LOCKING = 3;
export const SMS_IE_SINGLE = 4;

// smsDcsInfo / MISC row word 7: the DCS as the receiver reads it (23.038 §4).
export const SMS_DCS_GROUP_MASK = 7; // bits 0-2
export const SMS_DCS_GENERAL = 0; // 00xx
export const SMS_DCS_AUTO_DELETE = 1; // 01xx
export const SMS_DCS_RESERVED = 2; // 1000-1011
export const SMS_DCS_MWI_DISCARD = 3; // 1100
export const SMS_DCS_MWI_STORE = 4; // 1101
export const SMS_DCS_MWI_STORE_UCS2 = 5; // 1110
export const SMS_DCS_DATA_CLASS = 6; // 1111
export const SMS_DCS_ALPHA_SHIFT = 3; // bits 3-4: alphabet
export const SMS_DCS_COMPRESSED = 32; // bit 5
export const SMS_DCS_ALPHA_RESERVED = 64; // bit 6: reserved alphabet value read as GSM 7-bit
export const SMS_DCS_CLASS_SHIFT = 7; // bits 7-9: message class + 1 (0 = no class)
export const SMS_DCS_MWI_ACTIVE = 1024; // bit 10
export const SMS_DCS_MWI_TYPE_SHIFT = 11; // bits 11-12: 0 voicemail, 1 fax, 2 e-mail, 3 other

// Encode request rows (written by the TS face into TAB before smsEncode).
export const SMS_REQ_MSG = 0; // kind, first octet, MR, PID, DCS, FCS, PI, flags (-1 = absent)
export const SMS_REQ_SCA = 1; // present, TOA, IN offset (bytes, UTF-16 units), units
export const SMS_REQ_ADDR = 2; // same
export const SMS_REQ_TS1 = 3; // timestamp row
export const SMS_REQ_TS2 = 4; // timestamp row
export const SMS_REQ_MISC = 5; // VPF, VP relative, VP enhanced IN offset, ST, CT, MN, CD IN offset, CD length
export const SMS_REQ_UD = 6; // present, IN offset, length (units for text, octets for data), IE count, UDH flag,
// data flag (1 = octets), default locking-shift language, default single-shift language
export const SMS_REQ_IE = 7; // IEI, IN offset, length
export const SMS_REQ_WITH_SCA = 1; // MSG row flag: write the SMSC address prefix
