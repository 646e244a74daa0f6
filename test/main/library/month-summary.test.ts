import { describe, expect, it } from 'vitest';
import { openDatabase, type WritableDb } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { LibraryRepo, monthsSql, pageSql, type PhotoRecord } from '../../../main/library/library-repo';
import { createMemoryLogger } from '../../../main/log/logger';
import type { LibraryView } from '../../../shared/library/schemas';
import { photoRecord } from '../../helpers/photo-record';

/**
 * [Note: Month summary]: the months, totals and pages the grid gets from `photo_months` must be
 * exactly what counting the photos themselves gives, whatever happened to the rows: inserts,
 * flag and date changes, re-upserts of unchanged rows, deletes, feature switches.
 */

/** A tiny deterministic PRNG (mulberry32), so a failure replays. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function photo(i: number, r: () => number): PhotoRecord {
  // 30 months, so pages and months cross; some photos share a timestamp (uid breaks the tie).
  const ms = Date.UTC(2022, 0, 1) + Math.floor(r() * 900) * 86_400_000;
  const local = new Date(ms).toISOString().slice(0, 19);
  // The draws in this order, so a seed replays the same library.
  return photoRecord(i, {
    takenAt: new Date(ms).toISOString(),
    takenAtLocal: r() < 0.03 ? '0001-01-01T00:00:00' : local,
    quality: r() < 0.1 ? 1 : 4,
    favorite: r() < 0.2,
    private: r() < 0.1,
    archived: r() < 0.1,
  });
}

const VIEWS: Extract<LibraryView, { kind: 'all' | 'favorites' | 'review' | 'private' | 'archive' }>[] = [
  { kind: 'all' },
  { kind: 'favorites' },
  { kind: 'review' },
  { kind: 'private' },
  { kind: 'archive' },
];

/** What counting the photos gives, with the same SQL the search and album views use. */
function counted(db: WritableDb, repo: LibraryRepo, view: LibraryView) {
  const features = repo.features();
  const months = monthsSql(view, '', features);
  const rows = db.prepare(months.sql).all(...months.params) as { month: string; count: number }[];
  const page = pageSql(view, '', features);
  const all = (db.prepare(page.sql).all(...page.params, 1_000_000, 0) as { uid: string }[]).map((p) => p.uid);
  return { months: rows, uids: all };
}

function check(db: WritableDb, repo: LibraryRepo, r: () => number): void {
  const sidebar = repo.counts();
  const sidebarCount = {
    all: sidebar.all,
    favorites: sidebar.favorites,
    review: sidebar.review,
    private: sidebar.private,
    archive: sidebar.archived,
  };
  for (const view of VIEWS) {
    const truth = counted(db, repo, view);
    expect(sidebarCount[view.kind], `sidebar ${view.kind}`).toBe(truth.uids.length);
    expect(
      repo.months(view, '').map(({ month, count }) => ({ month, count })),
      view.kind,
    ).toEqual(truth.months);
    // Pages at random offsets, including ones that start mid-month and past the end.
    for (let k = 0; k < 6; k++) {
      const offset = Math.floor(r() * (truth.uids.length + 5));
      const limit = 1 + Math.floor(r() * 40);
      const page = repo.query(view, '', offset, limit);
      expect(page.total, view.kind).toBe(truth.uids.length);
      expect(
        page.photos.map((p) => p.uid),
        `${view.kind} @${offset}+${limit}`,
      ).toEqual(truth.uids.slice(offset, offset + limit));
    }
  }
}

describe('month summary', () => {
  it('always equals counting the photos, through inserts, changes, unchanged re-upserts and deletes', () => {
    const r = rng(7);
    const db = openDatabase(':memory:');
    migrate(db, MIGRATIONS, { log: createMemoryLogger() });
    const repo = new LibraryRepo(db, createMemoryLogger());
    let photos = Array.from({ length: 600 }, (_, i) => photo(i, r));
    repo.upsertPhotos(photos);
    check(db, repo, r);

    for (let round = 0; round < 8; round++) {
      // Change flags and dates of some, re-upsert everything (most rows unchanged), delete a few.
      photos = photos.map((p) =>
        r() < 0.15
          ? { ...p, favorite: !p.favorite, archived: r() < 0.2 ? !p.archived : p.archived, quality: r() < 0.2 ? 5 - p.quality : p.quality }
          : r() < 0.05
            ? { ...p, takenAtLocal: photo(0, r).takenAtLocal, private: !p.private }
            : p,
      );
      repo.upsertPhotos(photos);
      const gone = photos.filter(() => r() < 0.03).map((p) => p.uid);
      db.prepare('DELETE FROM photos WHERE uid IN (SELECT value FROM json_each(?))').run(JSON.stringify(gone));
      photos = photos.filter((p) => !gone.includes(p.uid));
      photos.push(...Array.from({ length: 20 }, (_, i) => photo(1000 + round * 20 + i, r)));
      repo.upsertPhotos(photos);
      // The server's feature switches change what the browse views include.
      if (round === 4) repo.setFeatures({ review: false, private: true });
      if (round === 6) repo.setFeatures({ review: true, private: false });
      check(db, repo, r);
    }
  });
});
