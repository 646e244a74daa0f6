import Database from 'better-sqlite3';
import { closeSync, copyFileSync, existsSync, openSync, readSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { AppError } from '../../shared/errors';
import { setAside } from '../lifecycle/set-aside';
import type { Logger } from '../log/logger';
import { openDatabase, type WritableDb } from './database';
import { migrate, schemaVersion, type Migration } from './migrate';
import { salvageInto, type SalvageCounts } from './salvage';
import { noteCleanClose, takeCleanClose } from './clean-close';

/** A damaged database that was replaced at start, for the notice and the log. */
export interface DatabaseRecovery {
  /** Why the file was judged damaged (for the log and diagnostics; no paths, no data). */
  readonly reason: string;
  /** The damaged file's new name (`photoflare.db.damaged-<time>`), in the profile folder. */
  readonly damagedName: string;
  readonly saved: SalvageCounts;
}

export interface OpenCheckedOptions {
  readonly migrations: readonly Migration[];
  readonly log: Logger;
  readonly nativeBinding?: string | undefined;
  readonly now?: () => number;
  /**
   * Test seam: called after each recovery step; a test throws an Error named `SimulatedKill`
   * from it to stand for the process dying there.
   */
  readonly afterStep?: (step: 'rebuilt' | 'set-aside') => void;
}

/** The first 16 bytes of every SQLite database file (SQLite file format, "The Database Header"). */
const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
/** The two WAL header magic numbers (SQLite file format, "WAL File Format"). */
const WAL_MAGIC = new Set([0x377f0682, 0x377f0683]);

/**
 * Open the profile's database, make sure it is sound, and migrate it. A damaged one no longer
 * stops the app from starting:
 *
 * [Note: A damaged database]
 * Judged damaged: a 0-byte file (a crash or full disk during creation or a copy — opening it
 * would silently start an empty outbox), a file that is not SQLite, a write-ahead log that
 * belongs to another database (SQLite would silently ignore its commits), a failing
 * `PRAGMA quick_check`, SQLite's CORRUPT / NOTADB errors, or a schema missing tables or
 * columns its version promises (these two only when the files changed since the app's last clean
 * close: [Note: Clean close]). NOT damaged: a database from a newer Photoflare (the runner
 * refuses it with its own message) and errors of the disk or folder (permission, full disk):
 * moving those aside would lose data that is fine.
 *
 * A damaged file is moved aside with its -wal and -shm as `photoflare.db.damaged-<time>` (kept
 * for diagnosis, never modified), a new database is created, and everything that exists only
 * here is salvaged from a scratch copy of the damaged one (main/db/salvage.ts); the replacement
 * is filled before anything moves (see [Note: Recovery survives a kill at any step]). The cache is
 * rebuilt from the server by the normal full index on the next connect; the caller tells the
 * person what happened with `recovery`.
 */
export function openCheckedDatabase(path: string, options: OpenCheckedOptions): CheckedDatabase {
  const now = options.now ?? Date.now;
  const rebuild = `${path}${REBUILD_SUFFIX}`;
  finishInterruptedRecovery(path, rebuild, options.log);
  // See [Note: Clean close]: taken before the file is opened, so a start that crashes leaves no note.
  const checked = !takeCleanClose(path);
  const opened = openAndCheck(path, options, checked);
  if ('db' in opened) return { db: opened.db, recovery: undefined, checked };

  options.log.error('the library database is damaged; setting it aside and starting a new one', { reason: opened.damage });
  // [Note: Recovery survives a kill at any step]
  // The replacement is built and filled BESIDE the damaged file before anything is moved, and
  // only then swapped in, so a kill at any step loses nothing: before the swap the damaged file is
  // still in place and the next start recovers again (a half-built replacement is discarded);
  // after the damaged file is set aside but before the replacement is renamed into place, the
  // next start finds the finished replacement and completes the rename.
  removeDatabaseSet(rebuild);
  const fresh = openDatabase(rebuild, { nativeBinding: options.nativeBinding });
  migrate(fresh, options.migrations, { log: options.log });
  const saved = salvageFrom(path, path, fresh, options);
  fresh.close();
  options.afterStep?.('rebuilt');
  let damagedPath: string;
  try {
    damagedPath = setAside(path, 'damaged', now());
    // Its -wal and -shm follow it under the same name, so the set still opens as one database.
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(`${path}${suffix}`)) renameSync(`${path}${suffix}`, `${damagedPath}${suffix}`);
    }
    options.afterStep?.('set-aside');
    renameSync(rebuild, path);
  } catch (cause) {
    if (isStepSeam(cause)) throw cause;
    throw new AppError(
      'db',
      `Photoflare's library database is damaged (${opened.damage}) and could not be moved aside. Check that the profile folder is writable, then start Photoflare again.`,
      { cause },
    );
  }
  const db = openDatabase(path, { nativeBinding: options.nativeBinding });
  migrate(db, options.migrations, { log: options.log });
  options.log.warn('started a new library database', { reason: opened.damage, ...saved });
  return { db, recovery: { reason: opened.damage, damagedName: basename(damagedPath), saved }, checked };
}

