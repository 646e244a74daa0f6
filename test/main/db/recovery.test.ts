import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  utimesSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeEvents } from '../../../shared/events/schema';
import { DATABASE_FILE, openDatabase } from '../../../main/db/database';
import { MIGRATIONS } from '../../../main/db/migrations';
import { closeCheckedDatabase, openCheckedDatabase } from '../../../main/db/recovery';
import { EventLog } from '../../../main/eventlog/event-log';
import { createMemoryLogger } from '../../../main/log/logger';

const NOW = Date.UTC(2026, 10, 30, 7, 0, 0, 0);
const uid = (n: number) => `p${String(n).padStart(15, '0')}`;

function profile(): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pf-recovery-'));
  return { dir, path: join(dir, DATABASE_FILE) };
}

const open = (path: string, log = createMemoryLogger()) => openCheckedDatabase(path, { migrations: MIGRATIONS, log, now: () => NOW });

/**
 * A profile database as the app leaves it: an event log with every kind of event (written
 * first, so its pages come first), the sync cursor, the connection, then a library cache big
 * enough to span many pages.
 */
function seed(path: string): { pendingIds: string[]; localOnlyIds: string[]; groupId: string } {
  const { db } = open(path);
  let n = 0;
  const eventLog = new EventLog({ db, log: createMemoryLogger(), now: () => NOW, newId: () => `e-${(n += 1)}` });
  const groupId = 'g-album-edit';
  const pending = eventLog.appendLocal(
    [...makeEvents('photos.updated', [uid(1), uid(2)]), ...makeEvents('albums.updated', [`a${'1'.padStart(15, '0')}`])],
    { syncEnabled: true, action: 'add-to-album', detail: 'Added 2 photos to “Trip”', groupId },
  );
  const pushed = eventLog.appendLocal(makeEvents('photos.archived', [uid(3)]), { syncEnabled: true });
  eventLog.markPushed(pushed.map((e) => e.id));
  const localOnly = eventLog.appendLocal(makeEvents('photos.updated', [uid(4)]), { syncEnabled: false, action: 'favourite' });
  eventLog.insertRemote([{ id: 'remote-1', payload: { event: 'photos.updated', data: { entities: [{ UID: uid(5) }] } } }]);
  eventLog.setMeta('userRecordName', '_user-a');
  eventLog.setMeta('zoneSyncToken', 'token-after-events-we-may-lose');
  db.prepare(`INSERT INTO connection (id, server_url, user_name) VALUES (1, 'https://photos.example.com', 'alice')`).run();
  const insert = db.prepare(
    `INSERT INTO photos VALUES (?, 'A title that takes some room on the page', '', ?, 1, 1, 'image', 0, 0, 0, 'h', 'IMG_0001.JPG', 1, '', '', 0, '', 0, 0, '', 0, 0, '', ?, 3, 0, 0)`,
  );
  db.transaction(() => {
    for (let i = 100; i < 3100; i += 1) {
      const takenAt = `2024-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z`;
      insert.run(uid(i), takenAt, takenAt);
    }
  })();
  db.close();
  return { pendingIds: pending.map((e) => e.id), localOnlyIds: localOnly.map((e) => e.id), groupId };
}

function damagedCopies(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.includes('.damaged-'));
}

/** A leaf page of the photos table (its sixth), to damage: library rows, not the event log's. */
function photosLeafPage(path: string): number {
  const probe = openDatabase(path);
  try {
    const row = probe
      .prepare(`SELECT pageno FROM dbstat WHERE name = 'photos' AND pagetype = 'leaf' ORDER BY pageno LIMIT 1 OFFSET 5`)
      .get() as { pageno: number };
    return row.pageno;
  } finally {
    probe.close();
  }
}

function overwritePage(path: string, pageNo: number): void {
  const fd = openSync(path, 'r+');
  writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, (pageNo - 1) * 4096);
  closeSync(fd);
}

