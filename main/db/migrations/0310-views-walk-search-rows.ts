import type { WritableDb } from '../database';

/**
 * [Note: Views walk the search rows]
 * The flag views (Library, Favourites, Review, Private, Archive, Videos) page through
 * `photo_facets` instead of two flag indexes on `photos`. Since migration 0260 the search rows
 * carry every flag a view filters on and are clustered in grid order ([Note: Search rows in grid
 * order]), so `photos_by_archived_local` (every photo) and `photos_by_favorite_local` (every
 * photo again) were a third and a fourth copy of the grid order that every upsert had to keep:
 * about a quarter of the upsert CPU of rows in the index's order (newest first), about 40 % when
 * a page of rows lands all over them (test/bench/library.bench.ts, library.ingest_photos_per_s,
 * CPU time). A page of a view now walks the search rows from its month (the month summary says
 * where, migration 0200) and reads only its rows from `photos` by UID.
 *
 * The sparse views get small partial indexes in grid order, so a page of favourites or of the
 * archive never steps over the photos it does not show; each holds only the rows of its view,
 * so an upsert of an ordinary photo does not touch them. Review and Private are a few photos of
 * a library too, and their pages stay within the months the summary names.
 *
 * A view now shows a photo only through its search row: every photo written since 0260 has one
 * (LibraryRepo.upsertPhotos), and any photo that still lacks one gets an empty one here, as
 * 0260 gave them, so no cached photo drops out of its views.
 */
export function up(db: WritableDb): void {
  db.exec(`
    DROP INDEX photos_by_archived_local;
    DROP INDEX photos_by_favorite_local;
    CREATE INDEX photo_facets_favorites ON photo_facets (taken_at_local DESC, uid DESC) WHERE favorite = 1;
    CREATE INDEX photo_facets_archived ON photo_facets (taken_at_local DESC, uid DESC) WHERE archived = 1;

    INSERT INTO photo_facets (taken_at_local, uid, archived, favorite, private, quality, type, title, year, month, day, country, state,
        city, camera_id, camera_name, camera_model, camera_slug, lens_id, lens_name, lens_model, lens_slug, faces, path, name, keywords)
      SELECT p.taken_at_local, p.uid, p.archived, p.favorite, p.private, p.quality, p.type, p.title,
        0, 0, 0, '', '', '', 0, '', '', '', 0, '', '', '', 0, '', '', ''
      FROM photos p WHERE NOT EXISTS (SELECT 1 FROM photo_facets f WHERE f.uid = p.uid);
  `);
}
