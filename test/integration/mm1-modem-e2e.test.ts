// End to end through the modem pool on the simulated radio network (bearer.kind: simulator):
// phone A submits every m-send.req of the corpus over real HTTP; the notification goes out as
// WAP-push SMS through a simulated modem on a pty (the real driver, through serialport); the
// virtual phone reassembles the SMS, decodes the push and the m-notification.ind, GETs the
// message over HTTP and confirms it with m-notifyresp.ind; the delivery report comes back to A
// as a push SMS too. tshark reads every SMS the modems sent (SMS-SUBMITs, MO) and the push in it.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMmsc, type Mmsc } from '../../src/app.js';
import { SimulatorBearer } from '../../src/bearer/pool/from-config.js';
import type { MmsUserAgent, SimulatedRadio, SubmissionRecord } from '../../src/bearer/simulator/index.js';
import { decodeMms, encodeMms, type MmsPdu } from '../../src/codec/mms/index.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { freePort, msisdnOf, Phone, recipientsOf } from '../support/mmsc.js';
import { until } from '../support/pty.js';
import { describeVerdict, judge, type Sample } from '../support/tshark-judge.js';

const CORPUS = join(import.meta.dirname, '../corpus/mms');
const SEND_REQS = readdirSync(CORPUS).filter((f) => f.includes('send-req')).sort();
const A = '+4790000001';

/** Every SMS a simulated modem sent, for tshark (bare TPDUs, MO; concatenated ones grouped). */
const produced: Sample[] = [];

function smsSamples(subs: SubmissionRecord[], label: string): void {
  for (const s of subs) {
    const c = s.tpdu.udh?.concat;
    produced.push({
      kind: 'sms', id: `${label}: SMS ${s.id} to ${s.to}${c ? ` (${c.seq}/${c.total})` : ''}`, tpdu: s.raw!, direction: 'MO',
      ...(c ? { message: `${s.from}>${s.to}#${c.ref}` } : {}),
    });
  }
}

