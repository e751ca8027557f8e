// The MMSC end to end with the SMPP bearer, configured as an operator would (bearer.kind smpp),
// against the scripted SMSC on 127.0.0.1: phone A submits over MM1; the notification reaches
// the SMSC as submit_sm whose payload decodes to the m-notification.ind; phone B fetches it
// over HTTP and confirms; A's delivery report leaves as another submit_sm. The SMSC's receipt
// for the notification lands in the delivery's history, and an SMS a phone sends to the MMSC
// ends in the relay's inbox before its deliver_sm is answered.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import smpp from 'smpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/lib.js';
import { startMmsc, type Mmsc } from '../../src/app.js';
import { SmppBearer } from '../../src/bearer/smpp/index.js';
import { decodeMms, type MmsPdu } from '../../src/codec/mms/index.js';
import { decodePush } from '../../src/codec/wsp/index.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { Phone } from '../support/mmsc.js';
import { ScriptedSmsc, type Submitted } from '../support/smpp-smsc.js';

const A = '+4790000001';
const B = '+4790000002';

/** The MMS PDU pushed by the submit_sm PDUs of one push (put together by their UDH). */
function pushedMms(subs: Submitted[]): MmsPdu {
  const ordered = [...subs].sort((x, y) => (x.udh!.length === 12 ? x.udh![11] : 1) - (y.udh!.length === 12 ? y.udh![11] : 1));
  const push = decodePush(Buffer.concat(ordered.map((s) => s.payload)));
  expect(push.applicationId).toBe('x-wap-application:mms.ua');
  return decodeMms(push.body);
}

