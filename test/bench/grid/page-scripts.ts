/**
 * In-page code for the grid benchmark, kept as plain JavaScript source for the reason given in
 * test/bench/library/page-scripts.ts (tsx's keepNames would break serialised functions).
 *
 * Everything lives on `window.__grid` (see {@link GridProbe}).
 */

/** What the scripts keep on `window.__grid`. */
export interface GridProbe {
  /** requestAnimationFrame intervals recorded during the fling. */
  frames: number[];
  /** Set when the fling has reached the bottom. */
  flingDone: boolean;
  /** The page-clock time of the last pointerdown (a scrubber jump starts there), or null. */
  lastPointerDownAt: number | null;
  /**
   * The page-clock time of the first frame since the last pointerdown (before any: since the
   * page's navigation, its first paint) in which every visible tile had its image
   * (`allVisiblePainted`), or null: see INSTALL_GRID_PROBES.
   */
  paintedAt: number | null;
}

/**
 * Init script: defines `window.__grid` and its helpers before the app's own scripts run.
 *
 * `allVisiblePainted()`: every grid cell that intersects the scroller's box has an `<img>` that
 * finished loading with real pixels. Cells the layout has not filled yet (no photo loaded, so no
 * `<img>`) count as not painted: grey tiles are exactly what the figure is about.
 *
 * `paintedAt`: the page notes itself when its first screen, then a jump's screen, is painted.
 * From the navigation and again after each pointerdown, every image that ends (load or error, captured) asks for one check in the next animation frame
 * (several in a frame share it), and the first frame whose check passes is recorded with its own
 * timestamp. A tile's image can only complete with a load event, so no frame that paints the last
 * one is missed, and nothing is checked while nothing arrives. The bench reads the time later
 * (jumpPaintedAt): asked from outside, over CDP, the answer came back through this process, which
 * hosts main's core, so it waited behind main's work for the overscan's thumbnails that start right
 * when the screen is done (≈ 350 ms late under load, 2026-12-01).
 */
export const INSTALL_GRID_PROBES = `(() => {
  const probe = { frames: [], flingDone: false, lastPointerDownAt: null, paintedAt: null };
  window.__grid = probe;
  // The page's own time of the last pointerdown: where a scrubber jump's clock starts.
  document.addEventListener('pointerdown', (event) => {
    probe.lastPointerDownAt = event.timeStamp;
    probe.paintedAt = null;
  }, true);
  let checkQueued = false;
  const check = (frameAt) => {
    checkQueued = false;
    if (probe.paintedAt === null && probe.allVisiblePainted()) probe.paintedAt = frameAt;
  };
  const imageEnded = () => {
    if (checkQueued || probe.paintedAt !== null) return;
    checkQueued = true;
    requestAnimationFrame(check);
  };
  document.addEventListener('load', imageEnded, true);
  document.addEventListener('error', imageEnded, true);
  probe.scroller = () => document.querySelector('[data-testid="photo-grid"]');
  probe.allVisiblePainted = () => {
    const scroller = probe.scroller();
    if (!scroller) return false;
    const box = scroller.getBoundingClientRect();
    let seen = 0;
    for (const cell of scroller.querySelectorAll('[role="gridcell"]')) {
      const r = cell.getBoundingClientRect();
      if (r.bottom <= box.top || r.top >= box.bottom || r.right <= box.left || r.left >= box.right) continue;
      seen++;
      const img = cell.querySelector('img');
      if (!img || !img.complete || img.naturalWidth === 0) return false;
    }
    return seen > 0;
  };
  // The recorded time; if no image event came since the pointerdown (nothing new to load), now if painted.
  probe.jumpPaintedAt = () => probe.paintedAt ?? (probe.allVisiblePainted() ? performance.now() : null);
})();`;

/**
 * Expression: a fling from the top of the library to its bottom in `durationMs`.
 *
 * Each animation frame sets the scroller's real scrollTop along an ease-out curve (a trackpad
 * flick's momentum decays), so the whole library passes under the viewport in the given time;
 * the frame intervals are recorded meanwhile. Setting scrollTop is how momentum scrolling and
 * scrollbar drags reach the page, and it goes through the grid's scroll-height mapping
 * (renderer/lib/grid/scroll-mapper.ts).
 */
export function fling(durationMs: number): string {
  return `new Promise((resolve) => {
    const probe = window.__grid;
    const scroller = probe.scroller();
    scroller.scrollTop = 0;
    const range = () => scroller.scrollHeight - scroller.clientHeight;
    let start;
    let last;
    const frame = (t) => {
      if (start === undefined) start = t;
      if (last !== undefined) probe.frames.push(t - last);
      last = t;
      const p = Math.min(1, (t - start) / ${durationMs});
      const eased = 1 - Math.pow(1 - p, 2);
      scroller.scrollTop = Math.round(eased * range());
      if (p < 1) requestAnimationFrame(frame);
      else { probe.flingDone = true; resolve(probe.frames.length); }
    };
    requestAnimationFrame(frame);
  })`;
}

/** Where the fling ended, as READ_FLING_END answers it. */
export interface FlingEnd {
  /** The scroller's scrollTop, scrollHeight and clientHeight right after the last fling frame. */
  readonly scrollTopPx: number;
  readonly scrollHeightPx: number;
  readonly clientHeightPx: number;
}

/**
 * Expression: the recorded fling frames and the scroller's position right after the last frame.
 * The position proves the fling travelled; the tiles are read after a settle (READ_VISIBLE_INDEXES):
 * right after a fling the grid still paints placeholder rows, which have no grid cells.
 */
export const READ_FLING_END = `(() => {
  const probe = window.__grid;
  const scroller = probe.scroller();
  return {
    frames: probe.frames,
    scrollTopPx: scroller ? scroller.scrollTop : Number.NaN,
    scrollHeightPx: scroller ? scroller.scrollHeight : Number.NaN,
    clientHeightPx: scroller ? scroller.clientHeight : Number.NaN,
  };
})()`;

/** Expression: the grid indexes of the cells that intersect the scroller's box (empty while placeholders show). */
export const READ_VISIBLE_INDEXES = `(() => {
  const scroller = window.__grid.scroller();
  if (!scroller) return [];
  const box = scroller.getBoundingClientRect();
  const indexes = [];
  for (const cell of scroller.querySelectorAll('[role="gridcell"]')) {
    const r = cell.getBoundingClientRect();
    if (r.bottom <= box.top || r.top >= box.bottom) continue;
    const index = Number(cell.dataset.index);
    if (Number.isFinite(index)) indexes.push(index);
  }
  return indexes;
})()`;
