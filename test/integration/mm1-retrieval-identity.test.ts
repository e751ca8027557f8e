// Who may fetch a message: the fetching phone is identified like a sender. A phone a trusted
// header names as someone else is refused (m-retrieve.conf service-denied) and logged; an
// identity that may be stale (static IP map) only logs the mismatch; and a fetch by anyone but
// the recipient never moves the delivery. Confirmations (also POSTed to the retrieval URL, as
// some Android builds do) follow the same rule.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MmsPdu } from '../../src/codec/mms/index.js';
import { Phone, pushedPdu, startTestMmsc, type TestMmsc } from '../support/mmsc.js';

const A = '+4790000001';
const B = '+4790000002';
const C = '+4790000003';

/** Sends a text MMS from A to `to`; returns its Message-ID and the notification `to` got. */
async function send(t: TestMmsc, to: string, tid: string): Promise<{ messageId: string; ind: MmsPdu; url: string }> {
  const before = t.pushes.length;
  const conf = await new Phone(t.base, A).post({
    messageType: 'm-send-req', transactionId: tid, mmsVersion: '1.2', from: { insertAddress: true }, to: [`${to}/TYPE=PLMN`],
    contentType: { type: 'text/plain' }, body: new TextEncoder().encode(`for ${to}`),
  });
  expect(conf.pdu?.responseStatus).toBe('Ok');
  await t.mmsc.relay.idle();
  const job = t.pushes.slice(before).find((p) => p.kind === 'notification' && p.to === to)!;
  const ind = pushedPdu(job);
  return { messageId: conf.pdu!.messageId as string, ind, url: ind.contentLocation as string };
}

function logged(logs: string[], re: RegExp): Record<string, unknown>[] {
  return logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => re.test(String(l.msg)));
}

describe('retrieval by a phone a trusted header identifies (recipientOnly, the default)', () => {
  let t: TestMmsc;
  const logs: string[] = [];
  beforeAll(async () => {
    t = await startTestMmsc({ relay: { countryCode: '47', nationalPrefix: '0' } }, { logLines: logs });
  });
  afterAll(async () => t.close());

  it('refuses another phone with an m-retrieve.conf service-denied, logs it, and leaves the delivery as it was', async () => {
    const { messageId, url } = await send(t, B, 'ri-1');
    const before = JSON.stringify(t.mmsc.store.deliveriesOf(messageId));
    logs.length = 0;
    const got = await new Phone(t.base, C).get(url);
    expect(got.status).toBe(200);
    expect(got.pdu).toMatchObject({ messageType: 'm-retrieve-conf', retrieveStatus: 'Error-permanent-service-denied', contentType: { type: 'text/plain' } });
    expect(got.pdu?.messageId).toBeUndefined();
    expect(Buffer.from(got.pdu!.body!).toString()).not.toContain(`for ${B}`);
    expect(logged(logs, /refused retrieval: \+4790000003 \(x-wap-network-client-msisdn from 127\.0\.0\.1\) is not the recipient/)).toHaveLength(1);
    await t.mmsc.relay.idle();
    expect(JSON.stringify(t.mmsc.store.deliveriesOf(messageId))).toBe(before);

    // a HEAD by the stranger is refused as well (same length as the refusal)
    const head = await fetch(url, { method: 'HEAD', headers: { 'X-WAP-Network-Client-MSISDN': C } });
    expect(Number(head.headers.get('content-length'))).toBe(got.body.length);

    // the recipient, its number in national form, gets the message and the fetch counts
    const mine = await new Phone(t.base, '090000002').get(url);
    expect(mine.pdu).toMatchObject({ messageType: 'm-retrieve-conf', messageId });
    expect(t.mmsc.store.deliveriesOf(messageId)[0].state).toBe('retrieved');
  });

  it('keeps serving a phone no header identifies, as before (and counts its fetch)', async () => {
    const { messageId, url } = await send(t, B, 'ri-2');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(t.mmsc.store.deliveriesOf(messageId)[0].state).toBe('retrieved');
  });

  it('refuses a confirmation by another phone, at the MM1 URL and at the retrieval URL, and accepts the recipient\'s there', async () => {
    const { messageId, ind, url } = await send(t, B, 'ri-3');
    const before = JSON.stringify(t.mmsc.store.deliveriesOf(messageId));
    logs.length = 0;
    const u = new URL(url);
    const atLocation = (who: string) => new Phone(`${u.protocol}//${u.host}`, who, u.pathname);
    const resp = { messageType: 'm-notifyresp-ind', transactionId: ind.transactionId, mmsVersion: '1.2', status: 'Retrieved' } as const;
    const ack = { messageType: 'm-acknowledge-ind', transactionId: ind.transactionId, mmsVersion: '1.2' } as const;
    expect((await atLocation(C).post(resp)).status).toBe(403);
    expect((await new Phone(t.base, C).post(resp)).status).toBe(403);
    expect((await atLocation(C).post(ack)).status).toBe(403);
    await t.mmsc.relay.idle();
    expect(JSON.stringify(t.mmsc.store.deliveriesOf(messageId))).toBe(before);
    expect(logged(logs, /refused m-notifyresp\.ind: \+4790000003 .* is not the recipient/)).toHaveLength(2);
    expect(logged(logs, /refused m-acknowledge\.ind: \+4790000003 .* is not the recipient/)).toHaveLength(1);

    expect((await atLocation(B).post(resp)).status).toBe(200);
    await t.mmsc.relay.idle();
    expect(t.mmsc.store.deliveriesOf(messageId)[0]).toMatchObject({ state: 'reported', outcome: 'acknowledged' });
  });
});

