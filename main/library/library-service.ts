import { AppError } from '../../shared/errors';
import { AlbumUid, PhotoUid } from '../../shared/ids';
import type {
  AlbumSummary,
  LibraryCounts,
  LibraryPage,
  LibraryQuery,
  LibraryView,
  MonthBucket,
  PhotoDetails,
  PhotoMetadata,
  PhotoSummary,
  SearchInfo,
  SearchSuggestions,
} from '../../shared/library/schemas';
import type { EventHub } from '../ipc/event-hub';
import type { Logger } from '../log/logger';
import { PhotoPrismHttpError, type PhotoPrismClient, type SearchParams } from '../photoprism/client';
import type { Clock } from '../platform/clock';
import type { ActiveConnection, ConnectionService } from '../photoprism/connection-service';
import { LiveEvents, type ChangeHint, type LiveEventsHandle, type LiveEventsOptions } from '../photoprism/live-events';
import type { PhotoDetailEntity, SearchAlbum, SearchPhoto } from '../photoprism/schemas';
import type { AlbumState, CacheSnapshot, PhotoState } from '../sync/remote-activity';
import type { LibraryRepo, PhotoRecord } from './library-repo';
import { hasFreeText, offlineSearch } from './offline-search';
import { RowMerger, thumbHashOf, toAlbumRecord, toPhotoMetadata, toPhotoRecord } from './photo-mapping';
import { SerialQueue } from '../platform/serial-queue';
import { allPages, forEachPage } from '../photoprism/paging';
import { runEach } from '../actions/batching';
import { ForegroundWork } from '../platform/foreground-work';

export interface LibraryServiceOptions {
  readonly repo: LibraryRepo;
  readonly connection: ConnectionService;
  readonly events: EventHub;
  readonly clock: Clock;
  readonly log: Logger;
  /** File rows per search request (docs/photoprism-api.md §2.1 `count`). */
  readonly pageSize?: number;
  /** UIDs per `uid=a|b|c` request in refreshByUid. */
  readonly uidBatchSize?: number;
  /** Incremental refresh period while online. */
  readonly refreshIntervalMs?: number;
  /** A refresh becomes a full index when the last one is older than this. */
  readonly fullIndexIntervalMs?: number;
  /** Server events are collected this long before one refreshByUid. */
  readonly hintDebounceMs?: number;
  /** The live-events socket; null disables it. */
  readonly createLiveEvents?: ((options: LiveEventsOptions) => LiveEventsHandle) | null;
  /** Requests for the screen, which the full index yields to (shared with thumbnails; see [Note: Background work yields to what is on screen]). */
  readonly foreground?: ForegroundWork;
  /**
   * The window's own calls and page files, which main's thread answers (compose's dispatch, the
   * web shell's requests): the search index build waits for them too (see [Note: The search
   * index build waits for the window]).
   */
  readonly screenCalls?: ForegroundWork;
  /**
   * The Library's first live page of a first index is here: the thumbnail hashes of its photos,
   * newest first (see [Note: The first screen's thumbnails go first]).
   */
  readonly onFirstLivePage?: (hashes: readonly string[]) => void;
}

/** What refreshByUid found, per UID. */
export interface RefreshByUidResult {
  /** Photos whose cached rows changed (new, edited, flags, archived). */
  readonly changed: readonly string[];
  /** Photos the server reports archived. */
  readonly archived: readonly string[];
  /** Photos gone from the server, removed from the cache. */
  readonly removed: readonly string[];
  /** Photos the server has neither active nor archived (also those an action holds, which stay cached). */
  readonly absent: readonly string[];
  /** Albums refreshed (or removed). */
  readonly albums: readonly string[];
  /** UIDs that are neither photo nor album UIDs (ignored). */
  readonly skipped: readonly string[];
}

/** Above this many changed UIDs, `library.changed` says "everything" instead of listing them. */
const MAX_LISTED_CHANGES = 500;
/**
 * The first page of a full index: the newest photos, which are the first screen (a 27-inch
 * window at the smallest zoom shows about 150 tiles). Asking for 200 instead of 1,000 gets them
 * to the screen in a fraction of the time: the server, the wire and our upsert all scale with
 * the page; the rest of the index then goes on in full pages.
 */
const FIRST_SCREEN_PAGE = 200;
/**
 * [Note: Index writes in batches]
 * A full index writes its pages a few at a time, about this many photos per transaction. Each
 * commit writes every database page it dirtied to the WAL, and rows arriving newest first land
 * at random places in the UID and hash indexes: a transaction of 1,000 photos dirtied most of
 * their leaf pages, so at 100k photos every commit wrote them all again (about 600 MB of WAL for
 * one first index, and commits were a quarter of its SQLite time). Each page is mapped as it
 * arrives; the batch is written in one synchronous transaction (one flush holds the main process
 * for a few times a page's write, far below a second), so no action's write can interleave with
 * it, and whether an action holds a photo is decided when it is written. The first screen's page
 * is written at once, and so is what arrived when the index is about to wait for a busy screen
 * or stops on a failure. Nothing marks a page done before it is written: the progress counts
 * written photos, and the index's end (lastFullIndexAt) comes after the last write.
 */
export const INDEX_WRITE_ROWS = 4000;
/**
 * Pages a full index asks for ahead: a write batch's worth (see [Note: Reading ahead]), and at
 * most 4, so small pages do not put dozens of requests (and as many past the end) on the server.
 */
function indexReadAheadPages(pageSize: number): number {
  return Math.min(4, Math.ceil(INDEX_WRITE_ROWS / pageSize));
}
/** The grid's page (renderer/lib/grid/page-cache.ts, PageCache's pageSize): its first live page is asked for ahead. */
const GRID_PAGE = 200;
/** Paging a search for someone waiting on it (a search, a browse page, a refresh by UID). */
const FOREGROUND = { background: false } as const;
/** Album member listings asked at once (see [Note: Album members are listed side by side]): a few, the server's other work goes on. */
const ALBUM_LISTINGS_AT_ONCE = 4;
/** Overlap for the `updated` query, covering clock skew between us and the server. */
const UPDATED_MARGIN_MS = 10 * 60 * 1000;
/** How many recently shown UIDs the incremental refresh re-checks. */
const MAX_VISIBLE_UIDS = 3000;

