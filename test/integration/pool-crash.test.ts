// Restart durability of the pool's SMS queue: the pool runs in its own process (the real driver
// on the lab's ptys) and is SIGKILLed in the middle of multi-segment jobs, twice, then started
// again on the same LMDB with the same jobs (as the relay's outbox hands them again). Counted
// in the virtual network: no queued SMS is lost (every message arrives whole), and no segment
// whose +CMGS answer was recorded before a kill is sent again; at most the one segment in the
// air at each kill (written, unanswered) goes twice, which the phone's reassembly ignores.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SubmissionRecord } from '../../src/bearer/simulator/index.js';
import { Store } from '../../src/store/store.js';
import { startChild, type ChildRun } from '../support/child.js';
import { PoolLab, tidOf } from '../support/pool-lab.js';

const CHILD = join(import.meta.dirname, '../support/pool-child.ts');

let lab: PoolLab;
let child: ChildProcess | null = null;
let dir: string;
afterEach(async () => {
  child?.kill('SIGKILL');
  await lab?.close();
  rmSync(dir, { recursive: true, force: true });
});

function start(args: object): ChildRun {
  const run = startChild(CHILD, args);
  child = run.proc;
  return run;
}

/** Segments recorded as confirmed in the store, as "job/seq". */
async function confirmedIn(path: string): Promise<Set<string>> {
  const s = new Store({ path, mapSizeMiB: 64 });
  const out = new Set<string>();
  for (const { key, value } of s.poolSegments.getRange()) if (value.state === 'confirmed') out.add(`${key[0]}/${key[1]}`);
  await s.close();
  return out;
}

describe('a pool killed mid-job', () => {
  it('loses no queued SMS and sends none the modem confirmed twice', async () => {
    lab = new PoolLab({ airTimeMs: 60 });
    const [m] = await lab.addModems(1, { dialect: 'simcom' });
    const phone = lab.phone('+15557500001');
    dir = mkdtempSync(join(tmpdir(), 'mmsc-pool-crash-'));
    const storePath = join(dir, 'store');
    const jobs = Array.from({ length: 5 }, (_, i) => ({ id: `crash-${i}`, to: phone.msisdn, size: 300 })); // 3 SMS each
    const args = { store: storePath, modems: [{ port: m.port.path, imei: m.modem.imei }], jobs, concurrency: 2 };

    const kills: { at: number; confirmed: Set<string> }[] = [];
    for (const killAt of [5, 10]) {
      const run = start(args);
      // SIGKILL the moment the network accepts segment `killAt`: its +CMGS answer is on its way.
      const killer = (s: SubmissionRecord) => {
        if (lab.network.submissions.length >= killAt && s.tpdu.udh?.concat) {
          lab.network.off('submit', killer);
          run.proc.kill('SIGKILL');
        }
      };
      lab.network.on('submit', killer);
      expect(await run.exited).toBeNull(); // killed, not finished
      await lab.network.idle();
      kills.push({ at: lab.network.submissions.length, confirmed: await confirmedIn(storePath) });
    }
    const last = start(args);
    expect(await last.exited).toBe(0);
    expect(last.out.at(-1)).toBe('DONE');
    child = null;

    // every message arrived whole, once
    await phone.waitForInbox(jobs.length);
    await lab.network.idle();
    expect(phone.inbox.map(tidOf).sort()).toEqual(jobs.map((j) => j.id).sort());
    // map each network submission to its job and segment through the job's concatenation reference
    const s = new Store({ path: storePath, mapSizeMiB: 64 });
    const refOf = new Map(jobs.map((j) => [s.poolJobs.get(j.id)!.ref, j.id]));
    expect(jobs.every((j) => s.poolJobs.get(j.id)!.round === 0)).toBe(true);
    await s.close();
    const keyOf = (x: SubmissionRecord) => `${refOf.get(x.tpdu.udh!.concat!.ref)}/${x.tpdu.udh!.concat!.seq - 1}`;
    const subs = lab.network.submissions;
    for (const k of kills) {
      expect(k.confirmed.size).toBeGreaterThan(0);
      // nothing recorded as confirmed at a kill went out again afterwards
      const again = subs.slice(k.at).filter((x) => k.confirmed.has(keyOf(x)));
      expect(again.map(keyOf)).toEqual([]);
    }
    const counts = new Map<string, number>();
    for (const x of subs) counts.set(keyOf(x), (counts.get(keyOf(x)) ?? 0) + 1);
    expect(counts.size).toBe(jobs.length * 3);
    const twice = [...counts.values()].filter((n) => n > 1).length;
    expect([...counts.values()].every((n) => n <= 2)).toBe(true);
    expect(twice).toBeLessThanOrEqual(kills.length);
    console.log(`${kills.length} kills mid-job: ${subs.length} SMS for ${counts.size} segments (${twice} sent again: in the air at a kill), confirmed before the kills: ${kills.map((k) => k.confirmed.size).join(', ')}`);
  }, 60_000);
});
