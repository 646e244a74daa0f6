import type { LibraryPage, PhotoSummary } from '../../../shared/library/schemas';

/** Photos per page unless a caller asks otherwise: 200 ≈ a screen or two at the smallest zoom. */
export const DEFAULT_PAGE_SIZE = 200;

/** Fetches one page of the current view (`library.query` in the app, a fake in tests). */
export type PageFetcher = (offset: number, limit: number) => Promise<LibraryPage>;

export interface PageCacheOptions {
  fetchPage: PageFetcher;
  /** Photos per page. 200 ≈ a screen or two at the smallest zoom. */
  pageSize?: number;
  /** Pages kept in memory; the ones farthest from the viewport go first. */
  maxPages?: number;
  /** Called when pages arrive (or fail), so the view re-renders the affected tiles. */
  onChange?: () => void;
  /** Called when a fetch fails; the page is dropped so a later `ensure` retries it. */
  onError?: (error: unknown) => void;
  /**
   * Indexes whose pages stay loaded however far the viewport goes (the selected photos): the
   * owner finds them by UID when rows move. At most MAX_PINNED_PAGES of their pages are kept.
   */
  pinned?: () => readonly number[];
}

/** Pages `pinned` can keep beyond the budget: a bound on memory, whatever is selected. */
export const MAX_PINNED_PAGES = 20;

/**
 * The photos near the viewport, fetched page by page and evicted when far away.
 *
 * The grid asks `ensure(first, last)` for what it shows (plus overscan); only missing pages are
 * fetched, concurrent asks for one page share a request, and memory stays bounded at
 * `(maxPages + MAX_PINNED_PAGES) × pageSize` photos however far the user scrolls. `reset()`
 * (new view or search) bumps a generation so answers to old queries are dropped instead of
 * mixed in.
 */
export class PageCache {
  readonly pageSize: number;
  readonly #maxPages: number;
  readonly #fetchPage: PageFetcher;
  readonly #onChange: () => void;
  readonly #onError: (error: unknown) => void;
  readonly #pinned: () => readonly number[];
  readonly #pages = new Map<number, readonly PhotoSummary[]>();
  readonly #inFlight = new Map<number, Promise<void>>();
  #generation = 0;
  /** Center of the last ensured range, to decide which pages are "far". */
  #focusIndex = 0;
  #total: number | undefined;
  #lastError: unknown;

  constructor(options: PageCacheOptions) {
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.#maxPages = Math.max(2, options.maxPages ?? 40);
    this.#fetchPage = options.fetchPage;
    this.#onChange = options.onChange ?? (() => undefined);
    this.#onError = options.onError ?? (() => undefined);
    this.#pinned = options.pinned ?? (() => []);
  }

  /** Total photos in the view, as the last page answered (undefined before any answer). */
  get total(): number | undefined {
    return this.#total;
  }

  /** Why the most recent fetch failed (cleared by the next success), for the view's error state. */
  get lastError(): unknown {
    return this.#lastError;
  }

