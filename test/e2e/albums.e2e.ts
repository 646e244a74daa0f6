import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../emulators/photoprism';
import { screenshotPath } from './helpers/chromium';
import { startSignedInSession, type SignedInSession } from './helpers/core-session';

/**
 * The album overview and an album's grid in Chromium, against the PhotoPrism emulator: covers
 * load, sorting works, an album opens as a grid. Screenshots at two sizes, light and dark, for
 * people to look at (never compared).
 */
describe('albums', () => {
  let emu: PhotoPrismEmulator;
  let app: SignedInSession;

  beforeAll(async () => {
    emu = await startPhotoPrismEmulator({ photos: 240, albums: 6, seed: 14, rateLimits: false });
    app = await startSignedInSession({ emu, profile: 'e2e-albums', viewport: { width: 1440, height: 900 } });
  });
  afterAll(async () => {
    await app?.close();
    await emu?.close();
  });

  it('the overview shows a cover per album, sorts, and opens an album as a grid', async () => {
    const page = app.page;
    await expect.poll(() => page.getByTestId('photo-grid').isVisible(), { timeout: 30_000 }).toBe(true);
    await page.getByTestId('sidebar-albums-overview').click();
    const cards = page.getByTestId('album-card');
    await expect.poll(() => cards.count()).toBe(6);
    // Covers are real thumbnails (decoded images, not broken ones).
    await expect
      .poll(() =>
        page.$$eval(
          '[data-testid="album-card"] img',
          (images) => images.filter((img) => (img as HTMLImageElement).naturalWidth > 0).length,
        ),
      )
      .toBeGreaterThan(0);
    await page.getByTestId('album-sort-count').click();
    const counts = await page.$$eval('[data-testid="album-card"] .meta', (metas) =>
      metas.map((meta) => Number.parseInt(meta.textContent ?? '', 10)),
    );
    expect(counts).toEqual([...counts].sort((a, b) => b - a));

    for (const [width, height] of [
      [1440, 900],
      [1024, 700],
    ] as const) {
      await page.setViewportSize({ width, height });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.getByTestId('sidebar-albums-overview').click();
        await expect.poll(() => cards.count()).toBe(6);
        await page.screenshot({ path: screenshotPath(`album-overview-${width}-${scheme}`) });
        await cards.first().click();
        await expect.poll(() => page.getByTestId('photo-grid').isVisible()).toBe(true);
        await page.waitForTimeout(300); // thumbnails paint (a screenshot for people, not an assertion)
        await page.screenshot({ path: screenshotPath(`album-${width}-${scheme}`) });
        await page.getByTestId('sidebar-all').click();
        await expect.poll(() => page.locator('[role="rowheader"]').count()).toBeGreaterThan(0);
        await page.waitForTimeout(300);
        await page.screenshot({ path: screenshotPath(`library-${width}-${scheme}`) });
      }
    }
  });
});
