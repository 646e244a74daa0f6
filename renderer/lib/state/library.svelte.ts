/* eslint-disable svelte/prefer-svelte-reactivity -- the Maps and Sets here are scratch values. */
import { untrack } from 'svelte';
import { errorMessage } from '../../../shared/errors';
import type { LibraryChanged, LibraryPage, LibraryView, MonthBucket, PhotoSummary } from '../../../shared/library/schemas';
import { MAX_PAGE_SIZE } from '../../../shared/limits';
import type { BootState } from '../../../shared/ipc/contract';
import { api } from '../api';
import { preloadFirstScreen, takeBoot } from '../boot';
import { DEFAULT_ZOOM, ZOOM_TILE_PX } from '../grid/layout';
import { DEFAULT_PAGE_SIZE, PageCache } from '../grid/page-cache';
import { LibraryFocus, type KeptPlace } from './library-focus.svelte';
import { OptimisticRows, type Optimistic, type PhotoPatch } from './library-optimistic.svelte';
import { LibrarySearch } from './library-search.svelte';
import { LibrarySidebar } from './library-sidebar.svelte';

/** Whether the current view has loaded. */
export type LoadStatus = 'loading' | 'ready' | 'error';

/**
 * Keeps display indexes on their photos across a row change: given the UID at each index
 * before it, answers what to do once UIDs can be looked up again (-1: gone from the view).
 */
export type RowFollower = (uidAt: (index: number) => string | undefined) => (indexOfUid: (uid: string) => number) => void;

/** What a row change reads before it, to put focus, selection and followers back after it. */
type KeptRows = KeptPlace & { readonly token: number; readonly followers: readonly ((indexOfUid: (uid: string) => number) => void)[] };

/** Two views are the same view (same kind, same album). */
export function sameView(a: LibraryView, b: LibraryView): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'browse') return b.kind === 'browse' && a.section === b.section && a.key === b.key;
  return a.kind !== 'album' || (b.kind === 'album' && a.albumUid === b.albumUid);
}

/**
 * The library as the window browses it. This class owns the view and its rows: which view is
 * shown, its month buckets and total, the photos near the viewport (through a PageCache), and
 * when the view is re-read (`library.changed`, actions in flight). Its other jobs each have a
 * module, and components reach each job through its field (`library.focus.selection`, not a
 * copy of it here), so every value has one way in:
 * - `search` (library-search.svelte.ts): the typed and the applied search, suggestions;
 * - `sidebar` (library-sidebar.svelte.ts): counts, albums, browse pages;
 * - `focus` (library-focus.svelte.ts): selection and the keyboard focus ring;
 * - `optimistic` (library-optimistic.svelte.ts): actions shown before main answers.
 *
 * Big collections are `$state.raw` and replaced, never deep-proxied: a month list or a page of
 * 1000 photos would otherwise become thousands of proxies. Page arrivals bump `version`, which
 * is what tiles depend on (`photoAt` reads it), so one arrival re-renders the visible tiles only.
 */