describe('MM1 end to end through the modem pool on the simulator', () => {
  let mmsc: Mmsc;
  let radio: SimulatedRadio;
  let dir: string;
  let base: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmsc-modem-e2e-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const config = ConfigSchema.parse({
      mmsc: { publicUrl: base },
      store: { path: join(dir, 'store'), mapSizeMiB: 256 },
      mm1: { port },
      // Two virtual modems on ptys, 2 ms of air time per SMS, no rate limit to speak of.
      bearer: { kind: 'simulator', simulator: { modems: 2, airTime: 2, transport: 'pty', ratePerMinute: 60_000 }, reassemblyTimeout: '2s' },
      log: { level: process.env.MMSC_TEST_LOG ?? 'silent' },
    });
    mmsc = await startMmsc(config, { log: pino({ level: config.log.level }) });
    const bearer = mmsc.bearer as SimulatorBearer;
    expect(bearer).toBeInstanceOf(SimulatorBearer);
    await bearer.ready;
    radio = bearer.radio!;
    expect(radio.transport).toBe('pty');
  });
  afterAll(async () => {
    await mmsc?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const agent = (msisdn: string): MmsUserAgent => radio.agent(msisdn)!;

  it('has m-send.req PDUs in the corpus', () => {
    expect(SEND_REQS.length).toBeGreaterThanOrEqual(10);
  });

  for (const file of SEND_REQS) {
    it(`delivers ${file} through a simulated modem`, async () => {
      const bytes = readFileSync(join(CORPUS, file));
      let original = decodeMms(bytes, { nested: false });
      let sent: Uint8Array = bytes;
      const phoneRecipients = recipientsOf(original).filter((a) => !a.includes('@'));
      if (phoneRecipients.length === 0) {
        // an e-mail-only MM is held for the MM3 gateway (mm1-e2e tests that); add a phone so
        // that this one crosses the radio
        original = { ...original, cc: ['+4790000999/TYPE=PLMN'] };
        sent = encodeMms(original);
        phoneRecipients.push('+4790000999/TYPE=PLMN');
      }
      const targets = [...new Set(phoneRecipients.map(msisdnOf))];
      const before = new Map(targets.map((t) => [t, { n: agent(t).notifications.length, c: agent(t).confirmed.length }]));
      const reportsBefore = agent(A).deliveryReports.length;
      const subsBefore = radio.network.submissions.length;

      const conf = await new Phone(base, A).post(sent);
      expect(conf.pdu).toMatchObject({ messageType: 'm-send-conf', transactionId: original.transactionId, responseStatus: 'Ok' });
      const messageId = conf.pdu!.messageId as string;

      // Each recipient's phone: notified by SMS, fetched over HTTP, confirmed.
      for (const t of targets) {
        await until(() => agent(t).confirmed.length > before.get(t)!.c, `${t} to fetch and confirm`, 20_000);
        const a = agent(t);
        const ind = a.notifications.at(-1)!;
        expect(a.notifications.length).toBe(before.get(t)!.n + 1);
        expect(ind).toMatchObject({ messageType: 'm-notification-ind', messageSize: sent.length });
        // the relay keeps a notification to one SMS
        const push = a.pushes.at(-1)!;
        expect(push.sms.parts).toHaveLength(1);
        expect(push.sms.ports).toMatchObject({ dest: 2948, src: 9200, bits: 16 });
        expect(push.push.applicationId).toBe('x-wap-application:mms.ua');
        const got = a.retrieved.at(-1)!;
        expect(got.status).toBe(200);
        const rc = got.pdu!;
        expect(rc).toMatchObject({ messageType: 'm-retrieve-conf', messageId, from: `${A}/TYPE=PLMN` });
        const want = original.parts ?? [];
        expect((rc.parts ?? []).length).toBe(want.length);
        (rc.parts ?? []).forEach((p, i) => expect(Buffer.from(p.data!).equals(Buffer.from(want[i].data!))).toBe(true));
        expect(a.confirmed.at(-1)).toEqual({ transactionId: ind.transactionId, httpStatus: 200 });
        expect(a.errors).toEqual([]);
      }
      await mmsc.relay.idle();
      for (const d of mmsc.store.deliveriesOf(messageId)) {
        if (d.recipient.includes('@')) {
          expect(d).toMatchObject({ route: { kind: 'mm3' }, state: 'accepted' }); // held for the e-mail gateway
          continue;
        }
        expect(d).toMatchObject({ state: 'reported', outcome: 'acknowledged' });
        expect(d.history.some((h) => /notification sent via simulator/.test(h.note ?? ''))).toBe(true);
      }
      // The delivery report, when asked for, comes back to A as a WAP-push SMS.
      if (original.deliveryReport === true) {
        await until(() => agent(A).deliveryReports.length >= reportsBefore + targets.length, 'the delivery reports at A', 20_000);
        for (const r of agent(A).deliveryReports.slice(reportsBefore)) expect(r).toMatchObject({ messageType: 'm-delivery-ind', messageId, status: 'Retrieved' });
      }
      await mmsc.relay.idle();
      await radio.idle();
      smsSamples(radio.network.submissions.slice(subsBefore), file);
    });
  }

  it('relays a read report to A as a push SMS', async () => {
    const B = '+4790000002';
    const before = agent(B).confirmed.length;
    const conf = await agent(A).send(B, 'read me', { readReport: true, deliveryReport: true });
    const messageId = conf!.messageId as string;
    await until(() => agent(B).confirmed.length > before, 'B to fetch');
    const rr = await new Phone(base, B).post({ messageType: 'm-read-rec-ind', mmsVersion: '1.2', messageId, to: [`${A}/TYPE=PLMN`], from: { insertAddress: true }, readStatus: 'Read' });
    expect(rr.status).toBe(200);
    const orig = await agent(A).waitFor('read-report', (e) => e.pdu.messageId === messageId, 20_000);
    expect(orig.pdu).toMatchObject({ messageType: 'm-read-orig-ind', from: `${B}/TYPE=PLMN`, readStatus: 'Read' });
  });

  it('quarantines a notification the network refuses for good, and the next message still goes', async () => {
    const gone = '+4790000666';
    radio.network.reject(gone, 1); // unassigned number
    const conf = await agent(A).send(gone, 'to nobody');
    await mmsc.relay.idle();
    const q = [...mmsc.store.quarantine.getRange()].map((e) => e.value).find((i) => i.to === gone);
    expect(q?.lastError).toMatch(/^unassigned-number \+CMS ERROR 1 from modem \d{15} /);
    const d = mmsc.store.deliveriesOf(conf!.messageId as string)[0];
    expect(d.history.some((h) => /notification failed: unassigned-number/.test(h.note ?? ''))).toBe(true);
    const B = '+4790000003';
    await agent(A).send(B, 'still moving');
    await agent(B).waitFor('notifyresp', () => true, 20_000);
  });

  it('notes the network status report on the delivery, and takes SMS phones send to the MMSC', async () => {
    const B = '+4790000004';
    const conf = await agent(A).send(B, 'with a status report');
    const messageId = conf!.messageId as string;
    await until(() => mmsc.store.deliveriesOf(messageId)[0]?.history.some((h) => h.note === 'notification SMS delivered: received by the phone (TP-ST 0x00)'), 'the status report on the delivery', 20_000);

    const text = 'An SMS to the MMSC number, long enough to need two parts once the concatenation header is counted. '.repeat(2);
    const modem = radio.modems[0].virtual.msisdn;
    await radio.phone(B).sendText(modem, text);
    await until(() => [...mmsc.store.inbox.getRange()].some((e) => e.value.text === text), 'the SMS in the relay inbox', 20_000);
    const sms = [...mmsc.store.inbox.getRange()].map((e) => e.value).find((s) => s.text === text)!;
    expect(sms).toMatchObject({ from: B, to: modem });
    expect(sms.missingParts).toBeUndefined();
  });
});

describe('tshark reads the SMS the simulated modems sent', () => {
  it('finds no malformed SMS, every one a WAP push to port 2948 carrying an MMS PDU', async () => {
    expect(produced.length).toBeGreaterThanOrEqual(12);
    const { verdicts, stray } = await judge(produced);
    expect(stray).toEqual([]);
    for (const v of verdicts) {
      expect(v.problems, describeVerdict(v)).toEqual([]);
      expect(v.sms?.type, v.sample.id).toBe('SMS-SUBMIT');
      expect(v.sms?.ports, v.sample.id).toEqual({ dst: 2948, src: 9200 });
      // A push in one SMS is dissected there; a concatenated one in its last segment.
      if (!v.sms?.concat || v.sms.reassembledFrames) {
        expect(v.sms?.push?.applicationId, v.sample.id).toBe('x-wap-application:mms.ua');
        expect([0x82, 0x86]).toContain(v.sms?.push?.mms?.messageType);
      }
    }
    console.log(`tshark read ${verdicts.length} SMS-SUBMITs sent by the simulated modems without a problem`);
  }, 60_000);
});
