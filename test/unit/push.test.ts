// The WSP push PDU (wsp-wap-push.md §6): the minimal MMS push header, the fact sheet's worked
// notification (69 and 104 octets), the PDU forms and types, header values, the Headers-Length
// repair and its limits, and clear errors.
import { describe, expect, it } from 'vitest';
import { decodeMms, encodeMms, type MmsPdu } from '../../src/codec/mms/index.js';
import { decodePush, encodePush, type WspPush } from '../../src/codec/wsp/index.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
const ascii = (s: string): string => Buffer.from(s, 'latin1').toString('hex');
const MMS = 'application/vnd.wap.mms-message';
const mmsPush = (body: Uint8Array, tid = 1): WspPush => ({
  tid, pduType: 'push', contentType: { type: MMS }, applicationId: 'x-wap-application:mms.ua', body,
});

const notification: MmsPdu = {
  messageType: 'm-notification-ind', transactionId: 'T1a2b3c4', mmsVersion: '1.2', messageClass: 'Personal',
  messageSize: 30000, expiry: { relative: 604800 }, contentLocation: 'http://mmsc.example.net/m/T1a2b3c4',
};

describe('WSP push encode', () => {
  it('writes the minimal MMS push header TID 06 03 BE AF 84 (what Mbuni sends)', () => {
    expect(hex(encodePush(mmsPush(bytes('8c82'), 0x2a)))).toBe('2a0603beaf84' + '8c82');
  });

  it('reproduces the fact sheet worked example: 69 octets in one SMS', () => {
    const out = encodePush(mmsPush(encodeMms(notification)));
    expect(out.length).toBe(69);
    expect(hex(out)).toBe(
      '010603beaf848c8298' + ascii('T1a2b3c4') + '008d928a808e027530880581' + '03093a80' + '83' +
        ascii('http://mmsc.example.net/m/T1a2b3c4') + '00',
    );
  });

  it('adds From and a UTF-8 Subject: 104 octets, as the fact sheet counts', () => {
    const pdu = { ...notification, from: '+15551234567/TYPE=PLMN', subject: { text: 'Hello', charset: 'utf-8' as const } };
    const out = encodePush(mmsPush(encodeMms(pdu)));
    expect(out.length).toBe(104);
    expect(hex(out)).toContain(`8918 80${ascii('+15551234567/TYPE=PLMN')}00`.replace(/\s+/g, ''));
    expect(hex(out)).toContain(`9607ea${ascii('Hello')}00`);
    expect(decodeMms(decodePush(out).body)).toEqual(pdu);
  });

  it('writes the connection-oriented form (no TID) and ConfirmedPush', () => {
    const { tid: _tid, ...noTid } = mmsPush(bytes('8c82'));
    expect(hex(encodePush(noTid))).toBe('0603beaf84' + '8c82');
    expect(hex(encodePush({ ...mmsPush(bytes('8c82')), pduType: 'confirmed-push' }))).toBe('010703beaf84' + '8c82');
  });

  it('writes an application id without an assigned code as its URN', () => {
    const out = encodePush({ ...mmsPush(bytes('00')), applicationId: 'x-wap-application:example' });
    expect(hex(out)).toBe(`0106${(3 + 'x-wap-application:example'.length).toString(16)}beaf${ascii('x-wap-application:example')}0000`);
  });

  it('refuses what a push cannot carry', () => {
    expect(() => encodePush({ ...mmsPush(bytes('00')), tid: 256 })).toThrow(/WSP push TID/);
    expect(() => encodePush({ ...mmsPush(bytes('00')), pduType: 'get' as never })).toThrow(/WSP PDU type/);
    expect(() => encodePush({ ...mmsPush(bytes('00')), body: undefined as never })).toThrow(/WSP push body is missing/);
  });
});

