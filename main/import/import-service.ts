import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../../shared/errors';
import { makeEvents } from '../../shared/events/schema';
import type { ImportFile, ImportFileState, ImportStatus } from '../../shared/import/schemas';
import type { EventLog } from '../eventlog/event-log';
import type { EventHub } from '../ipc/event-hub';
import type { LibraryService } from '../library/library-service';
import type { Logger } from '../log/logger';
import type { ConnectionService } from '../photoprism/connection-service';
import type { Clock } from '../platform/clock';
import { findMediaFiles, isImportable, MAX_IMPORT_FILES, type FoundFile } from './media-files';
import { multipartFile } from './multipart';
import { describeImportRefusal, describeUploadRefusal, skippedReason } from './upload-refusals';

/**
 * [Note: Uploads never block browsing]
 * At most UPLOAD_CONCURRENCY files are sent at once. The transport's connection pool holds 8
 * sockets per server (main/photoprism/transport.ts), so thumbnails, searches and actions always
 * have free sockets while an import runs; and each file is streamed from disk (never read into
 * memory), so a 4 GB video costs a 1 MB buffer.
 */
export const UPLOAD_CONCURRENCY = 2;
/** The speed shown is the bytes sent over this window. */
const SPEED_WINDOW_MS = 3000;
/** Progress events at most this often while bytes flow (state changes go out at once). */
const PROGRESS_INTERVAL_MS = 250;
/** PhotoPrism's search page size cap is 1,000 rows; hashes are asked in chunks well below it. */
const HASH_LOOKUP_CHUNK = 100;

interface Batch {
  readonly token: string;
  readonly albumUid: string | null;
  readonly entries: Entry[];
  finalizing: boolean;
  /** The import step and its announcement are over (the summary may be written). */
  done: boolean;
  /** See [Note: Duplicates are looked up while files are still sending]. */
  readonly lookups: DuplicateLookups;
}

/**
 * [Note: Duplicates are looked up while files are still sending]
 * Whether a file is already in the library must be known before the import step (afterwards
 * every sent file is there). Each file's hash is known once its last byte was read, so it is
 * asked then, while later files (and the server's answer to this one) are still on the way:
 * after the last upload only the import call and one look-up of its result remain, instead of
 * three round trips. Hashes go out in batches, one search at a time; a search that fails is
 * simply asked again before the import step, which fails the import if it fails again.
 */
interface DuplicateLookups {
  /** Hashes waiting to be asked. */
  readonly waiting: string[];
  /** Hashes asked (found or not). */
  readonly asked: Set<string>;
  /** What was on the server before the import step, by hash. */
  readonly found: Map<string, { uid: string; quality: number }>;
  /** The searches running now, if any. */
  running: Promise<void> | undefined;
}

/** A new batch for these files: its own upload token and duplicate look-ups (a retry gets one too). */
function newBatch(albumUid: string | null, entries: Entry[]): Batch {
  const lookups: DuplicateLookups = { waiting: [], asked: new Set(), found: new Map(), running: undefined };
  return { token: newToken(), albumUid, entries, finalizing: false, done: false, lookups };
}

interface Entry {
  readonly id: string;
  readonly name: string;
  readonly path: string;
  readonly sizeBytes: number;
  /** A copy the web shell's page handed over: deleted once it is no longer needed. */
  readonly staged: boolean;
  sentBytes: number;
  state: ImportFileState;
  message: string | null;
  hash: string | undefined;
  abort: AbortController | undefined;
  batch: Batch;
}

export interface ImportServiceOptions {
  readonly connection: Pick<ConnectionService, 'active' | 'reportFailure'>;
  readonly library: Pick<LibraryService, 'refreshByUid' | 'albums'>;
  readonly eventLog: Pick<EventLog, 'appendLocal'>;
  /** Whether new events go to iCloud (main/actions uses the same switch). */
  readonly syncEnabled: () => boolean;
  readonly events: EventHub;
  readonly log: Logger;
  /** Where the web shell keeps files the page handed over until they are sent. */
  readonly stagingDir: string;
  readonly clock?: Pick<Clock, 'now'>;
}

