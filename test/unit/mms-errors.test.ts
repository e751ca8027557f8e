// Bad input gets a CodecError naming the field and the byte offset - never another exception,
// never an INTERNAL error, never a hang - and the limits bound what a decode may allocate.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import * as L from '../../assembly/shared/mms-table.js';
import { CodecError } from '../../src/codec/errors.js';
import { decodeMms, encodeMms, type MmsPdu } from '../../src/codec/mms/index.js';
import { decodeMultipart, decodePush, encodeMultipart, type Part } from '../../src/codec/wsp/index.js';
import { mmsModule } from '../../src/codec/wsp/module.js';

const CORPUS = join(import.meta.dirname, '../corpus');
const load = (file: string): Uint8Array => new Uint8Array(readFileSync(join(CORPUS, file)));
const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
const ascii = (s: string): string => Buffer.from(s, 'latin1').toString('hex');
const uintvar = (n: number): string => {
  let out = (n & 0x7f).toString(16).padStart(2, '0');
  for (n = Math.floor(n / 128); n > 0; n = Math.floor(n / 128)) out = ((n & 0x7f) | 0x80).toString(16) + out;
  return out;
};

/** The CodecError `fn` throws (fails the test if it throws anything else or nothing). */
function codecError(fn: () => unknown): CodecError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CodecError) return e;
    throw new Error(`not a CodecError: ${String(e)}`);
  }
  throw new Error('no error');
}

/** Outcome of a decode that may fail: never an exception other than a non-INTERNAL CodecError. */
function attempt<T>(fn: () => T): T | CodecError {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof CodecError)) throw new Error(`not a CodecError: ${String(e)}`);
    if (e.code === 'INTERNAL') throw new Error(`INTERNAL: ${e.message}`);
    return e;
  }
}

/** Is `part` what decoding a prefix of the PDU may give: some of `full`'s headers, never other values? */
function isPrefixOf(part: MmsPdu, full: MmsPdu): boolean {
  const p = part as unknown as Record<string, unknown>;
  const f = full as unknown as Record<string, unknown>;
  return Object.keys(p).every((k) => {
    const a = p[k];
    const b = f[k];
    if (Array.isArray(a) && Array.isArray(b)) return a.every((x, i) => JSON.stringify(x) === JSON.stringify(b[i]));
    return JSON.stringify(a) === JSON.stringify(b) || (k === 'contentLocation' && Array.isArray(b));
  });
}

describe('truncation at every offset', () => {
  const withBody = ['mms/mmsd-send-req-related-multi-to.mms', 'mms/mmsengine-retrieve-conf-beeline-multi-to-cc.mms'];
  const headersOnly = ['mms/mmsd-notification-ind-erotik-pinups.mms', 'mms/mmsengine-read-rec-ind.mms', 'mms/mmsengine-send-conf-service-denied.mms'];

  for (const file of withBody) {
    it(`${file}: every cut inside the body fails; a cut before it gives only whole header fields`, () => {
      const full = load(file);
      const pdu = decodeMms(full);
      let bodyStart = -1; // the first cut that holds the whole Content-Type
      for (let n = 0; n < full.length; n++) {
        const r = attempt(() => decodeMms(full.subarray(0, n)));
        if (r instanceof CodecError) {
          expect(r.offset).toBeLessThanOrEqual(n);
          expect(r.field).not.toBe('PDU');
          continue;
        }
        expect(r.parts, `cut at ${n}`).toBeUndefined(); // a cut body never decodes
        expect(isPrefixOf(r, pdu), `cut at ${n}`).toBe(true);
        if (r.contentType) {
          expect(bodyStart, `cut at ${n}: a second cut that decodes after the Content-Type`).toBe(-1);
          bodyStart = n;
        }
      }
      expect(bodyStart).toBeGreaterThan(0);
    });
  }

  for (const file of headersOnly) {
    it(`${file}: a cut either fails with a CodecError or gives whole leading header fields`, () => {
      const full = load(file);
      const pdu = decodeMms(full);
      for (let n = 0; n < full.length; n++) {
        const r = attempt(() => decodeMms(full.subarray(0, n)));
        if (!(r instanceof CodecError)) expect(isPrefixOf(r, pdu), `cut at ${n}`).toBe(true);
      }
    });
  }

  it('every cut of a push fails or gives a shorter body, never garbage headers', () => {
    const full = load('push/mmsd-push1-mms-notification-push-flag.wsp');
    for (let n = 0; n < full.length; n++) {
      const r = attempt(() => decodePush(full.subarray(0, n)));
      if (!(r instanceof CodecError)) {
        expect(n).toBeGreaterThanOrEqual(3 + 36);
        expect(r.body.length).toBe(n - 39);
      }
    }
  });
});

