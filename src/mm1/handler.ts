// MM1 protocol handling (OMA MMS CTR), independent of the HTTP server: a request's headers and
// body in, a reply out. MMS-level errors travel inside the PDU with HTTP 200 (m-send.conf
// Response-Status); HTTP errors are kept for what is not an MMS PDU at all. Every refusal
// leaves one log line saying why.
import type { Logger } from 'pino';
import { CodecError } from '../codec/errors.js';
import { decodeMms, encodeMms, type MmsPdu, type ResponseStatusName } from '../codec/mms/index.js';
import type { Config } from '../config/schema.js';
import { lowerVersion } from '../relay/pdus.js';
import type { Relay } from '../relay/relay.js';
import type { Reply, RequestInfo } from './http.js';
import { SenderIdentifier } from './identity.js';

export const MMS_TYPE = 'application/vnd.wap.mms-message';
/** Enough of a PDU to read its headers (type, Transaction-ID, version) when the body is refused. */
export const HEAD_BYTES = 4096;

const text = (status: number, body: string): Reply => ({ status, headers: { 'Content-Type': 'text/plain' }, body: `${body}\n` });

export class Mm1Handler {
  readonly identity: SenderIdentifier;
  /** Request headers the transport must capture (lower case). */
  readonly wanted: readonly string[];

  constructor(
    private readonly cfg: Config,
    private readonly relay: Relay,
    private readonly log: Logger,
  ) {
    this.identity = new SenderIdentifier(cfg.mm1.identity);
    this.wanted = [...this.identity.headerNames];
  }

