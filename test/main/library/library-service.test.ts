import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiveEvents } from '../../../main/photoprism/live-events';
import type { LibraryChanged } from '../../../shared/library/schemas';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { eventually, makeHarness, type Harness } from './helpers';

let emu: PhotoPrismEmulator;
let h: Harness;

async function setup(options: { photos?: number; pageSize?: number; live?: boolean } = {}): Promise<void> {
  emu = await startPhotoPrismEmulator({ photos: options.photos ?? 120, albums: 4 });
  h = makeHarness({
    library: {
      pageSize: options.pageSize ?? 1000,
      uidBatchSize: 10,
      ...(options.live ? { createLiveEvents: (o) => new LiveEvents({ ...o, initialBackoffMs: 1000 }) } : {}),
    },
  });
  await h.connection.signIn({ serverUrl: emu.url, username: emu.credentials.username, password: emu.credentials.password });
  await h.library.refresh();
}

afterEach(async () => {
  h.library.dispose();
  h.connection.dispose();
  await emu.close();
});

/** What the server holds, in the terms of our cache. */
function serverTruth() {
  const snap = emu.admin.snapshot();
  // What PhotoPrism's browse view lists (public=true&quality=3); broken photos (quality -1) are
  // never listed, and archived ones only when not broken.
  const live = snap.photos.filter((p) => !p.Archived && p.Quality !== -1);
  const browse = live.filter((p) => !p.Private && p.Quality >= 3);
  return {
    all: browse.length,
    favorites: browse.filter((p) => p.Favorite).length,
    archived: snap.photos.filter((p) => p.Archived && p.Quality > -1).length,
    review: live.filter((p) => !p.Private && p.Quality < 3).length,
    private: live.filter((p) => p.Private).length,
    albums: snap.albums.filter((a) => !a.DeletedAt),
    photos: snap.photos,
  };
}

const photo = (uid: string) => h.repo.photosByUid([uid]).get(uid);

describe('full index', () => {
  beforeEach(() => setup({ pageSize: 7 }));

  it('matches the server: counts, albums and membership, with small pages that split photos', () => {
    const truth = serverTruth();
    expect(h.library.counts()).toEqual({
      all: truth.all,
      favorites: truth.favorites,
      archived: truth.archived,
      review: truth.review,
      private: truth.private,
      features: { review: true, private: true },
    });
    // Multi-file photos (RAW+JPEG, live) split across 7-row pages were joined, not duplicated.
    const multi = truth.photos.filter((p) => p.Files.length > 1);
    expect(multi.length).toBeGreaterThan(0);
    for (const p of multi) {
      const primary = p.Files.find((f) => f.Primary) ?? p.Files[0];
      expect(photo(p.UID)?.thumbHash, p.UID).toBe(primary?.Hash);
    }
    const albums = h.library.albums();
    expect(albums.map((a) => a.uid).sort()).toEqual(truth.albums.map((a) => a.UID).sort());
    for (const album of albums) {
      const memberPhotos = truth.photos.filter((p) => !p.Archived && p.Quality !== -1 && p.Albums.includes(album.uid));
      const members = memberPhotos.length;
      expect(album.photoCount, album.title).toBe(members);
      // The overview marks favourite albums and sorts by the newest photo's date.
      expect(album.favorite, album.title).toBe(truth.albums.find((a) => a.UID === album.uid)?.Favorite);
      const newest =
        memberPhotos
          .map((p) => photo(p.UID)?.takenAtLocal ?? '')
          .sort()
          .at(-1) ?? null;
      expect(album.newestTakenAtLocal, album.title).toBe(newest);
      const page = h.library.query({ view: { kind: 'album', albumUid: album.uid }, q: '', offset: 0, limit: 1000 });
      expect(page.total).toBe(members);
    }
    expect(h.connection.status()).toMatchObject({ state: 'online', indexing: null });
    expect(h.connection.status().lastRefreshedAt).not.toBeNull();
  });

  it('serves views newest first with month buckets that add up', () => {
    const page = h.library.query({ view: { kind: 'all' }, q: '', offset: 0, limit: 50 });
    const times = page.photos.map((p) => p.takenAt);
    expect([...times].sort().reverse()).toEqual(times);
    const months = h.library.months({ kind: 'all' }, '');
    expect(months.reduce((n, m) => n + m.count, 0)).toBe(page.total);
    const second = months[1];
    if (second) {
      const at = h.library.query({ view: { kind: 'all' }, q: '', offset: second.offset, limit: 1 });
      expect(at.photos[0]?.takenAt.slice(0, 7)).toBe(second.month);
    }
  });

  it('removes photos deleted on the server, and only those', async () => {
    const [gone, kept] = emu.admin.photoUids();
    emu.admin.deletePhotos([gone ?? '']);
    await h.library.refresh('full');
    expect(photo(gone ?? '')).toBeUndefined();
    expect(photo(kept ?? '')).toBeDefined();
    expect(h.library.counts().all).toBe(serverTruth().all);
  });
});

