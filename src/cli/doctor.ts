// `mmsc doctor`: what is wrong with this box and how to fix it. Reads the configuration and,
// read-only like `mmsc modems`, the conditions the running server recorded in the store
// (src/health.ts), and checks the store's space itself (free space on its filesystem, use of
// its maps against store.mapSizeMiB: what the server refuses new messages by), so that a full
// disk shows even when the server could not record it. Exit status 0 when everything is ok, 1
// when something is not, 2 when the configuration itself is bad.
import { existsSync } from 'node:fs';
import { HEALTH_META_KEY, type HealthSnapshot } from '../health.js';
import { judgeStorage, readStorage } from '../store/capacity.js';
import { Store } from '../store/store.js';
import { configOrReport } from './load-config.js';
import { isoTime, processAlive } from './format.js';

export interface DoctorOptions {
  config?: string;
  json?: boolean;
  out?: (text: string) => void;
}



export interface DoctorFinding {
  check: string;
  level: 'ok' | 'degraded' | 'failed';
  detail: string;
}

/** The findings of every check, in the order printed. */
export async function diagnose(configFile?: string): Promise<DoctorFinding[] | undefined> {
  const config = configOrReport(configFile);
  if (!config) return undefined;
  const findings: DoctorFinding[] = [{ check: 'config', level: 'ok', detail: configFile ? `${configFile} is valid` : 'built-in defaults' }];
  const path = config.store.path;
  if (!existsSync(path)) {
    findings.push({ check: 'store', level: 'failed', detail: `no store at ${path}: the server has not run with this configuration` });
    return findings;
  }
  let store: Store;
  try {
    store = new Store({ path, mapSizeMiB: config.store.mapSizeMiB, readOnly: true });
  } catch (e) {
    findings.push({ check: 'store', level: 'failed', detail: `the store at ${path} cannot be opened: ${(e as Error).message}` });
    return findings;
  }
  try {
    findings.push(await storageFinding(store, path, config.store.reserveMiB));
    const snap = store.meta.get(HEALTH_META_KEY) as HealthSnapshot | undefined;
    if (!snap) {
      findings.push({ check: 'server', level: 'degraded', detail: `no conditions recorded in ${path} yet (start the server: mmsc serve)` });
    } else {
      const running = processAlive(snap.pid);
      findings.push({
        check: 'server',
        level: running ? 'ok' : 'degraded',
        detail: running ? `running (pid ${snap.pid}), conditions recorded ${isoTime(snap.writtenAt)}` : `not running; its last conditions (recorded ${isoTime(snap.writtenAt)}) follow`,
      });
      for (const c of snap.conditions) findings.push({ check: c.name, level: c.level, detail: `${c.detail} (since ${isoTime(c.since)})` });
    }
  } finally {
    await store.close();
  }
  return findings;
}

/** Free space and map use, judged as the server judges them (store/capacity.ts); reads only. */
async function storageFinding(store: Store, path: string, reserveMiB: number): Promise<DoctorFinding> {
  try {
    const parts = await Store.partsInUse(path, store.maps);
    const reading = readStorage(path, { records: store.mapUse().records, parts: parts ?? 0 });
    const { level, detail } = judgeStorage(reading, store.maps, reserveMiB);
    return { check: 'storage', level, detail };
  } catch (e) {
    return { check: 'storage', level: 'failed', detail: `cannot read the store's space at ${path}: ${(e as Error).message}` };
  }
}

export async function doctorCommand(o: DoctorOptions): Promise<number> {
  const out = o.out ?? ((t: string) => void process.stdout.write(t));
  const findings = await diagnose(o.config);
  if (!findings) return 2;
  if (o.json) out(`${JSON.stringify(findings, null, 2)}\n`);
  else for (const f of findings) out(`${f.level === 'ok' ? 'ok  ' : f.level === 'degraded' ? 'WARN' : 'FAIL'}  ${f.check.padEnd(8)}  ${f.detail}\n`);
  return findings.every((f) => f.level === 'ok') ? 0 : 1;
}
