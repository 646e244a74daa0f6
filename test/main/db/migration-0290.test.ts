import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { LibraryRepo } from '../../../main/library/library-repo';
import { createMemoryLogger } from '../../../main/log/logger';

describe('migration 0290: photo stacks', () => {
  it('keeps cached photos without a stack badge until a full index brings the stack sizes, and stores them after', () => {
    const db = openDatabase(':memory:');
    const log = createMemoryLogger();
    migrate(db, MIGRATIONS, { log, targetVersion: 260 });
    db.prepare(
      `INSERT INTO photos (uid, title, description, taken_at, taken_at_local, width, height, type, favorite, private, archived, thumb_hash,
        file_name, file_size, camera_model, lens_model, iso, exposure, f_number, focal_length, place_label, lat, lng, server_updated_at)
       VALUES ('pr00000000000001', 'Stack', '', '2024-12-31T23:30:00.000Z', '2024-12-31T23:30:00', 1, 1, 'image', 0, 0, 0, 'h',
        'f.jpg', 1, '', '', 0, '', 0, 0, '', 0, 0, '')`,
    ).run();
    db.prepare(`INSERT INTO library_meta (key, value) VALUES ('lastFullIndexAt', '1'), ('lastRefreshedAt', '2')`).run();

    migrate(db, MIGRATIONS, { log, targetVersion: 290 });
    migrate(db, MIGRATIONS, { log });
    const repo = new LibraryRepo(db, log);
    expect(repo.query({ kind: 'all' }, '', 0, 10).photos.map((p) => [p.uid, p.stackSize])).toEqual([['pr00000000000001', undefined]]);
    // The next refresh is a full one, which brings the stack sizes.
    expect(repo.getMeta('lastFullIndexAt')).toBeUndefined();
    expect(repo.getMeta('lastRefreshedAt')).toBe('2');

    const record = repo.photosByUid(['pr00000000000001']).get('pr00000000000001');
    if (!record) throw new Error('the row is gone');
    expect(repo.upsertPhotos([{ ...record, stackSize: 3 }])).toEqual(['pr00000000000001']);
    expect(repo.query({ kind: 'all' }, '', 0, 10).photos[0]?.stackSize).toBe(3);
    // Read back and written again unchanged: no change reported, the size kept.
    const again = repo.photosByUid(['pr00000000000001']).get('pr00000000000001');
    expect(again && repo.upsertPhotos([again])).toEqual([]);
    expect(() => db.prepare(`UPDATE photos SET stack_size = -1`).run()).toThrow(/CHECK/);
  });
});
