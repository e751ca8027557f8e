// The WSP Push PDU (WAP-230-WSP §8.2.4.1) that carries MMS notifications (and any other push)
// over SMS or UDP: decodePush / encodePush. See assembly/wsp/push.ts for the Headers-Length
// repair of gammu issue #298.
import * as T from '../../../assembly/shared/mms-table.js';
import { CodecError } from '../errors.js';
import { runDecode, runEncode, type EncodeTable } from './module.js';
import { RowReader, versionString } from './reader.js';
import { PUSH_APP_IDS, WSP_PDU_TYPES } from './tables.js';
import type { WspPush } from './types.js';
import { checkPlainText, lohi, versionOctet, writeContentType, writeKeptHeader } from './writer.js';

export interface PushDecodeOptions {
  /** The connection-oriented form (no TID octet); default: connectionless (TID first). */
  connectionOriented?: boolean;
}

const H_CONTENT_LENGTH = 0x0d;
const H_APPLICATION_ID = 0x2f;
const H_INITIATOR_URI = 0x31;
const H_PUSH_FLAG = 0x34;
const H_ENCODING_VERSION = 0x43;

/** Decodes a WSP push PDU; the body is a view of `bytes`. */
export function decodePush(bytes: Uint8Array, opts: PushDecodeOptions = {}): WspPush {
  const typeAt = opts.connectionOriented ? 0 : 1;
  if (bytes.length > typeAt && bytes[typeAt] !== 0x06 && bytes[typeAt] !== 0x07) {
    const type = bytes[typeAt];
    const name = WSP_PDU_TYPES.get(type);
    throw new CodecError('BAD_TYPE', 'WSP PDU type', typeAt,
      name ? `${name} (0x${hex(type)}) is not a push PDU` : `0x${hex(type)} is not a WSP PDU type`);
  }
  const flags = opts.connectionOriented ? T.DF_NO_TID : 0;
  const rows = runDecode(bytes, (x, len) => x.wspPushDecode(len, flags));
  const r = new RowReader(rows, bytes);
  r.expect(T.R_PUSH);
  const tid = r.w(1);
  const type = r.w(3);
  const declared = r.w(4);
  const used = r.w(5);
  const bodyOff = r.w(6);
  const nHeaders = r.w(7);
  r.i++;
  const push = {} as WspPush;
  if (tid >= 0) push.tid = tid;
  push.pduType = type === 0x07 ? 'confirmed-push' : 'push';
  push.contentType = r.contentType();
  for (let k = 0; k < nHeaders; k++) {
    if (r.tag() === T.R_WSP_HEADER) {
      const code = r.w(1);
      const kind = r.w(2);
      if (code === H_APPLICATION_ID && push.applicationId === undefined && (kind === T.K_INT || kind === T.K_TEXT)) {
        if (kind === T.K_INT) {
          const v = RowReader.int(r.w(3), r.w(4));
          push.applicationId = PUSH_APP_IDS[v] ?? v;
        } else push.applicationId = r.text(r.w(3), r.w(4), r.w(5));
      } else if (code === H_CONTENT_LENGTH && push.contentLength === undefined && kind === T.K_INT) {
        push.contentLength = RowReader.int(r.w(3), r.w(4));
      } else if (code === H_PUSH_FLAG && push.pushFlag === undefined && kind === T.K_INT) {
        push.pushFlag = RowReader.int(r.w(3), r.w(4));
      } else if (code === H_INITIATOR_URI && push.initiatorUri === undefined && kind === T.K_TEXT) {
        push.initiatorUri = r.text(r.w(3), r.w(4), r.w(5));
      } else if (code === H_ENCODING_VERSION && push.encodingVersion === undefined && (kind === T.K_OCTET || kind === T.K_TEXT)) {
        push.encodingVersion = kind === T.K_OCTET ? versionString(r.w(3) & 0x7f) : r.text(r.w(3), r.w(4), r.w(5));
      } else if (kind === T.K_DISPOSITION) {
        r.disposition(); // a Content-Disposition in a push has no meaning; dropped
        continue;
      } else {
        (push.headers ??= []).push(r.rawHeader());
        continue;
      }
      r.i++;
    } else {
      r.expect(T.R_APP_HEADER);
      (push.headers ??= []).push({ name: r.text(r.w(3), r.w(4), T.TF_NON_ASCII), value: r.text(r.w(5), r.w(6), r.w(7)) });
      r.i++;
    }
  }
  push.body = bytes.subarray(bodyOff);
  if (used !== declared) push.headersLengthRepaired = { declared, actual: used };
  return push;
}

