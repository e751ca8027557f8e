// The SMPP bearer against npm smpp's server scripted as an SMSC on 127.0.0.1: the bind (good and
// bad credentials), the submit_sm of a WAP push checked octet by octet (esm_class, data_coding,
// the WDP port and concatenation UDH, the payload put back together and decoded), the
// command_status mapping, throttling and the rate limit, resuming a half-sent push, link drops,
// unbind and enquire_link, and a graceful close.
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../../bench/lib.js';
import { SmppBearer, type SmppBearerOptions } from '../../src/bearer/smpp/index.js';
import { decodeMms, encodeMms, type MmsPdu } from '../../src/codec/mms/index.js';
import { decodePush, encodePush } from '../../src/codec/wsp/index.js';
import type { PushJob, SubmitOutcome } from '../../src/relay/bearer.js';
import { ScriptedSmsc, concatOf, type Submitted } from '../support/smpp-smsc.js';

const MMS = 'application/vnd.wap.mms-message';

function notificationPush(urlLength: number, tid = 7): { push: Uint8Array; pdu: MmsPdu } {
  const pdu: MmsPdu = {
    messageType: 'm-notification-ind', transactionId: 'T0123456789', mmsVersion: '1.2', messageClass: 'Personal',
    messageSize: 31337, expiry: { relative: 604800 }, contentLocation: `http://mmsc.example.net/m/${'x'.repeat(urlLength)}`,
  };
  const push = encodePush({ tid, pduType: 'push', contentType: { type: MMS }, applicationId: 'x-wap-application:mms.ua', body: encodeMms(pdu) });
  return { push, pdu };
}

const job = (push: Uint8Array, over: Partial<PushJob> = {}): PushJob => ({
  id: 'n-job-1', kind: 'notification', to: '+4790000002', push, attempt: 1, statusReport: true, ...over,
});

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const c of open.reverse()) await c.close();
  open.length = 0;
});

async function smscAndBearer(over: Partial<SmppBearerOptions> = {}, smscOpts = { systemId: 'mmsc1', password: 'secret' }): Promise<{ smsc: ScriptedSmsc; bearer: SmppBearer }> {
  const smsc = await ScriptedSmsc.start(smscOpts);
  open.push(smsc);
  const bearer = new SmppBearer({
    host: '127.0.0.1', port: smsc.port, systemId: 'mmsc1', password: 'secret', systemType: 'MMSC', sourceAddress: '+4790000000',
    ratePerSecond: 1000, enquireLinkMs: 60_000, reconnectMs: 50, responseTimeoutMs: 2000, ...over,
  });
  open.push(bearer);
  return { smsc, bearer };
}

/** The WAP push carried by submit_sm PDUs, put back together by their concatenation IE. */
function reassemble(subs: Submitted[]): Buffer {
  const bySeq = new Map<number, Buffer>();
  for (const s of subs) bySeq.set(concatOf(s)?.seq ?? 1, s.payload);
  return Buffer.concat([...bySeq.keys()].sort((a, b) => a - b).map((k) => bySeq.get(k)!));
}

