import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Statement } from 'better-sqlite3';
import type { WritableDb } from '../db/database';
import type { Logger } from '../log/logger';
import type { Clock } from '../platform/clock';

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

  constructor(options: { dir: string; db: WritableDb; budgetBytes: number; clock: Clock; log: Logger }) {
    this.#dir = options.dir;
    this.#log = options.log;
    this.#clock = options.clock;
    this.#budgetBytes = options.budgetBytes;
    const db = options.db;
    mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    this.#get = db.prepare('SELECT content_type FROM thumbnail_cache WHERE key = ?');
    this.#touch = db.prepare('UPDATE thumbnail_cache SET last_used_at = ? WHERE key = ?');
    this.#upsert = db.prepare(`
      INSERT INTO thumbnail_cache (key, bytes, content_type, last_used_at) VALUES (?, ?, ?, ?)
      ON CONFLICT (key) DO UPDATE SET bytes = excluded.bytes, content_type = excluded.content_type,
        last_used_at = excluded.last_used_at`);
    this.#delete = db.prepare('DELETE FROM thumbnail_cache WHERE key = ? RETURNING bytes');
    this.#oldest = db.prepare('SELECT key FROM thumbnail_cache ORDER BY last_used_at ASC, key ASC LIMIT 64');
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
    const row = this.#get.get(key) as { content_type: string } | undefined;
    if (!row) return undefined;
    let body: Buffer;
    try {
      body = readFileSync(this.#path(key));
    } catch {
      this.#remove(key);
      return undefined;
    }
    this.#touch.run(this.#clock.now(), key);
    return { contentType: row.content_type, body };
  }

  /** Store an entry (atomically on disk), then evict down to the budget. */
  put(key: string, blob: CachedBlob): void {
    if (blob.body.length > this.#budgetBytes) return; // Would evict everything and still not fit.
    const path = this.#path(key);
    mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
    const tmp = `${path}.tmp`;
    writeFileSync(tmp, blob.body, { mode: 0o600 });
    renameSync(tmp, path);
    const previous = this.#delete.get(key) as { bytes: number } | undefined;
    if (previous) this.#totalBytes -= previous.bytes;
    this.#upsert.run(key, blob.body.length, blob.contentType, this.#clock.now());
    this.#totalBytes += blob.body.length;
    this.#evict();
  }

  #evict(): void {
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
