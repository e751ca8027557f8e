// Identity problems leave a log line that says what happened: an identity header from an
// address that is not a trusted proxy is reported as ignored (not as a missing header), and a
// From in the m-send.req that is not the identified sender is reported; the stored message
// and what recipients fetch carry the identified sender only.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MmsPdu } from '../../src/codec/mms/index.js';
import { Phone, pushedPdu, startTestMmsc, type TestMmsc } from '../support/mmsc.js';

const A = '+4793000001';
const B = '+4793000002';
const FORGED = '+4711111111';
const send = (over: Partial<MmsPdu> = {}): MmsPdu => ({
  messageType: 'm-send-req', transactionId: 'id-1', mmsVersion: '1.2', from: { insertAddress: true }, to: [`${B}/TYPE=PLMN`],
  contentType: { type: 'text/plain' }, body: new TextEncoder().encode('who am I'), ...over,
});
const lines = (logs: string[], re: RegExp) => logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => re.test(String(l.msg)));

describe('an identity header from an untrusted address', () => {
  let t: TestMmsc;
  const logs: string[] = [];
  beforeAll(async () => {
    t = await startTestMmsc({ mm1: { identity: { trustedProxies: ['10.0.0.0/8'], staticMap: {} } } }, { logLines: logs });
  });
  afterAll(async () => t.close());
  beforeEach(() => void (logs.length = 0));

  it('is reported as ignored when it is all there is (the m-send.req is refused)', async () => {
    const before = t.mmsc.store.messages.getCount();
    const r = await new Phone(t.base, A).post(send({ transactionId: 'forged-1' }));
    expect(r.pdu).toMatchObject({ transactionId: 'forged-1', responseStatus: 'Error-permanent-sending-address-unresolved' });
    const l = lines(logs, /refused m-send\.req: sender not identified: identity header x-wap-network-client-msisdn from untrusted address 127\.0\.0\.1 ignored/);
    expect(l).toHaveLength(1);
    expect(l[0]).toMatchObject({ ignoredHeader: { header: 'x-wap-network-client-msisdn', value: A, peer: '127.0.0.1' } });
    expect(t.mmsc.store.messages.getCount()).toBe(before);
  });

  it('is reported on a retrieval too, once per client and interval', async () => {
    for (let i = 0; i < 3; i++) await new Phone(t.base, A).get(`${t.base}/m/AAAAAAAAAAAAAAAAAAAAA${i}`);
    expect(lines(logs, /^identity header x-wap-network-client-msisdn from untrusted address 127\.0\.0\.1 ignored/)).toHaveLength(1);
  });
});

describe('an identity header from an untrusted address that the static map identifies', () => {
  let t: TestMmsc;
  const logs: string[] = [];
  beforeAll(async () => {
    t = await startTestMmsc({ mm1: { identity: { trustedProxies: ['10.0.0.0/8'], staticMap: { '127.0.0.1': A } } } }, { logLines: logs });
  });
  afterAll(async () => t.close());

  it('takes the mapped sender and still reports the header', async () => {
    const r = await new Phone(t.base, FORGED).post(send({ transactionId: 'mapped-1' }));
    expect(r.pdu?.responseStatus).toBe('Ok');
    expect(t.mmsc.store.messages.get(r.pdu!.messageId as string)!.sender).toBe(`${A}/TYPE=PLMN`);
    expect(lines(logs, /identity header x-wap-network-client-msisdn from untrusted address 127\.0\.0\.1 ignored/)).toHaveLength(1);
  });
});

describe('a From in the m-send.req that is not the identified sender', () => {
  let t: TestMmsc;
  const logs: string[] = [];
  beforeAll(async () => {
    t = await startTestMmsc({ relay: { countryCode: '47', nationalPrefix: '0' } }, { logLines: logs });
  });
  afterAll(async () => t.close());
  beforeEach(() => void (logs.length = 0));

  it('is logged; the stored message and the m-retrieve.conf carry the identified sender only', async () => {
    const before = t.pushes.length;
    const r = await new Phone(t.base, A).post(send({ transactionId: 'from-1', from: { text: `${FORGED}/TYPE=PLMN`, charset: 'utf-8' } }));
    expect(r.pdu?.responseStatus).toBe('Ok');
    const l = lines(logs, /m-send\.req From \+4711111111\/TYPE=PLMN is not the identified sender \+4793000001 \(header\)/);
    expect(l).toHaveLength(1);
    expect(l[0]).toMatchObject({ pduFrom: `${FORGED}/TYPE=PLMN`, sender: A, via: 'header' });

    const msg = t.mmsc.store.messages.get(r.pdu!.messageId as string)!;
    expect(msg.sender).toBe(`${A}/TYPE=PLMN`);
    expect(JSON.stringify(msg)).not.toContain(FORGED);

    await t.mmsc.relay.idle();
    const ind = pushedPdu(t.pushes.slice(before).find((p) => p.kind === 'notification')!);
    const rc = await new Phone(t.base, B).get(ind.contentLocation as string);
    expect(rc.pdu?.from).toBe(`${A}/TYPE=PLMN`);
    expect(rc.body.includes(Buffer.from(FORGED))).toBe(false);
  });

  it('is not reported when it is the sender in another form (national) or the Insert-address token', async () => {
    const r = await new Phone(t.base, A).post(send({ transactionId: 'from-2', from: '093000001/TYPE=PLMN' }));
    expect(r.pdu?.responseStatus).toBe('Ok');
    expect(lines(logs, /is not the identified sender/)).toEqual([]);
    const r2 = await new Phone(t.base, A).post(send({ transactionId: 'from-3', from: { insertAddress: true } }));
    expect(r2.pdu?.responseStatus).toBe('Ok');
    expect(lines(logs, /is not the identified sender/)).toEqual([]);
  });
});
