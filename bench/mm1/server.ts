// Benchmark server process: the real relay + LMDB store behind either the uWS MM1 server or
// the same handler behind plain node:http. Prints "READY <port>", then on SIGTERM prints its
// peak RSS and exits.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startMmsc } from '../../src/app.js';
import { LoopbackBearer } from '../../src/bearer/loopback.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { Mm1Handler } from '../../src/mm1/handler.js';
import type { RequestInfo } from '../../src/mm1/http.js';
import { Relay } from '../../src/relay/relay.js';
import { Store } from '../../src/store/store.js';

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

if (variant === 'uws') {
  const mmsc = await startMmsc(config, { log, bearer: new LoopbackBearer() });
  stop = () => mmsc.close();
  storeCount = () => mmsc.store.messages.getCount();
} else {
  const store = new Store({ path: config.store.path });
  storeCount = () => store.messages.getCount();
  const relay = new Relay({ config, store, bearer: new LoopbackBearer(), log });
  const handler = new Mm1Handler(config, relay, log);
  const server = createServer((req, res) => {
    const headers = new Map<string, string>();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const info: RequestInfo = { method: req.method ?? 'GET', url: req.url ?? '/', query: '', peer: req.socket.remoteAddress ?? '', headers, contentLength: req.headers['content-length'] ? Number(req.headers['content-length']) : undefined };
    const send = (r: { status: number; headers?: Record<string, string>; body?: Uint8Array | string }) => {
      res.writeHead(r.status, r.headers);
      res.end(r.body ?? '');
    };
    const refused = handler.precheck(info);
    if (refused) return send(refused);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      chunks.push(c);
    });
    req.on('end', () => {
      if (size > config.mm1.maxBodyBytes) return send(handler.tooLarge(info, Buffer.concat(chunks).subarray(0, 4096), size));
      handler.post(info, Buffer.concat(chunks, size)).then(send, (e: unknown) => send(handler.internal(info, e)));
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  relay.start();
  stop = async () => {
    await new Promise((r) => server.close(r));
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
  const maxRssKiB = process.resourceUsage().maxRSS;
  const cpu = process.cpuUsage(cpu0);
  const cpuMicros = cpu.user + cpu.system;
  const status = readFileSync('/proc/self/status', 'utf8');
  const field = (k: string) => Number(/\d+/.exec(status.split('\n').find((l) => l.startsWith(k)) ?? '0')?.[0] ?? 0);
  let lmdbKiB = 0;
  let name = '';
  for (const l of readFileSync('/proc/self/smaps', 'utf8').split('\n')) {
    if (/^[0-9a-f]+-[0-9a-f]+ /.test(l)) name = l.split(/\s+/).slice(5).join(' ');
    else if (l.startsWith('Rss:') && name.endsWith('data.mdb')) lmdbKiB += Number(/\d+/.exec(l)![0]);
  }
  const messages = storeCount();
  await stop();
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`RSS ${JSON.stringify({ maxRssKiB, rssKiB: field('VmRSS'), anonKiB: field('RssAnon'), lmdbKiB, cpuMicros, messages })}\n`);
  process.exit(0);
});
