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
    const v1 = new Store({ path });
    await v1.tx(() => v1.messages.putSync('m1', message('m1')));
    await v1.close();
    const ran: number[] = [];
    const v3 = new Store({
      path,
      schema: {
        version: 3,
        migrations: {
          2: (env) => { ran.push(2); env.openDB<StoredMessage, string>({ name: 'messages' }).putSync('m1', { ...message('m1'), size: 20 }); },
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
    await new Store({ path: old }).close();
    expect(() => new Store({ path: old, schema: { version: 3, migrations: { 3: () => {} } } })).toThrow(/no migration from schema 1 to 2/);
    // the failed migration changed nothing
    const s = new Store({ path: old });
    expect(s.schemaVersion).toBe(SCHEMA_VERSION);
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

  it('removes a message with its parts, deliveries, lookups and schedule entries', async () => {
    const s = new Store({ path: tmp() });
    await s.tx(() => {
      s.messages.putSync('m', message('m'));
      s.parts.putSync(['m', 0], Buffer.from('hi'));
      s.putDelivery(delivery('m', 10));
      s.tokens.putSync('tok-m', ['m', 0]);
      s.tids.putSync('tid-m', ['m', 0]);
    });
    expect(s.deliveryByToken('tok-m')?.messageId).toBe('m');
    expect(s.deliveryByTid('tid-m')?.messageId).toBe('m');
    await s.tx(() => s.removeMessage('m'));
    expect([s.messages.getCount(), s.parts.getCount(), s.deliveries.getCount(), s.tokens.getCount(), s.tids.getCount(), s.schedule.getCount()]).toEqual([0, 0, 0, 0, 0, 0]);
    await s.close();
  });
});
