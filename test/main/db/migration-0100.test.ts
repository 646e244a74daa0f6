import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/database';
import { migrate, schemaVersion } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { createMemoryLogger } from '../../../main/log/logger';

describe('migration 0100: the event log', () => {
  it('adds the events and sync_meta tables on top of an existing cache', () => {
    const db = openDatabase(':memory:');
    const log = createMemoryLogger();
    migrate(db, MIGRATIONS, { log, targetVersion: 90 });
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'events'`).get()).toBeUndefined();
    migrate(db, MIGRATIONS, { log, targetVersion: 100 });
    expect(schemaVersion(db)).toBe(100);
    const tables = db
      .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name IN ('events', 'sync_meta')`)
      .all() as Array<{
      name: string;
      sql: string;
    }>;
    expect(tables.map((t) => t.name).sort()).toEqual(['events', 'sync_meta']);
    expect(tables.every((t) => t.sql.trim().endsWith('STRICT'))).toBe(true);
  });

  it('refuses impossible origin/status pairs: a remote event can never be queued for push', () => {
    const db = openDatabase(':memory:');
    migrate(db, MIGRATIONS, { log: createMemoryLogger(), targetVersion: 100 });
    const insert = db.prepare(
      `INSERT INTO events (id, name, uids, origin, status, created_at, updated_at) VALUES (?, 'photos.updated', '[]', ?, ?, 0, 0)`,
    );
    expect(() => insert.run('a', 'remote', 'pending')).toThrow(/CHECK/);
    expect(() => insert.run('b', 'local', 'applied')).toThrow(/CHECK/);
    expect(() => insert.run('c', 'local', 'pending')).not.toThrow();
    expect(() => insert.run('c', 'remote', 'received')).toThrow(/UNIQUE/);
  });
});
