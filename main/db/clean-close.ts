import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';

/**
 * [Note: Clean close]
 * `PRAGMA quick_check` reads every page of the database: at 100k photos about 250–290 ms of main's
 * one thread at every start, in front of the window (test/bench/library.bench.ts,
 * library.db_quick_check_ms). Damage comes from a write that never finished (a crash, a kill, a
 * power cut, a full disk) or from something else writing the file. So after the app closed its
 * database cleanly it notes the files' identity beside them (`<db>.closed`: size, modification and
 * change times, inode, and the same for the -wal); the next start takes the note (deletes it
 * first, so a start that then crashes leaves none) and skips quick_check and the schema
 * comparison only when the files are exactly as noted. Any write by another program changes the
 * change time (ctime), which no program can set back. Every other check of [Note: A damaged
 * database] still runs, and SQLite's own CORRUPT errors are still met.
 */
const NOTE_SUFFIX = '.closed';

interface FileIdentity {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
}

interface CleanCloseNote {
  readonly db: FileIdentity;
  /** Null: there was no -wal (SQLite removes it when the last connection closes). */
  readonly wal: FileIdentity | null;
}

/**
 * Note that the database at `path` was just closed cleanly (its connection is closed). Answers the
 * error when the note could not be written (a full disk, a read-only folder): that costs only the
 * next start's check, so the close itself does not fail.
 */
export function noteCleanClose(path: string): Error | undefined {
  try {
    const note: CleanCloseNote = { db: identity(path), wal: existsSync(`${path}-wal`) ? identity(`${path}-wal`) : null };
    writeFileSync(`${path}${NOTE_SUFFIX}`, JSON.stringify(note), { mode: 0o600 });
    return undefined;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Whether the files are exactly as the last clean close left them; the note is gone afterwards either way. */
export function takeCleanClose(path: string): boolean {
  const notePath = `${path}${NOTE_SUFFIX}`;
  let text: string;
  try {
    text = readFileSync(notePath, 'utf8');
  } catch {
    return false;
  }
  try {
    // A note that stayed could vouch for the file after a later crash: one that cannot be removed
    // vouches for nothing.
    rmSync(notePath, { force: true });
    const note = JSON.parse(text) as CleanCloseNote;
    if (!sameIdentity(note.db, identity(path))) return false;
    const wal = existsSync(`${path}-wal`) ? identity(`${path}-wal`) : null;
    return note.wal === null ? wal === null : wal !== null && sameIdentity(note.wal, wal);
  } catch {
    // An unreadable or unremovable note, or a file gone: check as after a crash.
    return false;
  }
}

function identity(path: string): FileIdentity {
  const stat = statSync(path);
  return { size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino };
}

function sameIdentity(a: FileIdentity | undefined, b: FileIdentity): boolean {
  return a !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;
}
