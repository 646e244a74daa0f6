import type { WritableDb } from '../database';

/**
 * The library cache: photos, albums and album membership, as last seen on the server.
 *
 * One row per PHOTO (the server pages file rows; main/library merges them). `taken_at` is a
 * normalised ISO string (millisecond precision, `Z`) so text order is time order. Every view the
 * grid shows is newest-first (`taken_at DESC, uid DESC`), and each has an index that returns
 * rows in that order without sorting (proven in test/main/db/query-plans.test.ts).
 */
export function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE photos (
      uid               TEXT PRIMARY KEY,
      title             TEXT NOT NULL,
      description       TEXT NOT NULL,
      taken_at          TEXT NOT NULL,
      width             INTEGER NOT NULL,
      height            INTEGER NOT NULL,
      type              TEXT NOT NULL,
      favorite          INTEGER NOT NULL CHECK (favorite IN (0, 1)),
      private           INTEGER NOT NULL CHECK (private IN (0, 1)),
      archived          INTEGER NOT NULL CHECK (archived IN (0, 1)),
      thumb_hash        TEXT NOT NULL,
      file_name         TEXT NOT NULL,
      file_size         INTEGER NOT NULL,
      camera_model      TEXT NOT NULL,
      lens_model        TEXT NOT NULL,
      iso               INTEGER NOT NULL,
      exposure          TEXT NOT NULL,
      f_number          REAL NOT NULL,
      focal_length      INTEGER NOT NULL,
      place_label       TEXT NOT NULL,
      lat               REAL NOT NULL,
      lng               REAL NOT NULL,
      server_updated_at TEXT NOT NULL
    ) STRICT;

    -- "All" (archived = 0) and "Archive" (archived = 1), newest first; also counts and months.
    CREATE INDEX photos_by_archived_taken ON photos (archived, taken_at DESC, uid DESC);
    -- "Favourites" (a partial index on favorite = 1 lost to the one above in the planner's
    -- estimates; two equality columns win).
    CREATE INDEX photos_by_favorite_taken ON photos (favorite, archived, taken_at DESC, uid DESC);
    -- Album covers are named by file hash.
    CREATE INDEX photos_by_thumb_hash ON photos (thumb_hash);

    CREATE TABLE albums (
      uid               TEXT PRIMARY KEY,
      title             TEXT NOT NULL,
      favorite          INTEGER NOT NULL CHECK (favorite IN (0, 1)),
      thumb_hash        TEXT NOT NULL,
      server_photo_count INTEGER NOT NULL,
      server_updated_at TEXT NOT NULL,
      -- The server's UpdatedAt when membership was last listed; NULL = never listed.
      members_seen_at   TEXT
    ) STRICT;

    CREATE TABLE album_photos (
      album_uid TEXT NOT NULL REFERENCES albums (uid) ON DELETE CASCADE,
      photo_uid TEXT NOT NULL REFERENCES photos (uid) ON DELETE CASCADE,
      PRIMARY KEY (album_uid, photo_uid)
    ) STRICT, WITHOUT ROWID;
    -- "Which albums is this photo in" (info panel) and the cascade from photos.
    CREATE INDEX album_photos_by_photo ON album_photos (photo_uid);
  `);
}
