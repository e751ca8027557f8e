// Nothing accepted is lost: the MMSC runs in a child process (the real CLI on the built code)
// while several phones submit; it is SIGKILLed at random moments and started again, over and
// over. Phones that lose their connection re-send the same m-send.req (same Transaction-ID),
// as real phones do. Afterwards: every message whose m-send.conf Ok reached a phone is
// retrievable, each of its recipients got exactly one notification (one notification
// transaction: the bearer may repeat a push it cannot prove was sent, the phone sees the same
// one), and no re-sent transaction created a second message.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, openSync, closeSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeMms, encodeMms, type MmsPdu } from '../../src/codec/mms/index.js';
import { decodePush } from '../../src/codec/wsp/index.js';
import { Store } from '../../src/store/store.js';
import { Rng } from '../fuzz/mutate.js';
import { freePort, MMS_TYPE } from '../support/mmsc.js';

const ROOT = join(import.meta.dirname, '../..');
const KILLS = 24;
const PHONES = 6;

interface Push { id: string; to: string; pdu: MmsPdu }

/** The radio network as the bearer sees it: records every push POSTed by the loopback bearer. */
async function pushSink(): Promise<{ server: Server; port: number; pushes: Push[] }> {
  const pushes: Push[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      pushes.push({ id: String(req.headers['x-push-id']), to: String(req.headers['x-push-to']), pdu: decodeMms(decodePush(body).body) });
      res.end('ok');
    });
  });
  const port = await new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as { port: number }).port)));
  return { server, port, pushes };
}

describe('crash recovery: SIGKILL at random moments', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmsc-crash-'));
  let child: ChildProcess | null = null;
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it(`loses nothing and duplicates nothing over ${KILLS} kills`, async () => {
    const sink = await pushSink();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const cfgFile = join(dir, 'mmsc.yaml');
    writeFileSync(
      cfgFile,
      [
        `mmsc: { publicUrl: "${base}" }`,
        `store: { path: "${join(dir, 'store')}" }`,
        `mm1: { port: ${port} }`,
        `bearer: { kind: loopback, loopback: { url: "http://127.0.0.1:${sink.port}/push" } }`,
        'log: { level: warn }',
      ].join('\n'),
    );
    const logFd = openSync(join(dir, 'mmsc.log'), 'a');
    const start = async () => {
      child = spawn(process.execPath, [join(ROOT, 'bin/mmsc.js'), 'serve', '--config', cfgFile], { stdio: ['ignore', logFd, logFd] });
      for (let i = 0; i < 200; i++) {
        try {
          await fetch(`${base}/health-probe`);
          return;
        } catch {
          await new Promise((r) => setTimeout(r, 25));
        }
      }
      throw new Error('MMSC did not start; see mmsc.log');
    };

    // phones: each submits its own sequence of messages; a lost answer means "send it again"
    const confirmed = new Map<string, Set<string>>(); // sender/tid -> Message-IDs seen in Ok confs
    const sent = new Map<string, { to: string; body: string }>();
    let stop = false;
    let submitted = 0;
    const phone = async (n: number) => {
      const msisdn = `+4791000${String(n).padStart(3, '0')}`;
      for (let seq = 0; !stop; seq++) {
        const tid = `t${n}-${seq}`;
        const to = `+4792000${String((n + seq) % PHONES).padStart(3, '0')}`;
        const body = `message ${seq} from ${msisdn}`;
        const pdu = encodeMms({
          messageType: 'm-send-req', transactionId: tid, mmsVersion: '1.2', from: { insertAddress: true }, to: [`${to}/TYPE=PLMN`],
          contentType: { type: 'text/plain', params: { charset: 'utf-8' } }, body: new TextEncoder().encode(body),
        });
        sent.set(`${msisdn}/${tid}`, { to, body });
        for (;;) {
          try {
            const res = await fetch(`${base}/mms`, { method: 'POST', headers: { 'Content-Type': MMS_TYPE, 'X-WAP-Network-Client-MSISDN': msisdn }, body: Buffer.from(pdu) });
            const conf = decodeMms(Buffer.from(await res.arrayBuffer()));
            expect(conf.responseStatus).toBe('Ok');
            const key = `${msisdn}/${tid}`;
            if (!confirmed.has(key)) confirmed.set(key, new Set());
            confirmed.get(key)!.add(conf.messageId as string);
            submitted++;
            break;
          } catch (e) {
            if (e instanceof Error && e.name === 'AssertionError') throw e;
            if (stop) return;
            await new Promise((r) => setTimeout(r, 20)); // server down: try the same PDU again
          }
        }
      }
    };

    const rng = new Rng(20261122);
    await start();
    const phones = Array.from({ length: PHONES }, (_, i) => phone(i));
    for (let k = 0; k < KILLS; k++) {
      await new Promise((r) => setTimeout(r, 40 + rng.int(260)));
      child!.kill('SIGKILL');
      await new Promise((r) => child!.once('exit', r));
      await start();
    }
    stop = true;
    await Promise.all(phones);
    // let the last instance deliver everything, then stop it gracefully
    const want = confirmed.size;
    for (let i = 0; i < 400; i++) {
      const notified = new Set(sink.pushes.map((p) => p.pdu.contentLocation));
      if (notified.size >= want) break;
      await new Promise((r) => setTimeout(r, 25));
    }

    // every confirmed message: one Message-ID per transaction, retrievable by its recipient
    const byUrl = new Map<string, Push[]>();
    for (const p of sink.pushes) {
      const url = p.pdu.contentLocation as string;
      byUrl.set(url, [...(byUrl.get(url) ?? []), p]);
    }
    const retrieved = new Map<string, string>(); // Message-ID -> body text
    for (const [url, list] of byUrl) {
      // one notification transaction per delivery: same push id, same TID, same bytes
      expect(new Set(list.map((p) => p.id)).size).toBe(1);
      expect(new Set(list.map((p) => p.pdu.transactionId)).size).toBe(1);
      const res = await fetch(url);
      const rc = decodeMms(Buffer.from(await res.arrayBuffer()));
      expect(rc.messageType).toBe('m-retrieve-conf');
      retrieved.set(rc.messageId as string, Buffer.from(rc.body!).toString());
    }
    for (const [key, ids] of confirmed) {
      expect(ids.size, `${key} got more than one Message-ID`).toBe(1);
      const id = [...ids][0];
      expect(retrieved.get(id), `message ${id} (${key}) was confirmed but never notified/retrievable`).toBe(sent.get(key)!.body);
    }

    child!.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
    child = null;
    closeSync(logFd);
    sink.server.close();

    // the store itself: exactly one message per (sender, transaction)
    const store = new Store({ path: join(dir, 'store'), readOnly: true });
    const perTx = new Map<string, number>();
    for (const { value: m } of store.messages.getRange()) {
      const key = `${m.sender.replace('/TYPE=PLMN', '')}/${m.senderTid}`;
      perTx.set(key, (perTx.get(key) ?? 0) + 1);
    }
    await store.close();
    for (const [key, n] of perTx) expect(n, key).toBe(1);
    for (const key of confirmed.keys()) expect(perTx.get(key), key).toBe(1);
    const duplicates = sink.pushes.length - byUrl.size;
    console.log(`${KILLS} kills, ${submitted} confirmed submissions (${confirmed.size} distinct), ${perTx.size} messages stored, ${sink.pushes.length} pushes for ${byUrl.size} deliveries (${duplicates} repeated after a kill)`);
    expect(confirmed.size).toBeGreaterThan(KILLS);
  }, 120_000);
});
