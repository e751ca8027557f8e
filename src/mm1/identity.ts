// Who is the phone behind an MM1 request. The MSISDN comes from a header that the operator's
// WAP gateway / GGSN / proxy inserts, trusted only when the request comes from one of the
// configured proxy networks; or from a static client-IP map. A header from anyone else is
// ignored (a phone could set it itself) and reported, so a forgery is told apart from a
// missing header. The From in the PDU is used only when the operator explicitly trusts it
// (trustPduFrom).
import type { Config } from '../config/schema.js';
import { Networks } from '../config/cidr.js';

export type Identity = {
  msisdn: string;
  via: 'header' | 'static-map' | 'pdu-from';
  detail: string;
  /**
   * Whether the identity holds for this very request (a header the proxy inserted), or may be
   * stale (an IP map: the address may have moved to another phone since; later RADIUS).
   */
  current: boolean;
};

/** An identity header that came from a peer outside trustedProxies, and was not believed. */
export type IgnoredHeader = { header: string; value: string; peer: string };

export interface Identification {
  identity?: Identity;
  ignored?: IgnoredHeader;
}

export class SenderIdentifier {
  private readonly proxies: Networks;
  private readonly headers: string[];
  private readonly staticMap: Map<string, string>;

  constructor(private readonly cfg: Config['mm1']['identity']) {
    this.proxies = new Networks(cfg.trustedProxies);
    this.headers = cfg.headers.map((h) => h.toLowerCase());
    this.staticMap = new Map(Object.entries(cfg.staticMap));
  }

  /** Lower-cased names of the identity headers, in order of preference. */
  get headerNames(): readonly string[] {
    return this.headers;
  }

  /**
   * @param peer the TCP peer address
   * @param header value of each configured header (same order as headerNames), '' when absent
   * @param pduFrom the From address in the PDU, if any (used only when trustPduFrom)
   */
  identify(peer: string, header: readonly string[], pduFrom?: string): Identity | undefined {
    return this.inspect(peer, header, pduFrom).identity;
  }

  /** identify(), and the identity header it ignored because the peer is not a trusted proxy. */
  inspect(peer: string, header: readonly string[], pduFrom?: string): Identification {
    const trusted = this.proxies.has(peer);
    let ignored: IgnoredHeader | undefined;
    for (let i = 0; i < this.headers.length; i++) {
      const value = (header[i] ?? '').trim();
      if (!value) continue;
      if (!trusted) {
        ignored ??= { header: this.headers[i], value, peer };
        continue;
      }
      const msisdn = cleanMsisdn(value);
      if (msisdn) return { identity: { msisdn, via: 'header', detail: `${this.headers[i]} from ${peer}`, current: true } };
    }
    const found = (identity: Identity): Identification => (ignored ? { identity, ignored } : { identity });
    const mapped = this.staticMap.get(stripMapped(peer));
    if (mapped) return found({ msisdn: cleanMsisdn(mapped) ?? mapped, via: 'static-map', detail: peer, current: false });
    if (this.cfg.trustPduFrom && pduFrom) {
      const msisdn = cleanMsisdn(pduFrom.replace(/\/TYPE=PLMN$/i, ''));
      if (msisdn) return found({ msisdn, via: 'pdu-from', detail: 'trustPduFrom', current: true });
    }
    return ignored ? { ignored } : {};
  }
}

/** "+47 123-456 78" -> "+4712345678"; undefined when it is not a phone number. */
export function cleanMsisdn(v: string): string | undefined {
  const s = v.trim().replace(/^"|"$/g, '').replace(/[\s\-.()]/g, '');
  return /^\+?[0-9]{3,20}$/.test(s) ? s : undefined;
}

/** The address a client is known by: IPv4 as is (also when IPv4-mapped), IPv6 by its /64. */
export function clientAddress(ip: string): string {
  const v4 = stripMapped(ip);
  if (!v4.includes(':')) return v4;
  // a host on IPv6 usually holds a whole /64: counting its addresses one by one would not hold it
  const [head, tail] = v4.split('::');
  const left = head ? head.split(':') : [];
  const right = tail !== undefined && tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

function stripMapped(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1] : ip;
}
