import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type WritableDb } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import {
  ALBUMS_SQL,
  LibraryRepo,
  monthsSql,
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
    // The search index, as LibraryService builds it after an index ([Note: Search by index]).
    const repo = new LibraryRepo(db, createMemoryLogger());
    while (!repo.buildSearchIndexStep());
  });

  // [Note: Views walk the search rows]: the flag views page through photo_facets in grid order.
  it('"All", "Review" and "Private" pages walk the search rows in grid order without sorting, then read their rows by uid', () => {
    for (const kind of ['all', 'review', 'private'] as const) {
      const { sql, params } = pageSql({ kind }, '');
      const steps = plan(db, sql, [...params, 100, 0]).join('\n');
      expect(steps, kind).toMatch(/SCAN f\b(?! USING)/);
      expect(steps, kind).toMatch(/SEARCH p USING INDEX sqlite_autoindex_photos_1 \(uid=\?\)/);
      expect(steps, kind).not.toMatch(/TEMP B-TREE/);
    }
  });

  it("the Videos view counts and pages from its own partial index: the sidebar's video count never walks every photo", () => {
    // browse.summary counts the Videos view for the sidebar right after the first screen; a scan
    // of 100k photos held main's thread ~150 ms while the first screen's thumbnails waited.
    const features = { private: true, review: true };
    const { sql, params } = pageSql({ kind: 'videos' }, '', features);
    const page = plan(db, sql, [...params, 100, 0]).join('\n');
    expect(page).toMatch(/USING (COVERING )?INDEX photo_facets_videos/);
    expect(page).not.toMatch(/TEMP B-TREE/);
    const months = monthsSql({ kind: 'videos' }, '', features);
    // Counted from a covering index: its own, or the search index's type index once that is built.
    expect(plan(db, months.sql, months.params).join('\n')).toMatch(/USING COVERING INDEX photo_facets_(videos|by_type)/);
  });

  it('"Favourites" and "Archive" pages walk their own partial index in grid order', () => {
    for (const [kind, index] of [
      ['favorites', 'photo_facets_favorites'],
      ['archive', 'photo_facets_archived'],
    ] as const) {
      const { sql, params } = pageSql({ kind }, '');
      const steps = plan(db, sql, [...params, 100, 0]).join('\n');
      expect(steps, kind).toMatch(new RegExp(`SCAN f USING (COVERING )?INDEX ${index}\\b`));
      expect(steps, kind).not.toMatch(/TEMP B-TREE/);
    }
  });

  it('the photos table keeps no index per flag: an upsert writes the row, its uid and its thumbnail hash only', () => {
    const indexes = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'photos'`).all() as { name: string }[])
      .map((r) => r.name)
      .sort();
    expect(indexes).toEqual(['photos_by_thumb_hash', 'sqlite_autoindex_photos_1']);
  });

  it('album pages look members up by album (primary key), then photos by uid', () => {
    const { sql, params } = pageSql({ kind: 'album', albumUid: 'a000000000000001' }, '');
    const steps = plan(db, sql, [...params, 100, 0]).join('\n');
    expect(steps).toMatch(/SEARCH ap USING PRIMARY KEY \(album_uid=\?\)/);
    expect(steps).toMatch(/SEARCH p USING INDEX sqlite_autoindex_photos_1 \(uid=\?\)/);
  });

  it('a page of a search that matches many photos walks the search rows in grid order: no sort, no lookup before the page, a deep page starts at its month', () => {
    const page = pageSql({ kind: 'all' }, 'camera:EOS lisbon year:2016', undefined, 'cache', '2016-03', undefined, 'walk');
    const steps = plan(db, page.sql, [...page.params, 100, 0]).join('\n');
    // [Note: Search rows in grid order]: the primary key (taken_at_local, uid) is the grid's order.
    expect(steps).toMatch(/SEARCH f USING PRIMARY KEY \(taken_at_local<\?\)/);
    expect(steps).toMatch(/SEARCH p USING INDEX sqlite_autoindex_photos_1 \(uid=\?\)/);
    expect(steps).not.toMatch(/TEMP B-TREE/);
    // Before the search index is built, the months walk every search row.
    const months = monthsSql({ kind: 'all' }, 'camera:EOS lisbon', undefined, 'cache', 'rows');
    expect(plan(db, months.sql, months.params).join('\n')).toMatch(/SCAN f\b/);
  });

  it('with the search index, each filter finds and counts its photos by an index, never by walking every search row', () => {
    const cases: Array<[string, RegExp]> = [
      ['lisbon', /SEARCH w USING PRIMARY KEY \(word>\? AND word<\?\)/],
      ['"beach lisbon"', /USING COVERING INDEX photo_facets_search_by_uid \(uid=\?/],
      ['lisbon & sunset', /MERGE \(INTERSECT\)/],
      ['type:video', /USING COVERING INDEX photo_facets_by_type \(type=\?/],
      ['camera:EOS', /USING COVERING INDEX photo_facets_by_camera \(camera_id=\?/],
      ['year:2020|2021 camera:canon', /USING COVERING INDEX photo_facets_by_camera \(camera_id=\?/],
      ['year:2023', /USING COVERING INDEX photo_facets_by_year \(year=\?/],
      ['city:Berlin favorite:true', /USING COVERING INDEX photo_facets_by_city \(city=\?/],
      ['EOS', /USING COVERING INDEX photo_facets_by_title \(title>\? AND title<\?\)/],
    ];
    for (const [q, index] of cases) {
      const months = monthsSql({ kind: 'all' }, q);
      const steps = plan(db, months.sql, months.params).join('\n');
      expect(steps, q).toMatch(index);
      expect(steps, q).not.toMatch(/SCAN f\b/);
    }
  });

  it('month buckets of a view are counted from the search rows, never photos', () => {
    const { sql, params } = monthsSql({ kind: 'videos' }, '');
    const steps = plan(db, sql, params).join('\n');
    expect(steps).toMatch(/(SCAN|SEARCH) f\b/);
    expect(steps).not.toMatch(/\bp\b/);
  });

  it('flag-only views read their months from photo_months, never from photos', () => {
    const steps = plan(db, summaryMonthsSql('archived = 0 AND private = 0 AND reviewed = 1'), []).join('\n');
    expect(steps).toMatch(/photo_months/);
    expect(steps).not.toMatch(/\bp\b|photos_by/);
  });

  it('a deep page starts its walk at its month and ends at the last month the page reaches', () => {
    for (const [kind, walk] of [
      ['all', 'PRIMARY KEY'],
      ['review', 'PRIMARY KEY'],
      ['favorites', 'INDEX photo_facets_favorites'],
      ['archive', 'COVERING INDEX photo_facets_archived'],
    ] as const) {
      const { sql, params } = pageSql({ kind }, '', undefined, 'cache', '2016-03', '2015-06');
      const steps = plan(db, sql, [...params, 100, 0]).join('\n');
      expect(steps, kind).toContain(`SEARCH f USING ${walk} (taken_at_local>? AND taken_at_local<?)`);
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
