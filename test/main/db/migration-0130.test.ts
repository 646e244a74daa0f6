import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { createMemoryLogger } from '../../../main/log/logger';

describe('migration 0130: action intents', () => {
  it('adds an empty journal and leaves the event log as it was', () => {
    const db = openDatabase(':memory:');
    const log = createMemoryLogger();
    migrate(db, MIGRATIONS, { log, targetVersion: 110 });
    db.prepare(
      `INSERT INTO events (id, name, uids, origin, status, created_at, updated_at) VALUES ('e1', 'photos.updated', '["p000000000000001"]', 'local', 'pushed', 1, 1)`,
    ).run();
    migrate(db, MIGRATIONS, { log, targetVersion: 130 });
    expect(db.prepare(`SELECT count(*) AS n FROM action_intents`).get()).toEqual({ n: 0 });
    expect(db.prepare(`SELECT id FROM events`).all()).toEqual([{ id: 'e1' }]);
    db.prepare(`INSERT INTO action_intents (intent, created_at) VALUES ('{}', 1)`).run();
    expect(db.prepare(`SELECT id, intent FROM action_intents`).all()).toEqual([{ id: 1, intent: '{}' }]);
  });
});
