import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Statement } from 'better-sqlite3';
import { inTransaction, type WritableDb } from '../db/database';
import type { Logger } from '../log/logger';
import type { Clock } from '../platform/clock';

/**
 * How long index writes wait to be batched. The database fsyncs every commit
 * (main/db/database.ts), and a screen of tiles is dozens of gets and puts within a few hundred
 * ms: written one by one, each stalled main (and every thumbnail behind it) for an fsync.
 */
export const INDEX_FLUSH_DELAY_MS = 500;

/** An index write not committed yet: a new entry (with its size) or only a newer last use. */
interface PendingWrite {
  readonly lastUsedAt: number;
  readonly entry?: { readonly bytes: number; readonly contentType: string };
}

/** A cached entry as read back. */
export interface CachedBlob {
  readonly contentType: string;
  readonly body: Buffer;
}

/**
 * An on-disk cache with a byte budget, evicting the least recently used entries first.
 *
 * Files live under `dir/<first two key chars>/<key>`; the index (size, last use) is the
 * `thumbnail_cache` table, so eviction is one indexed query rather than a folder scan. The disk
 * is the truth for content: an index row whose file vanished is dropped and fetched again.
 *
 * Index writes (new entries, last uses) are kept in memory and committed together after
 * `INDEX_FLUSH_DELAY_MS` (or at once when eviction needs the index, and on `dispose`). A crash
 * in that window loses only LRU order and leaves a few files the index does not count; the
 * same key fetched again overwrites its file.
 */
export class DiskLru {
  readonly #dir: string;
  readonly #log: Logger;
  readonly #clock: Clock;
  #budgetBytes: number;
  #totalBytes: number;
  readonly #get: Statement;
  readonly #touch: Statement;
  readonly #upsert: Statement;
  readonly #delete: Statement;
  readonly #oldest: Statement;
  readonly #bytesOf: Statement;
  readonly #db: WritableDb;
  readonly #pending = new Map<string, PendingWrite>();
  readonly #folders = new Set<string>();
  #cancelFlush: (() => void) | undefined;

