// Schema versions of the LMDB store. A store written by an older mmsc is migrated in one
// transaction at open; one written by a newer mmsc is refused (never silently misread).
import type { Database, RootDatabase } from 'lmdb';

export const SCHEMA_VERSION = 1;

export type Migration = (env: RootDatabase) => void;

/** Migration to version n (from n-1), run inside one write transaction. */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {
  // 1: initial layout, nothing to migrate from.
};

export class StoreVersionError extends Error {
  override readonly name = 'StoreVersionError';
}

/** Brings the store to `target`, returning the version it is now at. */
export function migrate(env: RootDatabase, meta: Database<unknown, string>, target = SCHEMA_VERSION, migrations = MIGRATIONS): number {
  const found = meta.get('schema') as number | undefined;
  if (found === undefined) {
    meta.putSync('schema', target);
    return target;
  }
  if (found > target) {
    throw new StoreVersionError(`store schema ${found} was written by a newer mmsc (this one reads up to ${target})`);
  }
  if (found < target) {
    env.transactionSync(() => {
      for (let v = found + 1; v <= target; v++) {
        const step = migrations[v];
        if (!step) throw new StoreVersionError(`no migration from schema ${v - 1} to ${v}`);
        step(env);
      }
      meta.putSync('schema', target);
    });
  }
  return target;
}
