import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { createMemoryLogger } from '../../../main/log/logger';

describe('migration 0160: browse cache', () => {
  it('adds empty browse tables next to the cached photos, and their photo lists follow deletes', () => {
    const db = openDatabase(':memory:');
    const log = createMemoryLogger();
    migrate(db, MIGRATIONS, { log, targetVersion: 130 });
    db.prepare(
      `INSERT INTO photos (uid, title, description, taken_at, width, height, type, favorite, private, archived, thumb_hash, file_name,
        file_size, camera_model, lens_model, iso, exposure, f_number, focal_length, place_label, lat, lng, server_updated_at)
       VALUES ('p000000000000001', 't', '', '2024-01-01T00:00:00Z', 1, 1, 'image', 0, 0, 0, 'h', 'f', 1, '', '', 0, '', 0, 0, '', 0, 0, '')`,
    ).run();
    migrate(db, MIGRATIONS, { log, targetVersion: 160 });
    expect(db.prepare('SELECT count(*) AS n FROM browse_items').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT uid FROM photos').all()).toEqual([{ uid: 'p000000000000001' }]);
    db.prepare(
      `INSERT INTO browse_items (section, item_key, position, title, subtitle, group_title, photo_count, cover_hash, filter)
       VALUES ('people', 'j000000000000001', 0, 'Anna', '', '', NULL, '', '{}')`,
    ).run();
    db.prepare(`INSERT INTO browse_photos (section, item_key, photo_uid) VALUES ('people', 'j000000000000001', 'p000000000000001')`).run();
    db.prepare(`DELETE FROM photos`).run();
    expect(db.prepare('SELECT count(*) AS n FROM browse_photos').get()).toEqual({ n: 0 });
    db.prepare(
      `INSERT INTO photos (uid, title, description, taken_at, width, height, type, favorite, private, archived, thumb_hash, file_name,
        file_size, camera_model, lens_model, iso, exposure, f_number, focal_length, place_label, lat, lng, server_updated_at)
       VALUES ('p000000000000002', 't', '', '2024-01-01T00:00:00Z', 1, 1, 'image', 0, 0, 0, 'h', 'f', 1, '', '', 0, '', 0, 0, '', 0, 0, '')`,
    ).run();
    db.prepare(`INSERT INTO browse_photos (section, item_key, photo_uid) VALUES ('people', 'j000000000000001', 'p000000000000002')`).run();
    db.prepare(`DELETE FROM browse_items`).run();
    expect(db.prepare('SELECT count(*) AS n FROM browse_photos').get()).toEqual({ n: 0 });
  });
});