describe('inflated length fields', () => {
  const pdu = load('mms/mmsd-send-req-related-multi-to.mms'); // parts at 129 (305 octets) and 461 (15)

  // entry count at 98; entry 1 lengths at 99 (1B) and 100 (82 31); entry 2 lengths at 434, 435 (0F)
  it('a part data length past the end: TRUNCATED, the field and where its length starts', () => {
    const b = pdu.slice();
    expect([b[98], b[435]]).toEqual([0x02, 0x0f]);
    b[435] = 0x7f;
    expect(codecError(() => decodeMms(b))).toMatchObject({ code: 'TRUNCATED', field: 'WSP multipart part data length', offset: 435 });
  });

  it('a part headers length past the end', () => {
    const b = pdu.slice();
    b[434] = 0x7f;
    expect(codecError(() => decodeMms(b))).toMatchObject({ code: 'TRUNCATED', field: 'WSP multipart part headers length', offset: 434 });
  });

  it('a data length that swallows the next entry: the next read fails where the data ended', () => {
    const b = pdu.slice();
    b[101] = 0x32; // entry 1: 306 octets instead of 305
    expect(codecError(() => decodeMms(b))).toMatchObject({ code: 'TRUNCATED' });
  });

  it('an entry count larger than the entries', () => {
    const b = pdu.slice();
    b[98] = 0x03;
    expect(codecError(() => decodeMms(b))).toMatchObject({ code: 'TRUNCATED', field: 'WSP multipart part headers length', offset: 476 });
  });

  it('a uintvar longer than 32 bits', () => {
    expect(codecError(() => decodeMultipart(bytes('8f ff ff ff ff 7f')))).toMatchObject({ code: 'BAD_VALUE', field: 'WSP multipart entry count', offset: 0 });
  });

  it('Value-lengths of header values past the end, and past their container', () => {
    const head = '8c80 98 7400 8d90 890181';
    expect(codecError(() => decodeMms(bytes(`${head} 96 1e ea 41 00`)))).toMatchObject({ code: 'TRUNCATED', field: 'Subject', offset: 11 });
    // a charset Value-length inside From that runs past the From value (not past the PDU)
    expect(codecError(() => decodeMms(bytes(`8c80 98 7400 8d90 89 05 80 09 ea 4100 97 ${ascii('bbbbbbbbbb')}00`)))).toMatchObject({
      code: 'BAD_LENGTH', field: 'From', offset: 10,
    });
    expect(codecError(() => decodeMms(bytes(`${head} 85 06 0102`)))).toMatchObject({ code: 'TRUNCATED', field: 'Date', offset: 11 });
  });

  it('every octet of a PDU set to 0x00, 0x1F, 0x7F or 0xFF: a decode or a CodecError, nothing else', () => {
    for (const file of ['mms/mmsd-send-req-related-multi-to.mms', 'mms/mmsengine-notification-ind-utf8-subject.mms']) {
      const full = load(file);
      for (let i = 0; i < full.length; i++) {
        for (const v of [0x00, 0x1f, 0x7f, 0xff]) {
          const b = full.slice();
          b[i] = v;
          attempt(() => decodeMms(b));
        }
      }
    }
  });
});

