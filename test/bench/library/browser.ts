import { performance } from 'node:perf_hooks';
import type { Browser, Page } from 'playwright-core';
import type { Core } from '../../../main/compose';
import { thumbnailRoute } from '../../../main/thumbnails/thumbnail-route';
import { startWebShell, type WebShell } from '../../../main/webshell/server';
import { launchChromium } from '../../e2e/helpers/chromium';
import { INSTALL_PROBES, READ_FIRST_PAINT, START_RECORDING, STOP_RECORDING, type PageBench } from './page-scripts';
import { benchLogger, composeBenchCore } from './profile';

/** The window the figures are for: a 13" laptop's browser window (dpr 1). */
export const VIEWPORT = { width: 1280, height: 800 } as const;

/**
 * Scroll: wheel events of this many px, back to back, for this long. Playwright's wheel() waits
 * for the page to take the event (two or three frames here), so this is roughly 20 events/s,
 * about 4,000 px/s: a brisk trackpad scroll, some 450 photos in 4 s.
 */
const WHEEL_DELTA_PX = 200;
export const SCROLL_DURATION_MS = 4000;
/** The grid's first page of thumbnails may take a while on a busy machine: give up after this. */
const FIRST_PAINT_TIMEOUT_MS = 60_000;
/** Let the first screen settle (remaining thumbnails, the next page) before scrolling. */
const SETTLE_MS = 1000;

/** What the page-load and scroll runs measured. */
export interface BrowserResult {
  /** Navigation start → first tile image painted, one per page load. */
  readonly firstPaintMs: readonly number[];
  /** The same event as Chromium's largest-contentful-paint saw it (image entries), a cross-check. */
  readonly lcpImageMs: readonly number[];
  /** compose() + web shell listening, one per load (not part of firstPaintMs). */
  readonly coreStartMs: readonly number[];
  /** Wheel events sent during the scroll. */
  readonly wheelEvents: number;
  /** requestAnimationFrame intervals while scrolling. */
  readonly frameIntervalsMs: readonly number[];
  /** How far the scroll got: the highest grid index on screen at the end. */
  readonly scrolledToIndex: number;
  /** Tile images that loaded / broke during the scroll (broken = thumbnail not on disk offline). */
  readonly tilesLoaded: number;
  readonly tilesBroken: number;
  /** JS heap in use after the scroll (CDP Runtime.getHeapUsage), and after a forced GC. */
  readonly heapUsedBytes: number;
  readonly heapUsedAfterGcBytes: number;
  readonly warnings: readonly string[];
}

/**
 * Cold starts of the app on an indexed profile with the server gone, then a scroll.
 *
 * Each load composes a fresh core and web shell on `profileDir` (the stored session resumes,
 * fails to reach the server, and the library is served from the cache), opens a fresh browser
 * context and navigates; the figure is the page's own clock from navigation start to the first
 * tile image painted. The last load then scrolls the grid with wheel events while the page
 * records frame intervals, and finally reads the renderer's JS heap over CDP.
 */
export async function measureBrowser(options: { profileDir: string; rendererDir: string; loads: number }): Promise<BrowserResult> {
  const browser = await launchChromium();
  const firstPaintMs: number[] = [];
  const lcpImageMs: number[] = [];
  const coreStartMs: number[] = [];
  const warnings: string[] = [];
  try {
    let scroll: Omit<BrowserResult, 'firstPaintMs' | 'lcpImageMs' | 'coreStartMs' | 'warnings'> | undefined;
    for (let load = 0; load < options.loads; load++) {
      const log = benchLogger(`bench-load-${load}`);
      const started = performance.now();
      const core = composeBenchCore(options.profileDir, log);
      let shell: WebShell | undefined;
      try {
        shell = await startWebShell({ core, staticDir: options.rendererDir, routes: [thumbnailRoute(core.thumbnails)], log: core.log });
        coreStartMs.push(performance.now() - started);
        const last = load === options.loads - 1;
        const result = await loadPage(browser, shell.url, async (page) => (last ? await scrollAndMeasure(page) : undefined));
        firstPaintMs.push(result.firstTileMs);
        if (result.lcpImageMs !== null) lcpImageMs.push(result.lcpImageMs);
        if (result.after) scroll = result.after;
        await assertServedFromCache(core);
      } finally {
        await shell?.close();
        await core.dispose();
        warnings.push(...log.warnings);
      }
    }
    if (!scroll) throw new Error('No page load ran the scroll.');
    return { firstPaintMs, lcpImageMs, coreStartMs, ...scroll, warnings };
  } finally {
    await browser.close();
  }
}

