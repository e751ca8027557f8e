// A full disk must not kill the box. The MMSC (the real `mmsc serve`, in a child process) keeps
// its store on a small tmpfs of its own (test/support/small-disk.ts); phones submit while the
// disk fills. Checked: every submission in flight is answered with an m-send.conf (Ok or
// Error-transient-failure, never a reset), the server lives on, messages accepted before are
// still notified and fetched; killed and started again on the still-full disk it starts
// degraded and refuses new messages; when space returns it accepts again by itself; and every
// message that got Ok is retrievable with byte-identical parts.
import { writeFileSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diagnose } from '../../src/cli/doctor.js';
import { decodeMms, encodeMms, type MmsPdu } from '../../src/codec/mms/index.js';
import { parseAddress, segmentText } from '../../src/codec/sms/index.js';
import type { IncomingSms, SubmitOutcome } from '../../src/relay/bearer.js';
import { freePort, MMS_TYPE } from '../support/mmsc.js';
import { job, PoolLab, until } from '../support/pool-lab.js';
import { FAST } from '../support/pty.js';
import { pushSink, serveChild, type ServeChild } from '../support/serve-child.js';
import { smallDisk, type SmallDisk } from '../support/small-disk.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const textOf = (s: MmsPdu['subject']): string | undefined => (s === undefined ? undefined : typeof s === 'string' ? s : s.text);

interface Sent {
  tid: string;
  parts: Uint8Array[];
  messageId?: string;
}

/** An m-send.req with a text part and a binary part (deterministic bytes, distinct per message). */
function message(tid: string, to: string, size: number, extra: Partial<MmsPdu> = {}): { pdu: Uint8Array; parts: Uint8Array[] } {
  const text = new TextEncoder().encode(`message ${tid}`);
  const bin = new Uint8Array(size);
  for (let i = 0; i < size; i++) bin[i] = (i * 31 + tid.length * 7 + tid.charCodeAt(tid.length - 1)) & 0xff;
  const pdu = encodeMms({
    messageType: 'm-send-req', transactionId: tid, mmsVersion: '1.2', from: { insertAddress: true }, to: [`${to}/TYPE=PLMN`],
    subject: tid, // in the notification too (relay.notifySubject): which message it is
    contentType: { type: 'application/vnd.wap.multipart.mixed' },
    parts: [{ contentType: { type: 'text/plain', params: { charset: 'utf-8' } }, data: text }, { contentType: { type: 'application/octet-stream' }, data: bin }],
    ...extra,
  });
  return { pdu, parts: [text, bin] };
}

