import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type WritableDb } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import {
  ALBUMS_SQL,
  LibraryRepo,
  monthsSql,
  pageFromMonthSql,
  pageSql,
  PHOTOS_BY_UID_SQL,
  summaryMonthsSql,
  type PhotoRecord,
} from '../../../main/library/library-repo';
import { createMemoryLogger } from '../../../main/log/logger';
import { photoRecord } from '../../helpers/photo-record';

/** EXPLAIN QUERY PLAN details, one line per step. */
function plan(db: WritableDb, sql: string, params: unknown[]): string[] {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
  return rows.map((r) => r.detail);
}

/** A library shaped like a real one: 5 000 photos, 5 % favourites, 5 % private, 4 % in review, 10 % archived, 20 albums of 50. */
function fill(db: WritableDb): void {
  const repo = new LibraryRepo(db, createMemoryLogger());
  const photos: PhotoRecord[] = [];
  for (let i = 0; i < 5000; i++) {
    photos.push(
      photoRecord(i, {
        takenAt: new Date(Date.UTC(2015, 0, 1) + i * 3_600_000 * 7).toISOString(),
        takenAtLocal: new Date(Date.UTC(2015, 0, 1) + i * 3_600_000 * 7 + 3_600_000).toISOString().slice(0, 19),
        // 4 % wait in Review, 5 % are private: a few of each, as in a real library.
        quality: i % 25 === 3 ? 2 : 4,
        favorite: i % 20 === 0,
        private: i % 20 === 7,
        archived: i % 10 === 5,
      }),
    );
  }
  repo.upsertPhotos(photos);
  for (let a = 0; a < 20; a++) {
    const uid = `a${String(a).padStart(15, '0')}`;
    repo.upsertAlbums([{ uid, title: `Album ${a}`, favorite: false, thumbHash: '', serverPhotoCount: 50, serverUpdatedAt: '' }]);
    repo.replaceAlbumMembers(
      uid,
      photos.slice(a * 50, a * 50 + 50).map((p) => p.uid),
      '',
    );
  }
}

