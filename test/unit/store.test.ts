// The LMDB store: schema versioning and migration, the schedule index kept in step with the
// records, and message removal taking every lookup with it. A real LMDB in a temp folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, StoreVersionError } from '../../src/store/migrations.js';
import { Store } from '../../src/store/store.js';
import type { Delivery, StoredMessage } from '../../src/store/types.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'mmsc-store-'));
  dirs.push(d);
  return d;
};
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const message = (id: string): StoredMessage => ({
  id, acceptedAt: 1, sender: '+1/TYPE=PLMN', senderTid: 't', senderVersion: '1.2', headers: {}, parts: [{ contentType: { type: 'text/plain' }, headers: {}, size: 2 }],
  multipart: false, size: 10, expiresAt: 100, deliverAt: 1, deliveryReport: false, readReport: false, hideSender: false, recipients: 1,
});
const delivery = (id: string, nextAt: number | null): Delivery => ({
  messageId: id, index: 0, recipient: '+2/TYPE=PLMN', field: 'to', route: { kind: 'local' }, state: 'accepted', nextAt, notifications: 0,
  tid: `tid-${id}`, token: `tok-${id}`, reportAllowed: true, history: [],
});

describe('store', () => {
  it('stamps a new store with the current schema and reopens it', async () => {
    const path = tmp();
    const s = new Store({ path });
    expect(s.schemaVersion).toBe(SCHEMA_VERSION);
    expect(s.meta.get('schema')).toBe(SCHEMA_VERSION);
    await s.close();
    const again = new Store({ path });
    expect(again.schemaVersion).toBe(SCHEMA_VERSION);
    await again.close();
  });

  it('migrates an older store in one transaction, step by step', async () => {
    const path = tmp();
    const v1 = new Store({ path, schema: { version: 1, migrations: {} } });
    await v1.tx(() => v1.messages.putSync('m1', message('m1')));
    await v1.close();
    const ran: number[] = [];
    const v3 = new Store({
      path,
      schema: {
        version: 3,
        migrations: {
          2: ({ env }) => { ran.push(2); env.openDB<StoredMessage, string>({ name: 'messages' }).putSync('m1', { ...message('m1'), size: 20 }); },
          3: () => void ran.push(3),
        },
      },
    });
    expect(ran).toEqual([2, 3]);
    expect(v3.schemaVersion).toBe(3);
    expect(v3.messages.get('m1')?.size).toBe(20);
    await v3.close();
  });

  it('refuses a store written by a newer mmsc, and a gap in the migrations', async () => {
    const path = tmp();
    const newer = new Store({ path, schema: { version: SCHEMA_VERSION + 5, migrations: { 2: () => {}, 3: () => {}, 4: () => {}, 5: () => {}, 6: () => {} } } });
    await newer.close();
    expect(() => new Store({ path })).toThrow(StoreVersionError);
    expect(() => new Store({ path })).toThrow(/written by a newer mmsc/);
    const old = tmp();
    await new Store({ path: old, schema: { version: 1, migrations: {} } }).close();
    expect(() => new Store({ path: old, schema: { version: 3, migrations: { 3: () => {} } } })).toThrow(/no migration from schema 1 to 2/);
    // the failed migration changed nothing
    const s = new Store({ path: old });
    expect(s.schemaVersion).toBe(SCHEMA_VERSION);
    await s.close();
  });

  it('migrates schema 1 (payloads among the records) to 2 (payloads in their own environment)', async () => {
    const path = tmp();
    const v1 = new Store({ path, schema: { version: 1, migrations: {} } });
    const old = v1.env.openDB<Buffer, [string, number]>({ name: 'parts', encoding: 'binary' });
    await v1.tx(() => {
      v1.messages.putSync('m', message('m'));
      old.putSync(['m', 0], Buffer.from('payload'));
    });
    await v1.close();
    const v2 = new Store({ path });
    expect(v2.schemaVersion).toBe(2);
    expect(v2.parts.get(['m', 0])?.toString()).toBe('payload');
    expect(v2.env.openDB<Buffer, [string, number]>({ name: 'parts', encoding: 'binary' }).getCount()).toBe(0);
    expect(await v2.recover()).toEqual({ incomplete: [], orphanParts: 0 });
    await v2.close();
  });

  it('recovers from a crash between the two commits of a submission', async () => {
    const s = new Store({ path: tmp() });
    await s.tx(() => {
      // acknowledged: records and payloads both there
      s.messages.putSync('ok', message('ok'));
      // records committed, payloads lost: never acknowledged
      s.messages.putSync('lost', { ...message('lost'), sender: '+9/TYPE=PLMN', senderTid: 'T9' });
      s.putIdempotency('+9/TYPE=PLMN', 'T9', { messageId: 'lost', at: 1 }, 1000);
      s.putDelivery(delivery('lost', 5));
      s.tokens.putSync('tok-lost', ['lost', 0]);
      // finished: payloads already dropped on purpose
      s.messages.putSync('done', { ...message('done'), partsPurged: true });
    });
    await s.partsTx(() => {
      s.parts.putSync(['ok', 0], Buffer.from('hi'));
      s.parts.putSync(['ghost', 0], Buffer.from('never committed')); // payloads of a submission whose records never came
      s.parts.putSync(['done', 0], Buffer.from('left over'));
    });
    expect(await s.recover()).toEqual({ incomplete: ['lost'], orphanParts: 2 });
    expect(s.messages.get('lost')).toBeUndefined();
    expect(s.idempotency.get(['+9/TYPE=PLMN', 'T9'])).toBeUndefined(); // the phone's re-send creates it afresh
    expect(s.deliveries.getCount()).toBe(0);
    expect([...s.schedule.getKeys()].filter((k) => k[1] === 'd')).toEqual([]);
    expect([...s.parts.getKeys()]).toEqual([['ok', 0]]);
    expect(await s.recover()).toEqual({ incomplete: [], orphanParts: 0 });
    await s.close();
  });

  it("keeps the schedule index in step with each delivery's next action", async () => {
    const s = new Store({ path: tmp() });
    await s.tx(() => s.putDelivery(delivery('a', 50)));
    expect(s.due(100)).toEqual([[50, 'd', 'a', 0]]);
    await s.tx(() => s.putDelivery({ ...delivery('a', 70) }));
    expect(s.due(100)).toEqual([[70, 'd', 'a', 0]]);
    expect(s.due(60)).toEqual([]);
    expect(s.nextDueAt()).toBe(70);
    await s.tx(() => s.putDelivery({ ...delivery('a', null) }));
    expect(s.due(1e15)).toEqual([]);
    await s.close();
  });

  it('removes a message with its deliveries, lookups and schedule entries', async () => {
    const s = new Store({ path: tmp() });
    await s.tx(() => {
      s.messages.putSync('m', message('m'));
      s.putDelivery(delivery('m', 10));
      s.tokens.putSync('tok-m', ['m', 0]);
      s.tids.putSync('tid-m', ['m', 0]);
    });
    expect(s.deliveryByToken('tok-m')?.messageId).toBe('m');
    expect(s.deliveryByTid('tid-m')?.messageId).toBe('m');
    await s.tx(() => s.removeMessage('m'));
    expect([s.messages.getCount(), s.deliveries.getCount(), s.tokens.getCount(), s.tids.getCount(), s.schedule.getCount()]).toEqual([0, 0, 0, 0, 0]);
    await s.close();
  });
});