describe('a damaged database at start (see [Note: A damaged database])', () => {
  it('a sound database opens as it is', () => {
    const { dir, path } = profile();
    seed(path);
    const { db, recovery } = open(path);
    expect(recovery).toBeUndefined();
    expect(db.prepare(`SELECT count(*) AS n FROM photos`).get()).toEqual({ n: 3000 });
    expect(damagedCopies(dir)).toEqual([]);
    db.close();
  });

  it('a damaged page in the library tables: the event log, the account and the server survive', () => {
    const { dir, path } = profile();
    const { pendingIds, localOnlyIds, groupId } = seed(path);
    const page = photosLeafPage(path);
    overwritePage(path, page);

    const log = createMemoryLogger();
    const { db, recovery } = open(path, log);
    expect(recovery?.reason).toMatch(/integrity check failed|SQLITE_CORRUPT/);
    expect(recovery?.damagedName).toBe('photoflare.db.damaged-2026-11-30T07-00-00-000Z');
    expect(recovery?.saved).toEqual({ pending: 2, localOnly: 1, otherEvents: 2, lostEvents: 0, connection: true });
    expect(damagedCopies(dir)).toContain('photoflare.db.damaged-2026-11-30T07-00-00-000Z');

    const events = new EventLog({ db, log });
    // The outbox is intact, in order, with its group; local-only stays local-only.
    expect(events.pending(10).map((e) => e.id)).toEqual(pendingIds);
    expect(db.prepare(`SELECT DISTINCT group_id FROM events WHERE status = 'pending'`).all()).toEqual([{ group_id: groupId }]);
    expect(db.prepare(`SELECT id FROM events WHERE status = 'local-only'`).all()).toEqual(localOnlyIds.map((id) => ({ id })));
    expect(events.has('remote-1')).toBe(true);
    // The account is trusted (never push one account's events to another); tokens are not.
    expect(events.getMeta('userRecordName')).toBe('_user-a');
    expect(events.getMeta('zoneSyncToken')).toBeUndefined();
    // Still signed in to the same server; the cache is empty and will be rebuilt by a full index.
    expect(db.prepare(`SELECT server_url, user_name FROM connection`).get()).toEqual({
      server_url: 'https://photos.example.com',
      user_name: 'alice',
    });
    expect(db.prepare(`SELECT count(*) AS n FROM photos`).get()).toEqual({ n: 0 });
    expect(db.prepare(`SELECT count(*) AS n FROM library_meta`).get()).toEqual({ n: 0 });
    expect(db.pragma('quick_check', { simple: true })).toBe('ok');
    db.close();
  });

  it('a truncated file: moved aside, a new database, the outbox saved from the pages that remain', () => {
    const { dir, path } = profile();
    const { pendingIds } = seed(path);
    truncateSync(path, Math.floor(statSync(path).size / 2) + 100);
    const { db, recovery } = open(path);
    expect(recovery).toBeDefined();
    expect(recovery?.saved.pending).toBe(2);
    expect(new EventLog({ db, log: createMemoryLogger() }).pending(10).map((e) => e.id)).toEqual(pendingIds);
    expect(damagedCopies(dir)).toContain('photoflare.db.damaged-2026-11-30T07-00-00-000Z');
    db.close();
  });

  // Kills during recovery (see [Note: Recovery survives a kill at any step]): the outbox the
  // damaged file held must still be there after the next start, whichever step the kill hit.
  for (const step of ['rebuilt', 'set-aside'] as const) {
    it(`a kill during recovery (after "${step}") loses no pending change: the next start finishes the job`, () => {
      const { dir, path } = profile();
      const { pendingIds } = seed(path);
      truncateSync(path, Math.floor(statSync(path).size / 2) + 100);
      const kill = () => {
        const error = new Error('killed');
        error.name = 'SimulatedKill';
        throw error;
      };
      expect(() =>
        openCheckedDatabase(path, {
          migrations: MIGRATIONS,
          log: createMemoryLogger(),
          now: () => NOW,
          afterStep: (at) => {
            if (at === step) kill();
          },
        }),
      ).toThrow('killed');

      const { db } = open(path);
      expect(new EventLog({ db, log: createMemoryLogger() }).pending(10).map((e) => e.id)).toEqual(pendingIds);
      expect(readdirSync(dir).filter((name) => name.includes('.rebuild'))).toEqual([]);
      db.close();
    });
  }

  it('garbage bytes: moved aside untouched, a new database starts', () => {
    const { dir, path } = profile();
    const garbage = Buffer.from(Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 256));
    writeFileSync(path, garbage);
    const { db, recovery } = open(path);
    expect(recovery?.reason).toBe('the file is not a SQLite database');
    expect(recovery?.saved.pending).toBe(0);
    expect(readFileSync(join(dir, damagedCopies(dir)[0] ?? ''))).toEqual(garbage);
    expect(db.prepare(`SELECT count(*) AS n FROM events`).get()).toEqual({ n: 0 });
    db.close();
  });

  it('a 0-byte file is not taken for a new profile: it is reported, not silently reused', () => {
    const { dir, path } = profile();
    writeFileSync(path, '');
    const { db, recovery } = open(path);
    expect(recovery?.reason).toBe('the file is empty');
    expect(damagedCopies(dir)).toEqual(['photoflare.db.damaged-2026-11-30T07-00-00-000Z']);
    db.close();
  });

  it('a write-ahead log that belongs to another database is set aside with it', () => {
    const { dir, path } = profile();
    seed(path);
    writeFileSync(`${path}-wal`, Buffer.alloc(4096, 0x11));
    const { db, recovery } = open(path);
    expect(recovery?.reason).toMatch(/write-ahead log/);
    // The whole set is kept under one name, so it still opens as one database.
    expect(damagedCopies(dir).sort()).toEqual([
      'photoflare.db.damaged-2026-11-30T07-00-00-000Z',
      'photoflare.db.damaged-2026-11-30T07-00-00-000Z-wal',
    ]);
    expect(recovery?.saved.pending).toBe(2);
    db.close();
  });

  it('a schema missing a table its version promises is damaged', () => {
    const { path } = profile();
    seed(path);
    const raw = openDatabase(path);
    raw.exec('DROP TABLE sync_meta');
    raw.close();
    const { db, recovery } = open(path);
    expect(recovery?.reason).toBe('table sync_meta is missing');
    expect(recovery?.saved.pending).toBe(2);
    db.close();
  });

  it('a database from a newer Photoflare is not damage: refused with its own message, left in place', () => {
    const { dir, path } = profile();
    seed(path);
    const raw = openDatabase(path);
    raw.pragma('user_version = 99990');
    raw.close();
    expect(() => open(path)).toThrow(/newer version of Photoflare/);
    expect(damagedCopies(dir)).toEqual([]);
    expect(existsSync(path)).toBe(true);
  });
});