describe('hot queries use their indexes', () => {
  let db: WritableDb;
  beforeAll(() => {
    db = openDatabase(':memory:');
    migrate(db, MIGRATIONS, { log: createMemoryLogger() });
    // Plans depend on statistics: the app runs ANALYZE after every full index.
    fill(db);
    db.exec('ANALYZE');
  });

  it('"All" pages walk photos_by_archived_local without sorting', () => {
    const { sql, params } = pageSql({ kind: 'all' }, '');
    const steps = plan(db, sql, [...params, 100, 0]);
    expect(steps.join('\n')).toMatch(/SEARCH p USING INDEX photos_by_archived_local \(archived=\?\)/);
    expect(steps.join('\n')).not.toMatch(/TEMP B-TREE/);
  });

  it('"Archive" pages use the same index', () => {
    const { sql, params } = pageSql({ kind: 'archive' }, '');
    expect(plan(db, sql, [...params, 100, 0]).join('\n')).toMatch(/USING INDEX photos_by_archived_local \(archived=\?\)/);
  });

  it('"Review" and "Private" pages walk photos_by_archived_local without sorting, and count from it alone', () => {
    for (const kind of ['review', 'private'] as const) {
      const { sql, params } = pageSql({ kind }, '');
      const steps = plan(db, sql, [...params, 100, 0]).join('\n');
      expect(steps, kind).toMatch(/SEARCH p USING INDEX photos_by_archived_local \(archived=\?\)/);
      expect(steps, kind).not.toMatch(/TEMP B-TREE/);
      const months = monthsSql({ kind }, '');
      expect(plan(db, months.sql, months.params).join('\n'), kind).toMatch(/USING COVERING INDEX photos_by_archived_local \(archived=\?\)/);
    }
  });

  it("the Videos view counts and pages from photos_videos_local: the sidebar's video count never walks every photo", () => {
    // browse.summary counts the Videos view for the sidebar right after the first screen; a scan
    // of 100k photos held main's thread ~150 ms while the first screen's thumbnails waited.
    const features = { private: true, review: true };
    const { sql, params } = pageSql({ kind: 'videos' }, '', features);
    const page = plan(db, sql, [...params, 100, 0]).join('\n');
    expect(page).toMatch(/USING (COVERING )?INDEX photos_videos_local/);
    expect(page).not.toMatch(/TEMP B-TREE/);
    const count = plan(
      db,
      `SELECT count(*) FROM photos p WHERE p.type = 'video' AND p.archived = 0 AND p.private = 0 AND p.quality >= 3`,
      [],
    );
    expect(count.join('\n')).toMatch(/USING COVERING INDEX photos_videos_local/);
  });

  it('"Favourites" pages use photos_by_favorite_local without sorting', () => {
    const { sql, params } = pageSql({ kind: 'favorites' }, '');
    const steps = plan(db, sql, [...params, 100, 0]).join('\n');
    expect(steps).toMatch(/SEARCH p USING INDEX photos_by_favorite_local \(favorite=\? AND archived=\?\)/);
    expect(steps).not.toMatch(/TEMP B-TREE/);
  });

  it('album pages look members up by album (primary key), then photos by uid', () => {
    const { sql, params } = pageSql({ kind: 'album', albumUid: 'a000000000000001' }, '');
    const steps = plan(db, sql, [...params, 100, 0]).join('\n');
    expect(steps).toMatch(/SEARCH ap USING PRIMARY KEY \(album_uid=\?\)/);
    expect(steps).toMatch(/SEARCH p USING INDEX sqlite_autoindex_photos_1 \(uid=\?\)/);
  });

  it('an offline search walks the search rows in grid order: no sort, no lookup before the page, a deep page starts at its month', () => {
    const page = pageSql({ kind: 'all' }, 'camera:EOS lisbon', undefined, 'cache', '2016-03');
    const steps = plan(db, page.sql, [...page.params, 100, 0]).join('\n');
    // [Note: Search rows in grid order]: the primary key (taken_at_local, uid) is the grid's order.
    expect(steps).toMatch(/SEARCH f USING PRIMARY KEY \(taken_at_local<\?\)/);
    expect(steps).toMatch(/SEARCH p USING INDEX sqlite_autoindex_photos_1 \(uid=\?\)/);
    expect(steps).not.toMatch(/TEMP B-TREE/);
    const months = monthsSql({ kind: 'all' }, 'camera:EOS lisbon');
    expect(plan(db, months.sql, months.params).join('\n')).toMatch(/SCAN f\b/);
  });

  it('month buckets are counted from the covering index', () => {
    const { sql, params } = monthsSql({ kind: 'all' }, '');
    expect(plan(db, sql, params).join('\n')).toMatch(/USING COVERING INDEX photos_by_archived_local \(archived=\?\)/);
  });

  it('flag-only views read their months from photo_months, never from photos', () => {
    const steps = plan(db, summaryMonthsSql('archived = 0 AND private = 0 AND reviewed = 1'), []).join('\n');
    expect(steps).toMatch(/photo_months/);
    expect(steps).not.toMatch(/\bp\b|photos_by/);
  });

  it('a deep page starts its index range at its month instead of skipping every newer photo', () => {
    for (const kind of ['all', 'favorites'] as const) {
      const { sql, params } = pageFromMonthSql({ kind }, '2016-03');
      const steps = plan(db, sql, [...params, 100, 0]).join('\n');
      expect(steps, kind).toMatch(
        /SEARCH p USING INDEX photos_by_(archived|favorite)_local \((favorite=\? AND )?archived=\? AND taken_at_local<\?\)/,
      );
      expect(steps, kind).not.toMatch(/TEMP B-TREE/);
    }
  });

  it('refresh-by-uid reads rows by primary key', () => {
    const steps = plan(db, PHOTOS_BY_UID_SQL, ['["p1"]']).join('\n');
    expect(steps).toMatch(/SEARCH p USING INDEX sqlite_autoindex_photos_1 \(uid=\?\)/);
  });
});

describe('hot queries right after a first index, before any statistics exist', () => {
  let db: WritableDb;
  beforeAll(() => {
    db = openDatabase(':memory:');
    migrate(db, MIGRATIONS, { log: createMemoryLogger() });
    fill(db);
  });

  it('album counts and covers walk each album by its members, never all photos', () => {
    const steps = plan(db, ALBUMS_SQL, []).join('\n');
    expect(steps).toMatch(/SEARCH ap USING (COVERING INDEX sqlite_autoindex_album_photos_1|PRIMARY KEY) \(album_uid=\?\)/);
    expect(steps).not.toMatch(/SCAN p\b/);
    expect(steps).toMatch(/SEARCH p USING INDEX photos_by_thumb_hash \(thumb_hash=\?\)/);
  });

  it('album pages still start from the album', () => {
    const { sql, params } = pageSql({ kind: 'album', albumUid: 'a000000000000001' }, '');
    expect(plan(db, sql, [...params, 100, 0]).join('\n')).toMatch(/SEARCH ap USING PRIMARY KEY \(album_uid=\?\)/);
  });
});
