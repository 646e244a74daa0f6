import type { WritableDb } from '../database';

/**
 * How long a video or Live photo plays, for the grid tiles' "0:42" (issue 13).
 *
 * `duration_ms` is PhotoPrism's `photo_duration` (Go's time.Duration, nanoseconds on the wire as
 * `Duration`, omitted when zero: PhotoPrism internal/entity/search/photos_results.go, Photo
 * `PhotoDuration`), kept in milliseconds. 0 = a still photo, or not known yet.
 *
 * Existing rows get 0 until the next full index brings the real values: forgetting
 * `lastFullIndexAt` makes the next refresh a full one (as migration 0120 does). Until then a
 * video tile shows its play badge without a time, nothing worse.
 */
export function up(db: WritableDb): void {
  db.exec(`
    ALTER TABLE photos ADD COLUMN duration_ms INTEGER NOT NULL DEFAULT 0 CHECK (duration_ms >= 0);
    DELETE FROM library_meta WHERE key = 'lastFullIndexAt';
  `);
}