describe('SMPP bind', () => {
  it('binds as a transceiver with system_id, password and system_type, interface version 3.4', async () => {
    const { smsc, bearer } = await smscAndBearer();
    expect(await bearer.ready(3000)).toBe(true);
    expect(smsc.binds).toEqual([{ systemId: 'mmsc1', password: 'secret', systemType: 'MMSC', interfaceVersion: 0x34, accepted: true }]);
    expect(smsc.commands('bind_transceiver')).toHaveLength(1);
    expect(bearer.status).toMatchObject({ state: 'bound', systemId: 'mmsc1', detail: expect.stringContaining('TESTSMSC') });
  });

  it('keeps trying with growing back-off when the SMSC refuses the password, and says why', async () => {
    const { smsc, bearer } = await smscAndBearer({ password: 'wrong', reconnectMs: 40 });
    await smsc.until(() => smsc.binds.length >= 4, 5000, '4 bind attempts');
    expect(smsc.binds.every((b) => !b.accepted && b.password === 'wrong')).toBe(true);
    const times = smsc.commands('bind_transceiver').map((r) => r.at);
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    // 40, 80, 160 ms (+ connect and bind time)
    expect(gaps[0]).toBeGreaterThanOrEqual(35);
    expect(gaps[2]).toBeGreaterThan(gaps[0] * 2);
    expect(bearer.status.state).not.toBe('bound');
    const out = await bearer.submit(job(notificationPush(10).push));
    expect(out).toMatchObject({ status: 'retry', reason: expect.stringMatching(/bind_transceiver refused: ESME_RINVPASWD \(0x0000000E: invalid password\)/) });
    // four attempts failed: a long outage, left to the outbox's own back-off
    expect((out as { retryAfterMs?: number }).retryAfterMs).toBeUndefined();
    expect(smsc.submits).toHaveLength(0);
  });

  it('connects once the SMSC comes up, and binds again after the SMSC drops the link', async () => {
    const port = await freePort();
    const bearer = new SmppBearer({ host: '127.0.0.1', port, systemId: 'mmsc1', password: 'secret', ratePerSecond: 100, enquireLinkMs: 60_000, reconnectMs: 50 });
    open.push(bearer);
    await new Promise((r) => setTimeout(r, 120));
    expect(bearer.status.state === 'down' || bearer.status.state === 'connecting').toBe(true);
    const down = await bearer.submit(job(notificationPush(10).push));
    expect(down).toMatchObject({ status: 'retry', reason: expect.stringMatching(/SMPP link to 127\.0\.0\.1:\d+ is down: cannot connect .*ECONNREFUSED.*next attempt in/) });
    // a fresh outage: try again just after the next connection attempt
    expect((down as { retryAfterMs: number }).retryAfterMs).toBeGreaterThanOrEqual(1000);
    expect((down as { retryAfterMs: number }).retryAfterMs).toBeLessThanOrEqual(1000 + 200);

    const smsc = await ScriptedSmsc.start({ systemId: 'mmsc1', password: 'secret' }, port);
    open.push(smsc);
    expect(await bearer.ready(5000)).toBe(true);
    expect((await bearer.submit(job(notificationPush(10).push))).status).toBe('sent');

    smsc.drop();
    await smsc.until(() => bearer.status.state !== 'bound', 2000, 'the bearer to see the drop');
    const whileDown = await bearer.submit(job(notificationPush(10).push, { id: 'n-2' }));
    if (whileDown.status === 'retry') expect(whileDown.reason).toMatch(/SMPP link|link went down|connection/);
    else expect(whileDown.status).toBe('sent'); // the new bind was quicker than this submit
    await smsc.until(() => smsc.binds.length === 2, 3000, 'a second bind');
    expect(await bearer.ready(3000)).toBe(true);
    expect((await bearer.submit(job(notificationPush(10).push, { id: 'n-3' }))).status).toBe('sent');
  });

  it('answers an unbind from the SMSC and binds again', async () => {
    const { smsc, bearer } = await smscAndBearer();
    await bearer.ready(3000);
    const resp = await new Promise<{ command: string; command_status: number }>((r) => smsc.session1.unbind({}, (p) => r(p as never)));
    expect(resp).toMatchObject({ command: 'unbind_resp', command_status: 0 });
    await smsc.until(() => smsc.binds.length === 2 && bearer.status.state === 'bound', 3000, 'the bind after unbind');
  });
});

