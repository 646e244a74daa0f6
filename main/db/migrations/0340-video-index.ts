import type { WritableDb } from '../database';

/**
 * The Videos view from an index of its own (boot-paint, issue 14 item 10). The sidebar counts
 * the Videos view (`browse.summary`) right after the first screen; without an index that count
 * read every cached photo, ~150 ms of main's one thread at 100k while the first screen's
 * thumbnails waited behind it. A partial index holds the video rows only (a few per cent of a
 * library), in the grid's order with the browse conditions' columns, so the count and the
 * Videos pages read it alone; inserting an image costs nothing extra.
 */
export function up(db: WritableDb): void {
  db.exec(`
    CREATE INDEX photos_videos_local ON photos (archived, taken_at_local DESC, uid DESC, private, quality) WHERE type = 'video';
  `);
}
