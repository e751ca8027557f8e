// Schema versions of the LMDB store. A store written by an older mmsc is migrated in one
// transaction at open; one written by a newer mmsc is refused (never silently misread).
import type { Database, RootDatabase } from 'lmdb';

export const SCHEMA_VERSION = 2;

/** What a migration works on: the main environment and the part payloads' environment. */
export interface MigrationContext {
  env: RootDatabase;
  partsEnv: RootDatabase;
}

export type Migration = (ctx: MigrationContext) => void;

/** Migration to version n (from n-1), run inside one write transaction of the main environment. */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {
  // 1: initial layout, nothing to migrate from.
  // 2: part payloads move to their own environment (see store.ts). Copied first, in a committed
  //    transaction of that environment, then dropped here: a crash in between leaves copies that
  //    the next attempt overwrites.
  2: ({ env, partsEnv }) => {
    const from = env.openDB<Buffer, [string, number]>({ name: 'parts', encoding: 'binary' });
    const to = partsEnv.openDB<Buffer, [string, number]>({ name: 'parts', encoding: 'binary' });
    partsEnv.transactionSync(() => {
      for (const { key, value } of from.getRange()) to.putSync(key, value);
    });
    from.clearSync();
  },
};

export class StoreVersionError extends Error {
  override readonly name = 'StoreVersionError';
}

/** Brings the store to `target`, returning the version it is now at. */
export function migrate(ctx: MigrationContext, meta: Database<unknown, string>, target = SCHEMA_VERSION, migrations = MIGRATIONS): number {
  const { env } = ctx;
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
        step(ctx);
      }
      meta.putSync('schema', target);
    });
  }
  return target;
}
