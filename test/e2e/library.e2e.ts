import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose, type Core } from '../../main/compose';
import { createMemoryLogger } from '../../main/log/logger';
import { MemorySecretStore } from '../../main/secrets/secret-store';
import type { WebShell } from '../../main/webshell/server';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../emulators/photoprism';
import { screenshotPath } from './helpers/chromium';
import { openInChromium, tileUid } from './helpers/core-session';

/**
 * Desktop browsing, end to end (issue: PhotoPrism connection, cache and browsing): sign in with
 * a wrong password then the right one, browse, open an album, walk the viewer with the keyboard,
 * lose the server (offline banner, cached library and thumbnails still there), get it back, and
 * see a change made on the server (as its web UI would) arrive without a manual refresh.
 */
describe('browsing a PhotoPrism library in Chromium', () => {
  let browser: Browser;
  let page: Page;
  let emu: PhotoPrismEmulator;
  let core: Core;
  let shell: WebShell;
  let dir: string;

  beforeAll(async () => {
    emu = await startPhotoPrismEmulator({ photos: 240, albums: 4, seed: 3, rateLimits: false });
    dir = mkdtempSync(join(tmpdir(), 'pf-e2e-library-'));
    core = compose({
      profile: 'e2e',
      profileDir: dir,
      shell: 'web',
      version: '0.0.0-e2e',
      log: createMemoryLogger('e2e'),
      secrets: new MemorySecretStore(),
    });
    ({ shell, browser, page } = await openInChromium(core));
  });

  afterAll(async () => {
    await browser?.close();
    await shell?.close();
    await core?.dispose();
    await emu?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function submitSignIn(password: string) {
    await page.getByLabel('Server address').fill(emu.url);
    await page.getByLabel('User name').fill(emu.credentials.username);
    await page.getByLabel('Password or app password').fill(password);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    // Plain HTTP on loopback asks nothing (it never leaves this computer; a LAN address would).
    await expect
      .poll(async () => (await page.getByTestId('photo-grid').isVisible()) || (await page.getByTestId('sign-in-error').isVisible()))
      .toBe(true);
    expect(await page.getByRole('button', { name: 'Connect Anyway' }).count()).toBe(0);
  }

  it('says clearly when the password is wrong, then signs in with the right one', async () => {
    await submitSignIn('not-the-password');
    const error = page.getByTestId('sign-in-error');
    await expect.poll(() => error.isVisible()).toBe(true);
    expect(await error.getAttribute('data-kind')).toBe('auth');
    expect((await error.textContent())?.toLowerCase()).toMatch(/password|user name|credentials/);

    await page.getByLabel('Password or app password').fill(emu.credentials.password);
    await page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => page.getByTestId('photo-grid').isVisible(), { timeout: 30_000 }).toBe(true);
  });

  it('browses the library: tiles with real thumbnails, and an album', async () => {
    // Library = PhotoPrism's browse view: no archived, private or review photos.
    const visible = emu.admin.snapshot().photos.filter((p) => !p.Archived && !p.DeletedAt && !p.Private && p.Quality >= 3).length;
    await expect.poll(() => page.getByTestId('view-subtitle').textContent(), { timeout: 30_000 }).toContain(String(visible));
    await expect
      .poll(() =>
        page.locator('[role="gridcell"] img').evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length),
      )
      .toBeGreaterThan(5);
    await page.screenshot({ path: screenshotPath('library') });

    const album = emu.admin.snapshot().albums.find((a) => !a.DeletedAt && a.PhotoUIDs.length > 0);
    if (!album) throw new Error('the generated library has no album with photos');
    await page.getByTestId('sidebar-album').filter({ hasText: album.Title }).first().click();
    await expect.poll(() => page.getByTestId('view-title').textContent()).toBe(album.Title);
    // Broken photos (quality -1) are members the server never lists.
    const listed = new Set(
      emu.admin
        .snapshot()
        .photos.filter((p) => p.Quality !== -1)
        .map((p) => p.UID),
    );
    const members = album.PhotoUIDs.filter((uid) => listed.has(uid)).length;
    await expect.poll(() => page.getByTestId('view-subtitle').textContent()).toContain(String(members));
    await page.getByTestId('sidebar-all').click();
  });

  it('walks the viewer with the keyboard', async () => {
    // Focus the first photo (a click selects it; ⌘-free, like Photos), then keys only.
    await page.locator('[role="gridcell"][data-index="0"]').click();
    await page.keyboard.press('Enter');
    const viewer = page.getByTestId('viewer');
    await expect.poll(() => viewer.isVisible()).toBe(true);
    const counter = page.getByTestId('viewer-counter');
    await expect.poll(() => counter.textContent()).toMatch(/^1 of /);
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => counter.textContent()).toMatch(/^2 of /);
    await page.keyboard.press('ArrowLeft');
    await expect.poll(() => counter.textContent()).toMatch(/^1 of /);
    await page.keyboard.press('Escape');
    await expect.poll(() => viewer.isVisible()).toBe(false);
  });

  it('keeps the cached library and thumbnails browsable while the server is down, and recovers', async () => {
    await emu.admin.goDown();
    // The next look at the server notices; a refresh makes it look now.
    await core.dispatch('library.refresh', {}, { trusted: true, description: 'test' });
    const banner = page.getByTestId('offline-banner');
    await expect.poll(() => banner.isVisible(), { timeout: 30_000 }).toBe(true);
    await page.screenshot({ path: screenshotPath('library-offline') });

    // Scroll to photos never shown before: their rows come from the cache, thumbnails from disk
    // where they were fetched, and the grid itself keeps working.
    await page.getByTestId('photo-grid').focus();
    await page.keyboard.press('End');
    await page.keyboard.press('Home');
    await expect
      .poll(() =>
        page.locator('[role="gridcell"] img').evaluateAll((imgs) => imgs.filter((i) => (i as HTMLImageElement).naturalWidth > 0).length),
      )
      .toBeGreaterThan(5);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('viewer').isVisible()).toBe(true);
    await page.keyboard.press('Escape');

    await emu.admin.goUp();
    await expect.poll(() => banner.isVisible(), { timeout: 90_000 }).toBe(false);
  });

  it('shows a change made on the server without a manual refresh', async () => {
    // The first tile's photo, favourited on the server as PhotoPrism's web UI would.
    const firstUid = await page.evaluate(() => document.querySelector('[role="gridcell"][data-index="0"] img')?.getAttribute('src'));
    const uid = tileUid(firstUid);
    if (!uid) throw new Error('no first tile');
    const already = emu.admin.snapshot().photos.find((p) => p.UID === uid)?.Favorite;
    if (already) emu.admin.unlikePhoto(uid);
    else emu.admin.likePhoto(uid);
    const heart = page.locator('[role="gridcell"][data-index="0"] .favorite');
    await expect.poll(() => heart.count(), { timeout: 60_000 }).toBe(already ? 0 : 1);
  });
});
