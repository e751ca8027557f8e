// Benchmark server process: the real relay + LMDB store behind either the production MM1
// server (node:http, src/mm1/server.ts) or the former uWebSockets.js transport around the same
// handler (bench/mm1/uws.ts, the peer). Prints "READY <port>", then on SIGTERM prints its peak
// RSS and exits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startMmsc } from '../../src/app.js';
import { LoopbackBearer } from '../../src/bearer/loopback.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { Mm1Handler } from '../../src/mm1/handler.js';
import { Relay } from '../../src/relay/relay.js';
import { Store } from '../../src/store/store.js';
import { memory } from '../lib.js';
import { serveUws } from './uws.js';

const variant = process.argv[2] as 'uws' | 'node';
const port = Number(process.argv[3]);
const dir = mkdtempSync(join(tmpdir(), 'mmsc-bench-'));
const config = ConfigSchema.parse({
  mmsc: { publicUrl: `http://127.0.0.1:${port}` },
  store: { path: join(dir, 'store') },
  mm1: { port, maxBodyBytes: 1024 * 1024 },
  log: { level: 'silent' },
});
const log = pino({ level: 'silent' });
let stop: () => Promise<void>;
let storeCount: () => number;

if (variant === 'node') {
  const mmsc = await startMmsc(config, { log, bearer: new LoopbackBearer() });
  stop = () => mmsc.close();
  storeCount = () => mmsc.store.messages.getCount();
} else {
  const store = new Store({ path: config.store.path });
  storeCount = () => store.messages.getCount();
  const relay = new Relay({ config, store, bearer: new LoopbackBearer(), log });
  const handler = new Mm1Handler(config, relay, log);
  const close = await serveUws(handler, '127.0.0.1', port, config.mm1.path, config.mm1.maxBodyBytes);
  relay.start();
  stop = async () => {
    close();
    await relay.stop();
    await store.close();
  };
}

const cpu0 = process.cpuUsage();
process.stdout.write(`READY ${port}\n`);
process.once('SIGTERM', async () => {
  // Peak RSS, and what the RSS is made of at the end: the LMDB file mapping (page cache of the
  // database file: grows with the data, shared and reclaimable), the private memory (heap,
  // buffers, WASM) and the rest (node's own text, libraries).
  const mem = memory();
  const cpu = process.cpuUsage(cpu0);
  const cpuMicros = cpu.user + cpu.system;
  const messages = storeCount();
  await stop();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`RSS ${JSON.stringify({ ...mem, cpuMicros, messages })}\n`);
  process.exit(0);
});
