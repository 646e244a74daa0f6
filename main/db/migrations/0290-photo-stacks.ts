import type { WritableDb } from '../database';

/**
 * Photo stacks: how many versions (JPEGs) a stacked photo has, for the grid tile's stack badge
 * (issue 15). PhotoPrism shows an image with more than one JPEG as a stack (PhotoPrism
 * frontend/src/model/photo.js, isStack; the tile's `action-stack` icon in
 * frontend/src/component/photo/cards.vue). `stack_size` is that JPEG count when it is a stack,
 * 0 otherwise.
 *
 * Existing rows get 0 until the next full index brings the real values: forgetting
 * `lastFullIndexAt` makes the next refresh a full one (as migrations 0120 and 0150 do). Until
 * then a stack's tile shows no badge, nothing worse.
 */
export function up(db: WritableDb): void {
  db.exec(`
    ALTER TABLE photos ADD COLUMN stack_size INTEGER NOT NULL DEFAULT 0 CHECK (stack_size >= 0);
    DELETE FROM library_meta WHERE key = 'lastFullIndexAt';
  `);
}
