// The store's use of its filesystem: the pages in use in an environment (what store.mapSizeMiB
// limits), and the room that creating or migrating a store needs before LMDB writes anything.
import { existsSync, statfsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RootDatabase } from 'lmdb';
import { mib } from './capacity.js';

/** The store cannot be created or migrated: not enough free space (the message says where and how much). */
export class StoreSpaceError extends Error {
  override readonly name = 'StoreSpaceError';
}

/** Free bytes for an unprivileged writer on the filesystem holding `path`. */
export function freeAt(path: string): number {
  const fs = statfsSync(path);
  return fs.bavail * fs.bsize;
}

/**
 * A new environment (or a lost lock file) is written while LMDB opens it, through a memory map:
 * on a full filesystem that is a SIGBUS (measured on tmpfs), not an error. So: room first.
 */
export function roomToCreate(path: string): void {
  const files = [join(path, 'data.mdb'), join(path, 'lock.mdb'), join(path, 'parts', 'data.mdb'), join(path, 'parts', 'lock.mdb')];
  if (files.every((f) => existsSync(f))) return;
  const free = freeAt(path);
  if (free < 1024 * 1024) throw new StoreSpaceError(`a new store needs at least 1 MiB free at ${path}, which has ${mib(free)}: free some space there and start again`);
}

type PageStats = { treeBranchPageCount: number; treeLeafPageCount: number; overflowPages: number };
const pagesOf = (s: PageStats) => s.treeBranchPageCount + s.treeLeafPageCount + s.overflowPages;

/**
 * Bytes in use in an environment: the pages of each database, of LMDB's main and free-page
 * trees and its two meta pages. Free pages inside the data file are not counted: LMDB reuses them.
 */
export function bytesInUse(env: RootDatabase, dbs: { getStats(): unknown }[]): number {
  const st = env.getStats() as { pageSize: number; root: PageStats; free: PageStats };
  let pages = 2 + pagesOf(st.root) + pagesOf(st.free);
  for (const db of dbs) pages += pagesOf(db.getStats() as PageStats);
  return pages * st.pageSize;
}

/**
 * Migrations write synchronously, and a synchronous LMDB write that fails for lack of space
 * leaves lmdb-js unable to close (write-failures.ts): so they run only with room for a copy of
 * the records, else start-up stops with a message saying what to free.
 */
export function roomToMigrate(path: string, found: number | undefined, target: number): void {
  if (found !== undefined && found >= target) return;
  let size = 0;
  try {
    size = statSync(join(path, 'data.mdb')).size;
  } catch {
    // a new store: its first pages
  }
  const free = freeAt(path);
  const need = size + 1024 * 1024;
  if (free < need) {
    throw new StoreSpaceError(
      `${found === undefined ? 'a new store' : `the store's migration from schema ${found} to ${target}`} needs ${mib(need)} free at ${path}, which has ${mib(free)}: free some space there and start again`,
    );
  }
}