export class LibraryState {
  view = $state.raw<LibraryView>({ kind: 'all' });
  readonly search = new LibrarySearch(() => this.#loadView());
  readonly sidebar = new LibrarySidebar();
  readonly focus = new LibraryFocus(() => this.total);
  readonly optimistic = new OptimisticRows({
    underlyingIndexOf: (uid) => this.pages.indexOfUid(uid),
    keep: (change) => this.#keepByUid(change),
  });
  /** Main's month buckets and total for the view; see [Note: Optimistic hiding]. */
  #baseMonths = $state.raw<readonly MonthBucket[]>([]);
  #baseTotal = $state(0);
  /** Actions in flight: while any is, view refreshes wait (see `hold`). */
  #holds = 0;
  /** Releases re-reading the view after the last hold (see `hold`): changes wait for them too. */
  #settling = 0;
  #deferred: LibraryChanged | null = null;
  readonly #rowFollowers = new Set<RowFollower>();

  /** Month buckets as displayed (optimistically hidden photos taken out). */
  readonly months = $derived.by(() => this.optimistic.adjustMonths(this.#baseMonths));
  /** Photos in the view as displayed (main's total minus optimistically hidden ones). */
  readonly total = $derived(Math.max(0, this.#baseTotal - this.optimistic.hidden.count));
  status = $state<LoadStatus>('loading');
  error = $state<string | undefined>(undefined);
  /** Bumped when pages arrive; read by `photoAt` so tiles follow. */
  version = $state(0);
  zoom = $state(DEFAULT_ZOOM);

  readonly pages: PageCache;
  readonly viewTitle = $derived.by(() => this.#titleOf(this.view));
  /**
   * A timeline (every photo of a kind, by date) always has month headers; a collection (an
   * album, favourites, search results) has them only where they help (grid/layout.ts
   * headerMonths).
   */
  readonly isTimeline = $derived(this.search.query === '' && this.view.kind !== 'album' && this.view.kind !== 'favorites');

  /** The query the page cache fetches for; plain fields so fetches never track reactivity. */
  #queryView: LibraryView = { kind: 'all' };
  #queryText = '';
  #loadToken = 0;
  #unsubscribe: (() => void) | undefined;
  /** The boot call's Library months and first page, until the first load of the Library view used them. */
  #booted: { months?: MonthBucket[] | undefined; firstPage?: LibraryPage | undefined } | undefined;
  /** The first load had no boot answer to show (a sign-in): its first page's thumbnails are fetched as it arrives. */
  #preloadFirstPage = false;

  constructor(options: { pageSize?: number; maxPages?: number } = {}) {
    this.pages = new PageCache({
      ...options,
      fetchPage: (offset, limit) =>
        this.#takeBooted('firstPage', offset === 0 && limit === DEFAULT_PAGE_SIZE) ?? this.#fetchPage(offset, limit),
      onChange: () => {
        this.version++;
        const total = this.pages.total;
        if (total !== undefined && total !== this.#baseTotal) this.#setTotal(total);
      },
      // The pages of a few selected photos (and the focused one) stay loaded while the person
      // scrolls away: when rows move, focus and selection find them there by UID. A selection
      // with a photo whose page had gone was kept by index instead, and an action then went to
      // whichever photo had moved into its place.
      // Read untracked: the grid's effect that asks for pages must not rerun on every click.
      pinned: () =>
        untrack(() => {
          const selection = this.focus.selection;
          const indexes = selection.size <= MAX_PINNED_SELECTION ? selection.indexes() : [];
          if (this.focus.focusIndex !== null) indexes.push(this.focus.focusIndex);
          const hidden = this.optimistic.hidden;
          return indexes.map((index) => hidden.toUnderlying(index));
        }),
      onError: (error) => {
        // A failed page while browsing is shown on its tiles (blank); only the first page
        // failing makes the whole view an error, which `#loadView` handles.
        if (this.status === 'ready') this.error = errorMessage(error);
      },
    });
  }

  /**
   * First load: the Library view's first page and months, then the sidebar's counts and albums;
   * then follow `library.changed`. The view goes first because main answers in arrival order:
   * behind the sidebar's counts over a 100k library, the first screen waited for them.
   */
  async load(): Promise<void> {
    this.#unsubscribe ??= api.on('library.changed', (change) => void this.onLibraryChanged(change));
    // The boot call usually has the first screen already (renderer/lib/boot.ts); used once.
    const booted = await takeBoot('library');
    this.#booted = booted ? { ...booted } : undefined;
    this.#preloadFirstPage = !booted;
    try {
      await this.#loadView();
    } finally {
      this.#booted = undefined;
    }
    await this.sidebar.load();
  }

  /** Switch the view (sidebar). Keeps the search text, like Photos. */
  async show(view: LibraryView): Promise<void> {
    if (sameView(view, this.view) && this.status !== 'error') return;
    this.view = view;
    await this.#loadView();
  }

  /** Retry after an error. */
  async reload(): Promise<void> {
    await Promise.all([this.sidebar.load(), this.#loadView()]);
  }

  /** The photo at an index if loaded; reading it subscribes the caller to page arrivals. */
  photoAt(index: number): PhotoSummary | undefined {
    // eslint-disable-next-line @typescript-eslint/no-meaningless-void-operator -- a Svelte read: makes this a dependency of the caller's effect
    void this.version;
    const photo = this.pages.get(this.optimistic.hidden.toUnderlying(index));
    return photo && this.optimistic.patched(photo);
  }

  /** Load the photos at display indexes [first, last] (the grid and viewer ask for what they show). */
  ensure(first: number, last: number): Promise<void> {
    if (last < first) return Promise.resolve();
    const hidden = this.optimistic.hidden;
    return this.pages.ensure(hidden.toUnderlying(Math.max(0, first)), hidden.toUnderlying(last));
  }

  /** Display index of a loaded photo by UID, or -1 (not loaded, hidden or not in the view). */
  indexOfUid(uid: string): number {
    const underlying = this.pages.indexOfUid(uid);
    if (underlying < 0) return -1;
    return this.optimistic.hidden.toDisplay(underlying) ?? -1;
  }

  /**
   * The photos at display indexes (with optimistic changes), fetching what is not loaded: a ⌘A
   * selection of 100k photos is mostly not in the page cache. Order follows the view.
   */
  async photosAt(indexes: readonly number[]): Promise<PhotoSummary[]> {
    const hidden = this.optimistic.hidden;
    const underlying = indexes.map((index) => hidden.toUnderlying(index));
    const missing = underlying.filter((index) => this.pages.get(index) === undefined);
    const fetched = new Map<number, PhotoSummary>();
    // Straight from main in big pages, not through the page cache: a huge selection must not
    // evict what is on screen.
    for (const run of toRuns(missing)) {
      for (let offset = run.start; offset < run.end; offset += MAX_PAGE_SIZE) {
        const limit = Math.min(MAX_PAGE_SIZE, run.end - offset);
        const page = await api.call('library.query', { view: this.#queryView, q: this.#queryText, offset, limit });
        page.photos.forEach((photo, i) => fetched.set(offset + i, photo));
      }
    }
    const photos: PhotoSummary[] = [];
    for (const index of underlying) {
      const photo = this.pages.get(index) ?? fetched.get(index);
      if (photo) photos.push(this.optimistic.patched(photo));
    }
    return photos;
  }

  /**
   * Show an action's result before main answers: patch rows (`favorite: true`) and/or hide the
   * photos from this view. Returns the undo for exactly those UIDs (partial rollback); focus
   * and selection stay on the same photos either way. See [Note: Optimistic hiding].
   */
  applyOptimistic(uids: readonly string[], change: { patch?: PhotoPatch; hide?: boolean }): Optimistic {
    return this.optimistic.apply(uids, change);
  }

  /**
   * Hold view refreshes while an action is in flight. The returned release, once the last hold
   * goes, re-reads the view and drops the optimistic state in the same step (the rows from main
   * now say the same). Holding keeps main's rows and our hidden indexes in step.
   *
   * Changes that arrive while that re-read is on its way wait for it too, and follow it: swapped
   * in before it, with the hidden indexes still laid over main's new rows, they hid the wrong
   * photo, and focus and selection moved to a neighbour of the photo the person had in view.
   */
  hold(): () => Promise<void> {
    this.#holds++;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      this.#holds--;
      if (this.#holds > 0) return;
      this.#settling++;
      try {
        // Until nothing waits, or another action holds again (its release goes on from there).
        while (this.#holds === 0) {
          const deferred = this.#deferred;
          this.#deferred = null;
          const optimistic = !this.optimistic.isEmpty;
          if (!optimistic && !deferred) break;
          const change: LibraryChanged = optimistic ? { uids: [], albums: true, full: true } : (deferred ?? NO_CHANGE);
          await this.#applyChange(change, () => {
            if (this.#holds > 0) return;
            this.optimistic.clear();
          });
        }
      } finally {
        this.#settling--;
      }
    };
  }

  /** Whether view refreshes wait: an action is in flight, or its release is re-reading the view. */
  get #waiting(): boolean {
    return this.#holds > 0 || this.#settling > 0;
  }

  /** Re-read the view and the sidebar now, keeping focus and selection on the same photos. */
  async refreshAll(): Promise<void> {
    if (this.#waiting) {
      this.#deferred = mergeChanges(this.#deferred, { uids: [], albums: true, full: true });
      return;
    }
    await this.#applyChange({ uids: [], albums: true, full: true });
  }

  setZoom(level: number): void {
    this.zoom = Math.min(Math.max(Math.round(level), 0), ZOOM_TILE_PX.length - 1);
  }

  /**
   * Main changed cached rows: re-query what we show, as little as the change allows. Focus and
   * selection stay on the same photos (by UID) wherever they move. While an action is in
   * flight, the refresh waits for it (see `hold`).
   */
  async onLibraryChanged(change: LibraryChanged): Promise<void> {
    if (this.#waiting) {
      this.#deferred = mergeChanges(this.#deferred, change);
      return;
    }
    await this.#applyChange(change);
  }

  /**
   * Re-read what `change` touched. Each step that moves rows (new pages, new months, dropped
   * optimistic state) keeps focus and selection on the same photos by UID, reading them just
   * before that step and not when the change arrived: a click while the answers are on their
   * way stays (a restore from the arrival's reading put back the old selection, and the next
   * action then went to a photo other than the highlighted one).
   */
  async #applyChange(change: LibraryChanged, settled?: () => void): Promise<void> {
    const work: Promise<unknown>[] = [];
    if (change.full || change.albums || change.uids.length > 0) work.push(this.sidebar.load());
    let swapped = false;
    const onSwap = () => {
      swapped = true;
      settled?.();
    };
    if (change.full || (change.albums && this.view.kind === 'album')) {
      work.push(this.#refreshView(onSwap));
    } else if (change.uids.length > 0) {
      // Favourite/archive changes move photos between views, so the month list is refreshed
      // too; the rows on screen stay until their new versions arrive. When the view's size
      // changed (photos arrived during indexing, or left it), every offset after the change
      // moved: refresh the whole view instead of only the pages holding those UIDs.
      work.push(
        this.#refreshMonths().then((total) =>
          total !== undefined && total !== this.#baseTotal
            ? this.#refreshView()
            : this.pages.refresh(change.uids, (swap) => this.#keepByUid(swap)),
        ),
      );
    }
    await Promise.all(work);
    if (!swapped && settled) this.#keepByUid(settled);
  }

  /** Change the displayed rows, keeping focus and selection on the same photos. */
  #keepByUid(change: () => void): void {
    const keep = this.#captureByUid();
    change();
    this.version++;
    this.#restoreByUid(keep);
  }

  /**
   * Keep another holder of display indexes (the viewer's open photo) on its photos across row
   * changes, as focus and selection are: `follower` reads the UIDs at its indexes before a
   * change and returns how to find them after it. Returns the unsubscribe.
   */
  followRows(follower: RowFollower): () => void {
    this.#rowFollowers.add(follower);
    return () => this.#rowFollowers.delete(follower);
  }

  #captureByUid(): KeptRows {
    const uidAt = (index: number) => this.photoAt(index)?.uid;
    return { ...this.focus.capture(uidAt), token: this.#loadToken, followers: [...this.#rowFollowers].map((follow) => follow(uidAt)) };
  }

  #restoreByUid(keep: KeptRows): void {
    if (keep.token !== this.#loadToken) return;
    const indexOfUid = (uid: string) => this.indexOfUid(uid);
    this.focus.restore(keep, indexOfUid);
    for (const restore of keep.followers) restore(indexOfUid);
  }

  dispose(): void {
    this.sidebar.dispose();
    this.search.dispose();
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  async #loadView(): Promise<void> {
    const token = ++this.#loadToken;
    this.#queryView = this.view;
    this.#queryText = this.search.query;
    this.pages.reset();
    this.optimistic.clearHidden();
    this.focus.reset();
    this.status = 'loading';
    this.error = undefined;
    this.version++;
    try {
      // A search runs first (on the server when online), so the pages read its answer.
      this.search.searchInfo =
        this.search.query === '' ? null : await api.call('library.search', { view: this.view, q: this.search.query });
    } catch (error) {
      if (token !== this.#loadToken) return;
      this.search.searchInfo = null;
      this.error = errorMessage(error);
    }
    if (token !== this.#loadToken) return;
    // A refresh during the search may have paged the cache's own answer: read the search's now.
    this.pages.reset();
    const months = this.#fetchMonths();
    try {
      await this.pages.ensure(0, this.pages.pageSize - 1);
      if (token !== this.#loadToken) return;
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- rethrows whatever the page load threw
      if (this.pages.total === undefined) throw this.pages.lastError ?? new Error('The library did not answer.');
    } catch (error) {
      if (token !== this.#loadToken) return;
      this.status = 'error';
      this.error = errorMessage(error);
      return;
    }
    const buckets = await months;
    if (token !== this.#loadToken) return;
    this.#baseMonths = buckets ?? [];
    this.#setTotal(this.pages.total ?? 0);
    this.status = 'ready';
  }

  /** Same view, new data: keep scroll position, and focus and selection on the same photos. */
  async #refreshView(onSwap?: () => void): Promise<void> {
    const token = this.#loadToken;
    // Months first, then the pages: the pages swap in one step (PageCache.refresh) with the
    // months, the total and `onSwap` (dropping optimistic state), so no frame shows new rows
    // with old months or old hidden indexes.
    const buckets = await this.#fetchMonths();
    await this.pages.refresh(null, (swap) => {
      if (token !== this.#loadToken) return;
      this.#keepByUid(() => {
        swap();
        if (buckets) this.#baseMonths = buckets;
        onSwap?.();
        if (this.pages.total !== undefined) this.#setTotal(this.pages.total);
      });
    });
  }

  /** Re-read the month buckets; answers the view's size they add up to (undefined if unknown). */
  async #refreshMonths(): Promise<number | undefined> {
    const token = this.#loadToken;
    const buckets = await this.#fetchMonths();
    if (token !== this.#loadToken || !buckets) return undefined;
    this.#baseMonths = buckets;
    return buckets.reduce((sum, bucket) => sum + bucket.count, 0);
  }

  /**
   * The boot answer's first page or months when the Library view (all photos, no search) loads
   * for the first time and the request `fits`; each once. Undefined otherwise: ask main.
   */
  #takeBooted<K extends 'months' | 'firstPage'>(key: K, fits = true): Promise<NonNullable<BootState['library']>[K]> | undefined {
    const booted = this.#booted;
    if (!booted || !fits || this.#queryView.kind !== 'all' || this.#queryText !== '') return undefined;
    const part = booted[key];
    if (part === undefined) return undefined;
    this.#booted = { ...booted, [key]: undefined };
    return Promise.resolve(part as NonNullable<BootState['library']>[K]);
  }

  /**
   * A page from main. The first page of a load without a boot answer (right after signing in)
   * also starts its first screen's thumbnails as it arrives, as the boot answer's do
   * (renderer/lib/boot.ts, preloadFirstScreen): the grid's own requests for them, one render
   * later, then find them on their way. The estimate is for the default zoom, so only there.
   */
  #fetchPage(offset: number, limit: number): Promise<LibraryPage> {
    const page = api.call('library.query', { view: this.#queryView, q: this.#queryText, offset, limit });
    if (!this.#preloadFirstPage || offset !== 0 || this.#queryView.kind !== 'all' || this.#queryText !== '' || this.zoom !== DEFAULT_ZOOM) {
      return page;
    }
    this.#preloadFirstPage = false;
    return page.then((answer) => {
      preloadFirstScreen(answer.photos);
      return answer;
    });
  }

  /** Month buckets, or null when they cannot be had (the grid then shows no headers). */
  async #fetchMonths(): Promise<MonthBucket[] | null> {
    try {
      return await (this.#takeBooted('months') ?? api.call('library.months', { view: this.#queryView, q: this.#queryText }));
    } catch {
      return null;
    }
  }

  #setTotal(total: number): void {
    this.#baseTotal = total;
    this.focus.clampTo(this.total);
  }

  #titleOf(view: LibraryView): string {
    switch (view.kind) {
      case 'all':
        return 'Library';
      case 'favorites':
        return 'Favourites';
      case 'review':
        return 'Review';
      case 'private':
        return 'Private';
      case 'archive':
        return 'Archive';
      case 'album':
        return this.sidebar.albums.find((album) => album.uid === view.albumUid)?.title ?? 'Album';
      case 'videos':
        return 'Videos';
      case 'browse':
        return view.title;
    }
  }
}

/** Selections up to this size keep their photos' pages loaded (see PageCache's `pinned`). */
const MAX_PINNED_SELECTION = 500;

const NO_CHANGE: LibraryChanged = { uids: [], albums: false, full: false };

function mergeChanges(a: LibraryChanged | null, b: LibraryChanged): LibraryChanged {
  if (!a) return b;
  return { uids: [...new Set([...a.uids, ...b.uids])], albums: a.albums || b.albums, full: a.full || b.full };
}

/** Indexes as half-open runs of consecutive indexes, ascending. */
function toRuns(indexes: readonly number[]): { start: number; end: number }[] {
  const sorted = [...new Set(indexes)].sort((a, b) => a - b);
  const runs: { start: number; end: number }[] = [];
  for (const index of sorted) {
    const last = runs[runs.length - 1];
    if (last && last.end === index) last.end++;
    else runs.push({ start: index, end: index + 1 });
  }
  return runs;
}
