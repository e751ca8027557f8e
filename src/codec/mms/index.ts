// The MMS encapsulation face of the "mms" WASM module (OMA-MMS-ENC 1.0-1.3).
export { decodeMms } from './decode.js';
export { encodeMms } from './encode.js';
export { partContent, partText } from './content.js';
export { parseAddress } from './address.js';
export { MESSAGE_TYPES, HEADERS } from './headers.js';
export type * from './types.js';
