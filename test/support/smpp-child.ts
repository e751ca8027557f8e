// A process that only runs the SMPP bearer on an LMDB store (for the restart tests: it is
// SIGKILLed mid-push). Argument: JSON { store, port, jobs: [{ id, size, statusReport }], linger }.
// It binds, submits every job as the relay's outbox would (again after "retry", with the attempt
// counted), prints "SENT <id> <segments as JSON>" for each, "REPORT <report as JSON>" for each
// status report, then "DONE"; it exits after closing unless `linger` (then it waits to be killed).
import { pino } from 'pino';
import { SmppBearer, storeJournal } from '../../src/bearer/smpp/index.js';
import { Store } from '../../src/store/store.js';

interface Args {
  store: string;
  port: number;
  jobs: { id: string; size: number; statusReport: boolean }[];
  linger: boolean;
}

/** The push a job carries: `size` octets counting up, so a reassembly can be checked. */
export const pushOf = (size: number): Uint8Array => Uint8Array.from({ length: size }, (_, i) => i & 0xff);

if (process.argv[2]) {
  const args = JSON.parse(process.argv[2]) as Args;
  const store = new Store({ path: args.store, mapSizeMiB: 64 });
  const bearer = new SmppBearer({
    host: '127.0.0.1', port: args.port, systemId: 'mmsc1', password: 'secret', sourceAddress: '+4790000000',
    ratePerSecond: 1000, enquireLinkMs: 60_000, reconnectMs: 50, responseTimeoutMs: 60_000,
    log: pino({ level: process.env.MMSC_TEST_LOG ?? 'silent' }, pino.destination(2)),
    journal: storeJournal(store),
  });
  bearer.onStatusReport((r) => process.stdout.write(`REPORT ${JSON.stringify(r)}\n`));
  if (!(await bearer.ready(10_000))) throw new Error('no bind');
  for (const j of args.jobs) {
    for (let attempt = 1; ; attempt++) {
      const out = await bearer.submit({ id: j.id, kind: 'notification', to: '+4790000002', push: pushOf(j.size), attempt, statusReport: j.statusReport });
      if (out.status === 'sent') {
        process.stdout.write(`SENT ${j.id} ${JSON.stringify(out.segments)}\n`);
        break;
      }
      if (out.status === 'failed') throw new Error(`${j.id} failed: ${out.reason}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  process.stdout.write('DONE\n');
  if (!args.linger) {
    await bearer.close();
    await store.close();
    process.exit(0);
  }
}
