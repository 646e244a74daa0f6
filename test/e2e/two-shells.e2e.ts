import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebShell } from '../../main/webshell/server';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../emulators/photoprism';
import { makeDevice, type TestDevice } from '../helpers/devices';
import { launchChromium, screenshotPath } from './helpers/chromium';
import { serveCore, tileUid } from './helpers/core-session';

/**
 * The README's two-device demo in ONE browser: two web shells (two profiles) open side by side
 * in the same Chromium profile. Cookies ignore ports, so with one shared cookie name opening the
 * second shell logged the first one out ([Note: Web shell secret]). Both must keep working after
 * both are opened and used: reloads, thumbnails (behind the cookie), and a curation action each.
 */
describe('two web shells in one Chromium', () => {
  let pp: PhotoPrismEmulator;
  let devices: TestDevice[];
  let shells: WebShell[];
  let browser: Browser;
  let context: BrowserContext;
  let pages: Page[];

  beforeAll(async () => {
    pp = await startPhotoPrismEmulator({ photos: 60, albums: 2, seed: 11, rateLimits: false });
    devices = [await makeDevice({ name: 'first', photoprism: pp }), await makeDevice({ name: 'second', photoprism: pp })];
    shells = await Promise.all(devices.map((device) => serveCore(device.core)));
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    pages = [];
    // Open the first, then the second: the second's cookie arrives after the first's.
    for (const shell of shells) {
      const page = await context.newPage();
      await page.goto(shell.url);
      pages.push(page);
    }
  });

  afterAll(async () => {
    await browser?.close();
    for (const shell of shells ?? []) await shell.close();
    for (const device of devices ?? []) await device.close();
    await pp?.close();
  });

  /** The library shows with at least one thumbnail loaded through the web shell. */
  async function expectLibrary(page: Page): Promise<void> {
    await expect.poll(() => page.getByTestId('photo-grid').isVisible(), { timeout: 30_000 }).toBe(true);
    await expect
      .poll(
        () =>
          page.locator('[role="gridcell"] img').evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length),
        {
          timeout: 30_000,
        },
      )
      .toBeGreaterThan(0);
  }

  it('keeps both signed in: each has its own cookie, and both reload, load thumbnails and curate', async () => {
    const cookies = await context.cookies();
    expect(cookies.map((cookie) => cookie.name).sort()).toEqual(shells.map((shell) => shell.cookieName).sort());

    for (const [index, page] of pages.entries()) {
      await page.bringToFront();
      // A reload goes through the cookie again (the secret is gone from the address).
      await page.reload();
      expect(page.url()).not.toContain('secret=');
      await expectLibrary(page);

      await page.locator('[role="gridcell"][data-index="' + String(index) + '"]').click();
      const uid = tileUid(await page.locator(`[role="gridcell"][data-index="${index}"] img`).getAttribute('src'));
      if (!uid) throw new Error('no tile');
      const before = pp.admin.snapshot().photos.find((photo) => photo.UID === uid)?.Favorite;
      await page.keyboard.press('f');
      await expect.poll(() => pp.admin.snapshot().photos.find((photo) => photo.UID === uid)?.Favorite, { timeout: 30_000 }).toBe(!before);
      await page.screenshot({ path: screenshotPath(`two-shells-${index === 0 ? 'first' : 'second'}`) });
    }

    // And the first still works after the second was used.
    await pages[0]?.reload();
    if (pages[0]) await expectLibrary(pages[0]);
  });
});
