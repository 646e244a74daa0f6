import type { WritableDb } from '../database';

/**
 * The action ledger becomes the offline queue: one durable, ordered table for every change not
 * yet settled with PhotoPrism. See [Note: The offline queue] in main/actions/offline-queue.ts.
 *
 * - `state`: 'sent' (the request went out, the answer is unclear: the rows 0130 wrote),
 *   'queued' (accepted offline, in the cache, not sent yet), 'conflict' (the server refused it
 *   when it was sent; kept with `reason` until the person dismisses it);
 * - `op`: the whole operation as JSON (what to send; validated on read), for queued rows;
 * - `summary`: what the person did, as Activity shows it; `reason`: why a conflict was refused.
 * Existing rows are 'sent', which is what they were.
 */
export function up(db: WritableDb): void {
  db.exec(`
    ALTER TABLE action_intents ADD COLUMN state TEXT NOT NULL DEFAULT 'sent' CHECK (state IN ('sent', 'queued', 'conflict'));
    ALTER TABLE action_intents ADD COLUMN op TEXT;
    ALTER TABLE action_intents ADD COLUMN summary TEXT;
    ALTER TABLE action_intents ADD COLUMN reason TEXT;
  `);
}
