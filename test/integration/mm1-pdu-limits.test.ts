// One answer per kind of bad m-send.req, whatever its size: when its Transaction-ID can be
// read the phone gets an m-send.conf, never a bare HTTP error for one size and an m-send.conf
// for another. The statuses (OMA MMS ENC §7.3.48):
//
//   | input                                              | X-Mms-Response-Status                  |
//   |----------------------------------------------------|----------------------------------------|
//   | 150 recipients (the relay takes at most 100)       | Error-permanent-content-not-accepted   |
//   | 300 recipients (the decoder reads at most 256)     | Error-permanent-content-not-accepted   |
//   | 10,000 recipients, within maxBodyBytes             | Error-permanent-content-not-accepted   |
//   | 10,000 recipients, over maxBodyBytes               | Error-permanent-content-not-accepted   |
//   | 300 parts (the decoder reads at most 256)          | Error-permanent-content-not-accepted   |
//   | parts nested deeper than the decoder reads (4)     | Error-permanent-content-not-accepted   |
//   | cut short just after its Transaction-ID            | Error-permanent-message-format-corrupt |
//   | cut short inside a part                            | Error-permanent-message-format-corrupt |
//   | no MMS PDU at all                                  | HTTP 400 (nothing to answer in)        |
//
// A limit of ours on a well-formed PDU is "content not accepted" (ENC: "not accepted due to
// size, media type, copyrights or some other reason"); a PDU that breaks the encoding is
// "message format corrupt". Each leaves the store as it was and one log line.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeMms, encodeMms, type MmsPart, type MmsPdu } from '../../src/codec/mms/index.js';
import { Phone, pushedPdu, startTestMmsc, type TestMmsc } from '../support/mmsc.js';

const A = '+4793000001';
const numbers = (n: number) => Array.from({ length: n }, (_, i) => `+4793${String(100000 + i)}/TYPE=PLMN`);
const req = (over: Partial<MmsPdu>): MmsPdu => ({
  messageType: 'm-send-req', transactionId: 'lim', mmsVersion: '1.2', from: { insertAddress: true }, to: ['+4793000002/TYPE=PLMN'],
  contentType: { type: 'text/plain' }, body: new TextEncoder().encode('hello'), ...over,
});
const text = (s: string): MmsPart => ({ contentType: { type: 'text/plain' }, data: new TextEncoder().encode(s) });
/** A multipart body whose innermost text part sits `depth` multiparts below the top one. */
function nested(depth: number): Partial<MmsPdu> {
  let part: MmsPart = text('deep inside');
  for (let i = 0; i < depth; i++) part = { contentType: { type: 'application/vnd.wap.multipart.mixed' }, parts: [part] };
  return { contentType: { type: 'application/vnd.wap.multipart.mixed' }, body: undefined, parts: [text('top'), part] };
}
const CONTENT = 'Error-permanent-content-not-accepted';
const CORRUPT = 'Error-permanent-message-format-corrupt';

const cutAfterTid = encodeMms(req({ transactionId: 'cut-1' })).subarray(0, 2 + 1 + 'cut-1'.length + 1);
const cutInPart = (() => {
  const whole = encodeMms(req({ transactionId: 'cut-2', contentType: { type: 'application/vnd.wap.multipart.mixed' }, body: undefined, parts: [text('x'.repeat(100))] }));
  return whole.subarray(0, whole.length - 50);
})();

