import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeEvents } from '../../shared/events/schema';
import { DATABASE_FILE, openDatabase } from '../../main/db/database';
import type { WebShell } from '../../main/webshell/server';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../emulators/photoprism';
import { makeDevice, type TestDevice } from '../helpers/devices';
import { screenshotPath } from './helpers/chromium';
import { openInChromium } from './helpers/core-session';

/**
 * A profile damaged between two runs (issue "Unbreakable", items 10 and 11): a page of the
 * library cache overwritten and the iCloud Sync setting unreadable. The app starts anyway,
 * rebuilds the cache from the server, keeps the outbox, and the window says what happened —
 * then Settings → Download Diagnostics hands out a report with no server address or user name.
 */
describe('start-up after damage, in Chromium', () => {
  let emu: PhotoPrismEmulator;
  let dir: string;
  let device: TestDevice;
  let shell: WebShell;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    emu = await startPhotoPrismEmulator({ photos: 120, albums: 3, seed: 5, rateLimits: false });
    dir = mkdtempSync(join(tmpdir(), 'pf-e2e-startup-'));
    const first = await makeDevice({ name: 'e2e', photoprism: emu, dir });
    // One change made while sync was on and not yet pushed: the outbox.
    first.core.eventLog.appendLocal(makeEvents('photos.updated', ['p000000000000001', 'p000000000000002']), { syncEnabled: true });
    await first.close();

    // Scribble over the photos table's root page, and make the sync setting unreadable.
    const path = join(dir, DATABASE_FILE);
    const probe = openDatabase(path);
    const { rootpage } = probe.prepare(`SELECT rootpage FROM sqlite_schema WHERE name = 'photos'`).get() as { rootpage: number };
    probe.close();
    const bytes = readFileSync(path);
    bytes.fill(0xee, (rootpage - 1) * 4096, rootpage * 4096);
    writeFileSync(path, bytes);
    writeFileSync(join(dir, 'settings.json'), JSON.stringify({ theme: 'system', syncEnabled: 'yes', thumbnailCacheMiB: 2048 }));

    device = await makeDevice({ name: 'e2e', photoprism: emu, dir });
    ({ shell, browser, page } = await openInChromium(device.core, { width: 1440, height: 900 }));
  });

  afterAll(async () => {
    await browser?.close();
    await shell?.close();
    await device?.close();
    await emu?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('starts on the rebuilt library with the notices on top, and the outbox intact', async () => {
    await page.getByTestId('view-title').waitFor();
    const repaired = page.getByRole('alert', { name: 'Your library database was repaired' });
    await repaired.waitFor();
    expect(await repaired.textContent()).toContain('1 change from your history was saved, including 1 change not yet sent to iCloud');
    // Only the sync field was unreadable: one question, which also says where the bad file went.
    const question = page.getByRole('alert', { name: 'Should iCloud Sync be on?' });
    await question.waitFor();
    expect(await question.textContent()).toContain('settings.json.bad-');
    expect(await page.getByRole('alert').count()).toBe(2);
    expect(device.core.eventLog.countPending()).toBe(1);
    expect(device.core.library.counts().all).toBeGreaterThan(0);

    for (const [width, height] of [
      [1440, 900],
      [1024, 700],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.emulateMedia({ colorScheme: 'light' });
      await page.screenshot({ path: screenshotPath(`startup-notices-${width}-light`) });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.screenshot({ path: screenshotPath(`startup-notices-${width}-dark`) });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('answers the questions from the keyboard', async () => {
    await page.getByRole('button', { name: 'Keep It Off' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('alert', { name: 'Should iCloud Sync be on?' }).waitFor({ state: 'detached' });
    expect(device.core.settings.syncUndecided()).toBe(false);
    await page.getByRole('button', { name: 'OK' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('startup-notices').waitFor({ state: 'detached' });
  });

  it('Settings → Download Diagnostics: a report without the server address or the user name', async () => {
    await page.getByTestId('sidebar-settings').click();
    const section = page.getByTestId('settings-diagnostics');
    await section.scrollIntoViewIfNeeded();
    for (const [width, height] of [
      [1440, 900],
      [1024, 700],
    ] as const) {
      await page.setViewportSize({ width, height });
      await section.scrollIntoViewIfNeeded();
      await page.emulateMedia({ colorScheme: 'light' });
      await page.screenshot({ path: screenshotPath(`settings-diagnostics-${width}-light`) });
      await page.emulateMedia({ colorScheme: 'dark' });
      await page.screenshot({ path: screenshotPath(`settings-diagnostics-${width}-dark`) });
    }
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download Diagnostics' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^Photoflare-Diagnostics-.*\.txt$/);
    const text = readFileSync((await download.path()) ?? '', 'utf8');
    expect(text).toContain('state: online');
    expect(text).toContain('pending=1');
    const server = new URL(emu.url);
    expect(text).not.toContain(server.host);
    expect(text).not.toContain(emu.credentials.username);
  });
});
