// 2G links for the integration tests: the link emulator (a shaping TCP proxy) and the phone's
// HTTP exchange live with the benchmark (`npm run bench -- link` uses them too); the tests
// import them from here. Plus an MMS with a photo-sized part and its comparison.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { MmsPdu } from '../../src/codec/mms/index.js';
import { pushedPdu, type TestMmsc } from './mmsc.js';

export { LinkEmulator, type LinkProfile } from '../../bench/link/emulator.js';
export { exchange, type Exchange } from '../../bench/link/phone.js';

/** An m-send.req of about `bytes` octets: a random "photo" and a line of text. */
export function photoMms(tid: string, to: string, bytes: number): MmsPdu {
  return {
    messageType: 'm-send-req', transactionId: tid, mmsVersion: '1.2', from: { insertAddress: true }, to: [`${to}/TYPE=PLMN`],
    subject: 'from the island', contentType: { type: 'application/vnd.wap.multipart.mixed' },
    parts: [
      { contentType: { type: 'text/plain', params: { charset: 'utf-8' } }, contentLocation: 'text.txt', data: new TextEncoder().encode('sent over 2G') },
      { contentType: { type: 'image/jpeg' }, contentLocation: 'photo.jpg', data: randomBytes(bytes - 200) },
    ],
  };
}

/** The retrieved message carries the sent parts, byte for byte. */
export function expectSameParts(sent: MmsPdu, got: MmsPdu | undefined): void {
  expect(got?.messageType).toBe('m-retrieve-conf');
  const a = sent.parts ?? [];
  const b = got?.parts ?? [];
  expect(b.map((p) => p.contentType.type)).toEqual(a.map((p) => p.contentType.type));
  for (let i = 0; i < a.length; i++) expect(Buffer.compare(Buffer.from(b[i].data ?? []), Buffer.from(a[i].data ?? [])), `part ${i} differs`).toBe(0);
}

/** The m-notification.ind pushed to `msisdn` (the loopback bearer of startTestMmsc recorded it). */
export function notificationFor(t: TestMmsc, msisdn: string): MmsPdu {
  const n = t.pushes.map(pushedPdu).filter((p) => p.messageType === 'm-notification-ind');
  const mine = t.pushes.filter((p) => p.to.replace(/\/TYPE=PLMN$/i, '') === msisdn).map(pushedPdu).find((p) => p.messageType === 'm-notification-ind');
  if (!mine) throw new Error(`no notification pushed to ${msisdn} (pushes: ${t.pushes.map((p) => p.to).join(', ') || 'none'}; notifications: ${n.length})`);
  return mine;
}
