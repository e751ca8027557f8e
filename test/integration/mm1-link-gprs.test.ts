// A phone on GPRS submits and fetches an MMS through an emulated 2G link (a shaping TCP proxy
// in front of MM1; publicUrl points at it, so the fetch crosses the link too): 60 KB up at
// 1 KB/s with the link stalled for 20 s in the middle, the message down at 8 KB/s. The
// m-send.conf says Ok, the fetched parts are the sent ones byte for byte, and no limit fired.
// (uWebSockets.js cut such uploads after ~10 s with no answer: docs/architecture.md, "MM1".)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMms, encodeMms } from '../../src/codec/mms/index.js';
import { LinkEmulator, exchange, expectSameParts, notificationFor, photoMms } from '../support/link.js';
import { freePort, MMS_TYPE, startTestMmsc, type TestMmsc } from '../support/mmsc.js';

const A = '+4795000001';
const B = '+4795000002';

describe('MM1 over an emulated GPRS link', () => {
  let link: LinkEmulator;
  let t: TestMmsc;
  const logs: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    link = await LinkEmulator.start({ port }, {
      name: 'GPRS, stalling',
      up: { rate: 1_000, latencyMs: 300, stalls: [{ afterBytes: 30_000, ms: 20_000 }] },
      down: { rate: 8_000, latencyMs: 300 },
    });
    t = await startTestMmsc({ mmsc: { publicUrl: link.url }, mm1: { port } }, { logLines: logs });
  });
  afterAll(async () => {
    await t?.close();
    await link?.close();
  });

  it('submits 60 KB at 1 KB/s through a 20 s stall and fetches it at 8 KB/s, parts byte-identical', async () => {
    const sent = photoMms('gprs-1', B, 60_000);
    const pdu = encodeMms(sent);
    const up = await exchange(`${link.url}/mms`, { method: 'POST', headers: { 'Content-Type': MMS_TYPE, 'X-WAP-Network-Client-MSISDN': A }, body: pdu });
    expect(up.status).toBe(200);
    expect(decodeMms(up.body)).toMatchObject({ messageType: 'm-send-conf', transactionId: 'gprs-1', responseStatus: 'Ok' });
    expect(link.connections[0].up).toBeGreaterThan(pdu.length); // the whole PDU crossed the link

    await t.mmsc.relay.idle();
    const notification = notificationFor(t, B);
    const location = String(notification.contentLocation);
    expect(location.startsWith(`${link.url}/m/`)).toBe(true);
    const down = await exchange(location, { method: 'GET', headers: { 'X-WAP-Network-Client-MSISDN': B } });
    expect(down.status).toBe(200);
    expectSameParts(sent, decodeMms(down.body));
    expect(link.connections[1].down).toBeGreaterThan(60_000);
    expect(logs.filter((l) => JSON.parse(l).limit !== undefined)).toEqual([]);
  }, 180_000);
});
