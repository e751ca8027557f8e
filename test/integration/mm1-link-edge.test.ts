// A phone on EDGE submits and fetches a 300 KB MMS through an emulated 2G link (a shaping TCP
// proxy in front of MM1; publicUrl points at it, so the fetch crosses the link too): 12 KB/s
// up, 25 KB/s down, 150 ms each way. The m-send.conf says Ok, the fetched parts are the sent
// ones byte for byte, and no limit fired. (uWebSockets.js cut such uploads with no answer:
// docs/architecture.md, "MM1".) The 300 KB GPRS case is in `npm run bench -- link`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMms, encodeMms } from '../../src/codec/mms/index.js';
import { LinkEmulator, exchange, expectSameParts, notificationFor, photoMms } from '../support/link.js';
import { freePort, MMS_TYPE, startTestMmsc, type TestMmsc } from '../support/mmsc.js';

const A = '+4795100001';
const B = '+4795100002';

describe('MM1 over an emulated EDGE link', () => {
  let link: LinkEmulator;
  let t: TestMmsc;
  const logs: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    link = await LinkEmulator.start({ port }, { name: 'EDGE', up: { rate: 12_000, latencyMs: 150 }, down: { rate: 25_000, latencyMs: 150 } });
    t = await startTestMmsc({ mmsc: { publicUrl: link.url }, mm1: { port } }, { logLines: logs });
  });
  afterAll(async () => {
    await t?.close();
    await link?.close();
  });

  it('submits 300 KB at 12 KB/s and fetches it at 25 KB/s, parts byte-identical', async () => {
    const sent = photoMms('edge-1', B, 300_000);
    const pdu = encodeMms(sent);
    const up = await exchange(`${link.url}/mms`, { method: 'POST', headers: { 'Content-Type': MMS_TYPE, 'X-WAP-Network-Client-MSISDN': A }, body: pdu });
    expect(up.status).toBe(200);
    expect(decodeMms(up.body)).toMatchObject({ messageType: 'm-send-conf', transactionId: 'edge-1', responseStatus: 'Ok' });
    expect(link.connections[0].up).toBeGreaterThan(pdu.length);

    await t.mmsc.relay.idle();
    const location = String(notificationFor(t, B).contentLocation);
    expect(location.startsWith(`${link.url}/m/`)).toBe(true);
    const down = await exchange(location, { method: 'GET', headers: { 'X-WAP-Network-Client-MSISDN': B } });
    expect(down.status).toBe(200);
    expectSameParts(sent, decodeMms(down.body));
    expect(link.connections[1].down).toBeGreaterThan(300_000);
    expect(logs.filter((l) => JSON.parse(l).limit !== undefined)).toEqual([]);
  }, 120_000);
});
