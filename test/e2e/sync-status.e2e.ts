import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebShell } from '../../main/webshell/server';
import { startCloudKitEmulator, type CloudKitEmulator } from '../emulators/cloudkit';
import { photoflareSchema } from '../emulators/cloudkit/photoflare-schema';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../emulators/photoprism';
import { makeDevice, type TestDevice } from '../helpers/devices';
import { screenshotPath } from './helpers/chromium';
import { openInChromium, tileUid } from './helpers/core-session';

/**
 * A demo-like run (two devices on one PhotoPrism and one iCloud): the sync status in the web
 * shell's title area goes idle → syncing → idle when a photo is favourited from the keyboard,
 * and the other device receives the change.
 */
describe('sync status in the web shell', () => {
  let browser: Browser;
  let page: Page;
  let pp: PhotoPrismEmulator;
  let ck: CloudKitEmulator;
  let a: TestDevice;
  let b: TestDevice;
  let shell: WebShell;

  beforeAll(async () => {
    pp = await startPhotoPrismEmulator({ photos: 120, albums: 3, seed: 8, rateLimits: false });
    ck = await startCloudKitEmulator({ recordTypes: photoflareSchema() });
    a = await makeDevice({ name: 'a', photoprism: pp, cloudkit: ck });
    b = await makeDevice({ name: 'b', photoprism: pp, cloudkit: ck });
    await a.core.sync?.runOnce();
    await b.core.sync?.runOnce();
    a.core.sync?.start();
    ({ shell, browser, page } = await openInChromium(a.core));
  });

  afterAll(async () => {
    await browser?.close();
    await shell?.close();
    await a?.close();
    await b?.close();
    await ck?.close();
    await pp?.close();
  });

  it('goes idle → syncing → idle as a favourite is pushed, and the other device gets it', async () => {
    const status = page.getByTestId('sync-status');
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/Up to date/);

    // Record every text the status shows, so a fast "Syncing…" cannot slip between two polls.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seenStatus: string[] }).seenStatus = seen;
      const node = document.querySelector('[data-testid="titlebar-status"]');
      const note = () => {
        const text = node?.textContent?.trim() ?? '';
        if (text && seen.at(-1) !== text) seen.push(text);
      };
      note();
      if (node) new MutationObserver(note).observe(node, { subtree: true, childList: true, characterData: true });
    });
    // Slow iCloud down so the syncing state is on screen long enough for a person to see it.
    ck.admin.setLatency(400);

    await page.locator('[role="gridcell"][data-index="0"]').click();
    const uid = tileUid(await page.locator('[role="gridcell"][data-index="0"] img').getAttribute('src'));
    if (!uid) throw new Error('no first tile');
    const wasFavourite = pp.admin.snapshot().photos.find((p) => p.UID === uid)?.Favorite;
    await page.keyboard.press('f');
    await expect.poll(() => pp.admin.snapshot().photos.find((p) => p.UID === uid)?.Favorite).toBe(!wasFavourite);

    await expect
      .poll(() => page.evaluate(() => (window as unknown as { seenStatus: string[] }).seenStatus), { timeout: 30_000 })
      .toEqual(expect.arrayContaining([expect.stringMatching(/^Syncing|Checking iCloud/)]));
    await page.screenshot({ path: screenshotPath('sync-status-syncing') });
    await expect.poll(() => status.textContent(), { timeout: 30_000 }).toMatch(/Up to date/);
    const seen = await page.evaluate(() => (window as unknown as { seenStatus: string[] }).seenStatus);
    const firstBusy = seen.findIndex((text) => /^Syncing|Checking iCloud/.test(text));
    expect(seen[0]).toMatch(/Up to date/);
    expect(firstBusy).toBeGreaterThan(0);
    expect(seen.slice(firstBusy).some((text) => /Up to date/.test(text))).toBe(true);

    // The other device pulls the event and refreshes that photo from its own server.
    await b.core.sync?.runOnce();
    expect(b.core.library.details(uid as never).favorite).toBe(!wasFavourite);
  });
});
