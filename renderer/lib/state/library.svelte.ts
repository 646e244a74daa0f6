import { isAppError } from '../../../shared/errors';
import type {
  AlbumSummary,
  LibraryChanged,
  LibraryCounts,
  LibraryView,
  MonthBucket,
  PhotoSummary,
} from '../../../shared/library/schemas';
import { api } from '../api';
import { DEFAULT_ZOOM, ZOOM_TILE_PX } from '../grid/layout';
import { PageCache } from '../grid/page-cache';
import { Selection, type ClickModifiers } from '../selection';

/** Whether the current view has loaded. */
export type LoadStatus = 'loading' | 'ready' | 'error';

/** How long typing pauses before the search runs. */
export const SEARCH_DEBOUNCE_MS = 250;

/** Two views are the same view (same kind, same album). */
export function sameView(a: LibraryView, b: LibraryView): boolean {
  if (a.kind !== b.kind) return false;
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
  counts = $state.raw<LibraryCounts | undefined>(undefined);
  albums = $state.raw<readonly AlbumSummary[]>([]);
  months = $state.raw<readonly MonthBucket[]>([]);
  total = $state(0);
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
        if (total !== undefined && total !== this.total) this.#setTotal(total);
      },
      onError: (error) => {
        // A failed page while browsing is shown on its tiles (blank); only the first page
        // failing makes the whole view an error, which `#loadView` handles.
        if (this.status === 'ready') this.error = messageOf(error);
      },
    });
  }

  /** First load: counts, albums and the Library view; then follow `library.changed`. */
  async load(): Promise<void> {
    this.#unsubscribe ??= api.on('library.changed', (change) => void this.onLibraryChanged(change));
    await Promise.all([this.loadSidebar(), this.#loadView()]);
  }

  /** Counts and albums for the sidebar (failures leave the previous values). */
  async loadSidebar(): Promise<void> {
    const [counts, albums] = await Promise.allSettled([api.call('library.counts', {}), api.call('library.albums', {})]);
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
    await this.#loadView();
  }

  /** Retry after an error. */
  async reload(): Promise<void> {
    await Promise.all([this.loadSidebar(), this.#loadView()]);
  }

  /** The photo at an index if loaded; reading it subscribes the caller to page arrivals. */
  photoAt(index: number): PhotoSummary | undefined {
    void this.version;
    return this.pages.get(index);
  }

  /** Apply a click on a tile (or a keyboard move). */
  clickPhoto(index: number, modifiers: ClickModifiers): void {
    this.selection = this.selection.click(index, modifiers);
    this.focusIndex = index;
  }

  selectAll(): void {
    this.selection = Selection.all(this.total);
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

  /** Main changed cached rows: re-query what we show, as little as the change allows. */
  async onLibraryChanged(change: LibraryChanged): Promise<void> {
    const work: Promise<unknown>[] = [];
    if (change.full || change.albums || change.uids.length > 0) work.push(this.loadSidebar());
    if (change.full || (change.albums && this.view.kind === 'album')) {
      work.push(this.#refreshView());
    } else if (change.uids.length > 0) {
      // Favourite/archive changes move photos between views, so the month list is refreshed
      // too; the rows on screen stay until their new versions arrive. When the view's size
      // changed (photos arrived during indexing, or left it), every offset after the change
      // moved: refresh the whole view instead of only the pages holding those UIDs.
      work.push(
        this.#refreshMonths().then((total) =>
          total !== undefined && total !== this.total ? this.#refreshView() : this.pages.refresh(change.uids),
        ),
      );
    }
    await Promise.all(work);
  }

  dispose(): void {
    clearTimeout(this.#searchTimer);
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
  }

  async #loadView(): Promise<void> {
    const token = ++this.#loadToken;
    this.#queryView = this.view;
    this.#queryText = this.query;
    this.pages.reset();
    this.selection = Selection.EMPTY;
    this.focusIndex = null;
    this.status = 'loading';
    this.error = undefined;
    this.version++;
    const months = this.#fetchMonths();
    try {
      await this.pages.ensure(0, this.pages.pageSize - 1);
      if (token !== this.#loadToken) return;
      if (this.pages.total === undefined) throw this.pages.lastError ?? new Error('The library did not answer.');
    } catch (error) {
      if (token !== this.#loadToken) return;
      this.status = 'error';
      this.error = messageOf(error);
      return;
    }
    const buckets = await months;
    if (token !== this.#loadToken) return;
    this.months = buckets ?? [];
    this.#setTotal(this.pages.total ?? 0);
    this.status = 'ready';
  }

  /** Same view, new data: keep scroll position and selection where they still fit. */
  async #refreshView(): Promise<void> {
    const token = this.#loadToken;
    const [buckets] = await Promise.all([this.#fetchMonths(), this.pages.refresh(null)]);
    if (token !== this.#loadToken) return;
    if (buckets) this.months = buckets;
    if (this.pages.total !== undefined) this.#setTotal(this.pages.total);
  }

  /** Re-read the month buckets; answers the view's size they add up to (undefined if unknown). */
  async #refreshMonths(): Promise<number | undefined> {
    const token = this.#loadToken;
    const buckets = await this.#fetchMonths();
    if (token !== this.#loadToken || !buckets) return undefined;
    this.months = buckets;
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
    this.total = total;
    this.selection = this.selection.clamp(total);
    if (this.focusIndex !== null && this.focusIndex >= total) this.focusIndex = total > 0 ? total - 1 : null;
  }

  #titleOf(view: LibraryView): string {
    switch (view.kind) {
      case 'all':
        return 'Library';
      case 'favorites':
        return 'Favourites';
      case 'archive':
        return 'Archive';
      case 'album':
        return this.albums.find((album) => album.uid === view.albumUid)?.title ?? 'Album';
    }
  }
}

function messageOf(error: unknown): string {
  if (isAppError(error)) return error.message;
  return error instanceof Error ? error.message : String(error);
}
