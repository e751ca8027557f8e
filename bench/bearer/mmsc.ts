// Benchmark MMSC process, on a fresh LMDB, without MM1, in one of two modes:
//   relay: the relay and the modem pool (bearer.kind: modem, the real driver on the radio
//          process's ptys through serialport). `count` messages (each to its own phone) are
//          stored while the relay is stopped; then the relay is started and notifies them all.
//   pool:  the modem pool alone, handed `count` notification pushes `concurrency` at a time, as
//          the relay's outbox would: what the bearer itself costs.
// Once every modem is ready it measures, until every SMS is sent, the wall time and (after a
// warm-up) its own CPU time (process.cpuUsage). Prints "RESULT <json>".
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createBearer } from '../../src/app.js';
import type { ModemPoolBearer } from '../../src/bearer/pool/index.js';
import { encodeMms } from '../../src/codec/mms/index.js';
import { encodePush } from '../../src/codec/wsp/index.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { Relay } from '../../src/relay/relay.js';
import { Store } from '../../src/store/store.js';

interface Args {
  mode: 'relay' | 'pool';
  modems: { port: string; imei: string }[];
  count: number;
  /** SMS sent before the CPU time is measured. */
  warmup: number;
  concurrency: number;
}
const args = JSON.parse(process.argv[2]) as Args;
const dir = mkdtempSync(join(tmpdir(), 'mmsc-bench-pool-'));
const config = ConfigSchema.parse({
  store: { path: join(dir, 'store'), mapSizeMiB: 256 },
  relay: { bearerConcurrency: args.concurrency },
  // The operator's rate limit is set out of the way: the air time is what is measured.
  bearer: { kind: 'modem', modems: args.modems.map((m) => ({ port: m.port, imei: m.imei, ratePerMinute: 100_000 })) },
  log: { level: 'silent' },
});
const log = pino({ level: 'silent' });
const store = new Store({ path: config.store.path, mapSizeMiB: config.store.mapSizeMiB });
const pool = createBearer(config, log, store) as ModemPoolBearer;
const relay = new Relay({ config, store, bearer: pool, log });

const deadline = Date.now() + 30_000;
while (!pool.status().every((m) => m.state === 'ready')) {
  if (Date.now() > deadline) throw new Error(`modems not ready: ${JSON.stringify(pool.status().map((m) => m.state))}`);
  await new Promise((r) => setTimeout(r, 20));
}
const to = (i: number) => `+47910${String(i).padStart(5, '0')}`;
let start: () => void;
if (args.mode === 'relay') {
  // Stored first (relay stopped), so that only the sending path is measured.
  await Promise.all(Array.from({ length: args.count }, (_, i) => relay.submit({
    sender: '+4790000001',
    size: 300,
    pdu: {
      messageType: 'm-send-req', transactionId: `bench-${i}`, mmsVersion: '1.2', from: { insertAddress: true },
      to: [`${to(i)}/TYPE=PLMN`], contentType: { type: 'text/plain' }, body: new TextEncoder().encode(`message ${i}`),
    },
  })));
  start = () => relay.start();
} else {
  // What the relay would hand over: an m-notification.ind in a WAP push, one SMS each.
  const push = (i: number) => encodePush({
    tid: i & 0xff, pduType: 'push', contentType: { type: 'application/vnd.wap.mms-message' }, applicationId: 'x-wap-application:mms.ua',
    body: encodeMms({
      messageType: 'm-notification-ind', transactionId: `bench${i}`, mmsVersion: '1.2', messageClass: 'Personal', messageSize: 300,
      expiry: { relative: 604_800 }, contentLocation: `http://10.0.0.1:8080/m/bench-token-${String(i).padStart(16, '0')}`,
    }),
  });
  start = () => {
    let next = 0;
    for (let k = 0; k < args.concurrency; k++) {
      void (async () => {
        while (next < args.count) {
          const i = next++;
          const out = await pool.submit({ id: `n${i}`, kind: 'notification', to: to(i), push: push(i), attempt: 1, statusReport: true });
          if (out.status !== 'sent') throw new Error(`job ${i}: ${JSON.stringify(out)}`);
        }
      })();
    }
  };
}
const sent = () => pool.members.reduce((n, m) => n + m.sent, 0);
const t0 = Date.now();
start();
// CPU is measured once `warmup` SMS are out (the JIT has compiled the sending path by then).
while (sent() < args.warmup) await new Promise((r) => setTimeout(r, 5));
const cpu0 = process.cpuUsage();
const measured0 = sent();
while (sent() < args.count) await new Promise((r) => setTimeout(r, 20));
const t1 = Date.now();
const cpu = process.cpuUsage(cpu0);
const measured = sent() - measured0;
await relay.stop();
await pool.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`RESULT ${JSON.stringify({ t0, t1, sent: sent(), measured, cpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
process.exit(0);
