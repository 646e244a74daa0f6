/* eslint-disable svelte/prefer-svelte-reactivity -- the Maps and Sets here are scratch values or
   bookkeeping; reactive collections are replaced wholesale in `$state.raw` and never mutated. */
import { errorMessage } from '../../../shared/errors';
import {
  MAX_PAGE_SIZE,
  type AlbumSummary,
  type LibraryChanged,
  type LibraryCounts,
  type LibraryView,
  type MonthBucket,
  type PhotoSummary,
  type SearchInfo,
  type SearchSuggestions,
} from '../../../shared/library/schemas';
import { api } from '../api';
import { DEFAULT_ZOOM, ZOOM_TILE_PX } from '../grid/layout';
import { BrowseState } from './browse.svelte';
import { PageCache } from '../grid/page-cache';
import { HiddenIndexes } from '../hidden-indexes';
import { Selection, type ClickModifiers } from '../selection';

/** Whether the current view has loaded. */
export type LoadStatus = 'loading' | 'ready' | 'error';

/** How long typing pauses before the search runs. */
export const SEARCH_DEBOUNCE_MS = 250;

/** Two views are the same view (same kind, same album). */
export function sameView(a: LibraryView, b: LibraryView): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'browse') return b.kind === 'browse' && a.section === b.section && a.key === b.key;
  return a.kind !== 'album' || (b.kind === 'album' && a.albumUid === b.albumUid);
}

/**
 * The library as the window browses it: which view and search, its month buckets and total,
 * the photos near the viewport (through a PageCache), the selection and the zoom.
 *
 * Big collections are `$state.raw` and replaced, never deep-proxied: a month list or a page of
 * 1000 photos would otherwise become thousands of proxies. Page arrivals bump `version`, which
 * is what tiles depend on (`photoAt` reads it), so one arrival re-renders the visible tiles only.
 */
export class LibraryState {
  view = $state.raw<LibraryView>({ kind: 'all' });
  /** The search that is applied (PhotoPrism `q`). */
  query = $state('');
  /** What is typed in the search field (applied after a pause, or on Enter). */
  searchText = $state('');
  /** How the applied search was answered (server, cached answer, offline), null without a search. */
  searchInfo = $state.raw<SearchInfo | null>(null);
  /** Values the search field suggests (loaded when it gets the focus). */
  suggestions = $state.raw<SearchSuggestions>({ years: [], cameras: [], cities: [], albums: [] });
  /** Main's month buckets and total for the view; see [Note: Optimistic hiding]. */
  #baseMonths = $state.raw<readonly MonthBucket[]>([]);
  #baseTotal = $state(0);
  #hidden = $state.raw<HiddenIndexes>(HiddenIndexes.NONE);
  /** Optimistic changes to photo rows by UID (a favourite heart before main answers). */
  #overrides = $state.raw<ReadonlyMap<string, PhotoPatch>>(new Map());
  /** Actions in flight: while any is, view refreshes wait (see `hold`). */
  #holds = 0;
  #deferred: LibraryChanged | null = null;

