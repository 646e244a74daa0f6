import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { createMemoryLogger } from '../../../main/log/logger';

describe('migration 0260: search rows in grid order', () => {
  it('keeps every cached facet, copies the photo columns, gives photos without facets a row, then follows the photos', () => {
    const db = openDatabase(':memory:');
    const log = createMemoryLogger();
    migrate(db, MIGRATIONS, { log, targetVersion: 200 });
    const insert = db.prepare(
      `INSERT INTO photos (uid, title, description, taken_at, taken_at_local, quality, width, height, type, favorite, private, archived,
        thumb_hash, file_name, file_size, camera_model, lens_model, iso, exposure, f_number, focal_length, place_label, lat, lng, server_updated_at)
       VALUES (?, ?, '', ?, ?, 4, 1, 1, ?, ?, 0, 0, '', '', 0, '', '', 0, '', 0, 0, '', 0, 0, '')`,
    );
    insert.run('p000000000000001', 'Beach', '2024-05-01T10:00:00.000Z', '2024-05-01T12:00:00', 'image', 1);
    insert.run('p000000000000002', 'Clip', '2024-06-01T10:00:00.000Z', '2024-06-01T12:00:00', 'video', 0);
    db.prepare(
      `INSERT INTO photo_facets VALUES ('p000000000000001', 2024, 5, 1, 'pt', 'Lisboa', 'Lisbon', 3, 'Canon EOS 6D', 'EOS 6D', 'canon-eos-6d',
        2, 'EF 24mm', 'EF 24mm', 'ef-24mm', 1, '2024/05', 'IMG_1.jpg', ' beach lisbon ')`,
    ).run();
    migrate(db, MIGRATIONS, { log, targetVersion: 260 });
    const rows = () =>
      db
        .prepare('SELECT uid, taken_at_local, favorite, type, title, year, city, camera_name, keywords FROM photo_facets ORDER BY uid')
        .all();
    expect(rows()).toEqual([
      {
        uid: 'p000000000000001',
        taken_at_local: '2024-05-01T12:00:00',
        favorite: 1,
        type: 'image',
        title: 'Beach',
        year: 2024,
        city: 'Lisbon',
        camera_name: 'Canon EOS 6D',
        keywords: ' beach lisbon ',
      },
      // No facets were cached for it: facet filters do not find it, its own columns do.
      {
        uid: 'p000000000000002',
        taken_at_local: '2024-06-01T12:00:00',
        favorite: 0,
        type: 'video',
        title: 'Clip',
        year: 0,
        city: '',
        camera_name: '',
        keywords: '',
      },
    ]);
    db.prepare(
      `UPDATE photos SET favorite = 0, title = 'Shore', taken_at_local = '2023-01-01T00:00:00' WHERE uid = 'p000000000000001'`,
    ).run();
    db.prepare(`DELETE FROM photos WHERE uid = 'p000000000000002'`).run();
    expect(rows()).toEqual([
      {
        uid: 'p000000000000001',
        taken_at_local: '2023-01-01T00:00:00',
        favorite: 0,
        type: 'image',
        title: 'Shore',
        year: 2024,
        city: 'Lisbon',
        camera_name: 'Canon EOS 6D',
        keywords: ' beach lisbon ',
      },
    ]);
  });
});
