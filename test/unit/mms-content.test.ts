// Part content helpers (partContent, partText) and the address helper (parseAddress).
import { describe, expect, it } from 'vitest';
import { parseAddress, partContent, partText, type MmsPart } from '../../src/codec/mms/index.js';

const part = (data: Uint8Array, extra: Partial<MmsPart> = {}): MmsPart => ({ contentType: { type: 'text/plain' }, data, ...extra });
const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s));

describe('partContent', () => {
  it('returns the data itself (a view, no copy) without a transfer encoding', () => {
    const data = utf8('raw');
    expect(partContent(part(data))).toBe(data);
    expect(partContent(part(data, { contentTransferEncoding: 'binary' }))).toBe(data);
    expect(partContent({ contentType: { type: 'text/plain' } })).toEqual(new Uint8Array(0));
  });

  it('undoes base64 (whitespace and case of the token tolerated)', () => {
    const out = partContent(part(utf8('aGVs\r\nbG8='), { contentTransferEncoding: ' Base64 ' }));
    expect(Buffer.from(out).toString()).toBe('hello');
  });

  it('undoes quoted-printable: =XX octets, soft line breaks, stray "=" kept', () => {
    const out = partContent(part(utf8('caf=C3=A9 =\r\nau lait=\nx =ZZ'), { contentTransferEncoding: 'quoted-printable' }));
    expect(Buffer.from(out).toString()).toBe('café au laitx =ZZ');
  });
});

describe('partText', () => {
  it('decodes by the charset parameter, UTF-8 by default, without a byte-order mark', () => {
    expect(partText(part(utf8('\ufeffhej å')))).toBe('hej å');
    expect(partText(part(new Uint8Array([0x68, 0xe9]), { contentType: { type: 'text/plain', params: { charset: 'iso-8859-1' } } }))).toBe('hé');
    const utf16 = new Uint8Array([0xff, 0xfe, 0x68, 0x00, 0xe5, 0x00]);
    expect(partText(part(utf16, { contentType: { type: 'text/plain', params: { charset: 'utf-16' } } }))).toBe('hå');
    expect(partText(part(new Uint8Array([0x04, 0x1f]), { contentType: { type: 'text/plain', params: { charset: 'iso-10646-ucs-2' } } }))).toBe('П');
  });

  it('decodes after undoing the transfer encoding', () => {
    expect(partText(part(utf8('0J/RgNC40LLQtdGC'), { contentTransferEncoding: 'base64', contentType: { type: 'text/plain', params: { charset: 'utf-8' } } }))).toBe('Привет');
  });
});

describe('parseAddress', () => {
  it('reads device addresses by their /TYPE=', () => {
    expect(parseAddress('+47 123-45.678/TYPE=PLMN')).toEqual({ kind: 'phone', number: '+4712345678', address: '+47 123-45.678/TYPE=PLMN' });
    expect(parseAddress('195.153.199.30/type=ipv4')).toEqual({ kind: 'ipv4', ip: '195.153.199.30', address: '195.153.199.30/type=ipv4' });
    expect(parseAddress('FEDC:BA98::3210/TYPE=IPv6')).toMatchObject({ kind: 'ipv6', ip: 'FEDC:BA98::3210' });
    expect(parseAddress('a%2Fb/TYPE=x-foo')).toMatchObject({ kind: 'other', type: 'x-foo', value: 'a/b' });
  });

  it('reads e-mail addresses with and without a display name', () => {
    expect(parseAddress('joe@example.org')).toEqual({ kind: 'email', email: 'joe@example.org', address: 'joe@example.org' });
    expect(parseAddress({ text: '"Joe Q" <joe@example.org>', charset: 'utf-8' })).toEqual({
      kind: 'email', email: 'joe@example.org', displayName: 'Joe Q', address: '"Joe Q" <joe@example.org>',
    });
  });

  it('reads short codes (numeric and alphanumeric) and leaves anything else unknown', () => {
    expect(parseAddress('*123')).toEqual({ kind: 'shortcode', code: '*123', address: '*123' });
    expect(parseAddress('Erotik')).toMatchObject({ kind: 'shortcode', code: 'Erotik' });
    expect(parseAddress('not an address!')).toEqual({ kind: 'unknown', address: 'not an address!' });
  });
});
