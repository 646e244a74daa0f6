import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { LibraryRepo } from '../../../main/library/library-repo';
import { createMemoryLogger } from '../../../main/log/logger';

describe('migration 0120: photo quality and local time', () => {
  it('keeps cached photos visible, takes their UTC time as local time for now, and asks for a full index', () => {
    const db = openDatabase(':memory:');
    const log = createMemoryLogger();
    migrate(db, MIGRATIONS, { log, targetVersion: 110 });
    db.prepare(
      `INSERT INTO photos (uid, title, description, taken_at, width, height, type, favorite, private, archived, thumb_hash,
        file_name, file_size, camera_model, lens_model, iso, exposure, f_number, focal_length, place_label, lat, lng, server_updated_at)
       VALUES ('pr00000000000001', 'T', '', '2024-12-31T23:30:00.000Z', 1, 1, 'image', 0, 0, 0, 'h', 'f.jpg', 1, '', '', 0, '', 0, 0, '', 0, 0, '')`,
    ).run();
    db.prepare(`INSERT INTO library_meta (key, value) VALUES ('lastFullIndexAt', '1'), ('lastRefreshedAt', '2')`).run();

    migrate(db, MIGRATIONS, { log, targetVersion: 120 });
    // (Migration 0310 drops these two again: [Note: Views walk the search rows].)
    const indexes = (
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'photos'`).all() as { name: string }[]
    ).map((r) => r.name);
    expect(indexes).toEqual(expect.arrayContaining(['photos_by_archived_local', 'photos_by_favorite_local']));
    expect(indexes).not.toContain('photos_by_archived_taken');

    expect(db.prepare('SELECT taken_at_local, quality FROM photos').get()).toEqual({ taken_at_local: '2024-12-31T23:30:00', quality: 3 });
    // The app reads the cache only after every later migration too.
    migrate(db, MIGRATIONS, { log });
    const repo = new LibraryRepo(db, log);
    // Still in Library until the full index brings its real quality.
    expect(repo.counts()).toMatchObject({ all: 1, review: 0, private: 0, features: { review: true, private: true } });
    expect(repo.getMeta('lastFullIndexAt')).toBeUndefined();
    expect(repo.getMeta('lastRefreshedAt')).toBe('2');
  });
});
