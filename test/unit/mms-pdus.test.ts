// Every MMS message type (0x80-0x97) with the header fields OMA-MMS-ENC 1.0-1.3 gives it
// (fact sheet §6): encode -> decode gives the same object back, the composite values have
// the octets the spec examples show, and the object model behaves as documented.
import { describe, expect, it } from 'vitest';
import { CodecError } from '../../src/codec/errors.js';
import { decodeMms, encodeMms, MESSAGE_TYPES, type MmsPdu } from '../../src/codec/mms/index.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const bytes = (h: string): Uint8Array => new Uint8Array(Buffer.from(h.replace(/\s+/g, ''), 'hex'));
const ascii = (s: string): string => Buffer.from(s, 'latin1').toString('hex');
const data = (s: string): Uint8Array => new Uint8Array(Buffer.from(s));
const T0 = 1700000000;

const descr: MmsPdu = {
  messageType: 'm-mbox-descr', mmsVersion: '1.2', messageId: 'm-1', contentLocation: 'http://box/1', mmState: 'New',
  mmFlags: [{ action: 'Add', keyword: '$Seen' }], date: T0, from: '+1555/TYPE=PLMN', to: ['+1666/TYPE=PLMN'],
  cc: ['c@example.org'], bcc: ['b@example.org'], messageClass: 'Personal', subject: 'hi', priority: 'Normal',
  deliveryTime: { absolute: T0 + 60 }, expiry: { relative: 86400 }, deliveryReport: true, readReport: false,
  messageSize: 1234, previouslySentBy: [{ count: 0, address: '+1777/TYPE=PLMN' }], previouslySentDate: [{ count: 0, date: T0 - 5 }],
  contentType: { type: 'application/vnd.wap.multipart.mixed' },
  parts: [{ contentType: { type: 'text/plain', params: { charset: 'utf-8' } }, data: data('hello') }],
};
const sendReq: MmsPdu = {
  messageType: 'm-send-req', transactionId: 'tx-1', mmsVersion: '1.3', date: T0, from: { insertAddress: true },
  to: ['+4712345678/TYPE=PLMN', { text: 'Ålesund <a@example.no>', charset: 'utf-8' }], cc: ['10.0.0.1/TYPE=IPv4'],
  bcc: ['x@example.org'], subject: { text: 'Привет', charset: 'utf-8' }, messageClass: 'Advertisement',
  expiry: { relative: 604800 }, deliveryTime: { absolute: T0 + 3600 }, priority: 'High', senderVisibility: 'Hide',
  deliveryReport: true, readReport: false, store: true, mmState: 'Draft', mmFlags: [{ action: 'Add', keyword: '$Work' }],
  replyCharging: 'Requested', replyChargingDeadline: { relative: 3600 }, replyChargingSize: 2000, replyChargingId: 'rc-1',
  applicId: 'app', replyApplicId: 'reply-app', auxApplicInfo: 'aux', contentClass: 'image-basic', drmContent: false,
  adaptationAllowed: true,
  contentType: { type: 'application/vnd.wap.multipart.related', params: { start: '<smil>', type: 'application/smil' } },
  parts: [
    { contentType: { type: 'application/smil', params: { charset: 'utf-8' } }, contentId: '<smil>', contentLocation: 's.smil', data: data('<smil/>') },
    { contentType: { type: 'image/jpeg', params: { name: 'p.jpg' } }, contentId: '<p>', contentDisposition: { type: 'attachment', params: { filename: 'p.jpg' } }, data: new Uint8Array([0xff, 0xd8, 0xff]) },
  ],
};

