// IPv4/IPv6 CIDR matching for trusted-proxy lists (no library needed: node:net has BlockList).
import { BlockList, isIP } from 'node:net';

export function parseCidr(s: string): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
  const [address, p] = s.split('/');
  const fam = isIP(address);
  if (!fam) return undefined;
  const max = fam === 4 ? 32 : 128;
  const prefix = p === undefined ? max : Number(p);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (p !== undefined && !/^\d+$/.test(p))) return undefined;
  return { address, prefix, family: fam === 4 ? 'ipv4' : 'ipv6' };
}

/** A set of networks; `has()` also matches IPv4-mapped IPv6 addresses (::ffff:a.b.c.d). */
export class Networks {
  private readonly list = new BlockList();
  constructor(cidrs: readonly string[]) {
    for (const c of cidrs) {
      const n = parseCidr(c);
      if (!n) throw new Error(`not a CIDR: ${c}`);
      this.list.addSubnet(n.address, n.prefix, n.family);
    }
  }
  has(ip: string): boolean {
    const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
    if (v4) return this.list.check(v4[1], 'ipv4');
    const fam = isIP(ip);
    return fam !== 0 && this.list.check(ip, fam === 4 ? 'ipv4' : 'ipv6');
  }
}
