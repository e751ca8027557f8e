// `npm run bench -- link`: the whole MMS flow over emulated 2G links against its physical
// minimum. Phone A submits a 30, 100 or 300 KB MMS over its link (bench/link/emulator.ts, a
// shaping TCP proxy in front of MM1), the relay stores it and sends the notification as WAP-push
// SMS through the simulated modem (a socat pty, the real driver; the SMS takes `airtime` on the
// air), phone B takes it off the air and fetches the message over its own link (publicUrl
// points at the emulator). Measured: seconds from A's first byte to B's last.
//
// The peer here is physics, along the critical path from A's first byte to B's last: A's
// request on A's uplink (the TCP handshake's round trip, its bytes at the rate, one crossing),
// the air time of the notification's SMS (which can start as soon as the request is in: A's
// m-send.conf travels back meanwhile), then B's whole exchange (handshake, request up, answer
// down: its bytes at the rates, 3 x up latency + down latency). Everything else (MM1, the
// durable commit, the relay, the modem pool, the pty, the phone) is our overhead; the goal is
// at most 1.2x. TCP/IP header bytes are not emulated (the rates are payload rates).
//
// Medians of BENCH_RUNS runs (default 3); BENCH_AIRTIME_MS (default 1000),
// BENCH_LINK_SIZES (KB, default 30,100,300), BENCH_LINK_PROFILES (default GPRS,EDGE).
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { decodeMms, encodeMms } from '../src/codec/mms/index.js';
import { freePort, median, productionNodeFlags, table } from './lib.js';
import { LinkEmulator, type LinkConnection, type LinkProfile } from './link/emulator.js';
import { partsDiffer, photoMms } from './link/mms.js';
import { exchange } from './link/phone.js';
import { EDGE, GPRS } from './link/profiles.js';

const HERE = import.meta.dirname;
const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const node = (file: string) => (EXT === '.ts' ? [join(HERE, '../node_modules/tsx/dist/cli.mjs'), join(HERE, `link/${file}.ts`)] : [join(HERE, `link/${file}.js`)]);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const AIR = Number(process.env.BENCH_AIRTIME_MS ?? 1000);
const SIZES = (process.env.BENCH_LINK_SIZES ?? '30,100,300').split(',').map((s) => Number(s) * 1000);
const PROFILES = [GPRS, EDGE].filter((p) => (process.env.BENCH_LINK_PROFILES ?? 'GPRS,EDGE').split(',').includes(p.name));
const MMS_TYPE = 'application/vnd.wap.mms-message';
const A = '+4797000001';

interface Run { total: number; minimum: number; submit: number; submitMin: number; notified: number; notifiedMin: number; fetch: number; fetchMin: number }

/** The least time for a request to arrive over a new connection: handshake, its bytes, one crossing. */
function requestMinimum(c: LinkConnection): number {
  return 3 * (c.profile.up.latencyMs ?? 0) + (c.up / c.profile.up.rate) * 1000;
}

/** The least time one whole exchange can take: the request, then the answer's bytes and crossing. */
function exchangeMinimum(c: LinkConnection): number {
  return requestMinimum(c) + (c.profile.down.latencyMs ?? 0) + (c.down / c.profile.down.rate) * 1000;
}

/** The MMSC process's lines: notifications by recipient, READY and REPORT by prefix. */
class ChildLines {
  private readonly notified = new Map<string, { url: string; sms: number }>();
  private readonly waiting = new Map<string, (line: string) => void>();

  constructor(child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (l) => {
      const space = l.indexOf(' ');
      let key = space < 0 ? l : l.slice(0, space);
      const body = space < 0 ? '' : l.slice(space + 1);
      if (key === 'NOTIFIED') {
        const n = JSON.parse(body) as { to: string; url: string; sms: number };
        this.notified.set(n.to, n);
        key = `NOTIFIED ${n.to}`;
      }
      const w = this.waiting.get(key);
      this.waiting.delete(key);
      w?.(body);
    });
    child.once('exit', () => {
      for (const w of this.waiting.values()) w('');
    });
  }

  /** The next line with this prefix (a notification: the one for `to`, even if it came already). */
  next(prefix: string): Promise<string> {
    if (prefix.startsWith('NOTIFIED ')) {
      const n = this.notified.get(prefix.slice(9));
      if (n) return Promise.resolve(JSON.stringify(n));
    }
    return new Promise((resolve, reject) => this.waiting.set(prefix, (l) => (l ? resolve(l) : reject(new Error(`the MMSC process ended before "${prefix}"`)))));
  }

  async notification(to: string): Promise<{ url: string; sms: number }> {
    return JSON.parse(await this.next(`NOTIFIED ${to}`)) as { url: string; sms: number };
  }
}

