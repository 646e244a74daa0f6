import type { WritableDb } from '../database';

/**
 * [Note: Search rows in grid order]
 * An offline search used to pick its photo UIDs from `photo_facets`, then look each one up in
 * `photos` for the view's flags and its time, then sort them all for a page, and again for the
 * total and the month buckets: ~1 s at 100k photos for `camera:EOS` (18k matches). Now
 * `photo_facets` also holds what a search needs from `photos` — the local time taken, the
 * flags the views filter on, the type and the title — and is clustered in grid order (primary
 * key `taken_at_local, uid`, WITHOUT ROWID). A search is then ONE walk of this one narrow table,
 * newest first, with no lookups and no sort: a page stops after its rows, the month buckets
 * read each row once.
 *
 * The copied columns follow `photos` by triggers in the same transaction (photos is the truth;
 * LibraryRepo.upsertPhotos writes a facets row from the photos row just written), so they cannot
 * drift; the uid index serves those triggers, the cascade from photos and album/browse joins.
 * The rebuild keeps every cached facet (no re-index needed).
 */
export function up(db: WritableDb): void {
  db.exec(`
    CREATE TABLE photo_facets_new (
      taken_at_local TEXT NOT NULL,
      uid           TEXT NOT NULL REFERENCES photos (uid) ON DELETE CASCADE,
      archived      INTEGER NOT NULL,
      favorite      INTEGER NOT NULL,
      private       INTEGER NOT NULL,
      quality       INTEGER NOT NULL,
      type          TEXT NOT NULL,
      title         TEXT NOT NULL,
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
      keywords      TEXT NOT NULL,
      PRIMARY KEY (taken_at_local DESC, uid DESC)
    ) WITHOUT ROWID, STRICT;

    INSERT INTO photo_facets_new
      SELECT p.taken_at_local, f.uid, p.archived, p.favorite, p.private, p.quality, p.type, p.title, f.year, f.month, f.day,
        f.country, f.state, f.city, f.camera_id, f.camera_name, f.camera_model, f.camera_slug, f.lens_id, f.lens_name,
        f.lens_model, f.lens_slug, f.faces, f.path, f.name, f.keywords
      FROM photo_facets f JOIN photos p ON p.uid = f.uid;

    -- Photos cached without facets get their search row too, with no facet values (see upsertPhotos).
    INSERT INTO photo_facets_new
      SELECT p.taken_at_local, p.uid, p.archived, p.favorite, p.private, p.quality, p.type, p.title,
        0, 0, 0, '', '', '', 0, '', '', '', 0, '', '', '', 0, '', '', ''
      FROM photos p WHERE p.uid NOT IN (SELECT uid FROM photo_facets);

    DROP TABLE photo_facets;
    ALTER TABLE photo_facets_new RENAME TO photo_facets;
    CREATE UNIQUE INDEX photo_facets_by_uid ON photo_facets (uid);

    -- Only when a copied column changed: re-indexing unchanged rows costs nothing here.
    CREATE TRIGGER photo_facets_follow_photo AFTER UPDATE OF taken_at_local, archived, favorite, private, quality, type, title ON photos
      WHEN OLD.taken_at_local IS NOT NEW.taken_at_local OR OLD.archived IS NOT NEW.archived OR OLD.favorite IS NOT NEW.favorite
        OR OLD.private IS NOT NEW.private OR OLD.quality IS NOT NEW.quality OR OLD.type IS NOT NEW.type OR OLD.title IS NOT NEW.title
    BEGIN
      UPDATE photo_facets SET taken_at_local = NEW.taken_at_local, archived = NEW.archived, favorite = NEW.favorite,
        private = NEW.private, quality = NEW.quality, type = NEW.type, title = NEW.title
        WHERE uid = NEW.uid;
    END;
  `);
}