describe('incremental refresh and refreshByUid', () => {
  beforeEach(() => setup());

  it('picks up edits (updated) and flag changes on what the grid shows (no updated bump)', async () => {
    const visible = h.library.query({ view: { kind: 'all' }, q: '', offset: 0, limit: 20 }).photos;
    const edited = visible[0]?.uid ?? '';
    const liked = visible.find((p) => !p.favorite)?.uid ?? '';
    emu.admin.updatePhoto(edited, { Title: 'Renamed on the server', TitleSrc: 'manual' });
    emu.admin.likePhoto(liked);
    const sentBefore = h.sent.length;
    await h.library.refresh();
    expect(h.library.details(edited as never).title).toBe('Renamed on the server');
    expect(photo(liked)?.favorite).toBe(true);
    // Incremental: a handful of requests, not a re-index.
    expect(h.sent.length - sentBefore).toBeLessThan(15);
    const changed = h.emitted.filter((e) => e.event === 'library.changed').map((e) => e.payload as LibraryChanged);
    expect(changed.flatMap((c) => c.uids)).toEqual(expect.arrayContaining([edited, liked]));
  });

  it('refreshByUid: archived → marked archived, gone → removed, edited → updated, in batches', async () => {
    const uids = emu.admin.photoUids().slice(0, 25);
    const [archived, deleted, edited] = uids as [string, string, string];
    emu.admin.archivePhotos([archived]);
    emu.admin.deletePhotos([deleted]);
    emu.admin.updatePhoto(edited, { Title: 'Edited elsewhere', TitleSrc: 'manual' });
    const result = await h.library.refreshByUid(uids);
    expect(result.archived).toEqual([archived]);
    expect(result.removed).toEqual([deleted]);
    expect(result.changed).toEqual(expect.arrayContaining([archived, edited]));
    expect(photo(archived)?.archived).toBe(true);
    expect(photo(deleted)).toBeUndefined();
    expect(h.library.details(edited as never).title).toBe('Edited elsewhere');
    // 25 UIDs in batches of 10 → 3 searches by uid (+ archived look-ups for the missing).
    const byUid = emu.requests.filter((r) => r.path === '/api/v1/photos' && r.query['uid'] !== undefined && r.query['archived'] !== 'true');
    expect(byUid.length).toBe(3);
    expect(byUid[0]?.query['uid']?.split('|')).toEqual(uids.slice(0, 10));
  });

  it('refreshByUid with an album UID re-lists its members', async () => {
    const album = emu.admin.createAlbum('Made elsewhere');
    const [a, b] = emu.admin.photoUids();
    emu.admin.addToAlbum(album.UID, [a ?? '', b ?? '']);
    await h.library.refreshByUid([album.UID]);
    const listed = h.library.albums().find((x) => x.uid === album.UID);
    expect(listed).toMatchObject({ title: 'Made elsewhere', photoCount: 2 });
    expect(h.library.details(a as never).albums.map((x) => x.uid)).toContain(album.UID);
  });

  it('picks up new albums and membership changes on an incremental refresh', async () => {
    const album = emu.admin.createAlbum('New album');
    emu.admin.addToAlbum(album.UID, emu.admin.photoUids().slice(0, 3));
    await h.library.refresh();
    expect(h.library.albums().find((x) => x.uid === album.UID)?.photoCount).toBe(3);
  });

  it('refreshes again on a timer while online', async () => {
    const first = h.connection.status().lastRefreshedAt ?? 0;
    expect(h.clock.pendingDelays()).toContain(5 * 60 * 1000);
    h.clock.advance(5 * 60 * 1000);
    await eventually(() => expect(h.connection.status().lastRefreshedAt).toBeGreaterThan(first));
  });
});

describe('live server events (WebSocket hints)', () => {
  beforeEach(() => setup({ live: true }));

  it('a server-side like reaches the cache through a hint', async () => {
    const uid = h.library.query({ view: { kind: 'all' }, q: '', offset: 0, limit: 50 }).photos.find((p) => !p.favorite)?.uid ?? '';
    // The socket is authenticated once the server has answered our {"session"} message.
    await eventually(() => expect(emu.admin.publishedEvents().length).toBeGreaterThanOrEqual(0));
    await new Promise((r) => setTimeout(r, 100));
    emu.admin.likePhoto(uid);
    // The hint arrives, is debounced on our clock, then refreshed by UID.
    await eventually(() => {
      h.clock.advance(500);
      expect(photo(uid)?.favorite).toBe(true);
    });
  });

  it('reconnects with backoff after the server drops, and refreshes after reconnecting', async () => {
    await new Promise((r) => setTimeout(r, 100));
    await emu.admin.goDown();
    await emu.admin.goUp();
    const before = h.connection.status().lastRefreshedAt ?? 0;
    await eventually(() => {
      h.clock.advance(1000);
      expect(h.connection.status().lastRefreshedAt).toBeGreaterThan(before);
    });
    expect(h.log.lines.join('\n')).toContain('live events reconnected');
  });
});
