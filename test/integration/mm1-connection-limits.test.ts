// MM1's connection limits against slow and greedy clients, each with its answer and its log
// line: a request head trickled past mm1.limits.headersTimeout, a body that stops moving for
// noProgressTimeout, connections over the per-address and total caps; and what they must not
// cut: an upload that is slow but keeps moving. Repeated refusals from one address are
// aggregated into one line per interval with a count.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeMms, encodeMms } from '../../src/codec/mms/index.js';
import { RawClient } from '../support/raw-http.js';
import { MMS_TYPE, startTestMmsc, type TestMmsc } from '../support/mmsc.js';

const A = '+4795200001';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const port = (t: TestMmsc) => Number(new URL(t.base).port);
type Line = { msg: string; peer?: string; limit?: string; count?: number };
const lines = (logs: string[]): Line[] => logs.map((l) => JSON.parse(l) as Line);
const limitLines = (logs: string[], limit: string) => lines(logs).filter((l) => l.limit === limit);

function sendReq(tid: string, size: number): Buffer {
  return Buffer.from(encodeMms({
    messageType: 'm-send-req', transactionId: tid, mmsVersion: '1.2', from: { insertAddress: true }, to: ['+4795200002/TYPE=PLMN'],
    contentType: { type: 'text/plain' }, body: new Uint8Array(size).fill(0x61),
  }));
}
const head = (len: number) => `POST /mms HTTP/1.1\r\nHost: mms\r\nContent-Type: ${MMS_TYPE}\r\nX-WAP-Network-Client-MSISDN: ${A}\r\nContent-Length: ${len}\r\n\r\n`;

describe('MM1 timeouts: progress, not speed', () => {
  let t: TestMmsc;
  const logs: string[] = [];
  beforeAll(async () => {
    t = await startTestMmsc({ mm1: { limits: { headersTimeout: '1s', noProgressTimeout: '2s' } } }, { logLines: logs });
  });
  afterAll(async () => t?.close());
  beforeEach(() => void (logs.length = 0));

  it('accepts an upload slower than any rate floor that keeps moving (8 pieces, 500 ms apart)', async () => {
    const pdu = sendReq('slow-1', 2000);
    const c = await RawClient.connect(port(t));
    c.write(head(pdu.length));
    const piece = Math.ceil(pdu.length / 8);
    for (let i = 0; i < pdu.length; i += piece) {
      await sleep(500);
      c.write(pdu.subarray(i, i + piece));
    }
    const r = await c.response();
    expect(r.status).toBe(200);
    expect(decodeMms(Buffer.from(r.body, 'latin1'))).toMatchObject({ transactionId: 'slow-1', responseStatus: 'Ok' });
    expect(lines(logs).filter((l) => l.limit)).toEqual([]);
    c.destroy();
  });

  it('drops a body that stops moving for noProgressTimeout: 408, and a log line', async () => {
    const stored = t.mmsc.store.messages.getCount();
    const pdu = sendReq('stall-1', 5000);
    const c = await RawClient.connect(port(t));
    c.write(head(pdu.length));
    c.write(pdu.subarray(0, 1000)); // ...and nothing more
    const r = await c.response();
    expect(r.status).toBe(408);
    await c.closed;
    const [line] = limitLines(logs, 'no-progress');
    expect(line).toMatchObject({ peer: '127.0.0.1', msg: 'dropped a connection: nothing received for 2s in the middle of a request body (mm1.limits.noProgressTimeout)' });
    expect(t.mmsc.store.messages.getCount()).toBe(stored);
  });

  it('drops a head trickled past headersTimeout although every byte is progress: 408, and a log line', async () => {
    const c = await RawClient.connect(port(t));
    c.write('POST /mms HTTP/1.1\r\nHost: mms\r\nX-Slow: ');
    let trickled = 0;
    const trickle = setInterval(() => {
      if (!c.socket.destroyed) c.write('a');
      trickled++;
    }, 300);
    try {
      const r = await c.response();
      expect(r.status).toBe(408);
      await c.closed;
    } finally {
      clearInterval(trickle);
    }
    expect(trickled).toBeGreaterThan(2); // it kept sending, well inside noProgressTimeout
    expect(limitLines(logs, 'headers-timeout')[0]).toMatchObject({ peer: '127.0.0.1', msg: 'dropped a connection: request head not complete within 1s (mm1.limits.headersTimeout)' });
  });

  it('drops a connection that sends nothing at all after headersTimeout', async () => {
    // from another address: the refusals of 127.0.0.1 by this limit are being counted (aggregated) now
    const c = await RawClient.connect(port(t), '127.0.0.5');
    const r = await c.response();
    expect(r.status).toBe(408);
    await c.closed;
    expect(limitLines(logs, 'headers-timeout')).toEqual([expect.objectContaining({ peer: '127.0.0.5' })]);
  });
});

