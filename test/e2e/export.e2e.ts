import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebShell } from '../../main/webshell/server';
import type { LibraryPage } from '../../shared/library/schemas';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../emulators/photoprism';
import { readStoredZip } from '../emulators/photoprism/zip-writer';
import { makeDevice, type TestDevice } from '../helpers/devices';
import { SCREENSHOT_SIZES, screenshotEverySize, screenshotPath } from './helpers/chromium';
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

  /** A dragstart on a tile as Chromium sends it (a fresh DataTransfer), while the real mouse button is held on it; answers its drag data. */
  const dragStartOn = (index: number) =>
    tile(index).evaluate((el) => {
      const transfer = new DataTransfer();
      el.dispatchEvent(new DragEvent('dragstart', { bubbles: true, cancelable: true, dataTransfer: transfer }));
      return { types: [...transfer.types], downloadUrl: transfer.getData('DownloadURL') };
    });

  it('drags one tile out of the browser: its DownloadURL serves the original, byte for byte, as an attachment under its real name', async () => {
    const photo = (await a.call<LibraryPage>('library.query', { view: { kind: 'all' }, offset: 4, limit: 1 })).photos[0];
    if (!photo) throw new Error('no photo');
    const original = (await originals(pp, photo.uid)).find((f) => f.Root !== 'sidecar');
    if (!original) throw new Error('no original');
    const name = original.Name.split('/').pop() ?? '';
    await page.getByTestId('sidebar-all').click({ timeout: 10_000 });
    await tile(4).click({ timeout: 10_000 });
    const box = await tile(4).boundingBox();
    if (!box) throw new Error('tile not on screen');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    // The press asks main for the link; the drag starts a few pixels later, by when it is known.
    let drag = await dragStartOn(4);
    await expect.poll(async () => (drag = await dragStartOn(4)).downloadUrl).not.toBe('');
    await page.mouse.up();
    const [mime, fileName, ...rest] = drag.downloadUrl.split(':');
    const url = rest.join(':');
    expect(drag.types).toContain('application/x-photoflare-uids');
    expect({ mime, fileName }).toEqual({ mime: 'image/jpeg', fileName: name });
    expect(new URL(url).origin).toBe(shell.origin);
    // No token in what the page holds: the URL names the photo only; main adds the download token.
    expect(url).not.toMatch(/[?&]t=|token/i);
    // Fetched as the browser would on the drop (the page's session); compared by size and SHA-1 (PhotoPrism's file hash).
    const got = await page.evaluate(async (href) => {
      const res = await fetch(href);
      const bytes = await res.arrayBuffer();
      const sha1 = [...new Uint8Array(await crypto.subtle.digest('SHA-1', bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
      return { status: res.status, disposition: res.headers.get('content-disposition'), size: bytes.byteLength, sha1 };
    }, url);
    expect(got.status).toBe(200);
    expect(got.disposition).toContain(`attachment; filename="${name}"`);
    expect({ size: got.size, sha1: got.sha1 }).toEqual({
      size: original.bytes.length,
      sha1: createHash('sha1').update(original.bytes).digest('hex'),
    });
    // Outside the page's session (no cookie) the route answers nothing.
    expect((await fetch(url)).status).toBe(401);
  });

  it('a drag of several tiles out of the browser says one photo at a time and offers Export…', async () => {
    await tile(0).click();
    await tile(2).click({ modifiers: ['Shift'] });
    const toast = page.getByTestId('toasts').getByText(/one photo at a time/);
    for (const size of SCREENSHOT_SIZES) {
      await page.setViewportSize(size);
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        const drag = await dragStartOn(1);
        expect(drag.downloadUrl).toBe('');
        await page.evaluate(() => window.dispatchEvent(new DragEvent('dragleave', { clientX: 0, clientY: 0, relatedTarget: null })));
        await expect.poll(() => toast.isVisible()).toBe(true);
        await page.screenshot({ path: screenshotPath(`drag-out-browser-${size.width}x${size.height}-${scheme}`) });
      }
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(await toast.textContent()).toContain('For these 3 photos, use Export… (⇧⌘E).');
    expect(await page.getByTestId('toasts').getByRole('button', { name: 'Export…' }).isVisible()).toBe(true);
  });
});
