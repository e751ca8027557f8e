// The WAP push corpus (test/corpus/push): every connectionless push decodes as its source
// states (and as Wireshark reads it), MMS notifications decode through decodeMms, the push of
// gammu issue #298 (Headers-Length 2 too large) is recovered, and decode(encode(x)) == x.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMms, encodeMms, type EncodedString, type MmsPdu } from '../../src/codec/mms/index.js';
import { decodePush, encodePush, type WspPush } from '../../src/codec/wsp/index.js';
import { tsharkMismatches } from './mms-tshark.js';

const CORPUS = join(import.meta.dirname, '../corpus');
interface Entry { file: string; tshark_4_0_17_summary?: string[] }
const manifest = JSON.parse(readFileSync(join(CORPUS, 'manifest.json'), 'utf8')) as { files: Entry[] };
const load = (file: string): Uint8Array => new Uint8Array(readFileSync(join(CORPUS, file)));
const pushFiles = readdirSync(join(CORPUS, 'push')).map((f) => `push/${f}`);
const text = (v: EncodedString | undefined): string | undefined => (v === undefined ? undefined : typeof v === 'string' ? v : v.text);
const MMS_TYPE = 'application/vnd.wap.mms-message';
const isMms = (p: WspPush): boolean => p.contentType.type === MMS_TYPE && p.applicationId === 'x-wap-application:mms.ua';

