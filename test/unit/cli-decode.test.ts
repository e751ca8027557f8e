// `mmsc decode` as an operator uses it: a summary by default (type, key headers, each part's
// type, name and size, text as text; an SMS's addresses and text; the MMS inside a push),
// `--extract DIR` writing the parts as files under names that cannot leave DIR, and one clear
// error for input that is no PDU of any family. The real command is run on corpus PDUs.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeAny, NotAPduError, type Decoded } from '../../src/cli/codec-commands.js';
import { summarize } from '../../src/cli/pdu-summary.js';
import { decodeMms, encodeMms, partContent, partText, type MmsPdu } from '../../src/codec/mms/index.js';
import { decodePush } from '../../src/codec/wsp/index.js';
import { corpusBytes, corpusFiles, smsVectors } from '../support/corpus.js';

const CLI = join(import.meta.dirname, '../../bin/mmsc.js');

function mmsc(args: string[], input?: Uint8Array): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('mmsc decode: the summary', () => {
  it('shows an m-retrieve-conf with its headers and each part: type, name, size, text as text', () => {
    const file = 'mms/mmsengine-retrieve-conf-beeline-multi-to-cc.mms';
    const pdu = decodeMms(corpusBytes(file));
    const r = mmsc(['decode', join(import.meta.dirname, '../corpus', file)]);
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout;
    expect(out.split('\n')[0]).toBe(`MMS m-retrieve-conf (MMS ${pdu.mmsVersion}), ${corpusBytes(file).length.toLocaleString('en-US')} B`);
    const field = (name: string) => out.split('\n').find((l) => l.startsWith(`  ${name} `))?.slice(name.length + 2).trim();
    expect(field('From')).toBe(pdu.from);
    expect(field('Message-ID')).toBe(pdu.messageId);
    expect(out).toMatch(/^ {2}To +\+79650000001\/TYPE=PLMN, \+79650000002\/TYPE=PLMN$/m);
    expect(out).toContain(`${pdu.parts!.length} parts:`);
    for (const [i, p] of pdu.parts!.entries()) {
      const name = p.contentLocation as string;
      expect(out, name).toContain(`${i + 1}. ${p.contentType.type}`);
      expect(out, name).toMatch(new RegExp(`${name.replace(/\./g, '\\.')} +${partContent(p).length.toLocaleString('en-US')} B`));
    }
    const text = pdu.parts!.find((p) => p.contentType.type === 'text/plain')!;
    for (const line of partText(text).split(/\r?\n/)) expect(out).toContain(`| ${line}`);
    expect(out).not.toContain('$hex');
  });

  it('shows a WAP push with the MMS notification it carries', () => {
    const file = 'push/mmsd-push2-mms-notification-content-length.wsp';
    const push = decodePush(corpusBytes(file));
    const inner = decodeMms(push.body);
    const out = mmsc(['decode', join(import.meta.dirname, '../corpus', file)]).stdout;
    expect(out).toMatch(/^WAP push \(push, TID \d+\)/);
    expect(out).toMatch(/Application +x-wap-application:mms\.ua/);
    expect(out).toContain('MMS m-notification-ind');
    expect(out).toContain(inner.contentLocation as string);
    expect(out).toMatch(new RegExp(`Message-Size +${inner.messageSize!.toLocaleString('en-US')} B`));
  });

  it('shows an SMS as its type, addresses and text, a status report with its status', () => {
    const deliver = mmsc(['decode', '--hex', '07911326040000F0040B911346610089F60000208062917314480CC8F71D14969741F977FD07']).stdout;
    expect(deliver).toMatch(/^SMS-DELIVER \(to the phone\), SMSC \+31624000000, 38 B/);
    expect(deliver).toMatch(/From +\+31641600986/);
    expect(deliver).toMatch(/Text +How are you\?/);
    const report = mmsc(['decode', '--hex', '0791538375000075061805810531F1019082416500400190824165004000']).stdout;
    expect(report).toMatch(/^SMS-STATUS-REPORT/);
    expect(report).toMatch(/Recipient +50131/);
    expect(report).toMatch(/Reference +24/);
    expect(report).toMatch(/Status +received by the phone \(TP-ST 0x00\)/);
  });

  it('summarises every corpus PDU it decodes (no JSON, the kind and size on the first line)', () => {
    const inputs: Uint8Array[] = [...corpusFiles('mms', '.mms'), ...corpusFiles('push', '.wsp')].map(corpusBytes);
    for (const v of smsVectors()) if (v.role === 'decode' && v.sca_present) inputs.push(new Uint8Array(Buffer.from(v.pdu_hex, 'hex')));
    let n = 0;
    for (const bytes of inputs) {
      let d: Decoded;
      try {
        d = decodeAny(bytes);
      } catch {
        continue; // corpus entries that must fail
      }
      const text = summarize(d, bytes.length);
      expect(text.split('\n')[0]).toMatch(new RegExp(`^(MMS m-[a-z-]+|WAP push|SMS-[A-Z-]+) .*, ${bytes.length.toLocaleString('en-US')} B$`));
      expect(text).not.toMatch(/^\s*[{}]/m);
      n++;
    }
    expect(n).toBeGreaterThan(inputs.length * 0.9);
  });
});

