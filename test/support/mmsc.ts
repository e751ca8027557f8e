// Starts a real MMSC (MM1 on node:http on 127.0.0.1, LMDB in a temp folder) for integration
// tests, with a loopback bearer that records every push, and small "phone" helpers that speak
// MM1 over real HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { freePort } from '../../bench/lib.js';
import { startMmsc, type Mmsc } from '../../src/app.js';
import { LoopbackBearer } from '../../src/bearer/loopback.js';
import type { Clock } from '../../src/clock/clock.js';
import type { SystemSyncProbe } from '../../src/clock/system-sync.js';
import { decodeMms, encodeMms, type MmsPdu } from '../../src/codec/mms/index.js';
import { decodePush } from '../../src/codec/wsp/index.js';
import { ConfigSchema, type ConfigInput } from '../../src/config/schema.js';
import type { PushJob } from '../../src/relay/bearer.js';

// freePort lives with the benchmark helpers; the tests keep importing it from here.
export { freePort };

export interface TestMmsc {
  mmsc: Mmsc;
  bearer: LoopbackBearer;
  base: string;
  pushes: PushJob[];
  dir: string;
  close(): Promise<void>;
}

/** Config overrides are deep-merged over test defaults (trusted header from 127.0.0.1). */
export async function startTestMmsc(overrides: Partial<Record<keyof ConfigInput, object>> = {}, o: { now?: () => number; clock?: Clock; systemSync?: SystemSyncProbe; dir?: string; logLines?: string[] } = {}): Promise<TestMmsc> {
  const dir = o.dir ?? mkdtempSync(join(tmpdir(), 'mmsc-test-'));
  const port = await freePort();
  const raw: Record<string, object> = {
    mmsc: { publicUrl: `http://127.0.0.1:${port}` },
    store: { path: join(dir, 'store'), reserveMiB: 1 }, // not 32 MiB of zeros per test
    mm1: { port },
    log: { level: process.env.MMSC_TEST_LOG ?? 'silent' },
  };
  for (const [k, v] of Object.entries(overrides)) raw[k] = { ...(raw[k] ?? {}), ...v };
  const config = ConfigSchema.parse(raw);
  const bearer = new LoopbackBearer();
  const pushes: PushJob[] = [];
  bearer.listen((job) => void pushes.push(job));
  const logLines = o.logLines;
  const log = logLines
    ? pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) })
    : pino({ level: config.log.level });
  const mmsc = await startMmsc(config, { log, bearer, now: o.now, ...(o.clock ? { clock: o.clock } : {}), ...(o.systemSync ? { systemSync: o.systemSync } : {}) });
  return {
    mmsc,
    bearer,
    base: `http://127.0.0.1:${port}`,
    pushes,
    dir,
    async close() {
      await mmsc.close();
      if (!o.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const MMS_TYPE = 'application/vnd.wap.mms-message';

/** A phone on the MMS APN: its MSISDN is inserted by the (trusted) gateway header. */
export class Phone {
  constructor(readonly base: string, readonly msisdn: string, readonly path = '/mms') {}

  async post(pdu: Uint8Array | MmsPdu, headers: Record<string, string> = {}): Promise<{ status: number; pdu?: MmsPdu; body: Buffer; contentType: string | null }> {
    const body = pdu instanceof Uint8Array ? pdu : encodeMms(pdu);
    const res = await fetch(this.base + this.path, {
      method: 'POST',
      headers: { 'Content-Type': MMS_TYPE, 'X-WAP-Network-Client-MSISDN': this.msisdn, ...headers },
      body: Buffer.from(body),
    });
    const buf = Buffer.from(await res.arrayBuffer());
    const ct = res.headers.get('content-type');
    return { status: res.status, body: buf, contentType: ct, pdu: ct === MMS_TYPE && buf.length ? decodeMms(buf) : undefined };
  }

  async get(url: string): Promise<{ status: number; pdu?: MmsPdu; body: Buffer }> {
    const res = await fetch(url, { headers: { 'X-WAP-Network-Client-MSISDN': this.msisdn } });
    const buf = Buffer.from(await res.arrayBuffer());
    return { status: res.status, body: buf, pdu: res.headers.get('content-type') === MMS_TYPE ? decodeMms(buf) : undefined };
  }
}

/** The MMS PDU inside a WAP push job. */
export function pushedPdu(job: PushJob): MmsPdu {
  const push = decodePush(job.push);
  if (push.applicationId !== 'x-wap-application:mms.ua') throw new Error(`not an MMS push: ${String(push.applicationId)}`);
  return decodeMms(push.body);
}

/** Every recipient address of a PDU (To, Cc, Bcc), as text. */
export function recipientsOf(pdu: MmsPdu): string[] {
  return [...(pdu.to ?? []), ...(pdu.cc ?? []), ...(pdu.bcc ?? [])].map((a) => (typeof a === 'string' ? a : a.text));
}

/** The MSISDN the relay delivers to for a corpus address (no country code configured: kept as is). */
export function msisdnOf(address: string): string {
  return address.replace(/\/TYPE=PLMN$/i, '').replace(/[-. ]/g, '');
}
