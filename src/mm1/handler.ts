// MM1 protocol handling (OMA MMS CTR), independent of the HTTP server: a request's headers and
// body in, a reply out. MMS-level errors travel inside the PDU with HTTP 200 (m-send.conf
// Response-Status); HTTP errors are kept for what is not an MMS PDU at all. Every refusal
// leaves one log line saying why. Retrieval (who may fetch) is in retrieval.ts.
import type { Logger } from 'pino';
import { CodecError } from '../codec/errors.js';
import { decodeMms, encodeMms, type MmsPdu, type ResponseStatusName } from '../codec/mms/index.js';
import type { Config } from '../config/schema.js';
import { sameNumber } from '../relay/address.js';
import { lowerVersion } from '../relay/pdus.js';
import type { ConfirmResult, Relay, Requester } from '../relay/relay.js';
import type { Reply, RequestInfo } from './http.js';
import { clientAddress, SenderIdentifier, type Identification, type IgnoredHeader } from './identity.js';
import { LogDigest } from '../log-digest.js';
import { headOf, statusFor, unservable } from './refusals.js';
import { RetrievalDesk } from './retrieval.js';

export const MMS_TYPE = 'application/vnd.wap.mms-message';
/** Enough of a PDU to read its headers (type, Transaction-ID, version) when the body is refused. */
export const HEAD_BYTES = 4096;

const text = (status: number, body: string): Reply => ({ status, headers: { 'Content-Type': 'text/plain' }, body: `${body}\n` });

export class Mm1Handler {
  readonly identity: SenderIdentifier;
  /** Request headers the transport must capture (lower case). */
  readonly wanted: readonly string[];

  private readonly digest: LogDigest;
  private readonly retrieval: RetrievalDesk;

