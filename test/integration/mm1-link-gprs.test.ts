// A phone on GPRS submits and fetches an MMS through an emulated 2G link (a shaping TCP proxy
// in front of MM1; publicUrl points at it, so the fetch crosses the link too): 60 KB up at
// 1 KB/s with the link stalled for 20 s in the middle, the message down at 8 KB/s. The
// m-send.conf says Ok, the fetched parts are the sent ones byte for byte, and no limit fired.
// (uWebSockets.js cut such uploads after ~10 s with no answer: docs/architecture.md, "MM1".)
import { afterAll, beforeAll, describe, it } from 'vitest';
import { LinkEmulator, submitAndFetchOverLink } from '../support/link.js';
import { freePort, startTestMmsc, type TestMmsc } from '../support/mmsc.js';

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
    await submitAndFetchOverLink({ link, t, logs, a: A, b: B, tid: 'gprs-1', size: 60000 });
  }, 180_000);
});