describe('retrieval by another phone with recipientOnly off', () => {
  let t: TestMmsc;
  const logs: string[] = [];
  beforeAll(async () => {
    t = await startTestMmsc({ mm1: { retrieval: { recipientOnly: false } } }, { logLines: logs });
  });
  afterAll(async () => t.close());

  it('serves it, logs it, and does not count it as the recipient\'s retrieval', async () => {
    const { messageId, url } = await send(t, B, 'ro-1');
    logs.length = 0;
    const got = await new Phone(t.base, C).get(url);
    expect(got.pdu).toMatchObject({ messageType: 'm-retrieve-conf', messageId });
    expect(Buffer.from(got.pdu!.body!).toString()).toBe(`for ${B}`);
    expect(logged(logs, /retrieval by \+4790000003 \(header\), not the recipient: served \(mm1\.retrieval\.recipientOnly is off\), not counted/)).toHaveLength(1);
    expect(t.mmsc.store.deliveriesOf(messageId)[0]).toMatchObject({ state: 'notified' });
  });
});

describe('retrieval by a phone identified by the static IP map (an identity that may be stale)', () => {
  let t: TestMmsc;
  const logs: string[] = [];
  beforeAll(async () => {
    // nothing inserts headers; 127.0.0.1 was C's address when the map was written
    t = await startTestMmsc({ mm1: { identity: { trustedProxies: [], staticMap: { '127.0.0.1': C } } } }, { logLines: logs });
  });
  afterAll(async () => t.close());

  it('serves it with the mismatch logged, never counting the fetch; the confirmation counts', async () => {
    const { messageId, ind, url } = await send(t, B, 'sm-1');
    logs.length = 0;
    const got = await fetch(url);
    const body = Buffer.from(await got.arrayBuffer());
    expect(got.status).toBe(200);
    expect(body.includes(Buffer.from(`for ${B}`))).toBe(true);
    expect(logged(logs, /retrieval by \+4790000003 \(static-map\), not the recipient: served \(the identity may be stale\), not counted/)).toHaveLength(1);
    expect(t.mmsc.store.deliveriesOf(messageId)[0].state).toBe('notified');

    // the phone holds the notification's TID: its confirmation is accepted, the mismatch noted
    const res = await new Phone(t.base, '').post({ messageType: 'm-notifyresp-ind', transactionId: ind.transactionId, mmsVersion: '1.2', status: 'Retrieved' });
    expect(res.status).toBe(200);
    expect(logged(logs, /m-notifyresp\.ind from \+4790000003 \(static-map\), not the recipient: accepted \(the identity may be stale\)/)).toHaveLength(1);
    await t.mmsc.relay.idle();
    expect(t.mmsc.store.deliveriesOf(messageId)[0]).toMatchObject({ state: 'reported', outcome: 'acknowledged' });
  });
});