export interface CheckedDatabase {
  readonly db: WritableDb;
  /** Set when a damaged file was replaced. */
  readonly recovery: DatabaseRecovery | undefined;
  /** Whether quick_check and the schema comparison ran (not after a clean close: [Note: Clean close]). */
  readonly checked: boolean;
}

/** Close a database opened with openCheckedDatabase at the app's shutdown, noting the clean close ([Note: Clean close]). */
export function closeCheckedDatabase(db: WritableDb, path: string, log: Logger): void {
  db.close();
  const unnoted = noteCleanClose(path);
  if (unnoted) log.warn('could not note the clean close: the next start checks the database', { error: unnoted.message });
}

/** Where a replacement database is built during recovery (see [Note: Recovery survives a kill at any step]). */
const REBUILD_SUFFIX = '.rebuild';

/**
 * A recovery that was killed after setting the damaged file aside left the finished replacement
 * under its build name: put it in place. A replacement beside a database that is still there was
 * not finished: the database is recovered again, so the leftover is removed then.
 */
function finishInterruptedRecovery(path: string, rebuild: string, log: Logger): void {
  if (existsSync(path) || !existsSync(rebuild)) return;
  log.warn('finishing a library database recovery that was interrupted');
  renameSync(rebuild, path);
}

function removeDatabaseSet(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}

/** A test's simulated kill passes through untouched (see OpenCheckedOptions.afterStep). */
function isStepSeam(error: unknown): boolean {
  return error instanceof Error && error.name === 'SimulatedKill';
}

/** Open + check + migrate, or say why the file is damaged. Other failures throw as before. */
function openAndCheck(path: string, options: OpenCheckedOptions, fullCheck: boolean): { db: WritableDb } | { damage: string } {
  const fileDamage = inspectFiles(path);
  if (fileDamage) return { damage: fileDamage };
  let db: WritableDb | undefined;
  try {
    db = openDatabase(path, { nativeBinding: options.nativeBinding });
    if (fullCheck) {
      const problems = (db.pragma('quick_check(5)') as { quick_check: string }[]).map((row) => row.quick_check);
      if (problems.join() !== 'ok') return closeWith(db, `the integrity check failed: ${problems[0] ?? '?'}`);
      const missing = missingSchema(db, options);
      if (missing) return closeWith(db, missing);
    }
    migrate(db, options.migrations, { log: options.log });
    return { db };
  } catch (error) {
    if (!isCorruption(error)) {
      db?.close();
      throw error;
    }
    return closeWith(db, `SQLite reported ${sqliteCode(error)}`);
  }
}

function closeWith(db: WritableDb | undefined, damage: string): { damage: string } {
  try {
    db?.close();
  } catch {
    // A damaged handle may fail to close; it is dropped either way.
  }
  return { damage };
}

