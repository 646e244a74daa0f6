import { describe, expect, it } from 'vitest';
import { openDatabase, type WritableDb } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { LibraryRepo } from '../../../main/library/library-repo';
import { createMemoryLogger } from '../../../main/log/logger';
import type { LibraryView } from '../../../shared/library/schemas';
import { photoRecord } from '../../helpers/photo-record';

/**
 * Each view by PhotoPrism's rules ([Note: What each view shows] in main/library/library-repo.ts,
 * review and private features on), straight from the photos table: the oracle the pages must match.
 */
const VIEWS: ReadonlyArray<readonly [LibraryView, string]> = [
  [{ kind: 'all' }, 'archived = 0 AND private = 0 AND quality >= 3'],
  [{ kind: 'favorites' }, 'favorite = 1 AND archived = 0 AND private = 0 AND quality >= 3'],
  [{ kind: 'review' }, 'archived = 0 AND quality < 3 AND private = 0'],
  [{ kind: 'private' }, 'archived = 0 AND private = 1'],
  [{ kind: 'archive' }, 'archived = 1'],
  [{ kind: 'videos' }, "type = 'video' AND archived = 0 AND private = 0 AND quality >= 3"],
];

function expectedViews(db: WritableDb): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [view, where] of VIEWS) {
    const rows = db.prepare(`SELECT uid FROM photos WHERE ${where} ORDER BY taken_at_local DESC, uid DESC`).all() as { uid: string }[];
    out[view.kind] = rows.map((r) => r.uid);
  }
  return out;
}

/** Every view's photos, page by page (pages of 7, so a page spans months), as the grid reads them. */
function everyView(repo: LibraryRepo): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [view] of VIEWS) {
    const uids: string[] = [];
    for (let offset = 0; ; offset += 7) {
      const page = repo.query(view, '', offset, 7);
      uids.push(...page.photos.map((p) => p.uid));
      if (offset + 7 >= page.total) break;
    }
    out[view.kind] = uids;
  }
  return out;
}

describe('migration 0310: views walk the search rows', () => {
  it('drops the two flag indexes of photos, and every view then pages exactly its photos in grid order, none lost', () => {
    const db = openDatabase(':memory:');
    const log = createMemoryLogger();
    migrate(db, MIGRATIONS, { log, targetVersion: 290 });
    const repo = new LibraryRepo(db, log);
    repo.upsertPhotos(
      Array.from({ length: 120 }, (_, i) =>
        photoRecord(i, {
          // Several photos per month, some sharing a time (the uid breaks the tie), over three years.
          takenAtLocal: `${2021 + (i % 3)}-${String(1 + (i % 12)).padStart(2, '0')}-0${1 + (i % 4)}T10:00:00`,
          favorite: i % 5 === 0,
          private: i % 11 === 0,
          archived: i % 9 === 0,
          quality: i % 13 === 0 ? 2 : 4,
          type: i % 7 === 0 ? 'video' : 'image',
        }),
      ),
    );
    // A photo without a search row (written around the app, as older tests of this file's
    // neighbours do) still shows after the migration.
    db.prepare(
      `INSERT INTO photos (uid, title, description, taken_at, taken_at_local, width, height, type, favorite, private, archived, thumb_hash,
        file_name, file_size, camera_model, lens_model, iso, exposure, f_number, focal_length, place_label, lat, lng, server_updated_at)
       VALUES ('pr00000000000001', 'Bare', '', '2020-12-31T23:30:00.000Z', '2020-12-31T23:30:00', 1, 1, 'image', 1, 0, 0, 'h',
        'f.jpg', 1, '', '', 0, '', 0, 0, '', 0, 0, '')`,
    ).run();
    const before = expectedViews(db);
    expect(before.favorites).toContain('pr00000000000001');
    expect(before.favorites?.length).toBeGreaterThan(10);
    expect(before.archive?.length).toBeGreaterThan(10);

    migrate(db, MIGRATIONS, { log });
    const after = new LibraryRepo(db, log);
    expect(everyView(after)).toEqual(before);
    const indexes = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index'`).all() as { name: string }[]).map((r) => r.name);
    expect(indexes).not.toContain('photos_by_archived_local');
    expect(indexes).not.toContain('photos_by_favorite_local');
    expect(indexes).toEqual(expect.arrayContaining(['photo_facets_favorites', 'photo_facets_archived']));

    // The partial indexes follow later changes of the flags (by the search rows' trigger).
    const uid = before.all?.[0] ?? '';
    expect(after.setPhotoFlag('favorite', [uid], true)).toEqual([uid]);
    expect(after.query({ kind: 'favorites' }, '', 0, 1).photos[0]?.uid).toBe(uid);
    after.setArchived([uid], true);
    expect(after.query({ kind: 'archive' }, '', 0, 1).photos[0]?.uid).toBe(uid);
    expect(after.query({ kind: 'favorites' }, '', 0, 200).photos.map((p) => p.uid)).not.toContain(uid);
  });
});
