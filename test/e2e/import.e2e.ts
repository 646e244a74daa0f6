import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../emulators/photoprism';
import { downloadOriginals, writeImportFiles } from '../helpers/import-files';
import { screenshotPath } from './helpers/chromium';
import { startSignedInSession, type SignedInSession } from './helpers/core-session';

/**
 * Import in Chromium through the web shell: File → Import… (its file input, as the web shell has
 * no native panel) while an album is on screen; the panel shows per-file and total progress; one
 * queued file is cancelled; the server ends up with the other 19, byte for byte, in the album.
 */
describe('import', () => {
  let emu: PhotoPrismEmulator;
  let app: SignedInSession;
  let dir: string;

  beforeAll(async () => {
    emu = await startPhotoPrismEmulator({ photos: 60, albums: 3, seed: 21, rateLimits: false });
    app = await startSignedInSession({ emu, profile: 'e2e-import', viewport: { width: 1440, height: 900 } });
    dir = mkdtempSync(join(tmpdir(), 'pf-e2e-import-'));
  });
  afterAll(async () => {
    await app?.close();
    await emu?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('uploads 20 files into an album with progress, one cancelled: the server has the 19, byte for byte, and the album shows them; an image without metadata is “In Review”', async () => {
    const page = app.page;
    const files = writeImportFiles(dir, 20, 400_000, 'Trip');
    const album = emu.admin.snapshot().albums.find((a) => !a.DeletedAt);
    if (!album) throw new Error('no album');
    const membersBefore = album.PhotoUIDs.length;
    await expect.poll(() => page.getByTestId('photo-grid').isVisible(), { timeout: 30_000 }).toBe(true);
    await page.getByTestId('sidebar-album').filter({ hasText: album.Title }).first().click();
    await expect.poll(() => page.getByTestId('view-title').textContent()).toBe(album.Title);
    // The album's photos are on screen before the shortcut (the title changes before the view has loaded them).
    await expect.poll(() => page.locator('[role="gridcell"]').first().isVisible(), { timeout: 30_000 }).toBe(true);

    // Each server answer takes a while, so the panel can be seen (and a queued file cancelled) mid-way.
    await emu.admin.setFault({ latencyMs: 400 });
    const chooser = page.waitForEvent('filechooser');
    // Waiting for a file chooser turns on the browser's chooser interception with a message of its
    // own; one round trip to the page makes sure it is on before the key is pressed (a key press is
    // a single message and could overtake it: the chooser would open unseen and never be reported).
    await page.evaluate(() => undefined);
    await page.keyboard.press('Control+Shift+I');
    await (await chooser).setFiles(files.map((f) => f.path));

    const panel = page.getByTestId('import-panel');
    await expect.poll(() => panel.isVisible()).toBe(true);
    await expect.poll(() => panel.getByRole('heading').textContent()).toBe(`Import into “${album.Title}”`);
    await expect.poll(() => page.getByTestId('import-total').isVisible(), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => page.getByTestId('import-summary').textContent()).toMatch(/of/);
    // The last file waits in the queue (two are sent at a time): cancel it from the keyboard.
    const last = files[19];
    if (!last) throw new Error('no 20th file');
    const lastRow = page.locator(`[data-testid="import-file"][data-name="${last.name}"]`);
    await expect.poll(() => lastRow.getAttribute('data-state')).toBe('queued');
    await page.screenshot({ path: screenshotPath('import-panel-progress-1440-light') });
    await lastRow.getByRole('button', { name: `Cancel ${last.name}` }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => lastRow.getAttribute('data-state')).toBe('cancelled');

    await expect.poll(() => page.getByTestId('import-summary').textContent(), { timeout: 60_000 }).toContain('19 files imported');
    await emu.admin.setFault({ latencyMs: 0 });
    const states = await page.$$eval('[data-testid="import-file"]', (rows) => rows.map((row) => row.getAttribute('data-state')));
    expect(states.filter((s) => s === 'imported')).toHaveLength(19);

    // The server: 19 new photos in the album, originals byte for byte; the cancelled one is not there.
    const snapshot = emu.admin.snapshot();
    const byHash = new Map(snapshot.photos.flatMap((p) => p.Files.map((f) => [f.Hash, p.UID] as const)));
    const sent = files.slice(0, 19);
    expect(sent.every((f) => byHash.has(f.sha1))).toBe(true);
    expect(byHash.has(last.sha1)).toBe(false);
    const members = new Set(snapshot.albums.find((a) => a.UID === album.UID)?.PhotoUIDs);
    expect(sent.every((f) => members.has(byHash.get(f.sha1) ?? ''))).toBe(true);
    const originals = await downloadOriginals(
      emu,
      sent.map((f) => f.sha1),
    );
    expect(originals.map((bytes, i) => bytes.equals(readFileSync(sent[i]?.path ?? '')))).toEqual(sent.map(() => true));

    // The album on screen shows them.
    await expect.poll(() => page.getByTestId('view-subtitle').textContent(), { timeout: 30_000 }).toContain(String(membersBefore + 19));

    // An image without a date, a place or enough pixels lands in Review on the server: the panel says
    // "In Review", not "Skipped" (and not a plain "Imported" of a photo the library will not show).
    await page.getByTestId('import-clear').click();
    emu.transferSwitches.uploadsWithoutMetadata = true;
    const screenshotFile = writeImportFiles(join(dir, 'review'), 1, 50_000, 'Screenshot')[0];
    if (!screenshotFile) throw new Error('no file');
    const again = page.waitForEvent('filechooser');
    await page.evaluate(() => undefined);
    await page.keyboard.press('Control+Shift+I');
    await (await again).setFiles([screenshotFile.path]);
    const reviewRow = page.locator(`[data-testid="import-file"][data-name="${screenshotFile.name}"]`);
    await expect.poll(() => reviewRow.getAttribute('data-state'), { timeout: 30_000 }).toBe('in-review');
    await expect.poll(() => page.getByTestId('import-summary').textContent()).toMatch(/1 file imported into “.+”, in Review/);

    for (const [width, height] of [
      [1440, 900],
      [1024, 700],
    ] as const) {
      await page.setViewportSize({ width, height });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.waitForTimeout(300); // thumbnails paint (a screenshot for people, not an assertion)
        await page.screenshot({ path: screenshotPath(`import-panel-${width}-${scheme}`) });
      }
    }
  });
});
