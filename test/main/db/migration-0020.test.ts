import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { createMemoryLogger } from '../../../main/log/logger';

const insertAlbum = `INSERT INTO albums (uid, title, favorite, thumb_hash, server_photo_count, server_updated_at) VALUES ('a1', 'A', 0, '', 1, '')`;

describe('migration 0020: connection and meta', () => {
  it('adds the tables on top of a cache with rows, keeping them', () => {
    const db = openDatabase(':memory:');
    const log = createMemoryLogger();
    migrate(db, MIGRATIONS, { log, targetVersion: 10 });
    db.prepare(insertAlbum).run();
    migrate(db, MIGRATIONS, { log, targetVersion: 20 });
    expect(db.prepare('SELECT uid FROM albums').all()).toEqual([{ uid: 'a1' }]);
    db.prepare(`INSERT INTO library_meta VALUES ('lastRefreshedAt', '1')`).run();
    expect(db.prepare('SELECT value FROM library_meta').get()).toEqual({ value: '1' });
  });

  it('holds exactly one server per profile, with optional version and pinned certificate', () => {
    const db = openDatabase(':memory:');
    migrate(db, MIGRATIONS, { log: createMemoryLogger(), targetVersion: 20 });
    db.prepare(`INSERT INTO connection (id, server_url, user_name) VALUES (1, 'https://x', 'me')`).run();
    expect(db.prepare('SELECT server_version, trusted_fingerprint FROM connection').get()).toEqual({
      server_version: null,
      trusted_fingerprint: null,
    });
    expect(() => db.prepare(`INSERT INTO connection (id, server_url, user_name) VALUES (2, 'https://y', 'me')`).run()).toThrow(/CHECK/);
    expect(() => db.prepare(`INSERT INTO connection (id, server_url, user_name) VALUES (1, 'https://y', 'me')`).run()).toThrow(/UNIQUE/);
  });

  it('rejects a missing user name and non-text meta values (NOT NULL, STRICT)', () => {
    const db = openDatabase(':memory:');
    migrate(db, MIGRATIONS, { log: createMemoryLogger(), targetVersion: 20 });
    expect(() => db.prepare(`INSERT INTO connection (id, server_url) VALUES (1, 'https://x')`).run()).toThrow(/NOT NULL/);
    expect(() => db.prepare(`INSERT INTO library_meta VALUES ('k', x'00')`).run()).toThrow(/cannot store BLOB/);
  });
});
