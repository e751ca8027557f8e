// The pure parts of MM1's policies: token buckets and the log digest (bounded tables, an
// injected clock), client keys, the addresses recipients see, the decoder's leading-header read.
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeMms, encodeMms } from '../../src/codec/mms/index.js';
import { clientAddress } from '../../src/mm1/identity.js';
import { LogDigest } from '../../src/log-digest.js';
import { TokenBuckets } from '../../src/mm1/token-buckets.js';
import { displayAddress, sameNumber } from '../../src/relay/address.js';

describe('TokenBuckets', () => {
  it('lets a client try `burst` times, then refills at perMinute', () => {
    let now = 0;
    const b = new TokenBuckets({ burst: 3, perMinute: 6, maxClients: 10 }, () => now);
    for (let i = 0; i < 3; i++) {
      expect(b.allows('x')).toBe(true);
      b.take('x');
    }
    expect(b.allows('x')).toBe(false);
    expect(b.retryAfter('x')).toBe(10); // one try per 10 s
    expect(b.allows('y')).toBe(true); // others are not concerned
    now += 10_000;
    expect(b.allows('x')).toBe(true);
    now += 10 * 60_000;
    expect(b.allows('x')).toBe(true);
    expect(b.size).toBe(0); // a full bucket is not remembered
  });

  it('remembers at most maxClients, forgetting the least recently charged', () => {
    const now = 0;
    const b = new TokenBuckets({ burst: 1, perMinute: 1, maxClients: 100 }, () => now);
    for (let i = 0; i < 10_000; i++) b.take(`c${i}`);
    expect(b.size).toBe(100);
    expect(b.allows('c9999')).toBe(false);
    expect(b.allows('c0')).toBe(true); // forgotten
  });
});

describe('LogDigest', () => {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
  let digest: LogDigest | undefined;
  afterEach(() => {
    digest?.close();
    lines.length = 0;
  });

  it('writes the first line at once and the rest as one line per interval with a count', () => {
    let now = 1_000_000;
    digest = new LogDigest(log, 60_000, 100, () => now);
    for (let i = 0; i < 500; i++) {
      digest.note('unknown-token', '10.0.0.1', { client: '10.0.0.1' }, 'retrieval of an unknown token');
      now += 100; // 500 in 50 s
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ client: '10.0.0.1', msg: 'retrieval of an unknown token' });
    digest.flush();
    expect(lines).toHaveLength(1); // not due yet
    now = 1_000_000 + 60_000;
    digest.flush();
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatchObject({ client: '10.0.0.1', count: 499, interval: '1m', msg: '499 more from 10.0.0.1 in the last 1m: retrieval of an unknown token' });
    // quiet for an interval: forgotten; the next one is written at once
    now += 60_000;
    digest.flush();
    now += 1;
    digest.note('unknown-token', '10.0.0.1', {}, 'retrieval of an unknown token');
    expect(lines).toHaveLength(3);
    expect(lines[2].count).toBeUndefined();
  });

  it('keys lines by kind and client', () => {
    const now = 0;
    digest = new LogDigest(log, 60_000, 100, () => now);
    digest.note('a', '1', { client: '1' }, 'A');
    digest.note('b', '1', { client: '1' }, 'B');
    digest.note('a', '2', { client: '2' }, 'A');
    digest.note('a', '1', { client: '1' }, 'A');
    expect(lines.map((l) => `${String(l.msg)}/${String(l.client)}`)).toEqual(['A/1', 'B/1', 'A/2']);
  });

  it('holds at most maxKeys clients; the others are summed up in one line per interval', () => {
    let now = 0;
    digest = new LogDigest(log, 60_000, 50, () => now);
    for (let round = 0; round < 3; round++) for (let i = 0; i < 1000; i++) digest.note('k', `c${i}`, { client: `c${i}` }, 'guess');
    expect(lines).toHaveLength(50); // the first line of each client the table holds
    now = 60_000;
    digest.flush();
    const counted = lines.slice(50).filter((l) => l.client !== undefined);
    expect(counted).toHaveLength(50);
    for (const l of counted) expect(l.count).toBe(2);
    const overflow = lines.slice(50).filter((l) => l.client === undefined);
    expect(overflow).toHaveLength(1);
    expect(overflow[0]).toMatchObject({ count: 3 * 950, tracked: 50 });
  });
});

