// WSP primitive encodings (WAP-230 §8.4.2; fact sheet mms-encapsulation.md §2, §7,
// wsp-wap-push.md §1) checked through the public codec: exact octets on encode, the same
// values back on decode, and the lenient readings real encoders need.
import { describe, expect, it } from 'vitest';
import { CodecError } from '../../src/codec/errors.js';
import { decodeMms, encodeMms, type MmsPdu } from '../../src/codec/mms/index.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
const ascii = (s: string): string => Buffer.from(s, 'latin1').toString('hex');

// m-notifyresp-ind carrying one extra header: the prefix every case below shares
const PREFIX = '8c83 98 543100 8d92 9581'; // type, TID "T1", 1.2, Status Retrieved
const base: MmsPdu = { messageType: 'm-notifyresp-ind', transactionId: 'T1', mmsVersion: '1.2', status: 'Retrieved' };
/** Encodes `base` plus one header and returns the octets after the shared prefix. */
const tail = (extra: Partial<MmsPdu>): string => {
  const out = hex(encodeMms({ ...base, ...extra }));
  expect(out.startsWith(PREFIX.replace(/\s+/g, ''))).toBe(true);
  return out.slice(PREFIX.replace(/\s+/g, '').length);
};
/** Decodes the shared prefix plus `h` (the octets of one header). */
const withHeader = (h: string): MmsPdu => decodeMms(bytes(PREFIX + h));

describe('Long-integer and Integer-value', () => {
  it('writes X-Mms-Message-Size 30000 as 8E 02 75 30 (fact sheet §7)', () => {
    expect(tail({ messageSize: 30000 })).toBe('8e027530');
  });

  it('always uses a minimal Long-integer for sizes and dates, even below 128', () => {
    expect(tail({ messageSize: 0 })).toBe('8e0100');
    expect(tail({ messageSize: 127 })).toBe('8e017f');
    expect(tail({ messageSize: 2 ** 32 })).toBe('8e050100000000');
    expect(tail({ messageSize: Number.MAX_SAFE_INTEGER })).toBe('8e071fffffffffffff');
    expect(tail({ date: 0x4de8e93b })).toBe('85044de8e93b');
  });

  it('uses the Short-integer form of an Integer-value below 128', () => {
    expect(tail({ messageCount: 5 })).toBe('ad85');
    expect(tail({ messageCount: 1000 })).toBe('ad0203e8');
  });

  it('reads Long-integers up to 8 octets, leading zero octets beyond that, and a Short-integer size', () => {
    expect(withHeader('85 05 00 4de8e93b').date).toBe(0x4de8e93b);
    expect(withHeader('8e 08 0000000100000000').messageSize).toBe(2 ** 32);
    expect(withHeader('8e 0a 0000 00000000000000ff').messageSize).toBe(255);
    expect(withHeader('8e 85').messageSize).toBe(5);
  });

  it('refuses a Long-integer above 64 bits, naming the header and offset', () => {
    expect(() => withHeader('8e 09 010000000000000000')).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED', field: 'X-Mms-Message-Size', offset: 11 }),
    );
  });

  it('refuses negative and fractional numbers on encode', () => {
    expect(() => encodeMms({ ...base, messageSize: -1 })).toThrow(CodecError);
    expect(() => encodeMms({ ...base, messageSize: 1.5 })).toThrow(/X-Mms-Message-Size has a value not allowed here/);
  });
});

describe('Value-length', () => {
  it('uses a Short-length up to 30 and Length-quote + Uintvar above (31 -> 1F 1F, 200 -> 1F 81 48)', () => {
    const t29 = 'x'.repeat(27); // charset + 27 + NUL = 29
    expect(tail({ subject: { text: t29, charset: 'utf-8' } })).toBe(`961dea${ascii(t29)}00`);
    const t29b = 'x'.repeat(29); // 31
    expect(tail({ subject: { text: t29b, charset: 'utf-8' } })).toBe(`961f1fea${ascii(t29b)}00`);
    const t198 = 'y'.repeat(198); // 200
    expect(tail({ subject: { text: t198, charset: 'utf-8' } })).toBe(`961f8148ea${ascii(t198)}00`);
  });

  it('reads a non-minimal Length-quote (1F 05) like the short form', () => {
    expect(withHeader('96 1f04 ea 486900').subject).toEqual({ text: 'Hi', charset: 'utf-8' });
  });

  it('names the field and offset when a Value-length runs past the PDU', () => {
    expect(() => withHeader('96 1f 8148 ea 4869 00')).toThrow(expect.objectContaining({ code: 'TRUNCATED', field: 'Subject', offset: 11 }));
  });
});