/**
 * The library cache: what the renderer browses (always from SQLite, online or not) and how it
 * is kept in step with the server.
 *
 * [Note: Keeping the cache in step]
 * PhotoPrism has no change feed (docs/photoprism-api.md §8.5): `updated` misses favourite/private/archive changes
 * and the WebSocket drops events. So:
 * - full index: page every photo (active, then archived), every album and its members; photos
 *   not seen are confirmed gone by UID before they are removed (paging is not a snapshot). Runs
 *   on first sign-in, on "Refresh", and when the last one is older than `fullIndexIntervalMs`;
 * - incremental (on start, on a timer, after every socket reconnect): photos `updated` since the
 *   last refresh, a full diff of the visible range (refreshByUid on what the grid showed last),
 *   and albums whose UpdatedAt or photo count moved;
 * - refreshByUid: socket hints and the sync engine's replay, in `uid=a|b|c` batches.
 * Only one of these talks to the server at a time (a promise chain), and every write is one
 * transaction per page.
 *
 * [Note: A refresh never undoes a newer action]
 * Curation actions run in their own queue and write the cache themselves. A refresh whose
 * request went out before an action and whose answer is written after it would put the old
 * state back, and nothing would correct it until that item is refreshed again. So actions report
 * every UID they committed (`noteLocalChanges`), and a refresh skips writing any photo or album
 * changed locally since its run began: the action's state is newer than the answer. Runs are
 * serialised, so "since the run began" is one set, emptied when each run starts. A skipped item
 * is only left as the action wrote it, and remembered: once nothing holds it any more (the run
 * ended, the queued action was sent or cancelled) it is refreshed again. Without that, what ELSE
 * changed on the server meanwhile (another device made the photo private, added a photo to the
 * album) stayed out of the cache for good: the event that named it had been applied.
 */
/**
 * How long after start a cache without its search index waits before building it: the first
 * screen's own work comes first (a build step holds the main process for up to a few hundred ms).
 */
const SEARCH_INDEX_START_DELAY_MS = 5_000;

/**
 * How long each step of that build waits for a quiet screen before it runs anyway. Far longer
 * than other background work's 2 s: nothing waits for the index (searches walk the cached rows
 * until it is ready, with the same answers), while a step holds main's thread 170–440 ms at 100k
 * photos, which a scrub of many jumps in a row felt at every step.
 */
const SEARCH_INDEX_MAX_WAIT_MS = 60_000;

export class LibraryService {
  readonly #o: Required<Omit<LibraryServiceOptions, 'createLiveEvents' | 'foreground' | 'screenCalls' | 'onFirstLivePage'>> &
    Pick<LibraryServiceOptions, 'createLiveEvents' | 'onFirstLivePage'>;
  readonly #foreground: ForegroundWork;
  readonly #screenCalls: ForegroundWork;
  /** A search index build is under way (#buildSearchIndex). */
  #searchIndexBuilding = false;
  /** Cancels the build that start() scheduled. */
  #cancelSearchIndexStart: (() => void) | undefined;
  readonly #repo: LibraryRepo;
  readonly #log: Logger;
  readonly #serial = new SerialQueue();
  #refreshing: Promise<void> | undefined;
  #fullRequested = false;
  #cancelTimer: (() => void) | undefined;
  #live: LiveEventsHandle | undefined;
  #visible: string[] = [];
  #hintPhotos = new Set<string>();
  #hintAlbums = new Set<string>();
  #cancelHint: (() => void) | undefined;
  #unsubscribe: (() => void) | undefined;
  #disposed = false;
  /** UIDs an action committed since the current server run began. */
  #changedLocally = new Set<string>();
  /** Rows the server says a full index will list (its config's counts), or null if it did not say. */
  #serverTotal: number | null = null;
  /** Photos PhotoPrism's Library page lists (its config's `count.all`), or null if it did not say. */
  #serverLibraryCount: number | null = null;
  /** UIDs a queued action holds (see `holdWhilePending`). */
  #pending: (uid: string) => boolean = () => false;
  /** UIDs a refresh skipped because an action held them: refreshed again once free. */
  #deferred = new Set<string>();
  /** The Library's first live page, asked for ahead of the grid; used once (see [Note: The first live page goes first]). */
  #firstLiveRows: Promise<SearchPhoto[]> | undefined;