describe('bad tokens and values', () => {
  const head = '8c83 98 7400 8d92'; // m-notifyresp-ind, TID "t", 1.2; headers from offset 7
  const cases: [string, string, Partial<CodecError>][] = [
    ['not an MMS PDU', ascii('GET / HTTP/1.1'), { code: 'MISSING', field: 'X-Mms-Message-Type', offset: 0 }],
    ['message type 0x98', '8c98 8d92', { code: 'BAD_TYPE', field: 'X-Mms-Message-Type', offset: 1 }],
    ['a second message type', `${head} 8c 82`, { code: 'BAD_VALUE', field: 'X-Mms-Message-Type', offset: 7 }],
    ['no version', '8c83 98 7400 9581', { code: 'MISSING', field: 'X-Mms-MMS-Version', offset: 7 }],
    ['Yes/No 0x05', `${head} 86 05`, { code: 'BAD_VALUE', field: 'X-Mms-Delivery-Report', offset: 8 }],
    ['an expiry token 0x82', `${head} 88 03 82 01 01`, { code: 'BAD_VALUE', field: 'X-Mms-Expiry', offset: 9 }],
    ['a From token 0x83', `${head} 89 01 83`, { code: 'BAD_VALUE', field: 'From', offset: 9 }],
    ['an MM-Flags token 0x85', `${head} a4 03 85 41 00`, { code: 'BAD_VALUE', field: 'X-Mms-MM-Flags', offset: 9 }],
    ['a text field holding a token', `${head} 8b 85`, { code: 'BAD_VALUE', field: 'Message-ID', offset: 8 }],
    ['a token field holding text', `${head} 95 ${ascii('ok')}00`, { code: 'BAD_VALUE', field: 'X-Mms-Status', offset: 8 }],
    ['a control octet where a header starts', `${head} 05 9581`, { code: 'BAD_VALUE', field: 'MMS header field', offset: 7 }],
    ['an encoded string starting with a token', `${head} 96 85`, { code: 'BAD_VALUE', field: 'Subject', offset: 8 }],
    ['a content type with a stray 0x1F', `${head} 84 03 1f 00 00`, { code: 'BAD_VALUE', field: 'Content-Type', offset: 9 }],
    ['a part header code-page shift', `8c84 8d92 8501 01 84a3 01 02 00 83 7f 01`, { code: 'UNSUPPORTED', field: 'WSP multipart part header', offset: 13 }],
  ];
  for (const [what, hex, expected] of cases) {
    it(`${what}: ${expected.code} naming ${expected.field} at ${expected.offset}`, () => {
      const e = codecError(() => decodeMms(bytes(hex)));
      expect(e).toMatchObject(expected);
      expect(e.message).toContain(expected.field!);
      expect(e.message).toContain(`(at byte ${expected.offset})`);
    });
  }
});

