// The pool's durable queue and how it cuts a push: the byte budget of one SMS (133 octets of
// push with the 16-bit WAP ports), concatenation beyond it, resuming a job with the segments
// not yet confirmed, and starting over with a new reference on another modem.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JobBook, cutPush } from '../../src/bearer/pool/jobs.js';
import { decodeSms, PUSH_SINGLE_SMS_BUDGET, type SmsSubmitTpdu } from '../../src/codec/sms/index.js';
import { Store } from '../../src/store/store.js';
import { job, notificationPush } from '../support/pool-lab.js';

function tpdus(pdus: { hex: string; length: number }[]): SmsSubmitTpdu[] {
  return pdus.map((p) => {
    const m = decodeSms(Uint8Array.from(Buffer.from(p.hex, 'hex')), { direction: 'MO' });
    expect(m.sca).toBeNull(); // 00: the SIM's own SMSC
    expect(p.length).toBe(p.hex.length / 2 - 1);
    return m.tpdu as SmsSubmitTpdu;
  });
}

describe('cutting a push into SMS', () => {
  it('carries 133 octets of push in one SMS: 7 octets of port header + 133 = 140 octets of user data', () => {
    expect(PUSH_SINGLE_SMS_BUDGET).toBe(133);
    const push = notificationPush('T-one', 133);
    const [t, ...rest] = tpdus(cutPush(push, '+4790000001', 7, true));
    expect(rest).toEqual([]);
    expect(t.udh).toMatchObject({ ports: { dest: 2948, src: 9200, bits: 16 }, concat: null });
    expect(t.udh!.ies).toHaveLength(1);
    expect(t.data!.length).toBe(133);
    expect(Buffer.from(t.data!).equals(Buffer.from(push))).toBe(true);
    expect(t).toMatchObject({ statusReportRequest: true, destination: { ton: 'international', number: '4790000001' }, dcs: { alphabet: '8bit' } });
  });

  it('needs two SMS for 134 octets: 128 + 6 with a concatenation header (5 octets more)', () => {
    const push = notificationPush('T-two', 134);
    const parts = tpdus(cutPush(push, '+4790000001', 0x42, false));
    expect(parts).toHaveLength(2);
    expect(parts.map((p) => p.data!.length)).toEqual([128, 6]);
    parts.forEach((p, i) => {
      expect(p.udh).toMatchObject({ ports: { dest: 2948, src: 9200 }, concat: { ref: 0x42, total: 2, seq: i + 1, refBits: 8 } });
      expect(p.statusReportRequest).toBe(false);
    });
    expect(Buffer.concat(parts.map((p) => Buffer.from(p.data!))).equals(Buffer.from(push))).toBe(true);
  });
});

describe('JobBook', () => {
  let dir: string;
  let store: Store;
  let now = 1_000_000;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mmsc-jobs-'));
    store = new Store({ path: dir, mapSizeMiB: 32 });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('cuts a job once; the same id and push again is the stored job, other bytes a new one', async () => {
    const book = new JobBook(store, () => now);
    const j = job('n1', '+4790000001', { size: 300 });
    const a = await book.open(j, true);
    expect(a.rec).toMatchObject({ id: 'n1', segments: 3, round: 0, state: 'queued', tries: 0, statusReport: true, reports: [null, null, null] });
    expect(a.segs.map((s) => s.state)).toEqual(['queued', 'queued', 'queued']);
    now += 10;
    const b = await book.open(j, true);
    expect(b.segs.map((s) => s.hex)).toEqual(a.segs.map((s) => s.hex));
    expect(b.rec.touchedAt).toBe(now);
    const c = await book.open({ ...j, push: notificationPush('other', 100) }, true);
    expect(c.rec.segments).toBe(1);
    expect(c.rec.pushHash).not.toBe(a.rec.pushHash);
    expect(book.segments('n1')).toHaveLength(1);
  });

  it('gives consecutive long pushes different concatenation references', async () => {
    const book = new JobBook(store, () => now);
    const refs = [];
    for (let i = 0; i < 5; i++) refs.push((await book.open(job(`r${i}`, '+4790000001', { size: 200 }), false)).rec.ref);
    expect(new Set(refs).size).toBe(5);
  });

  it('keeps confirmed segments: a job opened again resumes with the rest; another modem starts it over', async () => {
    const book = new JobBook(store, () => now);
    const j = job('n2', '+4790000002', { size: 300 });
    const { rec } = await book.open(j, true);
    await book.confirm(rec, 0, '350000000000001', 17, now);
    await book.unknown(rec, 1);
    const again = await book.open(j, true);
    expect(again.rec.modem).toBe('350000000000001');
    expect(again.segs.map((s) => s.state)).toEqual(['confirmed', 'unknown', 'queued']);
    expect(again.segs[0]).toMatchObject({ mr: 17, modem: '350000000000001', sentAt: now });
    expect(book.receipts(again.segs)[0]).toEqual({ reference: 17, via: '350000000000001' });
    // the status report record for the confirmed one
    expect([...store.poolSent.getRange()].map((e) => e.key)).toEqual([['350000000000001', 17, '4790000002', now]]);
    const moved = await book.restart(again.rec, j.push);
    expect(moved.rec).toMatchObject({ round: 1, modem: null, reports: [null, null, null] });
    expect(moved.rec.ref).not.toBe(rec.ref);
    expect(moved.segs.map((s) => s.state)).toEqual(['queued', 'queued', 'queued']);
    expect(tpdus(moved.segs)[0].udh?.concat?.ref).toBe(moved.rec.ref);
    // a late +CMGS answer of the old round changes nothing
    await book.confirm(rec, 1, '350000000000001', 18, now);
    expect(book.segments('n2')[1].state).toBe('queued');
    // the last confirmation marks the job sent, in the same commit
    for (const seq of [0, 1]) await book.confirm(moved.rec, seq, '350000000000002', 30 + seq, now);
    expect(store.poolJobs.get('n2')?.state).toBe('queued');
    await book.confirm(moved.rec, 2, '350000000000002', 32, now + 1);
    expect(store.poolJobs.get('n2')).toMatchObject({ state: 'sent', finishedAt: now + 1, modem: '350000000000002' });
  });

  it('forgets jobs nobody asked about, and finished ones after the report window', async () => {
    const book = new JobBook(store, () => now);
    const a = await book.open(job('old', '+4790000003'), false);
    const b = await book.open(job('done', '+4790000003'), false);
    await book.open(job('fresh', '+4790000003'), false);
    await book.finish(b.rec, 'sent');
    now += 5_000;
    await book.open(job('fresh', '+4790000003'), false);
    expect(await book.sweep(4_000, 1_000_000)).toBe(2); // 'old' idle, 'done' idle too
    expect(store.poolJobs.get(a.rec.id)).toBeUndefined();
    expect(book.segments('old')).toEqual([]);
    expect(store.poolJobs.get('fresh')).toBeDefined();
  });
});
