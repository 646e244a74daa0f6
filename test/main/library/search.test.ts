import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ForegroundWork } from '../../../main/platform/foreground-work';
import type { LibraryView } from '../../../shared/library/schemas';
import type { SnapshotPhoto } from '../../emulators/photoprism/admin';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { FakeClock, makeHarness, type Harness } from './helpers';

let emu: PhotoPrismEmulator;
let h: Harness;
const ALL: LibraryView = { kind: 'all' };

beforeEach(async () => {
  emu = await startPhotoPrismEmulator({ photos: 600, albums: 2, seed: 5 });
  h = makeHarness({ library: { pageSize: 1000 } });
  await h.connection.signIn({ serverUrl: emu.url, username: emu.credentials.username, password: emu.credentials.password });
  await h.library.refresh();
});

afterEach(async () => {
  h.library.dispose();
  h.connection.dispose();
  await emu.close();
});

/** The Library view's photos on the server (not archived, broken, private or in review) that pass `keep`. */
function expected(keep: (p: SnapshotPhoto) => boolean): string[] {
  return emu.admin
    .snapshot()
    .photos.filter((p) => !p.Archived && p.Quality >= 3 && !p.Private && keep(p))
    .map((p) => p.UID)
    .sort();
}

function shown(q: string): string[] {
  return h.library
    .query({ view: ALL, q, offset: 0, limit: 1000 })
    .photos.map((p) => p.uid)
    .sort();
}

describe('search online', () => {
  it('asks PhotoPrism and shows its answer within the view: labels, people, camera, favourites, videos, words', async () => {
    const cases: Array<[string, (p: SnapshotPhoto) => boolean]> = [
      ['label:cat year:2023', (p) => p.Labels.includes('cat') && p.Year === 2023],
      ['camera:EOS', (p) => p.CameraModel === 'EOS 6D'],
      ['favorite:true', (p) => p.Favorite],
      ['type:video', (p) => p.Type === 'video'],
      ['person:"Jane Doe"', (p) => p.People.includes('Jane Doe')],
      ['"beach lisbon"', (p) => p.Labels.includes('beach') || p.City === 'Lisbon'],
    ];
    for (const [q, keep] of cases) {
      const info = await h.library.search(ALL, q);
      expect(info, q).toMatchObject({ source: 'server', offline: false, error: null });
      const want = expected(keep);
      expect(want.length, q).toBeGreaterThan(0);
      expect(shown(q), q).toEqual(want);
    }
  });

  it('an unknown filter is an error, not an empty page without a reason', async () => {
    const info = await h.library.search(ALL, 'colour:red');
    expect(info.error).toMatch(/does not know this filter/);
    expect(shown('colour:red')).toEqual([]);
  });
});

