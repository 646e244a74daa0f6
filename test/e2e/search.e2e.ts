import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SnapshotPhoto } from '../emulators/photoprism/admin';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../emulators/photoprism';
import { screenshotEverySize } from './helpers/chromium';
import { startSignedInSession, type SignedInSession } from './helpers/core-session';

/**
 * Search like PhotoPrism, end to end (issue 15, item 1): the built renderer in Chromium, the real
 * core behind the web shell, the emulator's search language. Online, PhotoPrism answers (labels,
 * people, cameras, words); offline, the cache answers the same syntax for what it holds and says
 * what it could not apply. Counts are checked against the emulator's server truth.
 */
describe('Search in Chromium', () => {
  let emu: PhotoPrismEmulator;
  let session: SignedInSession;
  let page: Page;
  let truth: SnapshotPhoto[];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    emu = await startPhotoPrismEmulator({ photos: 1500, albums: 2, seed: 5, rateLimits: false });
    // What the Library view lists: not archived, not broken, not private, not in review.
    truth = emu.admin.snapshot().photos.filter((p) => !p.Archived && !p.Private && p.Quality >= 3);
    session = await startSignedInSession({ emu, profile: 'e2e-search', viewport: { width: 1440, height: 900 } });
    page = session.page;
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await vi.waitFor(async () => expect(await page.getByTestId('view-subtitle').textContent()).toMatch(/^[\d,]+ photos$/), {
      timeout: 30_000,
      interval: 100,
    });
  });

  afterAll(async () => {
    await session?.close();
    await emu?.close();
  });

  const photosLabel = (n: number) => `${n.toLocaleString('en-US')} ${n === 1 ? 'photo' : 'photos'}`;

  async function search(q: string): Promise<void> {
    const field = page.getByTestId('search');
    await field.fill(q);
    await field.press('Enter');
  }

  async function expectShown(q: string, keep: (p: SnapshotPhoto) => boolean): Promise<void> {
    const n = truth.filter(keep).length;
    await expect.poll(() => page.getByTestId('view-subtitle').textContent(), { timeout: 15_000, message: q }).toBe(photosLabel(n));
  }

  const screenshots = (name: string) => screenshotEverySize(page, `search-${name}`);

  it('online: label:cat year:2023, camera:EOS, favorite:true, type:video, a person and a quoted phrase, as PhotoPrism answers them', async () => {
    const cases: Array<[string, (p: SnapshotPhoto) => boolean]> = [
      ['label:cat year:2023', (p) => p.Labels.includes('cat') && p.Year === 2023],
      ['camera:EOS', (p) => p.CameraModel === 'EOS 6D'],
      ['favorite:true', (p) => p.Favorite],
      ['type:video', (p) => p.Type === 'video'],
      ['person:"Jane Doe"', (p) => p.People.includes('Jane Doe')],
      ['"beach lisbon"', (p) => p.Labels.includes('beach') || p.City === 'Lisbon'],
    ];
    for (const [q, keep] of cases) {
      await search(q);
      await expectShown(q, keep);
    }
    await search('label:cat year:2023');
    await expectShown('label:cat year:2023', (p) => p.Labels.includes('cat') && p.Year === 2023);
    await expect
      .poll(async () => (await page.getByTestId('search-chip').allTextContents()).map((t) => t.replace(/\s*×$/, '')))
      .toEqual(['label:cat', 'year:2023']);
    // Removing a chip by keyboard keeps the other filter.
    await page.getByRole('button', { name: 'Remove year:2023 from the search' }).focus();
    await page.keyboard.press('Enter');
    await expectShown('label:cat', (p) => p.Labels.includes('cat'));
    await screenshots('chips');
  });

  it('suggests filters and values while typing; arrows and Enter take one', async () => {
    const field = page.getByTestId('search');
    await field.fill('');
    await field.press('Enter');
    await field.focus();
    await field.pressSequentially('fav');
    await expect.poll(() => page.getByTestId('search-suggestions').isVisible()).toBe(true);
    await screenshots('suggestions');
    await field.press('ArrowDown');
    await field.press('Enter');
    await expectShown('favorite:true', (p) => p.Favorite);
    expect(await field.inputValue()).toBe('favorite:true ');
  });

  it('offline: the same syntax over the cache, with a note for what it cannot apply', async () => {
    await emu.close();
    await search('camera:canon year:2021|2022');
    await expectShown('camera:canon year:2021|2022', (p) => p.CameraModel === 'EOS 6D' && (p.Year === 2021 || p.Year === 2022));
    await expect.poll(() => page.getByTestId('search-note').textContent()).toMatch(/^Offline search/);
    // A search seen online answers from PhotoPrism's kept answer.
    await search('person:"Jane Doe"');
    await expectShown('person:"Jane Doe"', (p) => p.People.includes('Jane Doe'));
    await expect.poll(() => page.getByTestId('search-note').textContent()).toMatch(/^Offline: PhotoPrism's results from/);
    // The searches offline: each answers what PhotoPrism's rules say (kept answers of the
    // searches run online above, the cache's own evaluation for new combinations of cached filters).
    const offline: Array<[string, (p: SnapshotPhoto) => boolean]> = [
      ['label:cat year:2023', (p) => p.Labels.includes('cat') && p.Year === 2023],
      ['camera:EOS', (p) => p.CameraModel === 'EOS 6D'],
      ['favorite:true', (p) => p.Favorite],
      ['type:video', (p) => p.Type === 'video'],
      ['"beach lisbon"', (p) => p.Labels.includes('beach') || p.City === 'Lisbon'],
      ['favorite:true type:video', (p) => p.Favorite && p.Type === 'video'],
      ['camera:EOS year:2023', (p) => p.CameraModel === 'EOS 6D' && p.Year === 2023],
    ];
    for (const [q, keep] of offline) {
      await search(q);
      await expectShown(`offline ${q}`, keep);
    }
    // Never run online: labels are not in the cache, so the note says the filter was not applied.
    await search('label:dog type:video');
    await expectShown('label:dog type:video', (p) => p.Type === 'video');
    await expect.poll(() => page.getByTestId('search-note').textContent()).toMatch(/label: needs the server and was not applied/);
    await screenshots('offline');
    expect(pageErrors).toEqual([]);
  });
});