describe('MM1 connection caps', () => {
  let t: TestMmsc;
  const logs: string[] = [];
  const open: RawClient[] = [];
  beforeAll(async () => {
    t = await startTestMmsc({
      // 127.0.0.1 is no trusted proxy here (trusted proxies carry many phones and are not capped)
      mm1: { identity: { trustedProxies: ['10.255.255.1/32'] }, limits: { maxConnections: 3, maxConnectionsPerAddress: 2, logInterval: '1s' } },
    }, { logLines: logs });
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    while (open.length) open.pop()!.destroy();
    await sleep(1100); // the counts of earlier refusals are flushed: a new interval
    logs.length = 0;
  });
  const hold = async (from: string) => {
    const c = await RawClient.connect(port(t), from);
    open.push(c);
    return c;
  };
  const get404 = async (c: RawClient) => {
    c.write('GET /nothing HTTP/1.1\r\nHost: mms\r\n\r\n');
    expect((await c.response()).status).toBe(404);
  };

  it('answers 503 to a connection over the per-address cap, serves other addresses, then the total cap', async () => {
    await hold('127.0.0.1');
    await hold('127.0.0.1');
    const third = await RawClient.connect(port(t), '127.0.0.1');
    const r = await third.response();
    expect(r.status).toBe(503);
    expect(r.body).toMatch(/too many connections from this address/);
    await third.closed;
    expect(limitLines(logs, 'connections-per-address')).toEqual([
      expect.objectContaining({ peer: '127.0.0.1', msg: 'refused a connection: 2 connections are open from this address (mm1.limits.maxConnectionsPerAddress)' }),
    ]);

    await get404(await hold('127.0.0.2')); // another address: served (3 open now)
    const fourth = await RawClient.connect(port(t), '127.0.0.3');
    expect((await fourth.response()).status).toBe(503);
    expect(limitLines(logs, 'connections')).toEqual([
      expect.objectContaining({ peer: '127.0.0.3', msg: 'refused a connection: 3 connections are open (mm1.limits.maxConnections)' }),
    ]);
    fourth.destroy();
  });

  it('aggregates repeated refusals of one address: one line at once, then one line per interval with the count', async () => {
    await hold('127.0.0.1');
    await hold('127.0.0.1');
    const N = 10;
    for (let i = 0; i < N; i++) {
      const c = await RawClient.connect(port(t), '127.0.0.1');
      expect((await c.response()).status).toBe(503);
      c.destroy();
    }
    await sleep(1200); // one flush of the interval at least
    const mine = limitLines(logs, 'connections-per-address');
    // every refusal is accounted for, in far fewer lines than refusals
    expect(mine.reduce((n, l) => n + (l.count ?? 1), 0)).toBe(N);
    expect(mine.length).toBeLessThanOrEqual(4);
    expect(mine.some((l) => (l.count ?? 0) > 0 && /^\d+ more from 127\.0\.0\.1 in the last 1s: refused a connection/.test(l.msg))).toBe(true);
  });
});

describe('MM1 stop with an upload still arriving', () => {
  it('waits a bounded time for it, then cuts it with a log line (the phone sends again; nothing was acknowledged)', async () => {
    const logs: string[] = [];
    const t = await startTestMmsc({}, { logLines: logs });
    const pdu = sendReq('gprs-stop', 20_000);
    const c = await RawClient.connect(port(t));
    c.write(head(pdu.length));
    // a GPRS phone at 1 KB/s: far from done when the stop begins
    let sent = 0;
    const trickle = setInterval(() => {
      if (c.socket.destroyed || sent >= pdu.length) return;
      c.write(pdu.subarray(sent, sent + 100));
      sent += 100;
    }, 100);
    try {
      await sleep(300);
      const stopping = Date.now();
      await t.close();
      const waited = Date.now() - stopping;
      // the default noProgressTimeout (90 s) never fires on a moving upload: only the stop's bound ends it
      expect(waited).toBeGreaterThanOrEqual(9_000);
      expect(sent).toBeLessThan(pdu.length);
      expect(lines(logs).find((l) => /^stopping: 1 upload\(s\) still arriving after 10 s are cut/.test(l.msg))).toBeDefined();
      await c.closed;
    } finally {
      clearInterval(trickle);
    }
  }, 30_000);
});
