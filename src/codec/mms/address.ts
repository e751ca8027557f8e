// Addresses of MMS header fields (OMA MMS addressing model, fact sheet §11):
//   device-address = value "/TYPE=" (PLMN | IPv4 | IPv6 | other), unsafe octets %-escaped
//   e-mail         = RFC 2822 mailbox, optionally "Name <user@host>"
//   num-shortcode  = ["+" | "*" | "#"] digits; alphanum-shortcode = letters and digits
import type { EncodedString, ParsedAddress } from './types.js';

/** Classifies an address (the text of an Encoded-string-value) and extracts its parts. */
export function parseAddress(value: EncodedString): ParsedAddress {
  const address = typeof value === 'string' ? value : value.text;
  const s = address.trim();
  const typed = /^(.*)\/TYPE=([^/]+)$/i.exec(s);
  if (typed) {
    const v = unescape(typed[1]);
    const type = typed[2].toUpperCase();
    if (type === 'PLMN') return { kind: 'phone', number: v.replace(/[-. ]/g, ''), address };
    if (type === 'IPV4') return { kind: 'ipv4', ip: v, address };
    if (type === 'IPV6') return { kind: 'ipv6', ip: v, address };
    return { kind: 'other', type: typed[2], value: v, address };
  }
  if (s.includes('@')) {
    const named = /^(.*?)\s*<([^<>]+@[^<>]+)>$/.exec(s);
    if (named) {
      const name = named[1].trim().replace(/^"(.*)"$/, '$1');
      return name ? { kind: 'email', email: named[2], displayName: name, address } : { kind: 'email', email: named[2], address };
    }
    return { kind: 'email', email: s, address };
  }
  if (/^[+*#]?[0-9]+$/.test(s) || /^[A-Za-z0-9]+$/.test(s)) return { kind: 'shortcode', code: s, address };
  return { kind: 'unknown', address };
}

/** %XX escapes of the /TYPE= value (the rest is kept as is). */
function unescape(v: string): string {
  return v.replace(/%([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}
