// The request target of an MM1 request (RFC 9112 §3.2). Phones send the origin form
// (`/mms`), or, when their MMS proxy setting points at this box, the absolute form
// (`http://mms.example:8080/mms`, §3.2.2). The absolute form is served only when its authority
// is ours: publicUrl's host:port, the address the phone connected to, or a configured name.
// Anything else would make MM1 an open proxy.
import { isIP } from 'node:net';
import { unmapped } from './http.js';

export type Target =
  | { kind: 'ours'; path: string; query: string }
  | { kind: 'foreign'; authority: string }
  | { kind: 'bad'; why: string };

/** The authorities this MMSC answers for in absolute-form targets. */
export class Authorities {
  private readonly exact = new Set<string>();
  private readonly anyPort = new Set<string>();

  constructor(publicUrl: string, listenHost: string, extra: readonly string[]) {
    const pub = new URL(publicUrl);
    this.exact.add(key(pub.hostname, pub.port || defaultPort(pub.protocol)));
    if (!['0.0.0.0', '::', ''].includes(listenHost)) this.anyPort.add(hostKey(listenHost));
    for (const e of extra) {
      const u = new URL(`http://${e}`);
      if (/:\d+$/.test(e)) this.exact.add(key(u.hostname, u.port || '80'));
      else this.anyPort.add(u.hostname);
    }
  }

  /** Whether `host:port` (URL-normalised) is ours; `local` is the address the phone connected to. */
  accepts(hostname: string, port: string, local: { address?: string; port?: number }): boolean {
    if (this.exact.has(key(hostname, port)) || this.anyPort.has(hostname)) return true;
    return local.address !== undefined && key(hostKey(unmapped(local.address)), String(local.port)) === key(hostname, port);
  }
}

/** Parses a request target; the absolute form is checked against `ours`. */
export function parseTarget(raw: string, ours: (hostname: string, port: string) => boolean): Target {
  if (raw.startsWith('/')) {
    const q = raw.indexOf('?');
    return q < 0 ? { kind: 'ours', path: raw, query: '' } : { kind: 'ours', path: raw.slice(0, q), query: raw.slice(q + 1) };
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) return { kind: 'bad', why: `request target "${raw.slice(0, 100)}" is neither a path nor an absolute URL` };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { kind: 'bad', why: `request target "${raw.slice(0, 100)}" is not a valid URL` };
  }
  if (url.protocol !== 'http:') return { kind: 'foreign', authority: `${url.protocol}//${url.host}` };
  const port = url.port || '80';
  if (!ours(url.hostname, port)) return { kind: 'foreign', authority: url.host };
  // the path as sent (URL would resolve dot segments and re-escape: a token must stay as it is)
  const rest = raw.slice(raw.indexOf('//') + 2);
  const slash = rest.search(/[/?]/);
  const pathAndQuery = slash < 0 ? '/' : rest[slash] === '?' ? `/${rest.slice(slash)}` : rest.slice(slash);
  return parseTarget(pathAndQuery, () => false);
}

function key(hostname: string, port: string): string {
  return `${hostname.toLowerCase()}:${port}`;
}

function defaultPort(protocol: string): string {
  return protocol === 'https:' ? '443' : '80';
}

/** A listening or local address as URL.hostname writes it (IPv6 in brackets, lower case). */
function hostKey(host: string): string {
  return isIP(host) === 6 ? new URL(`http://[${host}]/`).hostname : host.toLowerCase();
}
