import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { createMemoryLogger } from '../../../main/log/logger';

describe('migration 0140: the action ledger becomes the offline queue', () => {
  it('keeps journalled intents as sent, and takes queued and conflict rows with their operation', () => {
    const db = openDatabase(':memory:');
    const log = createMemoryLogger();
    migrate(db, MIGRATIONS, { log, targetVersion: 130 });
    db.prepare(`INSERT INTO action_intents (intent, created_at) VALUES ('{"a":1}', 1)`).run();
    migrate(db, MIGRATIONS, { log, targetVersion: 140 });
    expect(db.prepare(`SELECT id, intent, state, op FROM action_intents`).all()).toEqual([
      { id: 1, intent: '{"a":1}', state: 'sent', op: null },
    ]);
    db.prepare(
      `INSERT INTO action_intents (intent, created_at, state, op, summary) VALUES ('{}', 2, 'queued', '{}', 'Favourite 1 photo')`,
    ).run();
    expect(db.prepare(`SELECT state, summary FROM action_intents WHERE id = 2`).get()).toEqual({
      state: 'queued',
      summary: 'Favourite 1 photo',
    });
    expect(() => db.prepare(`INSERT INTO action_intents (intent, created_at, state) VALUES ('{}', 3, 'lost')`).run()).toThrow(/CHECK/);
  });
});
