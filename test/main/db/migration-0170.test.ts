import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { LibraryRepo } from '../../../main/library/library-repo';
import { createMemoryLogger } from '../../../main/log/logger';

describe('migration 0170: search facets', () => {
  it('adds the facet and search-answer tables, keeps cached photos, and asks for a full index to fill the facets', () => {
    const db = openDatabase(':memory:');
    const log = createMemoryLogger();
    migrate(db, MIGRATIONS, { log, targetVersion: 130 });
    db.prepare(
      `INSERT INTO photos (uid, title, description, taken_at, taken_at_local, quality, width, height, type, favorite, private, archived, thumb_hash,
        file_name, file_size, camera_model, lens_model, iso, exposure, f_number, focal_length, place_label, lat, lng, server_updated_at)
       VALUES ('pr00000000000001', 'Beach', '', '2024-12-31T23:30:00.000Z', '2024-12-31T23:30:00', 3, 1, 1, 'image', 0, 0, 0, 'h', 'f.jpg', 1,
        '', '', 0, '', 0, 0, '', 0, 0, '')`,
    ).run();
    db.prepare(`INSERT INTO library_meta (key, value) VALUES ('lastFullIndexAt', '1')`).run();

    migrate(db, MIGRATIONS, { log, targetVersion: 170 });

    // The app reads the cache only after every later migration too.
    migrate(db, MIGRATIONS, { log });
    const repo = new LibraryRepo(db, log);
    expect(repo.counts()).toMatchObject({ all: 1 });
    expect(repo.getMeta('lastFullIndexAt')).toBeUndefined();
    // No facets yet: a year filter finds nothing until the full index, a title word still does.
    expect(repo.query({ kind: 'all' }, 'year:2024', 0, 10).total).toBe(0);
    expect(repo.query({ kind: 'all' }, 'title:beach', 0, 10).total).toBe(1);
    // A server answer is kept per query and goes with its photo list.
    repo.saveServerSearch({ kind: 'all' }, 'label:beach', ['pr00000000000001'], '2025-01-01T00:00:00.000Z', true);
    expect(repo.searchSource({ kind: 'all' }, 'label:beach')).toBe('server');
    expect(repo.query({ kind: 'all' }, 'label:beach', 0, 10).total).toBe(1);
    db.prepare('DELETE FROM photos').run();
    expect((db.prepare('SELECT count(*) AS n FROM photo_facets').get() as { n: number }).n).toBe(0);
  });
});
