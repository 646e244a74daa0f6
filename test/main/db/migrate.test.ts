import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type WritableDb } from '../../../main/db/database';
import { migrate, schemaVersion, type Migration } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { createMemoryLogger } from '../../../main/log/logger';

const log = createMemoryLogger();

describe('migration runner', () => {
  it('applies every migration on a blank database and records the version', () => {
    const db = openDatabase(':memory:');
    const result = migrate(db, MIGRATIONS, { log });
    expect(result.from).toBe(0);
    expect(result.to).toBe(MIGRATIONS.at(-1)?.version);
    expect(result.applied).toEqual(MIGRATIONS.map((m) => m.version));
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)?.version);
  });

  it('is a no-op when up to date', () => {
    const db = openDatabase(':memory:');
    migrate(db, MIGRATIONS, { log });
    expect(migrate(db, MIGRATIONS, { log }).applied).toEqual([]);
  });

  it('refuses a database written by a newer version', () => {
    const db = openDatabase(':memory:');
    db.pragma('user_version = 99990');
    expect(() => migrate(db, MIGRATIONS, { log })).toThrow(/newer version of Photoflare/);
  });

  it('refuses a migration list whose versions do not increase', () => {
    const db = openDatabase(':memory:');
    const up = () => undefined;
    const bad: Migration[] = [
      { version: 10, name: 'a', up },
      { version: 10, name: 'b', up },
    ];
    expect(() => migrate(db, bad, { log })).toThrow(/strictly increase/);
  });

  it('rolls back every pending step when one fails', () => {
    const db = openDatabase(':memory:');
    const steps: Migration[] = [
      { version: 10, name: 'ok', up: (d: WritableDb) => d.exec('CREATE TABLE t (x INTEGER) STRICT') },
      { version: 20, name: 'broken', up: (d: WritableDb) => d.exec('CREATE TABLE t (x INTEGER) STRICT') },
    ];
    expect(() => migrate(db, steps, { log })).toThrow();
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 't'`).get()).toBeUndefined();
  });

  it('opens files with WAL, fsync on every commit, foreign keys and a busy timeout', () => {
    const db = openDatabase(join(mkdtempSync(join(tmpdir(), 'pf-db-')), 'photoflare.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    // FULL = 2: an appended event survives a power cut, not only a crash.
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    db.close();
  });

  it('makes every table STRICT', () => {
    const db = openDatabase(':memory:');
    migrate(db, MIGRATIONS, { log });
    const tables = db.prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'table'`).all() as { name: string; sql: string }[];
    for (const table of tables) expect(table.sql, table.name).toMatch(/STRICT/);
  });
});