  /** Checks made before reading a POST body: a reply refuses it now. */
  precheck(info: RequestInfo): Reply | undefined {
    const ctype = (info.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
    if (ctype !== MMS_TYPE) {
      this.log.warn({ peer: info.peer, contentType: ctype || '(none)' }, `refused: Content-Type is not ${MMS_TYPE}`);
      return text(415, `expected Content-Type: ${MMS_TYPE}`);
    }
    return undefined;
  }

  /** A body over mm1.maxBodyBytes: answered in MMS terms when its head is readable. */
  tooLarge(info: RequestInfo, head: Uint8Array, size: number): Reply {
    const limit = this.cfg.mm1.maxBodyBytes;
    const why = `message of ${size}${info.contentLength === undefined ? '+' : ''} octets exceeds the limit of ${limit}`;
    const pdu = headOf(head);
    this.log.warn({ peer: info.peer, size, limit, tid: pdu?.transactionId }, `refused: ${why}`);
    if (pdu?.messageType === 'm-send-req' && pdu.transactionId) return this.conf(pdu, 'Error-permanent-content-not-accepted', why);
    return text(413, why);
  }

  /** A POSTed PDU. */
  async post(info: RequestInfo, body: Uint8Array): Promise<Reply> {
    let pdu: MmsPdu;
    try {
      pdu = decodeMms(body, { nested: false });
    } catch (e) {
      if (!(e instanceof CodecError)) throw e;
      const head = headOf(body);
      this.log.warn({ peer: info.peer, bytes: body.length, error: e.message, tid: head?.transactionId }, 'refused: malformed PDU');
      if (head?.messageType === 'm-send-req' && head.transactionId) return this.conf(head, 'Error-permanent-message-format-corrupt', e.message);
      return text(400, `malformed MMS PDU: ${e.message}`);
    }
    const major = pdu.mmsVersion ? Number(pdu.mmsVersion.split('.')[0]) : 1;
    switch (pdu.messageType) {
      case 'm-send-req':
        if (major !== 1) {
          this.log.warn({ peer: info.peer, version: pdu.mmsVersion }, 'refused: unsupported MMS major version');
          return this.conf(pdu, 'Error-unsupported-message', `MMS version ${pdu.mmsVersion} is not supported`);
        }
        return this.send(info, pdu, body.length);
      case 'm-notifyresp-ind':
        if (!pdu.transactionId || pdu.status === undefined) return this.badRequest(info, 'm-notifyresp.ind without Transaction-ID or X-Mms-Status');
        await this.relay.notifyResp(pdu.transactionId, pdu.status, bool(pdu.reportAllowed), pdu.mmsVersion, this.who(info)?.msisdn);
        return { status: 200 };
      case 'm-acknowledge-ind':
        if (!pdu.transactionId) return this.badRequest(info, 'm-acknowledge.ind without Transaction-ID');
        await this.relay.acknowledge(pdu.transactionId, bool(pdu.reportAllowed), pdu.mmsVersion);
        return { status: 200 };
      case 'm-read-rec-ind': {
        const reader = this.who(info);
        if (!reader) {
          this.log.warn({ peer: info.peer }, 'refused: read report from an unidentified phone');
          return text(403, 'sender not identified');
        }
        if (!pdu.messageId || pdu.readStatus === undefined) return this.badRequest(info, 'm-read-rec.ind without Message-ID or X-Mms-Read-Status');
        await this.relay.readReport(reader.msisdn, pdu.messageId, pdu.readStatus, pdu.date);
        return { status: 200 };
      }
      case 'm-forward-req':
        this.log.info({ peer: info.peer }, 'm-forward.req refused: forwarding is not offered');
        return this.pdu({ messageType: 'm-forward-conf', transactionId: pdu.transactionId, mmsVersion: this.version(pdu), responseStatus: 'Error-permanent-service-denied', responseText: 'forwarding without retrieval is not offered' });
      case 'm-mbox-store-req':
      case 'm-mbox-upload-req':
        return this.pdu({ messageType: pdu.messageType === 'm-mbox-store-req' ? 'm-mbox-store-conf' : 'm-mbox-upload-conf', transactionId: pdu.transactionId, mmsVersion: this.version(pdu), storeStatus: 'Error-permanent-service-denied', storeStatusText: 'MMBox is not offered' });
      case 'm-mbox-view-req':
      case 'm-mbox-delete-req':
      case 'm-delete-req': {
        const conf = ({ 'm-mbox-view-req': 'm-mbox-view-conf', 'm-mbox-delete-req': 'm-mbox-delete-conf', 'm-delete-req': 'm-delete-conf' } as const)[pdu.messageType];
        return this.pdu({ messageType: conf, transactionId: pdu.transactionId, mmsVersion: this.version(pdu), responseStatus: 'Error-permanent-service-denied', responseText: 'MMBox is not offered' });
      }
      case 'm-cancel-conf':
        return { status: 200 };
      default:
        return this.badRequest(info, `${pdu.messageType} is not sent by phones`);
    }
  }

  /** GET (or HEAD, which must not count as a retrieval) of a retrieval URL. */
  async get(info: RequestInfo, token: string, head: boolean): Promise<Reply> {
    const r = head ? await this.relay.peek(token) : await this.relay.retrieve(token);
    if (!r.found) this.log.info({ peer: info.peer, reason: r.reason }, 'retrieval of an unknown or finished message');
    return { status: 200, headers: { 'Content-Type': MMS_TYPE }, body: r.pdu, headOnly: head };
  }

  notFound(info: RequestInfo): Reply {
    this.log.info({ method: info.method, url: info.url, peer: info.peer }, 'no such MM1 resource');
    return text(info.method === 'GET' || info.method === 'HEAD' ? 404 : 405, 'not an MM1 resource');
  }

  internal(info: RequestInfo, e: unknown): Reply {
    this.log.error({ peer: info.peer, err: e }, 'MM1 request failed');
    return text(500, 'internal error, try again');
  }

  private async send(info: RequestInfo, pdu: MmsPdu, size: number): Promise<Reply> {
    const fromPdu = typeof pdu.from === 'string' ? pdu.from : pdu.from && 'text' in pdu.from ? pdu.from.text : undefined;
    const id = this.who(info, fromPdu);
    if (!id) {
      this.log.warn({ peer: info.peer, tid: pdu.transactionId }, 'refused m-send.req: sender not identified (no trusted MSISDN header, no static mapping)');
      return this.conf(pdu, 'Error-permanent-sending-address-unresolved', 'sender could not be identified');
    }
    const result = await this.relay.submit({ sender: id.msisdn, pdu, size });
    if (result.status === 'Ok') return this.conf(pdu, 'Ok', undefined, result.messageId);
    this.log.warn({ peer: info.peer, sender: id.msisdn, tid: pdu.transactionId, status: result.status }, `refused m-send.req: ${result.text}`);
    return this.conf(pdu, result.status, result.text);
  }

  private who(info: RequestInfo, pduFrom?: string) {
    return this.identity.identify(info.peer, this.wanted.map((h) => info.headers.get(h) ?? ''), pduFrom);
  }

  /** The version to answer in: the client's (1.x) but not above ours. */
  private version(pdu: Pick<MmsPdu, 'mmsVersion'>): string {
    const v = pdu.mmsVersion && /^1\.\d+$/.test(pdu.mmsVersion) ? pdu.mmsVersion : '1.0';
    return lowerVersion(v, this.cfg.mmsc.mmsVersion);
  }

  private conf(pdu: Pick<MmsPdu, 'transactionId' | 'mmsVersion'>, status: ResponseStatusName, why?: string, messageId?: string): Reply {
    const conf: MmsPdu = { messageType: 'm-send-conf', transactionId: pdu.transactionId ?? '', mmsVersion: this.version(pdu), responseStatus: status };
    if (why) conf.responseText = why;
    if (messageId) conf.messageId = messageId;
    return this.pdu(conf);
  }

  private pdu(pdu: MmsPdu): Reply {
    return { status: 200, headers: { 'Content-Type': MMS_TYPE }, body: encodeMms(pdu) };
  }

  private badRequest(info: RequestInfo, why: string): Reply {
    this.log.warn({ peer: info.peer }, `refused: ${why}`);
    return text(400, why);
  }
}

function bool(v: boolean | number | undefined): boolean | undefined {
  return typeof v === 'boolean' ? v : undefined;
}

/** Best-effort header read of a PDU that failed to decode or was too large to read whole. */
function headOf(bytes: Uint8Array): Pick<MmsPdu, 'messageType' | 'transactionId' | 'mmsVersion'> | undefined {
  try {
    return decodeMms(bytes, { nested: false, headersOnly: true });
  } catch {
    return undefined;
  }
}
