import type { WritableDb } from '../database';

/**
 * The tables of the offline search index ([Note: Search by index] in main/library/search-index.ts):
 * `photo_words` (each keyword of a photo's title and description) and `search_devices` (each
 * camera and lens the cache has seen). Created empty: the index (its rows, triggers and the
 * covering indexes on `photo_facets`) is built after the first screen, in steps, by
 * LibraryService, so an upgrade of a 100k cache does not hold the app's start (building it here
 * took 3.3 s of CPU). Until then the offline search walks the search rows as before.
 */
export function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE photo_words (
      word TEXT NOT NULL,
      uid  TEXT NOT NULL,
      PRIMARY KEY (word, uid)
    ) WITHOUT ROWID, STRICT;

    CREATE TABLE search_devices (
      kind  TEXT NOT NULL CHECK (kind IN ('camera', 'lens')),
      id    INTEGER NOT NULL,
      name  TEXT NOT NULL,
      model TEXT NOT NULL,
      slug  TEXT NOT NULL,
      PRIMARY KEY (kind, id, name, model, slug)
    ) WITHOUT ROWID, STRICT;
  `);
}
