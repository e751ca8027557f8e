// The SMPP bearer across restarts: it runs in its own process on a real LMDB store and is
// SIGKILLed at chosen moments, against npm smpp's server scripted as the SMSC on 127.0.0.1.
// Counted at the SMSC: a segment it accepted before the kill is never submitted again (the
// half-sent push is resumed under the same concatenation reference, a push it took whole is
// reported sent without a new submit_sm), and a receipt that comes after the restart still
// finds its push, with the states of its segments recorded before the kill.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SmppBearer, storeJournal } from '../../src/bearer/smpp/index.js';
import { Store } from '../../src/store/store.js';
import { startChild, type ChildRun } from '../support/child.js';
import { pushOf } from '../support/smpp-child.js';
import { ScriptedSmsc, concatOf, receiptText, type Submitted } from '../support/smpp-smsc.js';

const CHILD = join(import.meta.dirname, '../support/smpp-child.ts');

let smsc: ScriptedSmsc;
let dir: string;
const children: ChildProcess[] = [];
beforeEach(async () => {
  smsc = await ScriptedSmsc.start({ systemId: 'mmsc1', password: 'secret' });
  dir = mkdtempSync(join(tmpdir(), 'mmsc-smpp-restart-'));
});
afterEach(async () => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
  await smsc.close();
  rmSync(dir, { recursive: true, force: true });
});

function start(jobs: { id: string; size: number; statusReport: boolean }[], linger = false): ChildRun {
  const run = startChild(CHILD, { store: join(dir, 'store'), port: smsc.port, jobs, linger });
  children.push(run.proc);
  return run;
}

async function kill(run: ChildRun): Promise<void> {
  run.proc.kill('SIGKILL');
  expect(await run.exited).toBeNull();
  await smsc.until(() => smsc.sessions.size === 0, 5000, 'the killed bind to close');
}

/** Segment number and concatenation reference of a submit_sm of a long push. */
const concat = (s: Submitted): { ref: number; seq: number } => concatOf(s)!;

describe('an SMPP bearer killed mid-push', () => {
  it('resumes a half-sent push after the restart without submitting an accepted segment again', async () => {
    const jobs = [{ id: 'n-half.0', size: 300, statusReport: false }]; // 3 SMS
    const first = start(jobs);
    smsc.onSubmit = () => {
      if (smsc.submits.length < 3) return { status: 0 };
      first.proc.kill('SIGKILL'); // segment 3 is in the air, unanswered
      return 'silence';
    };
    expect(await first.exited).toBeNull();
    await smsc.until(() => smsc.sessions.size === 0, 5000, 'the killed bind to close');
    expect(smsc.submits.map((s) => concat(s).seq)).toEqual([1, 2, 3]);

    smsc.onSubmit = () => ({ status: 0 });
    const second = start(jobs);
    expect(await second.exited).toBe(0);
    expect(second.out.at(-1)).toBe('DONE');
    // only the unanswered segment again, under the first run's reference
    expect(smsc.submits.map((s) => concat(s).seq)).toEqual([1, 2, 3, 3]);
    expect(new Set(smsc.submits.map((s) => concat(s).ref)).size).toBe(1);
    const accepted = [smsc.submits[0], smsc.submits[1], smsc.submits[3]];
    const sent = JSON.parse((await second.until('SENT n-half.0')).split(' ')[2]) as { reference: string }[];
    expect(sent.map((s) => s.reference)).toEqual(accepted.map((s) => s.messageId));
    expect(Buffer.concat(accepted.map((s) => s.payload))).toEqual(Buffer.from(pushOf(300)));
  });

  it('answers "sent" for a push the SMSC took whole before the kill, with no new submit_sm', async () => {
    const jobs = [{ id: 'n-whole.0', size: 200, statusReport: true }];
    const first = start(jobs, true);
    const line = await first.until('SENT n-whole.0');
    await kill(first); // before the relay could record it: its outbox hands the push again
    expect(smsc.submits).toHaveLength(2);

    const second = start(jobs);
    expect(await second.exited).toBe(0);
    expect(await second.until('SENT n-whole.0')).toBe(line);
    expect(smsc.submits).toHaveLength(2);
  });

  it('matches receipts that come after the restart, with the segment states recorded before it', async () => {
    const first = start([{ id: 'n-rcpt.0', size: 200, statusReport: true }], true); // 2 SMS
    await first.until('SENT n-rcpt.0');
    const [id1, id2] = smsc.submits.map((s) => s.messageId!);
    const resp = await smsc.deliver({ source_addr: '4790000002', esm_class: 0x04, short_message: receiptText(id1, 'DELIVRD') });
    expect(resp.command_status).toBe(0); // answered only once recorded
    expect(first.out.filter((l) => l.startsWith('REPORT'))).toEqual([]); // one segment of two
    await kill(first);

    const second = start([], true);
    await smsc.until(() => smsc.sessions.size === 1, 10_000, 'the new bind');
    await second.until('DONE');
    expect((await smsc.deliver({ source_addr: '4790000002', esm_class: 0x04, short_message: receiptText(id2, 'DELIVRD') })).command_status).toBe(0);
    const report = JSON.parse((await second.until('REPORT')).slice(7)) as { jobId: string; status: string; detail: string };
    expect(report).toMatchObject({ jobId: 'n-rcpt.0', status: 'delivered', detail: 'all 2 segments delivered' });
    await kill(second);

    // the outcome is final: the journal no longer holds the push
    const store = new Store({ path: join(dir, 'store'), mapSizeMiB: 64 });
    expect(store.smppPushes.get('n-rcpt.0')).toBeUndefined();
    await store.close();
  });
});

describe('the SMPP journal at start-up', () => {
  it('forgets a half-sent push too old to resume, and sends it whole under a new reference', async () => {
    const store = new Store({ path: join(dir, 'store'), mapSizeMiB: 64 });
    let now = Date.UTC(2026, 10, 22, 12);
    const opts = {
      host: '127.0.0.1', port: smsc.port, systemId: 'mmsc1', password: 'secret', ratePerSecond: 1000, enquireLinkMs: 60_000,
      reconnectMs: 50, responseTimeoutMs: 2000, resumeWithinMs: 600_000, journal: storeJournal(store), now: () => now,
    };
    const job = { id: 'n-old.0', kind: 'notification' as const, to: '+4790000002', push: pushOf(300), attempt: 1, statusReport: false };
    const a = new SmppBearer(opts);
    smsc.onSubmit = () => (smsc.submits.length === 2 ? { status: 0x58 } : { status: 0 }); // throttled at segment 2
    expect((await a.submit(job)).status).toBe('retry');
    await a.close();
    expect(store.smppPushes.get('n-old.0')?.ids.filter((id) => id !== null)).toHaveLength(1);

    now += 600_001;
    smsc.onSubmit = () => ({ status: 0 });
    const b = new SmppBearer(opts);
    try {
      await new Promise((r) => setTimeout(r, 50)); // the removal's commit
      expect(store.smppPushes.get('n-old.0')).toBeUndefined();
      expect((await b.submit({ ...job, attempt: 2 })).status).toBe('sent');
      const again = smsc.submits.slice(2);
      expect(again.map((s) => concat(s).seq)).toEqual([1, 2, 3]);
      expect(concat(again[0]).ref).not.toBe(concat(smsc.submits[0]).ref);
    } finally {
      await b.close();
      await store.close();
    }
  });
});