async function runOnce(link: LinkEmulator, lines: ChildLines, profile: LinkProfile, size: number, to: string, tid: string): Promise<Run> {
  link.profile = profile;
  const first = link.connections.length;
  const sent = photoMms(tid, to, size);
  const t0 = performance.now();
  const up = await exchange(`${link.url}/mms`, { method: 'POST', headers: { 'Content-Type': MMS_TYPE, 'X-WAP-Network-Client-MSISDN': A }, body: encodeMms(sent) });
  const conf = decodeMms(up.body);
  if (up.status !== 200 || conf.responseStatus !== 'Ok') throw new Error(`${profile.name} ${size}: m-send.conf ${up.status} ${String(conf.responseStatus)}`);
  const n = await lines.notification(to);
  const tn = performance.now();
  const down = await exchange(n.url, { method: 'GET', headers: { 'X-WAP-Network-Client-MSISDN': to } });
  const t1 = performance.now();
  const differ = partsDiffer(sent, decodeMms(down.body));
  if (differ) throw new Error(`${profile.name} ${size}: ${differ}`);
  const [submitted, fetched] = link.connections.slice(first);
  // confirm as a phone does (not timed: the message is on the phone already)
  await exchange(`${link.url}/mms`, { method: 'POST', headers: { 'Content-Type': MMS_TYPE, 'X-WAP-Network-Client-MSISDN': to }, body: encodeMms({ messageType: 'm-notifyresp-ind', transactionId: tid, mmsVersion: '1.2', status: 'Retrieved' }) });
  const notifiedMin = requestMinimum(submitted) + n.sms * AIR;
  const fetchMin = exchangeMinimum(fetched);
  return { total: t1 - t0, minimum: notifiedMin + fetchMin, submit: up.done - t0, submitMin: exchangeMinimum(submitted), notified: tn - t0, notifiedMin, fetch: t1 - tn, fetchMin };
}

export async function main(): Promise<void> {
  const rate = (p: LinkProfile) => `${p.up.rate / 1000} / ${p.down.rate / 1000} KB/s, ${(p.up.latencyMs ?? 0) + (p.down.latencyMs ?? 0)} ms RTT`;
  console.log(`links: ${PROFILES.map((p) => `${p.name} ${rate(p)}`).join('; ')} (up / down, KB = 1000 bytes)`);
  console.log(`SMS air time ${AIR} ms; sizes ${SIZES.map((s) => s / 1000).join(', ')} KB; median of ${RUNS} runs`);
  console.log('(BENCH_RUNS, BENCH_AIRTIME_MS, BENCH_LINK_SIZES, BENCH_LINK_PROFILES)');
  const port = await freePort();
  const link = await LinkEmulator.start({ port }, PROFILES[0]);
  const recipients = Array.from({ length: RUNS * PROFILES.length * SIZES.length }, (_, i) => `+47970${String(10000 + i)}`);
  const child = spawn(process.execPath, [...productionNodeFlags(), ...node('mmsc'), JSON.stringify({ port, publicUrl: link.url, airTimeMs: AIR, recipients })], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = new ChildLines(child);
  const ready = JSON.parse(await lines.next('READY')) as { transport: string };
  console.log(`MMSC process: production node flags (${productionNodeFlags().join(' ')}), modem on ${ready.transport === 'pty' ? 'a socat pty' : 'an in-process port (no socat)'}`);
  const runs = new Map<string, Run[]>();
  let k = 0;
  try {
    for (let r = 0; r < RUNS; r++) {
      for (const p of PROFILES) {
        for (const size of SIZES) {
          const key = `${p.name} ${size}`;
          const run = await runOnce(link, lines, p, size, recipients[k], `link${k}`);
          runs.set(key, [...(runs.get(key) ?? []), run]);
          console.log(`  run ${r + 1}/${RUNS} ${p.name} ${size / 1000} KB: ${(run.total / 1000).toFixed(1)} s, ${(run.total / run.minimum).toFixed(3)}x the minimum`);
          k++;
        }
      }
    }
    const report = lines.next('REPORT');
    child.stdin!.write('report\n');
    const mem = JSON.parse(await report) as { maxRssKiB: number; rssKiB: number; anonKiB: number; lmdbKiB: number; messages: number };
    const s = (ms: number) => (ms / 1000).toFixed(1);
    const rows: (string | number)[][] = [['link', 'MMS', 'end to end s', 'physical minimum s', 'ratio', 'A submitted s (min)', 'B notified s (min)', 'B fetched s (min)']];
    for (const p of PROFILES) {
      for (const size of SIZES) {
        const rs = runs.get(`${p.name} ${size}`)!;
        const med = (f: (x: Run) => number) => median(rs.map(f));
        rows.push([p.name, `${size / 1000} KB`, s(med((x) => x.total)), s(med((x) => x.minimum)), `${med((x) => x.total / x.minimum).toFixed(3)}x`,
          `${s(med((x) => x.submit))} (${s(med((x) => x.submitMin))})`, `${s(med((x) => x.notified))} (${s(med((x) => x.notifiedMin))})`, `${s(med((x) => x.fetch))} (${s(med((x) => x.fetchMin))})`]);
      }
    }
    table('the whole flow over emulated 2G links against the physical minimum (goal: at most 1.2x)', rows);
    console.log('\nend to end: from A\'s first byte of the m-send.req to B\'s last byte of the m-retrieve.conf (B confirms after, untimed).');
    console.log('physical minimum: A\'s request (TCP handshake, its bytes at the uplink rate, one crossing), the notification\'s SMS x air time,');
    console.log('then B\'s exchange (handshake, request up, answer down, at the rates). A submitted: A has its m-send.conf; B notified:');
    console.log('B holds the notification (both from A\'s first byte); B fetched: the GET alone. Minima in brackets.');
    console.log(`\nMMSC process (with the simulated radio in it): peak RSS ${(mem.maxRssKiB / 1024).toFixed(0)} MiB; at the end ${(mem.rssKiB / 1024).toFixed(0)} MiB = LMDB map ${(mem.lmdbKiB / 1024).toFixed(0)} + private ${(mem.anonKiB / 1024).toFixed(0)} + node/libs ${((mem.rssKiB - mem.anonKiB - mem.lmdbKiB) / 1024).toFixed(0)}; ${mem.messages} messages stored.`);
  } finally {
    child.stdin!.write('quit\n');
    await new Promise((r) => child.once('exit', r));
    await link.close();
  }
}
