import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowseList, LibraryPage, LibraryView } from '../../shared/library/schemas';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../emulators/photoprism';
import { api, login, rows } from '../emulators/photoprism/spec/helpers';
import { screenshotEverySize } from './helpers/chromium';
import { startSignedInSession, type SignedInSession, waitForLibraryShown } from './helpers/core-session';

/**
 * The browse pages end to end (issue 15, item 2): the built renderer in Chromium, the real core
 * behind the web shell, the PhotoPrism emulator with people, places, labels and generated
 * albums. People → a person → a photo; Places → a country → a city; Calendar → a month; Folders
 * → a year → a nested folder; Labels → a label — each grid holds what PhotoPrism itself lists for that item — and
 * a page opened before still shows, with its cached items, while the server is down.
 */
describe('Browse pages in Chromium', () => {
  let emu: PhotoPrismEmulator;
  let session: SignedInSession;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    emu = await startPhotoPrismEmulator({ photos: 160, albums: 2, seed: 7, rateLimits: false });
    session = await startSignedInSession({ emu, profile: 'e2e-browse', viewport: { width: 1440, height: 900 } });
    page = session.page;
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await waitForLibraryShown(page);
  });

  afterAll(async () => {
    await session?.close();
    await emu?.close();
  });

  /** What the server lists for a search with Library's conditions (both features on). */
  async function serverList(query: string): Promise<string[]> {
    const call = api(emu, (await login(emu)).access_token);
    const found = await rows(await call(`/photos?count=1000&merged=true&public=true&quality=3&${query}`));
    return [...new Set(found.map((r) => r.UID))].sort();
  }
  const shown = async (view: LibraryView) =>
    (await session.call<LibraryPage>('library.query', { view, offset: 0, limit: 1000 })).photos.map((p) => p.uid).sort();
  const photosLabel = (n: number) => `${n} ${n === 1 ? 'photo' : 'photos'}`;

  const screenshots = (name: string) => screenshotEverySize(page, `browse-${name}`);

  /** Show a browse page from the sidebar and wait until its items are listed. */
  async function openPage(section: string, title: string) {
    await page.getByTestId(`sidebar-browse-${section}`).click();
    await expect.poll(() => page.getByTestId('browse-title').textContent()).toBe(title);
    await expect
      .poll(() => page.locator('[data-testid="browse-grid"] [data-testid="cover"]').count(), { timeout: 20_000 })
      .toBeGreaterThan(0);
  }

  /** Open a cover by its title and wait for the grid of its photos. */
  async function openCover(title: string): Promise<void> {
    await page.locator('[data-testid="cover"]', { hasText: title }).first().click();
    await expect.poll(() => page.getByTestId('view-title').textContent()).toBe(title);
  }

  it('People → a person → a photo', async () => {
    await openPage('people', 'People');
    const people = await session.call<BrowseList>('browse.list', { section: 'people' });
    expect(people.items).toHaveLength(6);
    // The sidebar counts the people listed.
    await expect.poll(() => page.getByTestId('sidebar-browse-people').textContent()).toMatch(/People\s*6/);
    await screenshots('people');
    const person = people.items[1];
    if (!person) throw new Error('no person');
    await openCover(person.title);
    const expected = await serverList(`subject=${person.key}`);
    expect(expected.length).toBeGreaterThan(0);
    expect(await shown({ kind: 'browse', section: 'people', key: person.key, title: person.title })).toEqual(expected);
    await expect.poll(() => page.getByTestId('view-subtitle').textContent()).toBe(photosLabel(expected.length));
    await page.locator('[role="gridcell"][data-index="0"]').click();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('viewer').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('viewer-counter').textContent()).toBe(`1 of ${expected.length}`);
    await page.keyboard.press('Escape');
    // Back to People from the toolbar.
    await page.getByTestId('browse-back').click();
    await expect.poll(() => page.getByTestId('browse-title').textContent()).toBe('People');
  });

  it('Places → a country → a city', async () => {
    await openPage('places', 'Places');
    await expect.poll(() => page.getByTestId('places-map-note').isVisible()).toBe(true);
    await screenshots('places');
    const places = await session.call<BrowseList>('browse.list', { section: 'places' });
    const country = places.items.find((i) => i.key.startsWith('country:'));
    if (!country) throw new Error('no country');
    const code = country.key.slice('country:'.length);
    // A country leads to its own level: the whole country, its cities, its states.
    await page.locator('[data-testid="cover"]', { hasText: country.title }).first().click();
    await expect.poll(() => page.getByTestId('browse-title').textContent()).toBe(country.title);
    const city = places.items.find((i) => i.key.startsWith(`city:${code}:`));
    if (!city) throw new Error('no city');
    await expect.poll(() => page.locator('[data-testid="cover"]', { hasText: city.title }).count()).toBeGreaterThan(0);
    await screenshots('places-country');
    await openCover(city.title);
    const expected = await serverList(`country=${code}&city=${encodeURIComponent(city.title)}`);
    expect(expected.length).toBeGreaterThan(0);
    expect(await shown({ kind: 'browse', section: 'places', key: city.key, title: city.title })).toEqual(expected);
    await expect.poll(() => page.getByTestId('view-subtitle').textContent()).toBe(photosLabel(expected.length));
    // Back from the grid returns to the country; the breadcrumb (or ⌘↑) to all places.
    await page.getByTestId('browse-back').click();
    await expect.poll(() => page.getByTestId('browse-title').textContent()).toBe(country.title);
    await page.locator('[data-testid="cover"]', { hasText: `All of ${country.title}` }).click();
    await expect.poll(() => page.getByTestId('view-title').textContent()).toBe(country.title);
    expect(await shown({ kind: 'browse', section: 'places', key: country.key, title: country.title })).toEqual(
      await serverList(`country=${code}`),
    );
    await page.getByTestId('browse-back').click();
    await page.getByTestId('browse-crumbs').getByRole('button', { name: 'Places' }).click();
    await expect.poll(() => page.getByTestId('browse-title').textContent()).toBe('Places');
  });

  it('Calendar → a month, by keyboard', async () => {
    await openPage('calendar', 'Calendar');
    await screenshots('calendar');
    const months = await session.call<BrowseList>('browse.list', { section: 'calendar' });
    const month = months.items[0];
    if (!month) throw new Error('no month');
    await page.locator('[data-testid="cover"]').first().focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('view-title').textContent()).toBe(month.title);
    const [name, year] = month.title.split(' ');
    const monthNumber = new Date(`${name} 1, ${year}`).getMonth() + 1;
    const expected = await serverList(`year=${year}&month=${monthNumber}`);
    expect(await shown({ kind: 'browse', section: 'calendar', key: month.key, title: month.title })).toEqual(expected);
  });

  it('Folders → a year → a nested folder', async () => {
    await openPage('folders', 'Folders');
    await screenshots('folders');
    const folders = await session.call<BrowseList>('browse.list', { section: 'folders' });
    const folder = folders.items[0];
    if (!folder) throw new Error('no folder');
    // Generated folders are `YYYY/MM`: the top level lists the years, a year its months.
    const [year] = folder.subtitle.split('/');
    await page
      .locator('[data-testid="cover"]', { hasText: String(year) })
      .first()
      .click();
    await expect.poll(() => page.getByTestId('browse-title').textContent()).toBe(year);
    await screenshots('folders-year');
    await openCover(folder.title);
    const expected = await serverList(`path=${encodeURIComponent(folder.subtitle)}`);
    expect(await shown({ kind: 'browse', section: 'folders', key: folder.key, title: folder.title })).toEqual(expected);
    await page.getByTestId('browse-back').click();
    await expect.poll(() => page.getByTestId('browse-title').textContent()).toBe(year);
    // ⌘↑ (Ctrl+↑ off the Mac) goes up to the folder list.
    await page.locator('[data-testid="cover"]').first().focus();
    await page.keyboard.press('ControlOrMeta+ArrowUp');
    await expect.poll(() => page.getByTestId('browse-title').textContent()).toBe('Folders');
  });

  it('a stack: stack:true finds it, its tile has a stack badge, and its versions are made primary (mouse) and unstacked (palette)', async () => {
    const expected = await serverList(`q=${encodeURIComponent('stack:true')}`);
    expect(expected.length).toBeGreaterThan(0);
    await page.getByTestId('sidebar-all').click();
    const field = page.getByTestId('search');
    await field.fill('stack:true');
    await field.press('Enter');
    await expect.poll(() => page.getByTestId('view-subtitle').textContent(), { timeout: 15_000 }).toBe(photosLabel(expected.length));
    // Every stack's tile says so, quietly: "2" beside a stacked-frames mark.
    const tile = page.locator('[role="gridcell"][data-index="0"]');
    await expect.poll(() => tile.getByTestId('tile-stack').getAttribute('aria-label')).toBe('Stack of 2 versions');
    await screenshots('stack-tiles');
    await tile.click();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('viewer').isVisible()).toBe(true);
    await page.keyboard.press('i');
    await expect.poll(() => page.getByTestId('viewer-stack').textContent(), { timeout: 20_000 }).toMatch(/^\s*2 versions of this photo/);
    await expect.poll(() => page.getByTestId('viewer-files').textContent()).toMatch(/\(1\)\.jpg/);
    await screenshots('stack-info');
    const uid = (await session.call<LibraryPage>('library.query', { view: { kind: 'all' }, q: 'stack:true', offset: 0, limit: 1 }))
      .photos[0]?.uid;
    const serverPhoto = () => emu.admin.snapshot().photos.find((p) => p.UID === uid);
    const primaryBefore = serverPhoto()?.Files.find((f) => f.Primary)?.UID;

    // Mouse: Make Primary on the second version; the server's primary file changes.
    await page.getByTestId('stack-make-primary').click();
    await expect.poll(() => serverPhoto()?.Files.find((f) => f.Primary)?.UID, { timeout: 15_000 }).not.toBe(primaryBefore);
    await expect.poll(() => page.getByTestId('viewer-files').textContent()).toMatch(/\(1\)\.jpg.*primary/s);
    await screenshots('stack-primary-chosen');

    // Keyboard: ⌘K → "Unstack …" → Return; the version becomes a photo of its own on the server.
    const before = emu.admin.snapshot().photos.length;
    await page.keyboard.press('ControlOrMeta+k');
    await page.getByTestId('palette-input').fill('Unstack');
    await expect.poll(() => page.getByTestId('palette-item').first().textContent()).toMatch(/^Unstack “/);
    await page.keyboard.press('Enter');
    await expect.poll(() => emu.admin.snapshot().photos.length, { timeout: 15_000 }).toBe(before + 1);
    expect(serverPhoto()?.Files).toHaveLength(1);
    await expect.poll(() => page.getByTestId('viewer-stack').count()).toBe(0);
    await page.keyboard.press('i');
    await page.keyboard.press('Escape');
    await field.fill('');
    await field.press('Enter');
  });

  it('Labels → a label; offline the page and what was opened stay', async () => {
    await openPage('labels', 'Labels');
    await screenshots('labels');
    const labels = await session.call<BrowseList>('browse.list', { section: 'labels' });
    const label = labels.items[0];
    if (!label) throw new Error('no label');
    await openCover(label.title);
    const expected = await serverList(`label=${await labelSlug(label.key)}`);
    const view: LibraryView = { kind: 'browse', section: 'labels', key: label.key, title: label.title };
    expect(await shown(view)).toEqual(expected);

    await emu.admin.goDown();
    await session.core.dispatch('library.refresh', {}, { trusted: true, description: 'test' });
    await expect.poll(() => page.getByTestId('offline-banner').isVisible(), { timeout: 30_000 }).toBe(true);
    await openPage('labels', 'Labels');
    await expect.poll(() => page.getByTestId('browse-note').textContent()).toMatch(/^Offline/);
    await screenshots('labels-offline');
    await openCover(label.title);
    await expect.poll(() => page.getByTestId('browse-open-note').isVisible()).toBe(true);
    expect(await shown(view)).toEqual(expected);
    await emu.admin.goUp();
    expect(pageErrors).toEqual([]);
  });

  async function labelSlug(uid: string): Promise<string> {
    const call = api(emu, (await login(emu)).access_token);
    const all = (await (await call('/labels?count=1000')).json()) as { UID: string; Slug: string }[];
    return all.find((l) => l.UID === uid)?.Slug ?? '';
  }
});
