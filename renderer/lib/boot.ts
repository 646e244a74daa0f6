import type { BootState } from '../../shared/ipc/contract';
import { api } from './api';
import type { PhotoSummary, ThumbSize } from '../../shared/library/schemas';
import { DEFAULT_PAGE_SIZE } from './grid/page-cache';
import { DEFAULT_ZOOM, gridMetrics, tileThumbSize } from './grid/layout';
import { readSidebarWidth } from './sidebar-width';
import { tileImageUrl } from './tile-urls';

/** The parts of the boot answer, each used once by the state that owns it. */
export type BootPart = 'info' | 'settings' | 'connection' | 'library';

/**
 * The first screen's data, asked for once before the app's code is evaluated
 * (see [Note: Boot in one call]).
 *
 * Each state class takes its part (`takeBoot`) instead of making its own first call. A part is
 * refused when main pushed a change to it after the boot call was sent (the answer may be
 * older than the event), or when the call failed: the caller then asks its own channel as
 * before, so the boot call can only save time, never show something stale or nothing.
 */
class Boot {
  #answer: Promise<BootState | undefined> | undefined;
  readonly #stale = new Set<BootPart>();
  readonly #taken = new Set<BootPart>();

  start(): void {
    if (this.#answer) return;
    // Subscribed before the call is sent: an event that arrives before a part is taken marks
    // it stale (its owner subscribes only when it takes it, so it would miss that event).
    api.on('settings.changed', () => this.#stale.add('settings'));
    api.on('connection.changed', () => this.#stale.add('connection'));
    api.on('library.changed', () => this.#stale.add('library'));
    // Main fetches the first screen's thumbnails as it answers (see [Note: A page load's first
    // screen is fetched while the page evaluates]); an unsure estimate is not sent.
    const firstScreen = firstScreenTiles(firstScreenBox());
    this.#answer = api.call('app.boot', { firstPageLimit: DEFAULT_PAGE_SIZE, ...(firstScreen ? { firstScreen } : {}) }).then(
      (answer) => {
        if (answer.library) preloadFirstScreen(answer.library.firstPage.photos);
        return answer;
      },
      () => undefined,
    );
  }

  /** See bootAnswered. */
  answered(maxWaitMs: number): Promise<void> {
    const answer = this.#answer;
    if (!answer) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, maxWaitMs);
      void answer.then(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** The boot answer's part, once, if it is there and still current; otherwise undefined. */
  async take<P extends BootPart>(part: P): Promise<BootState[P] | undefined> {
    if (!this.#answer || this.#taken.has(part)) return undefined;
    this.#taken.add(part);
    const answer = await this.#answer;
    if (!answer || this.#stale.has(part)) return undefined;
    return answer[part];
  }
}

/** Preloads still loading, kept referenced so they are not collected (and cancelled) before they land. */
const preloading = new Set<HTMLImageElement>();

/** What the grid's box loses beside the sidebar: its side padding (PhotoGrid) and the scrubber, with room to spare. */
const GRID_CHROME_MIN_PX = 24;
const GRID_CHROME_MAX_PX = 96;

/**
 * Fetch the thumbnails of the grid's first screen while the app's code is still evaluated, so
 * its tiles find them in the browser's cache when they mount. The grid's width is the window's
 * less the sidebar's (as the person left it) and the grid's own chrome, at the default zoom: the
 * first `columns × rows` photos at the widest it can be are every tile the first screen can
 * show, and a few just below it, which the grid asks for next anyway. Where the narrowest and
 * the widest estimate would show different thumbnail sizes (a tile near 240 px), nothing is
 * fetched (any width in between would): a wrong size would only add requests in front of the
 * right ones.
 */
export function preloadFirstScreen(photos: readonly PhotoSummary[]): void {
  const paths = firstScreenThumbnails(photos, firstScreenBox());
  for (const path of paths) {
    const image = new Image();
    const done = () => preloading.delete(image);
    image.addEventListener('load', done, { once: true });
    image.addEventListener('error', done, { once: true });
    preloading.add(image);
    image.src = path;
  }
}

/** The box beside the sidebar (as the person left it) that the grid's first screen fills, in this window. */
export function firstScreenBox(): FirstScreenBox {
  return { widthPx: window.innerWidth - readSidebarWidth(), heightPx: window.innerHeight, devicePixelRatio: window.devicePixelRatio };
}

export interface FirstScreenBox {
  readonly widthPx: number;
  readonly heightPx: number;
  readonly devicePixelRatio: number;
}

/** The thumbnails `preloadFirstScreen` fetches for a grid box beside the sidebar (see there); none when their size is unsure. */
export function firstScreenThumbnails(photos: readonly PhotoSummary[], box: FirstScreenBox): string[] {
  const screen = firstScreenTiles(box);
  return screen ? photos.slice(0, screen.tiles).map((photo, index) => tileImageUrl(index, photo.uid, screen.size)) : [];
}

/**
 * The thumbnail size and the number of photos from the top that the grid's first screen shows
 * in `box` at the default zoom (see `preloadFirstScreen`), or null when the size is unsure.
 */
export function firstScreenTiles(box: FirstScreenBox): { size: ThumbSize; tiles: number } | null {
  const widest = gridMetrics(box.widthPx - GRID_CHROME_MIN_PX, DEFAULT_ZOOM);
  const size = tileThumbSize(widest.tilePx, box.devicePixelRatio);
  // Tiles grow with the width until one more column fits: check every width in between.
  let smallestTilePx = widest.tilePx;
  for (let chromePx = GRID_CHROME_MIN_PX; chromePx <= GRID_CHROME_MAX_PX; chromePx++) {
    const metrics = gridMetrics(box.widthPx - chromePx, DEFAULT_ZOOM);
    if (tileThumbSize(metrics.tilePx, box.devicePixelRatio) !== size) return null;
    smallestTilePx = Math.min(smallestTilePx, metrics.tilePx);
  }
  const rows = Math.ceil(box.heightPx / smallestTilePx);
  return { size, tiles: widest.columns * rows };
}

let boot = new Boot();

/** Send the boot call now (renderer/main.ts, before the app's code loads). */
export function startBoot(): void {
  boot.start();
}

/**
 * How long the app's code waits for the boot answer before it runs anyway: the answer takes a
 * round trip of tens of ms; a main that takes longer (busy, or its call failed without an
 * answer) still gets a page that shows its own loading state.
 */
export const BOOT_WAIT_MAX_MS = 500;

/**
 * Resolves once the boot answer is in (or failed), its first-screen thumbnails already asked
 * for, or after `maxWaitMs`; at once if the boot call was never sent.
 *
 * [Note: The app's code waits for the boot answer]
 * The page's one thread evaluates the app's chunk and mounts it in one go (some 300–550 ms of
 * CPU on a loaded machine, test/bench/library.bench.ts). An answer that arrived meanwhile waited
 * behind it, and so did the first screen's thumbnail requests it starts, and only then did main
 * begin reading them from disk. Waiting for the answer first costs one round trip and lets main
 * read the thumbnails while the page evaluates the app (renderer/main.ts). The chunk's top level
 * (zod's classes, the schemas, the components' definitions) is evaluated during that round trip,
 * when the page is idle anyway; only the mount waits: after the answer, the mount began ~165 ms
 * later (a trace of grid.first_paint_100k_ms at rest: the import's evaluation queued behind the
 * first screen's 30 image responses).
 */
export function bootAnswered(maxWaitMs = BOOT_WAIT_MAX_MS): Promise<void> {
  return boot.answered(maxWaitMs);
}

/** See Boot.take. Undefined when the boot call was never sent (unit tests), failed, or the part is stale. */
export function takeBoot<P extends BootPart>(part: P): Promise<BootState[P] | undefined> {
  return boot.take(part);
}

/** A fresh boot (renderer unit tests). */
export function resetBootForTests(): void {
  boot = new Boot();
}