describe('submit_sm of a WAP push', () => {
  it('sends a one-SMS push with UDHI, 8-bit data coding, the 2948/9200 port UDH and a receipt request', async () => {
    const { smsc, bearer } = await smscAndBearer();
    const { push, pdu } = notificationPush(20);
    expect(push.length).toBeLessThanOrEqual(133);
    const out = await bearer.submit(job(push));
    expect(smsc.submits).toHaveLength(1);
    const s = smsc.submits[0];
    expect(out).toEqual({ status: 'sent', segments: [{ reference: s.messageId, via: 'mmsc1' }] });
    expect(s.pdu).toMatchObject({
      command: 'submit_sm', service_type: '', esm_class: 0x40, protocol_id: 0, priority_flag: 0, data_coding: 0x04,
      registered_delivery: 0x01, replace_if_present_flag: 0, source_addr_ton: 1, source_addr_npi: 1, source_addr: '4790000000',
      dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '4790000002',
    });
    // UDHL 06, IEI 05 (16-bit ports), IEDL 04, 0B84 (2948), 23F0 (9200) - and nothing else
    expect(s.udh!.toString('hex')).toBe('0605040b8423f0');
    expect(Buffer.from(s.payload).equals(Buffer.from(push))).toBe(true);
    // sm_length in the frame counts the UDH and the payload
    expect(s.raw[s.raw.length - s.shortMessage.length - 1]).toBe(7 + push.length);
    expect(decodeMms(decodePush(s.payload).body)).toEqual(pdu);
  });

  it('cuts a long push into concatenated SMS of at most 140 octets, one reference, in order', async () => {
    const { smsc, bearer } = await smscAndBearer();
    const { push, pdu } = notificationPush(300);
    const out = await bearer.submit(job(push, { statusReport: false }));
    const n = Math.ceil(push.length / 128);
    expect(smsc.submits).toHaveLength(n);
    expect(out).toEqual({ status: 'sent', segments: smsc.submits.map((s) => ({ reference: s.messageId, via: 'mmsc1' })) });
    const refs = new Set<number>();
    smsc.submits.forEach((s, i) => {
      expect(s.pdu).toMatchObject({ esm_class: 0x40, data_coding: 0x04, protocol_id: 0, registered_delivery: 0 });
      expect(s.shortMessage.length).toBeLessThanOrEqual(140);
      // 0B | 05 04 0B84 23F0 | 00 03 ref total seq
      expect(s.udh!.subarray(0, 9).toString('hex')).toBe('0b05040b8423f00003');
      expect(s.udh!.length).toBe(12);
      refs.add(s.udh![9]);
      expect(s.udh![10]).toBe(n);
      expect(s.udh![11]).toBe(i + 1);
      if (i < n - 1) expect(s.payload.length).toBe(128);
    });
    expect(refs.size).toBe(1);
    const whole = reassemble(smsc.submits);
    expect(whole.equals(Buffer.from(push))).toBe(true);
    expect(decodeMms(decodePush(whole).body)).toEqual(pdu);
  });

  it('uses a new concatenation reference for the next long push', async () => {
    const { smsc, bearer } = await smscAndBearer();
    await bearer.submit(job(notificationPush(300).push, { id: 'a' }));
    const first = smsc.submits.length;
    await bearer.submit(job(notificationPush(300).push, { id: 'b' }));
    expect(smsc.submits[first].udh![9]).not.toBe(smsc.submits[0].udh![9]);
  });

  it('takes the source TON/NPI from the configuration when given, and alphanumeric senders as TON 5', async () => {
    const { smsc, bearer } = await smscAndBearer({ sourceAddress: '2244', sourceTon: 3, sourceNpi: 9, serviceType: 'WAP' });
    await bearer.submit(job(notificationPush(10).push));
    expect(smsc.submits[0].pdu).toMatchObject({ source_addr_ton: 3, source_addr_npi: 9, source_addr: '2244', service_type: 'WAP' });
    const alpha = new SmppBearer({ host: '127.0.0.1', port: smsc.port, systemId: 'mmsc1', password: 'secret', sourceAddress: 'MMS', ratePerSecond: 100, enquireLinkMs: 60_000, reconnectMs: 50 });
    open.push(alpha);
    await alpha.submit(job(notificationPush(10).push));
    expect(smsc.submits[1].pdu).toMatchObject({ source_addr_ton: 5, source_addr_npi: 0, source_addr: 'MMS' });
  });
});