/** One PDU of every message type, with the header fields of its row in the fact sheet §6. */
const PDUS: MmsPdu[] = [
  sendReq,
  {
    messageType: 'm-send-conf', transactionId: 'tx-1', mmsVersion: '1.2', responseStatus: 'Ok', responseText: 'accepted',
    messageId: 'msg-1', contentLocation: 'http://box/1', storeStatus: 'Success', storeStatusText: { text: 'stored', charset: 'us-ascii' },
  },
  {
    messageType: 'm-notification-ind', transactionId: 'n-1', mmsVersion: '1.3', from: '+4712345678/TYPE=PLMN', subject: 'x',
    deliveryReport: false, stored: true, messageClass: 'Personal', priority: 'Low', messageSize: 30000, expiry: { relative: 259200 },
    replyCharging: 'Accepted-text-only', replyChargingDeadline: { absolute: T0 }, replyChargingSize: 100, replyChargingId: 'rc',
    contentLocation: 'http://mmsc/m/1', distributionIndicator: true,
    elementDescriptor: { contentReference: 'http://mmsc/e/1', params: { type: 'image/jpeg' } },
    recommendedRetrievalMode: 'Manual', recommendedRetrievalModeText: 'large', applicId: 'a', replyApplicId: 'b',
    auxApplicInfo: 'c', contentClass: 'content-rich', drmContent: true, replaceId: 'old-1',
  },
  { messageType: 'm-notifyresp-ind', transactionId: 'n-1', mmsVersion: '1.0', status: 'Deferred', reportAllowed: false },
  {
    messageType: 'm-retrieve-conf', transactionId: 'r-1', mmsVersion: '1.2', messageId: 'msg-1', date: T0, from: '+1/TYPE=PLMN',
    to: ['+2/TYPE=PLMN'], cc: ['+3/TYPE=PLMN'], subject: 's', messageClass: 'Informational', priority: 'Normal',
    deliveryReport: true, readReport: true, replyCharging: 'Requested-text-only', retrieveStatus: 'Ok', retrieveText: 'fine',
    previouslySentBy: [{ count: 0, address: '+4/TYPE=PLMN' }, { count: 1, address: { text: '+5/TYPE=PLMN', charset: 'utf-8' } }],
    previouslySentDate: [{ count: 0, date: T0 - 100 }, { count: 1, date: T0 - 50 }], mmState: 'Retrieved',
    mmFlags: [{ action: 'Remove', keyword: '$Old' }], distributionIndicator: false, applicId: 'a', contentClass: 'video-rich',
    drmContent: false, replaceId: 'r', contentType: { type: 'text/plain', params: { charset: 'utf-8' } }, body: data('just text'),
  },
  { messageType: 'm-acknowledge-ind', transactionId: 'r-1', mmsVersion: '1.1', reportAllowed: true },
  {
    messageType: 'm-delivery-ind', mmsVersion: '1.3', messageId: 'msg-1', to: ['+2/TYPE=PLMN'], date: T0, status: 'Unreachable',
    statusText: 'no route', applicId: 'a', replyApplicId: 'b', auxApplicInfo: 'c',
  },
  { messageType: 'm-read-rec-ind', mmsVersion: '1.1', messageId: 'msg-1', to: ['+1/TYPE=PLMN'], from: { insertAddress: true }, date: T0, readStatus: 'Read' },
  { messageType: 'm-read-orig-ind', mmsVersion: '1.1', messageId: 'msg-1', to: ['+1/TYPE=PLMN'], from: '+2/TYPE=PLMN', date: T0, readStatus: 'Deleted-without-being-read' },
  {
    messageType: 'm-forward-req', transactionId: 'f-1', mmsVersion: '1.2', date: T0, from: { insertAddress: true }, to: ['+9/TYPE=PLMN'],
    expiry: { absolute: T0 + 86400 }, deliveryTime: { relative: 60 }, reportAllowed: true, deliveryReport: false, readReport: true,
    store: true, mmState: 'Forwarded', mmFlags: [{ action: 'Add', keyword: 'fwd' }], contentLocation: 'http://mmsc/m/1',
  },
  {
    messageType: 'm-forward-conf', transactionId: 'f-1', mmsVersion: '1.2', responseStatus: 'Error-transient-network-problem',
    responseText: 'later', messageId: 'msg-2', contentLocation: 'http://box/2', storeStatus: 'Error-transient-failure', storeStatusText: 'x',
  },
  { messageType: 'm-mbox-store-req', transactionId: 's-1', mmsVersion: '1.2', contentLocation: 'http://mmsc/m/1', mmState: 'New', mmFlags: [{ action: 'Add', keyword: 'a' }, { action: 'Remove', keyword: 'b' }] },
  { messageType: 'm-mbox-store-conf', transactionId: 's-1', mmsVersion: '1.2', contentLocation: 'http://box/1', storeStatus: 'Error-permanent-mmbox-full', storeStatusText: 'full' },
  {
    messageType: 'm-mbox-view-req', transactionId: 'v-1', mmsVersion: '1.2', contentLocation: ['http://box/1', 'http://box/2'],
    mmState: ['New', 'Retrieved'], mmFlags: [{ action: 'Filter', keyword: '$Work' }], start: 0, limit: 10,
    attributes: ['subject', 'messageSize', 'content', 'additionalHeaders'], totals: true, quotas: true,
  },
  {
    messageType: 'm-mbox-view-conf', transactionId: 'v-1', mmsVersion: '1.2', responseStatus: 'Ok', responseText: 'ok', mmState: 'New',
    start: 0, limit: 10, attributes: ['subject'], mboxTotals: { messages: 5, size: 12345 }, mboxQuotas: { messages: 100, size: 1000000 },
    messageCount: 1, contentType: { type: 'application/vnd.wap.multipart.mixed' },
    parts: [{ contentType: { type: 'application/vnd.wap.mms-message' }, pdu: descr }],
  },
  {
    messageType: 'm-mbox-upload-req', transactionId: 'u-1', mmsVersion: '1.2', mmState: 'Draft', mmFlags: [{ action: 'Add', keyword: 'd' }],
    contentType: { type: 'application/vnd.wap.mms-message' }, bodyPdu: sendReq,
  },
  { messageType: 'm-mbox-upload-conf', transactionId: 'u-1', mmsVersion: '1.2', contentLocation: 'http://box/3', storeStatus: 'Success' },
  { messageType: 'm-mbox-delete-req', transactionId: 'd-1', mmsVersion: '1.2', contentLocation: ['http://box/1', 'http://box/2'] },
  {
    messageType: 'm-mbox-delete-conf', transactionId: 'd-1', mmsVersion: '1.2',
    contentLocation: [{ index: 0, value: 'http://box/1' }, { index: 1, value: 'http://box/2' }],
    responseStatus: [{ index: 0, value: 'Ok' }, { index: 1, value: 'Error-permanent-message-not-found' }],
    responseText: [{ index: 1, value: { text: 'gone', charset: 'utf-8' } }],
  },
  descr,
  { messageType: 'm-delete-req', transactionId: 'x-1', mmsVersion: '1.3', contentLocation: ['http://mmsc/m/1', 'http://mmsc/m/2'] },
  {
    messageType: 'm-delete-conf', transactionId: 'x-1', mmsVersion: '1.3', contentLocation: [{ index: 0, value: 'http://mmsc/m/1' }],
    responseStatus: [{ index: 0, value: 'Ok' }], responseText: [{ index: 0, value: 'deleted' }],
  },
  { messageType: 'm-cancel-req', transactionId: 'c-1', mmsVersion: '1.3', cancelId: 'msg-1' },
  { messageType: 'm-cancel-conf', transactionId: 'c-1', mmsVersion: '1.3', cancelStatus: 'Cancel-request-corrupted' },
];

