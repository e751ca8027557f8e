import { describe, expect, it } from 'vitest';
import { AtLineReader, type AtToken } from '../../src/bearer/modem/at-lines.js';

const lines = (tokens: AtToken[]): string[] => tokens.filter((t) => t.kind === 'line').map((t) => (t as { text: string }).text);

function feedAll(r: AtLineReader, chunks: (string | Uint8Array)[]): AtToken[] {
  return chunks.flatMap((c) => r.feed(c));
}

describe('AtLineReader', () => {
  it('ends lines at CR, LF, CRLF and CR CR LF, skipping empty ones', () => {
    const r = new AtLineReader();
    expect(lines(r.feed('\r\nOK\r\n'))).toEqual(['OK']);
    expect(lines(r.feed('A\rB\nC\r\nD\r\r\nE'))).toEqual(['A', 'B', 'C', 'D']);
    expect(r.pending()).toBe('E');
    expect(lines(r.feed('\n'))).toEqual(['E']);
  });

  it('joins a line cut across chunks, byte by byte', () => {
    const r = new AtLineReader();
    const text = '\r\n+CSQ: 17,99\r\n\r\nOK\r\n';
    const out = feedAll(r, [...text].map((c) => c));
    expect(lines(out)).toEqual(['+CSQ: 17,99', 'OK']);
  });

  it('keeps leading and trailing blanks out of the text (gammu at-model/01: " MULTIBAND  900E  1800 ")', () => {
    const r = new AtLineReader();
    expect(lines(r.feed(' MULTIBAND  900E  1800 \r\n'))).toEqual(['MULTIBAND  900E  1800']);
  });

  it('reads the prompt in every form only while one is expected', () => {
    for (const form of ['\r\n> ', '> ', '>', '\r\n>', '\n> ', '\r\n>\r\n']) {
      const r = new AtLineReader();
      r.expectPrompt = true;
      const out = r.feed(`AT+CMGS=23\r${form}`);
      expect(out.filter((t) => t.kind === 'prompt')).toHaveLength(1);
      expect(lines(out)).toEqual(['AT+CMGS=23']);
      expect(r.expectPrompt).toBe(false);
    }
    const r = new AtLineReader();
    expect(lines(r.feed('> not a prompt\r\n'))).toEqual(['> not a prompt']);
  });

  it('does not eat the first character of a line that follows a prompt without its space', () => {
    const r = new AtLineReader();
    r.expectPrompt = true;
    const out = r.feed('>0011\x1a\r\n+CMGS: 4\r\n');
    expect(out[0].kind).toBe('prompt');
    expect(lines(out)).toEqual(['0011', '+CMGS: 4']);
  });

  it('drops control bytes, echoed Ctrl-Z/ESC and noise before a line, and reports them', () => {
    const r = new AtLineReader();
    const out = r.feed(Uint8Array.from([0x00, 0xff, 0xfe, 0x4f, 0x4b, 0x0d, 0x0a, 0x1a, 0x1b, 0x41, 0x00, 0x54, 0x0d]));
    expect(lines(out)).toEqual(['OK', 'AT']);
    const garbage = out.filter((t) => t.kind === 'garbage') as { bytes: number }[];
    expect(garbage.reduce((n, g) => n + g.bytes, 0)).toBe(6); // 00 FF FE, 1A 1B, the NUL inside "A\0T"
  });

  it('keeps non-ASCII bytes inside a line (latin1)', () => {
    const r = new AtLineReader();
    expect(lines(r.feed(Buffer.from('+CUSD: 0,"w\xe4hlen"\r\n', 'latin1')))).toEqual(['+CUSD: 0,"w\u00e4hlen"']);
  });

  it('drops an over-long line whole and resynchronises on the next line', () => {
    const r = new AtLineReader(64);
    const out = r.feed(`${'x'.repeat(200)}\r\nOK\r\n`);
    expect(lines(out)).toEqual(['OK']);
    expect(out.some((t) => t.kind === 'garbage' && t.why === 'overflow')).toBe(true);
  });

  it('forgets a partial line on reset', () => {
    const r = new AtLineReader();
    r.feed('+CMG');
    r.reset();
    expect(lines(r.feed('OK\r\n'))).toEqual(['OK']);
  });
});
