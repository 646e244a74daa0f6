import type { WritableDb } from '../database';

/**
 * The browse pages' cache (People, Places, Labels, Calendar, Moments, Folders): each page's
 * items as last listed, and each item's photos as last opened, so the pages and the grids
 * behind them work offline. See main/library/browse-service.ts.
 */
export function up(db: WritableDb): void {
  db.exec(`
    -- When a page was last listed from the server (absent = never: nothing to show offline).
    CREATE TABLE browse_sections (
      section    TEXT PRIMARY KEY,
      fetched_at INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE browse_items (
      section     TEXT NOT NULL,
      item_key    TEXT NOT NULL,
      position    INTEGER NOT NULL,
      title       TEXT NOT NULL,
      subtitle    TEXT NOT NULL,
      group_title TEXT NOT NULL,
      -- The server's count (people, labels) or the number listed when opened; NULL = unknown.
      photo_count INTEGER,
      cover_hash  TEXT NOT NULL,
      -- The photo search that lists its photos, as JSON ({"subject":"j…"}, {"s":"a…"}).
      filter      TEXT NOT NULL,
      -- When its photos were last listed (epoch ms); NULL = never (cannot open offline).
      photos_fetched_at INTEGER,
      PRIMARY KEY (section, item_key)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE browse_photos (
      section   TEXT NOT NULL,
      item_key  TEXT NOT NULL,
      photo_uid TEXT NOT NULL REFERENCES photos (uid) ON DELETE CASCADE,
      PRIMARY KEY (section, item_key, photo_uid),
      FOREIGN KEY (section, item_key) REFERENCES browse_items (section, item_key) ON DELETE CASCADE
    ) STRICT, WITHOUT ROWID;
    -- The cascade from photos.
    CREATE INDEX browse_photos_by_photo ON browse_photos (photo_uid);
  `);
}