describe('limits (assembly/shared/mms-table.ts)', () => {
  const head = '8c84 8d92 850101';
  it(`at most ${L.MAX_MMS_HEADERS} header fields`, () => {
    expect(decodeMms(bytes(head + '8680'.repeat(L.MAX_MMS_HEADERS - 3))).deliveryReport).toBe(true);
    expect(codecError(() => decodeMms(bytes(head + '8680'.repeat(L.MAX_MMS_HEADERS - 2))))).toMatchObject({
      code: 'LIMIT', field: 'MMS header field', offset: 7 + 2 * (L.MAX_MMS_HEADERS - 3),
    });
  });

  it(`at most ${L.MAX_RECIPIENTS} recipients (To + Cc + Bcc)`, () => {
    const to = (n: number) => `97${ascii('1')}00`.repeat(n);
    expect(decodeMms(bytes(head + to(L.MAX_RECIPIENTS))).to).toHaveLength(L.MAX_RECIPIENTS);
    expect(codecError(() => decodeMms(bytes(head + to(L.MAX_RECIPIENTS) + `82${ascii('2')}00`)))).toMatchObject({
      code: 'LIMIT', field: 'MMS recipients (To/Cc/Bcc)', offset: 7 + 3 * L.MAX_RECIPIENTS,
    });
  });

  it(`at most ${L.MAX_PARAMS} parameters per content type`, () => {
    const params = (n: number) => '8500'.repeat(n);
    const ct = (n: number) => `84 1f ${(1 + 2 * n).toString(16).padStart(2, '0')} 83 ${params(n)}`;
    expect(decodeMms(bytes(head + ct(L.MAX_PARAMS))).contentType!.type).toBe('text/plain');
    expect(codecError(() => decodeMms(bytes(head + ct(L.MAX_PARAMS + 1))))).toMatchObject({ code: 'LIMIT', field: 'Content-Type', offset: 11 + 2 * L.MAX_PARAMS });
  });

  it(`at most ${L.MAX_PART_HEADERS} headers per multipart entry and ${L.MAX_PUSH_HEADERS} per push`, () => {
    const part = (n: number) => {
      const h = '83' + '8e00'.repeat(n);
      return bytes(`01 ${uintvar(h.length / 2)} 00 ${h}`);
    };
    expect(decodeMultipart(part(L.MAX_PART_HEADERS))[0].headers).toHaveLength(L.MAX_PART_HEADERS - 1);
    expect(codecError(() => decodeMultipart(part(L.MAX_PART_HEADERS + 1)))).toMatchObject({ code: 'LIMIT', field: 'WSP multipart part header' });
    const push = (n: number) => bytes(`01 06 ${uintvar(1 + 2 * n)} be ${'b481'.repeat(n)}`);
    expect(decodePush(push(L.MAX_PUSH_HEADERS)).headers).toHaveLength(L.MAX_PUSH_HEADERS - 1);
    expect(codecError(() => decodePush(push(L.MAX_PUSH_HEADERS + 1)))).toMatchObject({ code: 'LIMIT', field: 'WSP push headers' });
  });

  it(`at most ${L.MAX_PARTS} entries in one decode, all levels together`, () => {
    const leaf: Part = { contentType: { type: 'text/plain' }, data: new Uint8Array(0) };
    const inner = encodeMultipart(Array(128).fill(leaf));
    const ok = encodeMultipart([{ contentType: { type: 'multipart/mixed' }, data: inner }, ...Array(L.MAX_PARTS - 129).fill(leaf)]);
    expect(decodeMultipart(ok)).toHaveLength(L.MAX_PARTS - 128);
    const over = encodeMultipart([{ contentType: { type: 'multipart/mixed' }, data: inner }, ...Array(L.MAX_PARTS - 128).fill(leaf)]);
    expect(codecError(() => decodeMultipart(over))).toMatchObject({ code: 'LIMIT', field: 'WSP multipart entry count' });
  });

  it(`at most ${L.MAX_DEPTH} levels of nesting (carried PDUs included)`, () => {
    let pdu: MmsPdu = { messageType: 'm-send-req', transactionId: 't', mmsVersion: '1.2', from: { insertAddress: true }, contentType: { type: 'text/plain' }, body: new Uint8Array([0x41]) };
    for (let i = 0; i < L.MAX_DEPTH; i++) {
      pdu = { messageType: 'm-mbox-upload-req', transactionId: `u${i}`, mmsVersion: '1.2', contentType: { type: 'application/vnd.wap.mms-message' }, bodyPdu: pdu };
    }
    const ok = encodeMms(pdu);
    expect(decodeMms(ok)).toEqual(pdu);
    const deeper = encodeMms({ messageType: 'm-mbox-upload-req', transactionId: 'top', mmsVersion: '1.2', contentType: { type: 'application/vnd.wap.mms-message' }, bodyPdu: pdu });
    expect(codecError(() => decodeMms(deeper))).toMatchObject({ code: 'LIMIT', field: 'WSP multipart nesting' });
  });

  it(`at most ${L.MAX_ROWS} table rows (every part here has 8 parameters)`, () => {
    const params = { name: 'a', filename: 'b', start: 'c', comment: 'd', domain: 'e', path: 'f', 'start-info': 'g', charset: 'utf-8' as const };
    const parts: Part[] = Array(250).fill({ contentType: { type: 'text/plain', params }, data: new Uint8Array(0) });
    expect(codecError(() => decodeMultipart(encodeMultipart(parts)))).toMatchObject({ code: 'LIMIT' });
  });
});

