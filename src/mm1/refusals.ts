// One answer per kind of bad m-send.req, whatever its size: whenever its Transaction-ID can be
// read, the phone gets an m-send.conf with a status in OMA MMS ENC terms (§7.3.48, fact sheet
// mm1-flows §2.1):
//   - a limit of ours (recipients, parts, nesting, header fields, size): the PDU is well formed
//     but we do not take it -> Error-permanent-content-not-accepted ("not accepted due to size,
//     media type, copyrights or some other reason");
//   - a PDU that breaks the encoding (cut short, a value not allowed) ->
//     Error-permanent-message-format-corrupt.
// A bare HTTP error is left for bytes that are no MMS PDU at all.
import { CodecError } from '../codec/errors.js';
import { decodeMms, type MmsPdu, type ResponseStatusName } from '../codec/mms/index.js';

export type Head = Pick<MmsPdu, 'messageType' | 'transactionId' | 'mmsVersion'>;

/** The leading headers (type, Transaction-ID, version) of a PDU refused whole; undefined when even they cannot be read. */
export function headOf(bytes: Uint8Array): Head | undefined {
  try {
    return decodeMms(bytes, { leadingOnly: true });
  } catch {
    return undefined;
  }
}

/** The m-send.conf status for a PDU the decoder refused. */
export function statusFor(e: CodecError): ResponseStatusName {
  return e.code === 'LIMIT' || e.code === 'TOO_LARGE' ? 'Error-permanent-content-not-accepted' : 'Error-permanent-message-format-corrupt';
}

/**
 * MM1 decodes an m-send.req without walking multiparts nested in its parts (their octets are
 * stored as they came), but phones and `mmsc decode` walk them in the m-retrieve.conf it
 * becomes. So a PDU with nested multiparts is decoded once more the way they will read it;
 * what fails there is not accepted. Returns the decoder's error, if any.
 */
export function unservable(pdu: MmsPdu, bytes: Uint8Array): CodecError | undefined {
  if (!pdu.parts?.some((p) => /multipart/i.test(p.contentType.type))) return undefined;
  try {
    decodeMms(bytes);
    return undefined;
  } catch (e) {
    if (e instanceof CodecError) return e;
    throw e;
  }
}
