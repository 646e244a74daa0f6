import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowseSection, LibraryView } from '../../../shared/library/schemas';
import { BrowseRepo } from '../../../main/library/browse-repo';
import { BrowseService } from '../../../main/library/browse-service';
import { ForegroundWork } from '../../../main/platform/foreground-work';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { api, login, rows } from '../../emulators/photoprism/spec/helpers';
import { eventually, makeHarness, type Harness } from './helpers';

/**
 * The browse pages against the emulator: items with counts and covers, an item's photos as
 * PhotoPrism lists them (with Library's own conditions), and offline use of what was cached.
 */
let emu: PhotoPrismEmulator;
let h: Harness;
let browse: BrowseService;

beforeEach(async () => {
  await start({ photos: 300, albums: 2, seed: 5 });
});

/** A signed-in, indexed library over a fresh emulator, and its browse service. */
async function start(options: Parameters<typeof startPhotoPrismEmulator>[0]): Promise<void> {
  emu = await startPhotoPrismEmulator(options);
  h = makeHarness({ library: { pageSize: 100 } });
  await h.connection.signIn({ serverUrl: emu.url, username: emu.credentials.username, password: emu.credentials.password });
  await h.library.refresh();
  browse = browseWith({ prefetchItems: 3 });
}

/** A browse service over the harness's library; `options` adds or replaces its collaborators. */
function browseWith(options: Partial<ConstructorParameters<typeof BrowseService>[0]>): BrowseService {
  return new BrowseService({
    repo: new BrowseRepo(h.db),
    libraryRepo: h.repo,
    library: h.library,
    connection: h.connection,
    events: h.events,
    clock: h.clock,
    log: h.log,
    ...options,
  });
}

async function stop(): Promise<void> {
  browse.dispose();
  h.library.dispose();
  h.connection.dispose();
  await emu.close();
}

/** Another library for one test. */
async function reset(options: Parameters<typeof startPhotoPrismEmulator>[0]): Promise<void> {
  await stop();
  await start(options);
}

afterEach(stop);

const shown = (section: BrowseSection, key: string) => {
  const view: LibraryView = { kind: 'browse', section, key, title: 'x' };
  return h.library
    .query({ view, q: '', offset: 0, limit: 1000 })
    .photos.map((p) => p.uid)
    .sort();
};

/** What PhotoPrism itself lists for a search with Library's conditions (both features on). */
async function serverList(query: string): Promise<string[]> {
  const call = api(emu, (await login(emu)).access_token);
  const found = await rows(await call(`/photos?count=1000&merged=true&public=true&quality=3&${query}`));
  return [...new Set(found.map((r) => r.UID))].sort();
}

