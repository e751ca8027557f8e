// `mmsc modems`: the modem pool as the running server sees it. The server writes each modem's
// state into LMDB (at most once a second, and when it stops); this command reads the store
// read-only, like `mmsc messages`, so it is safe while the server runs and needs no socket.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { configOrReport } from './load-config.js';
import type { Config } from '../config/schema.js';
import { Store } from '../store/store.js';
import type { PoolModemRecord } from '../store/types.js';
import { isoTime, processAlive } from './format.js';

export interface ModemsOptions {
  config?: string;
  json?: boolean;
  /** Where the report goes (default: stdout). */
  out?: (text: string) => void;
  now?: () => number;
}

export interface ModemRow {
  /** As configured (bearer.modems), or null for a modem only the server knows (simulated ones). */
  configured: { port: string; imei: string | null } | null;
  record: PoolModemRecord | null;
  /** Whether the server that wrote the record still runs (its process is alive and it did not stop the pool). */
  serverRunning: boolean;
}



/** A pool that stops records its modems "closed" (a killed server leaves its last state). */
function running(r: PoolModemRecord): boolean {
  return r.state !== 'closed' && processAlive(r.pid);
}

/** Configured modems joined with what the server recorded about them (by IMEI, else by port). */
export function modemRows(config: Config, records: PoolModemRecord[]): ModemRow[] {
  const used = new Set<PoolModemRecord>();
  const rows: ModemRow[] = [];
  for (const m of config.bearer.kind === 'modem' ? config.bearer.modems : []) {
    const rec = records.find((r) => !used.has(r) && m.imei !== undefined && r.imei === m.imei) ?? records.find((r) => !used.has(r) && r.port === m.port) ?? null;
    if (rec) used.add(rec);
    rows.push({ configured: { port: m.port, imei: m.imei ?? null }, record: rec, serverRunning: rec ? running(rec) : false });
  }
  for (const r of records) if (!used.has(r)) rows.push({ configured: null, record: r, serverRunning: running(r) });
  return rows;
}

function ago(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 86_400) return `${Math.round(s / 3600)} h`;
  return `${Math.round(s / 86_400)} d`;
}

/** The table an operator reads. */
export function formatModems(rows: ModemRow[], now: number): string {
  if (rows.length === 0) return 'no modems: none configured (bearer.modems), and the server has recorded none';
  const head = ['PORT', 'IMEI', 'STATE', 'OPERATOR', 'SIGNAL', 'RATE/MIN', 'QUEUE', 'SENT', 'FAILED', 'BENCHED UNTIL'];
  const table = rows.map(({ configured, record: r, serverRunning }) => {
    const port = r?.port ?? configured?.port ?? '?';
    if (!r) return [port, configured?.imei ?? '?', 'not seen', '', '', '', '', '', '', ''];
    const state = serverRunning ? r.state + (r.benchedUntil !== null ? ' (benched)' : '') : `${r.state} (server stopped)`;
    return [
      port, r.imei ?? '?', state, r.operator ?? '', r.dbm !== null ? `${r.dbm} dBm` : '', String(r.ratePerMinute), String(r.queue),
      String(r.sent), String(r.failed), r.benchedUntil !== null ? isoTime(r.benchedUntil) : '',
    ];
  });
  const all = [head, ...table];
  const widths = head.map((_, i) => Math.max(...all.map((row) => row[i].length)));
  const lines = all.map((row) => row.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd());
  const notes: string[] = [];
  for (const { configured, record: r, serverRunning } of rows) {
    const name = r ? `${r.port}${r.imei ? ` (IMEI ${r.imei})` : ''}` : (configured?.port ?? '?');
    if (!r) {
      notes.push(`${name}: the server has not reported this modem (not started yet, or not with this configuration)`);
      continue;
    }
    if (r.detail && r.state !== 'ready') notes.push(`${name}: ${r.state}: ${r.detail}`);
    if (r.msisdn) notes.push(`${name}: number ${r.msisdn}`);
    if (r.routes.length) notes.push(`${name}: serves ${r.routes.join(', ')}`);
    if (!serverRunning) {
      notes.push(processAlive(r.pid)
        ? `${name}: as recorded ${ago(now - r.updatedAt)} ago, when the server (process ${r.pid}) stopped its modem pool`
        : `${name}: as last recorded ${ago(now - r.updatedAt)} ago, by process ${r.pid}, which is no longer running`);
    }
  }
  return [...lines, ...(notes.length ? ['', ...notes] : [])].join('\n');
}

/** `mmsc modems`: 0 when every configured modem is ready, 1 otherwise, 2 for a bad config. */
export async function listModems(opts: ModemsOptions = {}): Promise<number> {
  const out = opts.out ?? ((t: string) => void process.stdout.write(`${t}\n`));
  const config = configOrReport(opts.config);
  if (!config) return 2;
  let records: PoolModemRecord[] = [];
  if (existsSync(join(config.store.path, 'data.mdb'))) {
    const store = new Store({ path: config.store.path, mapSizeMiB: config.store.mapSizeMiB, readOnly: true });
    try {
      // Absent in a store no pool ever wrote to (read-only opening cannot create it).
      const db = store.poolModems as typeof store.poolModems | undefined;
      records = db ? [...db.getRange()].map((e) => e.value) : [];
    } finally {
      await store.close();
    }
  }
  const rows = modemRows(config, records);
  const now = (opts.now ?? Date.now)();
  out(opts.json ? JSON.stringify(rows, null, 2) : formatModems(rows, now));
  const bad = rows.filter((r) => r.configured !== null || r.serverRunning).some((r) => !r.record || !r.serverRunning || r.record.state !== 'ready' || r.record.benchedUntil !== null);
  return bad ? 1 : 0;
}
