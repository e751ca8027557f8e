// What the scripted SMSC delivers to the SMPP bearer: delivery receipts (text and TLV forms,
// message ids in another base, multi-segment aggregation) become StatusReports; short messages
// (GSM 7-bit unpacked as SMSCs send it, UCS-2, Latin-1, 8-bit with ports, UDH or SAR
// concatenation in any order, message_payload) become IncomingSms, and each deliver_sm is
// answered only once the listener took its message.
import smpp, { type PDU } from 'smpp';
import { afterEach, describe, expect, it } from 'vitest';
import { SmppBearer, type SmppBearerOptions } from '../../src/bearer/smpp/index.js';
import type { IncomingSms, StatusReport } from '../../src/relay/bearer.js';
import { ScriptedSmsc, receiptText } from '../support/smpp-smsc.js';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of open.reverse()) await c.close();
  open.length = 0;
});

interface Rig {
  smsc: ScriptedSmsc;
  bearer: SmppBearer;
  reports: StatusReport[];
  got: IncomingSms[];
  /** What the listener does with each message (default: take it). */
  take: (sms: IncomingSms) => Promise<void>;
}

async function rig(over: Partial<SmppBearerOptions> = {}, smscOpts: ConstructorParameters<typeof ScriptedSmsc>[0] = {}): Promise<Rig> {
  const smsc = await ScriptedSmsc.start(smscOpts);
  open.push(smsc);
  const bearer = new SmppBearer({
    host: '127.0.0.1', port: smsc.port, systemId: 'mmsc1', password: 'pw', ratePerSecond: 1000, enquireLinkMs: 60_000,
    reconnectMs: 50, responseTimeoutMs: 2000, ...over,
  });
  open.push(bearer);
  const r: Rig = { smsc, bearer, reports: [], got: [], take: async () => undefined };
  bearer.onStatusReport((x) => r.reports.push(x));
  bearer.onIncoming(async (sms) => {
    await r.take(sms);
    r.got.push(sms);
  });
  expect(await bearer.ready(3000)).toBe(true);
  return r;
}

const push = (n: number): Uint8Array => new Uint8Array(n).fill(0x42);
const job = (id: string, size: number) => ({ id, kind: 'notification' as const, to: '+4790000002', push: push(size), attempt: 1, statusReport: true });


/** A deliver_sm of text from a phone. */
const mo = (over: Record<string, unknown>): Record<string, unknown> => ({ source_addr: '4790000001', destination_addr: '4790000000', ...over });

