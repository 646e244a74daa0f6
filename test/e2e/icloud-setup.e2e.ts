import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTrayView } from '../../main/tray/tray-menu';
import type { WebShell } from '../../main/webshell/server';
import type { SyncStatus } from '../../shared/sync/state';
import { startCloudKitEmulator, type CloudKitEmulator } from '../emulators/cloudkit';
import { photoflareSchema } from '../emulators/cloudkit/photoflare-schema';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../emulators/photoprism';
import { makeDevice, type TestDevice } from '../helpers/devices';
import { screenshotPath } from './helpers/chromium';
import { openInChromium } from './helpers/core-session';

/**
 * An iCloud container nobody set up (no Photoflare schema, as every new container): after one
 * sync run the error is visible in the title bar, in Settings and in the menu-bar model, the
 * change waits on the device, and once the schema is deployed Sync Now goes through. Then the
 * zone is deleted elsewhere: Settings offers Upload Again or Turn Off iCloud Sync.
 */
describe('an iCloud container without the Photoflare schema', () => {
  let browser: Browser;
  let page: Page;
  let pp: PhotoPrismEmulator;
  let ck: CloudKitEmulator;
  let a: TestDevice;
  let shell: WebShell;

  beforeAll(async () => {
    pp = await startPhotoPrismEmulator({ photos: 60, albums: 2, seed: 11, rateLimits: false });
    ck = await startCloudKitEmulator(); // empty schema, like a new container
    a = await makeDevice({ name: 'a', photoprism: pp, cloudkit: ck });
    ({ shell, browser, page } = await openInChromium(a.core, { width: 1440, height: 900 }));
  });

  afterAll(async () => {
    await browser?.close();
    await shell?.close();
    await a?.close();
    await ck?.close();
    await pp?.close();
  });

  const sync = () => {
    const engine = a.core.sync;
    if (!engine) throw new Error('no sync engine');
    return engine;
  };

  async function shoot(name: string): Promise<void> {
    for (const [width, height] of [
      [1440, 900],
      [1024, 700],
    ] as const) {
      await page.setViewportSize({ width, height });
      for (const colorScheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme });
        await page.screenshot({ path: screenshotPath(`${name}-${width}x${height}-${colorScheme}`) });
      }
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.emulateMedia({ colorScheme: 'light' });
  }

  it('shows "not set up" in the title bar, Settings and the menu bar after one run, keeps the change, and goes on once the schema is deployed', async () => {
    const status = page.getByTestId('sync-status');
    await page.locator('[role="gridcell"][data-index="0"]').click();
    await page.keyboard.press('f');
    await expect.poll(() => sync().status().pendingCount).toBe(1);

    expect(await sync().runOnce()).toEqual({ kind: 'halt' });

    await expect.poll(() => status.textContent(), { timeout: 15_000 }).toContain('The iCloud container is not set up for Photoflare');
    expect(await status.getAttribute('data-tone')).toBe('attention');
    const tray = buildTrayView(sync().status(), Date.now());
    expect(tray.icon).toBe('attention');
    expect(tray.statusLine).toBe('The iCloud container is not set up for Photoflare');
    expect(tray.menu).toContainEqual({ type: 'normal', label: '1 change waiting to sync', enabled: false });

    await status.click();
    const section = page.getByTestId('settings-sync');
    await expect
      .poll(() => section.getByTestId('settings-sync-status').textContent())
      .toBe('The iCloud container is not set up for Photoflare');
    expect(await section.getByTestId('sync-container-not-set-up').textContent()).toContain('docs/cloudkit-schema.ckdb');
    expect(await section.textContent()).toContain('1 change waiting to sync');
    await shoot('icloud-not-set-up');

    // The developer deploys docs/cloudkit-schema.ckdb; Sync Now (keyboard) goes through.
    ck.admin.installSchema(photoflareSchema());
    sync().start();
    await section.getByTestId('sync-now').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => section.getByTestId('settings-sync-status').textContent(), { timeout: 15_000 }).toMatch(/^Up to date/);
    expect(sync().status().pendingCount).toBe(0);
    expect(ck.admin.records('alice', 'PhotoflareEvents')).toHaveLength(1);
    await shoot('icloud-settings-up-to-date');
  });

  it('after the data was deleted elsewhere, offers Upload Again or Turn Off iCloud Sync, never re-creating it by itself', async () => {
    sync().stop();
    ck.admin.setDeletedZonesInFeed(false);
    ck.admin.purgeZone('alice', 'PhotoflareEvents');
    await page.getByTestId('sidebar-all').click();
    await page.locator('[role="gridcell"][data-index="1"]').click();
    await page.keyboard.press('f');
    await expect.poll(() => sync().status().pendingCount).toBe(1);
    expect(await sync().runOnce()).toEqual({ kind: 'halt' });
    const section = page.getByTestId('settings-sync');
    await page.getByTestId('sync-status').click();
    await expect
      .poll(() => section.getByTestId('settings-sync-status').textContent(), { timeout: 15_000 })
      .toBe('Sync data was removed from iCloud');
    expect(await section.getByTestId('sync-upload-again').isVisible()).toBe(true);
    expect(await section.getByTestId('sync-turn-off').isVisible()).toBe(true);
    expect(ck.admin.zones('alice').find((zone) => zone.zoneName === 'PhotoflareEvents')?.deleted).toBe(true);
    await shoot('icloud-zone-deleted');
    await section.getByTestId('sync-turn-off').click();
    await expect.poll(async () => (await a.call<SyncStatus>('sync.status')).state.name).toBe('disabled');
    expect(ck.admin.zones('alice').find((zone) => zone.zoneName === 'PhotoflareEvents')?.deleted).toBe(true);
  });
});
