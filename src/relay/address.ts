// Recipient and sender addresses: canonical forms and routing. Numbers are normalised before
// routing (separators stripped, national -> international with the configured country code),
// as Mbuni's unified-prefix does, so "+47 123 45 678", "012345678" and "4712345678/TYPE=PLMN"
// meet in one delivery record and one phone.
import { parseAddress } from '../codec/mms/index.js';
import type { EncodedString } from '../codec/mms/index.js';
import type { Config } from '../config/schema.js';
import type { Route } from '../store/types.js';

export type AddressPolicy = Pick<Config['relay'], 'countryCode' | 'nationalPrefix' | 'localPrefixes'>;

export type Classified =
  | { ok: true; canonical: string; msisdn?: string; route: Route }
  | { ok: false; reason: string };

/** Normalises a phone number: "+4712345678", or national digits when no country code is known. */
export function normaliseNumber(raw: string, p: AddressPolicy): string | undefined {
  const s = raw.replace(/[\s\-.()]/g, '');
  if (/^\+[0-9]{1,20}$/.test(s)) return s;
  if (/^00[1-9][0-9]{2,18}$/.test(s)) return `+${s.slice(2)}`;
  if (!/^[0-9]{1,20}$/.test(s)) return undefined;
  if (p.countryCode && p.nationalPrefix && s.startsWith(p.nationalPrefix) && s.length > p.nationalPrefix.length + 2) {
    return `+${p.countryCode}${s.slice(p.nationalPrefix.length)}`;
  }
  return s;
}

/** The MMS address of a phone number ("+4712345678/TYPE=PLMN"). */
export function plmn(msisdn: string): string {
  return `${msisdn}/TYPE=PLMN`;
}

/** Whether an MSISDN (as identified on MM1) and a recipient address are the same phone. */
export function sameNumber(msisdn: string, address: string, p: AddressPolicy): boolean {
  const a = normaliseNumber(msisdn.replace(/\/TYPE=PLMN$/i, ''), p);
  const b = normaliseNumber(address.replace(/\/TYPE=PLMN$/i, ''), p);
  return a !== undefined && a === b;
}

/**
 * An address as recipients see it in To/Cc: phone numbers in one international form
 * ("+4712345678/TYPE=PLMN", national ones completed with the country code) so that every
 * member of a group thread sees the same numbers and replies thread together; anything else
 * (e-mail, IP, short codes that are no number) exactly as it was sent.
 */
export function displayAddress(value: EncodedString, p: AddressPolicy): EncodedString {
  const a = parseAddress(value);
  if (a.kind === 'phone') {
    const n = normaliseNumber(a.number, p);
    return n ? plmn(n) : value;
  }
  if (a.kind === 'shortcode') {
    // a number written without /TYPE=PLMN: typed when it turns out international, a short code stays one
    const n = normaliseNumber(a.code, p);
    return n?.startsWith('+') ? plmn(n) : value;
  }
  return value;
}

/** Canonical form and route of an address from a PDU. */
export function classify(value: EncodedString, p: AddressPolicy): Classified {
  const a = parseAddress(value);
  switch (a.kind) {
    case 'phone':
    case 'shortcode': {
      const n = normaliseNumber(a.kind === 'phone' ? a.number : a.code, p);
      if (!n) return { ok: false, reason: `not a phone number: ${a.address}` };
      const local = p.localPrefixes.some((prefix) => n.startsWith(prefix));
      return {
        ok: true,
        canonical: plmn(n),
        msisdn: n,
        route: local ? { kind: 'local' } : { kind: 'reject', reason: `${n} is not served here and no MM4 peer is configured` },
      };
    }
    case 'email':
      // MM3: held for the e-mail gateway (store-and-forward: it may be down or not configured
      // yet); what is never handed over expires with a delivery report.
      return { ok: true, canonical: a.email.toLowerCase(), route: { kind: 'mm3' } };
    case 'ipv4':
    case 'ipv6':
      return { ok: true, canonical: `${a.ip}/TYPE=${a.kind === 'ipv4' ? 'IPv4' : 'IPv6'}`, route: { kind: 'reject', reason: 'IP-addressed recipients are not supported' } };
    default:
      return { ok: false, reason: `unrecognised address: ${a.address}` };
  }
}