describe('browse pages', () => {
  it('lists people with the server’s counts; a person shows the photos PhotoPrism finds for them', async () => {
    expect(browse.list('people')).toMatchObject({ items: [], fetchedAt: null });
    await browse.refresh('people');
    const people = browse.list('people');
    expect(people.items).toHaveLength(6);
    expect(people.fetchedAt).not.toBeNull();
    const call = api(emu, (await login(emu)).access_token);
    for (const person of people.items) {
      expect(person.photoCount).toBeGreaterThan(0);
      // The cover is the photo of the file the subject's marker thumb names (hash + crop area).
      const subject = (await (await call(`/subjects/${person.key}`)).json()) as { Thumb: string };
      const [cover] = await rows(await call(`/photos?count=1&merged=true&uid=${subject.Thumb.slice(0, 40)}`));
      expect(person.coverUid).toBe(cover?.UID);
    }
    const person = people.items[1];
    if (!person) throw new Error('no person');
    expect(await browse.open('people', person.key)).toEqual({ cached: true, error: null });
    const photos = shown('people', person.key);
    expect(photos.length).toBeGreaterThan(0);
    expect(photos).toEqual(await serverList(`subject=${person.key}`));
    expect(browse.summary().sections.people).toBe(6);
  });

  it('lists calendar months newest first, counts the ones listed ahead, and opens a month', async () => {
    await browse.refresh('calendar');
    const months = browse.list('calendar').items;
    expect(months.length).toBeGreaterThan(12);
    // Generated albums say PhotoCount 0: counts come from listing their photos (3 listed ahead).
    expect(months.slice(0, 3).every((m) => m.cached && (m.photoCount ?? 0) > 0)).toBe(true);
    expect(months[5]?.photoCount).toBeNull();
    const month = months[5];
    if (!month) throw new Error('no month');
    await browse.open('calendar', month.key);
    const [name, year] = month.title.split(' ');
    const monthNumber = new Date(`${name} 1, ${year}`).getMonth() + 1;
    expect(shown('calendar', month.key)).toEqual(await serverList(`year=${year}&month=${monthNumber}`));
    expect(browse.list('calendar').items[5]?.photoCount).toBe(shown('calendar', month.key).length);
    expect(month.group).toBe(year);
  });

  it('lists moments (a country in a year) as PhotoPrism generates them, and opens one', async () => {
    // Moments need a country-year above log2(n)+1 photos (browse-data.ts): a bigger library than the others use.
    await reset({ photos: 1500, albums: 0, seed: 5 });
    await browse.refresh('moments');
    const moments = browse.list('moments').items;
    // The emulator's moments worker: country-year groups above log2(n)+1 photos (browse-data.ts).
    const call = api(emu, (await login(emu)).access_token);
    const albums = (await (await call('/albums?count=1000&type=moment')).json()) as {
      UID: string;
      Title: string;
      Country: string;
      Year: number;
    }[];
    expect(albums.length).toBeGreaterThan(0);
    expect(moments.map((m) => m.title).sort()).toEqual(albums.map((a) => a.Title).sort());
    const moment = albums[0];
    const item = moments.find((m) => m.title === moment?.Title);
    if (!moment || !item) throw new Error('no moment');
    await browse.open('moments', item.key);
    expect(shown('moments', item.key)).toEqual(await serverList(`country=${moment.Country}&year=${moment.Year}`));
    expect(shown('moments', item.key).length).toBeGreaterThan(0);
  });

  it('lists places as countries, their states and cities; a country and a city show their photos', async () => {
    await browse.refresh('places');
    const items = browse.list('places').items;
    const france = items.find((i) => i.key === 'country:fr');
    expect(france).toMatchObject({ title: 'France', group: 'Countries' });
    expect(items.find((i) => i.title === 'Île-de-France')).toMatchObject({ group: 'France' });
    await browse.open('places', 'country:fr');
    expect(shown('places', 'country:fr')).toEqual(await serverList('country=fr'));
    // Cities come from the cached photos (PhotoPrism lists none), under their country's name.
    expect(items.find((i) => i.key === 'city:fr:paris')).toMatchObject({ title: 'Paris', subtitle: 'Île-de-France', group: 'France' });
    expect(items.find((i) => i.key === 'city:is:reykjavik')).toMatchObject({ title: 'Reykjavík', group: 'Iceland' });
    await browse.open('places', 'city:fr:paris');
    expect(shown('places', 'city:fr:paris')).toEqual(await serverList('country=fr&city=Paris'));
    expect(shown('places', 'city:fr:paris').length).toBeGreaterThan(0);
  });

  it('lists labels and folders with covers from the cache', async () => {
    await browse.refresh('labels');
    const labels = browse.list('labels').items;
    expect(labels.length).toBe(20);
    expect(labels.every((l) => l.coverUid !== null)).toBe(true);
    await browse.refresh('folders');
    const folders = browse.list('folders').items;
    expect(folders[0]?.subtitle).toMatch(/^\d{4}\/\d{2}$/);
    const folder = folders[0];
    if (!folder) throw new Error('no folder');
    await browse.open('folders', folder.key);
    expect(shown('folders', folder.key)).toEqual(await serverList(`path=${encodeURIComponent(folder.subtitle)}`));
  });

  it('offline: keeps the cached list and opens what was listed before, saying why it may be old', async () => {
    await browse.refresh('labels');
    const label = browse.list('labels').items[0];
    if (!label) throw new Error('no label');
    await browse.open('labels', label.key);
    const before = shown('labels', label.key);
    await emu.admin.goDown();
    const opened = await browse.open('labels', label.key);
    expect(opened.cached).toBe(true);
    expect(opened.error).toMatch(/./);
    expect(h.connection.status().state).toBe('offline');
    expect(shown('labels', label.key)).toEqual(before);
    expect(browse.list('labels').items.length).toBe(20);
    // An item never opened says there is nothing cached for it.
    const never = browse.list('labels').items.find((i) => !i.cached);
    if (never) expect(await browse.open('labels', never.key)).toMatchObject({ cached: false });
  });

  it('lists every page when the sidebar first asks while online, so it has counts before a page is opened', async () => {
    expect(Object.values(browse.summary().sections)).toEqual([null, null, null, null, null, null]);
    await eventually(() => {
      const { sections } = browse.summary();
      expect(sections.people).toBe(6);
      expect(sections.labels).toBe(20);
      expect(Object.values(sections).every((n) => n !== null)).toBe(true);
    });
    // Items only: their photos are listed when a page is shown or an item opened.
    expect(browse.list('folders').items.every((i) => !i.cached)).toBe(true);
  });

  it('lists those pages only once the screen is quiet: the first screen and its thumbnails go first', async () => {
    // What the grid is loading (a live page, the visible tiles' thumbnails) counts as foreground work.
    const foreground = new ForegroundWork({ clock: h.clock, quietMs: 250, maxWaitMs: 2000 });
    browse.dispose();
    browse = browseWith({ foreground });
    let thumbnailsLoaded = (): void => undefined;
    const screen = foreground.run(() => new Promise<void>((resolve) => (thumbnailsLoaded = resolve)));
    const sentBefore = h.sent.length;
    browse.summary();
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(h.sent.slice(sentBefore)).toEqual([]);
    thumbnailsLoaded();
    await screen;
    h.clock.advance(250);
    await eventually(() => expect(browse.summary().sections.people).toBe(6));
  });

  it('groups the cached photos by city in steps, merged to what one query over every photo answers', async () => {
    const whole = h.db
      .prepare(
        `SELECT f.country, f.city, max(f.state) AS state,
          max(CASE WHEN p.private = 0 THEN p.taken_at || ' ' || p.thumb_hash END) AS newest
        FROM photos p CROSS JOIN photo_facets f ON f.uid = p.uid
        WHERE p.archived = 0 AND length(f.country) = 2 AND f.country <> 'zz' AND f.city NOT IN ('', 'Unknown')
        GROUP BY f.country, f.city ORDER BY f.country, f.city`,
      )
      .all() as { country: string; city: string; state: string; newest: string | null }[];
    expect(whole.length).toBeGreaterThan(3);
    let steps = 0;
    const cities = await new BrowseRepo(h.db).cachedCities(async () => {
      steps++;
    }, 7);
    expect(steps).toBeGreaterThan(40);
    expect(cities).toEqual(
      whole.map((r) => ({
        country: r.country,
        city: r.city,
        state: r.state,
        coverHash: r.newest?.slice(r.newest.lastIndexOf(' ') + 1) ?? '',
      })),
    );
  });

  it('groups the cached photos by city only once the screen is quiet: it holds main for a while on a big library', async () => {
    // At 100k photos the grouping held main's thread 260–360 ms, and a scrubber jump's thumbnails waited behind it.
    const foreground = new ForegroundWork({ clock: h.clock, quietMs: 250, maxWaitMs: 2000 });
    const repo = new BrowseRepo(h.db);
    const grouped = vi.spyOn(repo, 'cachedCities');
    browse.dispose();
    browse = browseWith({ repo, foreground });
    let thumbnailsLoaded = (): void => undefined;
    const screen = foreground.run(() => new Promise<void>((resolve) => (thumbnailsLoaded = resolve)));
    const client = h.connection.active()?.client;
    if (!client) throw new Error('not signed in');
    const searchAlbums = client.searchAlbums.bind(client);
    let statesAnswered = (): void => undefined;
    const answered = new Promise<void>((resolve) => (statesAnswered = resolve));
    vi.spyOn(client, 'searchAlbums').mockImplementation(async (params) => {
      const page = await searchAlbums(params);
      statesAnswered();
      return page;
    });
    const listed = browse.refresh('places', { ahead: false });
    await answered;
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(grouped).not.toHaveBeenCalled();
    thumbnailsLoaded();
    await screen;
    h.clock.advance(250);
    await listed;
    expect(grouped).toHaveBeenCalledTimes(1);
    expect(browse.list('places').items.some((i) => i.key === 'city:fr:paris')).toBe(true);
  });
});
