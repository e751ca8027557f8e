// Content-type values, parameters, part headers and multipart bodies (WAP-230 §8.4.2.24,
// §8.5): exact octets, both parameter code sets, nesting, limits and clear errors.
import { describe, expect, it } from 'vitest';
import { decodeMms, encodeMms, type MmsPdu } from '../../src/codec/mms/index.js';
import { decodeMultipart, encodeMultipart, type Part } from '../../src/codec/wsp/index.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
const ascii = (s: string): string => Buffer.from(s, 'latin1').toString('hex');
const data = (s: string): Uint8Array => new Uint8Array(Buffer.from(s));
const clean = (h: string): string => h.replace(/\s+/g, '');
const uintvar = (n: number): string => {
  let out = (n & 0x7f).toString(16).padStart(2, '0');
  for (n = Math.floor(n / 128); n > 0; n = Math.floor(n / 128)) out = ((n & 0x7f) | 0x80).toString(16) + out;
  return out;
};
/** Content-general-form: Value-length (short) + the media type and parameters. */
const general = (inner: string): string => (clean(inner).length / 2).toString(16).padStart(2, '0') + clean(inner);
/** A one-entry multipart from the entry's content type, headers and data (hex). */
const oneEntry = (ct: string, headers: string, d: string): Uint8Array => {
  const h = clean(ct) + clean(headers);
  return bytes(`01 ${uintvar(h.length / 2)} ${uintvar(clean(d).length / 2)} ${h} ${d}`);
};

const conf = (contentType: MmsPdu['contentType'], parts: Part[] = []): MmsPdu =>
  ({ messageType: 'm-retrieve-conf', mmsVersion: '1.2', date: 1, contentType, parts }) as MmsPdu;
const HEAD = '8c84 8d92 850101'.replace(/\s+/g, ''); // type, version, Date 1

describe('Content-type-value', () => {
  it('writes the fact-sheet example: related, start=<smil>, type=application/smil (84 1B B3 8A ... 89 ...)', () => {
    const out = encodeMms(conf({ type: 'application/vnd.wap.multipart.related', params: { start: '<smil>', type: 'application/smil' } }));
    expect(hex(out)).toBe(`${HEAD}841bb38a${ascii('<smil>')}0089${ascii('application/smil')}00` + '00');
  });

  it('uses the short form without parameters, text for unknown types', () => {
    expect(hex(encodeMms(conf({ type: 'application/vnd.wap.multipart.mixed' })))).toBe(`${HEAD}84a300`);
    expect(hex(encodeMultipart([{ contentType: { type: 'audio/amr' }, data: data('x') }]))).toBe(`01 0a 01 ${ascii('audio/amr')}00 78`.replace(/\s+/g, ''));
  });

  it('reads the WSP 1.4 parameter codes and writes the 1.1/1.2 ones', () => {
    // general form: related, start (0x99), type (0x89), start-info (0x9A); part: name (0x97), filename (0x98)
    const top = `b3 99${ascii('<a>')}00 89${ascii('application/smil')}00 9a${ascii('x')}00`;
    const part = `9e 97${ascii('p.jpg')}00 98${ascii('q.jpg')}00`;
    const partCt = `${(part.replace(/\s+/g, '').length / 2).toString(16).padStart(2, '0')}${part}`;
    const pdu = decodeMms(bytes(`${HEAD} 84 ${(top.replace(/\s+/g, '').length / 2).toString(16)} ${top} 01 ${((partCt.replace(/\s+/g, '').length) / 2).toString(16).padStart(2, '0')} 00 ${partCt}`));
    expect(pdu.contentType).toEqual({ type: 'application/vnd.wap.multipart.related', params: { start: '<a>', type: 'application/smil', 'start-info': 'x' } });
    expect(pdu.parts![0].contentType).toEqual({ type: 'image/jpeg', params: { name: 'p.jpg', filename: 'q.jpg' } });
    const again = hex(encodeMms(pdu));
    expect(again).toContain(`8a${ascii('<a>')}00`);
    expect(again).toContain(`85${ascii('p.jpg')}0086${ascii('q.jpg')}00`);
    expect(decodeMms(bytes(again))).toEqual(pdu);
  });

  it('keeps textual and untyped parameters, integer media codes, Q-values and No-value', () => {
    // emn+wbxml (Long-integer 0x030A), x-foo=bar, x-n=5 (untyped integer), q=0.09 (Q-value 0x0A), secure
    const ct = general(`02030a ${ascii('x-foo')}00${ascii('bar')}00 ${ascii('x-n')}00 85 80 0a 90 00`);
    const pdu = decodeMms(bytes(`${HEAD} 84 ${ct} 41`));
    expect(pdu.contentType).toEqual({ type: 'application/vnd.wap.emn+wbxml', params: { 'x-foo': 'bar', 'x-n': 5, q: 0.09, secure: true } });
    expect(pdu.body).toEqual(data('A'));
    expect(decodeMms(encodeMms(pdu))).toEqual(pdu);
  });

  it('reads a charset parameter sent as text, and keeps it textual when no MIBenum matches', () => {
    const [a] = decodeMultipart(oneEntry(general(`83 ${ascii('charset')}00 ${ascii('utf-8')}00`), '', '41'));
    expect(a.contentType).toEqual({ type: 'text/plain', params: { charset: 'utf-8' } });
    expect(hex(encodeMultipart([a]))).toBe(clean('01 04 01 0383 81ea 41'));
    const [b] = decodeMultipart(oneEntry(general(`83 ${ascii('charset')}00 ${ascii('x-mystery')}00`), '', '41'));
    expect(b.contentType.params).toEqual({ charset: 'x-mystery' });
    expect(decodeMultipart(encodeMultipart([b]))).toEqual([b]);
  });
});