describe('mmsc decode --extract', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mmsc-extract-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes each part as a file named as the message names it, with the part\'s bytes', () => {
    const file = 'mms/mmsengine-retrieve-conf-beeline-multi-to-cc.mms';
    const pdu = decodeMms(corpusBytes(file));
    const out = join(dir, 'beeline');
    const r = mmsc(['decode', '--extract', out, join(import.meta.dirname, '../corpus', file)]);
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(pdu.parts!.map((p) => p.contentLocation as string).sort());
    for (const p of pdu.parts!) expect(Buffer.from(readFileSync(join(out, p.contentLocation as string))).equals(Buffer.from(partContent(p)))).toBe(true);
    expect(r.stdout.trim().split('\n')).toHaveLength(pdu.parts!.length);
  });

  it('keeps every file inside DIR whatever the names say, and never writes through a symlink', () => {
    const text = (s: string) => new Uint8Array(Buffer.from(s));
    const hostile: MmsPdu = {
      messageType: 'm-retrieve-conf', transactionId: 'x1', mmsVersion: '1.2', date: 1_800_000_000, from: '+4790000001/TYPE=PLMN',
      contentType: { type: 'application/vnd.wap.multipart.mixed' },
      parts: [
        { contentType: { type: 'text/plain' }, contentLocation: '../../etc/passwd', data: text('one') },
        { contentType: { type: 'text/plain' }, contentLocation: '/tmp/absolute.txt', data: text('two') },
        { contentType: { type: 'text/plain', params: { name: '..\\..\\windows.txt' } }, data: text('three') },
        { contentType: { type: 'text/plain' }, contentLocation: '..', data: text('four') },
        { contentType: { type: 'image/jpeg' }, contentLocation: '.hidden\x07.jpg', data: text('five') },
        { contentType: { type: 'text/plain' }, contentLocation: 'same.txt', data: text('six') },
        { contentType: { type: 'text/plain' }, contentLocation: 'same.txt', data: text('seven') },
      ],
    };
    const out = join(dir, 'hostile', 'inner');
    mkdirSync(out, { recursive: true });
    const outside = join(dir, 'hostile', 'outside-target');
    symlinkSync(outside, join(out, 'passwd')); // a trap already in DIR
    const r = mmsc(['decode', '--extract', out, '-'], encodeMms(hostile));
    expect(r.status, r.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['absolute.txt', 'hidden.jpg', 'part-4.txt', 'passwd', 'passwd-2', 'same-2.txt', 'same.txt', 'windows.txt']);
    expect(lstatSync(join(out, 'passwd')).isSymbolicLink()).toBe(true);
    expect(existsSync(outside)).toBe(false);
    expect(readFileSync(join(out, 'passwd-2'), 'utf8')).toBe('one');
    expect(readFileSync(join(out, 'same-2.txt'), 'utf8')).toBe('seven');
    expect(readdirSync(join(dir, 'hostile')).sort()).toEqual(['inner']);
  });

  it('says so when there is nothing to extract', () => {
    const r = mmsc(['decode', '--extract', join(dir, 'none'), '--hex', '07911326040000F0040B911346610089F60000208062917314480CC8F71D14969741F977FD07']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^mmsc decode: --extract: only an MMS has parts to write, and this is an SMS-DELIVER/);
  });
});

describe('mmsc decode: input that is no PDU at all', () => {
  /** Fixed pseudo-random inputs (an LCG), so a failure can be replayed. */
  function noise(seed: number, n: number): Uint8Array {
    const out = new Uint8Array(n);
    let x = seed;
    for (let i = 0; i < n; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      out[i] = x >>> 24;
    }
    return out;
  }

  it('says it is not an MMS PDU, a WAP push or an SMS TPDU, with one line per family', () => {
    let refused = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const bytes = noise(seed, 24 + seed);
      let err: unknown;
      try {
        decodeAny(bytes);
        continue; // noise that happens to read as a PDU
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(NotAPduError);
      refused++;
    }
    expect(refused).toBeGreaterThan(30);
    const r = mmsc(['decode', '--hex', Buffer.from(noise(7, 31)).toString('hex')]);
    expect(r.status).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('mmsc decode: not an MMS PDU, a WAP push or an SMS TPDU');
    expect(lines.slice(1).map((l) => l.split(':')[0].trim())).toEqual(['as an MMS PDU', 'as a WAP push', 'as an SMS TPDU']);
  });

  it('keeps the decoder\'s own error when told what the input is', () => {
    const r = mmsc(['decode', '--as', 'mms', '--hex', '8c80']);
    expect(r.stderr).toMatch(/^mmsc decode: X-Mms-MMS-Version is missing \(at byte 2\)/);
  });
});
