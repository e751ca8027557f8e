// Bad input on MM1: each case gets the exact m-send.conf status (or HTTP status, when there is
// no MMS PDU to answer), a log line saying why, and leaves the store exactly as it was.
import { request } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeMms, encodeMms, type MmsPdu } from '../../src/codec/mms/index.js';
import { MMS_TYPE, Phone, startTestMmsc, type TestMmsc } from '../support/mmsc.js';

const A = '+4793000001';
const ok = (over: Partial<MmsPdu> = {}): MmsPdu => ({
  messageType: 'm-send-req', transactionId: 'bad-1', mmsVersion: '1.2', from: { insertAddress: true }, to: ['+4793000002/TYPE=PLMN'],
  contentType: { type: 'text/plain' }, body: new TextEncoder().encode('hello'), ...over,
});

describe('MM1 bad input', () => {
  let t: TestMmsc;
  const logs: string[] = [];
  let snapshot: () => Record<string, number>;
  let before: Record<string, number>;

  beforeAll(async () => {
    t = await startTestMmsc({ mm1: { maxBodyBytes: 64 * 1024 }, relay: { localPrefixes: ['+4793'] } }, { logLines: logs });
    const s = t.mmsc.store;
    snapshot = () => ({
      messages: s.messages.getCount(), parts: s.parts.getCount(), deliveries: s.deliveries.getCount(), outbox: s.outbox.getCount(),
      idempotency: s.idempotency.getCount(), schedule: s.schedule.getCount(), tokens: s.tokens.getCount(), tids: s.tids.getCount(),
    });
  });
  afterAll(async () => t.close());
  beforeEach(async () => {
    await t.mmsc.relay.idle(); // background work of earlier tests settles before the snapshot
    logs.length = 0;
    before = snapshot();
  });
  const unchanged = () => expect(snapshot()).toEqual(before);
  const logged = (re: RegExp) => expect(logs.some((l) => re.test(JSON.parse(l).msg as string)), `no log line matching ${re}: ${logs.join('')}`).toBe(true);

  it('accepts a good one (control)', async () => {
    const r = await new Phone(t.base, A).post(ok({ transactionId: 'control' }));
    expect(r.pdu?.responseStatus).toBe('Ok');
    expect(snapshot().messages).toBe(before.messages + 1);
  });

  it('refuses a body over the limit before reading it (declared length): content-not-accepted', async () => {
    const big = encodeMms(ok({ transactionId: 'big-1', body: new Uint8Array(200 * 1024) }));
    let received = 0;
    // a raw request so we can see that the server answers without reading the whole body
    const answer = await new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
      const req = request(`${t.base}/mms`, { method: 'POST', headers: { 'Content-Type': MMS_TYPE, 'Content-Length': big.length, 'X-WAP-Network-Client-MSISDN': A } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.write(big.subarray(0, 8192));
      received = 8192;
      // the rest is never needed; the server has answered by now
    });
    expect(received).toBeLessThan(big.length);
    expect(answer.status).toBe(200);
    expect(decodeMms(answer.body)).toMatchObject({ messageType: 'm-send-conf', transactionId: 'big-1', responseStatus: 'Error-permanent-content-not-accepted' });
    logged(/refused: message of \d+ octets exceeds the limit of 65536/);
    unchanged();
  });

  it('refuses a chunked body once it passes the limit: content-not-accepted', async () => {
    const big = encodeMms(ok({ transactionId: 'big-2', body: new Uint8Array(200 * 1024) }));
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < big.length; i += 16384) c.enqueue(big.subarray(i, i + 16384));
        c.close();
      },
    });
    const res = await fetch(`${t.base}/mms`, { method: 'POST', headers: { 'Content-Type': MMS_TYPE, 'X-WAP-Network-Client-MSISDN': A }, body: stream, duplex: 'half' } as RequestInit);
    expect(decodeMms(Buffer.from(await res.arrayBuffer()))).toMatchObject({ transactionId: 'big-2', responseStatus: 'Error-permanent-content-not-accepted' });
    logged(/exceeds the limit/);
    unchanged();
  });

  it('refuses a wrong Content-Type with HTTP 415', async () => {
    const res = await fetch(`${t.base}/mms`, { method: 'POST', headers: { 'Content-Type': 'text/plain', 'X-WAP-Network-Client-MSISDN': A }, body: Buffer.from(encodeMms(ok())) });
    expect(res.status).toBe(415);
    expect(await res.text()).toMatch(/application\/vnd\.wap\.mms-message/);
    logged(/Content-Type is not application\/vnd\.wap\.mms-message/);
    unchanged();
  });

  it('answers a malformed m-send.req whose headers are readable with format-corrupt', async () => {
    const good = encodeMms(ok({ transactionId: 'corrupt-1', contentType: { type: 'application/vnd.wap.multipart.mixed' }, body: undefined, parts: [{ contentType: { type: 'text/plain' }, data: new Uint8Array(100) }] }));
    const truncated = good.subarray(0, good.length - 50); // the part's data is cut short
    const r = await new Phone(t.base, A).post(truncated);
    expect(r.status).toBe(200);
    expect(r.pdu).toMatchObject({ messageType: 'm-send-conf', transactionId: 'corrupt-1', responseStatus: 'Error-permanent-message-format-corrupt' });
    expect(String(r.pdu?.responseText)).toMatch(/part data length/);
    logged(/refused: malformed PDU/);
    unchanged();
  });

  it('answers bytes that are no MMS PDU at all with HTTP 400', async () => {
    const r = await new Phone(t.base, A).post(new TextEncoder().encode('This is not a valid MMS PDU'));
    expect(r.status).toBe(400);
    expect(r.body.toString()).toMatch(/malformed MMS PDU: .* \(at byte \d+\)/);
    logged(/refused: malformed PDU/);
    unchanged();
  });

  it('refuses an unknown recipient: permanent failure, naming it', async () => {
    // this MMSC serves +4793...; +4412345678 is neither local nor reachable through an MM4 peer
    const r = await new Phone(t.base, A).post(ok({ transactionId: 'unk-1', to: ['+4412345678/TYPE=PLMN'] }));
    expect(r.pdu).toMatchObject({ transactionId: 'unk-1', responseStatus: 'Error-permanent-failure' });
    expect(String(r.pdu?.responseText)).toMatch(/no recipient can be reached: \+4412345678 is not served here and no MM4 peer is configured/);
    logged(/refused m-send\.req: no recipient can be reached/);
    unchanged();
  });

  it('answers transient-failure when the payloads cannot be stored, keeping nothing and queuing no report', async () => {
    // a disk failure of the parts environment, injected at its one entry point
    const store = t.mmsc.store as { partsTx: (fn: () => void) => Promise<unknown> };
    const real = store.partsTx;
    store.partsTx = () => Promise.reject(new Error('MDB_MAP_FULL: Environment mapsize limit reached'));
    const mixed = ok({ transactionId: 'disk-1', to: ['+4793000002/TYPE=PLMN', '+4412345678/TYPE=PLMN'], deliveryReport: true });
    let r;
    try {
      r = await new Phone(t.base, A).post(mixed);
    } finally {
      store.partsTx = real;
    }
    expect(r.pdu).toMatchObject({ transactionId: 'disk-1', responseStatus: 'Error-transient-failure', responseText: 'the message could not be stored; try again' });
    logged(/message payloads could not be stored/);
    await t.mmsc.relay.idle();
    unchanged(); // in particular no delivery report for the unreachable recipient in the outbox

    // the phone tries again: accepted, and the unreachable recipient reported once
    const again = await new Phone(t.base, A).post(mixed);
    expect(again.pdu?.responseStatus).toBe('Ok');
    await t.mmsc.relay.idle();
    const reports = [...t.mmsc.store.deliveriesOf(again.pdu!.messageId as string)].filter((d) => d.outcome === 'unroutable');
    expect(reports).toHaveLength(1);
    expect(reports[0].history.map((h) => h.note ?? '')).toContain('delivery report Unreachable queued');
  });

  it('answers transient-failure when the records cannot be committed, and drops the payloads already written', async () => {
    const store = t.mmsc.store as { tx: <T>(fn: () => T) => Promise<T> };
    const real = store.tx;
    store.tx = () => {
      store.tx = real; // only the submission's own commit fails
      return Promise.reject(new Error('MDB_PANIC: Update of meta page failed or environment had fatal error'));
    };
    const r = await new Phone(t.base, A).post(ok({ transactionId: 'disk-2' }));
    store.tx = real;
    expect(r.pdu).toMatchObject({ transactionId: 'disk-2', responseStatus: 'Error-transient-failure' });
    logged(/message records could not be stored/);
    unchanged();
  });

  it('refuses an address that is no address: format-corrupt', async () => {
    const r = await new Phone(t.base, A).post(ok({ transactionId: 'unk-2', to: ['not an address!'] }));
    expect(r.pdu).toMatchObject({ transactionId: 'unk-2', responseStatus: 'Error-permanent-message-format-corrupt' });
    expect(String(r.pdu?.responseText)).toMatch(/unrecognised address/);
    unchanged();
  });

  it('refuses an m-send.req without recipients: format-corrupt', async () => {
    const r = await new Phone(t.base, A).post(ok({ transactionId: 'none-1', to: undefined }));
    expect(r.pdu).toMatchObject({ transactionId: 'none-1', responseStatus: 'Error-permanent-message-format-corrupt', responseText: 'no recipient (To, Cc or Bcc)' });
    unchanged();
  });

  it('refuses an unsupported MMS major version: Error-unsupported-message, in our version', async () => {
    const r = await new Phone(t.base, A).post(ok({ transactionId: 'ver-1', mmsVersion: '2.0' }));
    expect(r.pdu).toMatchObject({ transactionId: 'ver-1', responseStatus: 'Error-unsupported-message', mmsVersion: '1.0' });
    logged(/unsupported MMS major version/);
    unchanged();
  });

  it('refuses an unidentified sender (no MSISDN header): sending-address-unresolved', async () => {
    const res = await fetch(`${t.base}/mms`, { method: 'POST', headers: { 'Content-Type': MMS_TYPE }, body: Buffer.from(encodeMms(ok({ transactionId: 'anon-1' }))) });
    expect(decodeMms(Buffer.from(await res.arrayBuffer()))).toMatchObject({ transactionId: 'anon-1', responseStatus: 'Error-permanent-sending-address-unresolved' });
    logged(/sender not identified/);
    unchanged();
  });
});