  /** The browse pages (People, Places, …) and their sidebar counts. */
  readonly browse = new BrowseState();
  counts = $state.raw<LibraryCounts | undefined>(undefined);
  albums = $state.raw<readonly AlbumSummary[]>([]);
  /** Month buckets as displayed (optimistically hidden photos taken out). */
  readonly months = $derived.by(() => this.#hidden.adjustMonths(this.#baseMonths));
  /** Photos in the view as displayed (main's total minus optimistically hidden ones). */
  readonly total = $derived(Math.max(0, this.#baseTotal - this.#hidden.count));
  status = $state<LoadStatus>('loading');
  error = $state<string | undefined>(undefined);
  /** Bumped when pages arrive; read by `photoAt` so tiles follow. */
  version = $state(0);
  selection = $state.raw<Selection>(Selection.EMPTY);
  /** The photo with the keyboard focus ring. */
  focusIndex = $state<number | null>(null);
  zoom = $state(DEFAULT_ZOOM);
  /** Bumped to ask the grid to scroll `focusIndex` into view (keyboard moves, viewer closes). */
  revealRequest = $state(0);

  readonly pages: PageCache;
  readonly viewTitle = $derived.by(() => this.#titleOf(this.view));
  /**
   * A timeline (every photo of a kind, by date) always has month headers; a collection (an
   * album, favourites, search results) has them only where they help (grid/layout.ts
   * headerMonths).
   */
  readonly isTimeline = $derived(this.query === '' && this.view.kind !== 'album' && this.view.kind !== 'favorites');

  /** The query the page cache fetches for; plain fields so fetches never track reactivity. */
  #queryView: LibraryView = { kind: 'all' };
  #queryText = '';
  #loadToken = 0;
  #searchTimer: ReturnType<typeof setTimeout> | undefined;
  #unsubscribe: (() => void) | undefined;

  constructor(options: { pageSize?: number; maxPages?: number } = {}) {
    this.pages = new PageCache({
      ...options,
      fetchPage: (offset, limit) => api.call('library.query', { view: this.#queryView, q: this.#queryText, offset, limit }),
      onChange: () => {
        this.version++;
        const total = this.pages.total;
        if (total !== undefined && total !== this.#baseTotal) this.#setTotal(total);
      },
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
    await this.#loadView();
    await this.loadSidebar();
  }

  /** Counts and albums for the sidebar (failures leave the previous values). */
  async loadSidebar(): Promise<void> {
    const [counts, albums] = await Promise.allSettled([api.call('library.counts', {}), api.call('library.albums', {}), this.browse.load()]);
    if (counts.status === 'fulfilled') this.counts = counts.value;
    if (albums.status === 'fulfilled') this.albums = albums.value;
  }

  /** Switch the view (sidebar). Keeps the search text, like Photos. */
  async show(view: LibraryView): Promise<void> {
    if (sameView(view, this.view) && this.status !== 'error') return;
    this.view = view;
    await this.#loadView();
  }

  /** The search field changed: run it after a pause. */
  setSearchText(text: string): void {
    this.searchText = text;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => void this.applySearch(), SEARCH_DEBOUNCE_MS);
  }

  /** Run the typed search now (Enter, or the pause elapsed). */
  async applySearch(): Promise<void> {
    clearTimeout(this.#searchTimer);
    const q = this.searchText.trim();
    if (q === this.query) return;
    this.query = q;
    // The No Results page suggests real values (a year, a camera) from these.
    if (q !== '' && this.suggestions.years.length === 0) void this.loadSuggestions();
    await this.#loadView();
  }

  /** Replace the search (a chip removed, a suggestion taken) and run it now. */
  async setQuery(q: string): Promise<void> {
    this.searchText = q;
    await this.applySearch();
  }

  /** Refresh the search field's suggestions (failures keep the previous ones). */
  async loadSuggestions(): Promise<void> {
    try {
      this.suggestions = await api.call('library.searchSuggestions', {});
    } catch {
      // Suggestions are a convenience: the field works without them.
    }
  }

  /** Retry after an error. */
  async reload(): Promise<void> {
    await Promise.all([this.loadSidebar(), this.#loadView()]);
  }

  /** The photo at an index if loaded; reading it subscribes the caller to page arrivals. */
  photoAt(index: number): PhotoSummary | undefined {
    // eslint-disable-next-line @typescript-eslint/no-meaningless-void-operator -- a Svelte read: makes this a dependency of the caller's effect
    void this.version;
    const photo = this.pages.get(this.#hidden.toUnderlying(index));
    const patch = photo ? this.#overrides.get(photo.uid) : undefined;
    return photo && patch ? { ...photo, ...patch } : photo;
  }

  /** Load the photos at display indexes [first, last] (the grid and viewer ask for what they show). */
  ensure(first: number, last: number): Promise<void> {
    if (last < first) return Promise.resolve();
    return this.pages.ensure(this.#hidden.toUnderlying(Math.max(0, first)), this.#hidden.toUnderlying(last));
  }

  /** Display index of a loaded photo by UID, or -1 (not loaded, hidden or not in the view). */
  indexOfUid(uid: string): number {
    const underlying = this.pages.indexOfUid(uid);
    if (underlying < 0) return -1;
    return this.#hidden.toDisplay(underlying) ?? -1;
  }

  /**
   * The photos at display indexes (with optimistic changes), fetching what is not loaded: a ⌘A
   * selection of 100k photos is mostly not in the page cache. Order follows the view.
   */
  async photosAt(indexes: readonly number[]): Promise<PhotoSummary[]> {
    const underlying = indexes.map((index) => this.#hidden.toUnderlying(index));
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
      if (!photo) continue;
      const patch = this.#overrides.get(photo.uid);
      photos.push(patch ? { ...photo, ...patch } : photo);
    }
    return photos;
  }

  /**
   * Show an action's result before main answers: patch rows (`favorite: true`) and/or hide the
   * photos from this view. Returns the undo for exactly those UIDs (partial rollback); focus
   * and selection stay on the same photos either way. See [Note: Optimistic hiding].
   */
  applyOptimistic(uids: readonly string[], change: { patch?: PhotoPatch; hide?: boolean }): Optimistic {
    const previous = new Map<string, PhotoPatch | undefined>();
    const hiddenAt = new Map<string, number>();
    this.#keepByUid(() => {
      if (change.patch) {
        const next = new Map(this.#overrides);
        for (const uid of uids) {
          previous.set(uid, next.get(uid));
          next.set(uid, { ...next.get(uid), ...change.patch });
        }
        this.#overrides = next;
      }
      if (change.hide) {
        for (const uid of uids) {
          const underlying = this.pages.indexOfUid(uid);
          if (underlying >= 0 && !this.#hidden.has(underlying)) hiddenAt.set(uid, underlying);
        }
        this.#hidden = this.#hidden.hide(hiddenAt.values());
      }
    });
    return {
      hiddenCount: hiddenAt.size,
      rollback: (failed) => {
        const which = new Set(failed);
        this.#keepByUid(() => {
          if (change.patch) {
            const next = new Map(this.#overrides);
            for (const uid of which) {
              if (!previous.has(uid)) continue;
              const before = previous.get(uid);
              if (before === undefined) next.delete(uid);
              else next.set(uid, before);
            }
            this.#overrides = next;
          }
          const unhide: number[] = [];
          for (const uid of which) {
            const index = hiddenAt.get(uid);
            if (index !== undefined) unhide.push(index);
          }
          if (unhide.length > 0) this.#hidden = this.#hidden.show(unhide);
        });
      },
    };
  }

  /**
   * Hold view refreshes while an action is in flight. The returned release, once the last hold
   * goes, re-reads the view and drops the optimistic state in the same step (the rows from main
   * now say the same). Holding keeps main's rows and our hidden indexes in step.
   */
  hold(): () => Promise<void> {
    this.#holds++;
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      this.#holds--;
      if (this.#holds > 0) return;
      const deferred = this.#deferred;
      this.#deferred = null;
      const optimistic = !this.#hidden.isEmpty || this.#overrides.size > 0;
      if (!optimistic && !deferred) return;
      const change: LibraryChanged = optimistic ? { uids: [], albums: true, full: true } : (deferred ?? NO_CHANGE);
      await this.#applyChange(change, () => {
        if (this.#holds > 0) return;
        this.#hidden = HiddenIndexes.NONE;
        this.#overrides = new Map();
      });
    };
  }

  /** Re-read the view and the sidebar now, keeping focus and selection on the same photos. */
  async refreshAll(): Promise<void> {
    if (this.#holds > 0) {
      this.#deferred = mergeChanges(this.#deferred, { uids: [], albums: true, full: true });
      return;
    }
    await this.#applyChange({ uids: [], albums: true, full: true });
  }

  /** Apply a click on a tile (or a keyboard move). */
  clickPhoto(index: number, modifiers: ClickModifiers): void {
    this.selection = this.selection.click(index, modifiers);
    this.focusIndex = index;
  }

  selectAll(): void {
    this.selection = Selection.all(this.total);
  }

  /** Put the focus ring on a photo without changing the selection (culling auto-advance). */
  setFocus(index: number | null): void {
    this.focusIndex = index === null || this.total === 0 ? null : Math.min(Math.max(index, 0), this.total - 1);
    this.revealRequest++;
  }

  clearSelection(): void {
    this.selection = Selection.EMPTY;
  }

  /** Move the focus ring (arrow keys), selecting like a click (⇧ extends). */
  moveFocus(index: number, extend: boolean): void {
    const target = Math.min(Math.max(index, 0), this.total - 1);
    if (target < 0) return;
    this.selection = this.selection.click(target, { shift: extend, toggle: false });
    this.focusIndex = target;
    this.revealRequest++;
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
    if (this.#holds > 0) {
      this.#deferred = mergeChanges(this.#deferred, change);
      return;
    }
    await this.#applyChange(change);
  }

  async #applyChange(change: LibraryChanged, beforeRestore?: () => void): Promise<void> {
    const keep = this.#captureByUid();
    const work: Promise<unknown>[] = [];
    if (change.full || change.albums || change.uids.length > 0) work.push(this.loadSidebar());
    let swapped = false;
    const onSwap = () => {
      swapped = true;
      beforeRestore?.();
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
          total !== undefined && total !== this.#baseTotal ? this.#refreshView() : this.pages.refresh(change.uids),
        ),
      );
    }
    await Promise.all(work);
    if (!swapped) beforeRestore?.();
    this.version++;
    this.#restoreByUid(keep);
  }

  /** Change the displayed rows, keeping focus and selection on the same photos. */
  #keepByUid(change: () => void): void {
    const keep = this.#captureByUid();
    change();
    this.version++;
    this.#restoreByUid(keep);
  }

  #captureByUid(): KeptPlace {
    const focus = this.focusIndex;
    const focusUid = focus === null ? undefined : this.photoAt(focus)?.uid;
    // A huge selection (⌘A) keeps its ranges; photo by photo only when every one is loaded.
    let selected: string[] | null = null;
    if (!this.selection.isEmpty && this.selection.size <= MAX_KEPT_BY_UID) {
      const uids: string[] = [];
      for (const index of this.selection.indexes()) {
        const uid = this.photoAt(index)?.uid;
        if (uid === undefined) break;
        uids.push(uid);
      }
      if (uids.length === this.selection.size) selected = uids;
    }
    const anchor = this.selection.anchor;
    const anchorUid = anchor === null ? undefined : this.photoAt(anchor)?.uid;
    return { focus, focusUid, selected, anchorUid, token: this.#loadToken };
  }

  #restoreByUid(keep: KeptPlace): void {
    if (keep.token !== this.#loadToken) return;
    if (keep.focus !== null) {
      const found = keep.focusUid === undefined ? -1 : this.indexOfUid(keep.focusUid);
      // Gone from the view: the photo that took its place gets the focus (the "next" one).
      this.focusIndex = found >= 0 ? found : this.total > 0 ? Math.min(keep.focus, this.total - 1) : null;
    }
    if (keep.selected) {
      const indexes = keep.selected.map((uid) => this.indexOfUid(uid)).filter((index) => index >= 0);
      const anchor = keep.anchorUid === undefined ? null : this.indexOfUid(keep.anchorUid);
      this.selection = Selection.fromIndexes(indexes, anchor);
    } else {
      this.selection = this.selection.clamp(this.total);
    }
  }

  dispose(): void {
    this.browse.dispose();
    clearTimeout(this.#searchTimer);
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  async #loadView(): Promise<void> {
    const token = ++this.#loadToken;
    this.#queryView = this.view;
    this.#queryText = this.query;
    this.pages.reset();
    this.#hidden = HiddenIndexes.NONE;
    this.selection = Selection.EMPTY;
    this.focusIndex = null;
    this.status = 'loading';
    this.error = undefined;
    this.version++;
    try {
      // A search runs first (on the server when online), so the pages read its answer.
      this.searchInfo = this.query === '' ? null : await api.call('library.search', { view: this.view, q: this.query });
    } catch (error) {
      if (token !== this.#loadToken) return;
      this.searchInfo = null;
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

  /** Same view, new data: keep scroll position and selection where they still fit. */
  async #refreshView(onSwap?: () => void): Promise<void> {
    const token = this.#loadToken;
    // Months first, then the pages: the pages swap in one step (PageCache.refresh), and the
    // months, the total and `onSwap` (dropping optimistic state) follow in the same microtask
    // run, so no frame shows new rows with old months or old hidden indexes.
    const buckets = await this.#fetchMonths();
    await this.pages.refresh(null);
    if (token !== this.#loadToken) return;
    if (buckets) this.#baseMonths = buckets;
    onSwap?.();
    if (this.pages.total !== undefined) this.#setTotal(this.pages.total);
  }

  /** Re-read the month buckets; answers the view's size they add up to (undefined if unknown). */
  async #refreshMonths(): Promise<number | undefined> {
    const token = this.#loadToken;
    const buckets = await this.#fetchMonths();
    if (token !== this.#loadToken || !buckets) return undefined;
    this.#baseMonths = buckets;
    return buckets.reduce((sum, bucket) => sum + bucket.count, 0);
  }

  /** Month buckets, or null when they cannot be had (the grid then shows no headers). */
  async #fetchMonths(): Promise<MonthBucket[] | null> {
    try {
      return await api.call('library.months', { view: this.#queryView, q: this.#queryText });
    } catch {
      return null;
    }
  }

  #setTotal(total: number): void {
    this.#baseTotal = total;
    const shown = this.total;
    this.selection = this.selection.clamp(shown);
    if (this.focusIndex !== null && this.focusIndex >= shown) this.focusIndex = shown > 0 ? shown - 1 : null;
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
        return this.albums.find((album) => album.uid === view.albumUid)?.title ?? 'Album';
      case 'videos':
        return 'Videos';
      case 'browse':
        return view.title;
    }
  }
}

/** An optimistic change to a photo row. */
export type PhotoPatch = Partial<Pick<PhotoSummary, 'favorite' | 'archived' | 'private' | 'title' | 'takenAtLocal'>>;

/** What `applyOptimistic` gives back: undo it for some UIDs (the ones that failed). */
export interface Optimistic {
  rollback(uids: readonly string[]): void;
  /** How many photos it took out of the view. */
  readonly hiddenCount: number;
}

/** Selections up to this size are kept photo by photo across updates; larger ones by range. */
const MAX_KEPT_BY_UID = 5000;

const NO_CHANGE: LibraryChanged = { uids: [], albums: false, full: false };

interface KeptPlace {
  readonly focus: number | null;
  readonly focusUid: string | undefined;
  readonly selected: string[] | null;
  readonly anchorUid: string | undefined;
  readonly token: number;
}

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
