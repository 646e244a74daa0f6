import type { Migration } from '../migrate';
import { up as libraryCache } from './0010-library-cache';
import { up as connectionAndMeta } from './0020-connection-and-meta';
import { up as thumbnailCache } from './0030-thumbnail-cache';
import { up as eventLog } from './0100-event-log';
import { up as eventGroups } from './0110-event-groups';
import { up as actionIntents } from './0130-action-intents';

/**
 * Every schema step of photoflare.db, in order. See [Note: One migration runner for the whole file].
 *
 * To add one: create `NNNN-kebab-name.ts` exporting `up(db)`, append it here with the next
 * multiple of 10, and add test/main/db/migration-NNNN.test.ts.
 */
export const MIGRATIONS: readonly Migration[] = [
  { version: 10, name: 'library-cache', up: libraryCache },
  { version: 20, name: 'connection-and-meta', up: connectionAndMeta },
  { version: 30, name: 'thumbnail-cache', up: thumbnailCache },
  // 0100+ belong to the event log and sync (see 0100-event-log.ts); the cache keeps 0010–0090.
  { version: 100, name: 'event-log', up: eventLog },
  { version: 110, name: 'event-groups', up: eventGroups },
  // 0130: kept apart from 0120 on purpose (parallel branches may add one); see the file.
  { version: 130, name: 'action-intents', up: actionIntents },
];
