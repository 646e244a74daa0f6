import { randomUUID } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { LocalAction, SyncEvent, type ActivityEntry, type EventOrigin, type EventStatus } from '../../shared/events/schema';
import type { WritableDb } from '../db/database';
import type { Logger } from '../log/logger';
import { describeEvent } from './describe';

/** An event as stored: its id (= CloudKit record name) and the synced payload. */
export interface StoredEvent {
  readonly seq: number;
  readonly id: string;
  readonly event: SyncEvent;
}

/** A record pulled from iCloud, before validation. */
export interface IncomingRecord {
  /** The CloudKit record name (our event id when another Photoflare device wrote it). */
  readonly id: string;
  /** What the record's fields decode to: `{event, data:{entities}}` if it is well-formed. */
  readonly payload: unknown;
}

export interface InsertRemoteResult {
  readonly inserted: readonly string[];
  readonly quarantined: readonly string[];
  /** Already in the log: our own events coming back, or a record seen before. */
  readonly known: readonly string[];
}

/** Raw payloads of quarantined records are kept for diagnosis, but never unbounded. */
const MAX_RAW_CHARS = 4096;

interface EventRow {
  seq: number;
  id: string;
  name: string;
  uids: string;
  origin: EventOrigin;
  status: EventStatus;
  created_at: number;
  action: string | null;
  detail: string | null;
  group_id: string | null;
}

/**
 * The local event log: an append-only record of curation events, local and remote.
 *
 * [Note: Event log and cache in one transaction]
 * better-sqlite3 is synchronous and nests transactions as savepoints, so the actions module
 * wraps "update the cache rows + append the event" in ONE transaction: both happen or neither
 * does. Every write here is its own transaction too, so a caller outside one is still atomic.
 *
 * Everything that enters is validated by the strict SyncEvent schema; nothing but event names
 * and UIDs is ever stored in the synced columns.
 */
export class EventLog {
  readonly #db: WritableDb;
  readonly #now: () => number;
  readonly #newId: () => string;
  readonly #log: Logger;
  readonly #listeners = new Set<(entries: readonly StoredEvent[]) => void>();
  readonly #insert: Statement;
  readonly #setStatus: Statement;

