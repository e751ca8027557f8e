// A phone on EDGE submits and fetches a 300 KB MMS through an emulated 2G link (a shaping TCP
// proxy in front of MM1; publicUrl points at it, so the fetch crosses the link too): 12 KB/s
// up, 25 KB/s down, 150 ms each way. The m-send.conf says Ok, the fetched parts are the sent
// ones byte for byte, and no limit fired. (uWebSockets.js cut such uploads with no answer:
// docs/architecture.md, "MM1".) The 300 KB GPRS case is in `npm run bench -- link`.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { LinkEmulator, submitAndFetchOverLink } from '../support/link.js';
import { freePort, startTestMmsc, type TestMmsc } from '../support/mmsc.js';

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
    await submitAndFetchOverLink({ link, t, logs, a: A, b: B, tid: 'edge-1', size: 300000 });
  }, 120_000);
});
