// The pool's wall-clock times, moved with a step of the process's clock (one transaction), so
// that the windows they open keep their length: an incomplete long SMS is not handed over a day
// early (or late), a status report still finds its SMS, a job is not forgotten early.
import type { Store } from '../../store/store.js';

export interface PoolTimesMoved {
  jobs: number;
  sent: number;
  parts: number;
  seen: number;
}

/** Inside a write transaction. */
export function shiftPoolTimes(store: Store, delta: number): PoolTimesMoved {
  const moved: PoolTimesMoved = { jobs: 0, sent: 0, parts: 0, seen: 0 };
  for (const { key, value } of [...store.poolJobs.getRange()]) {
    store.poolJobs.putSync(key, {
      ...value,
      createdAt: value.createdAt + delta,
      touchedAt: value.touchedAt + delta,
      ...(value.finishedAt !== undefined ? { finishedAt: value.finishedAt + delta } : {}),
    });
    moved.jobs++;
  }
  for (const { key, value } of [...store.poolSegments.getRange()]) {
    if (value.sentAt !== undefined) store.poolSegments.putSync(key, { ...value, sentAt: value.sentAt + delta });
  }
  // the send time is part of the key (reports are matched within a window of it)
  const sent = [...store.poolSent.getRange()];
  for (const { key } of sent) store.poolSent.removeSync(key);
  for (const { key: [modem, mr, to, sentAt], value } of sent) {
    store.poolSent.putSync([modem, mr, to, sentAt + delta], value);
    moved.sent++;
  }
  for (const { key, value } of [...store.poolParts.getRange()]) {
    store.poolParts.putSync(key, { ...value, receivedAt: value.receivedAt + delta });
    moved.parts++;
  }
  for (const { key, value } of [...store.poolSeen.getRange()]) {
    store.poolSeen.putSync(key, value + delta);
    moved.seen++;
  }
  return moved;
}
