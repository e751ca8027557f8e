// The row format of the "mms" WASM module's result/encode table, and the decoder limits.
// Compiled by both asc and tsc (plain integer constants only), so the WASM and its
// TypeScript face (src/codec/wsp, src/codec/mms) can never disagree about it.
//
// A row is 8 i32 words: [tag, code, kind, a, b, c, d, e]. Decoders write rows in wire order;
// the encoders read rows of the same shape (strings are (offset, length) ranges of IN).
//
// Row grammar (decode and encode):
//   PDU       := R_PDU header* [R_BODY [PDU] | R_MULTIPART PART*] R_PDU_END
//   header    := R_MMS_HEADER [CT if kind = K_CT] [R_PARAM* if kind = K_PARAMS_TEXT] | R_APP_HEADER
//   CT        := R_CT R_PARAM*                         (count in the R_CT row)
//   PART      := R_PART CT wspHeader* [R_MULTIPART PART* | PDU]   (nested content on decode only)
//   wspHeader := R_WSP_HEADER [R_PARAM* if kind = K_DISPOSITION] | R_APP_HEADER
//   PUSH      := R_PUSH CT wspHeader*

// ---- row tags (word 0) ----
export const R_PDU = 1; //        code = message type octet, a = PDU offset, b = PDU length, c = depth
export const R_PDU_END = 2;
export const R_MMS_HEADER = 3; // code = assigned number (wire & 0x7F), kind, a..e by kind
export const R_APP_HEADER = 4; // textual header: a/b = name off/len, c/d = value off/len, e = flags
export const R_CT = 5; //         code = well-known media (-1: textual), kind = form (0 short, 1 text,
//                                2 general), a/b/c = media text, d = parameter rows, e = start offset
export const R_PARAM = 6; //      code = well-known parameter (-1: textual), kind, a/b/c value,
//                                d/e = name off/len (textual parameters)
export const R_WSP_HEADER = 7; // code = well-known WSP header (wire & 0x7F), kind, a/b/c value,
//                                d = where the value ends, e = where the header starts
//                                (K_DISPOSITION: d = parameter rows, e = token)
export const R_MULTIPART = 8; //  code = entry count, a = body offset, b = body length,
//                                c = depth, d = where the entries ended (octets after are ignored)
export const R_PART = 9; //       code = header rows, a = data offset, b = data length,
//                                c = nested content (NEST_*), d = headers offset, e = headers length
export const R_BODY = 10; //      a = offset, b = length, c = nested content (NEST_*)
export const R_PUSH = 11; //      code = TID (-1: connection-oriented), a = PDU type,
//                                b = declared headers length, c = used headers length,
//                                d = body offset, e = header rows
// Encode tables use the same rows; R_PART and R_BODY get in word a the OUT offset where the
// TS face splices their data in (the data never pass through the WASM).

// ---- value kinds (word 2) and the meaning of a..e ----
export const K_NONE = 0; //        no value (e.g. a parameter without value)
export const K_TEXT = 1; //        Text-string / Token-text: a = off, b = len, c = TF_* flags
export const K_QUOTED = 2; //      Quoted-string: a = off, b = len (after the 0x22), c = flags
export const K_ESTR = 3; //        Encoded-string-value: a/b/c text, d = MIBenum (-1: plain form)
export const K_OCTET = 4; //       one octet (token / Short-integer): a = octet
export const K_INT = 5; //         Integer-value: a = low 32 bits, b = high 32 bits, c = on decode
//                                 the octets of a Long-integer (0: Short-integer), on encode the
//                                 form to write (0 Integer-value, 1 Long-integer, 2 Uintvar)
// Tokens in e are token numbers (octet & 0x7F: Absolute 0, Relative 1, Insert-address 1...);
// counts (Forwarded-count, Status-count) are plain numbers. Both are Integer-values on the wire.
export const K_TOKEN = 6; //       a lone token in a Value-length: e = token (From insert-address)
export const K_TOKEN_INT = 7; //   e = token or count, a/b/c as K_INT (Expiry, Mbox-Totals...)
export const K_TOKEN_ESTR = 8; //  e = token or count, a/b/c/d as K_ESTR (From, MM-Flags...)
export const K_TOKEN_TEXT = 9; //  e = count, a/b/c text (indexed Content-Location)
export const K_TOKEN_OCTET = 10; // e = count, a = octet (indexed Response-Status)
export const K_RAW = 11; //        unknown header, kept raw: a = value offset, b = value length
export const K_CT = 12; //         a Content-type-value follows as CT rows
export const K_PARAMS_TEXT = 13; // text a/b/c then d R_PARAM rows (X-Mms-Element-Descriptor)
export const K_DISPOSITION = 14; // e = token octet (-1: token-text a/b/c), d R_PARAM rows

// ---- text flags (word c of text kinds) ----
export const TF_QUOTE = 1; //      a 0x7F quote preceded the text
export const TF_NON_ASCII = 2; //  some octet >= 0x80
export const TF_WIDE = 4; //       text of a 16-bit charset, delimited by the value length

// ---- nested content of a part or body (decode) ----
export const NEST_NONE = 0;
export const NEST_MULTIPART = 1; // R_MULTIPART PART* follow
export const NEST_PDU = 2; //       a PDU follows (R_PDU ... R_PDU_END)

// ---- decode flags (argument of the decode entry points) ----
export const DF_NESTED = 1; //       decode nested multiparts and MMS PDUs carried in bodies
export const DF_NO_TID = 2; //       push: connection-oriented form (no TID octet)
export const DF_HEADERS_ONLY = 4; // MMS: stop after the header fields (the body is not read)
// MMS: keep only X-Mms-Message-Type, X-Mms-Transaction-Id and X-Mms-MMS-Version, stop once the
// last two are read (or at Content-Type / the end), apply no limit to the fields walked over and
// require no version: what a refusal needs to be answered in MMS terms (m-send.conf).
export const DF_LEADING = 8;

// ---- limits, all in one place ----
// Chosen so that a 64 KiB input can never make a decode allocate more than 1 MiB (WASM table
// + JS objects): every row becomes at most one small JS object, and rows are capped by
// MAX_ROWS; the other limits fail earlier with a field-specific ERR_LIMIT.
export const MAX_ROWS = 2048; //          table rows per decode (32 bytes each in WASM)
export const MAX_MMS_HEADERS = 512; //    header fields in one MMS header block
export const MAX_RECIPIENTS = 256; //     To + Cc + Bcc in one PDU
export const MAX_PARAMS = 32; //          parameters of one content type / disposition / descriptor
export const MAX_PARTS = 256; //          multipart entries in one decode, all levels together
export const MAX_PART_HEADERS = 64; //    headers of one multipart entry
export const MAX_PUSH_HEADERS = 64; //    headers of one WSP push
export const MAX_DEPTH = 4; //            nesting of multiparts / carried PDUs
