// Moving the schedule with a step of the clock. Every timed action is a wall-clock time in
// LMDB (the schedule index and the records it points at); when the process's clock steps by
// `delta`, the times computed on the old scale are moved by `delta` in one transaction, so that
// each keeps its elapsed meaning: no expiry and re-notification storm after a step forward, no
// freeze after a step back, no expiry earlier or later than intended.
//
// Two things stay where they are:
//   - times from the phone on its own clock: an absolute Expiry or Delivery-Time that was kept
//     as given (not clamped) names an instant, not a duration;
//   - what a previous run scheduled on a trusted clock, while this run's clock is not trusted
//     yet (`kept`): a box that boots with a clock restored by fake-hwclock and is corrected an
//     hour later must move only what it scheduled in that hour.
import type { MmsPdu } from '../codec/mms/index.js';
import type { ScheduleKey, Store } from '../store/store.js';
import type { Delivery, StoredMessage } from '../store/types.js';
import { FETCHABLE } from './state.js';

/** Schedule entries and messages that a step must not move (scheduled by an earlier run on a trusted clock). */
export interface KeptSchedule {
  keys: Set<string>;
  messages: Set<string>;
}

export interface ReanchorReport {
  deliveries: number;
  messages: number;
  outbox: number;
  idempotency: number;
  retirements: number;
  /** Entries left as they were (an earlier run's, on a trusted clock). */
  kept: number;
}

const keyId = (k: ScheduleKey): string => JSON.stringify(k);

/** What is scheduled now (at start-up, before anything moves it). */
export function snapshotSchedule(store: Store): KeptSchedule {
  const keys = new Set<string>();
  const messages = new Set<string>();
  for (const k of store.schedule.getKeys()) {
    const key = k as ScheduleKey;
    keys.add(keyId(key));
    if (key[1] === 'd' || key[1] === 'm' || key[1] === 'p') messages.add(key[2]);
  }
  return { keys, messages };
}

/** The instant an absolute header names (ms), or undefined for a relative or absent one. */
function absolute(t: unknown): number | undefined {
  const v = t as MmsPdu['expiry'];
  return v && 'absolute' in v ? v.absolute * 1000 : undefined;
}

interface MovedMessage {
  before: StoredMessage;
  after: StoredMessage;
}

/** Inside a write transaction: moves every time scheduled on the old scale by `delta`. */
export function reanchor(store: Store, delta: number, kept: KeptSchedule | null): ReanchorReport {
  const report: ReanchorReport = { deliveries: 0, messages: 0, outbox: 0, idempotency: 0, retirements: 0, kept: 0 };
  const moved = new Map<string, MovedMessage | null>();
  const message = (id: string): MovedMessage | null => {
    if (moved.has(id)) return moved.get(id) ?? null;
    const before = store.messages.get(id);
    let m: MovedMessage | null = null;
    if (before) {
      if (kept?.messages.has(id)) {
        m = { before, after: before };
      } else {
        const shift = (t: number, asked: unknown) => (absolute(asked) === t ? t : t + delta);
        const after: StoredMessage = {
          ...before,
          acceptedAt: before.acceptedAt + delta,
          expiresAt: shift(before.expiresAt, before.headers.expiry),
          deliverAt: shift(before.deliverAt, before.headers.deliveryTime),
        };
        store.messages.putSync(id, after);
        report.messages++;
        m = { before, after };
      }
    }
    moved.set(id, m);
    return m;
  };
  // each record once: its moved entry may coincide with one of its stale entries still to come
  const done = new Set<string>();
  /** Entries that only carry their time in the key: removed first, then written moved (they may collide). */
  const plain: ScheduleKey[] = [];
  // Collected first: the loop writes new keys into the index it reads.
  const keys = [...store.schedule.getKeys()] as ScheduleKey[];
  for (const key of keys) {
    if (kept?.keys.has(keyId(key))) {
      report.kept++;
      continue;
    }
    const [at, kind] = key;
    switch (kind) {
      case 'd': {
        const [, , id, index] = key as [number, 'd', string, number];
        const d = store.deliveries.get([id, index]);
        // a stale entry (the delivery moved on): the scheduler drops it when it comes due
        if (!d || d.nextAt !== at || done.has(`d${id}#${index}`)) break;
        done.add(`d${id}#${index}`);
        store.putDelivery({ ...d, nextAt: nextAt(d, at, delta, message(id)) });
        report.deliveries++;
        break;
      }
      case 'o': {
        const item = store.outbox.get(key[2]);
        if (!item || item.nextAt !== at || done.has(`o${item.id}`)) break;
        done.add(`o${item.id}`);
        store.putOutbox({ ...item, nextAt: item.nextAt + delta, createdAt: item.createdAt + delta });
        report.outbox++;
        break;
      }
      case 'i': {
        const [, , sender, tid] = key as [number, 'i', string, string];
        plain.push(key);
        const rec = store.idempotency.get([sender, tid]);
        if (rec && !done.has(`i${sender}\u0000${tid}`)) {
          done.add(`i${sender}\u0000${tid}`);
          store.idempotency.putSync([sender, tid], { ...rec, at: rec.at + delta });
        }
        report.idempotency++;
        break;
      }
      case 'm':
      case 'p': {
        plain.push(key);
        message(key[2]); // its expiry still decides whether an acknowledged message may be fetched again
        report.retirements++;
        break;
      }
    }
  }
  for (const key of plain) store.schedule.removeSync(key);
  for (const key of plain) store.schedule.putSync([key[0] + delta, ...key.slice(1)] as ScheduleKey, null);
  return report;
}

/** A delivery's next action on the new scale: with its message's expiry or delivery time when it was that, else moved by delta. */
function nextAt(d: Delivery, at: number, delta: number, m: MovedMessage | null): number {
  if (!m) return at + delta;
  if (at === m.before.expiresAt) return m.after.expiresAt;
  const live = d.state === 'accepted' || FETCHABLE.has(d.state);
  if (d.state === 'accepted' && at === m.before.deliverAt) return m.after.deliverAt;
  return live ? Math.min(at + delta, m.after.expiresAt) : at + delta;
}
