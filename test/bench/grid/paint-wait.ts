import type { Page } from 'playwright-core';

/** The window the grid figures are for: the app's reference window (dpr 1). */
export const BENCH_VIEWPORT = { width: 1440, height: 900 } as const;
/** Grey tiles for this long on this machine mean something is broken, not slow. */
export const PAINT_TIMEOUT_MS = 60_000;
/** How often the page is asked whether every visible tile is painted: the figures' resolution. */
const POLL_MS = 16;

/**
 * Ms from `startedAt` (page clock) until every visible tile is painted (grid/page-scripts.ts,
 * allVisiblePainted); throws after PAINT_TIMEOUT_MS.
 *
 * Polled from here rather than checked in every animation frame inside the page: on a loaded
 * machine a layout-forcing check in every frame kept the page's images from loading, so the bench
 * measured itself. The page's CSP refuses string eval, so no waitForFunction.
 */
export async function waitVisiblePainted(page: Page, startedAt: number): Promise<number> {
  const deadline = performance.now() + PAINT_TIMEOUT_MS;
  while (!(await page.evaluate<boolean>('window.__grid.allVisiblePainted()'))) {
    if (performance.now() > deadline) throw new Error(`visible tiles not painted in ${PAINT_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return (await page.evaluate<number>('performance.now()')) - startedAt;
}

/** How often a jump's recorded paint time is asked for: a cheap read, so its rate does not set the figure's resolution. */
const JUMP_POLL_MS = 50;

/**
 * Ms from `startedAt` (a pointerdown's page time, or 0 for a page's first paint) until the frame
 * in which every visible tile was painted, as the page recorded it (page-scripts.ts, `paintedAt`);
 * throws after PAINT_TIMEOUT_MS.
 */
export async function waitJumpPainted(page: Page, startedAt: number): Promise<number> {
  const deadline = performance.now() + PAINT_TIMEOUT_MS;
  for (;;) {
    const paintedAt = await page.evaluate<number | null>('window.__grid.jumpPaintedAt()');
    if (paintedAt !== null) return paintedAt - startedAt;
    if (performance.now() > deadline) throw new Error(`visible tiles not painted in ${PAINT_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, JUMP_POLL_MS));
  }
}

/** Click the scrubber at `fraction` of its height; answers the pointerdown's page time (a jump's clock starts there). */
export async function clickScrubber(page: Page, fraction: number): Promise<number> {
  const scrubber = page.getByTestId('scrubber');
  await scrubber.waitFor({ state: 'visible', timeout: PAINT_TIMEOUT_MS });
  const box = await scrubber.boundingBox();
  if (!box) throw new Error('The scrubber is not on screen.');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height * fraction);
  await page.mouse.down();
  const startedAt = await page.evaluate<number>('window.__grid.lastPointerDownAt');
  await page.mouse.up();
  return startedAt;
}
