// Retrieval-token guessing: unknown tokens are charged to the client (its MSISDN when a
// trusted header names it, else its address); past the bucket its fetches are answered at once
// with a transient m-retrieve.conf and no store lookup; the log gets one line per client per
// interval with a count, never one per guess.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Phone, pushedPdu, startTestMmsc, type TestMmsc } from '../support/mmsc.js';

const A = '+4790000001';
const B = '+4790000002';
const SCANNER = '+4790000666';
const unknown = (base: string, i: number) => `${base}/m/${`guess${i}`.padEnd(22, 'x')}`;
const lines = (logs: string[], re: RegExp) => logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => re.test(String(l.msg)));

describe('unknown retrieval tokens per client', () => {
  let t: TestMmsc;
  const logs: string[] = [];
  let lookups = 0;
  beforeAll(async () => {
    // three tries, given back at one per hour: nothing refills during the test
    t = await startTestMmsc({ mm1: { retrieval: { unknownTokens: { burst: 3, perMinute: 1 / 60, maxClients: 100 }, logInterval: '1h' } } }, { logLines: logs });
    // counts the store lookups of retrieval tokens (the one entry point, still the real store)
    const store = t.mmsc.store;
    const real = store.deliveryByToken.bind(store);
    store.deliveryByToken = (token: string) => {
      lookups++;
      return real(token);
    };
  });
  afterAll(async () => t.close());

  it('answers the tries within the bucket message-not-found, then transient-failure without a store lookup', async () => {
    const scanner = new Phone(t.base, SCANNER);
    for (let i = 0; i < 3; i++) {
      const r = await scanner.get(unknown(t.base, i));
      expect(r.pdu).toMatchObject({ messageType: 'm-retrieve-conf', retrieveStatus: 'Error-permanent-message-not-found' });
    }
    expect(lookups).toBe(3);
    for (let i = 3; i < 40; i++) {
      const res = await fetch(unknown(t.base, i), { headers: { 'X-WAP-Network-Client-MSISDN': SCANNER } });
      expect(res.status).toBe(200);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      const r = await scanner.get(unknown(t.base, i));
      expect(r.pdu).toMatchObject({ messageType: 'm-retrieve-conf', retrieveStatus: 'Error-transient-failure' });
    }
    expect(lookups).toBe(3); // none after the limit
    // one line for the guesses and one for the refusals so far, not 77
    expect(lines(logs, /^retrieval of an unknown token$/).filter((l) => l.client === SCANNER)).toHaveLength(1);
    expect(lines(logs, /^retrieval refused without lookup: too many unknown retrieval tokens from this client$/).filter((l) => l.client === SCANNER)).toHaveLength(1);
  });

  it('keeps serving other phones behind the same address (the scanner is known by its MSISDN)', async () => {
    const before = t.pushes.length;
    const conf = await new Phone(t.base, A).post({
      messageType: 'm-send-req', transactionId: 'g-1', mmsVersion: '1.2', from: { insertAddress: true }, to: [`${B}/TYPE=PLMN`],
      contentType: { type: 'text/plain' }, body: new TextEncoder().encode('not for the scanner'),
    });
    await t.mmsc.relay.idle();
    const ind = pushedPdu(t.pushes.slice(before).find((p) => p.kind === 'notification')!);
    expect((await new Phone(t.base, B).get(ind.contentLocation as string)).pdu).toMatchObject({ messageId: conf.pdu!.messageId });
    // the scanner holding a real URL still gets nothing until its bucket refills
    expect((await new Phone(t.base, SCANNER).get(ind.contentLocation as string)).pdu).toMatchObject({ retrieveStatus: 'Error-transient-failure' });
  });

  it('counts unidentified clients by their address', async () => {
    for (let i = 0; i < 5; i++) await fetch(unknown(t.base, 100 + i));
    const refused = await fetch(unknown(t.base, 200));
    expect(refused.headers.get('retry-after')).not.toBeNull();
    expect(lines(logs, /^retrieval of an unknown token$/).filter((l) => l.client === '127.0.0.1')).toHaveLength(1);
  });
});

describe('with the default configuration', () => {
  let t: TestMmsc;
  const logs: string[] = [];
  beforeAll(async () => {
    t = await startTestMmsc({}, { logLines: logs });
  });
  afterAll(async () => t.close());

  it('stops a client after 10 unknown tokens, with one log line for them', async () => {
    const scanner = new Phone(t.base, SCANNER);
    for (let i = 0; i < 10; i++) expect((await scanner.get(unknown(t.base, i))).pdu?.retrieveStatus).toBe('Error-permanent-message-not-found');
    expect((await scanner.get(unknown(t.base, 10))).pdu?.retrieveStatus).toBe('Error-transient-failure');
    expect(lines(logs, /^retrieval of an unknown token/)).toHaveLength(1);
    expect(lines(logs, /^retrieval refused without lookup/)).toHaveLength(1);
  });
});

describe('the aggregated log line', () => {
  let t: TestMmsc;
  const logs: string[] = [];
  beforeAll(async () => {
    t = await startTestMmsc({ mm1: { retrieval: { unknownTokens: { burst: 1000 }, logInterval: '2s' } } }, { logLines: logs });
  });
  afterAll(async () => t.close());

  it('follows the first line with one line per interval carrying the count', async () => {
    const phone = new Phone(t.base, SCANNER);
    for (let i = 0; i < 20; i++) await phone.get(unknown(t.base, i));
    const mine = () => lines(logs, /retrieval of an unknown token/).filter((l) => l.client === SCANNER);
    const total = () => mine().reduce((n, l) => n + ((l.count as number | undefined) ?? 1), 0);
    // every guess is counted once, in a line written at once or at the end of its interval
    await vi.waitFor(() => expect(total()).toBe(20), { timeout: 10_000, interval: 100 });
    expect(mine()[0].count).toBeUndefined();
    expect(mine().length).toBeLessThanOrEqual(3); // 20 requests take well under two intervals
    const last = mine().at(-1)!;
    expect(last).toMatchObject({ count: expect.any(Number), interval: '2s' });
    expect(String(last.msg)).toMatch(/^\d+ more from \+?[0-9]+ in the last 2s: retrieval of an unknown token$/);
  });
});
