// Who may fetch a message (GET / HEAD of a retrieval URL), and what a guessing client gets.
// - The fetching phone is identified like a sender. One that a trusted header names as someone
//   other than the recipient is refused (mm1.retrieval.recipientOnly) with an m-retrieve.conf
//   Error-permanent-service-denied: HTTP 200 and a text body, the MM1 way (OMA ENC: the
//   status in the PDU, a body for 1.0 phones), which phones show as a failed download and do
//   not retry, where an HTTP 403 is retried by some clients as a network error. An identity
//   that may be stale (static IP map) only logs the mismatch. Either way a stranger's fetch is
//   served like a peek: it never counts as the recipient's retrieval.
// - Unknown tokens are charged to the client (its MSISDN when identified, else its address,
//   IPv6 by /64): past the bucket, every fetch of that client is answered at once, without a
//   store lookup, with an m-retrieve.conf Error-transient-failure (and Retry-After). Transient
//   because the client may be a gateway shared with honest phones: they retry later and get
//   their message; HTTP 429 is not an MM1 answer and is a hard failure for some clients.
// - Their log lines go through a LogDigest: one line per client per interval, with a count.
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { normaliseNumber } from '../relay/address.js';
import { retrieveError } from '../relay/pdus.js';
import type { Relay, Requester } from '../relay/relay.js';
import type { Reply, RequestInfo } from './http.js';
import { clientAddress, type Identification } from './identity.js';
import type { LogDigest } from '../log-digest.js';
import { TokenBuckets } from './token-buckets.js';

const MMS_TYPE = 'application/vnd.wap.mms-message';

export class RetrievalDesk {
  private readonly buckets: TokenBuckets;

  constructor(
    private readonly cfg: Config,
    private readonly relay: Relay,
    private readonly log: Logger,
    private readonly digest: LogDigest,
    private readonly now: () => number = Date.now,
  ) {
    this.buckets = new TokenBuckets(cfg.mm1.retrieval.unknownTokens, now);
  }

  /** GET (or HEAD, which never counts as a retrieval) of a retrieval URL. */
  async get(info: RequestInfo, token: string, head: boolean, who: Identification): Promise<Reply> {
    const id = who.identity;
    const client = this.clientKey(info.peer, id?.msisdn);
    if (!this.buckets.allows(client)) {
      const wait = this.buckets.retryAfter(client);
      this.digest.note('throttled', client, { client, peer: info.peer }, 'retrieval refused without lookup: too many unknown retrieval tokens from this client');
      const pdu = retrieveError(this.cfg.mmsc.mmsVersion, this.now(), 'Error-transient-failure', 'Too many unknown retrieval URLs from this client; try again later');
      return { status: 200, headers: { 'Content-Type': MMS_TYPE, 'Retry-After': String(wait) }, body: pdu, headOnly: head };
    }
    const by: Requester | undefined = id && { msisdn: id.msisdn, refuse: id.current && this.cfg.mm1.retrieval.recipientOnly };
    const r = head ? await this.relay.peek(token, by) : await this.relay.retrieve(token, { by });
    const fetcher = id && { msisdn: id.msisdn, via: id.via, detail: id.detail };
    if (!r.found && r.unknown) {
      this.buckets.take(client);
      this.digest.note('unknown-token', client, { client, peer: info.peer }, 'retrieval of an unknown token');
    } else if (!r.found && r.refused) {
      this.log.warn({ peer: info.peer, fetcher, recipient: r.refused.recipient }, `refused retrieval: ${id?.msisdn} (${id?.detail}) is not the recipient`);
    } else if (!r.found) {
      this.log.info({ peer: info.peer, reason: r.reason }, 'retrieval of a finished message');
    } else if (r.stranger) {
      const why = id?.current ? 'mm1.retrieval.recipientOnly is off' : 'the identity may be stale';
      this.log.warn({ peer: info.peer, fetcher, recipient: r.recipient, messageId: r.messageId }, `retrieval by ${id?.msisdn} (${id?.via}), not the recipient: served (${why}), not counted as the recipient's`);
    }
    return { status: 200, headers: { 'Content-Type': MMS_TYPE }, body: r.pdu, headOnly: head };
  }

  /** The key a client's unknown tokens are counted under. */
  private clientKey(peer: string, msisdn: string | undefined): string {
    if (msisdn) return normaliseNumber(msisdn, this.cfg.relay) ?? msisdn;
    return clientAddress(peer);
  }
}

