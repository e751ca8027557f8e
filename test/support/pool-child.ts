// A process that only runs a modem pool (for the crash tests: it is SIGKILLed mid-job). Argument:
// JSON { store, modems: [{ port, imei }], jobs: [{ id, to, size }], concurrency }. It submits
// every job as the relay's outbox would (again after "retry", with the attempt counted), prints
// "SENT <id>" for each job sent, then "DONE" and exits after closing the pool.
import { pino } from 'pino';
import { serialPortOpener } from '../../src/bearer/modem/port.js';
import { ModemPoolBearer } from '../../src/bearer/pool/index.js';
import { Store } from '../../src/store/store.js';
import { job } from './pool-lab.js';
import { FAST } from './pty.js';

interface Args {
  store: string;
  modems: { port: string; imei: string }[];
  jobs: { id: string; to: string; size: number }[];
  concurrency: number;
}
const args = JSON.parse(process.argv[2]) as Args;
const store = new Store({ path: args.store, mapSizeMiB: 64 });
const pool = new ModemPoolBearer({
  store,
  log: pino({ level: process.env.MMSC_TEST_LOG ?? 'silent' }, pino.destination(2)),
  modems: args.modems.map((m) => ({ port: m.port, imei: m.imei, opener: serialPortOpener(), ratePerMinute: 60_000, routes: [] })),
  timeouts: FAST,
  retryFirstMs: 50,
});
let next = 0;
await Promise.all(Array.from({ length: args.concurrency }, async () => {
  while (next < args.jobs.length) {
    const j = args.jobs[next++];
    for (let attempt = 1; ; attempt++) {
      const out = await pool.submit(job(j.id, j.to, { size: j.size, attempt }));
      if (out.status === 'sent') break;
      if (out.status === 'failed') throw new Error(`${j.id} failed: ${out.reason}`);
      await new Promise((r) => setTimeout(r, Math.min(out.retryAfterMs ?? 100, 200)));
    }
    process.stdout.write(`SENT ${j.id}\n`);
  }
}));
process.stdout.write('DONE\n');
await pool.close();
await store.close();
process.exit(0);