describe('Multipart entries', () => {
  const entry: Part = {
    contentType: { type: 'text/plain', params: { charset: 'utf-8' } },
    contentId: '<t>',
    contentLocation: 't.txt',
    data: data('hi'),
  };

  it('writes count, lengths, content type, Content-ID as a Quoted-string, Content-Location, data', () => {
    expect(hex(encodeMultipart([entry]))).toBe(`01 11 02 0383 81ea c0223c743e00 8e${ascii('t.txt')}00 6869`.replace(/\s+/g, ''));
  });

  it('decodes entries with data as views of the input, in header order', () => {
    const body = encodeMultipart([entry, { contentType: { type: 'image/gif' }, contentLocation: 'g.gif', contentId: '<g>', data: data('GIF89a') }]);
    const parts = decodeMultipart(body);
    expect(parts).toEqual([entry, { contentType: { type: 'image/gif' }, contentLocation: 'g.gif', contentId: '<g>', data: data('GIF89a') }]);
    expect(parts[1].data!.buffer).toBe(body.buffer);
    expect(Object.keys(parts[1])).toEqual(['contentType', 'contentLocation', 'contentId', 'data']);
  });

  it('reads Content-Disposition in both codes (0xAE, 0xC5) and writes 0xAE', () => {
    // attachment; filename (WSP 1.4 code 0x98); charset utf-8
    const [p] = decodeMultipart(oneEntry('9e', `c5 ${general(`81 98${ascii('a.jpg')}00 81ea`)}`, ''));
    expect(p.contentDisposition).toEqual({ type: 'attachment', params: { filename: 'a.jpg', charset: 'utf-8' } });
    expect(hex(encodeMultipart([p]))).toContain(`ae${general(`81 86${ascii('a.jpg')}00 81ea`)}`);
    const [q] = decodeMultipart(oneEntry('9e', 'ae 82', '')); // a bare token, no Value-length
    expect(q.contentDisposition).toEqual({ type: 'inline' });
    expect(decodeMultipart(encodeMultipart([q]))).toEqual([q]);
  });

  it('maps textual and Android 0xC8 Content-Transfer-Encoding to one field, written textually', () => {
    const textual = `${ascii('Content-Transfer-Encoding')}00${ascii('base64')}00`;
    const [a] = decodeMultipart(bytes(`01 ${(1 + textual.length / 2).toString(16)} 04 83 ${textual} ${ascii('aGk=')}`));
    const [b] = decodeMultipart(bytes(`01 09 04 83 c8 ${ascii('base64')}00 ${ascii('aGk=')}`));
    expect(a.contentTransferEncoding).toBe('base64');
    expect(b).toEqual(a);
    expect(hex(encodeMultipart([b]))).toContain(textual);
  });

  it('keeps other headers: well-known ones raw, textual ones as text', () => {
    const [p] = decodeMultipart(oneEntry('83', `92 04 3d1c957b ${ascii('X-Foo')}00 ${ascii('bar')}00`, '41'));
    expect(p.headers).toEqual([
      { code: 0x12, name: 'Date', value: bytes('043d1c957b') },
      { name: 'X-Foo', value: 'bar' },
    ]);
    expect(decodeMultipart(encodeMultipart([p]))).toEqual([p]);
  });

  it('decodes nested multiparts (alternative inside related) unless told not to', () => {
    const inner = encodeMultipart([{ contentType: { type: 'text/plain' }, data: data('a') }, { contentType: { type: 'text/html' }, data: data('<b>') }]);
    const outer = encodeMultipart([{ contentType: { type: 'application/vnd.wap.multipart.alternative' }, parts: decodeMultipart(inner) }]);
    const parts = decodeMultipart(outer);
    expect(parts).toEqual([{ contentType: { type: 'application/vnd.wap.multipart.alternative' }, parts: decodeMultipart(inner) }]);
    const flat = decodeMultipart(outer, { nested: false });
    expect(Buffer.from(flat[0].data!).equals(Buffer.from(inner))).toBe(true);
    expect(decodeMultipart(encodeMultipart(flat))).toEqual(parts);
  });

  it('limits nesting depth, naming the field', () => {
    let body = encodeMultipart([{ contentType: { type: 'text/plain' }, data: data('x') }]);
    for (let i = 0; i < 4; i++) body = encodeMultipart([{ contentType: { type: 'application/vnd.wap.multipart.mixed' }, data: body }]);
    expect(() => decodeMultipart(body)).toThrow(expect.objectContaining({ code: 'LIMIT', field: 'WSP multipart nesting' }));
    expect(decodeMultipart(body, { nested: false })).toHaveLength(1);
  });

  it('limits the number of entries, naming field and offset', () => {
    expect(() => decodeMultipart(bytes('8202 00'))).toThrow(expect.objectContaining({ code: 'LIMIT', field: 'WSP multipart entry count', offset: 0 }));
  });

  it('names the length that disagrees with the data, and where', () => {
    expect(() => decodeMultipart(bytes('01 05 01 83 41'))).toThrow(
      expect.objectContaining({ code: 'TRUNCATED', field: 'WSP multipart part headers length', offset: 1 }),
    );
    expect(() => decodeMultipart(bytes('01 01 09 83 41'))).toThrow(
      expect.objectContaining({ code: 'TRUNCATED', field: 'WSP multipart part data length', offset: 2 }),
    );
    expect(() => decodeMultipart(bytes('02 01 01 83 41'))).toThrow(
      expect.objectContaining({ code: 'TRUNCATED', field: 'WSP multipart part headers length', offset: 5 }),
    );
  });

  it('ignores octets after the last entry', () => {
    expect(decodeMultipart(bytes('01 01 01 83 41 0d0a'))).toEqual([{ contentType: { type: 'text/plain' }, data: data('A') }]);
  });

  it('refuses entries the encoder cannot write', () => {
    expect(() => encodeMultipart([{ contentType: { type: 'text/plain' }, data: 'x' as never }])).toThrow(/WSP multipart entry 1 data/);
    expect(() => encodeMultipart([{ contentType: { type: 'text/plain' }, bogus: 1 } as never])).toThrow(/not a multipart entry field/);
  });
});

describe('parameters without a name in the tables', () => {
  it('keep their code and re-encode typed', () => {
    // text/plain; 0x1F (unassigned) = 7; 0x1E (unassigned) = "v"
    const ct = `06 83 9f 87 9e ${Buffer.from('v').toString('hex')}00`;
    const parts = decodeMultipart(bytes(`01 07 00 ${ct}`));
    expect(parts[0].contentType).toEqual({ type: 'text/plain', params: { 'x-wsp-param-0x1f': 7, 'x-wsp-param-0x1e': 'v' } });
    expect(hex(encodeMultipart(parts))).toBe(`010700${ct.replace(/\s+/g, '')}`);
  });
});
