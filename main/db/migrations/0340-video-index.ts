import type { WritableDb } from '../database';

/**
 * The Videos view from an index of its own (issue 14 item 10). The sidebar counts the Videos
 * view (`browse.summary`) right after the first screen; without an index that count read every
 * cached photo, ~150 ms of main's one thread at 100k while the first screen's thumbnails waited
 * behind it. Like Favourites and Archive ([Note: Views walk the search rows] in
 * 0310-views-walk-search-rows.ts), Videos pages through the search rows: a partial index holds
 * the video rows only (a few per cent of a library), in grid order with the browse conditions'
 * columns, so the count, the month buckets and the pages read it alone; an image costs nothing.
 */
export function up(db: WritableDb): void {
  db.exec(`
    CREATE INDEX photo_facets_videos ON photo_facets (taken_at_local DESC, uid DESC, archived, private, quality) WHERE type = 'video';
  `);
}