describe('MM1 identity: headers only from trusted proxies', () => {
  let t: TestMmsc;
  beforeAll(async () => {
    t = await startTestMmsc({ mm1: { identity: { trustedProxies: ['10.0.0.0/8'], staticMap: {} } } });
  });
  afterAll(async () => t.close());

  it('ignores an MSISDN header from an untrusted peer and does not trust the From in the PDU', async () => {
    const before = t.mmsc.store.messages.getCount();
    const r = await new Phone(t.base, A).post(ok({ transactionId: 'spoof-1', from: `${A}/TYPE=PLMN` }));
    expect(r.pdu).toMatchObject({ transactionId: 'spoof-1', responseStatus: 'Error-permanent-sending-address-unresolved' });
    expect(t.mmsc.store.messages.getCount()).toBe(before);
  });
});

describe('MM1 identity: static IP map, and the PDU From only when the operator says so', () => {
  let t: TestMmsc;
  beforeAll(async () => {
    t = await startTestMmsc({ mm1: { identity: { trustedProxies: [], staticMap: { '127.0.0.1': '+4793000099' } } } });
  });
  afterAll(async () => t.close());

  it('takes the sender from the static map and replaces the PDU From', async () => {
    const conf = await new Phone(t.base, '+4700000000').post(ok({ transactionId: 'map-1', from: '+4711111111/TYPE=PLMN' }));
    expect(conf.pdu?.responseStatus).toBe('Ok');
    const msg = t.mmsc.store.messages.get(conf.pdu!.messageId as string)!;
    expect(msg.sender).toBe('+4793000099/TYPE=PLMN');
  });
});
