import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { createMemoryLogger } from '../../../main/log/logger';

describe('migration 0200: month summary', () => {
  it('fills photo_months from the photos already cached, then follows every change', () => {
    const db = openDatabase(':memory:');
    const log = createMemoryLogger();
    migrate(db, MIGRATIONS, { log, targetVersion: 130 });
    const insert = db.prepare(
      `INSERT INTO photos (uid, title, description, taken_at, taken_at_local, quality, width, height, type, favorite, private, archived,
        thumb_hash, file_name, file_size, camera_model, lens_model, iso, exposure, f_number, focal_length, place_label, lat, lng, server_updated_at)
       VALUES (?, '', '', ?, ?, ?, 1, 1, 'image', ?, 0, 0, '', '', 0, '', '', 0, '', 0, 0, '', 0, 0, '')`,
    );
    insert.run('p000000000000001', '2024-05-01T10:00:00.000Z', '2024-05-01T12:00:00', 4, 1);
    insert.run('p000000000000002', '2024-05-31T23:30:00.000Z', '2024-06-01T01:30:00', 4, 0);
    insert.run('p000000000000003', '2024-06-02T10:00:00.000Z', '2024-06-02T12:00:00', 1, 0);
    migrate(db, MIGRATIONS, { log, targetVersion: 200 });
    const summary = () =>
      db.prepare('SELECT month, favorite, reviewed, count FROM photo_months WHERE count > 0 ORDER BY month, favorite, reviewed').all();
    // Local time decides the month (the second photo is June where it was taken).
    expect(summary()).toEqual([
      { month: '2024-05', favorite: 1, reviewed: 1, count: 1 },
      { month: '2024-06', favorite: 0, reviewed: 0, count: 1 },
      { month: '2024-06', favorite: 0, reviewed: 1, count: 1 },
    ]);
    db.prepare(`UPDATE photos SET favorite = 1, quality = 5 WHERE uid = 'p000000000000003'`).run();
    db.prepare(`DELETE FROM photos WHERE uid = 'p000000000000001'`).run();
    expect(summary()).toEqual([
      { month: '2024-06', favorite: 0, reviewed: 1, count: 1 },
      { month: '2024-06', favorite: 1, reviewed: 1, count: 1 },
    ]);
  });
});
