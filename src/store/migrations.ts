// Schema versions of the LMDB store. A store written by an older mmsc is migrated in one
// transaction at open; one written by a newer mmsc is refused (never silently misread).
import type { Database, RootDatabase } from 'lmdb';

export const SCHEMA_VERSION = 1;

/** Migration from version n-1 to n, run inside one write transaction. Index = target version. */
export const MIGRATIONS: Record<number, (env: RootDatabase) => void> = {
  // 1: initial layout, nothing to migrate from.
};

export class StoreVersionError extends Error {
  override readonly name = 'StoreVersionError';
}

export function migrate(env: RootDatabase, meta: Database<unknown, string>): number {
  const found = meta.get('schema') as number | undefined;
  if (found === undefined) {
    meta.putSync('schema', SCHEMA_VERSION);
    return SCHEMA_VERSION;
  }
  if (found > SCHEMA_VERSION) {
    throw new StoreVersionError(`store schema ${found} was written by a newer mmsc (this one reads up to ${SCHEMA_VERSION})`);
  }
  if (found < SCHEMA_VERSION) {
    env.transactionSync(() => {
      for (let v = found + 1; v <= SCHEMA_VERSION; v++) {
        const step = MIGRATIONS[v];
        if (!step) throw new StoreVersionError(`no migration from schema ${v - 1} to ${v}`);
        step(env);
      }
      meta.putSync('schema', SCHEMA_VERSION);
    });
  }
  return SCHEMA_VERSION;
}
