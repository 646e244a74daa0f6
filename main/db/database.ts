import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../../shared/errors';

/**
 * Database handles, branded by what they may do.
 *
 * A function that only reads takes a `ReadableDb`, so it cannot be handed a writer by mistake
 * once the database moves to a worker with a read pool (style.md practice 7). Today both are the
 * same better-sqlite3 connection in the main process.
 */
export type ReadableDb = Database.Database & { readonly __readableDb: never };
export type WritableDb = ReadableDb & { readonly __writableDb: never };

/** The file name of a profile's database, under the profile folder. */
export const DATABASE_FILE = 'photoflare.db';

/**
 * Open (creating if needed) a SQLite database with the pragmas every connection needs.
 *
 * - WAL: readers never block the writer; a crashed process loses nothing committed.
 * - synchronous=FULL: each commit is fsynced, so an appended event survives a power cut too.
 *   The outbox is the one thing that lives only here (the cache can always be rebuilt), and
 *   our writes are batched (a page of 1,000 photos, one action) so the fsync per commit is
 *   cheap; NORMAL could lose the last transactions on power loss.
 * - foreign_keys: SQLite leaves them off by default; our cascades depend on them.
 * - busy_timeout: a second connection (a future worker, a CLI) waits instead of failing.
 *
 * `path` may be ':memory:' for tests. `nativeBinding` points better-sqlite3 at an Electron-ABI
 * build in development (see [Note: Two builds of better-sqlite3]).
 */
export function openDatabase(path: string, options: { nativeBinding?: string | undefined } = {}): WritableDb {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  let db: Database.Database;
  try {
    db = new Database(path, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (cause) {
    throw new AppError(
      'db',
      `Photoflare could not open its library database (${path}). Check that the disk is not full and the folder is writable.`,
      { cause },
    );
  }
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  return db as WritableDb;
}

/** Run `fn` in one transaction (BEGIN IMMEDIATE), committing on return and rolling back on throw. */
export function inTransaction<T>(db: WritableDb, fn: () => T): T {
  return db.transaction(fn).immediate();
}