  constructor(options: { db: WritableDb; log: Logger; now?: () => number; newId?: () => string }) {
    this.#db = options.db;
    this.#log = options.log;
    this.#now = options.now ?? Date.now;
    this.#newId = options.newId ?? randomUUID;
    this.#insert = this.#db.prepare(
      `INSERT INTO events (id, name, uids, origin, status, created_at, updated_at, action, detail, raw, error, group_id)
       VALUES (@id, @name, @uids, @origin, @status, @now, @now, @action, @detail, @raw, @error, @groupId)
       ON CONFLICT (id) DO NOTHING`,
    );
    this.#setStatus = this.#db.prepare(`UPDATE events SET status = ?, updated_at = ? WHERE id = ? AND status = ?`);
  }

  /**
   * Append events for something the user just did.
   *
   * With iCloud Sync off they are stored `local-only` and will never be pushed, even if sync is
   * turned on later (the promise: off means nothing goes to iCloud).
   */
  appendLocal(
    events: readonly SyncEvent[],
    options: { syncEnabled: boolean; action?: LocalAction; detail?: string; groupId?: string },
  ): StoredEvent[] {
    const action = options.action === undefined ? null : LocalAction.parse(options.action);
    const stored = this.#db
      .transaction(() =>
        events.map((raw) => {
          const event = SyncEvent.parse(raw);
          const id = this.#newId();
          const info = this.#insert.run({
            id,
            name: event.event,
            uids: JSON.stringify(event.data.entities.map((e) => e.UID)),
            origin: 'local',
            status: options.syncEnabled ? 'pending' : 'local-only',
            now: this.#now(),
            action,
            detail: options.detail ?? null,
            raw: null,
            error: null,
            groupId: options.groupId ?? null,
          });
          return { seq: Number(info.lastInsertRowid), id, event };
        }),
      )
      .immediate();
    for (const listener of this.#listeners) listener(stored);
    return stored;
  }

  /**
   * Insert records pulled from iCloud. Unknown ids become `received`; ids already in the log
   * (our own events, or a record seen before) are skipped; records that fail the strict schema
   * are kept as `quarantined` and never applied. Runs inside the caller's transaction when there
   * is one, so the sync engine can commit the sync token together with these rows.
   */
  insertRemote(records: readonly IncomingRecord[]): InsertRemoteResult {
    const inserted: string[] = [];
    const quarantined: string[] = [];
    const known: string[] = [];
    this.#db.transaction(() => {
      for (const record of records) {
        const parsed = SyncEvent.safeParse(record.payload);
        const base = { id: record.id, origin: 'remote', now: this.#now(), action: null, detail: null, groupId: null };
        const info = parsed.success
          ? this.#insert.run({
              ...base,
              name: parsed.data.event,
              uids: JSON.stringify(parsed.data.data.entities.map((e) => e.UID)),
              status: 'received',
              raw: null,
              error: null,
            })
          : this.#insert.run({
              ...base,
              name: '?',
              uids: '[]',
              status: 'quarantined',
              raw: safeStringify(record.payload).slice(0, MAX_RAW_CHARS),
              error: parsed.error.issues
                .slice(0, 5)
                .map((i) => `${i.path.join('.') || '(record)'}: ${i.message}`)
                .join('; '),
            });
        if (info.changes === 0) known.push(record.id);
        else if (parsed.success) inserted.push(record.id);
        else {
          quarantined.push(record.id);
          this.#log.warn('quarantined a remote event that failed the schema', { id: record.id });
        }
      }
    })();
    return { inserted, quarantined, known };
  }

  /** The oldest pending local events, for the next push. */
  pending(limit: number): StoredEvent[] {
    return this.#rows(`SELECT * FROM events WHERE status = 'pending' ORDER BY seq LIMIT ?`, limit).map(toStored);
  }

  countPending(): number {
    return (this.#db.prepare(`SELECT count(*) AS n FROM events WHERE status = 'pending'`).get() as { n: number }).n;
  }

  /** How many events are in each status (diagnostics). */
  countByStatus(): Record<string, number> {
    const rows = this.#db.prepare(`SELECT status, count(*) AS n FROM events GROUP BY status ORDER BY status`).all() as {
      status: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  }

  markPushed(ids: readonly string[]): void {
    this.#transition(ids, 'pending', 'pushed');
  }

  /** Remote events waiting to be replayed, oldest first: a page of at most `limit`. */
  unapplied(limit = 10_000): StoredEvent[] {
    return this.#rows(`SELECT * FROM events WHERE status = 'received' ORDER BY seq LIMIT ?`, limit).map(toStored);
  }

  countUnapplied(): number {
    return (this.#db.prepare(`SELECT count(*) AS n FROM events WHERE status = 'received'`).get() as { n: number }).n;
  }

  /**
   * Give a pending event a fresh id (= record name), when iCloud already holds a DIFFERENT record
   * under its name: the event was never stored there, so it must be pushed again under a name of
   * its own. Answers the new id.
   */
  renamePending(id: string): string {
    const newId = this.#newId();
    this.#db.prepare(`UPDATE events SET id = ?, updated_at = ? WHERE id = ? AND status = 'pending'`).run(newId, this.#now(), id);
    return newId;
  }

  /** Record names of quarantined remote events (to be checked again by a newer app version). */
  quarantinedIds(): string[] {
    return (this.#db.prepare(`SELECT id FROM events WHERE status = 'quarantined' ORDER BY seq`).all() as { id: string }[]).map(
      (row) => row.id,
    );
  }

  /**
   * Validate quarantined records again (fetched anew from iCloud): those that now pass the strict
   * schema become `received`, ready to replay. Answers their ids.
   */
  requalify(records: readonly IncomingRecord[]): string[] {
    const update = this.#db.prepare(
      `UPDATE events SET name = ?, uids = ?, status = 'received', raw = NULL, error = NULL, updated_at = ? WHERE id = ? AND status = 'quarantined'`,
    );
    const requalified: string[] = [];
    this.#db.transaction(() => {
      for (const record of records) {
        const parsed = SyncEvent.safeParse(record.payload);
        if (!parsed.success) continue;
        const uids = JSON.stringify(parsed.data.data.entities.map((e) => e.UID));
        if (update.run(parsed.data.event, uids, this.#now(), record.id).changes > 0) requalified.push(record.id);
      }
    })();
    return requalified;
  }

  /**
   * Give received remote events the action this device saw their refresh make (see [Note: What
   * happened on another device]), for the Activity view. Local events are never touched.
   */
  describeRemote(descriptions: readonly { id: string; action: LocalAction | null; detail: string | null; groupId: string | null }[]): void {
    const update = this.#db.prepare(
      `UPDATE events SET action = ?, detail = ?, group_id = ? WHERE id = ? AND origin = 'remote' AND status = 'received'`,
    );
    this.#db.transaction(() => {
      for (const { id, action, detail, groupId } of descriptions)
        update.run(action === null ? null : LocalAction.parse(action), detail, groupId, id);
    })();
  }

  markApplied(ids: readonly string[]): void {
    this.#transition(ids, 'received', 'applied');
  }

  /** Is this id in the log (our own event, or a remote one seen before)? */
  has(id: string): boolean {
    return this.#db.prepare(`SELECT 1 FROM events WHERE id = ?`).get(id) !== undefined;
  }

  /** Newest first, for the Activity view. */
  recent(limit: number, beforeSeq?: number): ActivityEntry[] {
    const rows =
      beforeSeq === undefined
        ? this.#rows(`SELECT * FROM events ORDER BY seq DESC LIMIT ?`, limit)
        : this.#rows(`SELECT * FROM events WHERE seq < ? ORDER BY seq DESC LIMIT ?`, beforeSeq, limit);
    return rows.map((row) => {
      const event = row.status === 'quarantined' ? null : toStored(row).event;
      const action = row.action === null ? null : (LocalAction.safeParse(row.action).data ?? null);
      return {
        id: row.id,
        event,
        origin: row.origin,
        status: row.status,
        createdAt: row.created_at,
        summary: describeEvent({
          name: row.name,
          count: event ? event.data.entities.length : 0,
          origin: row.origin,
          action,
          detail: row.detail,
        }),
        groupId: row.group_id,
        companion: row.group_id !== null && action === null,
      };
    });
  }

  /** Events created before `cutoffMs` (epoch ms), for retention. */
  olderThan(cutoffMs: number, limit: number): Array<{ id: string; origin: EventOrigin; status: EventStatus }> {
    return this.#db
      .prepare(`SELECT id, origin, status FROM events WHERE created_at < ? ORDER BY created_at LIMIT ?`)
      .all(cutoffMs, limit) as Array<{ id: string; origin: EventOrigin; status: EventStatus }>;
  }

  /** Forget events entirely (after retention removed them from iCloud). */
  delete(ids: readonly string[]): void {
    const del = this.#db.prepare(`DELETE FROM events WHERE id = ?`);
    this.#db.transaction(() => ids.forEach((id) => del.run(id)))();
  }

  getMeta(key: string): string | undefined {
    const row = this.#db.prepare(`SELECT value FROM sync_meta WHERE key = ?`).get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string | undefined): void {
    if (value === undefined) this.#db.prepare(`DELETE FROM sync_meta WHERE key = ?`).run(key);
    else
      this.#db
        .prepare(`INSERT INTO sync_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`)
        .run(key, value);
  }

  /** Run `fn` in one transaction (nested calls become savepoints). */
  transaction<T>(fn: () => T): T {
    return this.#db.transaction(fn)();
  }

  /**
   * After an iCloud account switch: events waiting for the old account stay on this Mac only.
   * Never push one account's events to another. Returns how many were kept back.
   */
  demotePendingToLocalOnly(): number {
    return this.#db.prepare(`UPDATE events SET status = 'local-only', updated_at = ? WHERE status = 'pending'`).run(this.#now()).changes;
  }

  /** After the user deleted our iCloud data and chose to upload again: re-queue recent pushes. */
  requeuePushedSince(sinceMs: number): number {
    return this.#db
      .prepare(`UPDATE events SET status = 'pending', updated_at = ? WHERE status = 'pushed' AND created_at >= ?`)
      .run(this.#now(), sinceMs).changes;
  }

  /** Be told of local appends (the sync engine's debounce trigger, the Activity view). */
  onAppend(listener: (entries: readonly StoredEvent[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #transition(ids: readonly string[], from: EventStatus, to: EventStatus): void {
    const now = this.#now();
    this.#db.transaction(() => ids.forEach((id) => this.#setStatus.run(to, now, id, from)))();
  }

  #rows(sql: string, ...params: unknown[]): EventRow[] {
    return this.#db.prepare(sql).all(...params) as EventRow[];
  }
}

/** Rebuild the synced payload from a row; the row was validated on the way in. */
function toStored(row: EventRow): StoredEvent {
  const uids = JSON.parse(row.uids) as string[];
  return {
    seq: row.seq,
    id: row.id,
    event: SyncEvent.parse({ event: row.name, data: { entities: uids.map((UID) => ({ UID })) } }),
  };
}

function safeStringify(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
