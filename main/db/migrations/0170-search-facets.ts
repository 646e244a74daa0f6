import type { WritableDb } from '../database';

/**
 * What the offline search needs from the cache (docs/photoprism-api.md §2.9).
 *
 * - `photo_facets`: per photo, the search-result fields PhotoPrism's filters read that the
 *   `photos` row does not keep — year/month/day (local), country/state/city, camera and lens
 *   (ID, name, model, slug), face count, path and name — and `keywords`: the keywords of title
 *   and description as ` word word ` (spaces around every word, so `LIKE '% beach%'` is a word
 *   prefix). A table of its own rather than more `photos` columns: the search writes it apart from
 *   the grid's rows, and it cascades away with its photo.
 * - `search_results` / `search_queries`: the server's answer to each search run online (photo
 *   UIDs per normalised query), so a search seen online gives the server's own result offline.
 *
 * Existing caches have no facets until the next full index: forgetting `lastFullIndexAt` makes
 * the next refresh a full one; until then the offline search says which filters it cannot apply.
 * Indexes: year, camera and city are the filters people type most and are selective; the rest
 * is filtered after the view's own index (proven fast enough at 100k by test/bench/search.bench.ts).
 */
export function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE photo_facets (
      uid           TEXT PRIMARY KEY REFERENCES photos (uid) ON DELETE CASCADE,
      year          INTEGER NOT NULL,
      month         INTEGER NOT NULL,
      day           INTEGER NOT NULL,
      country       TEXT NOT NULL,
      state         TEXT NOT NULL,
      city          TEXT NOT NULL,
      camera_id     INTEGER NOT NULL,
      camera_name   TEXT NOT NULL,
      camera_model  TEXT NOT NULL,
      camera_slug   TEXT NOT NULL,
      lens_id       INTEGER NOT NULL,
      lens_name     TEXT NOT NULL,
      lens_model    TEXT NOT NULL,
      lens_slug     TEXT NOT NULL,
      faces         INTEGER NOT NULL,
      path          TEXT NOT NULL,
      name          TEXT NOT NULL,
      keywords      TEXT NOT NULL
    ) WITHOUT ROWID, STRICT;
    CREATE INDEX photo_facets_by_year ON photo_facets (year);
    CREATE INDEX photo_facets_by_camera ON photo_facets (camera_id);
    CREATE INDEX photo_facets_by_city ON photo_facets (city COLLATE NOCASE);

    CREATE TABLE search_queries (
      query         TEXT PRIMARY KEY,
      searched_at   TEXT NOT NULL,
      complete      INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE search_results (
      query         TEXT NOT NULL REFERENCES search_queries (query) ON DELETE CASCADE,
      uid           TEXT NOT NULL,
      PRIMARY KEY (query, uid)
    ) WITHOUT ROWID, STRICT;

    DELETE FROM library_meta WHERE key = 'lastFullIndexAt';
  `);
}
