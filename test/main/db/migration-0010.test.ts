import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { createMemoryLogger } from '../../../main/log/logger';

const photo = (uid: string, extra: Record<string, unknown> = {}) => ({
  uid,
  title: 't',
  description: '',
  taken_at: '2024-01-01T00:00:00.000Z',
  width: 1,
  height: 1,
  type: 'image',
  favorite: 0,
  private: 0,
  archived: 0,
  thumb_hash: 'h',
  file_name: 'f',
  file_size: 1,
  camera_model: '',
  lens_model: '',
  iso: 0,
  exposure: '',
  f_number: 0,
  focal_length: 0,
  place_label: '',
  lat: 0,
  lng: 0,
  server_updated_at: '',
  ...extra,
});

const insertSql = `INSERT INTO photos VALUES (@uid, @title, @description, @taken_at, @width, @height, @type, @favorite,
  @private, @archived, @thumb_hash, @file_name, @file_size, @camera_model, @lens_model, @iso, @exposure, @f_number,
  @focal_length, @place_label, @lat, @lng, @server_updated_at)`;

describe('migration 0010: library cache', () => {
  it('creates photos, albums and membership with cascading deletes', () => {
    const db = openDatabase(':memory:');
    migrate(db, MIGRATIONS, { log: createMemoryLogger(), targetVersion: 10 });
    db.prepare(insertSql).run(photo('p1'));
    db.prepare(
      `INSERT INTO albums (uid, title, favorite, thumb_hash, server_photo_count, server_updated_at) VALUES ('a1', 'A', 0, '', 1, '')`,
    ).run();
    db.prepare(`INSERT INTO album_photos VALUES ('a1', 'p1')`).run();
    db.prepare(`DELETE FROM photos WHERE uid = 'p1'`).run();
    expect(db.prepare('SELECT count(*) AS n FROM album_photos').get()).toEqual({ n: 0 });
  });

  it('rejects wrong types and out-of-range flags (STRICT + CHECK)', () => {
    const db = openDatabase(':memory:');
    migrate(db, MIGRATIONS, { log: createMemoryLogger(), targetVersion: 10 });
    expect(() => db.prepare(insertSql).run(photo('p1', { width: 'wide' }))).toThrow(/cannot store TEXT/);
    expect(() => db.prepare(insertSql).run(photo('p2', { favorite: 2 }))).toThrow(/CHECK/);
  });

  it('refuses membership of a photo that is not cached (foreign key)', () => {
    const db = openDatabase(':memory:');
    migrate(db, MIGRATIONS, { log: createMemoryLogger(), targetVersion: 10 });
    db.prepare(
      `INSERT INTO albums (uid, title, favorite, thumb_hash, server_photo_count, server_updated_at) VALUES ('a1', 'A', 0, '', 1, '')`,
    ).run();
    expect(() => db.prepare(`INSERT INTO album_photos VALUES ('a1', 'nope')`).run()).toThrow(/FOREIGN KEY/);
  });
});
