import type { GridMetrics, GridRow } from './layout';

/**
 * [Note: Grid tile loading under load]
 *
 * What the grid asks for, and when, so the tiles on screen come first:
 *
 * - The photos of the rows in the viewport are fetched at once, one request in flight at a
 *   time and always for the latest viewport (`LatestOnly`); the overscan around them follows
 *   after the scroll settles (PhotoGrid's FETCH_DEBOUNCE_MS). A scrubber jump used to wait for
 *   the debounce before asking for the photos it landed on.
 * - Images of tiles in the viewport load with `fetchpriority="high"`, the overscan's with
 *   "low": a browser opens six connections to the web shell, and the overscan rows above the
 *   viewport came first in the document, so visible tiles queued behind them.
 * - An image whose tile leaves before it loaded drops its request (`cancelImageOnRemove`): a
 *   removed `<img>` otherwise keeps loading, and a jump's new tiles waited for the old ones.
 * - While the grid moves faster than a person can look (`ScrollSpeed.fast`: a fling, a
 *   scrubber drag), no row is built: a few plain blocks of the placeholder colour
 *   (`placeholderBands`) cover where the photo rows are, with no cells, no `<img>`, no page
 *   fetch, and no month headers (the sticky header names the month). Every frame of a fling
 *   brings all new rows; building ~100 tile blocks a frame (and requesting and decoding images
 *   nobody sees) cost the frames (and the memory) the fling dropped. Then one element per row
 *   with a tile-patterned background still cost the renderer's main thread a new keyed element,
 *   its style and layout per row every frame, and its raster threads the pattern: the bands are
 *   the same few elements from frame to frame (only their position and size change), and a
 *   block of one colour is rasterized by no one (the compositor draws a tile it finds to be a
 *   single colour as that colour). The sticky month header drops its backdrop blur meanwhile:
 *   without a GPU the compositor blurred what passed under it on the CPU, every frame
 *   (docs/chromium.md §3.2); the blocks rely on docs/chromium.md §3.1.
 * - After a jump, the overscan waits for the screen (`OverscanGate`): its tiles get no image and
 *   its pages are not fetched until every on-screen tile has its thumbnail (or failed), at most
 *   OVERSCAN_WAIT_MAX_MS. A jump makes every row new: ~30 tiles on screen and ~50 in the overscan
 *   were asked for at once, and main fetched all of them from the server (a few ms of main's CPU
 *   each), so the screen shared two cores with twice as many thumbnails nobody could see yet.
 */

/** Faster than this (virtual px per ms) is a fling or a drag: about two screens per 100 ms. */
export const FAST_SCROLL_SCREENS_PER_100MS = 2;
/** The grid counts as settled this long after its last fast move. */
export const SETTLE_MS = 120;

/**
 * Tells a fling from scrolling a person follows with their eyes. One far move is a jump (the
 * scrubber, Home/End), and its tiles should load at once: only a second fast move in a row
 * makes the grid fast.
 */
export class ScrollSpeed {
  #lastTopPx: number | undefined;
  #lastAtMs = 0;
  #fastUntilMs = -Infinity;
  #fastMoves = 0;