describe('the search index', () => {
  /** Lets the build run its steps: each waits for a quiet screen, then a macrotask. */
  async function settle(harness: Harness = h): Promise<void> {
    for (let i = 0; i < 200 && !harness.repo.searchIndexReady(); i++) {
      harness.clock.advance(1000);
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  it('is built after the first index, kept by a later full index, and answers as the rows did', async () => {
    // beforeEach ran the first index, which wrote every photo without the index ([Note: Search by index]).
    const queries = ['camera:EOS', 'type:video', 'year:2021|2022 camera:canon', 'city:lisbon', 'lisbon', '"beach lisbon"', 'EOS'];
    await emu.close();
    const byRows = queries.map(shown);
    expect(byRows.filter((uids) => uids.length > 0).length).toBeGreaterThan(4);
    await settle();
    expect(h.repo.searchIndexReady()).toBe(true);
    expect(queries.map(shown)).toEqual(byRows);
  });

  it("waits while the window's calls keep main busy (a page loading right after a first index), then is built", async () => {
    // A second device profile on the same server, whose window is loading while its first index ends.
    const clock = new FakeClock();
    const screenCalls = new ForegroundWork({ clock });
    const screen = makeHarness({ clock, library: { pageSize: 1000, screenCalls } });
    try {
      const steps = vi.spyOn(screen.repo, 'buildSearchIndexStep');
      let pageLoaded = () => {};
      void screenCalls.run(() => new Promise<void>((resolve) => (pageLoaded = resolve)));
      await screen.connection.signIn({ serverUrl: emu.url, username: emu.credentials.username, password: emu.credentials.password });
      await screen.library.refresh();
      // The page's calls go on for a while (under the bounded wait): no step runs in front of them.
      for (let i = 0; i < 10; i++) {
        screen.clock.advance(100);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      expect(steps).not.toHaveBeenCalled();
      pageLoaded();
      await settle(screen);
      expect(screen.repo.searchIndexReady()).toBe(true);
    } finally {
      screen.library.dispose();
      screen.connection.dispose();
    }
  });

  it('waits through a scrub of many seconds (a step holds main for a while), then is built', async () => {
    // A step of the build held main's thread 170–440 ms at 100k photos; the bounded wait every
    // background job has (2 s) let steps in while someone scrubbed, and each jump stalled behind one.
    const clock = new FakeClock();
    const thumbnails = new ForegroundWork({ clock });
    const scrub = makeHarness({ clock, library: { pageSize: 1000, foreground: thumbnails } });
    try {
      const steps = vi.spyOn(scrub.repo, 'buildSearchIndexStep');
      await scrub.connection.signIn({ serverUrl: emu.url, username: emu.credentials.username, password: emu.credentials.password });
      await scrub.library.refresh();
      // 20 s of jumps: a burst of thumbnails every 150 ms, each answered after 100 ms, so the
      // screen is never quiet for the 250 ms a background step waits for.
      for (let i = 0; i < 20_000 / 150; i++) {
        let answered = () => {};
        void thumbnails.run(() => new Promise<void>((resolve) => (answered = resolve)));
        scrub.clock.advance(100);
        await new Promise<void>((resolve) => setImmediate(resolve));
        answered();
        scrub.clock.advance(50);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      expect(steps).not.toHaveBeenCalled();
      // The scrub stops: the build goes on.
      await settle(scrub);
      expect(scrub.repo.searchIndexReady()).toBe(true);
    } finally {
      scrub.library.dispose();
      scrub.connection.dispose();
    }
  });

  it('a later full index keeps it, and a title changed on the server is found by its new words at once', async () => {
    await settle();
    expect(h.repo.searchIndexReady()).toBe(true);
    const uid = expected(() => true)[0] ?? '';
    expect(shown('harbour')).toEqual([]);
    emu.admin.updatePhoto(uid, { Title: 'Harbour at dusk', TitleSrc: 'manual' });
    await h.library.refresh('full');
    expect(h.repo.searchIndexReady()).toBe(true);
    expect(shown('harbour')).toEqual([uid]);
  });
});

describe('search offline', () => {
  it('answers a search seen online from the cached answer, and evaluates cached filters itself', async () => {
    await h.library.search(ALL, 'label:cat year:2023');
    const cat2023 = expected((p) => p.Labels.includes('cat') && p.Year === 2023);
    await emu.close();

    const cached = await h.library.search(ALL, 'label:cat year:2023');
    expect(cached).toMatchObject({ source: 'server', offline: true });
    expect(shown('label:cat year:2023')).toEqual(cat2023);

    for (const [q, keep] of [
      ['camera:EOS', (p: SnapshotPhoto) => p.CameraModel === 'EOS 6D'],
      ['favorite:true', (p: SnapshotPhoto) => p.Favorite],
      ['type:video', (p: SnapshotPhoto) => p.Type === 'video'],
      ['year:2021|2022 camera:canon', (p: SnapshotPhoto) => (p.Year === 2021 || p.Year === 2022) && p.CameraModel === 'EOS 6D'],
      ['city:lisbon', (p: SnapshotPhoto) => p.City === 'Lisbon'],
    ] as const) {
      const info = await h.library.search(ALL, q);
      expect(info, q).toMatchObject({ source: 'cache', offline: true, unsupported: [], error: null });
      expect(shown(q), q).toEqual(expected(keep));
    }
    // Free-text EOS is a stopword: a title search PhotoPrism answers with nothing, and so do we.
    expect(shown('EOS')).toEqual([]);
  });

  it('says which filters it cannot apply offline (labels, people) and that words only match titles', async () => {
    await emu.close();
    const info = await h.library.search(ALL, 'label:dog person:"Jane Doe" year:2023');
    expect(info.source).toBe('cache');
    expect(info.unsupported.sort()).toEqual(['label', 'subject']);
    expect(shown('label:dog person:"Jane Doe" year:2023')).toEqual(expected((p) => p.Year === 2023));
    expect((await h.library.search(ALL, 'lisbon')).wordsPartial).toBe(true);
    expect(shown('lisbon')).toEqual(expected((p) => p.City === 'Lisbon'));
  });
});
