// End to end on loopback: phone A submits every m-send.req of the corpus over real HTTP, the
// notification comes out through the (loopback) bearer as a WAP push, phone B fetches the
// Content-Location and confirms, A gets the reports it asked for.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMms, encodeMms, type MmsPdu } from '../../src/codec/mms/index.js';
import { msisdnOf, Phone, pushedPdu, recipientsOf, startTestMmsc, type TestMmsc } from '../support/mmsc.js';
import { describeVerdict, judge, type Sample } from '../support/tshark-judge.js';

const CORPUS = join(import.meta.dirname, '../corpus/mms');
const SEND_REQS = readdirSync(CORPUS).filter((f) => f.includes('send-req')).sort();
const A = '+4790000001';

/** Every PDU the MMSC produced in these tests (confs, retrieve-confs, pushes), for tshark. */
const produced: Sample[] = [];
/** What our own decoder read in them, to compare with tshark. */
const ours = new Map<string, MmsPdu>();

describe('MM1 end to end on loopback', () => {
  let t: TestMmsc;
  beforeAll(async () => {
    t = await startTestMmsc();
  });
  afterAll(async () => t.close());

  it('has m-send.req PDUs in the corpus', () => {
    expect(SEND_REQS.length).toBeGreaterThanOrEqual(10);
  });

  for (const file of SEND_REQS) {
    it(`delivers ${file}`, async () => {
      const bytes = readFileSync(join(CORPUS, file));
      const original = decodeMms(bytes, { nested: false });
      const sent: Uint8Array = bytes;
      // e-mail recipients are held for the MM3 gateway (store-and-forward), phones are notified
      const phoneRecipients = recipientsOf(original).filter((a) => !a.includes('@'));
      const before = t.pushes.length;
      const conf = await new Phone(t.base, A).post(sent);
      expect(conf.status).toBe(200);
      produced.push({ kind: 'mms', id: `${file} m-send.conf`, pdu: conf.body });
      expect(conf.pdu).toMatchObject({ messageType: 'm-send-conf', transactionId: original.transactionId, responseStatus: 'Ok' });
      const messageId = conf.pdu!.messageId as string;
      expect(messageId).toMatch(/@mmsc\.local$/);
      await t.mmsc.relay.idle();

      const pushes = t.pushes.slice(before).filter((p) => p.kind === 'notification');
      const targets = [...new Set(phoneRecipients.map(msisdnOf))];
      expect(pushes.map((p) => p.to).sort()).toEqual(targets.sort());

      for (const job of pushes) {
        const ind = pushedPdu(job);
        expect(ind.messageType).toBe('m-notification-ind');
        expect(ind.messageClass).toBeDefined();
        expect(ind.messageSize).toBe(sent.length);
        expect(ind.expiry).toMatchObject({ relative: expect.any(Number) });
        expect(job.push.length).toBeLessThanOrEqual(133); // one SMS
        const b = new Phone(t.base, job.to);
        const got = await b.get(ind.contentLocation as string);
        expect(got.status).toBe(200);
        const rc = got.pdu!;
        produced.push({ kind: 'push', id: `${file} push to ${job.to}`, pdu: job.push });
        produced.push({ kind: 'mms', id: `${file} m-retrieve.conf for ${job.to}`, pdu: got.body });
        ours.set(`${file} m-retrieve.conf for ${job.to}`, rc);
        expect(rc.messageType).toBe('m-retrieve-conf');
        expect(rc.messageId).toBe(messageId);
        expect(rc.from).toBe(`${A}/TYPE=PLMN`);
        expect(rc.bcc).toBeUndefined();
        expect(rc.contentType?.type).toBe(original.contentType?.type);
        // parts byte-identical to what A sent
        const want = original.parts ?? [];
        expect((rc.parts ?? []).length).toBe(want.length);
        (rc.parts ?? []).forEach((p, i) => {
          expect(Buffer.from(p.data!).equals(Buffer.from(want[i].data!))).toBe(true);
          expect(p.contentType).toEqual(want[i].contentType);
          expect(p.contentId).toEqual(want[i].contentId);
          expect(p.contentLocation).toEqual(want[i].contentLocation);
        });
        if (original.subject !== undefined) expect(rc.subject).toEqual(original.subject);

        const ack = await b.post({ messageType: 'm-notifyresp-ind', transactionId: ind.transactionId, mmsVersion: '1.2', status: 'Retrieved' });
        expect(ack.status).toBe(200);
        expect(ack.body.length).toBe(0);
      }
      await t.mmsc.relay.idle();
      for (const d of t.mmsc.store.deliveriesOf(messageId)) {
        if (d.recipient.includes('@')) {
          // waits for an e-mail gateway until the expiry (then an Expired report, tested below)
          expect(d).toMatchObject({ route: { kind: 'mm3' }, state: 'accepted', nextAt: t.mmsc.store.messages.get(messageId)!.expiresAt });
        } else {
          expect(d).toMatchObject({ state: 'reported', outcome: 'acknowledged' });
        }
      }

      const reports = t.pushes.slice(before).filter((p) => p.kind === 'delivery-report');
      reports.forEach((r, i) => produced.push({ kind: 'push', id: `${file} delivery report ${i}`, pdu: r.push }));
      if (original.deliveryReport === true) {
        expect(reports.length).toBe(targets.length);
        for (const r of reports) {
          expect(r.to).toBe(A);
          expect(pushedPdu(r)).toMatchObject({ messageType: 'm-delivery-ind', messageId, status: 'Retrieved' });
        }
      } else {
        expect(reports).toEqual([]);
      }
    });
  }

  it('relays read reports to the originator when asked', async () => {
    const B = '+4790000002';
    const before = t.pushes.length;
    const conf = await new Phone(t.base, A).post({
      messageType: 'm-send-req', transactionId: 'rr-1', mmsVersion: '1.2', from: { insertAddress: true }, to: [`${B}/TYPE=PLMN`],
      readReport: true, deliveryReport: true, contentType: { type: 'text/plain', params: { charset: 'utf-8' } }, body: new TextEncoder().encode('read me'),
    });
    const messageId = conf.pdu!.messageId as string;
    await t.mmsc.relay.idle();
    const ind = pushedPdu(t.pushes.slice(before).find((p) => p.kind === 'notification')!);
    const phoneB = new Phone(t.base, B);
    const rc = (await phoneB.get(ind.contentLocation as string)).pdu!;
    expect(rc.readReport).toBe(true);
    expect(Buffer.from(rc.body!).toString()).toBe('read me');
    await phoneB.post({ messageType: 'm-notifyresp-ind', transactionId: ind.transactionId, mmsVersion: '1.2', status: 'Retrieved' });
    const rr = await phoneB.post({ messageType: 'm-read-rec-ind', mmsVersion: '1.2', messageId, to: [`${A}/TYPE=PLMN`], from: { insertAddress: true }, readStatus: 'Read' });
    expect(rr.status).toBe(200);
    await t.mmsc.relay.idle();
    const orig = t.pushes.slice(before).find((p) => p.kind === 'read-report');
    expect(orig?.to).toBe(A);
    produced.push({ kind: 'push', id: 'read report', pdu: orig!.push });
    expect(pushedPdu(orig!)).toMatchObject({ messageType: 'm-read-orig-ind', messageId, from: `${B}/TYPE=PLMN`, to: [`${A}/TYPE=PLMN`], readStatus: 'Read' });
  });

  it('hides Bcc from every recipient and hides a sender that asked for it', async () => {
    const before = t.pushes.length;
    await new Phone(t.base, A).post({
      messageType: 'm-send-req', transactionId: 'bcc-1', mmsVersion: '1.2', from: { insertAddress: true },
      to: ['+4790000010/TYPE=PLMN'], bcc: ['+4790000011/TYPE=PLMN'], senderVisibility: 'Hide',
      contentType: { type: 'text/plain' }, body: new TextEncoder().encode('secret'),
    });
    await t.mmsc.relay.idle();
    const nots = t.pushes.slice(before).filter((p) => p.kind === 'notification');
    expect(nots.map((p) => p.to).sort()).toEqual(['+4790000010', '+4790000011']);
    for (const job of nots) {
      const ind = pushedPdu(job);
      expect(ind.from).toBeUndefined();
      const rc = (await new Phone(t.base, job.to).get(ind.contentLocation as string)).pdu!;
      expect(rc.bcc).toBeUndefined();
      expect(rc.from).toBeUndefined();
      expect(rc.to).toEqual(['+4790000010/TYPE=PLMN']);
      expect(JSON.stringify(rc)).not.toContain('4790000011');
    }
  });

  it('answers a deferred retrieval with a TID and closes it on m-acknowledge.ind', async () => {
    const B = '+4790000020';
    const before = t.pushes.length;
    const conf = await new Phone(t.base, A).post({
      messageType: 'm-send-req', transactionId: 'def-1', mmsVersion: '1.2', from: { insertAddress: true }, to: [`${B}/TYPE=PLMN`],
      deliveryReport: true, contentType: { type: 'text/plain' }, body: new TextEncoder().encode('later'),
    });
    await t.mmsc.relay.idle();
    const ind = pushedPdu(t.pushes.slice(before).find((p) => p.kind === 'notification')!);
    const phoneB = new Phone(t.base, B);
    await phoneB.post({ messageType: 'm-notifyresp-ind', transactionId: ind.transactionId, mmsVersion: '1.1', status: 'Deferred' });
    expect(t.mmsc.store.deliveriesOf(conf.pdu!.messageId as string)[0].state).toBe('deferred');
    const rc = (await phoneB.get(ind.contentLocation as string)).pdu!;
    expect(rc.transactionId).toMatch(/^.{10}$/);
    expect(rc.mmsVersion).toBe('1.1'); // the version B speaks
    await phoneB.post({ messageType: 'm-acknowledge-ind', transactionId: rc.transactionId, mmsVersion: '1.1' });
    await t.mmsc.relay.idle();
    const d = t.mmsc.store.deliveriesOf(conf.pdu!.messageId as string)[0];
    expect(d).toMatchObject({ state: 'reported', outcome: 'acknowledged' });
    const dr = t.pushes.slice(before).find((p) => p.kind === 'delivery-report');
    expect(pushedPdu(dr!)).toMatchObject({ messageType: 'm-delivery-ind', status: 'Retrieved' });
  });

  /** Sends a one-part text MMS from A to `to` and returns the notification B got. */
  async function sendAndNotify(to: string, extra: Partial<MmsPdu> = {}): Promise<{ messageId: string; ind: MmsPdu; before: number }> {
    const before = t.pushes.length;
    const conf = await new Phone(t.base, A).post({
      messageType: 'm-send-req', transactionId: `x-${to}-${before}`, mmsVersion: '1.2', from: { insertAddress: true }, to: [`${to}/TYPE=PLMN`],
      deliveryReport: true, contentType: { type: 'text/plain' }, body: new TextEncoder().encode('hello'), ...extra,
    });
    await t.mmsc.relay.idle();
    const ind = pushedPdu(t.pushes.slice(before).find((p) => p.kind === 'notification' && p.to === to)!);
    return { messageId: conf.pdu!.messageId as string, ind, before };
  }

  it('answers HEAD with the headers of the retrieval, without counting it as one', async () => {
    const B = '+4790000050';
    const { messageId, ind } = await sendAndNotify(B);
    const head = await fetch(ind.contentLocation as string, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-type')).toBe('application/vnd.wap.mms-message');
    const length = Number(head.headers.get('content-length'));
    expect(t.mmsc.store.deliveriesOf(messageId)[0].state).toBe('notified');
    const got = await new Phone(t.base, B).get(ind.contentLocation as string);
    expect(got.body.length).toBe(length);
    expect(t.mmsc.store.deliveriesOf(messageId)[0].state).toBe('retrieved');
  });

  it('sends no delivery report when the recipient did not allow it (X-Mms-Report-Allowed: No)', async () => {
    const B = '+4790000051';
    const { messageId, ind, before } = await sendAndNotify(B);
    await new Phone(t.base, B).get(ind.contentLocation as string);
    await new Phone(t.base, B).post({ messageType: 'm-notifyresp-ind', transactionId: ind.transactionId, mmsVersion: '1.2', status: 'Retrieved', reportAllowed: false });
    await t.mmsc.relay.idle();
    expect(t.mmsc.store.deliveriesOf(messageId)[0]).toMatchObject({ state: 'reported', outcome: 'acknowledged', reportAllowed: false });
    expect(t.pushes.slice(before).filter((p) => p.kind === 'delivery-report')).toEqual([]);
  });

  it('reports Unrecognised when the phone cannot handle the notification', async () => {
    const B = '+4790000052';
    const { ind, before } = await sendAndNotify(B);
    await new Phone(t.base, B).post({ messageType: 'm-notifyresp-ind', transactionId: ind.transactionId, mmsVersion: '1.0', status: 'Unrecognised' });
    await t.mmsc.relay.idle();
    const dr = t.pushes.slice(before).find((p) => p.kind === 'delivery-report');
    expect(pushedPdu(dr!)).toMatchObject({ messageType: 'm-delivery-ind', status: 'Unrecognised', mmsVersion: '1.2' });
  });

  it('accepts the confirmations real clients send: ack with the notification TID (mms-engine), ack POSTed to the Content-Location (Android)', async () => {
    const B = '+4790000053';
    const one = await sendAndNotify(B);
    await new Phone(t.base, B).get(one.ind.contentLocation as string);
    await new Phone(t.base, B).post({ messageType: 'm-acknowledge-ind', transactionId: one.ind.transactionId, mmsVersion: '1.1' });
    await t.mmsc.relay.idle();
    expect(t.mmsc.store.deliveriesOf(one.messageId)[0]).toMatchObject({ state: 'reported', outcome: 'acknowledged' });

    const two = await sendAndNotify(B);
    await new Phone(t.base, B).get(two.ind.contentLocation as string);
    const url = new URL(two.ind.contentLocation as string);
    const atLocation = new Phone(`${url.protocol}//${url.host}`, B, url.pathname);
    const res = await atLocation.post({ messageType: 'm-notifyresp-ind', transactionId: two.ind.transactionId, mmsVersion: '1.2', status: 'Retrieved' });
    expect(res.status).toBe(200);
    await t.mmsc.relay.idle();
    expect(t.mmsc.store.deliveriesOf(two.messageId)[0]).toMatchObject({ state: 'reported', outcome: 'acknowledged' });
  });

  it('answers an unknown retrieval token with Retrieve-Status message-not-found and a text body', async () => {
    const got = await new Phone(t.base, A).get(`${t.base}/m/AAAAAAAAAAAAAAAAAAAAAA`);
    expect(got.status).toBe(200);
    expect(got.pdu).toMatchObject({ messageType: 'm-retrieve-conf', retrieveStatus: 'Error-permanent-message-not-found', contentType: { type: 'text/plain' } });
    expect(Buffer.from(got.pdu!.body!).toString()).toMatch(/not found/);
  });

  it('reports a rejection', async () => {
    const before = t.pushes.length;
    await new Phone(t.base, A).post({
      messageType: 'm-send-req', transactionId: 'rej-1', mmsVersion: '1.2', from: { insertAddress: true }, to: ['+4790000030/TYPE=PLMN'],
      deliveryReport: true, contentType: { type: 'text/plain' }, body: new TextEncoder().encode('no thanks'),
    });
    await t.mmsc.relay.idle();
    const ind = pushedPdu(t.pushes.slice(before).find((p) => p.kind === 'notification')!);
    await new Phone(t.base, '+4790000030').post({ messageType: 'm-notifyresp-ind', transactionId: ind.transactionId, mmsVersion: '1.2', status: 'Rejected' });
    await t.mmsc.relay.idle();
    const dr = t.pushes.slice(before).find((p) => p.kind === 'delivery-report');
    expect(pushedPdu(dr!)).toMatchObject({ messageType: 'm-delivery-ind', status: 'Rejected' });
    expect((await new Phone(t.base, '+4790000030').get(ind.contentLocation as string)).pdu).toMatchObject({ retrieveStatus: 'Error-permanent-message-not-found' });
  });
  it('reports an unreachable recipient as Unreachable once the message is stored, and delivers to the others', async () => {
    const before = t.pushes.length;
    const sent = await new Phone(t.base, A).post({
      messageType: 'm-send-req', transactionId: 'mixed-1', mmsVersion: '1.2', from: { insertAddress: true }, to: ['+4790000031/TYPE=PLMN', '10.9.8.7/TYPE=IPv4'],
      deliveryReport: true, contentType: { type: 'text/plain' }, body: new TextEncoder().encode('one of two'),
    });
    expect(sent.pdu).toMatchObject({ responseStatus: 'Ok' });
    await t.mmsc.relay.idle();
    const messageId = sent.pdu!.messageId as string;
    const [local, far] = t.mmsc.store.deliveriesOf(messageId);
    expect(local).toMatchObject({ recipient: '+4790000031/TYPE=PLMN', state: 'notified' });
    expect(far).toMatchObject({ recipient: '10.9.8.7/TYPE=IPv4', state: 'reported', outcome: 'unroutable' });
    const drs = t.pushes.slice(before).filter((p) => p.kind === 'delivery-report').map(pushedPdu);
    expect(drs).toHaveLength(1);
    expect(drs[0]).toMatchObject({ messageType: 'm-delivery-ind', messageId, to: ['10.9.8.7/TYPE=IPv4'], status: 'Unreachable' });
  });
});

describe('tshark reads what the MMSC produced', () => {
  it('finds no malformed packet or expert error, and the same parts as we do', async () => {
    expect(produced.length).toBeGreaterThan(30);
    const { verdicts, stray } = await judge(produced);
    expect(stray).toEqual([]);
    for (const v of verdicts) {
      expect(v.problems, describeVerdict(v)).toEqual([]);
      const mine = ours.get(v.sample.id);
      if (mine && v.mms) {
        expect(v.mms.messageType).toBe(0x84);
        expect(v.mms.messageId).toBe(mine.messageId);
        expect((v.mms.parts ?? []).length, v.sample.id).toBe((mine.parts ?? []).length);
        (v.mms.parts ?? []).forEach((p, i) => expect(p.contentType.media, v.sample.id).toBe(mine.parts![i].contentType.type));
      }
      if (v.push) expect(v.push.applicationId).toBeDefined();
    }
    console.log(`tshark read ${verdicts.length} PDUs produced by the MMSC (${verdicts.filter((v) => v.mms).length} over HTTP, ${verdicts.filter((v) => v.push).length} pushes) without a problem`);
  }, 60_000);
});

describe('expiry and re-notification (controlled clock)', () => {
  let t: TestMmsc;
  let clock = Date.UTC(2026, 0, 1);
  beforeAll(async () => {
    t = await startTestMmsc({ relay: { renotify: { first: '10m', factor: 2, max: '1h' } } }, { now: () => clock });
  });
  afterAll(async () => t.close());

  it('re-notifies identically with back-off, then expires and reports', async () => {
    const before = t.pushes.length;
    const conf = await new Phone(t.base, A).post({
      messageType: 'm-send-req', transactionId: 'exp-1', mmsVersion: '1.2', from: { insertAddress: true }, to: ['+4790000040/TYPE=PLMN'],
      deliveryReport: true, expiry: { relative: 3 * 3600 }, contentType: { type: 'text/plain' }, body: new TextEncoder().encode('never read'),
    });
    const messageId = conf.pdu!.messageId as string;
    await t.mmsc.relay.idle();
    const first = t.pushes.slice(before).filter((p) => p.kind === 'notification');
    expect(first.length).toBe(1);
    // 10 min, +20 min, +40 min, +60 min (cap), +60 min ... until 3 h
    const offsets = [10, 30, 70, 130];
    for (const m of offsets) {
      clock = Date.UTC(2026, 0, 1) + m * 60_000;
      t.mmsc.relay.wake();
      await t.mmsc.relay.idle();
    }
    const all = t.pushes.slice(before).filter((p) => p.kind === 'notification');
    expect(all.length).toBe(1 + offsets.length);
    for (const p of all) expect(Buffer.from(p.push.subarray(1)).equals(Buffer.from(first[0].push.subarray(1)))).toBe(true); // same notification (WSP TID octet aside)
    clock = Date.UTC(2026, 0, 1) + 3 * 3600_000 + 1000;
    t.mmsc.relay.wake();
    await t.mmsc.relay.idle();
    const d = t.mmsc.store.deliveriesOf(messageId)[0];
    expect(d).toMatchObject({ state: 'reported', outcome: 'expired', notifications: 1 + offsets.length });
    const dr = t.pushes.slice(before).find((p) => p.kind === 'delivery-report');
    expect(pushedPdu(dr!)).toMatchObject({ messageType: 'm-delivery-ind', messageId, status: 'Expired', to: ['+4790000040/TYPE=PLMN'] });
    const ind = pushedPdu(first[0]);
    expect((await new Phone(t.base, '+4790000040').get(ind.contentLocation as string)).pdu).toMatchObject({ retrieveStatus: 'Error-permanent-message-not-found' });
  });
  it('holds an e-mail recipient for the MM3 gateway and reports it Expired when none took it', async () => {
    const before = t.pushes.length;
    const conf = await new Phone(t.base, A).post({
      messageType: 'm-send-req', transactionId: 'mail-1', mmsVersion: '1.2', from: { insertAddress: true }, to: ['friend@example.org'],
      deliveryReport: true, expiry: { relative: 3600 }, contentType: { type: 'text/plain' }, body: new TextEncoder().encode('to an inbox'),
    });
    expect(conf.pdu).toMatchObject({ responseStatus: 'Ok' });
    const messageId = conf.pdu!.messageId as string;
    await t.mmsc.relay.idle();
    expect(t.pushes.slice(before)).toEqual([]); // no phone to notify
    expect(t.mmsc.store.deliveriesOf(messageId)[0]).toMatchObject({ recipient: 'friend@example.org', route: { kind: 'mm3' }, state: 'accepted' });
    clock += 3600_000 + 1000; // the clock only moves forward (the test above left it at 3 h)
    t.mmsc.relay.wake();
    await t.mmsc.relay.idle();
    expect(t.mmsc.store.deliveriesOf(messageId)[0]).toMatchObject({ state: 'reported', outcome: 'expired' });
    const dr = t.pushes.slice(before).find((p) => p.kind === 'delivery-report');
    expect(pushedPdu(dr!)).toMatchObject({ messageType: 'm-delivery-ind', messageId, status: 'Expired', to: ['friend@example.org'] });
  });

});
