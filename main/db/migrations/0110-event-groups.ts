import type { WritableDb } from '../database';

/**
 * Events appended by one action share a group id, so the Activity view can show one line per
 * action ("Added 3 photos to “Trip”") with all of its events under it — an album edit appends
 * both `photos.updated` and `albums.updated`. Local only: the serializer never reads it.
 * Existing rows keep NULL (each its own group).
 */
export function up(db: WritableDb): void {
  db.exec(`ALTER TABLE events ADD COLUMN group_id TEXT`);
}