describe('Text-string, Quote and Encoded-string-value', () => {
  it('NUL-terminates text and quotes a first octet >= 0x80 with 0x7F', () => {
    expect(tail({ messageId: 'abc' })).toBe('8b61626300');
    expect(tail({ messageId: '' })).toBe('8b00');
    expect(tail({ subject: 'é' })).toBe('967fc3a900');
    expect(withHeader('96 7fc3a900').subject).toBe('é');
  });

  it('writes Subject "Hi" in UTF-8 as 96 04 EA 48 69 00 (fact sheet §2.2)', () => {
    expect(tail({ subject: { text: 'Hi', charset: 'utf-8' } })).toBe('9604ea486900');
  });

  it('keeps the wire form: plain Text-string vs charset form', () => {
    expect(withHeader('96 486900').subject).toBe('Hi');
    expect(withHeader('96 04ea486900').subject).toEqual({ text: 'Hi', charset: 'utf-8' });
    expect(withHeader('96 00').subject).toBe(''); // a lone NUL: empty text
  });

  it('writes UCS-2 as a 2-octet Long-integer charset and delimits its text by the Value-length', () => {
    const out = tail({ subject: { text: 'Hi\u0100', charset: 'iso-10646-ucs-2' } });
    expect(out).toBe('960a0203e8004800690100' + '00'); // 01 00 ends in 0x00: the length, not a NUL scan
    expect(withHeader(out).subject).toEqual({ text: 'Hi\u0100', charset: 'iso-10646-ucs-2' });
  });

  it('reads UTF-16 with a big- or little-endian BOM, and without one as big-endian', () => {
    expect(withHeader('96 0a 0203f7 feff00480069 00').subject).toEqual({ text: 'Hi', charset: 'utf-16' });
    expect(withHeader('96 0a 0203f7 fffe48006900 00').subject).toEqual({ text: 'Hi', charset: 'utf-16' });
    expect(withHeader('96 08 0203f7 00480069 00').subject).toEqual({ text: 'Hi', charset: 'utf-16' });
    expect(withHeader('96 09 0203f7 00480069 0000').subject).toEqual({ text: 'Hi', charset: 'utf-16' }); // a 16-bit NUL
    expect(withHeader('96 0a 0203f7 7f feff00480069').subject).toEqual({ text: 'Hi', charset: 'utf-16' }); // quoted, no NUL
  });

  it('decodes and encodes single-byte charsets through their tables', () => {
    const out = tail({ subject: { text: 'Zkouška', charset: 'iso-8859-2' } });
    expect(out).toBe(`960985${ascii('Zkou')}b9${ascii('ka')}00`);
    expect(withHeader(out).subject).toEqual({ text: 'Zkouška', charset: 'iso-8859-2' });
    expect(withHeader('96 03 84 e900').subject).toEqual({ text: 'é', charset: 'iso-8859-1' });
  });

  it('decodes multi-byte charsets TextDecoder knows; encodes them only for ASCII text', () => {
    expect(withHeader('96 04 91 82a000').subject).toEqual({ text: 'あ', charset: 'shift_jis' });
    expect(tail({ subject: { text: 'ok', charset: 'big5' } })).toBe('96060207ea6f6b00');
    expect(() => encodeMms({ ...base, subject: { text: '語', charset: 'big5' } })).toThrow(
      expect.objectContaining({ code: 'NOT_REPRESENTABLE', field: 'Subject' }),
    );
  });

  it('keeps an unknown MIBenum, reading its text octet for octet', () => {
    const pdu = withHeader('96 06 0203e9 41ff00'); // MIBenum 1001
    expect(pdu.subject).toEqual({ text: 'A\u00ff', charset: 1001 });
    expect(tail({ subject: pdu.subject })).toBe('96060203e941ff00');
  });

  it('reads a bare charset octet (04) the way Android and Wireshark do', () => {
    expect(withHeader(`96 05 04 ${ascii('abc')} 00`).subject).toEqual({ text: 'abc', charset: 'iso-8859-1' });
  });

  it('refuses text a Text-string cannot carry', () => {
    expect(() => encodeMms({ ...base, messageId: 'a\0b' })).toThrow(expect.objectContaining({ code: 'NOT_REPRESENTABLE', field: 'Message-ID' }));
    expect(() => encodeMms({ ...base, messageId: '\u0005x' })).toThrow(expect.objectContaining({ code: 'NOT_REPRESENTABLE' }));
    expect(() => encodeMms({ ...base, subject: { text: 'x', charset: 'klingon' as never } })).toThrow(/unknown charset klingon/);
  });

  it('refuses a text header without its NUL: a cut value never passes as a shorter one', () => {
    expect(() => withHeader('8b 6162')).toThrow(expect.objectContaining({ code: 'TRUNCATED', field: 'Message-ID', offset: 11 }));
  });
});

describe('Version-value', () => {
  it('writes major.minor in one octet (1.0 = 90, 1.3 = 93, "1" = 9F) and reads text versions', () => {
    expect(hex(encodeMms({ ...base, mmsVersion: '1.0' })).slice(12, 16)).toBe('8d90');
    expect(hex(encodeMms({ ...base, mmsVersion: '1.3' })).slice(12, 16)).toBe('8d93');
    expect(hex(encodeMms({ ...base, mmsVersion: '1' })).slice(12, 16)).toBe('8d9f');
    expect(decodeMms(bytes('8c83 98543100 8d9f 9581')).mmsVersion).toBe('1');
    expect(decodeMms(bytes(`8c83 98543100 8d${ascii('1.2')}00 9581`)).mmsVersion).toBe('1.2');
  });
});
