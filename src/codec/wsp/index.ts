// The WSP face of the "mms" WASM module: push PDUs, multipart bodies, code tables, charsets.
export { decodePush, encodePush, type PushDecodeOptions } from './push.js';
export { decodeMultipart, encodeMultipart, type MultipartDecodeOptions } from './multipart.js';
export {
  CONTENT_TYPES, contentTypeCode, contentTypeName, PUSH_APP_IDS, WSP_HEADERS, wspHeaderName,
} from './tables.js';
export { charsetFromMib, charsetToMib, type Charset, type CharsetName } from './charset.js';
export type {
  ContentDisposition, ContentType, ContentTypeParams, Part, PushPduType, WspHeader, WspPush,
} from './types.js';
