import { mkdirSync, rmSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Statement } from 'better-sqlite3';
import { inTransaction, type WritableDb } from '../db/database';
import type { Logger } from '../log/logger';
import type { Clock } from '../platform/clock';
import type { ForegroundWork } from '../platform/foreground-work';

/**
 * How long index writes wait to be batched. The database fsyncs every commit
 * (main/db/database.ts), and a screen of tiles is dozens of gets and puts within a few hundred
 * ms: written one by one, each stalled main (and every thumbnail behind it) for an fsync.
 */
export const INDEX_FLUSH_DELAY_MS = 500;

/** A file being written: readers get these bytes until it is on disk. */
interface Writing {
  readonly blob: CachedBlob;
  readonly done: Promise<void>;
}

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
 *
 * [Note: No blocking file work on the thumbnail path]
 * Every tile of a screen is a read or a write here, on main's one event loop, which also answers
 * the other tiles and the grid's pages. Synchronous reads, writes, renames and mkdirs (and each
 * index commit's fsync) stalled all of them: in a profile of scrubber jumps under load they were
 * a third of main's time per thumbnail. So files are read and written with non-blocking calls, a
 * new entry is answered from memory while its file waits to be written (the request never waits
 * for the disk; the write starts once the screen's requests are quiet), a failed write (disk full,
 * folder gone) only costs the entry, and the index commit waits until the screen's requests are quiet
 * (`ForegroundWork.idle`).
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
  readonly #writing = new Map<string, Writing>();
  /** Every file write under way, also those whose entry went meanwhile (they still delete their temp file). */
  readonly #writes = new Set<Promise<void>>();
  /** Releases of the file writes waiting for a quiet screen (#writeWhenQuiet). */
  readonly #waitingForQuiet = new Set<() => void>();
  readonly #foreground: ForegroundWork | undefined;
  #cancelFlush: (() => void) | undefined;
  #tmpSeq = 0;

  constructor(options: {
    dir: string;
    db: WritableDb;
    budgetBytes: number;
    clock: Clock;
    log: Logger;
    /** The index commit waits for the screen's requests: see [Note: No blocking file work on the thumbnail path]. */
    foreground?: ForegroundWork;
  }) {
    this.#dir = options.dir;
    this.#log = options.log;
    this.#clock = options.clock;
    this.#foreground = options.foreground;
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

  /**
   * Whether the index holds the entry, without reading its file or marking it used (a file that
   * vanished still counts: `get` finds out; its file may still be on its way to disk). For work that
   * only fills the cache.
   */
  has(key: string): boolean {
    return this.#writing.has(key) || this.#pending.get(key)?.entry !== undefined || this.#get.get(key) !== undefined;
  }

  /** The entry, marking it used; undefined if absent (or its file vanished). */
  async get(key: string): Promise<CachedBlob | undefined> {
    const writing = this.#writing.get(key);
    if (writing) {
      this.#later(key, { ...this.#pending.get(key), lastUsedAt: this.#clock.now() });
      return writing.blob;
    }
    const pending = this.#pending.get(key);
    const contentType = pending?.entry?.contentType ?? (this.#get.get(key) as { content_type: string } | undefined)?.content_type;
    if (contentType === undefined) return undefined;
    let body: Buffer;
    try {
      body = await readFile(this.#path(key));
    } catch {
      // Written again meanwhile (a new file is on its way): that one counts, not this miss.
      if (!this.#writing.has(key)) this.#remove(key);
      return undefined;
    }
    this.#later(key, { ...this.#pending.get(key), lastUsedAt: this.#clock.now() });
    return { contentType, body };
  }

  /**
   * Store an entry, then evict down to the budget. Readers get it at once; its file is written
   * in the background (atomically: a temp file, then a rename), see
   * [Note: No blocking file work on the thumbnail path]. A write that fails drops the entry.
   */
  put(key: string, blob: CachedBlob): void {
    if (blob.body.length > this.#budgetBytes) return; // Would evict everything and still not fit.
    const previousBytes = this.#pending.get(key)?.entry?.bytes ?? (this.#bytesOf.get(key) as { bytes: number } | undefined)?.bytes ?? 0;
    this.#totalBytes += blob.body.length - previousBytes;
    this.#later(key, { lastUsedAt: this.#clock.now(), entry: { bytes: blob.body.length, contentType: blob.contentType } });
    const writing: Writing = { blob, done: this.#writeWhenQuiet(key, blob.body).then((ok) => this.#written(key, writing, ok)) };
    this.#writing.set(key, writing);
    this.#writes.add(writing.done);
    void writing.done.finally(() => this.#writes.delete(writing.done));
    this.#evict();
  }

  /** Resolves once every file write started so far has ended (tests; shutdown). */
  async settled(): Promise<void> {
    while (this.#writes.size > 0) await Promise.all([...this.#writes]);
  }

  /** Writes still waiting for a quiet screen are started at once (shutdown: quitting never waits for the screen). */
  #hurryWrites(): void {
    for (const release of this.#waitingForQuiet) release();
    this.#waitingForQuiet.clear();
  }

  /**
   * Write the file once the screen's requests are quiet (bounded: ForegroundWork.idle). The
   * write's open, write, close and rename were about a third of main's CPU per thumbnail after a
   * scrubber jump, spent while the rest of that screen's thumbnails waited; readers get the
   * bytes from memory meanwhile. See [Note: No blocking file work on the thumbnail path].
   */
  async #writeWhenQuiet(key: string, body: Buffer): Promise<boolean> {
    // Always after an await: put() registers the write just after starting it. dispose() may
    // release the wait early (#hurryWrites).
    let release: () => void = () => undefined;
    const hurried = new Promise<void>((resolve) => (release = resolve));
    this.#waitingForQuiet.add(release);
    try {
      await Promise.race([this.#foreground?.idle(), hurried]);
    } finally {
      this.#waitingForQuiet.delete(release);
    }
    // Evicted or replaced while it waited: nothing to write.
    if (this.#writing.get(key)?.blob.body !== body) return false;
    return this.#write(key, body);
  }

  /** Answers whether the file is on disk under its final name. */
  async #write(key: string, body: Buffer): Promise<boolean> {
    const path = this.#path(key);
    // Its own temp name: the same key may be written twice at once (an edit's new thumbnail).
    const tmp = `${path}.${(this.#tmpSeq++).toString(36)}.tmp`;
    try {
      await this.#writeFile(tmp, body);
      // Evicted (or replaced) while it was written: the temp file must not become an entry the index does not know.
      if (this.#writing.get(key)?.blob.body !== body) {
        await rm(tmp, { force: true });
        return false;
      }
      await rename(tmp, path);
      return true;
    } catch (error) {
      this.#log.warn('could not store a thumbnail in the disk cache', { error });
      await rm(tmp, { force: true }).catch(() => undefined);
      return false;
    }
  }

  #written(key: string, writing: Writing, ok: boolean): void {
    if (this.#writing.get(key) !== writing) return; // Replaced or removed meanwhile.
    this.#writing.delete(key);
    if (ok) return;
    try {
      this.#remove(key);
    } catch (error) {
      this.#log.warn('could not drop a thumbnail the disk cache failed to store', { error });
    }
  }

  /** Write a file, creating its folder once per run (a mkdir per thumbnail cost main). */
  async #writeFile(path: string, body: Buffer): Promise<void> {
    const folder = join(path, '..');
    if (!this.#folders.has(folder)) {
      await mkdir(folder, { recursive: true, mode: 0o700 });
      this.#folders.add(folder);
    }
    try {
      await writeFile(path, body, { mode: 0o600 });
    } catch (error) {
      // The folder was deleted behind our back (someone cleared the cache folder): make it again.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      await mkdir(folder, { recursive: true, mode: 0o700 });
      await writeFile(path, body, { mode: 0o600 });
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

  /** Let the file writes under way end, then commit what is pending; the cache stays usable (a later write schedules a new flush). */
  async dispose(): Promise<void> {
    while (this.#writes.size > 0) {
      this.#hurryWrites();
      await Promise.all([...this.#writes]);
    }
    this.flush();
  }

  #later(key: string, write: PendingWrite): void {
    this.#pending.set(key, write);
    this.#cancelFlush ??= this.#clock.setTimeout(() => {
      const flush = () => {
        try {
          this.flush();
        } catch (error) {
          this.#log.warn('could not write the thumbnail cache index', { error });
        }
      };
      // The commit's fsync waits for the screen's requests (bounded): see [Note: No blocking file work on the thumbnail path].
      if (this.#foreground) void this.#foreground.idle().then(flush);
      else flush();
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
    // A write still under way sees it is no longer wanted and deletes its temp file (#write).
    this.#writing.delete(key);
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
