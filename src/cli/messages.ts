// `mmsc messages list|show`: reads the store (read-only; safe while the server runs).
import { Store } from '../store/store.js';
import { configOrReport } from './load-config.js';

function openStore(configFile?: string): Store | undefined {
  const cfg = configOrReport(configFile);
  return cfg && new Store({ path: cfg.store.path, mapSizeMiB: cfg.store.mapSizeMiB, readOnly: true });
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export async function listMessages(opts: { config?: string; limit: string }): Promise<number> {
  const store = openStore(opts.config);
  if (!store) return 2;
  const limit = Number(opts.limit) || 50;
  let n = 0;
  for (const { value: m } of store.messages.getRange({ reverse: true })) {
    const states = store.deliveriesOf(m.id).map((d) => `${d.recipient.replace('/TYPE=PLMN', '')}:${d.state}${d.outcome && d.state === 'reported' ? `(${d.outcome})` : ''}`);
    process.stdout.write(`${iso(m.acceptedAt)}  ${m.id}  from ${m.sender.replace('/TYPE=PLMN', '')}  ${m.size} B  ${states.join(' ')}\n`);
    if (++n >= limit) break;
  }
  if (n === 0) process.stdout.write('no messages\n');
  await store.close();
  return 0;
}

export async function showMessage(id: string, opts: { config?: string }): Promise<number> {
  const store = openStore(opts.config);
  if (!store) return 2;
  const m = store.messages.get(id);
  if (!m) {
    process.stderr.write(`no message ${id}\n`);
    await store.close();
    return 1;
  }
  const deliveries = store.deliveriesOf(id).map((d) => ({
    ...d,
    nextAt: d.nextAt === null ? null : iso(d.nextAt),
    history: d.history.map((h) => ({ ...h, at: iso(h.at) })),
  }));
  const out = { ...m, acceptedAt: iso(m.acceptedAt), expiresAt: iso(m.expiresAt), deliverAt: iso(m.deliverAt), deliveries };
  process.stdout.write(`${JSON.stringify(out, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v), 2)}\n`);
  await store.close();
  return 0;
}