describe('command_status mapping', () => {
  const cases: [number, SubmitOutcome['status'], RegExp, number | undefined][] = [
    [0x0b, 'failed', /ESME_RINVDSTADR \(0x0000000B: invalid destination address\)/, undefined],
    [0x0a, 'failed', /ESME_RINVSRCADR \(0x0000000A: invalid source address\)/, undefined],
    [0x01, 'failed', /ESME_RINVMSGLEN/, undefined],
    [0x45, 'failed', /ESME_RSUBMITFAIL/, undefined],
    [0x401, 'failed', /0x00000401 \(vendor-specific\)/, undefined],
    [0x14, 'retry', /ESME_RMSGQFUL \(0x00000014: message queue full\)/, 60_000],
    [0x08, 'retry', /ESME_RSYSERR \(0x00000008: system error\)/, 10_000],
    [0x64, 'retry', /ESME_RX_T_APPN/, 30_000],
  ];
  for (const [code, status, reason, after] of cases) {
    it(`maps 0x${code.toString(16)} to ${status}`, async () => {
      const { smsc, bearer } = await smscAndBearer();
      smsc.onSubmit = () => ({ status: code });
      const out = await bearer.submit(job(notificationPush(10).push));
      expect(out.status).toBe(status);
      expect((out as { reason: string }).reason).toMatch(reason);
      expect((out as { retryAfterMs?: number }).retryAfterMs).toBe(after);
    });
  }

  it('retries when the SMSC does not answer the submit_sm in time, saying the outcome is unknown', async () => {
    const { smsc, bearer } = await smscAndBearer({ responseTimeoutMs: 300 });
    smsc.onSubmit = () => 'silence';
    const t0 = Date.now();
    const out = await bearer.submit(job(notificationPush(10).push));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(out).toMatchObject({ status: 'retry', reason: expect.stringMatching(/no submit_sm_resp within 300 ms: whether the SMSC took it is unknown/) });
  });

  it('re-binds when the SMSC says the bind is not in a state to submit (ESME_RINVBNDSTS)', async () => {
    const { smsc, bearer } = await smscAndBearer();
    let first = true;
    smsc.onSubmit = () => (first ? ((first = false), { status: 0x04 }) : { status: 0 });
    const out = await bearer.submit(job(notificationPush(10).push));
    expect(out).toMatchObject({ status: 'retry', reason: expect.stringMatching(/ESME_RINVBNDSTS/) });
    await smsc.until(() => smsc.binds.length === 2, 3000, 'a new bind');
    expect((await bearer.submit(job(notificationPush(10).push))).status).toBe('sent');
  });
});

