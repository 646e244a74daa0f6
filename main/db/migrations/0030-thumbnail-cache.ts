import type { WritableDb } from '../database';

/**
 * The index of the on-disk thumbnail cache: which files exist, their size, when last used.
 *
 * Kept in SQLite rather than rebuilt by scanning the folder, so eviction (oldest first, until
 * the byte budget holds) is one indexed query. A file missing on disk is simply fetched again.
 */
export function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE thumbnail_cache (
      key          TEXT PRIMARY KEY,
      bytes        INTEGER NOT NULL CHECK (bytes >= 0),
      content_type TEXT NOT NULL,
      last_used_at INTEGER NOT NULL
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX thumbnail_cache_by_last_used ON thumbnail_cache (last_used_at);
  `);
}
