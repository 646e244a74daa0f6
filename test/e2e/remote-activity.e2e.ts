import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebShell } from '../../main/webshell/server';
import { startCloudKitEmulator, type CloudKitEmulator } from '../emulators/cloudkit';
import { photoflareSchema } from '../emulators/cloudkit/photoflare-schema';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../emulators/photoprism';
import { makeDevice, type TestDevice } from '../helpers/devices';
import { screenshotPath } from './helpers/chromium';
import { openInChromium } from './helpers/core-session';

/**
 * Activity on the receiving device (issue 14, item 8): device A favourites a photo and adds two
 * to an album; iCloud carries only event names and UIDs; device B, in Chromium, shows what
 * happened in words ("Favourited 1 photo on another device"), one line per action.
 */
describe('Activity says what another device did', () => {
  let pp: PhotoPrismEmulator;
  let ck: CloudKitEmulator;
  let a: TestDevice;
  let b: TestDevice;
  let shell: WebShell;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    pp = await startPhotoPrismEmulator({ photos: 12, albums: 2, seed: 5, rateLimits: false });
    ck = await startCloudKitEmulator({ recordTypes: photoflareSchema() });
    a = await makeDevice({ name: 'activity-a', photoprism: pp, cloudkit: ck });
    b = await makeDevice({ name: 'activity-b', photoprism: pp, cloudkit: ck });
    ({ shell, browser, page } = await openInChromium(b.core, { width: 1440, height: 900 }));
  });

  afterAll(async () => {
    await browser?.close();
    await shell?.close();
    await a?.close();
    await b?.close();
    await ck?.close();
    await pp?.close();
  });

  it('lists the favourite and the album addition in words, light and dark, at two sizes', async () => {
    const server = pp.admin.snapshot();
    const album = server.albums
      .filter((candidate) => candidate.DeletedAt === null)
      .sort((x, y) => x.PhotoUIDs.length - y.PhotoUIDs.length)[0];
    if (!album) throw new Error('no album');
    const [first, second, third] = server.photos.filter(
      (p) => !p.Archived && !p.Favorite && !p.Private && !album.PhotoUIDs.includes(p.UID),
    );
    if (!first || !second || !third) throw new Error('library too small');
    await a.call('actions.setFavorite', { uids: [first.UID], favorite: true });
    await a.call('actions.addToAlbum', { albumUid: album.UID, uids: [second.UID, third.UID] });
    await a.core.sync?.runOnce();
    await b.core.sync?.runOnce();

    await expect.poll(() => page.getByTestId('view-subtitle').textContent(), { timeout: 30_000 }).toMatch(/^\d+ photos$/);
    await page.keyboard.press('Control+3');
    const entries = page.getByTestId('activity-entry');
    await expect.poll(() => entries.count(), { timeout: 20_000 }).toBe(2);
    const lines = (await entries.locator('.summary').allTextContents()).map((text) => text.trim());
    expect(lines).toEqual([`Added 2 photos to “${album.Title}” on another device`, 'Favourited 1 photo on another device']);
    for (const [width, height] of [
      [1440, 900],
      [1024, 700],
    ] as const) {
      await page.setViewportSize({ width, height });
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await page.screenshot({ path: screenshotPath(`activity-remote-${width}-${colorScheme}`) });
      }
    }
  });
});
