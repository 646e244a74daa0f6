import type { WritableDb } from '../database';

/**
 * The action journal: a change about to be sent to PhotoPrism, written BEFORE the request and
 * removed once the outcome is known and recorded. A row left behind means the answer was lost
 * (timeout, dropped connection) or the app died between the server's answer and the commit; it
 * is resolved by refreshing its UIDs from the server and appending the events the server's state
 * shows. See [Note: Action intents] in main/actions/action-intents.ts.
 *
 * Numbered 0130, clearly apart from the event log's 0100/0110 so a migration another branch adds
 * (0120) cannot collide. `intent` is JSON (validated on read); local only, never synced.
 */
export function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE action_intents (
      id INTEGER PRIMARY KEY,
      intent TEXT NOT NULL,
      created_at INTEGER NOT NULL
    ) STRICT
  `);
}