describe('MMSC with the SMPP bearer', () => {
  let smsc: ScriptedSmsc;
  let mmsc: Mmsc;
  let dir: string;
  let base: string;

  beforeAll(async () => {
    smsc = await ScriptedSmsc.start({ systemId: 'mmsc', password: 'pw' });
    dir = mkdtempSync(join(tmpdir(), 'mmsc-smpp-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const config = ConfigSchema.parse({
      mmsc: { publicUrl: base },
      store: { path: join(dir, 'store') },
      mm1: { port },
      bearer: {
        kind: 'smpp',
        smpp: { host: '127.0.0.1', port: smsc.port, systemId: 'mmsc', password: 'pw', sourceAddress: '2244', ratePerSecond: 50, enquireLink: '30s', reconnect: '100ms' },
      },
      log: { level: process.env.MMSC_TEST_LOG ?? 'silent' },
    });
    mmsc = await startMmsc(config, { log: pino({ level: config.log.level }) });
    expect(mmsc.bearer).toBeInstanceOf(SmppBearer);
    expect(await (mmsc.bearer as SmppBearer).ready(5000)).toBe(true);
  });

  afterAll(async () => {
    await mmsc?.close();
    await smsc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('notifies over SMPP, serves the fetch, and sends the delivery report over SMPP', async () => {
    expect(smsc.binds).toMatchObject([{ systemId: 'mmsc', password: 'pw', accepted: true }]);
    const text = 'Hello over SMPP';
    const conf = await new Phone(base, A).post({
      messageType: 'm-send-req', transactionId: 'smpp-1', mmsVersion: '1.2', from: { insertAddress: true }, to: [`${B}/TYPE=PLMN`],
      deliveryReport: true, contentType: { type: 'text/plain', params: { charset: 'utf-8' } }, body: new TextEncoder().encode(text),
    });
    expect(conf.pdu).toMatchObject({ messageType: 'm-send-conf', responseStatus: 'Ok' });
    const messageId = conf.pdu!.messageId as string;

    await smsc.until(() => smsc.submits.some((s) => s.pdu.destination_addr === B.slice(1)), 5000, 'the notification');
    const toB = smsc.submits.filter((s) => s.pdu.destination_addr === B.slice(1));
    for (const s of toB) {
      expect(s.pdu).toMatchObject({ esm_class: 0x40, data_coding: 0x04, protocol_id: 0, registered_delivery: 1, source_addr: '2244', dest_addr_ton: 1, dest_addr_npi: 1 });
      expect(s.udh!.subarray(1, 7).toString('hex')).toBe('05040b8423f0');
    }
    const ind = pushedMms(toB);
    expect(ind).toMatchObject({ messageType: 'm-notification-ind', messageSize: expect.any(Number), contentLocation: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/m\//) });

    // the SMSC reports the notification SMS delivered: noted on the delivery
    for (const s of toB) {
      await smsc.deliver({ source_addr: B.slice(1), esm_class: 0x04, short_message: Buffer.from(`id:${s.messageId} sub:001 dlvrd:001 submit date:2611221830 done date:2611221831 stat:DELIVRD err:000 text:`) });
    }
    await mmsc.relay.idle();
    await smsc.until(() => (mmsc.store.deliveriesOf(messageId)[0]?.history ?? []).some((h) => /notification SMS delivered/.test(h.note ?? '')), 3000, 'the receipt on the delivery');
    const [delivery] = mmsc.store.deliveriesOf(messageId);
    expect(delivery.history.map((h) => h.note)).toContain(`notification sent via smpp${toB.length > 1 ? ` in ${toB.length} SMS` : ''}`);

    const phoneB = new Phone(base, B);
    const got = await phoneB.get(ind.contentLocation as string);
    expect(got.status).toBe(200);
    expect(got.pdu).toMatchObject({ messageType: 'm-retrieve-conf', messageId, from: `${A}/TYPE=PLMN` });
    expect(new TextDecoder().decode(got.pdu!.body)).toBe(text);
    const ack = await phoneB.post({ messageType: 'm-notifyresp-ind', transactionId: ind.transactionId, mmsVersion: '1.2', status: 'Retrieved' });
    expect(ack.status).toBe(200);

    await smsc.until(() => smsc.submits.some((s) => s.pdu.destination_addr === A.slice(1)), 5000, 'the delivery report');
    const toA = smsc.submits.filter((s) => s.pdu.destination_addr === A.slice(1));
    expect(toA[0].pdu).toMatchObject({ esm_class: 0x40, data_coding: 0x04, registered_delivery: 0 });
    expect(pushedMms(toA)).toMatchObject({ messageType: 'm-delivery-ind', messageId, status: 'Retrieved', to: [`${B}/TYPE=PLMN`] });
    await mmsc.relay.idle();
    expect(mmsc.store.deliveriesOf(messageId)[0]).toMatchObject({ state: 'reported', outcome: 'acknowledged' });
  });

  it('keeps an SMS a phone sends in the inbox, answering the deliver_sm after the commit', async () => {
    const resp = await smsc.deliver({ source_addr: A.slice(1), destination_addr: '2244', dest_addr_ton: 0, data_coding: 0, short_message: smpp.gsmCoder.encode('STOP ads', 0) });
    expect(resp.command_status).toBe(0);
    // answered after the relay's transaction: the message is already there
    const kept = [...mmsc.store.inbox.getRange()].map((e) => e.value);
    expect(kept).toMatchObject([{ from: A, to: '2244', text: 'STOP ads', via: 'mmsc' }]);
  });

  it('retries a push while the SMSC is away and delivers it once the link is back', async () => {
    const port = smsc.port;
    await smsc.close(); // drops the link and stops listening
    const before = smsc.submits.length;
    const conf = await new Phone(base, A).post({
      messageType: 'm-send-req', transactionId: 'smpp-2', mmsVersion: '1.2', from: { insertAddress: true }, to: [`${B}/TYPE=PLMN`],
      contentType: { type: 'text/plain' }, body: new TextEncoder().encode('second'),
    });
    expect(conf.pdu).toMatchObject({ responseStatus: 'Ok' });
    const waiting = () => [...mmsc.store.outbox.getRange()].map((e) => e.value).find((o) => o.kind === 'notification');
    await smsc.until(() => (waiting()?.attempts ?? 0) >= 1, 5000, 'a first attempt refused');
    expect(waiting()!.lastError).toMatch(/^SMPP link to 127\.0\.0\.1:\d+ is down: .*next attempt in/);
    await smsc.listen(port);
    await smsc.until(() => smsc.submits.length > before, 10_000, 'the notification after the reconnect');
    expect(smsc.binds.filter((b) => b.accepted).length).toBeGreaterThanOrEqual(2);
    expect(pushedMms(smsc.submits.slice(before).filter((s) => s.pdu.destination_addr === B.slice(1)))).toMatchObject({ messageType: 'm-notification-ind' });
  });
});
