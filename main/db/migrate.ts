import { AppError } from '../../shared/errors';
import type { Logger } from '../log/logger';
import type { WritableDb } from './database';

/**
 * One schema step. `version` is what `PRAGMA user_version` says after it ran.
 *
 * [Note: One linear sequence of migrations]
 * `PRAGMA user_version` is one counter for the whole file, and the runner applies only the steps
 * ABOVE it. So a new migration must take a version above every existing one (the next multiple
 * of 10 after the last): one slotted in below a released version would be skipped, silently and
 * forever, on every install already past it. test/main/db/migration-sequence.test.ts enforces
 * this against RELEASED_SCHEMA_VERSIONS (main/db/migrations/released.ts).
 *
 * `up` must only use the handle it is given; data backfills inside it must be idempotent (a
 * failed batch is rolled back and re-run whole).
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: WritableDb): void;
}

export interface MigrateOptions {
  readonly log: Logger;
  /** Stop at this version (tests migrate to N−10, insert fixtures, then migrate to N). */
  readonly targetVersion?: number;
}

/** What a migration run did, for logs and tests. */
export interface MigrateResult {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly number[];
}

/** The schema version stored in the database file. */
export function schemaVersion(db: WritableDb): number {
  const value = db.pragma('user_version', { simple: true });
  return typeof value === 'number' ? value : 0;
}

/**
 * Bring a database up to date with `migrations`.
 *
 * [Note: One migration runner for the whole file]
 * The library cache and the event log live in the same file and share this runner and its
 * version counter; each feature appends its migrations to main/db/migrations/index.ts.
 *
 * The runner refuses a list whose versions do not strictly increase (a merge mistake), refuses
 * a database newer than this code (a downgrade would silently corrupt it), applies every
 * pending step in ONE transaction (all or nothing), sets user_version, and runs PRAGMA optimize.
 */
export function migrate(db: WritableDb, migrations: readonly Migration[], options: MigrateOptions): MigrateResult {
  assertIncreasing(migrations);
  const latest = migrations.at(-1)?.version ?? 0;
  const target = options.targetVersion ?? latest;
  const from = schemaVersion(db);
  if (from > latest) {
    throw new AppError(
      'db',
      `This library database was written by a newer version of Photoflare (schema ${from}, this version knows ${latest}). Update Photoflare, or delete the database to rebuild the cache from your server.`,
    );
  }
  const pending = migrations.filter((m) => m.version > from && m.version <= target);
  if (pending.length === 0) return { from, to: from, applied: [] };

  db.transaction(() => {
    for (const migration of pending) {
      options.log.info(`updating schema to ${migration.version} (${migration.name})`);
      migration.up(db);
      // user_version cannot be bound as a parameter; the value is our own integer.
      db.pragma(`user_version = ${migration.version}`);
    }
  }).immediate();
  db.pragma('optimize');
  const to = schemaVersion(db);
  return { from, to, applied: pending.map((m) => m.version) };
}

function assertIncreasing(migrations: readonly Migration[]): void {
  let previous = 0;
  for (const migration of migrations) {
    if (!Number.isInteger(migration.version) || migration.version <= previous) {
      throw new Error(`Migration versions must strictly increase: ${migration.version} after ${previous}`);
    }
    previous = migration.version;
  }
}

/**
 * What is wrong with a migration list given the versions already released, as sentences (empty
 * = fine). Two rules, see [Note: One linear sequence of migrations]: every released version is
 * still in the list (an install at it must find its step), and every unreleased migration sits
 * above the highest released version (else installs past it skip the new step forever).
 */
export function migrationSequenceProblems(migrations: readonly Migration[], released: readonly number[]): string[] {
  const problems: string[] = [];
  const versions = new Set(migrations.map((m) => m.version));
  const highestReleased = Math.max(0, ...released);
  for (const version of released) {
    if (!versions.has(version)) problems.push(`released migration ${version} is missing from the list`);
  }
  const releasedSet = new Set(released);
  for (const migration of migrations) {
    if (!releasedSet.has(migration.version) && migration.version <= highestReleased) {
      problems.push(
        `migration ${migration.version} (${migration.name}) is below released version ${highestReleased}: installs already at ${highestReleased} would never run it; give it the next version above the last one`,
      );
    }
  }
  return problems;
}