async function loadPage<T>(
  browser: Browser,
  url: string,
  after: (page: Page) => Promise<T>,
): Promise<{ firstTileMs: number; lcpImageMs: number | null; after: T }> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  try {
    const page = await context.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.addInitScript({ content: INSTALL_PROBES });
    await page.goto(url);
    try {
      // A function, not a string: a string predicate is eval'd in the page, which the app's CSP
      // forbids. It must stay anonymous and self-contained (see page-scripts.ts on __name).
      await page.waitForFunction(() => (window as { __bench?: PageBench }).__bench?.firstTileMs != null, undefined, {
        timeout: FIRST_PAINT_TIMEOUT_MS,
        polling: 50,
      });
    } catch (error) {
      throw new Error(`No tile image was painted within ${FIRST_PAINT_TIMEOUT_MS} ms (page errors: ${pageErrors.join('; ') || 'none'}).`, {
        cause: error,
      });
    }
    // LCP reports on its own schedule; a moment later it has seen the first tiles too.
    await page.waitForTimeout(200);
    const probe = await page.evaluate<Pick<PageBench, 'firstTileMs' | 'lcpImageMs'>>(READ_FIRST_PAINT);
    return { firstTileMs: probe.firstTileMs ?? Number.NaN, lcpImageMs: probe.lcpImageMs, after: await after(page) };
  } finally {
    await context.close();
  }
}

async function scrollAndMeasure(page: Page): Promise<Omit<BrowserResult, 'firstPaintMs' | 'lcpImageMs' | 'coreStartMs' | 'warnings'>> {
  await page.waitForTimeout(SETTLE_MS);
  const grid = await page.getByTestId('photo-grid').boundingBox();
  if (!grid) throw new Error('The photo grid is not on screen.');
  await page.mouse.move(grid.x + grid.width / 2, grid.y + grid.height / 2);

  await page.evaluate(START_RECORDING);
  const started = performance.now();
  let wheelEvents = 0;
  while (performance.now() - started < SCROLL_DURATION_MS) {
    await page.mouse.wheel(0, WHEEL_DELTA_PX);
    wheelEvents++;
  }
  const recorded = await page.evaluate<Pick<PageBench, 'frames' | 'tilesLoaded' | 'tilesBroken'> & { scrolledToIndex: number }>(
    STOP_RECORDING,
  );

  const cdp = await page.context().newCDPSession(page);
  const heap = (await cdp.send('Runtime.getHeapUsage')).usedSize;
  await cdp.send('HeapProfiler.collectGarbage');
  const heapAfterGc = (await cdp.send('Runtime.getHeapUsage')).usedSize;
  await cdp.detach();

  return {
    wheelEvents,
    frameIntervalsMs: recorded.frames,
    scrolledToIndex: recorded.scrolledToIndex,
    tilesLoaded: recorded.tilesLoaded,
    tilesBroken: recorded.tilesBroken,
    heapUsedBytes: heap,
    heapUsedAfterGcBytes: heapAfterGc,
  };
}

/** The figures are only about the cache if the core never got online. */
async function assertServedFromCache(core: Core): Promise<void> {
  const result = await core.dispatch('connection.status', {}, { trusted: true, description: 'bench' });
  if (result.ok && (result.value as { state?: string }).state === 'online') {
    throw new Error('The core reached a PhotoPrism server: the first-paint figure would not be from the cache.');
  }
}
