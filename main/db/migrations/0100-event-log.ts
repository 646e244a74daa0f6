import type { WritableDb } from '../database';

/**
 * The event log: every curation event, local and remote, and the sync engine's cursor.
 *
 * - `seq` orders events as they entered this log; `id` is a random UUID and doubles as the
 *   CloudKit record name, so a device recognises its own events when it pulls them back.
 * - `name` and `uids` (a JSON array) are exactly what is synced; `action` and `detail` are
 *   local-only words for the Activity view ("Added 12 photos to Holiday 2024") and are never read
 *   by the serializer. See [Note: The synced event].
 * - A quarantined remote record keeps its raw payload (bounded) for diagnosis, never applied.
 * - origin/status pairs are constrained so a remote event can never become "pending" (pushed).
 */
export function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE events (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      uids TEXT NOT NULL,
      origin TEXT NOT NULL CHECK (origin IN ('local', 'remote')),
      status TEXT NOT NULL CHECK (
        (origin = 'local' AND status IN ('pending', 'pushed', 'local-only')) OR
        (origin = 'remote' AND status IN ('received', 'applied', 'quarantined'))
      ),
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      action TEXT,
      detail TEXT,
      raw TEXT,
      error TEXT
    ) STRICT;

    -- The outbox (pending, oldest first) and the replay queue (received) are the engine's hot reads.
    CREATE INDEX events_status_seq ON events (status, seq);
    -- Retention deletes by age; the Activity view reads newest first by seq (the primary key).
    CREATE INDEX events_created_at ON events (created_at);

    -- Sync engine cursor: tokens, the zone's state, the iCloud account seen last. Small key/value.
    CREATE TABLE sync_meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;
  `);
}
