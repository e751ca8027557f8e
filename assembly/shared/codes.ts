// Error and field codes shared by the WASM (assembly/) and its TypeScript face (src/codec/).
// This file is compiled by both asc and tsc, so it holds only plain integer constants.

// Error codes: why a decode or encode failed.
export const ERR_TRUNCATED = 1; // a value runs past the end of the input or of its container
export const ERR_BAD_VALUE = 2; // a value the encoding does not allow here
export const ERR_BAD_LENGTH = 3; // a length field disagrees with the bytes around it
export const ERR_LIMIT = 4; // a resource limit (headers, parts, segments, table space)
export const ERR_UNSUPPORTED = 5; // well-formed but not supported (e.g. WSP header code-page shift)
export const ERR_MISSING = 6; // a mandatory field is absent
export const ERR_BAD_TYPE = 7; // unknown message / PDU type
export const ERR_INTERNAL = 8; // WASM abort: a bug, never expected
export const ERR_TOO_LARGE = 9; // input above the configured maximum
export const ERR_NOT_REPRESENTABLE = 10; // encode: a character or value the target encoding cannot carry

// Field ids: which field an error is about. Ranges by layer; names live in src/codec/fields.ts.
// MMS header fields: FIELD_MMS_HEADER + assigned number (0x01..0x7F).
export const FIELD_NONE = 0;
export const FIELD_MMS_HEADER = 0x100;
// WSP structure
export const FIELD_WSP = 0x200;
export const FIELD_WSP_UINTVAR = 0x201;
export const FIELD_WSP_VALUE_LENGTH = 0x202;
export const FIELD_WSP_TEXT = 0x203;
export const FIELD_WSP_INTEGER = 0x204;
export const FIELD_WSP_CONTENT_TYPE = 0x205;
export const FIELD_WSP_PARAMETER = 0x206;
export const FIELD_WSP_MULTIPART_COUNT = 0x207;
export const FIELD_WSP_PART_HEADERS_LENGTH = 0x208;
export const FIELD_WSP_PART_DATA_LENGTH = 0x209;
export const FIELD_WSP_PART_HEADER = 0x20a;
export const FIELD_WSP_PUSH_TID = 0x20b;
export const FIELD_WSP_PDU_TYPE = 0x20c;
export const FIELD_WSP_HEADERS_LENGTH = 0x20d;
export const FIELD_WSP_HEADER = 0x20e;
export const FIELD_WSP_CHARSET = 0x20f;
export const FIELD_WSP_DATE = 0x210;
export const FIELD_MMS_MESSAGE_TYPE = 0x211;
export const FIELD_MMS_BODY = 0x212;
// WSP headers and structure the MMS module names in its errors (added for the WSP/MMS codec)
export const FIELD_WSP_CONTENT_LOCATION = 0x213;
export const FIELD_WSP_CONTENT_ID = 0x214;
export const FIELD_WSP_CONTENT_DISPOSITION = 0x215;
export const FIELD_WSP_APPLICATION_ID = 0x216;
export const FIELD_WSP_CONTENT_LENGTH = 0x217;
export const FIELD_WSP_PUSH_FLAG = 0x218;
export const FIELD_WSP_ENCODING_VERSION = 0x219;
export const FIELD_WSP_INITIATOR_URI = 0x21a;
export const FIELD_WSP_NESTING = 0x21b; // multipart / carried-PDU nesting depth
export const FIELD_WSP_CONTENT_TRANSFER_ENCODING = 0x21c;
export const FIELD_WSP_APP_HEADER = 0x21d; // textual (application) header
export const FIELD_MMS_HEADER_COUNT = 0x21e;
export const FIELD_MMS_RECIPIENTS = 0x21f;
export const FIELD_MMS_APP_HEADER = 0x220; // textual (application) header in an MMS PDU
export const FIELD_CODEC_TABLE = 0x222; // a malformed encode table (a bug in the TS face)
export const FIELD_WSP_PUSH_HEADERS = 0x223; // the header list of a push (count limit)
// SMS TPDU fields (3GPP TS 23.040 names)
export const FIELD_SMS = 0x300;
export const FIELD_SMS_SCA = 0x301;
export const FIELD_SMS_FIRST_OCTET = 0x302; // TP-MTI and flags
export const FIELD_SMS_MR = 0x303;
export const FIELD_SMS_OA = 0x304;
export const FIELD_SMS_DA = 0x305;
export const FIELD_SMS_RA = 0x306;
export const FIELD_SMS_PID = 0x307;
export const FIELD_SMS_DCS = 0x308;
export const FIELD_SMS_SCTS = 0x309;
export const FIELD_SMS_DT = 0x30a;
export const FIELD_SMS_VP = 0x30b;
export const FIELD_SMS_ST = 0x30c;
export const FIELD_SMS_UDL = 0x30d;
export const FIELD_SMS_UDH = 0x30e;
export const FIELD_SMS_UD = 0x30f;
export const FIELD_SMS_PI = 0x310; // TP-Parameter-Indicator
export const FIELD_SMS_FCS = 0x311; // TP-Failure-Cause
export const FIELD_SMS_CT = 0x312; // TP-Command-Type
export const FIELD_SMS_MN = 0x313; // TP-Message-Number
export const FIELD_SMS_CD = 0x314; // TP-Command-Data
export const FIELD_SMS_TEXT = 0x315; // text to encode
export const FIELD_SMS_ADDRESS = 0x319; // an address given to the encoder (digits or alphanumeric)
