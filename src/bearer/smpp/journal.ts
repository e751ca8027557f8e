// What the SMPP bearer keeps in LMDB so that a restart neither submits again a segment the SMSC
// already accepted (the SMSC would deliver it twice, and charge it twice) nor loses the
// receipts still to come for what was sent before it: per push, its concatenation reference,
// the message_id of each accepted segment and the receipt state of each. The SMSC keeps the
// rest (an unanswered deliver_sm is delivered again), so this is all the bearer must remember.
import type { Store } from '../../store/store.js';
import type { SmppPushRecord } from '../../store/types.js';

export type { SmppPushRecord };

export interface SmppJournal {
  /** Every record, read once at start-up. */
  entries(): Iterable<[string, SmppPushRecord]>;
  /** Resolves once the record is durable. */
  put(jobId: string, rec: SmppPushRecord): Promise<void>;
  remove(jobId: string): Promise<void>;
}

/** The journal in the MMSC's store (`smpp-pushes`). */
export function storeJournal(store: Store): SmppJournal {
  const db = store.smppPushes;
  return {
    *entries() {
      for (const { key, value } of db.getRange()) yield [key, value];
    },
    async put(jobId, rec) {
      await db.put(jobId, rec);
    },
    async remove(jobId) {
      await db.remove(jobId);
    },
  };
}