describe('throttling and rate', () => {
  it('pauses all sending when the SMSC throttles, longer each time in a row', async () => {
    const { smsc, bearer } = await smscAndBearer();
    let throttle = 2;
    smsc.onSubmit = () => (throttle-- > 0 ? { status: 0x58 } : { status: 0 });
    const a = await bearer.submit(job(notificationPush(10).push, { id: 'a' }));
    expect(a).toEqual({ status: 'retry', reason: expect.stringMatching(/SMSC is throttling this bind: .*ESME_RTHROTTLED \(0x00000058/), retryAfterMs: 1000 });
    const b = await bearer.submit(job(notificationPush(10).push, { id: 'b' }));
    expect(b).toMatchObject({ status: 'retry', retryAfterMs: 2000 });
    const c = await bearer.submit(job(notificationPush(10).push, { id: 'c' }));
    expect(c.status).toBe('sent');
    const at = smsc.submits.map((s) => s.at);
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(950);
    expect(at[2] - at[1]).toBeGreaterThanOrEqual(1950);
  });

  it('spaces submit_sm at ratePerSecond, also across jobs sent at once', async () => {
    const { smsc, bearer } = await smscAndBearer({ ratePerSecond: 20 });
    await bearer.ready(3000);
    const outs = await Promise.all([0, 1, 2, 3, 4].map((i) => bearer.submit(job(notificationPush(10).push, { id: `r${i}` }))));
    expect(outs.every((o) => o.status === 'sent')).toBe(true);
    const at = smsc.submits.map((s) => s.at);
    for (let i = 1; i < at.length; i++) expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(35); // 50 ms, less arrival jitter
    expect(at[4] - at[0]).toBeGreaterThanOrEqual(190);
  });

  it('resumes a half-sent push with the same reference, sending only what is missing', async () => {
    const { smsc, bearer } = await smscAndBearer();
    const { push, pdu } = notificationPush(300);
    let n = 0;
    smsc.onSubmit = () => (++n === 2 ? { status: 0x58 } : { status: 0 });
    const first = await bearer.submit(job(push, { id: 'half' }));
    expect(first.status).toBe('retry');
    expect((first as { reason: string }).reason).toMatch(/segment 2 of 3/);
    expect(smsc.submits).toHaveLength(2);
    const second = await bearer.submit(job(push, { id: 'half', attempt: 2 }));
    expect(smsc.submits).toHaveLength(4); // segment 2 again, then 3
    expect(smsc.submits.slice(2).map((s) => s.udh![11])).toEqual([2, 3]);
    expect(new Set(smsc.submits.map((s) => s.udh![9])).size).toBe(1);
    const accepted = smsc.submits.filter((s) => s.messageId);
    expect(second).toEqual({ status: 'sent', segments: accepted.map((s) => ({ reference: s.messageId, via: 'mmsc1' })) });
    const whole = reassemble(accepted);
    expect(decodeMms(decodePush(whole).body)).toEqual(pdu);
  });

  it('fails a push too large for 255 SMS without sending anything', async () => {
    const { smsc, bearer } = await smscAndBearer();
    const out = await bearer.submit(job(new Uint8Array(255 * 128 + 1)));
    expect(out).toMatchObject({ status: 'failed', reason: expect.stringMatching(/cannot be cut into SMS: SMS segment count .*256 parts, at most 255/) });
    expect(smsc.submits).toHaveLength(0);
  });
});

describe('keep-alive and close', () => {
  it('sends enquire_link and answers the SMSC\'s', async () => {
    const { smsc, bearer } = await smscAndBearer({ enquireLinkMs: 80 });
    await bearer.ready(3000);
    await smsc.until(() => smsc.commands('enquire_link').length >= 3, 3000, 'three enquire_link');
    const resp = await new Promise<{ command: string; command_status: number }>((r) => smsc.session1.enquire_link({}, (p) => r(p as never)));
    expect(resp).toMatchObject({ command: 'enquire_link_resp', command_status: 0 });
  });

  it('drops a link whose SMSC stops answering enquire_link, and binds again', async () => {
    const { smsc, bearer } = await smscAndBearer({ enquireLinkMs: 60, responseTimeoutMs: 150 });
    await bearer.ready(3000);
    smsc.answerEnquireLink = false;
    const states: string[] = [];
    bearer.on('state', (s: { state: string; detail: string | null }) => states.push(`${s.state}: ${s.detail}`));
    await smsc.until(() => smsc.binds.length >= 2, 3000, 'a bind after the dead link');
    expect(states.some((s) => /^down: link dropped: the SMSC did not answer enquire_link within 150 ms/.test(s))).toBe(true);
  });

  it('unbinds on close and refuses new pushes with retry', async () => {
    const { smsc, bearer } = await smscAndBearer();
    await bearer.ready(3000);
    await bearer.close();
    expect(smsc.commands('unbind')).toHaveLength(1);
    expect(bearer.status.state).toBe('closed');
    expect(await bearer.submit(job(notificationPush(10).push))).toMatchObject({ status: 'retry', reason: 'SMPP bearer is closing' });
  });
});