  /** Offsets of the pages held in memory (for tests and diagnostics). */
  get pageOffsets(): number[] {
    return [...this.#pages.keys()].sort((a, b) => a - b);
  }

  /** The photo at an index, if its page is loaded. */
  get(index: number): PhotoSummary | undefined {
    const offset = this.#pageOffset(index);
    return this.#pages.get(offset)?.[index - offset];
  }

  /** Index of a loaded photo by UID (−1 if not loaded). */
  indexOfUid(uid: string): number {
    for (const [offset, photos] of this.#pages) {
      const at = photos.findIndex((photo) => photo.uid === uid);
      if (at >= 0) return offset + at;
    }
    return -1;
  }

  /** Make sure the pages covering [first, last] are loaded or loading; resolves when they are. */
  ensure(first: number, last: number): Promise<void> {
    if (last < first) return Promise.resolve();
    const lo = Math.max(0, first);
    const hi = this.#total === undefined ? last : Math.min(last, this.#total - 1);
    this.#focusIndex = Math.floor((lo + hi) / 2);
    const waits: Promise<void>[] = [];
    for (let offset = this.#pageOffset(lo); offset <= hi; offset += this.pageSize) {
      if (this.#pages.has(offset)) continue;
      waits.push(this.#inFlight.get(offset) ?? this.#load(offset));
    }
    this.#evict();
    return Promise.all(waits).then(() => undefined);
  }

  /** Forget everything: a new view or search. Answers still in flight are ignored. */
  reset(): void {
    this.#generation++;
    this.#pages.clear();
    this.#inFlight.clear();
    this.#total = undefined;
    this.#lastError = undefined;
    this.#focusIndex = 0;
  }

  /**
   * Re-fetch loaded pages (library.changed): those holding one of `uids`, or all with null.
   * The old rows stay on screen until ALL the new ones have arrived, then swap in one step:
   * when photos left the view every later page shifted, and a half-swapped cache would show
   * some photos twice and others not at all for a moment.
   *
   * The swap runs inside `around` (called once, with no pages to re-fetch too, unless a reset
   * made the answers stale), so the owner can change its own state in the same synchronous
   * step: LibraryState reads which photos are selected just before and puts the selection
   * back on them just after, with no click able to land in between.
   */
  async refresh(uids: readonly string[] | null, around: (swap: () => void) => void = (swap) => swap()): Promise<void> {
    const wanted = uids === null ? null : new Set(uids);
    const offsets = [...this.#pages.entries()]
      .filter(([, photos]) => wanted === null || photos.some((photo) => wanted.has(photo.uid)))
      .map(([offset]) => offset);
    const generation = this.#generation;
    const results = await Promise.allSettled(offsets.map((offset) => this.#fetchPage(offset, this.pageSize)));
    if (generation !== this.#generation) return;
    around(() => {
      if (offsets.length > 0) this.#swap(offsets, results);
    });
  }

  #swap(offsets: readonly number[], results: readonly PromiseSettledResult<LibraryPage>[]): void {
    let failure: unknown;
    results.forEach((result, i) => {
      const offset = offsets[i];
      if (offset === undefined) return;
      if (result.status === 'fulfilled') {
        this.#total = result.value.total;
        this.#pages.set(offset, result.value.photos);
      } else {
        failure ??= result.reason;
      }
    });
    // Pages past the new end are gone.
    if (this.#total !== undefined) {
      for (const offset of [...this.#pages.keys()]) if (offset >= this.#total && offset > 0) this.#pages.delete(offset);
    }
    this.#lastError = failure;
    if (failure !== undefined) this.#onError(failure);
    this.#onChange();
  }

  #pageOffset(index: number): number {
    return Math.floor(index / this.pageSize) * this.pageSize;
  }

  #load(offset: number): Promise<void> {
    const generation = this.#generation;
    const request = this.#fetchPage(offset, this.pageSize).then(
      (page) => {
        if (generation !== this.#generation) return;
        this.#inFlight.delete(offset);
        this.#lastError = undefined;
        this.#total = page.total;
        this.#pages.set(offset, page.photos);
        this.#evict();
        this.#onChange();
      },
      (error: unknown) => {
        if (generation !== this.#generation) return;
        this.#inFlight.delete(offset);
        this.#lastError = error;
        this.#onError(error);
        this.#onChange();
      },
    );
    this.#inFlight.set(offset, request);
    return request;
  }

  /** Drop the pages farthest from the last ensured range until within budget; pinned pages stay. */
  #evict(): void {
    if (this.#pages.size <= this.#maxPages) return;
    const pinned = new Set<number>();
    for (const index of this.#pinned()) {
      const offset = this.#pageOffset(index);
      if (pinned.size >= MAX_PINNED_PAGES && !pinned.has(offset)) break;
      pinned.add(offset);
    }
    // Pinned pages are outside the budget: the viewport's pages still get all of it.
    const focus = this.#focusIndex;
    const byDistance = [...this.#pages.keys()]
      .filter((offset) => !pinned.has(offset))
      .sort((a, b) => Math.abs(b + this.pageSize / 2 - focus) - Math.abs(a + this.pageSize / 2 - focus));
    for (const offset of byDistance.slice(0, Math.max(0, byDistance.length - this.#maxPages))) this.#pages.delete(offset);
  }
}
