import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LibraryCounts, LibraryPage, LibraryView, MonthBucket } from '../../shared/library/schemas';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../emulators/photoprism';
import { placeAcrossNewYear } from '../emulators/photoprism/new-year-pair';
import { screenshotEverySize } from './helpers/chromium';
import { startSignedInSession, type SignedInSession, waitForLibraryShown } from './helpers/core-session';

/**
 * Library, Review and Private, and local time, end to end (issue 10, items 5 and 6): the built
 * renderer in Chromium, the real core behind the web shell, the PhotoPrism emulator with photos
 * in review and private ones. Library hides both (as PhotoPrism's browse view does), Review lists
 * the photos waiting for approval and Approve — by mouse and by key — moves them into Library;
 * a photo taken at 23:30 on 31 December in New York is grouped under December.
 */
describe('Library, Review and Private in Chromium', () => {
  let emu: PhotoPrismEmulator;
  let session: SignedInSession;
  let page: Page;
  const pageErrors: string[] = [];
  let newYork = '';
  let berlin = '';

  beforeAll(async () => {
    emu = await startPhotoPrismEmulator({ photos: 160, albums: 2, seed: 7, rateLimits: false });
    const browse = emu.admin.snapshot().photos.filter((p) => !p.Archived && !p.Private && p.Quality >= 3);
    newYork = browse[0]?.UID ?? '';
    berlin = browse[1]?.UID ?? '';
    placeAcrossNewYear(emu.admin, { newYork, berlin });
    session = await startSignedInSession({ emu, profile: 'e2e-views', viewport: { width: 1440, height: 900 } });
    page = session.page;
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await waitForLibraryShown(page);
  });

  afterAll(async () => {
    await session?.close();
    await emu?.close();
  });

  const counts = () => session.call<LibraryCounts>('library.counts');
  const uidsIn = async (view: LibraryView) =>
    (await session.call<LibraryPage>('library.query', { view, offset: 0, limit: 1000 })).photos.map((p) => p.uid);
  const subtitle = () => page.getByTestId('view-subtitle').textContent();
  const photosLabel = (n: number) => `${n} ${n === 1 ? 'photo' : 'photos'}`;

  const screenshots = (name: string) => screenshotEverySize(page, `views-${name}`);

  it('Library hides photos in review and private ones; the sidebar offers Review and Private', async () => {
    const snap = emu.admin.snapshot().photos.filter((p) => !p.Archived && p.Quality !== -1);
    const review = snap.filter((p) => !p.Private && p.Quality < 3).map((p) => p.UID);
    const privates = snap.filter((p) => p.Private).map((p) => p.UID);
    expect(review.length).toBeGreaterThan(1);
    expect(privates.length).toBeGreaterThan(0);
    const library = await uidsIn({ kind: 'all' });
    expect(library.filter((uid) => review.includes(uid) || privates.includes(uid))).toEqual([]);
    expect(library).toHaveLength(snap.length - review.length - privates.length);
    expect(await subtitle()).toBe(photosLabel(library.length));
    await expect.poll(() => page.getByTestId('sidebar-review').textContent()).toMatch(new RegExp(`Review\\s*${review.length}`));
    await expect.poll(() => page.getByTestId('sidebar-private').textContent()).toMatch(new RegExp(`Private\\s*${privates.length}`));
    await screenshots('library');
  });

  it('groups a photo taken at 23:30 on 31 December in New York under December, and the viewer says so', async () => {
    const months = await session.call<MonthBucket[]>('library.months', { view: { kind: 'all' } });
    expect(months.slice(0, 2)).toEqual([
      { month: '2031-01', count: 1, offset: 0 },
      { month: '2030-12', count: 1, offset: 1 },
    ]);
    expect((await uidsIn({ kind: 'all' })).slice(0, 2)).toEqual([berlin, newYork]);
    const headers = await page.locator('[data-testid="photo-grid"] [role="rowheader"] h2').allTextContents();
    expect(headers.slice(0, 2)).toEqual(['January 2031', 'December 2030']);
    await page.locator('[role="gridcell"][data-index="1"]').click();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('viewer').isVisible()).toBe(true);
    const shown = (await page.getByTestId('viewer').textContent()) ?? '';
    expect(shown).toMatch(/December 31, 2030|31 December 2030/);
    expect(shown).toMatch(/11:30\s?PM|23:30/);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('viewer').isVisible()).toBe(false);
  });

  it('Review lists the photos waiting; Approve (mouse, then P) moves them into Library', async () => {
    const before = await counts();
    await page.getByTestId('sidebar-review').click();
    await expect.poll(() => page.getByTestId('view-title').textContent()).toBe('Review');
    await expect.poll(subtitle).toBe(photosLabel(before.review));
    expect(await page.getByTestId('approve-button').isVisible()).toBe(true);
    await screenshots('review');

    // Mouse: select the first photo, click Approve.
    const [first, second] = await uidsIn({ kind: 'review' });
    await page.locator('[role="gridcell"][data-index="0"]').click();
    await page.getByTestId('approve-button').click();
    await expect.poll(subtitle).toBe(photosLabel(before.review - 1));
    await expect.poll(() => emu.admin.snapshot().photos.find((p) => p.UID === first)?.Quality).toBeGreaterThanOrEqual(3);
    expect(await uidsIn({ kind: 'all' })).toContain(first);

    // Keyboard: the focus is on the next photo; P approves it.
    await page.getByTestId('photo-grid').focus();
    await page.keyboard.press('p');
    await expect.poll(subtitle).toBe(photosLabel(before.review - 2));
    await expect.poll(() => emu.admin.snapshot().photos.find((p) => p.UID === second)?.Quality).toBeGreaterThanOrEqual(3);
    const after = await counts();
    expect(after).toMatchObject({ all: before.all + 2, review: before.review - 2 });
    await expect.poll(() => page.getByTestId('sidebar-all').textContent()).toMatch(new RegExp(`Library\\s*${after.all}`));

    // Each Approve is one photos.updated event, so other devices refresh those photos.
    const events = session.core.eventLog.recent(10).filter((entry) => entry.summary.startsWith('Approved'));
    expect(events.map((entry) => entry.event?.data.entities.map((e) => e.UID))).toEqual([[second], [first]]);
    expect(events.every((entry) => entry.event?.event === 'photos.updated')).toBe(true);
  });

  it('Private lists the private photos (keyboard: ↓ from Review, Enter)', async () => {
    const privates = (await counts()).private;
    await page.getByTestId('sidebar-review').focus();
    await page.keyboard.press('ArrowDown');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('sidebar-private');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('view-title').textContent()).toBe('Private');
    await expect.poll(subtitle).toBe(photosLabel(privates));
    expect(await page.getByTestId('approve-button').count()).toBe(0);
    await screenshots('private');
    expect(pageErrors).toEqual([]);
  });
});
