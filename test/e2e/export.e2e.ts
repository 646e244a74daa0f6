import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebShell } from '../../main/webshell/server';
import type { LibraryPage } from '../../shared/library/schemas';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../emulators/photoprism';
import { readStoredZip } from '../emulators/photoprism/zip-writer';
import { makeDevice, type TestDevice } from '../helpers/devices';
import { screenshotEverySize, screenshotPath } from './helpers/chromium';
import { openInChromium, waitForLibraryShown } from './helpers/core-session';

interface ServerFile {
  Name: string;
  Root: string;
  Hash: string;
  bytes: Buffer;
}

/** A photo's files with the bytes PhotoPrism serves for each, straight from the emulator. */
async function originals(pp: PhotoPrismEmulator, uid: string): Promise<ServerFile[]> {
  const session = await fetch(`${pp.url}/api/v1/session`, { method: 'POST', body: JSON.stringify(pp.credentials) });
  const body = (await session.json()) as { access_token: string; config: { downloadToken: string } };
  const photo = await fetch(`${pp.url}/api/v1/photos/${uid}`, { headers: { 'x-auth-token': body.access_token } });
  const files = ((await photo.json()) as { Files: Omit<ServerFile, 'bytes'>[] }).Files;
  return Promise.all(
    files.map(async (file) => {
      const res = await fetch(`${pp.url}/api/v1/dl/${file.Hash}?t=${body.config.downloadToken}`);
      return { ...file, bytes: Buffer.from(await res.arrayBuffer()) };
    }),
  );
}

/**
 * Export, end to end in the web shell: select three photos with the mouse, ⇧⌘E (Ctrl+Shift+E
 * here) exports their originals; an album's context menu exports it as a zip. The progress
 * panel ends in "done"; the files on disk are the server's originals byte for byte.
 */
describe('Export a selection and an album', () => {
  let pp: PhotoPrismEmulator;
  let a: TestDevice;
  let shell: WebShell;
  let browser: Browser;
  let page: Page;
  const tile = (index: number) => page.locator(`[role="gridcell"][data-index="${index}"]`);

  beforeAll(async () => {
    pp = await startPhotoPrismEmulator({ photos: 16, albums: 2, seed: 21, rateLimits: false });
    a = await makeDevice({ name: 'export-e2e', photoprism: pp });
    ({ shell, browser, page } = await openInChromium(a.core, { width: 1440, height: 900 }));
    await waitForLibraryShown(page);
  });

  afterAll(async () => {
    await browser?.close();
    await shell?.close();
    await a?.close();
    await pp?.close();
  });

  it('exports the selected photos’ originals with ⇧⌘E; the folder holds them byte for byte', async () => {
    const photos = (await a.call<LibraryPage>('library.query', { view: { kind: 'all' }, offset: 0, limit: 3 })).photos;
    await tile(0).click();
    await tile(2).click({ modifiers: ['Shift'] });
    await expect.poll(() => page.getByTestId('selection-count').textContent()).toBe('3 selected');
    await expect.poll(() => page.getByTestId('selection-export').isVisible()).toBe(true);
    await page.keyboard.press('Control+Shift+E');
    const panel = page.locator('[data-testid^="export-"][data-state]').first();
    await expect.poll(() => panel.getAttribute('data-state'), { timeout: 30_000 }).toBe('done');

    const folder = join(a.dir, 'exports');
    const expected = (await Promise.all(photos.map((p) => originals(pp, p.uid)))).flat().filter((f) => f.Root !== 'sidecar');
    const onDisk = readdirSync(folder).sort();
    expect(onDisk).toEqual(expected.map((f) => f.Name.split('/').pop()).sort());
    for (const file of expected) expect(readFileSync(join(folder, file.Name.split('/').pop() ?? '')).equals(file.bytes)).toBe(true);
    expect(await panel.textContent()).toContain(`${expected.length} of ${expected.length} files`);

    await screenshotEverySize(page, 'export');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('export-dismiss').click();
    await expect.poll(() => page.getByTestId('export-panel').count()).toBe(0);
  });

  it('exports an album as a zip from its context menu; every entry is a member’s original', async () => {
    const album = pp.admin.snapshot().albums.find((al) => al.PhotoUIDs.length > 0 && al.DeletedAt === null);
    if (!album) throw new Error('no album with photos');
    await page.locator(`[data-testid="sidebar-album"][data-album-uid="${album.UID}"]`).click({ button: 'right' });
    await page.locator('[data-menu-item="album.export"]').click();
    const panel = page.locator('[data-testid^="export-"][data-state]').first();
    await expect.poll(() => panel.getAttribute('data-state'), { timeout: 30_000 }).toBe('done');
    await page.screenshot({ path: screenshotPath('export-album-light-1440x900') });

    const zip = readStoredZip(readFileSync(join(a.dir, 'exports', `${album.Title}.zip`)));
    const members = pp.admin
      .snapshot()
      .photos.filter((p) => album.PhotoUIDs.includes(p.UID) && !p.Private && !p.Archived && p.Quality >= 3);
    const expected = (await Promise.all(members.map((p) => originals(pp, p.UID)))).flat().filter((f) => f.Root !== 'sidecar');
    expect(zip.size).toBe(expected.length);
    const entries = [...zip.values()];
    for (const file of expected) expect(entries.some((entry) => entry.equals(file.bytes))).toBe(true);
  });
});
