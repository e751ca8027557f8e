// `npm run bench -- bearer`: the modem pool against the physical limit of its modems. N
// simulated modems (N = 1, 2, 4) each take `airtime` per SMS on the air (the +CMGS answer waits
// that long), so N modems can send at most N x 60 / airtime SMS a minute. The relay is handed
// N x 16 notifications (one SMS each) and the pool sends them through the real driver over
// socat ptys (serialport); the radio runs in its own process, the MMSC in another (once with
// the relay notifying stored messages, once with the pool alone). Reported:
// notifications per minute as the network accepted them, against that ideal (the goal: at
// least 95 %, every modem kept busy), and the MMSC process's CPU milliseconds per SMS sent
// (after the first 4 per modem: JIT warm-up). Medians of BENCH_RUNS runs (default 3);
// BENCH_AIRTIME_MS (default 1000), BENCH_SMS_PER_MODEM (16), BENCH_WARMUP_PER_MODEM (4),
// BENCH_CONCURRENCY (jobs in flight per modem; default: every job at once).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { median, table } from './lib.js';

const HERE = import.meta.dirname;
const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const node = (file: string) => (EXT === '.ts' ? ['--import', 'tsx', join(HERE, `bearer/${file}.ts`)] : [join(HERE, `bearer/${file}.js`)]);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const AIR = Number(process.env.BENCH_AIRTIME_MS ?? 1000);
const PER = Number(process.env.BENCH_SMS_PER_MODEM ?? 16);
const WARMUP = Number(process.env.BENCH_WARMUP_PER_MODEM ?? 4);
// Jobs the relay hands the pool at once (relay.bearerConcurrency, at most 64). Default: all of
// them, so the pool's own queue feeds the modems; BENCH_CONCURRENCY=2 gives 2 x modems, as an
// operator would set it.
const CONCURRENCY = process.env.BENCH_CONCURRENCY;

interface Run { perMinute: number; ideal: number; ratio: number; cpuPerSms: number; busy: number[] }

function concurrency(n: number, count: number): number {
  return Math.min(64, CONCURRENCY ? Number(CONCURRENCY) * n : count);
}

function lines(child: ChildProcess): AsyncIterator<string> {
  const rl: Interface = createInterface({ input: child.stdout! });
  return rl[Symbol.asyncIterator]();
}

async function expectLine(it: AsyncIterator<string>, prefix: string): Promise<string> {
  for (;;) {
    const { value, done } = await it.next();
    if (done) throw new Error(`process ended before "${prefix}"`);
    if ((value as string).startsWith(prefix)) return (value as string).slice(prefix.length + 1);
  }
}

async function runOnce(n: number, mode: 'relay' | 'pool'): Promise<Run> {
  const sim = spawn(process.execPath, [...node('sim'), String(n), String(AIR)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const simOut = lines(sim);
  const modems = JSON.parse(await expectLine(simOut, 'READY')) as { port: string; imei: string; msisdn: string }[];
  const count = n * PER;
  const mmsc = spawn(process.execPath, [...node('mmsc'), JSON.stringify({ mode, modems, count, warmup: n * WARMUP, concurrency: concurrency(n, count) })], { stdio: ['ignore', 'pipe', 'inherit'] });
  const r = JSON.parse(await expectLine(lines(mmsc), 'RESULT')) as { t0: number; t1: number; sent: number; measured: number; cpuMs: number };
  await new Promise((res) => mmsc.once('exit', res));
  sim.stdin!.write('report\n');
  const rep = JSON.parse(await expectLine(simOut, 'REPORT')) as { accepted: { from: string; at: number }[] };
  sim.stdin!.write('quit\n');
  await new Promise((res) => sim.once('exit', res));
  const times = rep.accepted.map((a) => a.at).sort((a, b) => a - b);
  if (times.length !== count) throw new Error(`the network accepted ${times.length} SMS, ${count} were sent`);
  // Steady state: from the first SMS accepted to the last, n of them completed in the first air time.
  const perMinute = ((count - n) / (times[times.length - 1] - times[0])) * 60_000;
  const ideal = (n * 60_000) / AIR;
  // Each modem's share of the time it was busy: SMS it sent x air time / span of the run.
  const span = times[times.length - 1] - r.t0;
  const busy = modems.map((m) => (rep.accepted.filter((a) => a.from === m.msisdn).length * AIR) / span);
  return { perMinute, ideal, ratio: perMinute / ideal, cpuPerSms: r.cpuMs / r.measured, busy };
}

export async function main(): Promise<void> {
  const conc = CONCURRENCY ? `${CONCURRENCY} x modems` : 'every job at once (the pool queues them)';
  console.log(`air time ${AIR} ms per SMS, ${PER} notifications per modem, relay concurrency ${conc}, median of ${RUNS} runs`);
  console.log('(BENCH_RUNS, BENCH_AIRTIME_MS, BENCH_SMS_PER_MODEM, BENCH_WARMUP_PER_MODEM, BENCH_CONCURRENCY)');
  const rows: (string | number)[][] = [['modems', 'path', 'ideal SMS/min', 'notifications/min', 'of the ideal', 'busiest / idlest modem busy', 'CPU ms per SMS']];
  for (const n of [1, 2, 4]) {
    for (const mode of ['relay', 'pool'] as const) {
      const runs: Run[] = [];
      for (let i = 0; i < RUNS; i++) runs.push(await runOnce(n, mode));
      const med = (f: (r: Run) => number) => median(runs.map(f));
      rows.push([
        String(n), mode === 'relay' ? 'relay + pool' : 'pool alone', med((r) => r.ideal).toFixed(1), med((r) => r.perMinute).toFixed(1), `${(med((r) => r.ratio) * 100).toFixed(1)} %`,
        `${(med((r) => Math.max(...r.busy)) * 100).toFixed(0)} % / ${(med((r) => Math.min(...r.busy)) * 100).toFixed(0)} %`, med((r) => r.cpuPerSms).toFixed(2),
      ]);
    }
  }
  table('notifications through the modem pool against N x 60 / air time', rows);
  console.log('\nnotifications/min: SMS the virtual SMSC accepted, first to last (steady state); busy: SMS x air time / time from the relay start to the last SMS.');
  console.log(`CPU: user + system time of the MMSC process while sending, divided by the SMS sent, after the first ${WARMUP} per modem (JIT warm-up).`);
  console.log('"relay + pool": the relay notifies stored messages (outbox, LMDB commits, status-report notes) through the pool;');
  console.log('"pool alone": the pool is handed the pushes directly (job queue, +CMGS records, driver, serialport, status reports).');
}
