import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { LibraryRepo } from '../../../main/library/library-repo';
import { createMemoryLogger } from '../../../main/log/logger';

describe('migration 0150: photo duration', () => {
  it('keeps cached photos, gives them no duration until a full index brings it, and stores durations after', () => {
    const db = openDatabase(':memory:');
    const log = createMemoryLogger();
    migrate(db, MIGRATIONS, { log, targetVersion: 130 });
    db.prepare(
      `INSERT INTO photos (uid, title, description, taken_at, taken_at_local, width, height, type, favorite, private, archived, thumb_hash,
        file_name, file_size, camera_model, lens_model, iso, exposure, f_number, focal_length, place_label, lat, lng, server_updated_at)
       VALUES ('pr00000000000001', 'Clip', '', '2024-12-31T23:30:00.000Z', '2024-12-31T23:30:00', 1, 1, 'video', 0, 0, 0, 'h',
        'f.mp4', 1, '', '', 0, '', 0, 0, '', 0, 0, '')`,
    ).run();
    db.prepare(`INSERT INTO library_meta (key, value) VALUES ('lastFullIndexAt', '1'), ('lastRefreshedAt', '2')`).run();

    migrate(db, MIGRATIONS, { log, targetVersion: 150 });

    // The app reads the cache only after every later migration too.
    migrate(db, MIGRATIONS, { log });
    const repo = new LibraryRepo(db, log);
    const before = repo.query({ kind: 'all' }, '', 0, 10).photos;
    expect(before.map((p) => [p.uid, p.durationMs])).toEqual([['pr00000000000001', undefined]]);
    // The next refresh is a full one, which brings the real durations.
    expect(repo.getMeta('lastFullIndexAt')).toBeUndefined();
    expect(repo.getMeta('lastRefreshedAt')).toBe('2');

    const record = repo.photosByUid(['pr00000000000001']).get('pr00000000000001');
    if (!record) throw new Error('the row is gone');
    expect(repo.upsertPhotos([{ ...record, durationMs: 42_000 }])).toEqual(['pr00000000000001']);
    expect(repo.query({ kind: 'all' }, '', 0, 10).photos[0]?.durationMs).toBe(42_000);
    expect(() => db.prepare(`UPDATE photos SET duration_ms = -1`).run()).toThrow(/CHECK/);
  });
});
