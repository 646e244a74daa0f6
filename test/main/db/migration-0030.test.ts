import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { createMemoryLogger } from '../../../main/log/logger';

describe('migration 0030: thumbnail cache index', () => {
  it('adds the thumbnail index and keeps earlier data', () => {
    const db = openDatabase(':memory:');
    const log = createMemoryLogger();
    migrate(db, MIGRATIONS, { log, targetVersion: 20 });
    db.prepare(`INSERT INTO library_meta VALUES ('lastRefreshedAt', '5')`).run();
    migrate(db, MIGRATIONS, { log, targetVersion: 30 });
    expect(db.prepare('SELECT value FROM library_meta').get()).toEqual({ value: '5' });
    db.prepare(`INSERT INTO thumbnail_cache VALUES ('k', 10, 'image/jpeg', 1)`).run();
    expect(() => db.prepare(`INSERT INTO thumbnail_cache VALUES ('j', -1, 'image/jpeg', 1)`).run()).toThrow(/CHECK/);
  });

  it('finds the oldest entries through the last-used index, not a scan (eviction stays cheap)', () => {
    const db = openDatabase(':memory:');
    migrate(db, MIGRATIONS, { log: createMemoryLogger(), targetVersion: 30 });
    const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT key FROM thumbnail_cache ORDER BY last_used_at ASC, key ASC LIMIT 64`).all() as {
      detail: string;
    }[];
    expect(plan.map((row) => row.detail).join('\n')).toMatch(/USING (COVERING )?INDEX thumbnail_cache_by_last_used/);
  });

  it('one row per key', () => {
    const db = openDatabase(':memory:');
    migrate(db, MIGRATIONS, { log: createMemoryLogger(), targetVersion: 30 });
    db.prepare(`INSERT INTO thumbnail_cache VALUES ('k', 10, 'image/jpeg', 1)`).run();
    expect(() => db.prepare(`INSERT INTO thumbnail_cache VALUES ('k', 20, 'image/jpeg', 2)`).run()).toThrow(/UNIQUE/);
  });
});
