// mmsc.publicUrl left out while MM1 moves to another port: the notification a phone gets
// points at the port MM1 listens on, and the phone can fetch the message there.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, expect, it } from 'vitest';
import { startMmsc, type Mmsc } from '../../src/app.js';
import { LoopbackBearer } from '../../src/bearer/loopback.js';
import { parseConfig } from '../../src/config/load.js';
import type { PushJob } from '../../src/relay/bearer.js';
import { freePort, Phone, pushedPdu } from '../support/mmsc.js';

let mmsc: Mmsc | null = null;
const dir = mkdtempSync(join(tmpdir(), 'mmsc-public-url-'));
afterAll(async () => {
  await mmsc?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('derives the URL in notifications from mm1.port when mmsc.publicUrl is not set', async () => {
  const port = await freePort();
  const config = parseConfig([`store: { path: "${join(dir, 'store')}", mapSizeMiB: 64 }`, 'mm1:', `  port: ${port}`, 'bearer: { kind: loopback }', 'log: { level: silent }'].join('\n'), 'mmsc.yaml');
  const bearer = new LoopbackBearer();
  const pushes: PushJob[] = [];
  bearer.listen((job) => void pushes.push(job));
  mmsc = await startMmsc(config, { log: pino({ level: 'silent' }), bearer });
  const base = `http://127.0.0.1:${port}`;
  const conf = await new Phone(base, '+4790000001').post({
    messageType: 'm-send-req',
    transactionId: 'public-url-1',
    mmsVersion: '1.2',
    from: { insertAddress: true },
    to: ['+4790000002/TYPE=PLMN'],
    contentType: { type: 'text/plain', params: { charset: 'utf-8' } },
    body: new TextEncoder().encode('where do I fetch this?'),
  });
  expect(conf.pdu).toMatchObject({ responseStatus: 'Ok' });
  await mmsc.relay.idle();
  const ind = pushedPdu(pushes.find((p) => p.kind === 'notification')!);
  expect(ind.contentLocation).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/m/`));
  const got = await new Phone(base, '+4790000002').get(ind.contentLocation as string);
  expect(got.pdu).toMatchObject({ messageType: 'm-retrieve-conf' });
});
