// SMS phones send to the pool's modems (simulated, on ptys): concatenated parts in any order
// with duplicates, 8- and 16-bit references, joined in LMDB; a message still missing parts
// handed over after the reassembly timeout with `missingParts`; parts committed before the SIM
// slot is freed, and kept across a crash; messages the relay did not take handed over again
// after a restart.
import { afterEach, describe, expect, it } from 'vitest';
import type { VirtualPhone } from '../../src/bearer/simulator/index.js';
import { parseAddress, segmentText, type SegmentTextOptions } from '../../src/codec/sms/index.js';
import type { IncomingSms } from '../../src/relay/bearer.js';
import { PoolLab, until } from '../support/pool-lab.js';

let lab: PoolLab;
afterEach(async () => lab?.close());

const TEXT = 'Parts of a long SMS may arrive in any order, and some of them twice; the pool keeps them in LMDB until the message is whole. '.repeat(3);

let mr = 0;
/** The phone sends the parts of `text` in the order given (1-based sequence numbers). */
async function sendParts(phone: VirtualPhone, to: string, text: string, order: number[], opts: Partial<SegmentTextOptions> = {}): Promise<number> {
  const parts = segmentText(text, { destination: parseAddress(to), ref: 0x5a, ...opts });
  for (const seq of order) {
    const r = await lab.network.submit(phone, { ...parts[seq - 1], mr: mr & 0xff }, mr++ & 0xff);
    expect(r.ok).toBe(true);
  }
  return parts.length;
}

describe('incoming SMS', () => {
  it('joins concatenated parts in any order, duplicates ignored (8- and 16-bit references)', async () => {
    lab = new PoolLab();
    const [m] = await lab.addModems(1);
    const phone = lab.phone('+15557400001');
    const pool = lab.pool();
    const got: IncomingSms[] = [];
    pool.onIncoming(async (s) => void got.push(s));
    await lab.ready(pool);
    expect(await sendParts(phone, m.modem.msisdn, TEXT, [3, 1, 3, 2])).toBe(3);
    await until(() => got.length === 1, 'the whole message');
    expect(got[0]).toMatchObject({ from: phone.msisdn, to: m.modem.msisdn, via: m.modem.imei, text: TEXT });
    expect(got[0].missingParts).toBeUndefined();
    await sendParts(phone, m.modem.msisdn, `${TEXT}(16-bit)`, [2, 3, 1, 1], { refBits: 16, ref: 0x1234 });
    await until(() => got.length === 2, 'the 16-bit one');
    expect(got[1].text).toBe(`${TEXT}(16-bit)`);
    await lab.network.idle();
    await until(() => m.modem.stored('SM').length === 0, 'the SIM emptied');
    expect([...lab.store.poolParts.getKeys()]).toEqual([]);
    expect([...lab.store.poolInbox.getKeys()]).toEqual([]);
    expect(got.length).toBe(2); // the duplicate parts made no second message
  });

  it('hands over what arrived, with missingParts, after the reassembly timeout', async () => {
    lab = new PoolLab();
    const [m] = await lab.addModems(1);
    const phone = lab.phone('+15557400002');
    const pool = lab.pool({ reassemblyTimeout: 300 });
    const got: IncomingSms[] = [];
    pool.onIncoming(async (s) => void got.push(s));
    await lab.ready(pool);
    const parts = segmentText(TEXT, { destination: parseAddress(m.modem.msisdn), ref: 0x5a });
    await sendParts(phone, m.modem.msisdn, TEXT, [1, 3]);
    await until(() => got.length === 1, 'the incomplete message', 5_000);
    expect(got[0]).toMatchObject({ from: phone.msisdn, missingParts: [2], text: `${parts[0].text}${parts[2].text}` });
    expect(lab.log.lines.some((l) => l.msg === 'incomplete concatenated SMS delivered after the reassembly timeout')).toBe(true);
  });

  it('keeps 8-bit data and its application ports', async () => {
    lab = new PoolLab();
    const [m] = await lab.addModems(1);
    const phone = lab.phone('+15557400003');
    const pool = lab.pool();
    const got: IncomingSms[] = [];
    pool.onIncoming(async (s) => void got.push(s));
    await lab.ready(pool);
    const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 7) & 0xff);
    await phone.sendData(m.modem.msisdn, data, { destPort: 5000, srcPort: 6000 });
    await until(() => got.length === 1, 'the data message');
    expect(got[0].ports).toEqual({ dest: 5000, src: 6000 });
    expect(Buffer.from(got[0].data!).equals(Buffer.from(data))).toBe(true);
    expect(got[0].text).toBeUndefined();
  });
});

describe('durability', () => {
  it('commits a part before the SIM slot is freed, and finishes the message after a crash', async () => {
    lab = new PoolLab();
    const [m] = await lab.addModems(1);
    const phone = lab.phone('+15557400004');
    const first = lab.pool();
    first.onIncoming(async () => undefined);
    await lab.ready(first);
    await sendParts(phone, m.modem.msisdn, TEXT, [2]);
    await until(() => lab.network.deliveredTo(m.modem.msisdn).length === 1, 'part 2 on the SIM');
    await until(() => m.modem.stored('SM').length === 0, 'part 2 taken from the SIM');
    // deleted from the SIM only once committed: it is in LMDB now
    expect([...lab.store.poolParts.getRange()].map((e) => e.key[1])).toEqual([2]);
    await lab.abandon(first); // crash: no close, no drain
    // a part arrives while nothing runs: it waits on the SIM
    await sendParts(phone, m.modem.msisdn, TEXT, [3]);
    await lab.network.idle();
    expect(m.modem.stored('SM')).toHaveLength(1);
    const second = lab.pool();
    const got: IncomingSms[] = [];
    second.onIncoming(async (s) => void got.push(s));
    await lab.ready(second);
    await sendParts(phone, m.modem.msisdn, TEXT, [1]);
    await until(() => got.length === 1, 'the message after the restart');
    expect(got[0]).toMatchObject({ text: TEXT, from: phone.msisdn });
    expect(got[0].missingParts).toBeUndefined();
  });

  it('hands a message the relay did not take over again after a restart, once', async () => {
    lab = new PoolLab();
    const [m] = await lab.addModems(1);
    const phone = lab.phone('+15557400005');
    const first = lab.pool();
    let tries = 0;
    first.onIncoming(async () => {
      tries++;
      throw new Error('the relay is not ready');
    });
    await lab.ready(first);
    await phone.sendText(m.modem.msisdn, 'take me');
    await until(() => tries === 1 && m.modem.stored('SM').length === 0, 'the first hand-over');
    expect([...lab.store.poolInbox.getRange()].map((e) => e.value.text)).toEqual(['take me']);
    const id = [...lab.store.poolInbox.getKeys()][0];
    await first.close();
    const second = lab.pool();
    const got: IncomingSms[] = [];
    second.onIncoming(async (s) => void got.push(s));
    await until(() => got.length === 1, 'the hand-over after the restart');
    expect(got[0]).toMatchObject({ id, text: 'take me', from: phone.msisdn });
    await until(() => [...lab.store.poolInbox.getKeys()].length === 0, 'the inbox emptied');
    expect(got).toHaveLength(1);
  });
});
