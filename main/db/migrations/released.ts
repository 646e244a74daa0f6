/**
 * Schema versions that shipped in a release: installs in the wild may be at any of them.
 *
 * A migration below the highest of these would never run on those installs (see
 * [Note: One linear sequence of migrations] in main/db/migrate.ts). Add a version here when a
 * release ships it; until then a new migration only has to sit above this list, which is all
 * test/main/db/migration-sequence.test.ts asks.
 */
export const RELEASED_SCHEMA_VERSIONS: readonly number[] = [10, 20, 30, 100, 110];