describe('WSP push decode', () => {
  it('reads the headers an MMS stack needs and keeps the others raw, in order', () => {
    const push = decodePush(bytes(`01 06 0d be af84 b4 87 8d 01 a2 b0 ${ascii('u')}00 c3 95 8c82`));
    expect(push).toEqual({
      tid: 1, pduType: 'push', contentType: { type: MMS }, applicationId: 'x-wap-application:mms.ua', pushFlag: 7,
      contentLength: 162, headers: [{ code: 0x30, name: 'X-Wap-Content-URI', value: bytes(`${ascii('u')}00`) }],
      encodingVersion: '1.5', body: bytes('8c82'),
    });
    expect(Object.keys(push)).toEqual(['tid', 'pduType', 'contentType', 'applicationId', 'pushFlag', 'contentLength', 'headers', 'encodingVersion', 'body']);
    expect(decodePush(encodePush(push))).toEqual(push);
  });

  it('accepts the application id as a Long-integer (AF 01 04) or as a URN', () => {
    expect(decodePush(bytes('01 06 04 be af0104 00')).applicationId).toBe('x-wap-application:mms.ua');
    expect(decodePush(bytes(`01 06 1b be af ${ascii('x-wap-application:mms.ua')}00 00`)).applicationId).toBe('x-wap-application:mms.ua');
    expect(decodePush(bytes('01 06 03 be af 9f 00')).applicationId).toBe(0x1f); // unassigned: its number
  });

  it('recognises ConfirmedPush and the connection-oriented form', () => {
    expect(decodePush(bytes('05 07 01 be 00'))).toMatchObject({ tid: 5, pduType: 'confirmed-push' });
    const co = decodePush(bytes('06 01 be 41'), { connectionOriented: true });
    expect(co).toEqual({ pduType: 'push', contentType: { type: MMS }, body: bytes('41') });
    expect(hex(encodePush(co))).toBe('0601be41');
  });

  it('names other WSP PDU types in its error', () => {
    expect(() => decodePush(bytes('01 40 00'))).toThrow(expect.objectContaining({ code: 'BAD_TYPE', field: 'WSP PDU type', offset: 1 }));
    expect(() => decodePush(bytes('01 40 00'))).toThrow(/Get \(0x40\) is not a push PDU/);
    expect(() => decodePush(bytes('60 00'), { connectionOriented: true })).toThrow(/Post \(0x60\) is not a push PDU/);
    expect(() => decodePush(bytes('01 99 00'))).toThrow(/0x99 is not a WSP PDU type/);
  });

  it('names the header length when it runs past the PDU, and where', () => {
    expect(() => decodePush(bytes('01 06 24 be af84'))).toThrow(expect.objectContaining({ code: 'TRUNCATED', field: 'WSP push headers length', offset: 2 }));
    expect(() => decodePush(bytes('01 06 8f'))).toThrow(expect.objectContaining({ code: 'TRUNCATED', field: 'WSP push headers length' }));
  });

  it('refuses header code-page shifts (never used by push or MMS)', () => {
    expect(() => decodePush(bytes('01 06 03 be 7f 02 00'))).toThrow(expect.objectContaining({ code: 'UNSUPPORTED', field: 'WSP header', offset: 4 }));
  });
});

describe('Headers-Length repair (gammu issue #298)', () => {
  const body = encodeMms(notification);

  it('recovers an MMS body the declared length overshoots, by 2 or by more', () => {
    for (const extra of [2, 5]) {
      const pdu = Uint8Array.from([0x2e, 0x06, 3 + extra, 0xbe, 0xaf, 0x84, ...body]);
      const push = decodePush(pdu);
      expect(push.headersLengthRepaired).toEqual({ declared: 3 + extra, actual: 3 });
      expect(decodeMms(push.body)).toEqual(notification);
      expect(hex(encodePush(push))).toBe(hex(encodePush(mmsPush(body, 0x2e))));
    }
  });

  it('does not touch a push whose declared body starts with X-Mms-Message-Type', () => {
    // a Content-Language header (8C 82) legitimately ends the headers; the body starts with 8C
    const pdu = Uint8Array.from([0x01, 0x06, 0x05, 0xbe, 0xaf, 0x84, 0x8c, 0x82, ...body]);
    const push = decodePush(pdu);
    expect(push.headersLengthRepaired).toBeUndefined();
    expect(push.headers).toEqual([{ code: 0x0c, name: 'Content-Language', value: bytes('82') }]);
    expect(decodeMms(push.body)).toEqual(notification);
  });

  it('never repairs a push that is not an MMS message', () => {
    const push = decodePush(bytes('01 06 05 cb af88 8c82 0303'));
    expect(push.headersLengthRepaired).toBeUndefined();
    expect(push.body).toEqual(bytes('0303'));
  });
});
