// Benchmark MMSC process for `npm run bench -- link`: the production MMSC (MM1 on node:http,
// relay, LMDB) with the simulated radio network (bearer.kind: simulator: the modem pool on a
// virtual modem over a socat pty, a virtual SMSC, virtual phones), publicUrl pointing at the
// link emulator. The virtual phones of the given recipients do not fetch by themselves: each
// notification they take off the air is printed ("NOTIFIED <json>": recipient, Content-Location,
// SMS count), and the benchmark's phone fetches it over the emulated link. Prints "READY" when
// the modem is up; answers "report" on stdin with its memory ("REPORT <json>"), and "quit".
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { startMmsc } from '../../src/app.js';
import type { SimulatorBearer } from '../../src/bearer/pool/from-config.js';
import type { AgentEvent } from '../../src/bearer/simulator/index.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { memory } from '../lib.js';

interface Args {
  port: number;
  publicUrl: string;
  airTimeMs: number;
  recipients: string[];
}
const args = JSON.parse(process.argv[2]) as Args;
const dir = mkdtempSync(join(tmpdir(), 'mmsc-bench-link-'));
const config = ConfigSchema.parse({
  mmsc: { publicUrl: args.publicUrl },
  store: { path: join(dir, 'store'), mapSizeMiB: 256 },
  mm1: { port: args.port },
  // the operator's rate limit out of the way: one notification per run
  bearer: { kind: 'simulator', simulator: { modems: 1, airTime: args.airTimeMs, transport: 'auto', autoFetch: false, ratePerMinute: 6000 } },
  log: { level: 'silent' },
});
const mmsc = await startMmsc(config, { log: pino({ level: 'silent' }) });
const bearer = mmsc.bearer as SimulatorBearer;
await bearer.ready;
const radio = bearer.radio!;
for (const to of args.recipients) {
  let sms = 0;
  radio.agent(to)!.on('event', (e: AgentEvent) => {
    if (e.type === 'push') sms = e.sms.parts.length;
    if (e.type === 'notification') process.stdout.write(`NOTIFIED ${JSON.stringify({ to, url: String(e.pdu.contentLocation), sms })}\n`);
  });
}
const deadline = Date.now() + 30_000;
while (!bearer.pool?.status().every((m) => m.state === 'ready')) {
  if (Date.now() > deadline) throw new Error('the simulated modem did not become ready');
  await new Promise((r) => setTimeout(r, 20));
}
process.stdout.write(`READY ${JSON.stringify({ transport: radio.transport })}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'report') process.stdout.write(`REPORT ${JSON.stringify({ ...memory(), messages: mmsc.store.messages.getCount() })}\n`);
  if (line === 'quit') break;
}
await mmsc.close();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
