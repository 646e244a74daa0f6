/**
 * Code that runs inside the page, kept as plain JavaScript source.
 *
 * Why strings and not functions handed to Playwright: tsx compiles this folder with esbuild's
 * keepNames, which wraps named functions in a `__name(…)` helper that does not exist in the
 * page, so a serialised function would throw there (and the probe would silently never fire).
 *
 * Everything lives on `window.__bench` (see {@link PageBench}).
 */

/** What the scripts keep on `window.__bench`. */
export interface PageBench {
  firstTileMs: number | null;
  lcpImageMs: number | null;
  frames: number[];
  recording: boolean;
  tilesLoaded: number;
  tilesBroken: number;
}

/**
 * Init script (runs before the app's own scripts).
 *
 * First tile: each animation frame looks for a loaded `[role="gridcell"] img`; once one is
 * there, its decode() is awaited, then a frame is requested and a message posted from inside
 * it. The message is handled after that frame was painted, so `performance.now()` there is
 * the first paint that shows a photo, on the page's clock (0 = navigation start).
 * Largest-contentful-paint image entries are kept as a cross-check.
 */
export const INSTALL_PROBES = `(() => {
  const bench = { firstTileMs: null, lcpImageMs: null, frames: [], recording: false, tilesLoaded: 0, tilesBroken: 0 };
  window.__bench = bench;
  const afterPaint = new MessageChannel();
  afterPaint.port1.onmessage = () => {
    if (bench.firstTileMs === null) bench.firstTileMs = performance.now();
  };
  let found = false;
  const look = () => {
    if (found) return;
    for (const img of document.querySelectorAll('[role="gridcell"] img')) {
      if (img.complete && img.naturalWidth > 0) {
        found = true;
        img.decode().catch(() => undefined).then(() => requestAnimationFrame(() => afterPaint.port2.postMessage(null)));
        return;
      }
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        if (bench.lcpImageMs === null && entry.element && entry.element.tagName === 'IMG') bench.lcpImageMs = entry.renderTime || entry.startTime;
      }
    }).observe({ type: 'largest-contentful-paint', buffered: true });
  } catch {}
  const count = (field) => (event) => {
    if (bench.recording && event.target && event.target.tagName === 'IMG') bench[field]++;
  };
  document.addEventListener('load', count('tilesLoaded'), true);
  document.addEventListener('error', count('tilesBroken'), true);
})();`;

/** Expression: the first-paint probes' results. */
export const READ_FIRST_PAINT = `({ firstTileMs: window.__bench.firstTileMs, lcpImageMs: window.__bench.lcpImageMs })`;

/** Expression: start recording requestAnimationFrame intervals and tile loads. */
export const START_RECORDING = `(() => {
  const bench = window.__bench;
  bench.recording = true;
  let last;
  const frame = (t) => {
    if (!bench.recording) return;
    if (last !== undefined) bench.frames.push(t - last);
    last = t;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})()`;

/** Expression: stop recording; the frames, the tiles, and the highest grid index on screen. */
export const STOP_RECORDING = `(() => {
  const bench = window.__bench;
  bench.recording = false;
  const indexes = [...document.querySelectorAll('[role="gridcell"]')].map((c) => Number(c.dataset.index)).filter((i) => Number.isFinite(i));
  return { frames: bench.frames, tilesLoaded: bench.tilesLoaded, tilesBroken: bench.tilesBroken, scrolledToIndex: Math.max(0, ...indexes) };
})()`;