/**
 * Import: files and folders the person chose go to PhotoPrism's upload API, then PhotoPrism
 * imports them (into an album when one was chosen). See docs/photoprism-api.md §6.5:
 * - each file is one `POST /users/:uid/upload/:token` (so each has its own progress, cancel and
 *   retry), all files of one choice under one token;
 * - once no file of the choice is queued or sending, one `PUT` of that token starts the import;
 * - PhotoPrism does not say per file what it imported, so the file hashes (SHA-1, computed while
 *   sending) are looked up before and after: already there = duplicate, new = imported, absent =
 *   skipped (with the likely reason).
 * Then the cache refreshes those photos and the album, and the import is announced to other
 * devices as `photos.updated` (the new UIDs) and `albums.updated` (the album UID): UIDs only.
 */
export class ImportService {
  readonly #o: ImportServiceOptions;
  readonly #entries: Entry[] = [];
  readonly #sentLog: Array<{ atMs: number; bytes: number }> = [];
  #summary: string | null = null;
  #lastAlbum: string | null = null;
  #progressTimer: ReturnType<typeof setTimeout> | undefined;
  #disposed = false;

  constructor(options: ImportServiceOptions) {
    this.#o = options;
  }

  #now(): number {
    return this.#o.clock?.now() ?? Date.now();
  }

  /** Start importing what the person dropped or picked (files and folders, walked here). */
  async start(request: { paths: readonly string[]; albumUid: string | null }): Promise<ImportStatus> {
    const { files, unreadable } = await findMediaFiles(request.paths);
    if (files.length === 0 && unreadable.length === 0) {
      throw new AppError('validation', 'There are no photos or videos in what you chose.');
    }
    this.#enqueue(files, request.albumUid, false, unreadable);
    return this.status();
  }

  /**
   * Keep a file the web shell's page sends (it has no paths), streamed to disk; answers its id
   * for `startStaged`. See main/import/staging-route.ts.
   */
  async stage(name: string, body: Readable): Promise<string> {
    const id = randomUUID();
    const dir = join(this.#o.stagingDir, id);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // The name is the page's: only its last part is kept, so it cannot point out of the folder.
    const safe = basename(name.replace(/\\/g, '/')).replace(/^\.+/, '') || 'file';
    await pipeline(body, createWriteStream(join(dir, safe), { mode: 0o600 }));
    return id;
  }

  /** Import files the page staged (the web shell's drop and file picker). */
  async startStaged(request: { ids: readonly string[]; albumUid: string | null }): Promise<ImportStatus> {
    const files: FoundFile[] = [];
    for (const id of request.ids) {
      const dir = join(this.#o.stagingDir, id);
      // A staged folder holds the one file the page sent, under its own name.
      const names = await readdir(dir).catch(() => []);
      for (const name of names) {
        const info = await stat(join(dir, name)).catch(() => undefined);
        if (info?.isFile()) files.push({ path: join(dir, name), name, sizeBytes: info.size, unsupported: !isImportable(name) });
      }
    }
    if (files.length === 0) throw new AppError('validation', 'Those files are gone; choose them again.');
    this.#enqueue(files, request.albumUid, true, []);
    return this.status();
  }

  #enqueue(files: readonly FoundFile[], albumUid: string | null, staged: boolean, unreadable: readonly string[]): void {
    if (this.#entries.filter((e) => isActive(e.state)).length + files.length > MAX_IMPORT_FILES) {
      throw new AppError('validation', `One import takes at most ${MAX_IMPORT_FILES.toLocaleString('en')} files. Choose fewer.`);
    }
    if (!this.#entries.some((e) => isActive(e.state))) this.#summary = null;
    const batch = newBatch(albumUid, []);
    for (const file of files) {
      const entry: Entry = {
        id: randomUUID(),
        name: file.name,
        path: file.path,
        sizeBytes: file.sizeBytes,
        staged,
        sentBytes: 0,
        state: file.unsupported ? 'skipped' : 'queued',
        message: file.unsupported ? 'PhotoPrism does not import this type of file.' : null,
        hash: undefined,
        abort: undefined,
        batch,
      };
      batch.entries.push(entry);
      this.#entries.push(entry);
    }
    for (const name of unreadable) {
      this.#entries.push({
        id: randomUUID(),
        name,
        path: '',
        sizeBytes: 0,
        staged: false,
        sentBytes: 0,
        state: 'failed',
        message: 'Photoflare could not read this. Check that the file or folder is still there and that you may open it.',
        hash: undefined,
        abort: undefined,
        batch,
      });
    }
    this.#lastAlbum = albumUid;
    this.#pump();
    this.#emit();
  }

  status(): ImportStatus {
    const counted = this.#entries.filter((e) => e.state !== 'cancelled' && e.state !== 'skipped');
    return {
      files: this.#entries.map(toFile),
      totalBytes: counted.reduce((sum, e) => sum + e.sizeBytes, 0),
      sentBytes: counted.reduce((sum, e) => sum + e.sentBytes, 0),
      bytesPerSecond: this.#speed(),
      active: this.#running(),
      albumUid: this.#lastAlbum,
      summary: this.#summary,
    };
  }

  /** Cancel one file (queued or sending), or every file not yet sent. Sent files are still imported. */
  cancel(fileId?: string): ImportStatus {
    const targets = fileId === undefined ? this.#entries : this.#entries.filter((e) => e.id === fileId);
    if (fileId !== undefined && targets.length === 0) throw new AppError('not-found', 'That file is no longer in the import list.');
    for (const entry of targets) {
      if (entry.state === 'queued' || entry.state === 'failed') {
        entry.state = 'cancelled';
        entry.message = null;
        entry.sentBytes = 0;
        void this.#dropStaged(entry);
      } else if (entry.state === 'uploading') {
        entry.abort?.abort();
      }
    }
    for (const batch of new Set(targets.map((e) => e.batch))) this.#maybeFinalize(batch);
    this.#emit();
    return this.status();
  }

  /** Send a failed file again (in a new upload of its own, into the same album). */
  retry(fileId: string): ImportStatus {
    const entry = this.#entries.find((e) => e.id === fileId);
    if (!entry) throw new AppError('not-found', 'That file is no longer in the import list.');
    if (entry.state !== 'failed' || entry.path === '') throw new AppError('validation', 'Only a file that failed can be sent again.');
    const batch = newBatch(entry.batch.albumUid, [entry]);
    entry.batch = batch;
    entry.state = 'queued';
    entry.message = null;
    entry.sentBytes = 0;
    this.#summary = null;
    this.#pump();
    this.#emit();
    return this.status();
  }

  /** Forget finished files (the panel's Clear); running ones stay. */
  clear(): ImportStatus {
    for (let i = this.#entries.length - 1; i >= 0; i--) {
      const entry = this.#entries[i];
      if (entry && !isActive(entry.state)) {
        void this.#dropStaged(entry);
        this.#entries.splice(i, 1);
      }
    }
    if (this.#entries.length === 0) this.#summary = null;
    this.#emit();
    return this.status();
  }

  async dispose(): Promise<void> {
    this.#disposed = true;
    clearTimeout(this.#progressTimer);
    for (const entry of this.#entries) entry.abort?.abort();
    await rm(this.#o.stagingDir, { recursive: true, force: true }).catch(() => undefined);
  }

  #pump(): void {
    if (this.#disposed) return;
    let sending = this.#entries.filter((e) => e.state === 'uploading').length;
    for (const entry of this.#entries) {
      if (sending >= UPLOAD_CONCURRENCY) break;
      if (entry.state !== 'queued') continue;
      sending++;
      entry.state = 'uploading';
      void this.#upload(entry).finally(() => {
        this.#maybeFinalize(entry.batch);
        this.#pump();
        this.#emit();
      });
    }
  }

  async #upload(entry: Entry): Promise<void> {
    const abort = new AbortController();
    entry.abort = abort;
    entry.sentBytes = 0;
    try {
      const active = this.#o.connection.active();
      if (!active) throw new AppError('network', 'Photoflare is not connected to your PhotoPrism server. Reconnect, then retry.');
      const userUid = await this.#userUid(entry.batch);
      const size = await stat(entry.path).then((s) => s.size);
      if (size !== entry.sizeBytes) throw new AppError('validation', 'The file changed after you chose it. Retry to send it as it is now.');
      const part = multipartFile({
        path: entry.path,
        name: basename(entry.path),
        sizeBytes: entry.sizeBytes,
        onBytes: (bytes) => {
          entry.sentBytes += bytes;
          this.#sentLog.push({ atMs: this.#now(), bytes });
          this.#scheduleProgress();
        },
        onHashed: (sha1) => this.#askSoon(entry.batch, sha1),
      });
      const answer = await active.client.uploadUserFile(userUid, entry.batch.token, {
        contentType: part.contentType,
        lengthBytes: part.lengthBytes,
        open: () => part.open(),
        signal: abort.signal,
      });
      if (!answer.ok) {
        if (answer.status === 401) this.#o.connection.reportFailure(answer.appError);
        throw new AppError(answer.appError.kind, describeUploadRefusal(answer));
      }
      entry.hash = part.sha1();
      entry.state = 'uploaded';
      entry.message = null;
    } catch (error) {
      entry.sentBytes = 0;
      if (abort.signal.aborted) {
        entry.state = 'cancelled';
        entry.message = null;
        void this.#dropStaged(entry);
      } else {
        entry.state = 'failed';
        entry.message = error instanceof AppError ? error.message : 'The file could not be sent. Retry it.';
        if (!(error instanceof AppError)) this.#o.log.warn('upload failed', { error });
      }
    } finally {
      entry.abort = undefined;
    }
  }

  /** The signed-in user's UID (upload paths name it), asked once per batch. */
  async #userUid(batch: Batch & { userUid?: Promise<string> }): Promise<string> {
    const active = this.#o.connection.active();
    if (!active) throw new AppError('network', 'Photoflare is not connected to your PhotoPrism server.');
    batch.userUid ??= active.client.session().then((s) => {
      if (!s.userUid) throw new AppError('server', 'The server did not say which user you are, so it cannot take uploads.');
      return s.userUid;
    });
    try {
      return await batch.userUid;
    } catch (error) {
      delete batch.userUid;
      this.#o.connection.reportFailure(error);
      throw error;
    }
  }

  #maybeFinalize(batch: Batch): void {
    if (batch.finalizing) return;
    if (batch.entries.some((e) => e.state === 'queued' || e.state === 'uploading')) return;
    const sent = batch.entries.filter((e) => e.state === 'uploaded');
    if (sent.length === 0) {
      this.#finishSummary();
      return;
    }
    batch.finalizing = true;
    void this.#finalize(batch, sent).finally(() => {
      batch.done = true;
      this.#finishSummary();
      this.#emit();
    });
  }

  async #finalize(batch: Batch, sent: Entry[]): Promise<void> {
    for (const entry of sent) entry.state = 'importing';
    this.#emit();
    try {
      const active = this.#o.connection.active();
      if (!active) throw new AppError('network', 'Photoflare lost the connection to your PhotoPrism server before the import could start.');
      const userUid = await this.#userUid(batch);
      const hashes = sent.map((e) => e.hash).filter((h): h is string => h !== undefined);
      const before = await this.#foundBefore(batch, hashes);
      const answer = await active.client.processUserUpload(userUid, batch.token, batch.albumUid ? [batch.albumUid] : []);
      if (!answer.ok) {
        if (answer.status === 401) this.#o.connection.reportFailure(answer.appError);
        throw new AppError(answer.appError.kind, describeImportRefusal(answer));
      }
      const after = await this.#photosByHash(hashes);
      const created: string[] = [];
      const inAlbum: string[] = [];
      for (const entry of sent) {
        const found = entry.hash ? after.get(entry.hash) : undefined;
        if (entry.hash && before.has(entry.hash)) {
          entry.state = 'duplicate';
          entry.message = 'Already in your library (same file), so PhotoPrism did not import it again.';
        } else if (found) {
          // [Note: New imports may wait in Review] PhotoPrism scores every photo as it indexes it; below 3
          // (no capture date, no place, few megapixels: a screenshot, an image with its metadata
          // stripped) it is imported but shown in Review, not in the library (PhotoPrism
          // internal/entity/photo_quality.go, QualityScore; internal/entity/search/photos.go, `quality`).
          const inReview = found.quality >= 0 && found.quality < 3;
          entry.state = inReview ? 'in-review' : 'imported';
          entry.message = inReview
            ? 'Imported, and waiting in Review: PhotoPrism found no capture date or place in it. Approve it in Review to show it in the library.'
            : null;
          created.push(found.uid);
          inAlbum.push(found.uid);
        } else {
          entry.state = 'skipped';
          entry.message = skippedReason(entry.name);
        }
        void this.#dropStaged(entry);
      }
      // The server has them now: the import is over. The cache catches up behind it (the library
      // may be mid-refresh, and the panel should not wait for that).
      void this.#announce(created, batch.albumUid);
    } catch (error) {
      // The files are on the server but not imported: they wait in its upload folder. Sending them again is the way out.
      for (const entry of sent) {
        if (entry.state !== 'importing') continue;
        entry.state = 'failed';
        entry.sentBytes = 0;
        entry.message = error instanceof AppError ? error.message : 'PhotoPrism could not import the file. Retry it.';
      }
      if (!(error instanceof AppError)) this.#o.log.warn('import failed', { error });
    }
  }

  /**
   * Photos (UID and quality score) by file hash, for the hashes the server knows (docs/photoprism-api.md §2.1:
   * `uid` takes SHA-1 hashes). No `quality` is asked, so photos waiting in Review are found too.
   */
  async #photosByHash(hashes: readonly string[]): Promise<Map<string, { uid: string; quality: number }>> {
    const found = new Map<string, { uid: string; quality: number }>();
    const active = this.#o.connection.active();
    // Not "none found": that would call a duplicate new.
    if (!active) throw new AppError('network', 'Photoflare lost the connection to your PhotoPrism server during the import.');
    for (let i = 0; i < hashes.length; i += HASH_LOOKUP_CHUNK) {
      const chunk = hashes.slice(i, i + HASH_LOOKUP_CHUNK);
      const page = await active.client.searchPhotos({ uid: chunk.join('|'), count: chunk.length * 4, offset: 0 });
      for (const row of page.results) if (row.Hash && chunk.includes(row.Hash)) found.set(row.Hash, { uid: row.UID, quality: row.Quality });
    }
    return found;
  }

  /** Ask about this hash soon, while the upload goes on. See [Note: Duplicates are looked up while files are still sending]. */
  #askSoon(batch: Batch, hash: string): void {
    const lookups = batch.lookups;
    // Only the hashes that came in while a search ran wait here, so the list stays short.
    if (!lookups.asked.has(hash) && !lookups.waiting.includes(hash)) lookups.waiting.push(hash);
    // A failure here is not lost: #foundBefore asks those hashes again and fails the import if that fails too.
    lookups.running ??= this.#askWaiting(lookups).finally(() => (lookups.running = undefined));
    lookups.running.catch(() => undefined);
  }

  async #askWaiting(lookups: DuplicateLookups): Promise<void> {
    while (lookups.waiting.length > 0) {
      const chunk = lookups.waiting.splice(0, HASH_LOOKUP_CHUNK);
      const found = await this.#photosByHash(chunk);
      for (const hash of chunk) {
        lookups.asked.add(hash);
        const photo = found.get(hash);
        if (photo) lookups.found.set(hash, photo);
      }
    }
  }

  /** The photos these hashes had on the server before the import step: asked while sending, the rest now. */
  async #foundBefore(batch: Batch, hashes: readonly string[]): Promise<ReadonlyMap<string, { uid: string; quality: number }>> {
    const lookups = batch.lookups;
    // Let a search under way end (if it failed, its hashes are asked again below).
    await lookups.running?.catch(() => undefined);
    lookups.waiting.length = 0;
    lookups.waiting.push(...hashes.filter((hash) => !lookups.asked.has(hash)));
    await this.#askWaiting(lookups);
    return lookups.found;
  }

  /** Refresh the new photos and the album in the cache, then record the events (UIDs only). */
  async #announce(created: readonly string[], albumUid: string | null): Promise<void> {
    if (created.length === 0) return;
    // Recorded first, before the cache's refresh: the photos are on the server now, and a quit while
    // a slow server answers the refresh must not keep other devices from hearing of them.
    try {
      const events = [...makeEvents('photos.updated', created), ...(albumUid ? makeEvents('albums.updated', [albumUid]) : [])];
      this.#o.eventLog.appendLocal(events, {
        syncEnabled: this.#o.syncEnabled(),
        groupId: randomUUID(),
        detail: `import ${created.length}`,
      });
    } catch (error) {
      this.#o.log.error('could not record an import', { error });
    }
    try {
      await this.#o.library.refreshByUid([...created, ...(albumUid ? [albumUid] : [])]);
    } catch (error) {
      // The photos are on the server: the next refresh shows them.
      this.#o.log.warn('could not refresh imported photos', { error });
    }
    if (this.#disposed) return;
    this.#o.events.emit('library.changed', { uids: [], albums: true, full: true });
  }

  /** Files queued, sending or importing, or an import step still announcing its result. */
  #running(): boolean {
    return this.#entries.some((e) => isActive(e.state) || (e.batch.finalizing && !e.batch.done));
  }

  #finishSummary(): void {
    if (this.#disposed || this.#running()) return;
    const count = (state: ImportFileState) => this.#entries.filter((e) => e.state === state).length;
    const imported = count('imported') + count('in-review');
    let album: { title: string } | undefined;
    try {
      album = this.#lastAlbum ? this.#o.library.albums().find((a) => a.uid === this.#lastAlbum) : undefined;
    } catch {
      // The cache is closing or damaged: the summary goes without the album's title.
    }
    const parts = [`${imported} ${imported === 1 ? 'file' : 'files'} imported${album ? ` into “${album.title}”` : ''}`];
    // Photos waiting in Review were imported too; the summary says how many of them wait there.
    const inReview = count('in-review');
    if (inReview > 0)
      parts.push(inReview === imported ? (imported === 1 ? 'in Review' : 'all in Review') : `${inReview} of them in Review`);
    for (const [state, words] of [
      ['duplicate', 'already there'],
      ['skipped', 'skipped'],
      ['failed', 'failed'],
      ['cancelled', 'cancelled'],
    ] as const) {
      const n = count(state);
      if (n > 0) parts.push(`${n} ${words}`);
    }
    this.#summary = parts.join(', ');
  }

  #speed(): number {
    const cutoff = this.#now() - SPEED_WINDOW_MS;
    while (this.#sentLog.length > 0 && (this.#sentLog[0]?.atMs ?? 0) < cutoff) this.#sentLog.shift();
    if (!this.#entries.some((e) => e.state === 'uploading')) return 0;
    const bytes = this.#sentLog.reduce((sum, s) => sum + s.bytes, 0);
    return Math.round(bytes / (SPEED_WINDOW_MS / 1000));
  }

  #scheduleProgress(): void {
    if (this.#progressTimer !== undefined || this.#disposed) return;
    this.#progressTimer = setTimeout(() => {
      this.#progressTimer = undefined;
      this.#emit();
    }, PROGRESS_INTERVAL_MS);
  }

  #emit(): void {
    if (this.#disposed) return;
    this.#o.events.emit('import.progress', this.status());
  }

  async #dropStaged(entry: Entry): Promise<void> {
    if (!entry.staged) return;
    await rm(join(entry.path, '..'), { recursive: true, force: true }).catch(() => undefined);
  }
}

function isActive(state: ImportFileState): boolean {
  return state === 'queued' || state === 'uploading' || state === 'uploaded' || state === 'importing';
}

function toFile(entry: Entry): ImportFile {
  return {
    id: entry.id,
    name: entry.name,
    sizeBytes: entry.sizeBytes,
    sentBytes: entry.sentBytes,
    state: entry.state,
    message: entry.message,
  };
}

/** A fresh upload token: PhotoPrism keeps `clean.Token` characters (letters, digits, `-_.`). */
function newToken(): string {
  return randomUUID().replace(/-/g, '').slice(0, 16);
}
