// A slow bearer (a modem with seconds of air time) saturates the relay's push slots: the due
// pushes must wait for a free slot, not spin the scheduler. Counted in scheduler passes over
// the schedule while eight pushes drain through one slot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Phone, startTestMmsc, type TestMmsc } from '../support/mmsc.js';

describe('relay with a slow bearer, slots free', () => {
  let t: TestMmsc;
  beforeAll(async () => {
    t = await startTestMmsc({ relay: { bearerConcurrency: 4 } });
  });
  afterAll(async () => t.close());

  it('does not spin while a push is in flight', async () => {
    t.bearer.listen(() => new Promise((r) => setTimeout(r, 300))); // one long air time
    let passes = 0;
    const due = t.mmsc.store.due.bind(t.mmsc.store);
    t.mmsc.store.due = (now, limit) => {
      passes++;
      return due(now, limit);
    };
    await new Phone(t.base, '+4797000002').post({
      messageType: 'm-send-req', transactionId: 'slow-1', mmsVersion: '1.2', from: { insertAddress: true },
      to: ['+4797000200/TYPE=PLMN'], contentType: { type: 'text/plain' }, body: new TextEncoder().encode('x'),
    });
    await t.mmsc.relay.idle();
    expect(t.pushes.length).toBe(1);
    expect(passes).toBeLessThan(20); // a spinning scheduler makes hundreds in 0.3 s
  });
});

describe('relay with a saturated bearer', () => {
  let t: TestMmsc;
  beforeAll(async () => {
    t = await startTestMmsc({ relay: { bearerConcurrency: 1 } });
  });
  afterAll(async () => t.close());

  it('waits for a free slot instead of spinning', async () => {
    let active = 0;
    let most = 0;
    t.bearer.listen(async () => {
      most = Math.max(most, ++active);
      await new Promise((r) => setTimeout(r, 60)); // air time
      active--;
    });
    let passes = 0;
    const due = t.mmsc.store.due.bind(t.mmsc.store);
    t.mmsc.store.due = (now, limit) => {
      passes++;
      return due(now, limit);
    };
    const A = new Phone(t.base, '+4797000001');
    await A.post({
      messageType: 'm-send-req', transactionId: 'sat-1', mmsVersion: '1.2', from: { insertAddress: true },
      to: Array.from({ length: 8 }, (_, i) => `+479700010${i}/TYPE=PLMN`), contentType: { type: 'text/plain' }, body: new TextEncoder().encode('x'),
    });
    await t.mmsc.relay.idle();
    expect(t.pushes.length).toBe(8);
    expect(most).toBe(1);
    // about two passes per push (queue it, send it, record it); a spinning scheduler makes thousands in 0.5 s
    expect(passes).toBeLessThan(200);
  });
});
