import type Database from 'better-sqlite3';
import { SyncEvent } from '../../shared/events/schema';
import type { Logger } from '../log/logger';
import { SYNC_META } from '../sync/sync-engine';
import type { WritableDb } from './database';

/** What was copied out of a damaged database into the new one. */
export interface SalvageCounts {
  /** Local changes not yet in iCloud (the outbox): the one thing that exists nowhere else. */
  readonly pending: number;
  /** Local changes made with sync off: the Activity history of this Mac. */
  readonly localOnly: number;
  /** Everything else readable: pushed local events, remote events (kept so retention and replay go on). */
  readonly otherEvents: number;
  /** Event rows that could not be read or failed validation. */
  readonly lostEvents: number;
  /** The PhotoPrism server and user name (the session token is in the secret store): no new sign-in. */
  readonly connection: boolean;
}

/**
 * Sync cursor entries that stay true whatever else was lost: the iCloud account (so events
 * waiting for one account are never pushed to another), pause, the person's "delete iCloud
 * data" choice, retention timing. The change tokens and `zoneReady` are NOT carried over: they
 * point after remote events we may have failed to salvage, and pulling the zone from the start
 * again is safe (known ids are skipped, the rest replay by refreshing from PhotoPrism).
 */
const TRUSTED_SYNC_META: readonly string[] = [
  SYNC_META.user,
  SYNC_META.paused,
  SYNC_META.zoneDeleted,
  SYNC_META.lastSyncedAt,
  SYNC_META.lastRetentionAt,
];

/** Most rows probed one by one when the table cannot be scanned (a damaged page in its b-tree). */
const MAX_PROBED_ROWS = 5_000_000;

interface EventRow {
  id: unknown;
  name: unknown;
  uids: unknown;
  origin: unknown;
  status: unknown;
  created_at: unknown;
  updated_at: unknown;
  action: unknown;
  detail: unknown;
  raw: unknown;
  error: unknown;
  group_id?: unknown;
}

const STATUSES_BY_ORIGIN: Record<string, readonly string[]> = {
  local: ['pending', 'pushed', 'local-only'],
  remote: ['received', 'applied', 'quarantined'],
};

/**
 * Copy what cannot be rebuilt from the server out of a damaged database `source` into the new,
 * migrated `target`: every readable event (with its group), the trusted sync cursor, and the
 * connection row. The library cache and the thumbnail index are not copied: the next connect
 * rebuilds them with a full index (library_meta is empty, so lastFullIndexAt reads as never).
 *
 * Every read is guarded: a damaged page makes a scan throw, so the table is then read row by
 * row and the unreadable rows counted as lost. Each row is validated as on the way in.
 */
export function salvageInto(source: Database.Database, target: WritableDb, log: Logger): SalvageCounts {
  const counts = { pending: 0, localOnly: 0, otherEvents: 0, lostEvents: 0, connection: false };
  const insertEvent = target.prepare(
    `INSERT INTO events (id, name, uids, origin, status, created_at, updated_at, action, detail, raw, error, group_id)
     VALUES (@id, @name, @uids, @origin, @status, @created_at, @updated_at, @action, @detail, @raw, @error, @group_id)
     ON CONFLICT (id) DO NOTHING`,
  );
  const { rows, lost } = readRows<EventRow>(source, 'events', 'seq', log);
  counts.lostEvents = lost;
  target.transaction(() => {
    for (const row of rows) {
      const clean = validEvent(row);
      if (!clean) {
        counts.lostEvents += 1;
        continue;
      }
      if (insertEvent.run(clean).changes === 0) continue;
      if (clean.status === 'pending') counts.pending += 1;
      else if (clean.status === 'local-only') counts.localOnly += 1;
      else counts.otherEvents += 1;
    }

    const setMeta = target.prepare(`INSERT OR REPLACE INTO sync_meta (key, value) VALUES (?, ?)`);
    for (const row of readRows<{ key: unknown; value: unknown }>(source, 'sync_meta', 'rowid', log).rows) {
      if (typeof row.key === 'string' && typeof row.value === 'string' && TRUSTED_SYNC_META.includes(row.key)) {
        setMeta.run(row.key, row.value);
      }
    }

    const connection = readRows<Record<string, unknown>>(source, 'connection', 'id', log).rows.find((row) => row['id'] === 1);
    if (connection && typeof connection['server_url'] === 'string' && typeof connection['user_name'] === 'string') {
      target
        .prepare(`INSERT INTO connection (id, server_url, user_name, server_version, trusted_fingerprint) VALUES (1, ?, ?, ?, ?)`)
        .run(
          connection['server_url'],
          connection['user_name'],
          textOrNull(connection['server_version']),
          textOrNull(connection['trusted_fingerprint']),
        );
      counts.connection = true;
    }
  })();
  return counts;
}

/** A row as the events table accepts it, or undefined when it does not hold up. */
function validEvent(row: EventRow): Record<string, unknown> | undefined {
  const { id, name, uids, origin, status, created_at: createdAt, updated_at: updatedAt } = row;
  if (typeof id !== 'string' || typeof name !== 'string' || typeof uids !== 'string') return undefined;
  if (typeof origin !== 'string' || typeof status !== 'string' || !STATUSES_BY_ORIGIN[origin]?.includes(status)) return undefined;
  if (typeof createdAt !== 'number' || !Number.isInteger(createdAt)) return undefined;
  if (status !== 'quarantined') {
    // The synced columns must still be exactly a valid event: a flipped byte must not travel.
    let parsedUids: unknown;
    try {
      parsedUids = JSON.parse(uids);
    } catch {
      return undefined;
    }
    if (!Array.isArray(parsedUids)) return undefined;
    const event = SyncEvent.safeParse({ event: name, data: { entities: parsedUids.map((UID: unknown) => ({ UID })) } });
    if (!event.success) return undefined;
  }
  return {
    id,
    name,
    uids,
    origin,
    status,
    created_at: createdAt,
    updated_at: typeof updatedAt === 'number' && Number.isInteger(updatedAt) ? updatedAt : createdAt,
    action: textOrNull(row.action),
    detail: textOrNull(row.detail),
    raw: textOrNull(row.raw),
    error: textOrNull(row.error),
    group_id: textOrNull(row.group_id),
  };
}

function textOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/**
 * Every readable row of `table`: one scan when the table is sound, else row by row by its
 * integer key up to the largest one (a damaged page then loses only its own rows).
 */
function readRows<T>(source: Database.Database, table: string, key: string, log: Logger): { rows: T[]; lost: number } {
  try {
    return { rows: source.prepare(`SELECT * FROM ${table} ORDER BY ${key}`).all() as T[], lost: 0 };
  } catch (error) {
    log.warn(`could not scan ${table} in the damaged database; reading it row by row`, { error });
  }
  let max: number;
  try {
    const value = (source.prepare(`SELECT max(${key}) AS n FROM ${table}`).get() as { n: unknown }).n;
    max = typeof value === 'number' ? Math.min(value, MAX_PROBED_ROWS) : 0;
  } catch {
    return { rows: [], lost: 0 };
  }
  const one = source.prepare(`SELECT * FROM ${table} WHERE ${key} = ?`);
  const rows: T[] = [];
  let lost = 0;
  for (let n = 1; n <= max; n += 1) {
    try {
      const row = one.get(n) as T | undefined;
      if (row) rows.push(row);
    } catch {
      lost += 1;
    }
  }
  return { rows, lost };
}