/** Resolves with the resp, and records when it came. */
function tracked(p: Promise<PDU>): { resp: Promise<PDU>; done: () => boolean } {
  let settled = false;
  const resp = p.then((x) => ((settled = true), x));
  return { resp, done: () => settled };
}

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('delivery receipts', () => {
  it('reports a delivered one-SMS push from the receipt text, and answers the deliver_sm', async () => {
    const r = await rig();
    const out = await r.bearer.submit(job('n-tok.1', 60));
    expect(out.status).toBe('sent');
    const id = r.smsc.submits[0].messageId!;
    const resp = await r.smsc.deliver({ source_addr: '4790000002', destination_addr: '', esm_class: 0x04, short_message: receiptText(id, 'DELIVRD') });
    expect(resp).toMatchObject({ command: 'deliver_sm_resp', command_status: 0 });
    expect(r.reports).toEqual([{ jobId: 'n-tok.1', status: 'delivered', at: expect.any(Number), detail: `DELIVRD (message_id ${id})` }]);
  });

  it('reports a multi-segment push delivered only once every segment is, from the TLVs', async () => {
    const r = await rig();
    await r.bearer.submit(job('n-big.1', 300));
    const ids = r.smsc.submits.map((s) => s.messageId!);
    expect(ids).toHaveLength(3);
    for (const [i, id] of [ids[2], ids[0]].entries()) {
      await r.smsc.deliver({ esm_class: 0x04, receipted_message_id: id, message_state: 2, short_message: Buffer.alloc(0) });
      expect(r.reports, `after receipt ${i + 1}`).toEqual([]);
    }
    await r.smsc.deliver({ esm_class: 0x04, receipted_message_id: ids[1], message_state: 2 });
    expect(r.reports).toEqual([{ jobId: 'n-big.1', status: 'delivered', at: expect.any(Number), detail: 'all 3 segments delivered' }]);
  });

  it('reports a multi-segment push failed as soon as one segment is, and only once', async () => {
    const r = await rig();
    await r.bearer.submit(job('n-f.1', 300));
    const ids = r.smsc.submits.map((s) => s.messageId!);
    await r.smsc.deliver({ esm_class: 0x04, short_message: receiptText(ids[0], 'DELIVRD') });
    await r.smsc.deliver({ esm_class: 0x04, short_message: receiptText(ids[1], 'UNDELIV', '012') });
    await r.smsc.deliver({ esm_class: 0x04, short_message: receiptText(ids[2], 'DELIVRD') });
    expect(r.reports).toEqual([{ jobId: 'n-f.1', status: 'failed', at: expect.any(Number), detail: `segment 2/3: UNDELIV err:012 (message_id ${ids[1]})` }]);
  });

  it('reports intermediate states as pending, then the final one', async () => {
    const r = await rig();
    await r.bearer.submit(job('n-p.1', 60));
    const id = r.smsc.submits[0].messageId!;
    await r.smsc.deliver({ esm_class: 0x20, receipted_message_id: id, message_state: 1 });
    await r.smsc.deliver({ esm_class: 0x04, receipted_message_id: id, message_state: 3 });
    expect(r.reports.map((x) => [x.status, x.detail])).toEqual([
      ['pending', `ENROUTE (message_id ${id})`],
      ['failed', `EXPIRED (message_id ${id})`],
    ]);
  });

  it('matches a receipt quoting the hex message_id in decimal', async () => {
    const r = await rig({}, { idFormat: 'hex' });
    await r.bearer.submit(job('n-h.1', 60));
    const hexId = r.smsc.submits[0].messageId!;
    expect(hexId).toMatch(/^[0-9a-f]+$/);
    await r.smsc.deliver({ esm_class: 0x04, short_message: receiptText(String(parseInt(hexId, 16)), 'DELIVRD') });
    expect(r.reports).toMatchObject([{ jobId: 'n-h.1', status: 'delivered' }]);
  });

  it('answers receipts for messages it does not know, and reports nothing', async () => {
    const r = await rig();
    const resp = await r.smsc.deliver({ esm_class: 0x04, short_message: receiptText('ffff0000', 'DELIVRD') });
    expect(resp.command_status).toBe(0);
    expect(r.reports).toEqual([]);
    expect(r.got).toEqual([]);
  });

  it('asks for no receipt when the job does not want a status report, and tracks nothing', async () => {
    const r = await rig();
    await r.bearer.submit({ ...job('d-1', 60), kind: 'delivery-report', statusReport: false });
    expect(r.smsc.submits[0].pdu.registered_delivery).toBe(0);
    await r.smsc.deliver({ esm_class: 0x04, short_message: receiptText(r.smsc.submits[0].messageId!, 'DELIVRD') });
    expect(r.reports).toEqual([]);
  });
});

