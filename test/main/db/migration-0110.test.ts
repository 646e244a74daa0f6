import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { createMemoryLogger } from '../../../main/log/logger';

describe('migration 0110: event groups', () => {
  it('adds group_id, keeping existing events as groups of their own', () => {
    const db = openDatabase(':memory:');
    const log = createMemoryLogger();
    migrate(db, MIGRATIONS, { log, targetVersion: 100 });
    db.prepare(
      `INSERT INTO events (id, name, uids, origin, status, created_at, updated_at) VALUES ('e1', 'photos.updated', '["p000000000000001"]', 'local', 'pushed', 1, 1)`,
    ).run();
    migrate(db, MIGRATIONS, { log, targetVersion: 110 });
    expect(db.prepare(`SELECT id, group_id FROM events`).all()).toEqual([{ id: 'e1', group_id: null }]);
    db.prepare(`UPDATE events SET group_id = 'g' WHERE id = 'e1'`).run();
    expect(db.prepare(`SELECT group_id FROM events`).get()).toEqual({ group_id: 'g' });
  });
});
