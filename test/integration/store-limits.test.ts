// The store's other limits, in process: a map that fills (store.mapSizeMiB) behaves like a full
// disk; commits that fail with room to spare (a failing SD card) neither crash nor lose what
// phones and the bearer reported; and the maps fit a 32-bit-sized address space.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeMms, encodeMms, type MmsPdu } from '../../src/codec/mms/index.js';
import type { PushJob } from '../../src/relay/bearer.js';
import { freePort, MMS_TYPE, Phone, pushedPdu, startTestMmsc, type TestMmsc } from '../support/mmsc.js';
import { serveChild, type ServeChild } from '../support/serve-child.js';

const A = '+4790000001';
const B = '+4790000002';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sendReq(tid: string, size: number, extra: Partial<MmsPdu> = {}): { pdu: MmsPdu; data: Uint8Array } {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (i * 13 + tid.charCodeAt(tid.length - 1)) & 0xff;
  return {
    data,
    pdu: { messageType: 'm-send-req', transactionId: tid, mmsVersion: '1.2', from: { insertAddress: true }, to: [`${B}/TYPE=PLMN`], contentType: { type: 'application/octet-stream' }, body: data, ...extra },
  };
}

/** The URL of a notification, on the server now running (the port changes across restarts). */
const on = (t: TestMmsc, url: string) => `${t.base}${new URL(url).pathname}`;

async function until(what: string, ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !ok(); await sleep(20)) if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
}

