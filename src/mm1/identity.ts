// Who is the sender of an MM1 request. The MSISDN comes from a header that the operator's
// WAP gateway / GGSN / proxy inserts, trusted only when the request comes from one of the
// configured proxy networks; or from a static client-IP map. A header from anyone else is
// ignored (a phone could set it itself). The From in the PDU is used only when the operator
// explicitly trusts it (trustPduFrom).
import type { Config } from '../config/schema.js';
import { Networks } from '../config/cidr.js';

export type Identity = { msisdn: string; via: 'header' | 'static-map' | 'pdu-from'; detail: string };

export class SenderIdentifier {
  private readonly proxies: Networks;
  private readonly headers: string[];
  private readonly staticMap: Map<string, string>;

  constructor(private readonly cfg: Config['mm1']['identity']) {
    this.proxies = new Networks(cfg.trustedProxies);
    this.headers = cfg.headers.map((h) => h.toLowerCase());
    this.staticMap = new Map(Object.entries(cfg.staticMap));
  }

  /** Lower-cased names of the headers to read from the request (uWS needs them up front). */
  get headerNames(): readonly string[] {
    return this.headers;
  }

  /**
   * @param peer the TCP peer address
   * @param header value of each configured header (same order as headerNames), '' when absent
   * @param pduFrom the From address in the PDU, if any (used only when trustPduFrom)
   */
  identify(peer: string, header: readonly string[], pduFrom?: string): Identity | undefined {
    if (this.proxies.has(peer)) {
      for (let i = 0; i < this.headers.length; i++) {
        const msisdn = cleanMsisdn(header[i] ?? '');
        if (msisdn) return { msisdn, via: 'header', detail: `${this.headers[i]} from ${peer}` };
      }
    }
    const mapped = this.staticMap.get(stripMapped(peer));
    if (mapped) return { msisdn: cleanMsisdn(mapped) ?? mapped, via: 'static-map', detail: peer };
    if (this.cfg.trustPduFrom && pduFrom) {
      const msisdn = cleanMsisdn(pduFrom.replace(/\/TYPE=PLMN$/i, ''));
      if (msisdn) return { msisdn, via: 'pdu-from', detail: 'trustPduFrom' };
    }
    return undefined;
  }
}

/** "+47 123-456 78" -> "+4712345678"; undefined when it is not a phone number. */
export function cleanMsisdn(v: string): string | undefined {
  const s = v.trim().replace(/^"|"$/g, '').replace(/[\s\-.()]/g, '');
  return /^\+?[0-9]{3,20}$/.test(s) ? s : undefined;
}

function stripMapped(ip: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  return m ? m[1] : ip;
}
