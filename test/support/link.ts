// 2G links for the integration tests: the link emulator (a shaping TCP proxy) and the phone's
// HTTP exchange live with the benchmark (`npm run bench -- link` uses them too); the tests
// import them from here, with the photo-sized MMS both send.
import { expect } from 'vitest';
import type { LinkEmulator } from '../../bench/link/emulator.js';
import { partsDiffer, photoMms } from '../../bench/link/mms.js';
import { exchange } from '../../bench/link/phone.js';
import { decodeMms, encodeMms, type MmsPdu } from '../../src/codec/mms/index.js';
import { MMS_TYPE, pushedPdu, type TestMmsc } from './mmsc.js';

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

/**
 * Phone A submits a photo-sized MMS of `size` octets to B through the link, B fetches it through
 * the link (publicUrl points at it): Ok, parts byte-identical, every byte crossed the link, and
 * no MM1 limit fired (`logs`: the server's log lines).
 */
export async function submitAndFetchOverLink(o: { link: LinkEmulator; t: TestMmsc; logs: string[]; a: string; b: string; tid: string; size: number }): Promise<void> {
  const { link, t } = o;
  const sent = photoMms(o.tid, o.b, o.size);
  const pdu = encodeMms(sent);
  const up = await exchange(`${link.url}/mms`, { method: 'POST', headers: { 'Content-Type': MMS_TYPE, 'X-WAP-Network-Client-MSISDN': o.a }, body: pdu });
  expect(up.status).toBe(200);
  expect(decodeMms(up.body)).toMatchObject({ messageType: 'm-send-conf', transactionId: o.tid, responseStatus: 'Ok' });
  expect(link.connections[0].up).toBeGreaterThan(pdu.length); // the whole PDU crossed the link

  await t.mmsc.relay.idle();
  const location = String(notificationFor(t, o.b).contentLocation);
  expect(location.startsWith(`${link.url}/m/`)).toBe(true);
  const down = await exchange(location, { method: 'GET', headers: { 'X-WAP-Network-Client-MSISDN': o.b } });
  expect(down.status).toBe(200);
  expectSameParts(sent, decodeMms(down.body));
  expect(link.connections[1].down).toBeGreaterThan(o.size);
  expect(o.logs.filter((l) => (JSON.parse(l) as { limit?: string }).limit !== undefined)).toEqual([]);
}
