import type { ForegroundWork } from './foreground-work';

/** The longest a page load holds background work when its app never reports that it mounted. */
export const PAGE_LOAD_HOLD_MAX_MS = 3000;

/**
 * [Note: A page load is the window's until its app has mounted]
 * A page load is a chain of requests with gaps between them: the HTML, its scripts and styles,
 * the bridge socket, the boot call, the first screen's thumbnails, then the app's evaluation and
 * mount. Each request counts as the window's (`screenCalls.run`), but a gap of a quiet moment let
 * one step of the search-index build in (170–440 ms of main's one thread at 100k, not
 * interruptible), and the page's next file waited behind it: in a Chromium trace of
 * grid.first_paint_100k_ms the page's scripts took ~370 ms to arrive while steps ran. So the
 * page's HTML holds background work (ForegroundWork.hold) until the app reports its window state,
 * which it does once mounted (renderer/lib/window-state.ts), and PAGE_LOAD_HOLD_MAX_MS at most.
 */
export class PageLoadHold {
  readonly #screenCalls: ForegroundWork;
  #release: (() => void) | undefined;

  constructor(screenCalls: ForegroundWork) {
    this.#screenCalls = screenCalls;
  }

  /** A page's HTML was served: a (re)load began. One hold at a time: a reload replaces it. */
  pageRequested(): void {
    this.#release?.();
    this.#release = this.#screenCalls.hold(PAGE_LOAD_HOLD_MAX_MS);
  }

  /** The page's app has mounted: its own calls count from now on. */
  appMounted(): void {
    this.#release?.();
    this.#release = undefined;
  }
}
