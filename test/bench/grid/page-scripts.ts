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
}

/**
 * Init script: defines `window.__grid` and its helpers before the app's own scripts run.
 *
 * `allVisiblePainted()`: every grid cell that intersects the scroller's box has an `<img>` that
 * finished loading with real pixels. Cells the layout has not filled yet (no photo loaded, so no
 * `<img>`) count as not painted: grey tiles are exactly what the figure is about.
 */
export const INSTALL_GRID_PROBES = `(() => {
  const probe = { frames: [], flingDone: false, lastPointerDownAt: null };
  window.__grid = probe;
  // The page's own time of the last pointerdown: where a scrubber jump's clock starts.
  document.addEventListener('pointerdown', (event) => { probe.lastPointerDownAt = event.timeStamp; }, true);
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

/** Expression: the recorded fling frames and the highest grid index on screen at the end. */
export const READ_FLING = `(() => {
  const probe = window.__grid;
  const indexes = [...document.querySelectorAll('[role="gridcell"]')].map((c) => Number(c.dataset.index)).filter((i) => Number.isFinite(i));
  return { frames: probe.frames, lastIndex: Math.max(0, ...indexes) };
})()`;
