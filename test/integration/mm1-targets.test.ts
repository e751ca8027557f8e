// Request targets and requests node's HTTP parser refuses. A phone whose MMS proxy setting
// points at the box sends absolute-form targets (RFC 9112 §3.2.2): served for every MM1 request
// when the authority is ours (publicUrl's, the address connected to, a configured name),
// refused with 421 and a log line otherwise (MM1 is not an open proxy). Two Content-Length
// headers (RFC 9112 §6.3) and other malformed requests get 400 and a log line saying why.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeMms, encodeMms } from '../../src/codec/mms/index.js';
import { exchange, expectSameParts, notificationFor, photoMms } from '../support/link.js';
import { RawClient } from '../support/raw-http.js';
import { MMS_TYPE, startTestMmsc, type TestMmsc } from '../support/mmsc.js';

const A = '+4795300001';
const B = '+4795300002';
type Line = { msg: string; peer?: string; limit?: string; authority?: string; code?: string };

describe('MM1 request targets and malformed requests', () => {
  let t: TestMmsc;
  let port: number;
  const logs: string[] = [];
  const lines = () => logs.map((l) => JSON.parse(l) as Line);
  const proxy = () => ({ host: '127.0.0.1', port });

  beforeAll(async () => {
    t = await startTestMmsc({
      // the name phones know the MMSC by; the box listens elsewhere (behind a port forward, say)
      mmsc: { publicUrl: 'http://mms.example:8080' },
      // one connection per address, but 127.0.0.1 is a trusted proxy (the default) and not capped
      mm1: { authorities: ['mmsc.operator'], limits: { maxConnectionsPerAddress: 1 } },
    }, { logLines: logs });
    port = Number(new URL(t.base).port);
  });
  afterAll(async () => t?.close());
  beforeEach(() => void (logs.length = 0));

  it('serves POST, GET and HEAD in absolute form for publicUrl\'s authority', async () => {
    const sent = photoMms('abs-1', B, 5_000);
    const up = await exchange('http://mms.example:8080/mms', { method: 'POST', proxy: proxy(), headers: { 'Content-Type': MMS_TYPE, 'X-WAP-Network-Client-MSISDN': A }, body: encodeMms(sent) });
    expect(up.status).toBe(200);
    expect(decodeMms(up.body)).toMatchObject({ messageType: 'm-send-conf', transactionId: 'abs-1', responseStatus: 'Ok' });

    await t.mmsc.relay.idle();
    const location = String(notificationFor(t, B).contentLocation);
    expect(location).toMatch(/^http:\/\/mms\.example:8080\/m\/[^/]+$/);
    const head = await exchange(location, { method: 'HEAD', proxy: proxy(), headers: { 'X-WAP-Network-Client-MSISDN': B } });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    const got = await exchange(location, { method: 'GET', proxy: proxy(), headers: { 'X-WAP-Network-Client-MSISDN': B } });
    expect(got.status).toBe(200);
    expect(got.contentType).toBe(MMS_TYPE);
    expectSameParts(sent, decodeMms(got.body));
    expect(head.contentLength).toBe(got.body.length);
    // HEAD told the length of what GET then sent (and did not count as the retrieval)
    const head2 = await exchange(location, { method: 'HEAD', proxy: proxy(), headers: { 'X-WAP-Network-Client-MSISDN': B } });
    expect(head2.status).toBe(200);

    const ack = await exchange(location, { method: 'POST', proxy: proxy(), headers: { 'Content-Type': MMS_TYPE, 'X-WAP-Network-Client-MSISDN': B }, body: encodeMms({ messageType: 'm-acknowledge-ind', transactionId: 'abs-ack', mmsVersion: '1.2' }) });
    expect(ack.status).toBe(200);
    expect(lines().filter((l) => l.limit)).toEqual([]);
  });

  it('takes the address connected to, a configured name on any port, and any letter case as ours', async () => {
    const targets = [`http://127.0.0.1:${port}/mms`, 'http://mmsc.operator/mms', 'http://mmsc.operator:9000/mms', 'HTTP://MMS.Example:8080/mms'];
    for (const [i, target] of targets.entries()) {
      const r = await exchange(target, { method: 'POST', proxy: proxy(), headers: { 'Content-Type': MMS_TYPE, 'X-WAP-Network-Client-MSISDN': A }, body: encodeMms(photoMms(`abs-ours-${i}`, B, 1_000)) });
      expect(r.status, target).toBe(200);
      expect(decodeMms(r.body), target).toMatchObject({ transactionId: `abs-ours-${i}`, responseStatus: 'Ok' });
    }
  });

  it('refuses a foreign authority with 421 and a log line, storing nothing: not an open proxy', async () => {
    const stored = t.mmsc.store.messages.getCount();
    const cases: [string, string, string][] = [
      ['POST', 'http://other.example:8080/mms', 'other.example:8080'],
      ['GET', 'http://mms.example:9999/m/sometoken', 'mms.example:9999'],
      ['GET', 'http://example.com/', 'example.com'],
      ['GET', 'https://mms.example:8080/m/sometoken', 'https://mms.example:8080'],
    ];
    for (const [i, [method, target, authority]] of cases.entries()) {
      logs.length = 0;
      // each from its own address: refusals of one address by one limit are aggregated
      const localAddress = `127.0.2.${i + 1}`;
      const body = method === 'POST' ? encodeMms(photoMms('foreign-1', B, 1_000)) : undefined;
      const r = await exchange(target, { method, proxy: proxy(), localAddress, headers: { 'Content-Type': MMS_TYPE, 'X-WAP-Network-Client-MSISDN': A }, body });
      expect(r.status, target).toBe(421);
      expect(r.body.toString()).toContain(`not a proxy: ${authority} is not served here`);
      expect(lines().filter((l) => l.limit === 'foreign-authority'), target).toEqual([
        expect.objectContaining({ peer: localAddress, authority, msg: `refused: ${method} for ${authority}: MM1 is not a proxy` }),
      ]);
    }
    expect(t.mmsc.store.messages.getCount()).toBe(stored);
  });

  it('refuses CONNECT with 405 and a log line', async () => {
    const c = await RawClient.connect(port);
    c.write('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
    expect((await c.response()).status).toBe(405);
    await c.closed;
    expect(lines().find((l) => l.limit === 'foreign-authority')).toMatchObject({ authority: 'example.com:443', msg: 'refused: CONNECT for example.com:443: MM1 is not a proxy' });
  });

  it('refuses two different Content-Length headers with 400 and a log line (RFC 9112 §6.3)', async () => {
    const stored = t.mmsc.store.messages.getCount();
    const pdu = Buffer.from(encodeMms(photoMms('dup-cl', B, 1_000)));
    const c = await RawClient.connect(port);
    c.write(`POST /mms HTTP/1.1\r\nHost: mms\r\nContent-Type: ${MMS_TYPE}\r\nX-WAP-Network-Client-MSISDN: ${A}\r\nContent-Length: ${pdu.length}\r\nContent-Length: ${pdu.length - 100}\r\n\r\n`);
    c.write(pdu);
    const r = await c.response();
    expect(r.status).toBe(400);
    expect(r.body).toMatch(/more than one Content-Length header/);
    await c.closed;
    expect(lines().find((l) => l.limit === 'bad-request')).toMatchObject({ peer: '127.0.0.1', code: 'HPE_UNEXPECTED_CONTENT_LENGTH', msg: 'refused: more than one Content-Length header (RFC 9112 §6.3)' });
    expect(t.mmsc.store.messages.getCount()).toBe(stored);
  });

  it('refuses other malformed requests with 400 and a log line naming the fault', async () => {
    const cases: [string, RegExp][] = [
      [`POST /mms HTTP/1.1\r\nHost: mms\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, /refused: Transfer-Encoding with Content-Length/],
      ['POST /mms HTTP/1.1\r\nHo st: mms\r\n\r\n', /refused: malformed HTTP request: Invalid header/],
      ['GARBAGE\r\n\r\n', /refused: malformed HTTP request: Invalid method/],
      ['OPTIONS * HTTP/1.1\r\nHost: mms\r\n\r\n', /refused: request target "\*" is neither a path nor an absolute URL/],
    ];
    for (const [i, [raw, msg]] of cases.entries()) {
      logs.length = 0;
      // each from its own address: refusals of one address by one limit are aggregated
      const c = await RawClient.connect(port, `127.0.1.${i + 1}`);
      c.write(raw);
      expect((await c.response()).status, raw).toBe(400);
      await c.closed;
      expect(lines().find((l) => l.limit === 'bad-request')?.msg, raw).toMatch(msg);
    }
  });

  it('does not cap connections from a trusted proxy (a gateway carries many phones)', async () => {
    const clients = await Promise.all([1, 2, 3].map(() => RawClient.connect(port)));
    for (const c of clients) {
      c.write('GET /nothing HTTP/1.1\r\nHost: mms\r\n\r\n');
      expect((await c.response()).status).toBe(404);
      c.destroy();
    }
  });
});
