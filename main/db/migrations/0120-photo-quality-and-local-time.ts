import type { WritableDb } from '../database';

/**
 * What Library, Review and Private need from the cache, and local time.
 *
 * - `quality` (PhotoPrism's `photo_quality`): below 3 a photo waits in Review. The cache keeps
 *   EVERY photo the server lists to an admin (review and private ones included) with its
 *   quality and private flag, and each view filters locally, so every view browses offline and
 *   moving a photo between views (Approve, Make Private) is a row update, not a re-index.
 *   See [Note: What each view shows] in main/library/library-repo.ts.
 * - `taken_at_local`: the wall-clock time where the photo was taken, `YYYY-MM-DDTHH:MM:SS`
 *   (no zone). Month headers, the scrubber and the order follow it, as PhotoPrism's do;
 *   `taken_at` (UTC) stays for what needs the instant.
 *
 * Existing rows get quality 3 (shown, as before) and their UTC time as local time until the
 * next full index brings the real values: forgetting `lastFullIndexAt` makes the next refresh
 * a full one. The view indexes move to `taken_at_local` and carry `private` and `quality`, so
 * every view (Review and Private too) pages without sorting and counts from the index alone
 * (proven in test/main/db/query-plans.test.ts; partial indexes for Review and Private lost to
 * these in the planner once statistics exist).
 *
 * Numbered 120, above the event log's 0100–0110: the runner only applies versions above the
 * file's `user_version`, so a cache step numbered inside 0010–0090 would never run on a
 * database that already has the event log.
 */
export function up(db: WritableDb): void {
  db.exec(`
    ALTER TABLE photos ADD COLUMN taken_at_local TEXT NOT NULL DEFAULT '';
    ALTER TABLE photos ADD COLUMN quality INTEGER NOT NULL DEFAULT 3;
    UPDATE photos SET taken_at_local = substr(taken_at, 1, 19);

    DROP INDEX photos_by_archived_taken;
    DROP INDEX photos_by_favorite_taken;
    -- private and quality trail, so Library's totals and month buckets stay covering-index scans.
    CREATE INDEX photos_by_archived_local ON photos (archived, taken_at_local DESC, uid DESC, private, quality);
    CREATE INDEX photos_by_favorite_local ON photos (favorite, archived, taken_at_local DESC, uid DESC, private, quality);

    DELETE FROM library_meta WHERE key = 'lastFullIndexAt';
  `);
}