describe('every message type', () => {
  it('covers 0x80..0x97 in order', () => {
    expect(PDUS.map((p) => p.messageType)).toEqual(MESSAGE_TYPES);
  });

  for (const [i, pdu] of PDUS.entries()) {
    it(`${pdu.messageType} (0x${(0x80 + i).toString(16)}): encode -> decode gives it back, header order kept`, () => {
      const out = encodeMms(pdu);
      expect(hex(out.subarray(0, 2))).toBe(`8c${(0x80 + i).toString(16)}`);
      const back = decodeMms(out);
      expect(back).toEqual(pdu);
      expect(Object.keys(back)).toEqual(Object.keys(pdu));
      expect(hex(encodeMms(back))).toBe(hex(out)); // canonical: a second encode is identical
    });
  }
});

describe('composite values on the wire (fact sheet §7)', () => {
  const sendOut = hex(encodeMms(sendReq));
  it('From as Insert-address-token: 89 01 81', () => expect(sendOut).toContain('890181'));
  it('Expiry relative 7 days: 88 05 81 03 09 3A 80', () => expect(sendOut).toContain('88058103093a80'));
  it('Delivery-Time absolute: 87 06 80 04 <epoch>', () => expect(sendOut).toContain(`87068004${(T0 + 3600).toString(16)}`));
  it('MM-Flags add "$Work": A4 07 80 24 57 6F 72 6B 00', () => expect(sendOut).toContain('a4078024576f726b00'));
  it('X-Mms-Content-Class, DRM-Content, Adaptation-Allowed as single tokens', () => expect(sendOut).toContain('ba81bb81bc80'));
  it('From present with an address: 89 VL 80 <text>', () => {
    expect(hex(encodeMms(PDUS[8]))).toContain(`890e 80${ascii('+2/TYPE=PLMN')}00`.replace(/\s+/g, ''));
  });
  it('Previously-Sent-By / -Date with their forwarded counts (A0 VL 81 <ESV>)', () => {
    const out = hex(encodeMms(PDUS[4]));
    expect(out).toContain(`a00e 80 ${ascii('+4/TYPE=PLMN')}00`.replace(/\s+/g, ''));
    expect(out).toContain(`a010 81 0eea${ascii('+5/TYPE=PLMN')}00`.replace(/\s+/g, ''));
    expect(out).toContain(`a106 81 04${(T0 - 50).toString(16)}`.replace(/\s+/g, ''));
  });
  it('Mbox-Totals and Mbox-Quotas: one header per token', () => {
    const out = hex(encodeMms(PDUS[14]));
    expect(out).toContain('aa028085'); // messages 5
    expect(out).toContain('aa0481023039'); // size 12345
    expect(out).toContain('ac0280e4'); // 100 messages
    expect(out).toContain('ac0581030f4240'); // 1000000 octets
  });
  it('indexed Content-Location / Response-Status / Response-Text in m-mbox-delete-conf', () => {
    const out = hex(encodeMms(PDUS[18]));
    expect(out).toContain(`830e 80 ${ascii('http://box/1')}00`.replace(/\s+/g, ''));
    expect(out).toContain('92028080'); // index 0, Ok
    expect(out).toContain('920281e4'); // index 1, Error-permanent-message-not-found
    expect(out).toContain(`9308 81 06ea${ascii('gone')}00`.replace(/\s+/g, ''));
  });
  it('X-Mms-Element-Descriptor: reference + type (0x82) as a well-known media', () => {
    const out = hex(encodeMms(PDUS[2]));
    expect(out).toContain(`b2${(ascii('http://mmsc/e/1').length / 2 + 3).toString(16)}${ascii('http://mmsc/e/1')}00829e`);
  });
  it('X-Mms-Attributes: one field code per header (Content = 0xAE, Additional-headers = 0xB0)', () => {
    expect(hex(encodeMms(PDUS[13]))).toContain('a896a88ea8aea8b0');
  });
});