  /** Record a scroll position; answers whether the grid is moving fast right now. */
  move(topPx: number, atMs: number, viewportPx: number): boolean {
    const last = this.#lastTopPx;
    this.#lastTopPx = topPx;
    const elapsedMs = Math.max(1, atMs - this.#lastAtMs);
    this.#lastAtMs = atMs;
    if (last === undefined) return false;
    const pxPerMs = Math.abs(topPx - last) / elapsedMs;
    const limit = (FAST_SCROLL_SCREENS_PER_100MS * Math.max(viewportPx, 1)) / 100;
    this.#fastMoves = pxPerMs > limit ? this.#fastMoves + 1 : 0;
    if (this.#fastMoves >= 2) this.#fastUntilMs = atMs + SETTLE_MS;
    return this.isFast(atMs);
  }

  /** Whether the last fast move was less than SETTLE_MS ago. */
  isFast(atMs: number): boolean {
    return atMs < this.#fastUntilMs;
  }

  /** When the grid will count as settled if it does not move fast again. */
  get settlesAtMs(): number {
    return this.#fastUntilMs;
  }
}

/** A block of placeholder colour standing for photo rows during a fling, in the grid's virtual px. */
export interface PlaceholderBand {
  readonly top: number;
  readonly widthPx: number;
  readonly heightPx: number;
}

/**
 * The placeholder bands for `rows` (see [Note: Grid tile loading under load]): each run of
 * full photo rows of one month is one band from its first tile's top to its last tile's bottom
 * (the gaps between its rows filled in), a month's last, shorter row a band of its own, and
 * month headers none.
 */
export function placeholderBands(rows: readonly GridRow[], metrics: GridMetrics): PlaceholderBand[] {
  const bands: PlaceholderBand[] = [];
  const fullWidthPx = metrics.columns * metrics.rowHeightPx - metrics.gapPx;
  let run: { top: number; section: number; rows: number } | null = null;
  const endRun = () => {
    if (run) bands.push({ top: run.top, widthPx: fullWidthPx, heightPx: run.rows * metrics.rowHeightPx - metrics.gapPx });
    run = null;
  };
  for (const row of rows) {
    if (row.kind !== 'photos') {
      endRun();
      continue;
    }
    if (row.count < metrics.columns) {
      endRun();
      bands.push({ top: row.top, widthPx: row.count * metrics.rowHeightPx - metrics.gapPx, heightPx: metrics.tilePx });
      continue;
    }
    if (run && run.section === row.section) run.rows++;
    else {
      endRun();
      run = { top: row.top, section: row.section, rows: 1 };
    }
  }
  endRun();
  return bands;
}

/** The overscan loads after this long at the latest, even if an on-screen thumbnail is still on its way (a slow server). */
export const OVERSCAN_WAIT_MAX_MS = 1000;

/** A run of grid indexes, both ends included. */
export interface IndexRange {
  readonly first: number;
  readonly last: number;
}

/**
 * Whether the overscan's tiles may load: closed by a jump, opened by `open()` once the screen's
 * thumbnails are done (see [Note: Grid tile loading under load]). Scrolling within the rows
 * already shown is no jump: those rows were the overscan, and their images are there.
 */
export class OverscanGate {
  /** The rows (overscan included) shown with tiles last time, or null after a fling (its rows were placeholders). */
  #shownRows: IndexRange | null = null;
  #open = true;

  /**
   * The grid shows `rows` with `onScreen` among them (`fast`: a fling's placeholder rows);
   * answers whether the overscan may load now. An on-screen range with no row in common with
   * the rows shown before is a jump, and so are the first screen and the one after a fling.
   */
  show(onScreen: IndexRange | null, rows: IndexRange | null, fast: boolean): boolean {
    if (fast || onScreen === null || rows === null) {
      this.#shownRows = null;
      return this.#open;
    }
    const shown = this.#shownRows;
    // No row in common: every row is new (a far jump keeps none, so no loaded image loses its src).
    if (shown === null || onScreen.last < shown.first || onScreen.first > shown.last) this.#open = false;
    this.#shownRows = rows;
    return this.#open;
  }

  /** The screen's thumbnails are done (or the wait is over): the overscan may load. */
  open(): void {
    this.#open = true;
  }

  get isOpen(): boolean {
    return this.#open;
  }
}

/**
 * Whether every one of the screen's `tiles` has its image, loaded or failed (`complete`): a tile
 * whose photo is not known yet (no `<img>`) is not done, and neither is a screen without tiles.
 */
export function screenImagesDone(tiles: Iterable<Element>): boolean {
  let seen = 0;
  for (const tile of tiles) {
    seen++;
    const image = tile.querySelector('img');
    if (!image || !image.complete) return false;
  }
  return seen > 0;
}

/**
 * Runs an async job for the latest value only: while one runs, newer values replace each
 * other, and the last one runs when it finishes. Values equal to the one just run are skipped.
 */
export class LatestOnly<T> {
  readonly #run: (value: T) => Promise<unknown>;
  readonly #same: (a: T, b: T) => boolean;
  #running = false;
  #next: { value: T } | undefined;
  #last: { value: T } | undefined;

  constructor(run: (value: T) => Promise<unknown>, same: (a: T, b: T) => boolean) {
    this.#run = run;
    this.#same = same;
  }

  push(value: T): void {
    this.#next = { value };
    if (!this.#running) void this.#drain();
  }

  /** Forget the last value run (a new view: the same range means other photos). */
  reset(): void {
    this.#last = undefined;
  }

  async #drain(): Promise<void> {
    this.#running = true;
    try {
      while (this.#next) {
        const { value } = this.#next;
        this.#next = undefined;
        if (this.#last && this.#same(this.#last.value, value)) continue;
        this.#last = { value };
        try {
          await this.#run(value);
        } catch {
          // The job reports its own failures (the page cache shows them on the view).
        }
      }
    } finally {
      this.#running = false;
    }
  }
}

/**
 * Svelte action for a grid `<img>`: when the tile goes away before its image arrived, drop the
 * request (see [Note: Grid tile loading under load]).
 */
export function cancelImageOnRemove(image: HTMLImageElement): { destroy(): void } {
  return {
    destroy() {
      if (!image.complete) image.removeAttribute('src');
    },
  };
}

/** The class a grid `<img>` gets when its thumbnail failed (PhotoGrid hides it: the tile shows its placeholder). */
export const BROKEN_IMAGE_CLASS = 'broken';

/**
 * Ask again for every thumbnail under `root` that failed, answering how many. Main answers 503
 * while the server is unreachable (a thumbnail not on disk); without this, those tiles stayed
 * blank after the connection came back, until scrolled away and back. Setting `src` again makes
 * the browser load it again (main sends failures with `no-store`, so nothing stale is reused).
 */
export function retryBrokenImages(root: ParentNode): number {
  const broken = [...root.querySelectorAll<HTMLImageElement>(`img.${BROKEN_IMAGE_CLASS}`)];
  for (const image of broken) {
    image.classList.remove(BROKEN_IMAGE_CLASS);
    const src = image.getAttribute('src');
    if (src === null) continue;
    image.removeAttribute('src');
    image.setAttribute('src', src);
  }
  return broken.length;
}