const PUSH_KEYS = new Set(['tid', 'pduType', 'contentType', 'body', 'headersLengthRepaired']);

/** Encodes a WSP push PDU (connectionless when `tid` is given, else connection-oriented). */
export function encodePush(push: WspPush): Uint8Array {
  if (push.tid !== undefined && (!Number.isInteger(push.tid) || push.tid < 0 || push.tid > 255)) {
    throw new CodecError('BAD_VALUE', 'WSP push TID', -1, `${push.tid} is not an octet`);
  }
  if (!(push.body instanceof Uint8Array)) throw new CodecError('MISSING', 'WSP push body', -1);
  const type = push.pduType === 'confirmed-push' ? 0x07 : push.pduType === 'push' || push.pduType === undefined ? 0x06 : -1;
  if (type < 0) throw new CodecError('BAD_VALUE', 'WSP PDU type', -1, `${String(push.pduType)} is not push or confirmed-push`);
  return runEncode((t) => {
    const r = t.row(T.R_PUSH, push.tid ?? -1, 0, type, 0, 0, 0, 0);
    writeContentType(t, push.contentType, 'Content-Type');
    let n = 0;
    for (const key of Object.keys(push) as (keyof WspPush)[]) {
      const v = push[key];
      if (v === undefined || PUSH_KEYS.has(key)) continue;
      n += writePushHeader(t, key, v);
    }
    t.set(r, 7, n);
    t.data(t.row(T.R_BODY, 0, 0, 0, 0, 0, 0, 0), push.body);
  });
}

function writePushHeader(t: EncodeTable, key: keyof WspPush, v: unknown): number {
  switch (key) {
    case 'applicationId': {
      const code = typeof v === 'number' ? v : PUSH_APP_IDS.indexOf(v as string);
      if (code >= 0) {
        const [lo, hi] = lohi(code, 'X-Wap-Application-Id');
        t.row(T.R_WSP_HEADER, H_APPLICATION_ID, T.K_INT, lo, hi, 0, 0, 0);
      } else {
        const [off, len] = t.text(checkPlainText(v, 'X-Wap-Application-Id'), -1, 'X-Wap-Application-Id');
        t.row(T.R_WSP_HEADER, H_APPLICATION_ID, T.K_TEXT, off, len, 0, 0, 0);
      }
      return 1;
    }
    case 'contentLength':
    case 'pushFlag': {
      const field = key === 'contentLength' ? 'Content-Length' : 'Push-Flag';
      const [lo, hi] = lohi(v as number, field);
      t.row(T.R_WSP_HEADER, key === 'contentLength' ? H_CONTENT_LENGTH : H_PUSH_FLAG, T.K_INT, lo, hi, 0, 0, 0);
      return 1;
    }
    case 'initiatorUri': {
      const [off, len] = t.text(checkPlainText(v, 'X-Wap-Initiator-URI'), -1, 'X-Wap-Initiator-URI');
      t.row(T.R_WSP_HEADER, H_INITIATOR_URI, T.K_TEXT, off, len, 0, 0, 0);
      return 1;
    }
    case 'encodingVersion': {
      const o = versionOctet(v as string);
      if (o !== undefined) t.row(T.R_WSP_HEADER, H_ENCODING_VERSION, T.K_OCTET, o, 0, 0, 0, 0);
      else {
        const [off, len] = t.text(checkPlainText(v, 'Encoding-Version'), -1, 'Encoding-Version');
        t.row(T.R_WSP_HEADER, H_ENCODING_VERSION, T.K_TEXT, off, len, 0, 0, 0);
      }
      return 1;
    }
    case 'headers':
      for (const h of v as NonNullable<WspPush['headers']>) writeKeptHeader(t, h, `WSP push header ${h.name}`);
      return (v as unknown[]).length;
    default:
      throw new CodecError('BAD_VALUE', `WSP push ${String(key)}`, -1, 'not a push field');
  }
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}
