// Graceful shutdown of the real `mmsc serve` process: on SIGTERM it stops accepting, answers
// the request in flight, and exits 0 with LMDB closed; the stored message is then visible
// through `mmsc messages list|show`.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeMms, encodeMms } from '../../src/codec/mms/index.js';
import { freePort, MMS_TYPE } from '../support/mmsc.js';

const CLI = join(import.meta.dirname, '../../bin/mmsc.js');

describe('mmsc serve: graceful shutdown', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmsc-shutdown-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finishes the request in flight after SIGTERM, refuses new ones, exits 0', async () => {
    const port = await freePort();
    const cfg = join(dir, 'mmsc.yaml');
    writeFileSync(cfg, `mmsc: { publicUrl: "http://127.0.0.1:${port}" }\nstore: { path: "${join(dir, 'store')}" }\nmm1: { port: ${port} }\nlog: { level: info }\n`);
    const child = spawn(process.execPath, [CLI, 'serve', '--config', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr.on('data', (c: Buffer) => (log += c.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    for (let i = 0; i < 200 && !log.includes('MMSC started'); i++) await new Promise((r) => setTimeout(r, 25));
    expect(log).toContain('MMSC started');

    const pdu = Buffer.from(encodeMms({
      messageType: 'm-send-req', transactionId: 'sd-1', mmsVersion: '1.2', from: { insertAddress: true }, to: ['+4796000002/TYPE=PLMN'],
      contentType: { type: 'text/plain' }, body: new Uint8Array(50_000).fill(0x41),
    }));
    const answer = new Promise<Buffer>((resolve, reject) => {
      const req = request(`http://127.0.0.1:${port}/mms`, { method: 'POST', headers: { 'Content-Type': MMS_TYPE, 'Content-Length': pdu.length, 'X-WAP-Network-Client-MSISDN': '+4796000001' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks)));
      });
      req.on('error', reject);
      req.write(pdu.subarray(0, 20_000)); // half the message is on its way...
      setTimeout(() => {
        child.kill('SIGTERM'); // ...when the operator stops the service
        setTimeout(() => req.end(pdu.subarray(20_000)), 300);
      }, 200);
    });
    await new Promise((r) => setTimeout(r, 350));
    await expect(fetch(`http://127.0.0.1:${port}/mms`, { method: 'POST' })).rejects.toThrow(); // no longer accepting
    const conf = decodeMms(await answer);
    expect(conf).toMatchObject({ messageType: 'm-send-conf', transactionId: 'sd-1', responseStatus: 'Ok' });
    expect(await exited).toBe(0);
    expect(log).toMatch(/"signal":"SIGTERM".*stopping/);
    expect(log).toContain('MMSC stopped');

    const list = execFileSync(process.execPath, [CLI, 'messages', 'list', '--config', cfg], { encoding: 'utf8' });
    expect(list).toContain(conf.messageId as string);
    expect(list).toMatch(/ \+4796000001 .*\+4796000002:(accepted|notified)/);
    const show = JSON.parse(execFileSync(process.execPath, [CLI, 'messages', 'show', conf.messageId as string, '--config', cfg], { encoding: 'utf8' }));
    expect(show).toMatchObject({ id: conf.messageId, sender: '+4796000001/TYPE=PLMN', deliveries: [{ recipient: '+4796000002/TYPE=PLMN' }] });
  }, 30_000);
});