describe('incoming short messages', () => {
  it('reads GSM 7-bit text sent unpacked (data_coding 0), escapes included', async () => {
    const r = await rig();
    const text = 'Hello @£$¥ èé ÆØÅ {[~]}|\\^€ 100%';
    const septets = smpp.gsmCoder.encode(text, 0);
    expect(septets[6]).toBe(0x00); // '@' is septet 0: a NUL octet inside short_message
    const resp = await r.smsc.deliver(mo({ data_coding: 0, short_message: septets }));
    expect(resp.command_status).toBe(0);
    expect(r.got).toEqual([{
      id: expect.stringMatching(/^smpp-[0-9a-f]{24}$/), from: '+4790000001', to: '+4790000000', text,
      sentAt: expect.any(Number), receivedAt: expect.any(Number), via: 'mmsc1',
    }]);
  });

  it('reads UCS-2 (data_coding 8), surrogate pairs included', async () => {
    const r = await rig();
    const text = 'Привет, 世界 😀';
    await r.smsc.deliver(mo({ data_coding: 8, short_message: Buffer.from(text, 'utf16le').swap16() }));
    expect(r.got.map((m) => m.text)).toEqual([text]);
  });

  it('reads Latin-1, IA5, and data_coding 0 as Latin-1 when so configured', async () => {
    const r = await rig();
    await r.smsc.deliver(mo({ data_coding: 3, short_message: Buffer.from('Grüße, ¿qué?', 'latin1') }));
    await r.smsc.deliver(mo({ data_coding: 1, short_message: Buffer.from('plain @ascii_', 'latin1') }));
    expect(r.got.map((m) => m.text)).toEqual(['Grüße, ¿qué?', 'plain @ascii_']);
    const l = await rig({ defaultAlphabet: 'latin1' });
    await l.smsc.deliver(mo({ data_coding: 0, short_message: Buffer.from('café', 'latin1') }));
    expect(l.got.map((m) => m.text)).toEqual(['café']);
  });

  it('reads a Cyrillic (ISO-8859-5) message', async () => {
    const r = await rig();
    // "Привет" in ISO-8859-5
    await r.smsc.deliver(mo({ data_coding: 6, short_message: Buffer.from([0xbf, 0xe0, 0xd8, 0xd2, 0xd5, 0xe2]) }));
    expect(r.got.map((m) => m.text)).toEqual(['Привет']);
  });

  it('hands 8-bit data with its application ports as octets', async () => {
    const r = await rig();
    const udh = Buffer.from('0605041f5a0000', 'hex'); // ports 8026 <- 0
    await r.smsc.deliver(mo({ esm_class: 0x40, data_coding: 4, short_message: Buffer.concat([udh, Buffer.from([1, 2, 3, 0, 255])]) }));
    expect(r.got).toHaveLength(1);
    expect(Buffer.from(r.got[0].data!).toString('hex')).toBe('01020300ff');
    expect(r.got[0].ports).toEqual({ dest: 8026, src: 0 });
    expect(r.got[0].text).toBeUndefined();
  });

  it('puts concatenated parts together in any order, answering each only once the whole is taken', async () => {
    const r = await rig();
    const parts = ['Part one, ', 'part two, ', 'part three.'];
    const pdu = (seq: number) => mo({
      esm_class: 0x40, data_coding: 0,
      short_message: Buffer.concat([Buffer.from([0x05, 0x00, 0x03, 0x9c, 3, seq]), smpp.gsmCoder.encode(parts[seq - 1], 0)]),
    });
    const third = tracked(r.smsc.deliver(pdu(3)));
    const first = tracked(r.smsc.deliver(pdu(1)));
    await wait(150);
    expect(third.done() || first.done()).toBe(false);
    expect(r.got).toEqual([]);
    const second = await r.smsc.deliver(pdu(2));
    expect(second.command_status).toBe(0);
    expect((await third.resp).command_status).toBe(0);
    expect((await first.resp).command_status).toBe(0);
    expect(r.got.map((m) => [m.text, m.missingParts])).toEqual([[parts.join(''), undefined]]);
  });

  it('puts together parts numbered by SAR TLVs (and with a 16-bit UDH reference)', async () => {
    const r = await rig();
    const words = ['SAR ', 'works'];
    const resps = [2, 1].map((seq) =>
      r.smsc.deliver(mo({ data_coding: 0, short_message: smpp.gsmCoder.encode(words[seq - 1], 0), sar_msg_ref_num: 0x1234, sar_total_segments: 2, sar_segment_seqnum: seq })));
    expect((await Promise.all(resps)).map((p) => p.command_status)).toEqual([0, 0]);
    const udh16 = (seq: number) => Buffer.from([0x06, 0x08, 0x04, 0xab, 0xcd, 2, seq]);
    await Promise.all([1, 2].map((seq) =>
      r.smsc.deliver(mo({ esm_class: 0x40, data_coding: 8, short_message: Buffer.concat([udh16(seq), Buffer.from(['Ω', 'ψ'][seq - 1], 'utf16le').swap16()]) }))));
    expect(r.got.map((m) => m.text)).toEqual(['SAR works', 'Ωψ']);
  });

  it('reads a long text from message_payload (data_sm too)', async () => {
    const r = await rig();
    const text = 'x'.repeat(500) + '€';
    const resp = await r.smsc.dataSm(mo({ data_coding: 0, message_payload: smpp.gsmCoder.encode(text, 0) }));
    expect(resp).toMatchObject({ command: 'data_sm_resp', command_status: 0 });
    expect(r.got.map((m) => m.text)).toEqual([text]);
  });

  it('holds the deliver_sm_resp until the listener took the message, and asks for it again when it did not', async () => {
    const r = await rig();
    let release!: () => void;
    let refuse = true;
    r.take = (sms) => {
      if (refuse) {
        refuse = false;
        return Promise.reject(new Error(`store full (${sms.text})`));
      }
      return new Promise((res) => (release = res));
    };
    const refused = await r.smsc.deliver(mo({ data_coding: 0, short_message: smpp.gsmCoder.encode('keep me', 0) }));
    expect(refused.command_status).toBe(0x64); // ESME_RX_T_APPN: deliver it again later
    expect(r.got).toEqual([]);
    const again = tracked(r.smsc.deliver(mo({ data_coding: 0, short_message: smpp.gsmCoder.encode('keep me', 0) })));
    await wait(200);
    expect(again.done()).toBe(false);
    release();
    expect((await again.resp).command_status).toBe(0);
    expect(r.got.map((m) => m.text)).toEqual(['keep me']);
  });

  it('answers a part of an incomplete message after partHold, and still puts the message together', async () => {
    const r = await rig({ partHoldMs: 150 });
    const pdu = (seq: number, t: string) => mo({ esm_class: 0x40, data_coding: 0, short_message: Buffer.concat([Buffer.from([5, 0, 3, 7, 2, seq]), smpp.gsmCoder.encode(t, 0)]) });
    const t0 = Date.now();
    const first = await r.smsc.deliver(pdu(1, 'slow '));
    expect(first.command_status).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect(r.got).toEqual([]);
    await r.smsc.deliver(pdu(2, 'window'));
    expect(r.got.map((m) => m.text)).toEqual(['slow window']);
  });

  it('hands a message whose parts stopped coming over incomplete, naming the missing parts', async () => {
    const r = await rig({ partHoldMs: 50, reassemblyTimeoutMs: 300 });
    await r.smsc.deliver(mo({ esm_class: 0x40, data_coding: 0, short_message: Buffer.concat([Buffer.from([5, 0, 3, 8, 3, 2]), smpp.gsmCoder.encode('middle', 0)]) }));
    await r.smsc.until(() => r.got.length === 1, 4000, 'the incomplete message');
    expect(r.got[0]).toMatchObject({ text: 'middle', missingParts: [1, 3] });
  });

  it('answers a late duplicate of a part already taken without handing anything again', async () => {
    const r = await rig();
    const pdu = (seq: number) => mo({ esm_class: 0x40, data_coding: 0, short_message: Buffer.concat([Buffer.from([5, 0, 3, 9, 2, seq]), smpp.gsmCoder.encode(`p${seq}`, 0)]) });
    await Promise.all([r.smsc.deliver(pdu(1)), r.smsc.deliver(pdu(2))]);
    expect((await r.smsc.deliver(pdu(2))).command_status).toBe(0);
    await wait(50);
    expect(r.got.map((m) => m.text)).toEqual(['p1p2']);
  });

  it('keeps alphanumeric senders as they are', async () => {
    const r = await rig();
    await r.smsc.deliver({ source_addr_ton: 5, source_addr_npi: 0, source_addr: 'BANK', destination_addr: '2244', dest_addr_ton: 0, data_coding: 0, short_message: smpp.gsmCoder.encode('code 1234', 0) });
    expect(r.got).toMatchObject([{ from: 'BANK', to: '2244', text: 'code 1234' }]);
  });

  it('refuses what cannot be read with a permanent error and hands nothing', async () => {
    const r = await rig();
    // UDHL 9 but only 3 octets follow
    const bad = await r.smsc.deliver(mo({ esm_class: 0x40, data_coding: 4, short_message: Buffer.from([9, 0, 3, 1]) }));
    expect(bad.command_status).toBe(0x65); // ESME_RX_P_APPN
    // GSM default alphabet with octets above 0x7F: read as Latin-1 rather than lost
    await r.smsc.deliver(mo({ data_coding: 0, short_message: Buffer.from('naïve', 'latin1') }));
    expect(r.got.map((m) => m.text)).toEqual(['naïve']);
  });
});
