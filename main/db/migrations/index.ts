import type { Migration } from '../migrate';
import { up as libraryCache } from './0010-library-cache';
import { up as connectionAndMeta } from './0020-connection-and-meta';
import { up as thumbnailCache } from './0030-thumbnail-cache';
import { up as eventLog } from './0100-event-log';
import { up as eventGroups } from './0110-event-groups';
import { up as photoQualityAndLocalTime } from './0120-photo-quality-and-local-time';
import { up as actionIntents } from './0130-action-intents';
import { up as offlineQueue } from './0140-offline-queue';
import { up as photoDuration } from './0150-photo-duration';
import { up as browseCache } from './0160-browse-cache';
import { up as searchFacets } from './0170-search-facets';
import { up as photoMonths } from './0200-photo-months';
import { up as searchRows } from './0260-search-rows';
import { up as photoStacks } from './0290-photo-stacks';
import { up as searchWords } from './0300-search-words';
import { up as viewsWalkSearchRows } from './0310-views-walk-search-rows';
import { up as videoIndex } from './0340-video-index';

/**
 * Every schema step of photoflare.db, in order. See [Note: One migration runner for the whole file].
 *
 * To add one: create `NNNN-kebab-name.ts` exporting `up(db)`, append it at the END with the next
 * multiple of 10 above the last entry (whatever feature it belongs to: cache and event log share
 * one counter), and add test/main/db/migration-NNNN.test.ts. Never insert one in between: see
 * [Note: One linear sequence of migrations] in main/db/migrate.ts.
 */
export const MIGRATIONS: readonly Migration[] = [
  { version: 10, name: 'library-cache', up: libraryCache },
  { version: 20, name: 'connection-and-meta', up: connectionAndMeta },
  { version: 30, name: 'thumbnail-cache', up: thumbnailCache },
  { version: 100, name: 'event-log', up: eventLog },
  { version: 110, name: 'event-groups', up: eventGroups },
  { version: 120, name: 'photo-quality-and-local-time', up: photoQualityAndLocalTime },
  { version: 130, name: 'action-intents', up: actionIntents },
  { version: 140, name: 'offline-queue', up: offlineQueue },
  { version: 150, name: 'photo-duration', up: photoDuration },
  { version: 160, name: 'browse-cache', up: browseCache },
  { version: 170, name: 'search-facets', up: searchFacets },
  { version: 200, name: 'photo-months', up: photoMonths },
  { version: 260, name: 'search-rows', up: searchRows },
  { version: 290, name: 'photo-stacks', up: photoStacks },
  { version: 300, name: 'search-words', up: searchWords },
  { version: 310, name: 'views-walk-search-rows', up: viewsWalkSearchRows },
  { version: 340, name: 'video-index', up: videoIndex },
];