  constructor(options: { dir: string; db: WritableDb; budgetBytes: number; clock: Clock; log: Logger }) {
    this.#dir = options.dir;
    this.#log = options.log;
    this.#clock = options.clock;
    this.#budgetBytes = options.budgetBytes;
    const db = options.db;
    this.#db = db;
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    this.#get = db.prepare('SELECT content_type FROM thumbnail_cache WHERE key = ?');
    this.#touch = db.prepare('UPDATE thumbnail_cache SET last_used_at = ? WHERE key = ?');
    this.#upsert = db.prepare(`
      INSERT INTO thumbnail_cache (key, bytes, content_type, last_used_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (key) DO UPDATE SET bytes = excluded.bytes, content_type = excluded.content_type,
        last_used_at = excluded.last_used_at`);
    this.#delete = db.prepare('DELETE FROM thumbnail_cache WHERE key = ? RETURNING bytes');
    this.#oldest = db.prepare('SELECT key FROM thumbnail_cache ORDER BY last_used_at ASC, key ASC LIMIT 64');
    this.#bytesOf = db.prepare('SELECT bytes FROM thumbnail_cache WHERE key = ?');
    const row = db.prepare('SELECT coalesce(sum(bytes), 0) AS total FROM thumbnail_cache').get() as { total: number };
    this.#totalBytes = row.total;
  }

  get totalBytes(): number {
    return this.#totalBytes;
  }

  /** Change the budget (Settings); evicts at once if the cache is now over it. */
  setBudgetBytes(budgetBytes: number): void {
    this.#budgetBytes = budgetBytes;
    this.#evict();
  }

  /** The entry, marking it used; undefined if absent (or its file vanished). */
  get(key: string): CachedBlob | undefined {
    const pending = this.#pending.get(key);
    const contentType = pending?.entry?.contentType ?? (this.#get.get(key) as { content_type: string } | undefined)?.content_type;
    if (contentType === undefined) return undefined;
    let body: Buffer;
    try {
      body = readFileSync(this.#path(key));
    } catch {
      this.#remove(key);
      return undefined;
    }
    this.#later(key, { ...pending, lastUsedAt: this.#clock.now() });
    return { contentType, body };
  }

  /** Store an entry (atomically on disk), then evict down to the budget. */
  put(key: string, blob: CachedBlob): void {
    if (blob.body.length > this.#budgetBytes) return; // Would evict everything and still not fit.
    const path = this.#path(key);
    const tmp = `${path}.tmp`;
    this.#writeFile(tmp, blob.body);
    renameSync(tmp, path);
    const previousBytes = this.#pending.get(key)?.entry?.bytes ?? (this.#bytesOf.get(key) as { bytes: number } | undefined)?.bytes ?? 0;
    this.#totalBytes += blob.body.length - previousBytes;
    this.#later(key, { lastUsedAt: this.#clock.now(), entry: { bytes: blob.body.length, contentType: blob.contentType } });
    this.#evict();
  }

  /** Write a file, creating its folder once per run (a blocking mkdir per thumbnail cost main). */
  #writeFile(path: string, body: Buffer): void {
    const folder = join(path, '..');
    if (!this.#folders.has(folder)) {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      this.#folders.add(folder);
    }
    try {
      writeFileSync(path, body, { mode: 0o600 });
    } catch (error) {
      // The folder was deleted behind our back (someone cleared the cache folder): make it again.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      writeFileSync(path, body, { mode: 0o600 });
    }
  }

  /** Commit the index writes kept in memory (see INDEX_FLUSH_DELAY_MS). */
  flush(): void {
    this.#cancelFlush?.();
    this.#cancelFlush = undefined;
    if (this.#pending.size === 0) return;
    const writes = [...this.#pending];
    this.#pending.clear();
    inTransaction(this.#db, () => {
      for (const [key, write] of writes) {
        if (write.entry) this.#upsert.run(key, write.entry.bytes, write.entry.contentType, write.lastUsedAt);
        else this.#touch.run(write.lastUsedAt, key);
      }
    });
  }

  /** Commit what is pending; the cache stays usable (a later write schedules a new flush). */
  dispose(): void {
    this.flush();
  }

  #later(key: string, write: PendingWrite): void {
    this.#pending.set(key, write);
    this.#cancelFlush ??= this.#clock.setTimeout(() => {
      this.#cancelFlush = undefined;
      try {
        this.flush();
      } catch (error) {
        this.#log.warn('could not write the thumbnail cache index', { error });
      }
    }, INDEX_FLUSH_DELAY_MS);
  }

  #evict(): void {
    // Eviction picks victims from the index: it must hold every entry and use first.
    if (this.#totalBytes > this.#budgetBytes) this.flush();
    while (this.#totalBytes > this.#budgetBytes) {
      const victims = this.#oldest.all() as { key: string }[];
      if (victims.length === 0) {
        this.#totalBytes = 0;
        return;
      }
      for (const { key } of victims) {
        this.#remove(key);
        if (this.#totalBytes <= this.#budgetBytes) break;
      }
    }
  }

  #remove(key: string): void {
    const pending = this.#pending.get(key);
    this.#pending.delete(key);
    if (pending?.entry) this.#totalBytes -= pending.entry.bytes;
    const row = this.#delete.get(key) as { bytes: number } | undefined;
    if (row) this.#totalBytes -= row.bytes;
    try {
      rmSync(this.#path(key), { force: true });
    } catch (error) {
      this.#log.warn('could not delete a cached thumbnail', { error });
    }
  }

  #path(key: string): string {
    // Keys are built from validated hashes and size names: no separators can reach here.
    return join(this.#dir, key.slice(0, 2), key);
  }
}