describe('client keys', () => {
  it('keeps IPv4 addresses (also IPv4-mapped) and groups IPv6 by /64', () => {
    expect(clientAddress('192.0.2.7')).toBe('192.0.2.7');
    expect(clientAddress('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(clientAddress('2001:db8:0:1:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:0:1::/64');
    expect(clientAddress('2001:db8:0:1::2')).toBe('2001:db8:0:1::/64');
    expect(clientAddress('2001:DB8::1')).toBe('2001:db8:0:0::/64');
    expect(clientAddress('::1')).toBe('0:0:0:0::/64');
  });
});

describe('addresses as recipients see them', () => {
  const uk = { countryCode: '44', nationalPrefix: '0', localPrefixes: [''] };
  it('puts numbers in one international form and leaves the rest as sent', () => {
    expect(displayAddress('07700900003/TYPE=PLMN', uk)).toBe('+447700900003/TYPE=PLMN');
    expect(displayAddress({ text: '+44-7700-900004/TYPE=PLMN', charset: 'utf-8' }, uk)).toBe('+447700900004/TYPE=PLMN');
    expect(displayAddress('00447700900005/TYPE=PLMN', uk)).toBe('+447700900005/TYPE=PLMN');
    expect(displayAddress('07700900006', uk)).toBe('+447700900006/TYPE=PLMN');
    expect(displayAddress('1234', uk)).toBe('1234'); // a short code stays one
    const mail = { text: 'Bob <bob@example.org>', charset: 'utf-8' } as const;
    expect(displayAddress(mail, uk)).toBe(mail);
    expect(displayAddress('10.1.2.3/TYPE=IPv4', uk)).toBe('10.1.2.3/TYPE=IPv4');
    // without a country code a national number cannot be completed: kept
    expect(displayAddress('07700900003/TYPE=PLMN', { nationalPrefix: '0', localPrefixes: [''] })).toBe('07700900003/TYPE=PLMN');
  });

  it('tells whether an identified MSISDN is a recipient, in any form', () => {
    expect(sameNumber('07700900003', '+447700900003/TYPE=PLMN', uk)).toBe(true);
    expect(sameNumber('+447700900003', '+447700900003/TYPE=PLMN', uk)).toBe(true);
    expect(sameNumber('+447700900004', '+447700900003/TYPE=PLMN', uk)).toBe(false);
    expect(sameNumber('07700900003', 'bob@example.org', uk)).toBe(false);
  });
});

describe('decodeMms leadingOnly', () => {
  const to = (n: number) => Array.from({ length: n }, (_, i) => `+4793${100000 + i}/TYPE=PLMN`);
  const pdu = (n: number) => encodeMms({ messageType: 'm-send-req', transactionId: 'T-1', mmsVersion: '1.2', from: { insertAddress: true }, to: to(n), contentType: { type: 'text/plain' }, body: new Uint8Array(3) });

  it('reads type, Transaction-ID and version past every limit, and only those', () => {
    expect(() => decodeMms(pdu(10_000))).toThrow(/recipients .* exceeds a decoder limit/);
    expect(decodeMms(pdu(10_000), { leadingOnly: true })).toEqual({ messageType: 'm-send-req', transactionId: 'T-1', mmsVersion: '1.2' });
    expect(decodeMms(pdu(10_000).subarray(0, 4096), { leadingOnly: true })).toEqual({ messageType: 'm-send-req', transactionId: 'T-1', mmsVersion: '1.2' });
  });

  it('does without the version, and fails when the Transaction-ID itself is cut', () => {
    expect(decodeMms(pdu(1).subarray(0, 7), { leadingOnly: true })).toEqual({ messageType: 'm-send-req', transactionId: 'T-1' });
    expect(() => decodeMms(pdu(1).subarray(0, 5), { leadingOnly: true })).toThrow(/X-Mms-Transaction-Id runs past the end/);
  });

  it('keeps the version when it comes first (m-read-rec.ind has no Transaction-ID)', () => {
    const rr = encodeMms({ messageType: 'm-read-rec-ind', mmsVersion: '1.2', messageId: 'm1', to: ['+4793000001/TYPE=PLMN'], from: { insertAddress: true }, readStatus: 'Read' });
    expect(decodeMms(rr, { leadingOnly: true })).toEqual({ messageType: 'm-read-rec-ind', mmsVersion: '1.2' });
  });
});