describe('the integrity check after a clean close (see [Note: Clean close])', () => {
  /** Open as the app does, then close as the app's shutdown does (closeCheckedDatabase). */
  const openAndCloseCleanly = (path: string) => {
    const opened = open(path);
    closeCheckedDatabase(opened.db, path, createMemoryLogger());
    return opened;
  };

  it('is skipped when the file is exactly as this app left it at its last clean close', () => {
    const { path } = profile();
    seed(path);
    expect(openAndCloseCleanly(path).checked).toBe(true);
    const { db, checked, recovery } = open(path);
    expect(checked).toBe(false);
    expect(recovery).toBeUndefined();
    expect(db.prepare(`SELECT count(*) AS n FROM photos`).get()).toEqual({ n: 3000 });
    db.close();
  });

  it('runs again after a start that did not close cleanly (a crash, a kill)', () => {
    const { path } = profile();
    seed(path);
    openAndCloseCleanly(path);
    // This start skips the check and then dies without closing: the next one checks.
    expect(open(path).checked).toBe(false);
    expect(open(path).checked).toBe(true);
  });

  it('a close that cannot note itself still closes, says so in the log, and the next start checks', () => {
    const { path } = profile();
    seed(path);
    const opened = open(path);
    // Something in the note's place that no file can be written over (as a full disk would refuse it).
    mkdirSync(`${path}.closed`);
    const log = createMemoryLogger();
    expect(() => closeCheckedDatabase(opened.db, path, log)).not.toThrow();
    expect(opened.db.open).toBe(false);
    expect(log.lines.join('\n')).toMatch(/could not note the clean close/);
    expect(open(path).checked).toBe(true);
  });

  it('still finds a page damaged after a clean close, even with its modification time put back', () => {
    const { dir, path } = profile();
    seed(path);
    const page = photosLeafPage(path);
    openAndCloseCleanly(path);
    const before = statSync(path);
    overwritePage(path, page);
    utimesSync(path, before.atime, before.mtime);

    const { db, recovery, checked } = open(path);
    expect(checked).toBe(true);
    expect(recovery?.reason).toMatch(/integrity check failed|SQLITE_CORRUPT/);
    expect(damagedCopies(dir)).toHaveLength(1);
    db.close();
  });
});