  constructor(options: LibraryServiceOptions) {
    this.#o = {
      pageSize: 1000,
      uidBatchSize: 100,
      refreshIntervalMs: 5 * 60 * 1000,
      fullIndexIntervalMs: 60 * 60 * 1000,
      hintDebounceMs: 500,
      ...options,
    };
    this.#repo = options.repo;
    this.#log = options.log;
    this.#foreground = options.foreground ?? new ForegroundWork({ clock: options.clock });
    this.#screenCalls = options.screenCalls ?? new ForegroundWork({ clock: options.clock });
  }

  /** Follow the connection: refresh and listen for server events whenever it is online. */
  start(): void {
    // A first index stopped midway (a crash, a quit) left its bulk-load indexes dropped: see [Note:
    // A first index builds the hash index at its end]. Nothing to do when they are there. Without
    // them every answer is the same, only covers and a photo's search row are found more slowly: a
    // failure (a full disk) is said, not fatal.
    try {
      this.#repo.buildBulkLoadIndexes();
    } catch (error) {
      this.#log.warn('could not build the thumbnail-hash and search-row indexes; covers and edits are slower until the next start', {
        error,
      });
    }
    this.#unsubscribe = this.#o.connection.onChange((status, previous) => {
      if (status.state === 'online' && (previous.state !== 'online' || previous.serverUrl !== status.serverUrl)) this.#onOnline();
      if (status.state !== 'online') this.#onNotOnline();
    });
    if (this.#o.connection.status().state === 'online') this.#onOnline();
    // A complete cache from before the search index (or one whose build was cut short) gets it
    // once the first screen is up; a first index builds it when it ends.
    if (this.#repo.getMeta('lastFullIndexAt') !== undefined && !this.#repo.searchIndexReady()) {
      this.#cancelSearchIndexStart = this.#o.clock.setTimeout(() => this.#buildSearchIndex(), SEARCH_INDEX_START_DELAY_MS);
    }
  }

  /**
   * Build the search index a step at a time, each in a quiet moment after the screen's own
   * requests ([Note: Search by index]); a full index that starts meanwhile pauses it, and its
   * end resumes it. Searches walk the cache until it is ready, with the same answers.
   *
   * [Note: The search index build waits for the window]
   * A step holds main's one thread: at 100k photos about 50 ms of CPU for a batch of words and
   * 170–440 ms for one of the indexes (28 steps, 3.3 s in all, measured on a bench profile).
   * Waiting for thumbnail fetches alone was not enough: a window that opens right after a first
   * index (a reload, a second window) loads its files, makes its boot call and reads its first
   * thumbnails from disk, none of which is a server request, so the build ran step after step
   * in front of them and the first screen took seconds to paint (test/bench/grid.bench.ts,
   * grid.first_paint_100k_ms: main's CPU during the paint went from ~0.5 s to ~3 s). Each step
   * now also waits until the window's calls and files have been quiet for a moment (bounded, as
   * every `idle()`); the full index does not wait for them: it has its own pace ([Note:
   * Background work yields to what is on screen]).
   */
  #buildSearchIndex(): void {
    if (this.#disposed || this.#searchIndexBuilding || this.#repo.searchIndexReady()) return;
    this.#searchIndexBuilding = true;
    void (async () => {
      try {
        for (;;) {
          // A macrotask between steps: IPC and network events run between them. Then the quiet
          // checks, right before the step: a request that came in that macrotask is seen.
          await new Promise<void>((resolve) => setImmediate(resolve));
          await this.#foreground.idle(SEARCH_INDEX_MAX_WAIT_MS);
          await this.#screenCalls.idle(SEARCH_INDEX_MAX_WAIT_MS);
          if (this.#disposed || this.#repo.bulkWriting || this.#repo.buildSearchIndexStep()) return;
        }
      } catch (error) {
        this.#log.warn('could not build the search index; searches walk the cache instead', { error });
      } finally {
        this.#searchIndexBuilding = false;
      }
    })();
  }

  dispose(): void {
    this.#disposed = true;
    this.#cancelSearchIndexStart?.();
    this.#unsubscribe?.();
    this.#onNotOnline();
  }

  // --- reads (the cache; the Library live while a first index arrives) ------------------------

  counts(): LibraryCounts {
    const counts = this.#repo.counts();
    // The Library's grid is the server's while the first index arrives: so is its count.
    const live = this.#liveLibraryCount();
    return live === null ? counts : { ...counts, all: live };
  }

  albums(): AlbumSummary[] {
    return this.#repo.albums();
  }

  query(request: LibraryQuery): LibraryPage {
    const page = this.#repo.query(request.view, request.q, request.offset, request.limit);
    this.#noteVisible(page.photos);
    return page;
  }

  months(view: LibraryView, q: string): MonthBucket[] {
    const months = this.#repo.months(view, q);
    // Served live: the cached months are the newest ones, the oldest of them perhaps only partly
    // downloaded. Its photos go under no header rather than a wrong one until the index is complete.
    return this.#liveSource(view, q) ? months.slice(0, -1) : months;
  }

  /**
   * A page of a view for the grid: the cache's, or while the first index is still arriving, the
   * server's own for the Library (see [Note: Live pages during the first index]). A live page the
   * server cannot give is answered from the cache, and the failure goes to the connection status
   * (offline: the banner says that the rest of the library needs the server).
   */
  async page(request: LibraryQuery): Promise<LibraryPage> {
    const active = this.#liveSource(request.view, request.q);
    if (!active) return this.query(request);
    try {
      return await this.#livePage(active, request.offset, request.limit);
    } catch (error) {
      this.#log.info('a live Library page failed; answering from the cache', { error });
      this.#o.connection.reportFailure(error);
      return this.query(request);
    }
  }

  /**
   * Run a search so `query` can page it. Online: PhotoPrism answers with its own rules and data,
   * and the answer is kept (see [Note: Search online, then offline]); a server that cannot be
   * asked leaves the cache to answer, saying what it could not apply.
   */
  async search(view: LibraryView, q: string): Promise<SearchInfo> {
    const text = q.trim();
    const local = offlineSearch(text);
    const base = { searchedAt: null, offline: false, unsupported: [], wordsPartial: false, error: null };
    if (text === '') return { ...base, source: 'cache' };
    if (local.error !== null) {
      return { ...base, source: 'cache', error: `PhotoPrism does not know this filter (${local.error}). Check the spelling.` };
    }
    const active = this.#o.connection.active();
    if (active) {
      try {
        const uids: string[] = [];
        // Everything an admin may see except archived photos, as PhotoPrism's search lists by
        // default; the Archive view asks for archived ones. The view's own conditions apply locally.
        const params: SearchParams = { q: text, merged: true, ...(view.kind === 'archive' ? { archived: true } : {}) };
        await this.#pagePhotos(active.client, params, this.#o.pageSize, FOREGROUND, (rows) => {
          for (const row of rows) uids.push(row.UID);
        });
        const searchedAt = new Date(this.#o.clock.now()).toISOString();
        this.#repo.saveServerSearch(view, text, uids, searchedAt, true);
        return { ...base, source: 'server', searchedAt };
      } catch (error) {
        if (error instanceof PhotoPrismHttpError && error.status === 400) {
          return { ...base, source: 'cache', error: 'PhotoPrism could not run this search. Check the filters.' };
        }
        this.#log.info('search on the server failed; answering from the cache', { error });
        this.#o.connection.reportFailure(error);
      }
    }
    const searchedAt = this.#repo.serverSearchedAt(view, text);
    if (searchedAt !== undefined) return { ...base, source: 'server', searchedAt, offline: true };
    return { ...base, source: 'cache', offline: true, unsupported: local.unsupported, wordsPartial: hasFreeText(text) };
  }

  /** What the search field suggests while typing. */
  searchSuggestions(): SearchSuggestions {
    return { ...this.#repo.searchSuggestions(), albums: this.#repo.albums().map((a) => a.title) };
  }

  /** The hash of a cached photo's primary file (what its thumbnails and a download of it fetch); undefined: not cached. */
  primaryFileHash(uid: string): string | undefined {
    return this.#repo.thumbHash(uid);
  }

  details(uid: PhotoUid): PhotoDetails {
    const details = this.#repo.details(uid);
    if (!details) throw new AppError('not-found', 'This photo is not in the library (it may have been deleted on the server).');
    return details;
  }

  /** Files, keywords and labels from the server (PhotoPrism GET /api/v1/photos/:uid); not cached. */
  async metadata(uid: PhotoUid): Promise<PhotoMetadata> {
    const active = this.#o.connection.active();
    if (!active) throw new AppError('network', 'Files, keywords and labels come from the server, which is not reachable now.');
    let entity: PhotoDetailEntity;
    try {
      entity = await active.client.photo(uid);
    } catch (error) {
      this.#o.connection.reportFailure(error);
      throw error;
    }
    return toPhotoMetadata(entity);
  }

  // --- refresh ---------------------------------------------------------------------------

  /**
   * Bring the cache up to date. Concurrent calls share one run; a 'full' request made while an
   * incremental one runs is done right after. Never throws: failures go to the connection
   * status (offline, needs sign-in, lastError).
   */
  refresh(kind: 'full' | 'incremental' = 'incremental'): Promise<void> {
    if (kind === 'full') this.#fullRequested = true;
    if (!this.#refreshing) {
      this.#refreshing = this.#exclusive(() => this.#runRefreshes()).finally(() => {
        this.#refreshing = undefined;
        this.#scheduleTimer();
      });
    }
    return this.#refreshing;
  }

  /**
   * The cached state of some photos (flags, review quality, albums) and albums (title), for the
   * sync engine to tell what a remote event's refresh changed (see [Note: What happened on
   * another device] in main/sync/remote-activity.ts).
   */
  cacheSnapshot(photoUids: readonly string[], albumUids: readonly string[]): CacheSnapshot {
    const memberships = this.#repo.albumsOfPhotos(photoUids);
    const photos = new Map<string, PhotoState>();
    const albums = new Map<string, AlbumState>();
    for (const [uid, photo] of this.#repo.photosByUid(photoUids)) {
      const memberOf = memberships.get(uid) ?? [];
      photos.set(uid, {
        favorite: photo.favorite,
        private: photo.private,
        archived: photo.archived,
        quality: photo.quality,
        albumUids: memberOf,
      });
      for (const albumUid of memberOf) if (!albums.has(albumUid)) this.#snapshotAlbum(albums, albumUid);
    }
    for (const uid of albumUids) this.#snapshotAlbum(albums, uid);
    return { photos, albums };
  }

  #snapshotAlbum(into: Map<string, AlbumState>, uid: string): void {
    const album = this.#repo.albumByUid(uid);
    if (album) into.set(uid, { title: album.title });
  }

  /**
   * Refresh these UIDs from the server (photo and album UIDs may be mixed), in batches.
   * Archived on the server → marked archived; gone → removed; albums re-list their members.
   * Rejects with a kinded AppError when not online, so the sync engine can retry later.
   */
  async refreshByUid(uids: readonly string[]): Promise<RefreshByUidResult> {
    const active = this.#o.connection.active();
    if (!active) throw this.#notOnline();
    return this.#exclusive(async () => {
      try {
        return await this.#refreshUids(active.client, uids);
      } catch (error) {
        this.#o.connection.reportFailure(error);
        throw error;
      }
    });
  }

  /**
   * List every photo of a search into the cache (a browse item: a person, a month, a folder)
   * and answer their UIDs in the server's order. Runs in the refresh queue, so it never
   * interleaves with a refresh, and rejects with a kinded AppError when not online.
   */
  async listPhotos(params: SearchParams): Promise<string[]> {
    const active = this.#o.connection.active();
    if (!active) throw this.#notOnline();
    return this.#exclusive(async () => {
      const uids: string[] = [];
      const changed: string[] = [];
      const seen = new Set<string>();
      try {
        await this.#pagePhotos(active.client, { ...params, merged: true, order: 'newest' }, this.#o.pageSize, FOREGROUND, (rows) => {
          changed.push(...this.#store(rows, false, seen));
          for (const row of rows) uids.push(row.UID);
        });
      } catch (error) {
        this.#o.connection.reportFailure(error);
        throw error;
      }
      this.#emitChanged(changed, false);
      return [...new Set(uids)];
    });
  }

  /**
   * Photos were restored: re-list the albums whose members moved on the server. Archiving hides a
   * photo in every album and album listings leave archived photos out, so the cache has no
   * membership for an archived photo; once restored it is back in whichever albums the server
   * has it in (added while archived, or put back by an undo). Rejects like `refreshByUid`.
   */
  async relistAlbums(): Promise<void> {
    const active = this.#o.connection.active();
    if (!active) throw this.#notOnline();
    return this.#exclusive(async () => {
      try {
        await this.#syncAlbums(active.client, 'changed', new Set());
      } catch (error) {
        this.#o.connection.reportFailure(error);
        throw error;
      }
    });
  }

  /**
   * An action committed these photo/album UIDs: the running refresh (asked before) must not
   * overwrite them. See [Note: A refresh never undoes a newer action].
   */
  noteLocalChanges(uids: Iterable<string>): void {
    for (const uid of uids) this.#changedLocally.add(uid);
  }

  /**
   * Photos and albums named by an action waiting in the offline queue: the cache shows the
   * change, the server does not have it yet, so no refresh may write them until it is sent.
   * See [Note: The offline queue] in main/actions/offline-queue.ts.
   */
  holdWhilePending(isPending: (uid: string) => boolean): void {
    this.#pending = isPending;
  }

  /**
   * What `holdWhilePending` answers changed (a queued action was sent, cancelled or refused):
   * refresh the items a refresh skipped while they were held. See [Note: A refresh never undoes a newer action].
   */
  holdsChanged(): void {
    this.#refreshDeferred();
  }

  // --- internals ---------------------------------------------------------------------------

  /**
   * Not changed by an action since this run asked the server, and not waiting in the offline
   * queue. An item that is not writable is remembered, to be refreshed again once it is.
   */
  #writable = (uid: string): boolean => {
    if (!this.#changedLocally.has(uid) && !this.#pending(uid)) return true;
    this.#deferred.add(uid);
    return false;
  };

  /** Refresh the skipped items nothing holds any more (in the queue, after what runs). Never throws. */
  #refreshDeferred(): void {
    if (this.#disposed || this.#deferred.size === 0 || !this.#o.connection.active()) return;
    const free = [...this.#deferred].filter((uid) => !this.#pending(uid));
    if (free.length === 0) return;
    for (const uid of free) this.#deferred.delete(uid);
    this.refreshByUid(free).catch((error: unknown) => {
      // Offline again: kept for the next time a run ends online.
      for (const uid of free) this.#deferred.add(uid);
      this.#log.info('could not refresh items an action held; trying again later', { error });
    });
  }

  /**
   * [Note: Live pages during the first index]
   * A first index of 100k photos takes many seconds, and the cache fills newest first: a jump far
   * down the Library would wait on grey tiles until the index got there. So until the first full
   * index has completed, the Library's grid pages (no search) come from PhotoPrism itself, as its
   * own web UI pages them: the same search the Library page runs (`public` and `quality=3` as the
   * Private and Review features ask; PhotoPrism frontend/src/page/photos.vue, its filter in data()) in the
   * grid's order (`order=newest`, taken time newest first), with `primary=true` so each photo is
   * exactly one row and a grid index is a server offset (PhotoPrism internal/entity/search/photos.go,
   * searchPhotos: "Find primary files only?"; without it rows are files, docs/photoprism-api.md §2.4).
   * Its size is the config's `count.all` (schemas.ts, LibraryAllCount). The rows are also written
   * to the cache like any index page (thumbnails, the viewer and actions find them there); a live
   * page does not wait in the refresh queue (that is the point), and its writes skip what an action
   * holds like every refresh's (see [Note: A refresh never undoes a newer action]).
   * Other views, and a search, read the cache as always. Once the index is complete (or the
   * server is lost), one `library.changed` makes the grid read the cache again.
   */
  #liveSource(view: LibraryView, q: string): ActiveConnection | undefined {
    if (view.kind !== 'all' || q.trim() !== '' || this.#liveLibraryCount() === null) return undefined;
    return this.#o.connection.active();
  }

  /*
   * [Note: The first live page goes first]
   * On a first run the screen's first page and the index's first page both leave right after the
   * config, and a server answers in arrival order: the grid's page used to leave second (a round
   * trip through the renderer after `library.changed`), so a loaded server answered the index
   * first (the first-run bench's timeline: seconds before the first screen under load). So the
   * refresh asks for the grid's first page (offset 0, the grid's page size) itself, before it
   * tells the grid and before the index's first page, and the grid's first read of that place is
   * answered with it, once; later reads ask the server again.
   */

  /** Whether the Library's grid is read from the server (a first index still arriving; see [Note: Live pages during the first index]). */
  get servedLive(): boolean {
    return this.#liveLibraryCount() !== null;
  }

  /** The Library's size on the server while its grid is served live, else null. */
  #liveLibraryCount(): number | null {
    if (this.#serverLibraryCount === null || this.#disposed || !this.#o.connection.active()) return null;
    return Number(this.#repo.getMeta('lastFullIndexAt') ?? 0) > 0 ? null : this.#serverLibraryCount;
  }

  /** A Library page from the server, in the grid's order; see [Note: Live pages during the first index]. */
  async #livePage(active: ActiveConnection, offset: number, limit: number): Promise<LibraryPage> {
    const ahead = this.#firstLiveRows;
    let rows: SearchPhoto[];
    if (ahead && offset === 0 && limit <= GRID_PAGE) {
      this.#firstLiveRows = undefined;
      rows = (await ahead).slice(0, limit);
    } else {
      rows = await this.#foreground.run(() => this.#liveRows(active, offset, limit));
    }
    this.#store(rows, false, new Set());
    // Read back from the cache: a photo an action changed meanwhile shows the action's state.
    const cached = this.#repo.photoSummaries(rows.map((row) => row.UID));
    const photos = rows.flatMap((row) => cached.get(row.UID) ?? []);
    const end = offset + photos.length;
    // A short page is the end of the listing, whatever the config counted.
    const total = rows.length < limit ? end : Math.max(end, this.#serverLibraryCount ?? end);
    this.#noteVisible(photos);
    return { total, offset, photos };
  }

  /** Rows of a Library page from the server, in the grid's order. */
  async #liveRows(active: ActiveConnection, offset: number, limit: number): Promise<SearchPhoto[]> {
    const features = this.#repo.features();
    const page = await active.client.searchPhotos({
      merged: true,
      primary: true,
      order: 'newest',
      count: limit,
      offset,
      ...(features.private ? { public: true } : {}),
      ...(features.review ? { quality: 3 } : {}),
    });
    this.#o.connection.notePreviewToken(page.previewToken);
    return page.results.slice(0, limit);
  }

  /** What the user looks at is what the next incremental refresh diffs in full (docs/photoprism-api.md §8.5). */
  #noteVisible(photos: readonly PhotoSummary[]): void {
    const uids = photos.map((p) => p.uid);
    // A Set: every grid page comes through here, and `includes` over a page for each of the
    // 3,000 kept UIDs was 600,000 string compares on main for every page a scrubber jump asked for.
    const fresh = new Set(uids);
    this.#visible = [...uids, ...this.#visible.filter((uid) => !fresh.has(uid))].slice(0, MAX_VISIBLE_UIDS);
  }

  #notOnline(): AppError {
    const state = this.#o.connection.status().state;
    return state === 'offline'
      ? new AppError('network', 'The PhotoPrism server cannot be reached right now; the library shows what was cached.')
      : new AppError('auth', 'Sign in to PhotoPrism to refresh the library.');
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const start = (): Promise<T> => {
      // Changes noted before this run asks anything are already what the server will answer.
      this.#changedLocally = new Set();
      return fn();
    };
    const run = this.#serial.run(start);
    // What this run skipped for an action (committed while it ran) is read again right after.
    void this.#serial.run(() => this.#refreshDeferred());
    return run;
  }

  async #runRefreshes(): Promise<void> {
    do {
      const active = this.#o.connection.active();
      if (!active || this.#disposed) {
        this.#fullRequested = false;
        return;
      }
      const lastFull = Number(this.#repo.getMeta('lastFullIndexAt') ?? 0);
      const full = this.#fullRequested || !(lastFull > 0) || this.#o.clock.now() - lastFull >= this.#o.fullIndexIntervalMs;
      this.#fullRequested = false;
      let servedLive = false;
      try {
        await this.#refreshFeatures(active);
        servedLive = full && this.#liveLibraryCount() !== null;
        if (servedLive) {
          // See [Note: The first live page goes first]. Not counted as foreground work: the index
          // waits for it here anyway, and a quiet moment after it would only wait on the clock.
          const ahead = this.#liveRows(active, 0, GRID_PAGE).then((rows) => {
            // Before the index asks anything more: see [Note: The first screen's thumbnails go first].
            this.#o.onFirstLivePage?.(rows.map((row) => thumbHashOf(row)));
            return rows;
          });
          this.#firstLiveRows = ahead;
          // The grid reads its Library pages from the server from now on: see [Note: Live pages during the first index].
          this.#o.events.emit('library.changed', { uids: [], albums: false, full: true });
          // A page that failed says so to the grid that reads it; the index then tries the server itself.
          await ahead.catch(() => undefined);
        }
        if (full) {
          // A first index writes every photo: without the search index, built after it (see
          // [Note: Search by index]); a later one writes only what changed, which keeps it.
          // Likewise the thumbnail-hash and search-row uid indexes, built once its photos are in
          // (see [Note: A first index builds the hash index at its end]).
          if (!(lastFull > 0)) {
            this.#repo.dropSearchIndex();
            this.#repo.dropBulkLoadIndexes();
          }
          await this.#repo.bulkWrites(() => this.#fullIndex(active, servedLive));
          // Unread by now, it is old: the grid reads the cache from here on.
          this.#firstLiveRows = undefined;
          // Statistics for the planner now that the library's shape is known (~50 ms at 100k).
          this.#repo.analyze();
        } else await this.#incremental(active);
        if (this.#disposed) return;
        const now = this.#o.clock.now();
        this.#repo.setMeta('lastRefreshedAt', String(now));
        if (full) this.#repo.setMeta('lastFullIndexAt', String(now));
        this.#o.connection.setLibraryProgress({ indexing: null, lastRefreshedAt: now });
        // The index is complete: the cache is the source again, for every view.
        if (servedLive) this.#o.events.emit('library.changed', { uids: [], albums: true, full: true });
        this.#buildSearchIndex();
      } catch (error) {
        // A first page asked ahead and never read is old by the next run.
        this.#firstLiveRows = undefined;
        if (this.#disposed) return;
        this.#log.warn('library refresh failed', { full, error });
        this.#o.connection.setLibraryProgress({ indexing: null });
        this.#o.connection.reportFailure(error);
        // Offline now, the grid shows what the cache has (a first index cut short: part of the library).
        if (servedLive) this.#o.events.emit('library.changed', { uids: [], albums: true, full: true });
        return;
      }
    } while (this.#fullRequested);
  }

  /**
   * Read the server's feature switches (what Library, Review and Private show; see [Note: What
   * each view shows]) and keep them in the cache, so the views stay the same offline. A config
   * we cannot read keeps the last known switches: the photos are what matter in this refresh.
   */
  async #refreshFeatures(active: ActiveConnection): Promise<void> {
    let features;
    let devices;
    try {
      // Right after a sign-in, its answer's config: one round trip less before the first page.
      const config = this.#o.connection.takeSignInLibraryConfig() ?? (await active.client.libraryFeatures());
      ({ features, total: this.#serverTotal, all: this.#serverLibraryCount, devices } = config);
    } catch (error) {
      this.#log.warn('could not read the server’s feature switches; keeping the last known ones', { error });
      return;
    }
    if (this.#disposed) return;
    // The inspector's camera and lens menus read this copy while offline.
    if (devices) this.#repo.setDeviceLists(devices);
    // Views change shape (Review appears, Library grows): the renderer re-reads everything.
    if (this.#repo.setFeatures(features)) this.#o.events.emit('library.changed', { uids: [], albums: true, full: true });
  }

  /**
   * Page every photo and album into the cache. `servedLive`: the Library's grid reads the server
   * meanwhile, so the pages arriving here are not announced one by one (each would make the grid
   * fetch its live pages again); the run announces the complete cache at its end.
   */
  async #fullIndex(active: ActiveConnection, servedLive: boolean): Promise<void> {
    const client = active.client;
    const seen = new Set<string>();
    const before = this.#repo.counts();
    // The server's own count when it sent one (a first index would otherwise read "N of N").
    let estimate = this.#serverTotal ?? before.all + before.archived;
    let done = 0;
    this.#o.connection.setLibraryProgress({ indexing: { done: 0, total: estimate } });
    // See [Note: Index writes in batches]: pages are mapped as they arrive and written together.
    let batch: PhotoRecord[] = [];
    let batchRows = 0;
    const write = () => {
      const records = batch;
      const rows = batchRows;
      batch = [];
      batchRows = 0;
      if (rows === 0) return;
      const changed = this.#write(records);
      done += rows;
      estimate = Math.max(estimate, done);
      this.#o.connection.setLibraryProgress({ indexing: { done, total: estimate } });
      if (!servedLive) this.#emitChanged(changed, false);
    };
    try {
      for (const archived of [false, true]) {
        const params = { merged: true, order: 'newest', ...(archived ? { archived: true } : {}) } as const;
        // A small first page puts the newest photos (the first screen) in the cache in a fraction of a full page's time.
        const firstCount = archived ? this.#o.pageSize : Math.min(FIRST_SCREEN_PAGE, this.#o.pageSize);
        let firstPage = !archived;
        try {
          await this.#pagePhotos(client, params, firstCount, { background: true }, (rows) => {
            for (const record of this.#records(rows, archived, seen)) batch.push(record);
            batchRows += rows.length;
            // The first screen's page is written at once; the rest once a batch is full, or when
            // the index is about to wait for the screen (what arrived is in the cache meanwhile).
            if (firstPage || batch.length >= INDEX_WRITE_ROWS || !this.#foreground.quiet) write();
            firstPage = false;
          });
        } finally {
          // What arrived before a failure is kept, as a page written on its own would have been.
          if (!this.#disposed) write();
        }
      }
    } finally {
      // Album covers read them next (a first index dropped them); a stop mid-index leaves them to the next start.
      if (!this.#disposed) this.#repo.buildBulkLoadIndexes();
    }
    await this.#syncAlbums(client, 'all', seen);
    // Paging is not a snapshot: a photo missed while the server changed must not be dropped on
    // a guess, so everything unseen is confirmed by UID first.
    const unseen = this.#repo.photoUids().filter((uid) => !seen.has(uid));
    if (unseen.length > 0) await this.#refreshUids(client, unseen);
  }

  async #incremental(active: ActiveConnection): Promise<void> {
    const client = active.client;
    const last = Number(this.#repo.getMeta('lastRefreshedAt') ?? 0);
    const since = new Date(Math.max(0, last - UPDATED_MARGIN_MS)).toISOString();
    const seen = new Set<string>();
    await this.#pagePhotos(client, { merged: true, order: 'newest', updated: since }, this.#o.pageSize, FOREGROUND, (rows) => {
      this.#emitChanged(this.#store(rows, false, seen), false);
    });
    // Favourite/private/archive changes do not bump `updated` (docs/photoprism-api.md §8.5): diff what is on screen.
    const visible = this.#visible.filter((uid) => !seen.has(uid));
    if (visible.length > 0) await this.#refreshUids(client, visible);
    await this.#syncAlbums(client, 'changed', seen);
  }

  /** Page a photo search to its end, merging rows split across pages (see [Note: Rows are files]). */
  async #pagePhotos(
    client: PhotoPrismClient,
    params: SearchParams,
    firstCount: number,
    priority: { readonly background: boolean },
    onPhotos: (rows: SearchPhoto[]) => void,
  ): Promise<void> {
    const merger = new RowMerger();
    let disposed = false;
    // Pages read ahead wait for a quiet screen one after the other, so they leave in the listing's
    // order (each wait polls on its own; waited side by side, the last page asked could go first).
    let quietInTurn: Promise<void> = Promise.resolve();
    await forEachPage(
      async (window) => {
        // See [Note: Background work yields to what is on screen].
        if (priority.background) {
          const mine = quietInTurn.then(() => this.#foreground.idle());
          quietInTurn = mine;
          await mine;
        }
        return client.searchPhotos({ ...params, ...window });
      },
      // The full index reads ahead as many pages as a write batch holds (small pages: a few): see [Note: Reading ahead].
      { pageSize: this.#o.pageSize, firstCount, readAhead: priority.background ? indexReadAheadPages(this.#o.pageSize) : 0 },
      (page) => {
        disposed = this.#disposed;
        if (disposed) return 'stop';
        this.#o.connection.notePreviewToken(page.previewToken);
        onPhotos(merger.push(page.results));
        return undefined;
      },
    );
    if (!disposed) onPhotos(merger.finish());
  }

  #pageAlbums(client: PhotoPrismClient, params: SearchParams): Promise<SearchAlbum[]> {
    return allPages((window) => client.searchAlbums({ ...params, type: 'album', ...window }), this.#o.pageSize);
  }

  /** Upsert photos; answers the UIDs whose rows changed. */
  #store(rows: readonly SearchPhoto[], archived: boolean, seen: Set<string>): string[] {
    return this.#write(this.#records(rows, archived, seen));
  }

  /** Cache rows of search results, each UID noted as seen (a malformed one is skipped with a warning). */
  #records(rows: readonly SearchPhoto[], archived: boolean, seen: Set<string>): PhotoRecord[] {
    const records: PhotoRecord[] = [];
    for (const row of rows) {
      const record = toPhotoRecord(row, { archived });
      if (!record) {
        this.#log.warn('skipped a photo with a malformed UID');
        continue;
      }
      seen.add(record.uid);
      records.push(record);
    }
    return records;
  }

  /**
   * Upsert what no action holds; answers the UIDs whose rows changed. Whether an action holds a
   * photo is decided here, when it is written (see [Note: A refresh never undoes a newer action]).
   */
  #write(records: readonly PhotoRecord[]): string[] {
    if (this.#disposed || records.length === 0) return [];
    return this.#repo.upsertPhotos(records.filter((record) => this.#writable(record.uid)));
  }

  /** Albums: list them, drop deleted ones, and re-list members where needed ('all' = every album). */
  async #syncAlbums(client: PhotoPrismClient, mode: 'all' | 'changed', seen: Set<string>): Promise<void> {
    const records = (await this.#pageAlbums(client, {})).flatMap((a) => toAlbumRecord(a) ?? []);
    if (this.#disposed) return;
    const states = this.#repo.albumStates();
    let changed = this.#repo.upsertAlbums(records.filter((r) => this.#writable(r.uid))).length > 0;
    const listed = new Set(records.map((r) => r.uid));
    if (this.#repo.deleteAlbums([...states.keys()].filter((uid) => !listed.has(uid) && this.#writable(uid))).length > 0) changed = true;
    const stale = records.filter((album) => {
      const state = states.get(album.uid);
      return mode === 'all' || !state || state.membersSeenAt !== album.serverUpdatedAt || state.localPhotoCount !== album.serverPhotoCount;
    });
    // [Note: Album members are listed side by side]
    // One listing after another left our main thread waiting on the server for each album in
    // turn (~0.4 s of a 100k index's idle time for 8 albums); a server answers several at once.
    // Each listing writes its own album as it ends, as before. The first failure stops new ones
    // (those under way finish and are kept) and is the sync's failure, as when they ran in turn.
    const run = await runEach(
      stale,
      ALBUM_LISTINGS_AT_ONCE,
      async (album) => {
        if (await this.#syncMembers(client, album.uid, album.serverUpdatedAt, seen)) changed = true;
      },
      () => false,
    );
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- the listing's own failure, unchanged, as when they ran in turn
    if (run.stoppedBy !== undefined) throw run.stoppedBy;
    if (changed) this.#emitChanged([], true);
  }

  async #syncMembers(client: PhotoPrismClient, albumUid: string, updatedAt: string, seen: Set<string>): Promise<boolean> {
    const members: string[] = [];
    const changedPhotos: string[] = [];
    await this.#pagePhotos(client, { s: albumUid, merged: true, order: 'newest' }, this.#o.pageSize, FOREGROUND, (rows) => {
      changedPhotos.push(...this.#store(rows, false, seen));
      for (const row of rows) members.push(row.UID);
    });
    if (this.#disposed) return false;
    this.#emitChanged(changedPhotos, false);
    // An add/remove committed meanwhile: the listing predates it (see [Note: A refresh never undoes a newer action]).
    if (!this.#writable(albumUid)) return false;
    return this.#repo.replaceAlbumMembers(albumUid, members, updatedAt);
  }

  async #refreshUids(client: PhotoPrismClient, uids: readonly string[]): Promise<RefreshByUidResult> {
    const unique = [...new Set(uids)];
    const photos = unique.filter((uid) => PhotoUid.safeParse(uid).success);
    const albums = unique.filter((uid) => AlbumUid.safeParse(uid).success);
    const skipped = unique.filter((uid) => !photos.includes(uid) && !albums.includes(uid));
    const changed: string[] = [];
    const archived: string[] = [];
    const removed: string[] = [];
    const seen = new Set<string>();
    // `uid` takes pipe-separated photo UIDs of one kind (docs/photoprism-api.md §2.1); archived ones need
    // archived=true. Ask for the active ones first, then for everything not found in ONE more
    // pass, so a replay costs about (UIDs / batch) + (missing / batch) requests, not twice that.
    const found = new Set<string>();
    for (let i = 0; i < photos.length; i += this.#o.uidBatchSize) {
      const batch = photos.slice(i, i + this.#o.uidBatchSize);
      await this.#pagePhotos(client, { uid: batch.join('|'), merged: true, order: 'newest' }, this.#o.pageSize, FOREGROUND, (rows) => {
        for (const row of rows) found.add(row.UID);
        changed.push(...this.#store(rows, false, seen));
      });
    }
    const missing = photos.filter((uid) => !found.has(uid));
    for (let i = 0; i < missing.length; i += this.#o.uidBatchSize) {
      const batch = missing.slice(i, i + this.#o.uidBatchSize);
      await this.#pagePhotos(client, { uid: batch.join('|'), merged: true, archived: true }, this.#o.pageSize, FOREGROUND, (rows) => {
        for (const row of rows) {
          found.add(row.UID);
          archived.push(row.UID);
        }
        changed.push(...this.#store(rows, true, seen));
      });
    }
    const absent = missing.filter((uid) => !found.has(uid));
    removed.push(...this.#repo.deletePhotos(absent.filter((uid) => this.#writable(uid))));
    const albumResults: string[] = [];
    for (let i = 0; i < albums.length; i += this.#o.uidBatchSize) {
      const batch = albums.slice(i, i + this.#o.uidBatchSize);
      const records = (await this.#pageAlbums(client, { uid: batch.join('|') })).flatMap((a) => toAlbumRecord(a) ?? []);
      this.#repo.upsertAlbums(records.filter((r) => this.#writable(r.uid)));
      const listed = new Set(records.map((r) => r.uid));
      this.#repo.deleteAlbums(batch.filter((uid) => !listed.has(uid) && this.#writable(uid)));
      for (const album of records) await this.#syncMembers(client, album.uid, album.serverUpdatedAt, seen);
      albumResults.push(...batch);
    }
    this.#emitChanged([...changed, ...removed], albumResults.length > 0);
    return { changed, archived, removed, absent, albums: albumResults, skipped };
  }

  #emitChanged(photoUids: readonly string[], albums: boolean): void {
    if (this.#disposed || (photoUids.length === 0 && !albums)) return;
    const unique = [...new Set(photoUids)];
    const full = unique.length > MAX_LISTED_CHANGES;
    this.#o.events.emit('library.changed', { uids: full ? [] : unique, albums, full });
  }

  #onOnline(): void {
    if (this.#disposed) return;
    this.#startLiveEvents();
    void this.refresh();
  }

  #onNotOnline(): void {
    this.#live?.stop();
    this.#live = undefined;
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    this.#cancelHint?.();
    this.#cancelHint = undefined;
  }

  #startLiveEvents(): void {
    this.#live?.stop();
    this.#live = undefined;
    const active = this.#o.connection.active();
    const create = this.#o.createLiveEvents === undefined ? (o: LiveEventsOptions) => new LiveEvents(o) : this.#o.createLiveEvents;
    if (!active || !create) return;
    this.#live = create({
      baseUrl: active.serverUrl,
      getToken: () => active.getToken(),
      trustedFingerprint: active.trustedFingerprint,
      onHint: (hint) => this.#onHint(hint),
      onReconnect: () => void this.refresh(),
      clock: this.#o.clock,
      log: this.#log.child('live'),
    });
    this.#live.start();
  }

  #onHint(hint: ChangeHint): void {
    for (const uid of hint.photos) this.#hintPhotos.add(uid);
    for (const uid of hint.albums) this.#hintAlbums.add(uid);
    if (this.#cancelHint) return;
    this.#cancelHint = this.#o.clock.setTimeout(() => {
      this.#cancelHint = undefined;
      const uids = [...this.#hintPhotos, ...this.#hintAlbums];
      this.#hintPhotos = new Set();
      this.#hintAlbums = new Set();
      this.refreshByUid(uids).catch((error: unknown) => this.#log.info('refresh after a server event failed', { error }));
    }, this.#o.hintDebounceMs);
  }

  #scheduleTimer(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
    if (this.#disposed || this.#o.connection.status().state !== 'online') return;
    this.#cancelTimer = this.#o.clock.setTimeout(() => {
      this.#cancelTimer = undefined;
      void this.refresh();
    }, this.#o.refreshIntervalMs);
  }
}