describe('store limits', () => {
  const dirs: string[] = [];
  const running: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const r of running) await r.close().catch(() => undefined);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a full map (store.mapSizeMiB) refuses new messages like a full disk, survives a restart, and resumes as messages are fetched', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmsc-map-'));
    dirs.push(dir);
    const cfg = { store: { mapSizeMiB: 16, reserveMiB: 1 } }; // 4 MiB of records, 12 MiB of payloads
    const logLines: string[] = [];
    let t = await startTestMmsc(cfg, { dir, logLines });
    running.push(t);
    const accepted: { id: string; data: Uint8Array }[] = [];
    let refusal: MmsPdu | undefined;
    for (let i = 0; i < 80 && !refusal; i++) {
      // five at once: the last ones race the limit
      const batch = await Promise.all([0, 1, 2, 3, 4].map(async (k) => {
        const m = sendReq(`m${i}-${k}`, 200_000);
        const r = await new Phone(t.base, A).post(m.pdu);
        expect(r.status).toBe(200);
        return { m, r };
      }));
      for (const { m, r } of batch) {
        if (r.pdu?.responseStatus === 'Ok') accepted.push({ id: r.pdu.messageId as string, data: m.data });
        else refusal = r.pdu;
      }
    }
    expect(refusal, 'no refusal: the map grew past store.mapSizeMiB').toMatchObject({ responseStatus: 'Error-transient-failure', responseText: 'storage full; try again later' });
    expect(accepted.length).toBeGreaterThan(30);
    expect(logLines.some((l) => l.includes('"msg":"store: store size limit reached: payloads use'))).toBe(true);
    const metrics = await t.mmsc.health.registry.metrics();
    expect(metrics).toMatch(/mmsc_health\{condition="store"\} 1/);
    const used = Number(/mmsc_store_map_used_bytes\{env="parts"\} (\d+)/.exec(metrics)?.[1]);
    expect(used).toBeGreaterThanOrEqual((7 / 8) * 12 * 1024 * 1024);
    const notifications = () => new Map(t.pushes.filter((p) => p.kind === 'notification').map((p) => [pushedPdu(p).contentLocation as string, p]));
    // every accepted message notified (a step that ran before its payloads committed comes back 100 ms later)
    await until('a notification for every accepted message', () => notifications().size === accepted.length);
    const urls = notifications();

    // a restart while the map is full: it starts refusing
    await t.close();
    running.pop();
    logLines.length = 0;
    t = await startTestMmsc(cfg, { dir, logLines });
    running.push(t);
    expect(logLines.some((l) => l.includes('"msg":"store: store size limit reached'))).toBe(true);
    expect((await new Phone(t.base, A).post(sendReq('after-restart', 1000).pdu)).pdu).toMatchObject({ responseStatus: 'Error-transient-failure' });

    // phones fetch and confirm: their payloads are dropped, and the store resumes by itself
    const phone = new Phone(t.base, B);
    const byId = new Map(accepted.map((a) => [a.id, a.data]));
    for (const [url, job] of urls) {
      const got = await phone.get(on(t, url));
      expect(got.pdu?.messageType).toBe('m-retrieve-conf');
      expect(Buffer.from(got.pdu!.body!).equals(byId.get(got.pdu!.messageId as string)!), 'byte-identical').toBe(true);
      await phone.post({ messageType: 'm-notifyresp-ind', transactionId: pushedPdu(job).transactionId, mmsVersion: '1.2', status: 'Retrieved' });
    }
    await t.mmsc.relay.idle();
    await until('store: accepting messages', () => logLines.some((l) => l.includes('"msg":"store: accepting messages')));
    expect((await new Phone(t.base, A).post(sendReq('resumed', 200_000).pdu)).pdu).toMatchObject({ responseStatus: 'Ok' });
  }, 60_000);

  it('commits that fail with room to spare: nothing crashes, phones are answered, what they reported is written once the store writes again', async () => {
    const logLines: string[] = [];
    const t = await startTestMmsc({ relay: { notifySubject: true } }, { logLines });
    running.push(t);
    const store = t.mmsc.store;
    // the notification of M2 is held in the bearer until we let it go
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    const holdM2 = t.bearer.listen(async (job: PushJob) => {
      if (job.kind === 'notification' && pushedPdu(job).subject === 'm2') await held;
    });
    const m1 = sendReq('m1', 5000, { deliveryReport: true });
    const c1 = await new Phone(t.base, A).post(m1.pdu);
    expect(c1.pdu?.responseStatus).toBe('Ok');
    await t.mmsc.relay.idle();
    const n1 = t.pushes.find((p) => p.kind === 'notification')!;
    const m2 = sendReq('m2', 3000, { subject: 'm2' });
    expect((await new Phone(t.base, A).post(m2.pdu)).pdu?.responseStatus).toBe('Ok');
    await until('the notification of m2 in the bearer', () => t.pushes.some((p) => p.kind === 'notification' && pushedPdu(p).subject === 'm2'));

    // from now on every commit fails as lmdb-js reports it (a failing card: EIO with space left)
    const env = store.env as unknown as { transaction: (fn: () => unknown) => Promise<unknown> };
    const real = env.transaction;
    env.transaction = () => {
      const cause = Promise.reject(Object.assign(new Error('Input/output error'), { code: 5 }));
      cause.catch(() => undefined);
      return Promise.reject(Object.assign(new Error('Commit failed (see commitError for details)'), { commitError: cause }));
    };
    try {
      release(); // m2's push completes: its outcome cannot be written
      const phoneB = new Phone(t.base, B);
      const n1pdu = pushedPdu(n1);
      const got = await phoneB.get(n1pdu.contentLocation as string);
      expect(got.status).toBe(200);
      expect(got.pdu?.messageType).toBe('m-retrieve-conf');
      expect(Buffer.from(got.pdu!.body!).equals(m1.data), 'byte-identical').toBe(true);
      const ack = await phoneB.post({ messageType: 'm-notifyresp-ind', transactionId: n1pdu.transactionId, mmsVersion: '1.2', status: 'Retrieved' });
      expect(ack.status).toBe(200);
      t.bearer.report({ jobId: n1.id, status: 'delivered', at: Date.now() });
      await until('store: the store cannot write', () => logLines.some((l) => l.includes('"msg":"store: the store cannot write (EIO) although')));
      expect((await new Phone(t.base, A).post(sendReq('m3', 1000).pdu)).pdu).toMatchObject({ responseStatus: 'Error-transient-failure', responseText: 'storage failure; try again later' });
      await sleep(1500); // the scheduler and the kept writes retry meanwhile, and fail
      expect(store.deferred.size).toBeGreaterThanOrEqual(3);
      // m2's push is not sent again while its outcome waits
      expect(t.pushes.filter((p) => p.kind === 'notification' && pushedPdu(p).subject === 'm2')).toHaveLength(1);
    } finally {
      env.transaction = real;
    }
    await until('store: accepting messages', () => logLines.filter((l) => l.includes('"msg":"store: accepting messages')).length >= 2);
    await until('kept writes written', () => store.deferred.size === 0);
    await t.mmsc.relay.idle();
    holdM2();
    const [d1] = store.deliveriesOf(c1.pdu!.messageId as string);
    expect(d1).toMatchObject({ state: 'reported', outcome: 'acknowledged' });
    expect(d1.history.map((h) => h.note ?? '')).toEqual(expect.arrayContaining(['delivery report Retrieved queued', 'notification SMS delivered']));
    expect(t.pushes.filter((p) => p.kind === 'delivery-report')).toHaveLength(1);
    expect(store.outbox.getCount()).toBe(0);
    expect(t.pushes.filter((p) => p.kind === 'notification' && pushedPdu(p).subject === 'm2')).toHaveLength(1);
    expect(logLines.filter((l) => /"level":50/.test(l) && /scheduler step failed/.test(l)).length).toBeLessThanOrEqual(1);
    expect((await new Phone(t.base, A).post(sendReq('m4', 1000).pdu)).pdu?.responseStatus).toBe('Ok');
  }, 30_000);

  it('fits its maps in a 32-bit-sized address space (3 GiB, as a Raspberry Pi OS process)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmsc-as-'));
    dirs.push(dir);
    const port = await freePort();
    const cfg = join(dir, 'mmsc.yaml');
    writeFileSync(cfg, [`mmsc: { publicUrl: "http://127.0.0.1:${port}" }`, `store: { path: "${join(dir, 'store')}", reserveMiB: 1 }`, `mm1: { port: ${port} }`, 'bearer: { kind: loopback }', 'log: { level: info }'].join('\n'));
    let child: ServeChild | null = null;
    try {
      // 32-bit V8 has no WebAssembly trap handler (and so no 8 GiB guard regions): nor here
      child = await serveChild(cfg, { shell: 'ulimit -v 3145728', built: true, nodeFlags: ['--disable-wasm-trap-handler'] });
      const maps = child.lines.find((l) => l.msg.startsWith('store maps:'));
      expect(maps?.msg).toMatch(/^store maps: records 256 MiB \+ payloads 768 MiB \(store\.mapSizeMiB auto on 64-bit \w+, 3072 MiB of address space \(RLIMIT_AS\)\)/);
      const res = await fetch(`http://127.0.0.1:${port}/mms`, { method: 'POST', headers: { 'Content-Type': MMS_TYPE, 'X-WAP-Network-Client-MSISDN': A }, body: Buffer.from(encodeMms(sendReq('as-1', 100_000).pdu)) });
      expect(decodeMms(Buffer.from(await res.arrayBuffer()))).toMatchObject({ transactionId: 'as-1', responseStatus: 'Ok' });
    } finally {
      await child?.kill();
    }
  }, 30_000);
});
