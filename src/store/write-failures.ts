// LMDB failing to write: a full disk (lmdb reports ENOSPC, or EIO from a short write), a full
// map, a failing SD card. Such a failure is a condition of the box, not a bug: the write is
// refused or kept for later (capacity.ts, deferred.ts) and nothing else may fail with it.
//
// lmdb-js 3.5.6 turns every failed asynchronous commit into rejected promises that nobody can
// hold (seen on a full tmpfs): the batch promise it makes for each event turn's writes
// (write.js: `writeBatchStart()`, its result dropped) and the `commitError` promise hung on the
// caller's "Commit failed" error, rejected after the caller's own. Under Node's default
// --unhandled-rejections=throw either one ends the process, whatever the caller caught. So a
// process-wide listener takes exactly these rejections, and rethrows every other one (Node's
// own behaviour for them is kept: an uncaught exception).
//
// Synchronous writes are worse (also measured): after a failed `transactionSync` the process
// aborts at `close()` ("free(): invalid pointer"), and a read after a failed `putSync` faults.
// The store makes no synchronous write without first checking that there is room.

/** lmdb-js's message for an asynchronous commit that failed; `commitError` holds the cause. */
const COMMIT_FAILED = 'Commit failed (see commitError for details)';
/** errno values of a write refused by the device or the filesystem. */
const WRITE_ERRNOS = new Set([5 /* EIO */, 28 /* ENOSPC */, 30 /* EROFS */, 122 /* EDQUOT */]);
const WRITE_CODES = new Set(['EIO', 'ENOSPC', 'EROFS', 'EDQUOT']);
/** LMDB's own codes: MDB_MAP_FULL, MDB_TXN_FULL, MDB_PANIC. */
const MDB_CODES = new Set([-30792, -30788, -30795]);

/** Whether `e` is LMDB (or the reserve file) failing to write, as opposed to a bug in the caller. */
export function isWriteFailure(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  if (e.message === COMMIT_FAILED || 'commitError' in e) return true;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'number') return WRITE_ERRNOS.has(code) || MDB_CODES.has(code);
  if (typeof code === 'string') return WRITE_CODES.has(code);
  return /^(MDB_MAP_FULL|MDB_TXN_FULL|MDB_PANIC)\b/.test(e.message);
}

const ERRNO_NAMES: Record<number, string> = { 5: 'EIO', 28: 'ENOSPC', 30: 'EROFS', 122: 'EDQUOT', [-30792]: 'MDB_MAP_FULL', [-30788]: 'MDB_TXN_FULL', [-30795]: 'MDB_PANIC' };

/** A short name of the failure for logs ("ENOSPC", "commit failed"). */
export function describeWriteFailure(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'number' && ERRNO_NAMES[code]) return ERRNO_NAMES[code];
  if (typeof code === 'string') return code;
  return e.message === COMMIT_FAILED ? 'commit failed' : e.message.split(':')[0];
}

/** The cause lmdb-js hides behind "Commit failed" (its `commitError`, rejected just after). */
export async function causeOf(e: unknown): Promise<unknown> {
  const hidden = (e as { commitError?: Promise<unknown> } | null)?.commitError;
  if (!hidden) return e;
  try {
    await hidden;
    return e;
  } catch (cause) {
    return cause;
  }
}

type Listener = (e: Error) => void;
const listeners = new Set<Listener>();
let installed = false;

function onUnhandled(reason: unknown): void {
  if (!isWriteFailure(reason)) throw reason; // not ours: as Node would (an uncaught exception)
  const e = reason as Error & { commitError?: Promise<unknown> };
  // its cause, rejected next, is the same failure: handled here too
  e.commitError?.catch(() => undefined);
  for (const l of listeners) l(e);
}

/**
 * Takes the rejections lmdb-js leaves unhandled when a commit fails (see above) and hands each
 * to `listener` (the store's capacity check). Returns the function that removes the listener;
 * the process listener stays while any is registered.
 */
export function takeUnhandledWriteFailures(listener: Listener): () => void {
  listeners.add(listener);
  if (!installed) {
    process.on('unhandledRejection', onUnhandled);
    installed = true;
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && installed) {
      process.off('unhandledRejection', onUnhandled);
      installed = false;
    }
  };
}
