import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DATABASE_FILE, openDatabase, type WritableDb } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { LibraryRepo } from '../../../main/library/library-repo';
import { createMemoryLogger } from '../../../main/log/logger';
import { photoRecord } from '../../helpers/photo-record';

/**
 * [Note: Index pages commit without their own fsync]: a full index's pages commit with
 * synchronous=NORMAL, and every other write (actions, the outbox, the end of the index) keeps
 * the FULL durability the database opens with.
 */

const FULL = 2;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A profile database on disk (WAL, synchronous=FULL), as the app opens it. */
function open(): { db: WritableDb; repo: LibraryRepo; levels: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'photoflare-page-commits-'));
  dirs.push(dir);
  const db = openDatabase(join(dir, DATABASE_FILE));
  migrate(db, MIGRATIONS, { log: createMemoryLogger() });
  const repo = new LibraryRepo(db, createMemoryLogger());
  // Every change of the synchronous level, in order (reads of it are not recorded).
  const levels: string[] = [];
  const pragma = db.pragma.bind(db);
  vi.spyOn(db, 'pragma').mockImplementation((...[source, options]: Parameters<WritableDb['pragma']>) => {
    if (/^synchronous = /.test(source)) levels.push(source);
    return pragma(source, options);
  });
  return { db, repo, levels };
}

const level = (db: WritableDb) => db.pragma('synchronous', { simple: true });

describe('index pages commit without their own fsync', () => {
  it('a page written by the full index (inside bulkWrites) commits with NORMAL, and FULL is back right after it', async () => {
    const { db, repo, levels } = open();
    await repo.bulkWrites(async () => {
      repo.upsertPhotos([photoRecord(1), photoRecord(2)]);
      expect(level(db)).toBe(FULL);
      await Promise.resolve();
      repo.upsertPhotos([photoRecord(3)]);
    });
    expect(levels).toEqual(['synchronous = NORMAL', `synchronous = ${FULL}`, 'synchronous = NORMAL', `synchronous = ${FULL}`]);
    expect(level(db)).toBe(FULL);
    expect(repo.counts().all).toBe(3);
  });

  it('outside a full index (an action, a refresh by UID), photos are written with FULL durability', () => {
    const { db, repo, levels } = open();
    repo.upsertPhotos([photoRecord(1)]);
    expect(levels).toEqual([]);
    expect(level(db)).toBe(FULL);
  });

  it('a page that fails keeps nothing of itself and still leaves FULL for the next write', async () => {
    const { db, repo } = open();
    await repo.bulkWrites(async () => {
      // stack_size has CHECK (stack_size >= 0) (migration 0290): the second row fails the page.
      expect(() => repo.upsertPhotos([photoRecord(1), photoRecord(2, { stackSize: -1 })])).toThrow();
      expect(level(db)).toBe(FULL);
      await Promise.resolve();
    });
    expect(repo.counts().all).toBe(0);
    expect(level(db)).toBe(FULL);
  });

  it("a page written inside someone else's transaction joins it and leaves the level alone", async () => {
    const { db, repo, levels } = open();
    await repo.bulkWrites(async () => {
      db.transaction(() => repo.upsertPhotos([photoRecord(1)]))();
      await Promise.resolve();
    });
    expect(levels).toEqual([]);
    expect(repo.counts().all).toBe(1);
  });
});