/** Checks on the raw files, before SQLite sees them. */
function inspectFiles(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const size = statSync(path).size;
  if (size === 0) return 'the file is empty';
  const header = readHead(path, 100);
  if (header.length < 100 || !header.subarray(0, 16).equals(SQLITE_MAGIC)) return 'the file is not a SQLite database';
  const wal = `${path}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) {
    const walHeader = readHead(wal, 32);
    // Page size: 2 bytes at offset 16 of the database header (1 means 65536); 4 bytes at offset 8 of the WAL's.
    const rawPageSize = header.readUInt16BE(16);
    const pageSize = rawPageSize === 1 ? 65_536 : rawPageSize;
    if (walHeader.length < 32 || !WAL_MAGIC.has(walHeader.readUInt32BE(0)) || walHeader.readUInt32BE(8) !== pageSize) {
      return 'its write-ahead log (-wal) does not belong to it';
    }
  }
  return undefined;
}

function readHead(path: string, bytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const read = readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/**
 * Tables and columns the file's own schema version promises but lacks (a page of
 * sqlite_master lost, a file from another program). Compared with a blank database migrated
 * to the same version. A version newer than ours is left to the runner's own refusal.
 */
function missingSchema(db: WritableDb, options: OpenCheckedOptions): string | undefined {
  const { migrations } = options;
  const version = schemaVersion(db);
  if (version > (migrations.at(-1)?.version ?? 0)) return undefined;
  const actual = tableColumns(db);
  if (version === 0) {
    return actual.size === 0 ? undefined : 'it holds tables but no schema version';
  }
  // The same build of SQLite as the real file (the Electron shell passes its own binding).
  const reference = openDatabase(':memory:', { nativeBinding: options.nativeBinding });
  try {
    migrate(reference, migrations, { log: silentLog, targetVersion: version });
    for (const [table, columns] of tableColumns(reference)) {
      const have = actual.get(table);
      if (!have) return `table ${table} is missing`;
      const lacking = columns.filter((column) => !have.includes(column));
      if (lacking.length > 0) return `table ${table} lacks ${lacking.join(', ')}`;
    }
    return undefined;
  } finally {
    reference.close();
  }
}

function tableColumns(db: WritableDb): Map<string, string[]> {
  const tables = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[];
  return new Map(
    tables.map(({ name }) => [name, (db.pragma(`table_info("${name.replace(/"/g, '""')}")`) as { name: string }[]).map((c) => c.name)]),
  );
}

const silentLog: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLog,
};

/** SQLite's codes for "this is not a (sound) database file". */
function isCorruption(error: unknown): boolean {
  return /^SQLITE_(CORRUPT|NOTADB)/.test(sqliteCode(error));
}

function sqliteCode(error: unknown): string {
  for (let current: unknown = error, depth = 0; current && depth < 3; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return '';
}

/**
 * Read the damaged database through a scratch copy (the kept one stays as it was found: opening
 * it would replay or reset its WAL). A copy SQLite cannot open at all salvages nothing.
 */
function salvageFrom(damagedPath: string, livePath: string, target: WritableDb, options: OpenCheckedOptions): SalvageCounts {
  const scratch = `${livePath}.salvage`;
  const nothing: SalvageCounts = { pending: 0, localOnly: 0, otherEvents: 0, lostEvents: 0, connection: false };
  const cleanup = () => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${scratch}${suffix}`, { force: true });
  };
  let source: Database.Database | undefined;
  try {
    cleanup();
    copyFileSync(damagedPath, scratch);
    if (existsSync(`${damagedPath}-wal`)) copyFileSync(`${damagedPath}-wal`, `${scratch}-wal`);
    forgetInHeaderSize(scratch);
    source = new Database(scratch, { fileMustExist: true, ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}) });
    return salvageInto(source, target, options.log);
  } catch (error) {
    options.log.warn('nothing could be read from the damaged database', { code: sqliteCode(error) });
    return nothing;
  } finally {
    try {
      source?.close();
    } catch {
      // Nothing more to do with a damaged handle.
    }
    cleanup();
  }
}

/**
 * Zero the header's "in-header database size" (4 bytes at offset 28) of the scratch copy.
 * SQLite trusts a valid one and refuses a file shorter than it says (a truncated file), while
 * a zero makes it use the file's real size, so the pages that remain can still be read
 * (SQLite file format, "In-header database size").
 */
function forgetInHeaderSize(path: string): void {
  if (statSync(path).size < 100) return;
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, Buffer.alloc(4), 0, 4, 28);
  } finally {
    closeSync(fd);
  }
}
