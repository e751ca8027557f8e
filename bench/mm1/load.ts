// Load generator process: N concurrent phones POST distinct m-send.req PDUs of a given size
// over keep-alive connections; prints JSON with the count and latencies of the measured window.
import { Agent, request } from 'node:http';
import { encodeMms } from '../../src/codec/mms/index.js';

const [url, sizeArg, concArg, warmArg, measureArg] = process.argv.slice(2);
const size = Number(sizeArg);
const concurrency = Number(concArg);
const warmMs = Number(warmArg);
const measureMs = Number(measureArg);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const payload = new Uint8Array(size);
for (let i = 0; i < size; i++) payload[i] = (i * 31 + 7) & 0xff;

function pdu(client: number, seq: number): Buffer {
  return Buffer.from(encodeMms({
    messageType: 'm-send-req', transactionId: `b${client}-${seq}`, mmsVersion: '1.2', from: { insertAddress: true },
    to: [`+479${String(5000000 + ((client * 7919 + seq) % 1000)).padStart(7, '0')}/TYPE=PLMN`],
    subject: 'bench', contentType: { type: 'application/vnd.wap.multipart.mixed' },
    parts: [{ contentType: { type: 'image/jpeg' }, contentLocation: 'image.jpg', data: payload }],
  }));
}

function post(body: Buffer, msisdn: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers: { 'Content-Type': 'application/vnd.wap.mms-message', 'Content-Length': body.length, 'X-WAP-Network-Client-MSISDN': msisdn } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const t0 = performance.now();
const start = t0 + warmMs;
const end = start + measureMs;
const latencies: number[] = [];
let errors = 0;
await Promise.all(
  Array.from({ length: concurrency }, async (_, c) => {
    for (let seq = 0; performance.now() < end; seq++) {
      const body = pdu(c, seq);
      const a = performance.now();
      const status = await post(body, `+4794${String(c).padStart(6, '0')}`);
      const b = performance.now();
      if (status !== 200) errors++;
      if (a >= start && b <= end) latencies.push(b - a);
    }
  }),
);
latencies.sort((x, y) => x - y);
const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? NaN;
process.stdout.write(`${JSON.stringify({ count: latencies.length, perSec: latencies.length / (measureMs / 1000), p50: q(0.5), p99: q(0.99), errors })}\n`);
agent.destroy();
