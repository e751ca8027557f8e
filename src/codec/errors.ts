import * as C from '../../assembly/shared/codes.js';
import { fieldName } from './fields.js';

/** Stable error codes: one per way a PDU can be wrong. */
export type CodecErrorCode =
  | 'TRUNCATED'
  | 'BAD_VALUE'
  | 'BAD_LENGTH'
  | 'LIMIT'
  | 'UNSUPPORTED'
  | 'MISSING'
  | 'BAD_TYPE'
  | 'INTERNAL'
  | 'TOO_LARGE'
  | 'NOT_REPRESENTABLE';

const CODE_NAMES: Record<number, CodecErrorCode> = {
  [C.ERR_TRUNCATED]: 'TRUNCATED',
  [C.ERR_BAD_VALUE]: 'BAD_VALUE',
  [C.ERR_BAD_LENGTH]: 'BAD_LENGTH',
  [C.ERR_LIMIT]: 'LIMIT',
  [C.ERR_UNSUPPORTED]: 'UNSUPPORTED',
  [C.ERR_MISSING]: 'MISSING',
  [C.ERR_BAD_TYPE]: 'BAD_TYPE',
  [C.ERR_INTERNAL]: 'INTERNAL',
  [C.ERR_TOO_LARGE]: 'TOO_LARGE',
  [C.ERR_NOT_REPRESENTABLE]: 'NOT_REPRESENTABLE',
};

const DESCRIPTIONS: Record<CodecErrorCode, string> = {
  TRUNCATED: 'runs past the end of the data',
  BAD_VALUE: 'has a value not allowed here',
  BAD_LENGTH: 'has a length that disagrees with the data',
  LIMIT: 'exceeds a decoder limit',
  UNSUPPORTED: 'uses an unsupported encoding',
  MISSING: 'is missing',
  BAD_TYPE: 'has an unknown type',
  INTERNAL: 'hit an internal codec error',
  TOO_LARGE: 'is larger than allowed',
  NOT_REPRESENTABLE: 'cannot be represented in the target encoding',
};

/**
 * The only error the codecs throw. `field` names the PDU field in the protocol's own terms
 * (e.g. "X-Mms-Expiry", "TP-UDL", "WSP multipart part data length"), `offset` is the byte
 * offset in the input where the problem was found (-1 when not about a position).
 */
export class CodecError extends Error {
  override readonly name = 'CodecError';
  constructor(
    readonly code: CodecErrorCode,
    readonly field: string,
    readonly offset: number,
    detail?: string,
  ) {
    super(
      `${field} ${DESCRIPTIONS[code]}` +
        (offset >= 0 ? ` (at byte ${offset})` : '') +
        (detail ? `: ${detail}` : ''),
    );
  }

  /** Builds the error from the integers the WASM reports. */
  static fromWasm(code: number, offset: number, field: number, detail: number): CodecError {
    const name = CODE_NAMES[code] ?? 'INTERNAL';
    const extra =
      name === 'INTERNAL'
        ? `WASM abort at line ${offset}, column ${detail}`
        : name === 'LIMIT' || name === 'BAD_LENGTH' || name === 'BAD_VALUE'
          ? `value ${detail}`
          : undefined;
    return new CodecError(name, fieldName(field), name === 'INTERNAL' ? -1 : offset, extra);
  }
}