describe('the object model', () => {
  const head = '8c81 98 7400 8d92'; // m-send-conf, TID "t", 1.2

  it('folds unknown Response/Retrieve/Store-Status values and keeps the octet', () => {
    expect(decodeMms(bytes(`${head} 92 c5`)).responseStatus).toEqual({ name: 'Error-transient-failure', raw: 0xc5 });
    expect(decodeMms(bytes(`${head} 92 f1`)).responseStatus).toEqual({ name: 'Error-permanent-failure', raw: 0xf1 });
    expect(decodeMms(bytes(`${head} 92 99`)).responseStatus).toEqual({ name: 'Error-permanent-failure', raw: 0x99 });
    expect(decodeMms(bytes(`${head} 92 e7`)).responseStatus).toBe('Error-permanent-reply-charging-request-not-accepted'); // not AOSP's 0xE6
    expect(decodeMms(bytes(`${head} 92 80 a5 c9`)).storeStatus).toEqual({ name: 'Error-transient-failure', raw: 0xc9 });
    const rc = decodeMms(bytes('8c84 8d92 850101 99 e5 84 83'));
    expect(rc.retrieveStatus).toEqual({ name: 'Error-permanent-failure', raw: 0xe5 });
    expect(hex(encodeMms(rc))).toBe('8c848d92850101' + '99e5' + '8483');
  });

  it('keeps undefined enumeration octets as numbers and re-encodes them', () => {
    const pdu = decodeMms(bytes(`${head} 92 80 8f 85 86 82 94 83`));
    expect(pdu).toMatchObject({ priority: 0x85, deliveryReport: 0x82, senderVisibility: 0x83 });
    expect(hex(encodeMms(pdu))).toBe(`${head}92808f85868294 83`.replace(/\s+/g, ''));
  });

  it('keeps unknown well-known header codes raw, by their value encoding, in place', () => {
    const pdu = decodeMms(bytes(`${head} 92 80 c1 85 c2 ${ascii('txt')}00 c3 03 010203 bf 80`));
    expect(pdu.unknownHeaders).toEqual([
      { code: 0x41, value: bytes('85') }, { code: 0x42, value: bytes(`${ascii('txt')}00`) }, { code: 0x43, value: bytes('03010203') },
    ]);
    expect(pdu.cancelStatus).toBe('Cancel-request-successfully-received');
    expect(hex(encodeMms(pdu))).toBe(`${head}9280 c185 c2${ascii('txt')}00 c303010203 bf80`.replace(/\s+/g, ''));
  });

  it('keeps textual (application) headers with their order', () => {
    const pdu = decodeMms(bytes(`${head} ${ascii('X-A')}00${ascii('1')}00 92 80 ${ascii('X-B')}00 00`));
    expect(Object.keys(pdu)).toEqual(['messageType', 'transactionId', 'mmsVersion', 'applicationHeaders', 'responseStatus']);
    expect(pdu.applicationHeaders).toEqual([{ name: 'X-A', value: '1' }, { name: 'X-B', value: '' }]);
    expect(decodeMms(encodeMms(pdu))).toEqual(pdu);
  });

  it('keeps the first of a repeated single-valued header', () => {
    expect(decodeMms(bytes(`${head} 92 80 8b ${ascii('a')}00 8b ${ascii('b')}00`)).messageId).toBe('a');
  });

  it('writes type, TID and version first and Content-Type last whatever the key order', () => {
    const pdu = { contentType: { type: 'text/plain' }, body: data('x'), date: 1, mmsVersion: '1.0', messageType: 'm-retrieve-conf' } as MmsPdu;
    expect(hex(encodeMms(pdu))).toBe('8c848d90850101 8483 78'.replace(/\s+/g, ''));
  });

  it('decodes the MMS PDUs m-mbox-view-conf and m-mbox-upload-req carry, or keeps them raw', () => {
    const view = encodeMms(PDUS[14]);
    expect(decodeMms(view).parts![0].pdu).toEqual(descr);
    const flat = decodeMms(view, { nested: false });
    expect(decodeMms(flat.parts![0].data!)).toEqual(descr);
    const upload = decodeMms(encodeMms(PDUS[15]), { nested: false });
    expect(upload.bodyPdu).toBeUndefined();
    expect(decodeMms(upload.body!)).toEqual(sendReq);
  });

  it('reads only the header fields when asked (to answer a PDU whose body is corrupt)', () => {
    const out = encodeMms(sendReq);
    const broken = out.slice(0, out.length - 2); // the last entry is cut short
    expect(() => decodeMms(broken)).toThrow(expect.objectContaining({ code: 'TRUNCATED', field: 'WSP multipart part data length' }));
    const head = decodeMms(broken, { headersOnly: true });
    const { parts: _p, ...headers } = sendReq;
    expect(head).toEqual(headers);
  });

  it('turns a repeated or indexed Content-Location into a list', () => {
    expect(decodeMms(encodeMms(PDUS[17])).contentLocation).toEqual(['http://box/1', 'http://box/2']);
    expect(decodeMms(bytes(`${head} 92 80 83 ${ascii('u')}00`)).contentLocation).toBe('u');
  });
});

