// Benchmark radio process: a virtual SMSC and N virtual modems (generic dialect) on socat ptys,
// with a virtual phone for every number pushed to. Kept out of the MMSC's process so that the
// MMSC's CPU time is its own. Prints "READY <json>" with each modem's port and IMEI; then
// answers "report" on stdin with every SMS the network accepted (modem, time), and "quit".
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { SimulatedRadio } from '../../src/bearer/simulator/radio.js';
import type { SubmissionRecord } from '../../src/bearer/simulator/index.js';

const modems = Number(process.argv[2]);
const airTimeMs = Number(process.argv[3]);
const dir = mkdtempSync(join(tmpdir(), 'mmsc-bench-radio-'));
const radio = await SimulatedRadio.start({ modems, airTimeMs, transport: 'pty', dir, agents: null, logger: pino({ level: 'silent' }) });
const accepted: { from: string; at: number }[] = [];
radio.network.on('submit', (r: SubmissionRecord) => accepted.push({ from: r.from, at: r.at.getTime() }));
process.stdout.write(`READY ${JSON.stringify(radio.modems.map((m) => ({ port: m.port.path, imei: m.virtual.imei, msisdn: m.virtual.msisdn })))}\n`);
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'report') process.stdout.write(`REPORT ${JSON.stringify({ accepted, delivered: radio.network.deliveries.length })}\n`);
  if (line === 'quit') break;
}
await radio.close();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