describe('never a hang, never another exception (bounded deterministic fuzz)', () => {
  it('random mutations, cuts and noise of corpus PDUs and pushes', () => {
    let seed = 0x5eed;
    const rnd = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const sources = ['mms/mmsd-send-req-related-multi-to.mms', 'mms/mmsengine-retrieve-conf-telenor-previously-sent.mms',
      'mms/mmsengine-notification-ind-utf8-subject.mms', 'mms/mmsd-retrieve-conf-con214-utf16-text.mms'].map(load);
    const pushes = ['push/gammu-at-sms-failing-40-bare-wsp.wsp', 'push/mmsd-push5-connectivity-wbxml.wsp'].map(load);
    const outcomes = { decoded: 0, rejected: 0, roundTripped: 0 };
    const started = Date.now();
    for (let n = 0; n < 20000; n++) {
      const isPush = n % 5 === 0;
      const src = isPush ? pushes[rnd(pushes.length)] : sources[rnd(sources.length)];
      let b: Uint8Array = src.slice();
      const mode = rnd(3);
      if (mode === 0) for (let k = 1 + rnd(4); k > 0; k--) b[rnd(b.length)] = rnd(256);
      else if (mode === 1) b = b.subarray(0, rnd(b.length));
      else b = Uint8Array.from({ length: rnd(64) }, () => rnd(256));
      const r = attempt(() => (isPush ? decodePush(b) : decodeMms(b)));
      if (r instanceof CodecError) {
        outcomes.rejected++;
        expect(r.offset).toBeLessThanOrEqual(b.length);
        continue;
      }
      outcomes.decoded++;
      if (!isPush) {
        const again = attempt(() => encodeMms(r as MmsPdu));
        if (!(again instanceof CodecError)) {
          expect(decodeMms(again)).toEqual(r);
          outcomes.roundTripped++;
        }
      }
    }
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(outcomes.decoded).toBeGreaterThan(1000);
    expect(outcomes.rejected).toBeGreaterThan(1000);
  });
});

describe('a 64 KiB input never makes a decode allocate more than 1 MiB', () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;

  /** Heap growth per decode (JS objects kept alive; the mean of 8) and WASM memory growth. */
  function cost(decode: () => unknown): { js: number; wasm: number } {
    decode(); // warm up: the windows reach their steady size
    const memory = mmsModule().exports.memory;
    gc();
    const wasmBefore = memory.buffer.byteLength;
    const before = process.memoryUsage().heapUsed;
    const kept = Array.from({ length: 8 }, decode);
    gc();
    const js = (process.memoryUsage().heapUsed - before) / kept.length;
    expect(kept.every((k) => k !== undefined)).toBe(true);
    return { js, wasm: memory.buffer.byteLength - wasmBefore };
  }

  const KiB64 = 64 * 1024;
  const head = '8c84 8d92 850101';
  const inputs: [string, Uint8Array][] = [
    ['the most textual header fields', bytes(head + `${ascii('X-A')}00${ascii('v'.repeat(120))}00`.repeat(L.MAX_MMS_HEADERS - 3))],
    ['the most recipients', bytes(head + `97${ascii('+'.padEnd(250, '1'))}00`.repeat(L.MAX_RECIPIENTS))],
    ['the most entries, each with parameters', encodeMms({
      messageType: 'm-retrieve-conf', mmsVersion: '1.2', date: 1, contentType: { type: 'application/vnd.wap.multipart.mixed' },
      parts: Array.from({ length: L.MAX_PARTS }, (_, i) => ({ contentType: { type: 'text/plain', params: { name: `n${i}`.padEnd(100, 'x'), charset: 'utf-8' as const } }, contentId: `<${i}>`, data: new Uint8Array(40) })),
    })],
  ];
  for (const [what, input] of inputs) {
    it(`${what} (${input.length} octets)`, () => {
      expect(input.length).toBeLessThanOrEqual(KiB64);
      const { js, wasm } = cost(() => decodeMms(input));
      console.log(`decode of ${what} (${input.length} octets): ${Math.round(js / 1024)} KiB of JS objects, ${wasm} octets of WASM growth`);
      expect(js).toBeLessThan(1024 * 1024);
      expect(wasm).toBe(0);
    });
  }
});