describe('encode sizing', () => {
  it('grows its windows for long strings and many composite rows', () => {
    const big = 'z'.repeat(300_000); // larger than the initial 64 KiB IN window
    const pdu: MmsPdu = {
      messageType: 'm-retrieve-conf', mmsVersion: '1.2', date: 1, subject: { text: big, charset: 'utf-8' },
      previouslySentBy: Array.from({ length: 500 }, (_, i) => ({ count: 0x7fffffff - i, address: { text: `+${i}/TYPE=PLMN`, charset: 'utf-8' as const } })),
      contentType: { type: 'text/plain' }, body: data('x'),
    };
    expect(decodeMms(encodeMms(pdu))).toEqual(pdu);
  });
});

describe('strict encode', () => {
  const ok = PDUS[2]; // a complete m-notification-ind

  it('requires the header fields of each message type (OMA-MMS-ENC §6)', () => {
    const { contentLocation: _c, ...noLocation } = ok;
    expect(() => encodeMms(noLocation as MmsPdu)).toThrow(expect.objectContaining({ code: 'MISSING', field: 'X-Mms-Content-Location' }));
    expect(() => encodeMms({ messageType: 'm-acknowledge-ind', transactionId: 'x' })).toThrow(/X-Mms-MMS-Version is missing/);
    expect(() => encodeMms({ messageType: 'm-cancel-conf', mmsVersion: '1.3' })).toThrow(/X-Mms-Transaction-Id is missing: mandatory in m-cancel-conf/);
    expect(() => encodeMms({ messageType: 'm-mbox-descr', mmsVersion: '1.2', body: data('x') })).toThrow(/Content-Type is missing/);
  });

  it('refuses unknown fields, names and values', () => {
    expect(() => encodeMms({ ...ok, colour: 'red' } as MmsPdu)).toThrow(expect.objectContaining({ code: 'BAD_VALUE', field: 'colour' }));
    expect(() => encodeMms({ ...ok, messageType: 'm-bogus' as never })).toThrow(/X-Mms-Message-Type has a value not allowed here/);
    expect(() => encodeMms({ ...ok, priority: 'Urgent' as never })).toThrow(/X-Mms-Priority/);
    expect(() => encodeMms({ ...ok, expiry: { soon: 1 } as never })).toThrow(/X-Mms-Expiry/);
    expect(() => encodeMms({ ...ok, to: 'x' as never })).toThrow(/To has a value not allowed here: expected an array/);
    expect(() => encodeMms({ ...ok, mmsVersion: '' })).toThrow(/X-Mms-MMS-Version/);
    expect(() => encodeMms({ ...ok, priority: 0x20 as never })).toThrow(CodecError); // not an octet >= 0x80
  });
});
