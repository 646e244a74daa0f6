import type { BootState } from '../../shared/ipc/contract';
import { api } from './api';
import { thumbnailPath, type PhotoSummary } from '../../shared/library/schemas';
import { DEFAULT_PAGE_SIZE } from './grid/page-cache';
import { DEFAULT_ZOOM, gridMetrics, tileThumbSize } from './grid/layout';

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
    this.#answer = api.call('app.boot', { firstPageLimit: DEFAULT_PAGE_SIZE }).then(
      (answer) => {
        if (answer.library) preloadFirstScreen(answer.library.firstPage.photos);
        return answer;
      },
      () => undefined,
    );
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

/**
 * Fetch the thumbnails of the grid's first screen while the app's code is still evaluated, so
 * its tiles find them in the browser's cache when they mount. The grid is at most the window's
 * width (the sidebar takes some of it) and at most its height, at the default zoom: the first
 * `columns × rows` photos of that box are every tile the first screen can show, and a few
 * just below it, which the grid asks for next anyway.
 */
function preloadFirstScreen(photos: readonly PhotoSummary[]): void {
  const metrics = gridMetrics(window.innerWidth, DEFAULT_ZOOM);
  const rows = Math.ceil(window.innerHeight / metrics.rowHeightPx);
  const size = tileThumbSize(metrics.tilePx, window.devicePixelRatio);
  for (const photo of photos.slice(0, metrics.columns * rows)) {
    const image = new Image();
    const done = () => preloading.delete(image);
    image.addEventListener('load', done, { once: true });
    image.addEventListener('error', done, { once: true });
    preloading.add(image);
    image.src = thumbnailPath(photo.uid, size);
  }
}

let boot = new Boot();

/** Send the boot call now (renderer/main.ts, before the app's code loads). */
export function startBoot(): void {
  boot.start();
}

/** See Boot.take. Undefined when the boot call was never sent (unit tests), failed, or the part is stale. */
export function takeBoot<P extends BootPart>(part: P): Promise<BootState[P] | undefined> {
  return boot.take(part);
}

/** A fresh boot (renderer unit tests). */
export function resetBootForTests(): void {
  boot = new Boot();
}