describe('a full disk', () => {
  let disk: SmallDisk | null = null;
  let child: ServeChild | null = null;
  const host = mkdtempSync(join(tmpdir(), 'mmsc-full-'));
  afterAll(async () => {
    await child?.kill();
    disk?.close();
    rmSync(host, { recursive: true, force: true });
  });

  it('refuses new messages, keeps delivering the stored ones, survives a restart, and resumes by itself', async () => {
    disk = await smallDisk(40);
    const sink = await pushSink();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const storePath = join(disk.path, 'store');
    const cfg = join(host, 'mmsc.yaml');
    writeFileSync(cfg, [
      `mmsc: { publicUrl: "${base}" }`,
      `store: { path: "${storePath}", reserveMiB: 4 }`,
      `mm1: { port: ${port} }`,
      `bearer: { kind: loopback, loopback: { url: "${sink.url}" } }`,
      `relay: { outboxRetry: { first: 1s, max: 2s }, notifySubject: true }`,
      'log: { level: info }',
    ].join('\n'));

    const post = async (msisdn: string, pdu: Uint8Array): Promise<MmsPdu> => {
      const res = await fetch(`${base}/mms`, { method: 'POST', headers: { 'Content-Type': MMS_TYPE, 'X-WAP-Network-Client-MSISDN': msisdn }, body: Buffer.from(pdu) });
      expect(res.status).toBe(200);
      return decodeMms(Buffer.from(await res.arrayBuffer()));
    };
    const fetchParts = async (url: string): Promise<{ messageId: string; parts: Uint8Array[] }> => {
      const res = await fetch(url, { headers: { 'X-WAP-Network-Client-MSISDN': '+4790000002' } });
      const rc = decodeMms(Buffer.from(await res.arrayBuffer()));
      expect(rc.messageType, `GET ${url}: ${String(rc.responseText ?? rc.retrieveText ?? '')}`).toBe('m-retrieve-conf');
      return { messageId: rc.messageId as string, parts: (rc.parts ?? []).map((p) => p.data ?? new Uint8Array(0)) };
    };
    /** The retrieval URL of a message, from its notification (the Subject is its Transaction-ID). */
    const urlOf = async (tid: string, timeoutMs = 15_000): Promise<string> => {
      for (const end = Date.now() + timeoutMs; Date.now() < end; await sleep(50)) {
        const p = sink.pushes.find((x) => x.pdu.messageType === 'm-notification-ind' && textOf(x.pdu.subject) === tid);
        if (p) return String(p.pdu.contentLocation);
      }
      throw new Error(`no notification for ${tid}`);
    };
    const retrieved = async (s: Sent): Promise<void> => {
      const got = await fetchParts(await urlOf(s.tid));
      expect(got.messageId, s.tid).toBe(s.messageId);
      expect(got.parts.length, s.tid).toBe(s.parts.length);
      got.parts.forEach((b, i) => expect(Buffer.from(b).equals(s.parts[i]), `message ${s.tid}, part ${i}: byte-identical`).toBe(true));
    };
    const confirmed: Sent[] = [];

    child = await serveChild(cfg);
    expect(child.lines.find((l) => /^store maps: records \d+ MiB \+ payloads \d+ MiB/.test(l.msg))).toBeDefined();
    await child.until(/^store: accepting messages/);

    // --- accepted on a healthy disk: A1's notification is refused by the network for now, A2 is due in 4 s
    sink.refusing = true;
    const a1 = message('a1', '+4790000002', 60_000);
    const a1r = await post('+4790000001', a1.pdu);
    expect(a1r).toMatchObject({ responseStatus: 'Ok' });
    confirmed.push({ tid: 'a1', parts: a1.parts, messageId: a1r.messageId as string });
    const a2 = message('a2', '+4790000002', 30_000, { deliveryTime: { relative: 4 } });
    const a2r = await post('+4790000001', a2.pdu);
    expect(a2r).toMatchObject({ responseStatus: 'Ok' });
    confirmed.push({ tid: 'a2', parts: a2.parts, messageId: a2r.messageId as string });
    await child.until(/^push not sent$/);

    // --- the disk fills while phones submit
    const answers: { status: string; phase: 'before' | 'after' }[] = [];
    const resets: string[] = [];
    let filled = false;
    let stop = false;
    const phone = async (n: number) => {
      for (let seq = 0; !stop; seq++) {
        const tid = `p${n}-${seq}`;
        const m = message(tid, '+4790000002', 40_000 + n * 1000);
        const phase = filled ? 'after' : 'before';
        try {
          const conf = await post(`+479100000${n}`, m.pdu);
          answers.push({ status: String(conf.responseStatus), phase });
          if (conf.responseStatus === 'Ok') confirmed.push({ tid, parts: m.parts, messageId: conf.messageId as string });
        } catch (e) {
          resets.push(`${tid}: ${(e as Error).message}`);
          await sleep(50);
        }
      }
    };
    const phones = [1, 2, 3, 4].map((n) => phone(n));
    await sleep(300);
    const fill = disk.fill();
    filled = true;
    expect(fill).toBeGreaterThan(0);
    await sleep(1500);
    stop = true;
    await Promise.all(phones);
    expect(resets, 'connections reset: the server died').toEqual([]);
    expect(child.proc.exitCode).toBeNull();
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set(['Ok', 'Error-transient-failure']));
    expect(answers.filter((a) => a.phase === 'after' && a.status === 'Error-transient-failure').length).toBeGreaterThan(0);
    // some were in flight when their commit failed (not only refused up front)
    expect(child.lines.some((l) => /^message (payloads|records) could not be stored$/.test(l.msg))).toBe(true);
    const full = await child.until(/^store: disk full/);
    expect(full).toMatchObject({ level: 40, condition: 'store', state: 'degraded' });

    // --- what was accepted before goes on: A1 (retried by the outbox) and A2 (due now) are notified and fetched
    sink.refusing = false;
    await retrieved(confirmed[0]);
    await retrieved(confirmed[1]);

    // --- killed and started again while the disk is still full (the reserve given up is taken too)
    disk.fill('filler2');
    expect(disk.freeBytes()).toBeLessThan(64 * 1024);
    await child.kill();
    child = await serveChild(cfg);
    await child.until(/^store: disk full/);
    const refused = await post('+4790000001', message('r1', '+4790000002', 20_000).pdu);
    expect(refused).toMatchObject({ transactionId: 'r1', responseStatus: 'Error-transient-failure', responseText: 'storage full; try again later' });
    await retrieved(confirmed[1]);
    const findings = await diagnose(cfg);
    expect(findings?.find((f) => f.check === 'storage')).toMatchObject({ level: 'degraded', detail: expect.stringMatching(/^disk full: 0\.\d MiB free of 40 MiB on the store.s filesystem/) });

    // --- space returns: it resumes by itself, re-creates its reserve and takes new messages
    const mark = child.lines.length;
    disk.free('filler');
    disk.free('filler2');
    await child.until(/^store: accepting messages/, 15_000, mark);
    expect(existsSync(join(storePath, 'disk-reserve'))).toBe(true);
    const b1 = message('b1', '+4790000002', 50_000);
    const b1r = await post('+4790000001', b1.pdu);
    expect(b1r).toMatchObject({ responseStatus: 'Ok' });
    confirmed.push({ tid: 'b1', parts: b1.parts, messageId: b1r.messageId as string });
    expect((await diagnose(cfg))?.find((f) => f.check === 'storage')).toMatchObject({ level: 'ok' });

    // --- nothing that got Ok is lost: each is notified and retrievable, byte for byte
    for (const s of confirmed) await retrieved(s);
    expect(child.lines.filter((l) => /unhandled|Uncaught/i.test(l.msg))).toEqual([]);
    console.log(`${answers.length} submissions while the disk filled: ${answers.filter((a) => a.status === 'Ok').length} Ok, ${answers.filter((a) => a.status !== 'Ok').length} transient-failure; ${confirmed.length} confirmed messages all retrievable`);
    sink.server.close();
  }, 60_000);

  it('a server started on a disk that is already full comes up degraded (no crash loop) and resumes when space returns', async () => {
    const small = await smallDisk(24);
    const sink = await pushSink();
    let server: ServeChild | null = null;
    try {
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const cfg = join(host, 'restart.yaml');
      writeFileSync(cfg, [
        `mmsc: { publicUrl: "${base}" }`,
        `store: { path: "${join(small.path, 'store')}", reserveMiB: 2 }`,
        `mm1: { port: ${port} }`,
        `bearer: { kind: loopback, loopback: { url: "${sink.url}" } }`,
        `relay: { outboxRetry: { first: 1s, max: 1s }, notifySubject: true }`,
        'log: { level: info }',
      ].join('\n'));
      const post = async (tid: string) => {
        const res = await fetch(`${base}/mms`, { method: 'POST', headers: { 'Content-Type': MMS_TYPE, 'X-WAP-Network-Client-MSISDN': '+4790000001' }, body: Buffer.from(message(tid, '+4790000002', 30_000).pdu) });
        return decodeMms(Buffer.from(await res.arrayBuffer()));
      };
      // two messages whose notifications the network refuses: their retries are due at every start
      sink.refusing = true;
      server = await serveChild(cfg);
      expect(await post('s1')).toMatchObject({ responseStatus: 'Ok' });
      expect(await post('s2')).toMatchObject({ responseStatus: 'Ok' });
      await server.until(/^push not sent$/);
      await server.kill();
      small.fill();
      server = await serveChild(cfg); // on main: it dies here or in its first seconds, again and again under systemd
      await server.until(/^store: disk full/);
      await sleep(2500); // its retries come due, on the full disk
      expect(server.proc.exitCode).toBeNull();
      expect(await post('s3')).toMatchObject({ transactionId: 's3', responseStatus: 'Error-transient-failure' });
      const mark = server.lines.length;
      small.free();
      await server.until(/^store: accepting messages/, 15_000, mark);
      sink.refusing = false;
      expect(await post('s4')).toMatchObject({ responseStatus: 'Ok' });
      for (const tid of ['s1', 's2', 's4']) {
        for (const end = Date.now() + 10_000; !sink.pushes.some((p) => textOf(p.pdu.subject) === tid); await sleep(50)) if (Date.now() > end) throw new Error(`${tid} never notified`);
      }
      expect(server.proc.exitCode).toBeNull();
    } finally {
      await server?.kill();
      sink.server.close();
      small.close();
    }
  }, 40_000);

  it('the modem pool on a full disk: no crash; jobs come back as retry, a received SMS is taken once (left on the SIM while its commit fails); all go through when space returns', async () => {
    const small = await smallDisk(16);
    const lab = new PoolLab({}, { storeDir: small.path });
    try {
      const [m] = await lab.addModems(1);
      const pool = lab.pool({ timeouts: { ...FAST, poll: 300 } }); // the driver looks at the SIM every 300 ms
      const got: IncomingSms[] = [];
      pool.onIncoming(async (sms) => void got.push(sms));
      await lab.ready(pool);
      expect((await pool.submit(job('j0', '+15557400100'))).status).toBe('sent');

      small.fill();
      const outcomes: [string, SubmitOutcome][] = [];
      for (let i = 1; i <= 12; i++) outcomes.push([`j${i}`, await pool.submit(job(`j${i}`, '+15557400100', { size: 1500 }))]);
      expect(outcomes.every(([, o]) => o.status === 'sent' || o.status === 'retry')).toBe(true);
      expect(outcomes.some(([, o]) => o.status === 'retry')).toBe(true);
      // small jobs until one is refused too: LMDB's free pages are used up (a write needs new ones)
      let tiny: SubmitOutcome = { status: 'sent', segments: [] };
      for (let i = 0; tiny.status === 'sent' && i < 50; i++) outcomes.push([`t${i}`, (tiny = await pool.submit(job(`t${i}`, '+15557400100')))]);
      expect(tiny.status).toBe('retry');
      const phone = lab.phone('+15557400200');
      const [sms] = segmentText('sent while the disk was full', { destination: parseAddress(m.modem.msisdn) });
      expect((await lab.network.submit(phone, sms, 1)).ok).toBe(true);
      // a few polls of the SIM: its small commit may fail (left on the SIM) or find free pages in LMDB
      await new Promise((r) => setTimeout(r, 1000));

      small.free();
      for (const [id, o] of outcomes) {
        if (o.status === 'sent') continue;
        let again: SubmitOutcome = o;
        for (let attempt = 2; again.status === 'retry' && attempt < 10; attempt++) again = await pool.submit(job(id, '+15557400100', { size: 1500, attempt }));
        expect(again.status, id).toBe('sent');
      }
      await until(() => got.length === 1, 'the SMS taken after space returned', 10_000);
      expect(got[0]).toMatchObject({ from: phone.msisdn, text: 'sent while the disk was full' });
      await until(() => m.modem.stored('SM').length === 0, 'the SIM emptied');
    } finally {
      await lab.close();
      small.close();
    }
  }, 30_000);
});