const CASES: [name: string, tid: string, pdu: Uint8Array, status: string, text: RegExp][] = [
  ['150 recipients', 'r-150', encodeMms(req({ transactionId: 'r-150', to: numbers(150) })), CONTENT, /150 recipients, at most 100/],
  ['300 recipients', 'r-300', encodeMms(req({ transactionId: 'r-300', to: numbers(300) })), CONTENT, /recipients .* exceeds a decoder limit/],
  ['10,000 recipients', 'r-10000', encodeMms(req({ transactionId: 'r-10000', to: numbers(10_000) })), CONTENT, /recipients .* exceeds a decoder limit/],
  ['300 parts', 'p-300', encodeMms(req({ transactionId: 'p-300', contentType: { type: 'application/vnd.wap.multipart.mixed' }, body: undefined, parts: Array.from({ length: 300 }, (_, i) => text(`part ${i}`)) })), CONTENT, /exceeds a decoder limit/],
  ['parts nested 6 deep', 'deep-6', encodeMms(req({ transactionId: 'deep-6', ...nested(6) })), CONTENT, /WSP multipart nesting exceeds a decoder limit/],
  ['cut short after its Transaction-ID', 'cut-1', cutAfterTid, CORRUPT, /X-Mms-MMS-Version is missing/],
  ['cut short inside a part', 'cut-2', cutInPart, CORRUPT, /part data length/],
];

describe('MM1: one m-send.conf per kind of bad m-send.req', () => {
  let t: TestMmsc;
  const logs: string[] = [];
  let snapshot: () => string;
  let before: string;
  beforeAll(async () => {
    t = await startTestMmsc({ mm1: { maxBodyBytes: 512 * 1024 }, relay: { localPrefixes: ['+4793'] } }, { logLines: logs });
    const s = t.mmsc.store;
    snapshot = () => JSON.stringify([s.messages.getCount(), s.parts.getCount(), s.deliveries.getCount(), s.outbox.getCount(), s.idempotency.getCount(), s.tokens.getCount(), s.tids.getCount()]);
  });
  afterAll(async () => t.close());
  beforeEach(async () => {
    await t.mmsc.relay.idle();
    logs.length = 0;
    before = snapshot();
  });

  for (const [name, tid, pdu, status, why] of CASES) {
    it(`${name}: ${status}`, async () => {
      const r = await new Phone(t.base, A).post(pdu);
      expect(r.status).toBe(200);
      expect(r.pdu).toMatchObject({ messageType: 'm-send-conf', transactionId: tid, responseStatus: status });
      expect(String(r.pdu?.responseText)).toMatch(why);
      expect(logs.filter((l) => /refused/.test(String(JSON.parse(l).msg)))).toHaveLength(1);
      expect(snapshot()).toBe(before);
    });
  }

  it('10,000 recipients over maxBodyBytes: the same status, read from the first octets', async () => {
    const small = await startTestMmsc({ mm1: { maxBodyBytes: 64 * 1024 } });
    try {
      const r = await new Phone(small.base, A).post(encodeMms(req({ transactionId: 'r-10000-big', to: numbers(10_000) })));
      expect(r.status).toBe(200);
      expect(r.pdu).toMatchObject({ messageType: 'm-send-conf', transactionId: 'r-10000-big', responseStatus: CONTENT });
      expect(small.mmsc.store.messages.getCount()).toBe(0);
    } finally {
      await small.close();
    }
  });

  it('keeps HTTP 400 for bytes that are no MMS PDU at all', async () => {
    const r = await new Phone(t.base, A).post(new TextEncoder().encode('GIF89a not an MMS'));
    expect(r.status).toBe(400);
    expect(snapshot()).toBe(before);
  });

  it('accepts parts nested as deep as the decoder reads, and serves what decodes again (control)', async () => {
    const before = t.pushes.length;
    const r = await new Phone(t.base, A).post(req({ transactionId: 'deep-3', ...nested(3) }));
    expect(r.pdu?.responseStatus).toBe('Ok');
    await t.mmsc.relay.idle();
    const ind = pushedPdu(t.pushes.slice(before).find((p) => p.kind === 'notification')!);
    const got = await new Phone(t.base, '+4793000002').get(ind.contentLocation as string);
    // what phones and `mmsc decode` do: walk the nested multiparts
    const rc = decodeMms(got.body);
    let p: MmsPart | undefined = rc.parts![1];
    for (let i = 0; i < 3; i++) p = p?.parts?.[0];
    expect(Buffer.from(p!.data!).toString()).toBe('deep inside');
  });
});
