// Group messages: Android and iOS thread a group MMS on its recipient list, so every member
// must see the same To/Cc, each number in one international form, the sender in that form
// too, and no Bcc. The m-send.req is composed as Android's PduComposer does: Insert-address
// From, every address as a UTF-8 Encoded-string-value (charset form, even for numbers), a mix
// of international and national numbers, Android's header order, a SMIL + text body.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MmsPdu } from '../../src/codec/mms/index.js';
import { Phone, pushedPdu, startTestMmsc, type TestMmsc } from '../support/mmsc.js';

const utf8 = (text: string) => ({ text, charset: 'utf-8' as const });
const A = '+447700900001';
const members = ['+447700900002', '+447700900003', '+447700900004', '+447700900005'];
const BCC = '+447700900006';
const SMIL = '<smil><head><layout><root-layout/><region id="Text" top="0" left="0" height="100%" width="100%"/></layout></head><body><par dur="5000ms"><text src="text_0.txt" region="Text"/></par></body></smil>';

/** An m-send.req as Android's composer writes it (header order: Type, TID, Version, Date, From, To*, Cc*, Bcc*, ...). */
const androidGroupSend: MmsPdu = {
  messageType: 'm-send-req',
  transactionId: 'T18f2c3a9b71',
  mmsVersion: '1.2',
  date: 1767225600,
  from: { insertAddress: true },
  to: [utf8('+447700900002/TYPE=PLMN'), utf8('07700900003/TYPE=PLMN'), utf8('+44-7700-900004/TYPE=PLMN'), utf8('bob@example.org')],
  cc: [utf8('07700900005/TYPE=PLMN')],
  bcc: [utf8(`${BCC}/TYPE=PLMN`)],
  messageClass: 'Personal',
  expiry: { relative: 604800 },
  priority: 'Normal',
  deliveryReport: false,
  readReport: false,
  contentType: { type: 'application/vnd.wap.multipart.related', params: { start: '<smil>', type: 'application/smil' } },
  parts: [
    { contentType: { type: 'application/smil', params: { name: 'smil.xml' } }, contentId: '<smil>', contentLocation: 'smil.xml', data: new TextEncoder().encode(SMIL) },
    { contentType: { type: 'text/plain', params: { charset: 'utf-8', name: 'text_0.txt' } }, contentId: '<text_0>', contentLocation: 'text_0.txt', data: new TextEncoder().encode('Dinner at 8?') },
  ],
};

describe('a group MMS from an Android phone', () => {
  let t: TestMmsc;
  beforeAll(async () => {
    t = await startTestMmsc({ relay: { countryCode: '44', nationalPrefix: '0' } });
  });
  afterAll(async () => t.close());

  it('reaches every member with the same To/Cc in international form, the sender international, and no Bcc', async () => {
    const before = t.pushes.length;
    // the gateway gives the sender's number in national form
    const conf = await new Phone(t.base, '07700900001').post(androidGroupSend);
    expect(conf.pdu).toMatchObject({ transactionId: 'T18f2c3a9b71', responseStatus: 'Ok' });
    await t.mmsc.relay.idle();

    const notified = t.pushes.slice(before).filter((p) => p.kind === 'notification');
    expect(notified.map((p) => p.to).sort()).toEqual([...members, BCC].sort());

    const seen: string[] = [];
    for (const job of notified) {
      // each phone fetches with its number as its gateway gives it (national here)
      const got = await new Phone(t.base, `0${job.to.slice(3)}`).get(pushedPdu(job).contentLocation as string);
      const rc = got.pdu!;
      expect(rc).toMatchObject({ messageType: 'm-retrieve-conf', messageId: conf.pdu!.messageId });
      expect(rc.from).toBe(`${A}/TYPE=PLMN`);
      expect(rc.to).toEqual(['+447700900002/TYPE=PLMN', '+447700900003/TYPE=PLMN', '+447700900004/TYPE=PLMN', utf8('bob@example.org')]);
      expect(rc.cc).toEqual(['+447700900005/TYPE=PLMN']);
      expect(rc.bcc).toBeUndefined();
      expect(got.body.includes(Buffer.from(BCC.slice(3)))).toBe(false);
      expect(Buffer.from(rc.parts![1].data!).toString()).toBe('Dinner at 8?');
      seen.push(JSON.stringify({ from: rc.from, to: rc.to, cc: rc.cc }));
    }
    expect(new Set(seen).size).toBe(1); // one thread for everybody
  });
});