  constructor(
    private readonly cfg: Config,
    private readonly relay: Relay,
    private readonly log: Logger,
    now: () => number = Date.now,
  ) {
    this.identity = new SenderIdentifier(cfg.mm1.identity);
    this.wanted = [...this.identity.headerNames];
    const r = cfg.mm1.retrieval;
    this.digest = new LogDigest(log, r.logInterval, r.unknownTokens.maxClients, now);
    this.retrieval = new RetrievalDesk(cfg, relay, log, this.digest, now);
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
      const status = statusFor(e);
      this.log.warn({ peer: info.peer, bytes: body.length, error: e.message, tid: head?.transactionId, status }, `refused: ${e.code === 'LIMIT' ? 'PDU over a decoder limit' : 'malformed PDU'}`);
      if (head?.messageType === 'm-send-req' && head.transactionId) return this.conf(head, status, e.message);
      return text(400, `malformed MMS PDU: ${e.message}`);
    }
    const major = pdu.mmsVersion ? Number(pdu.mmsVersion.split('.')[0]) : 1;
    switch (pdu.messageType) {
      case 'm-send-req':
        if (major !== 1) {
          this.log.warn({ peer: info.peer, version: pdu.mmsVersion }, 'refused: unsupported MMS major version');
          return this.conf(pdu, 'Error-unsupported-message', `MMS version ${pdu.mmsVersion} is not supported`);
        }
        return this.send(info, pdu, body);
      case 'm-notifyresp-ind': {
        if (!pdu.transactionId || pdu.status === undefined) return this.badRequest(info, 'm-notifyresp.ind without Transaction-ID or X-Mms-Status');
        const who = this.inspect(info);
        return this.confirmed(info, who, 'm-notifyresp.ind', await this.relay.notifyResp(pdu.transactionId, pdu.status, bool(pdu.reportAllowed), pdu.mmsVersion, this.requester(who)));
      }
      case 'm-acknowledge-ind': {
        if (!pdu.transactionId) return this.badRequest(info, 'm-acknowledge.ind without Transaction-ID');
        const who = this.inspect(info);
        return this.confirmed(info, who, 'm-acknowledge.ind', await this.relay.acknowledge(pdu.transactionId, bool(pdu.reportAllowed), pdu.mmsVersion, this.requester(who)));
      }
      case 'm-read-rec-ind': {
        const reader = this.inspect(info).identity;
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
  get(info: RequestInfo, token: string, head: boolean): Promise<Reply> {
    return this.retrieval.get(info, token, head, this.inspect(info));
  }

  notFound(info: RequestInfo): Reply {
    this.log.info({ method: info.method, url: info.url, peer: info.peer }, 'no such MM1 resource');
    return text(info.method === 'GET' || info.method === 'HEAD' ? 404 : 405, 'not an MM1 resource');
  }

  /** Writes the log counts still pending and stops their timer (for the transport's close()). */
  close(): void {
    this.digest.close();
  }

  internal(info: RequestInfo, e: unknown): Reply {
    this.log.error({ peer: info.peer, err: e }, 'MM1 request failed');
    return text(500, 'internal error, try again');
  }

  private async send(info: RequestInfo, pdu: MmsPdu, body: Uint8Array): Promise<Reply> {
    const fromPdu = typeof pdu.from === 'string' ? pdu.from : pdu.from && 'text' in pdu.from ? pdu.from.text : undefined;
    const { identity: id, ignored } = this.inspect(info, fromPdu, true);
    if (!id) {
      const why = ignored
        ? `sender not identified: ${ignoredText(ignored)}`
        : 'sender not identified (no trusted MSISDN header, no static mapping)';
      this.log.warn({ peer: info.peer, tid: pdu.transactionId, ignoredHeader: ignored }, `refused m-send.req: ${why}`);
      return this.conf(pdu, 'Error-permanent-sending-address-unresolved', 'sender could not be identified');
    }
    if (fromPdu !== undefined && id.via !== 'pdu-from' && !sameNumber(id.msisdn, fromPdu, this.cfg.relay)) {
      this.log.warn({ peer: info.peer, tid: pdu.transactionId, pduFrom: fromPdu, sender: id.msisdn, via: id.via, detail: id.detail }, `m-send.req From ${fromPdu} is not the identified sender ${id.msisdn} (${id.via}): the identified sender is used and stored`);
    }
    const deep = unservable(pdu, body);
    if (deep) {
      const status = statusFor(deep);
      this.log.warn({ peer: info.peer, sender: id.msisdn, tid: pdu.transactionId, error: deep.message, status }, 'refused m-send.req: its parts could not be decoded the way recipients will read them');
      return this.conf(pdu, status, deep.message);
    }
    const result = await this.relay.submit({ sender: id.msisdn, pdu, size: body.length });
    if (result.status === 'Ok') return this.conf(pdu, 'Ok', undefined, result.messageId);
    this.log.warn({ peer: info.peer, sender: id.msisdn, tid: pdu.transactionId, status: result.status }, `refused m-send.req: ${result.text}`);
    return this.conf(pdu, result.status, result.text);
  }

  /**
   * Who the phone is, and any identity header ignored because it came from an untrusted
   * address (logged here, once per client per interval, unless `quiet`: the caller says it).
   */
  private inspect(info: RequestInfo, pduFrom?: string, quiet = false): Identification {
    const who = this.identity.inspect(info.peer, this.wanted.map((h) => info.headers.get(h) ?? ''), pduFrom);
    if (who.ignored && !(quiet && !who.identity)) {
      this.digest.note('ignored-header', clientAddress(info.peer), { client: clientAddress(info.peer), peer: info.peer, header: who.ignored.header, value: who.ignored.value }, ignoredText(who.ignored));
    }
    return who;
  }

  /** A confirmation's requester: identified phones only; refused on mismatch when the identity is current. */
  private requester(who: Identification): Requester | undefined {
    const id = who.identity;
    return id && id.via !== 'pdu-from' ? { msisdn: id.msisdn, refuse: id.current && this.cfg.mm1.retrieval.recipientOnly } : undefined;
  }

  private confirmed(info: RequestInfo, who: Identification, what: string, r: ConfirmResult): Reply {
    const id = who.identity;
    if (r.refused) {
      this.log.warn({ peer: info.peer, url: info.url, from: id?.msisdn, recipient: r.stranger }, `refused ${what}: ${id?.msisdn} (${id?.detail}) is not the recipient`);
      return text(403, 'not the recipient of this message');
    }
    if (r.stranger) this.log.warn({ peer: info.peer, url: info.url, from: id?.msisdn, via: id?.via, recipient: r.stranger, changed: r.changed }, `${what} from ${id?.msisdn} (${id?.via}), not the recipient: accepted (${id?.current ? 'mm1.retrieval.recipientOnly is off' : 'the identity may be stale'})`);
    return { status: 200 };
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

function ignoredText(h: IgnoredHeader): string {
  return `identity header ${h.header} from untrusted address ${h.peer} ignored (forged, or a proxy missing from mm1.identity.trustedProxies)`;
}
