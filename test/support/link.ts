// 2G links for the integration tests: the link emulator (a shaping TCP proxy) and the phone's
// HTTP exchange live with the benchmark (`npm run bench -- link` uses them too); the tests
// import them from here, with the photo-sized MMS both send.
import { expect } from 'vitest';
import { partsDiffer } from '../../bench/link/mms.js';
import type { MmsPdu } from '../../src/codec/mms/index.js';
import { pushedPdu, type TestMmsc } from './mmsc.js';

export { LinkEmulator, type LinkProfile } from '../../bench/link/emulator.js';
export { photoMms } from '../../bench/link/mms.js';
export { exchange, type Exchange } from '../../bench/link/phone.js';

/** The retrieved message carries the sent parts, byte for byte. */
export function expectSameParts(sent: MmsPdu, got: MmsPdu | undefined): void {
  expect(partsDiffer(sent, got)).toBeNull();
}

/** The m-notification.ind pushed to `msisdn` (the loopback bearer of startTestMmsc recorded it). */
export function notificationFor(t: TestMmsc, msisdn: string): MmsPdu {
  const mine = t.pushes.filter((p) => p.to.replace(/\/TYPE=PLMN$/i, '') === msisdn).map(pushedPdu).find((p) => p.messageType === 'm-notification-ind');
  if (!mine) throw new Error(`no notification pushed to ${msisdn} (pushes to: ${t.pushes.map((p) => p.to).join(', ') || 'none'})`);
  return mine;
}