/** Source-stated facts of each push (manifest `expected`). */
const EXPECTED: Record<string, (push: WspPush, bytes: Uint8Array, mms?: MmsPdu) => void> = {
  'push/mmsd-push1-mms-notification-push-flag.wsp': (p, b) => {
    expect([b.length, p.tid, p.pduType, b[2]]).toEqual([107, 1, 'push', 36]);
    expect(Buffer.from(b.subarray(3, 35)).toString('latin1')).toBe(`${MMS_TYPE}\0`); // content type as text
    expect(p).toMatchObject({ contentType: { type: MMS_TYPE }, applicationId: 'x-wap-application:mms.ua', pushFlag: 6 });
    expect(Buffer.from(p.body).equals(Buffer.from(load('mms/mmsd-notification-ind-erotik-pinups.mms')))).toBe(true);
  },
  'push/mmsd-push2-mms-notification-content-length.wsp': (p, b) => {
    expect([b.length, p.tid, b[2], p.body.length]).toEqual([132, 0, 36, 93]);
    expect(p).toMatchObject({ applicationId: 'x-wap-application:mms.ua', contentLength: 0x5c });
    expect(Buffer.from(p.body).equals(Buffer.from(load('mms/mmsd-notification-ind-no-subject.mms')))).toBe(true);
  },
  'push/mmsd-push3-drm-rights.wsp': (p, b) => {
    expect([b.length, p.tid, b[2], b[3], p.body.length]).toEqual([90, 76, 3, 0xcb, 84]);
    expect(p).toMatchObject({ contentType: { type: 'application/vnd.oma.drm.rights+wbxml' }, applicationId: 'x-wap-application:drm.ua' });
    expect(isMms(p)).toBe(false);
  },
  'push/mmsd-push5-connectivity-wbxml.wsp': (p, b) => {
    expect([b.length, p.tid, b[2], p.body.length]).toEqual([115, 196, 47, 65]);
    expect(p.contentType).toEqual({
      type: 'application/vnd.wap.connectivity-wbxml', params: { SEC: 1, MAC: '59D36D14E88499A3D56EBA6D4F94A67041BD2A9C' }, // SEC 1 = USERPIN
    });
    expect(isMms(p)).toBe(false);
  },
  'push/pymsg-o2uk-a-mms-notification.wsp': (_p, _b, m) => {
    expect(m).toMatchObject({
      messageType: 'm-notification-ind', transactionId: 'NOK5CiKcoTMYSG4MBSwAAsKv14FUHAAAAAAAA', mmsVersion: '1.0',
      from: '+447785342749/TYPE=PLMN', messageClass: 'Personal', messageSize: 29696, expiry: { relative: 72000 },
      contentLocation: 'http://promms/servlets/NOK5CiKcoTMYSG4MBSwAAsKv14FUHAAAAAAAA',
    });
  },
  'push/pymsg-vodafone-de-service-indication.wsp': (p, b) => {
    expect(b.length).toBe(176);
    expect(Buffer.from(b.subarray(0, 7)).toString('hex')).toBe('01060b03ae81ea');
    expect(p).toMatchObject({
      contentType: { type: 'application/vnd.wap.sic', params: { charset: 'utf-8' } }, encodingVersion: '1.5', contentLength: 162,
    });
    expect(p.pushFlag).toBeTypeOf('number');
    expect(p.body.length).toBe(162);
    expect(isMms(p)).toBe(false);
  },
  'push/android-gsmsmstest-mms-notification.wsp': (p, _b, m) => {
    expect(p.contentType.type).toBe(MMS_TYPE);
    expect(text(m!.from as EncodedString)).toBe('+15122977683/TYPE=PLMN');
  },
  'push/gammu-at-sms-33-mms-notification.wsp': (p, _b, m) => {
    expect(isMms(p)).toBe(true);
    expect(m!.messageType).toBe('m-notification-ind');
  },
  'push/gammu-at-sms-40-mms-notification.wsp': (_p, _b, m) => {
    expect(m).toMatchObject({ from: '+33333493211/TYPE=PLMN', subject: '', contentLocation: 'http://mts/?id=81460494', messageSize: 96857 });
  },
  'push/gammu-at-sms-failing-40-bare-wsp.wsp': (p, b, m) => {
    expect(p).toMatchObject({ tid: 9, initiatorUri: '192.168.238.19', applicationId: 'x-wap-application:mms.ua', pushFlag: 1 });
    expect(b[3]).toBe(0x61); // content type as a text string
    expect(m).toMatchObject({ messageType: 'm-notification-ind', from: '+48726615253/TYPE=PLMN', subject: { text: 'DSC00224', charset: 'utf-8' } });
  },
  'push/gammu-backup-vodafone-cz-promms.wsp': (p, _b, m) => {
    expect(isMms(p)).toBe(true);
    expect(m!.contentLocation).toMatch(/^http:\/\/promms\//);
  },
  'push/gammu-backup-tmobile-cz.wsp': (_p, _b, m) => expect(text(m!.subject)).toBe('Predmet'),
  'push/gammu-backup-cz-utf8-subject.wsp': (_p, _b, m) => expect(m!.subject).toEqual({ text: 'Zkouška', charset: 'utf-8' }),
  'push/gammu-backup-cz-subject-a.wsp': (_p, _b, m) => expect(text(m!.subject)).toBe('A'),
  'push/gammu-issue298-bad-wsp-headers-length.wsp': (p, b, m) => {
    // Headers-Length says 36, the content type + X-Wap-Application-Id occupy 34: recovered.
    expect(b[2]).toBe(36);
    expect(p.headersLengthRepaired).toEqual({ declared: 36, actual: 34 });
    expect(p.body.byteOffset - b.byteOffset).toBe(3 + 34);
    expect(m).toMatchObject({
      messageType: 'm-notification-ind', mmsVersion: '1.2', from: '+32476493211/TYPE=PLMN', subject: '',
      messageSize: 254331, contentLocation: 'http://mts/?id=81343974',
    });
    const keys = Object.keys(m!);
    expect(keys.indexOf('priority')).toBeLessThan(keys.indexOf('messageClass'));
    expect(keys.indexOf('deliveryReport')).toBeLessThan(keys.indexOf('messageClass'));
  },
};

describe('WAP push corpus', () => {
  it('has an expectation for every push in the corpus', () => {
    expect(pushFiles.length).toBe(15);
    expect(pushFiles.filter((f) => !EXPECTED[f])).toEqual([]);
  });

  for (const file of pushFiles) {
    it(`decodes ${file} as its source and Wireshark state`, () => {
      const bytes = load(file);
      const push = decodePush(bytes);
      const mms = isMms(push) ? decodeMms(push.body) : undefined;
      EXPECTED[file](push, bytes, mms);
      expect(push.body.buffer).toBe(bytes.buffer); // a view, not a copy

      const lines = manifest.files.find((f) => f.file === file)!.tshark_4_0_17_summary ?? [];
      const [tid, type, hl, ct, ...mmsLines] = lines;
      expect(tid).toBe(`Transaction ID: 0x${push.tid!.toString(16).padStart(2, '0')}`);
      expect(type).toBe('PDU Type: Push (0x06)');
      expect(hl).toBe(`Headers Length: ${bytes[2]}`);
      expect(ct.startsWith(`Content-Type: ${push.contentType.type}`)).toBe(true);
      // tshark trusts the wrong Headers-Length of issue #298 and misreads the MMS PDU
      if (mms && !push.headersLengthRepaired) expect(tsharkMismatches(mms, mmsLines)).toEqual([]);
    });
  }

  it('reports a non-push WSP PDU by its type name', () => {
    const connect = Uint8Array.of(0x01, 0x01, 0x10, 0x00, 0x00);
    expect(() => decodePush(connect)).toThrow(/WSP PDU type has an unknown type \(at byte 1\): Connect \(0x01\) is not a push PDU/);
  });

  it('decode(encode(x)) deep-equals x for every push (the repaired length aside)', () => {
    let identical = 0;
    for (const file of pushFiles) {
      const bytes = load(file);
      const push = decodePush(bytes);
      const again = encodePush(push);
      const { headersLengthRepaired, ...rest } = push;
      expect(decodePush(again), file).toEqual(rest);
      if (Buffer.from(again).equals(Buffer.from(bytes))) identical++;
      else {
        const why = headersLengthRepaired ? 'Headers-Length corrected (36 -> 34) and textual content type re-encoded as 0xBE'
          : bytes[3] === 0x61 ? 'textual content type application/vnd.wap.mms-message re-encoded as the code 0xBE' : 'UNEXPLAINED';
        expect(why, file).not.toBe('UNEXPLAINED');
        console.log(`  ${file}: ${why}`);
      }
    }
    console.log(`WAP push corpus round trip: ${identical}/${pushFiles.length} re-encode byte-identically`);
    expect(identical).toBeGreaterThanOrEqual(4);
  });

  it('decode(encode(x)) deep-equals x for every MMS notification the pushes carry', () => {
    // the notifications whose octets are not canonical, why, and the octets that show it
    const canonicalised: Record<string, [string, string]> = {
      'push/gammu-at-sms-33-mms-notification.wsp': ['From charset ISO-8859-1 as a bare octet 04 (re-encoded as 0x84)', '891980160433'],
      'push/gammu-backup-tmobile-cz.wsp': ['a trailing newline after the last header (dropped)', '3138000a'],
      'push/gammu-backup-vodafone-cz-promms.wsp': ['a trailing newline after the last header (dropped)', '4141000a'],
    };
    let identical = 0;
    let total = 0;
    for (const file of pushFiles) {
      const push = decodePush(load(file));
      if (!isMms(push)) continue;
      total++;
      const pdu = decodeMms(push.body);
      const again = encodeMms(pdu);
      expect(decodeMms(again), file).toEqual(pdu);
      if (Buffer.from(again).equals(Buffer.from(push.body))) identical++;
      else {
        const [why, evidence] = canonicalised[file] ?? ['UNEXPLAINED', '-'];
        expect(Buffer.from(push.body).toString('hex'), `${file}: ${why}`).toContain(evidence);
        console.log(`  ${file} (its MMS PDU): ${why}`);
      }
    }
    console.log(`MMS notifications in pushes: ${identical}/${total} re-encode byte-identically`);
    expect(total - identical).toBe(Object.keys(canonicalised).length);
  });
});
