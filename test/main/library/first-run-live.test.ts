import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../main/log/logger';
import { systemClock } from '../../../main/platform/clock';
import { ForegroundWork } from '../../../main/platform/foreground-work';
import { BrowseRepo } from '../../../main/library/browse-repo';
import { BrowseService } from '../../../main/library/browse-service';
import { DiskLru } from '../../../main/thumbnails/disk-lru';
import { ThumbnailService } from '../../../main/thumbnails/thumbnail-service';
import type { HttpRequest } from '../../../main/photoprism/transport';
import type { LibraryChanged, LibraryQuery } from '../../../shared/library/schemas';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { eventually, makeHarness, type Harness } from './helpers';

let emu: PhotoPrismEmulator | undefined;
let h: Harness | undefined;

afterEach(async () => {
  release?.();
  h?.library.dispose();
  h?.connection.dispose();
  await emu?.close();
  emu = undefined;
  h = undefined;
  release = undefined;
});

let release: (() => void) | undefined;

const LIBRARY = (offset: number, limit: number): LibraryQuery => ({ view: { kind: 'all' }, q: '', offset, limit });

/** The first index's own listing pages after its first one (not a live page, not the archive or an album). */
function isLaterIndexPage(req: HttpRequest): boolean {
  const url = new URL(req.url);
  const q = url.searchParams;
  return url.pathname === '/api/v1/photos' && !q.has('primary') && !q.has('s') && !q.has('uid') && Number(q.get('offset') ?? 0) > 0;
}

/**
 * Sign in on a fresh profile with the first index held after its first page (200 photos), as a
 * 100k index is for many seconds: what the grid gets meanwhile is what these tests are about.
 */
async function signInWithIndexHeld(
  photos: number,
  options: { foreground?: ForegroundWork; beforeSend?: (req: HttpRequest) => Promise<void> | undefined } = {},
): Promise<{ emu: PhotoPrismEmulator; h: Harness }> {
  emu = await startPhotoPrismEmulator({ photos, albums: 2, seed: 21 });
  const held = new Promise<void>((resolve) => (release = resolve));
  h = makeHarness({
    library: { pageSize: 1000, ...(options.foreground ? { foreground: options.foreground } : {}) },
    beforeSend: (req) => {
      const extra = options.beforeSend?.(req);
      return isLaterIndexPage(req) ? held : extra;
    },
  });
  await h.connection.signIn({ serverUrl: emu.url, username: emu.credentials.username, password: emu.credentials.password });
  const harness = h;
  await eventually(() => expect(harness.library.query(LIBRARY(0, 1)).total).toBeGreaterThan(0));
  return { emu, h };
}

/** The server's Library count (its config's `count.all`), as PhotoPrism's own Library page shows it. */
async function serverLibraryCount(emulator: PhotoPrismEmulator, harness: Harness): Promise<number> {
  const config = await harness.connection.active()?.client.libraryFeatures();
  const all = config?.all;
  if (typeof all !== 'number') throw new Error(`the emulator sent no count.all (${emulator.url})`);
  return all;
}

function changes(harness: Harness): LibraryChanged[] {
  return harness.emitted.filter((e) => e.event === 'library.changed').map((e) => e.payload as LibraryChanged);
}

describe('the first run: the Library grid while the first index arrives', () => {
  it('answers a far jump with the photos at that place, from the server, before the index gets there', async () => {
    const { emu, h } = await signInWithIndexHeld(1500);
    const total = await serverLibraryCount(emu, h);
    const far = Math.floor(total * 0.8);
    // Today's cache holds the first screen only: the jump would show grey tiles.
    expect(h.library.query(LIBRARY(far, 60)).photos).toHaveLength(0);

    const live = await h.library.page(LIBRARY(far, 60));
    expect(live.total).toBe(total);
    expect(live.photos).toHaveLength(60);

    // Once the index is complete, the cache answers the same place with the same photos. (The
    // index yields to the live page for a quiet moment: the fake clock moves past it.)
    h.clock.advance(1000);
    release?.();
    await h.library.refresh();
    const cached = h.library.query(LIBRARY(far, 60));
    expect(cached.photos.map((p) => p.uid)).toEqual(live.photos.map((p) => p.uid));
    // And the grid reads the cache again: the page now comes from it, not the server.
    const before = emu.requests.length;
    expect((await h.library.page(LIBRARY(far, 60))).photos).toEqual(cached.photos);
    expect(emu.requests.length).toBe(before);
  });

  it("counts the Library as the server does and keeps the live grid still while the index's pages land", async () => {
    const { emu, h } = await signInWithIndexHeld(1500);
    const total = await serverLibraryCount(emu, h);
    expect(h.library.counts().all).toBe(total);
    // The grid was told once to read its (live) pages; the index's pages are not announced one by one.
    expect(changes(h).filter((c) => c.full)).toHaveLength(1);
    expect(changes(h).filter((c) => c.uids.length > 0)).toEqual([]);
    release?.();
    await h.library.refresh();
    // The complete index is announced, and the count is the cache's own again. (PhotoPrism's
    // count.all takes every photo in review off, private ones too, so it may be a few short:
    // ClientConfig's count queries. The live grid's last page corrects that, see #livePage.)
    expect(changes(h).filter((c) => c.full).length).toBeGreaterThanOrEqual(2);
    expect(h.library.counts().all).toBe(h.repo.counts().all);
    expect(Math.abs(h.repo.counts().all - total)).toBeLessThan(total * 0.01);
  });

  it("asks for the grid's first live page before the index's first page, and answers the grid's first read with it", async () => {
    const photoSearches: URLSearchParams[] = [];
    const { h } = await signInWithIndexHeld(1500, {
      beforeSend: (req) => {
        const url = new URL(req.url);
        if (url.pathname === '/api/v1/photos') photoSearches.push(url.searchParams);
        return undefined;
      },
    });
    // A loaded server answers in arrival order: the first screen's page goes first.
    expect(photoSearches[0]?.get('primary')).toBe('true');
    expect(photoSearches[0]?.get('offset') ?? '0').toBe('0');
    expect(photoSearches[1]?.has('primary')).toBe(false);
    // The grid's first read (its first page, or the rows on screen) is that page: no second round trip.
    const asked = photoSearches.length;
    const first = await h.library.page(LIBRARY(0, 200));
    expect(first.photos).toHaveLength(200);
    expect(photoSearches).toHaveLength(asked);
    // It is used once: a later read of the same place asks the server again (rows may have changed).
    const again = await h.library.page(LIBRARY(0, 60));
    expect(again.photos.map((p) => p.uid)).toEqual(first.photos.slice(0, 60).map((p) => p.uid));
    expect(photoSearches).toHaveLength(asked + 1);
  });

  it("leaves the sidebar's browse lists (People, Labels, Places…) until the index is complete: the first screen's thumbnails go first", async () => {
    const { h } = await signInWithIndexHeld(1500);
    const browse = new BrowseService({
      repo: new BrowseRepo(h.db),
      libraryRepo: h.repo,
      library: h.library,
      connection: h.connection,
      events: h.events,
      clock: h.clock,
      log: h.log,
    });
    try {
      const sentBefore = h.sent.length;
      expect(browse.summary().sections.people).toBeNull();
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(h.sent.slice(sentBefore).filter((r) => !r.startsWith('GET /api/v1/photos'))).toEqual([]);
      // The complete index is announced; the sidebar asks again and the lists are fetched then.
      h.clock.advance(1000);
      release?.();
      await h.library.refresh();
      browse.summary();
      await eventually(() => expect(browse.summary().sections.people).not.toBeNull());
    } finally {
      browse.dispose();
    }
  });

  it('takes the switches and counts from the sign-in answer: no config round trip before the first page', async () => {
    const { h } = await signInWithIndexHeld(1500);
    // PhotoPrism's sign-in answer carries the session's client config (internal/api/session_response.go).
    expect(h.sent.slice(0, 2)).toEqual(['POST /api/v1/session', 'GET /api/v1/photos']);
    expect(h.sent).not.toContain('GET /api/v1/config');
    expect(h.library.counts().all).toBeGreaterThan(0);
    // Later refreshes read the config again (an admin may have changed a switch since).
    h.clock.advance(1000);
    release?.();
    await h.library.refresh();
    await h.library.refresh('full');
    expect(h.sent.filter((r) => r === 'GET /api/v1/config')).toHaveLength(1);
  });

  it('writes live rows to the cache, so thumbnails and the viewer find a photo the index has not reached', async () => {
    const { h } = await signInWithIndexHeld(1500);
    const live = await h.library.page(LIBRARY(1000, 10));
    const first = live.photos[0];
    expect(first).toBeDefined();
    expect(h.repo.thumbHash(first?.uid ?? '')).toMatch(/^[0-9a-f]{40}$/);
    expect(h.library.details(first?.uid as never).uid).toBe(first?.uid);
  });

  it('goes back to the cache when the server is lost mid-index, and the grid is told', async () => {
    const { emu: server, h } = await signInWithIndexHeld(1500);
    const fullBefore = changes(h).filter((c) => c.full).length;
    await server.close();
    release?.();
    await h.library.refresh();
    expect(h.connection.status().state).toBe('offline');
    expect(changes(h).filter((c) => c.full).length).toBe(fullBefore + 1);
    // What was cached is shown, and counted as what it is.
    const page = await h.library.page(LIBRARY(0, 1000));
    expect(page.total).toBe(h.repo.counts().all);
    expect(page.total).toBeGreaterThan(0);
    expect(h.library.counts().all).toBe(page.total);
    emu = undefined;
  });

  it('lets a thumbnail on its way to the screen go before the next index page', async () => {
    // The system clock: the index must wait on its own (quiet moment, no give-up within the test).
    const foreground = new ForegroundWork({ clock: systemClock, quietMs: 50, maxWaitMs: 60_000 });
    let releaseThumb = (): void => undefined;
    const thumbHeld = new Promise<void>((resolve) => (releaseThumb = resolve));
    const indexOffsets: number[] = [];
    // Enough photos for pages past those read ahead with the first one ([Note: Reading ahead]: a write batch's worth).
    const { h } = await signInWithIndexHeld(6000, {
      foreground,
      beforeSend: (req) => {
        const url = new URL(req.url);
        if (url.pathname.startsWith('/api/v1/t/')) return thumbHeld;
        if (url.pathname === '/api/v1/photos' && !url.searchParams.has('primary') && !url.searchParams.has('s')) {
          indexOffsets.push(Number(url.searchParams.get('offset') ?? 0));
        }
        return undefined;
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'pf-first-run-'));
    try {
      const cache = new DiskLru({ dir, db: h.db, budgetBytes: 1024 * 1024, clock: h.clock, log: createMemoryLogger() });
      const thumbs = new ThumbnailService({
        cache,
        lookupHash: (uid) => h.repo.thumbHash(uid),
        source: h.connection,
        log: createMemoryLogger(),
        foreground,
      });
      const uid = h.library.query(LIBRARY(0, 1)).photos[0]?.uid ?? '';
      const thumbnail = thumbs.get(uid, 'tile_224');
      await eventually(() => expect(foreground.inFlight).toBe(1));
      // The pages read ahead with the first one were already asked for; the next must wait for the thumbnail.
      const readAhead = [200, 1200, 2200, 3200];
      expect(indexOffsets).toEqual([0, ...readAhead]);
      release?.();
      await eventually(() => expect(h.repo.photoUids().length).toBeGreaterThan(900));
      // Turns of the event loop: the index reaches its next page and waits there.
      for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(indexOffsets).toEqual([0, ...readAhead]);
      releaseThumb();
      expect((await thumbnail).body.length).toBeGreaterThan(0);
      await h.library.refresh();
      expect(indexOffsets.slice(0, 6)).toEqual([0, ...readAhead, 4200]);
      // The thumbnail's file is written after it was answered: let it land before the folder goes.
      await cache.settled();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("fetches the first screen's thumbnails the moment the first live page is here, and sends no index page before the grid has them", async () => {
    // The system clock: the index must wait on its own (no give-up within the test).
    const foreground = new ForegroundWork({ clock: systemClock, quietMs: 50, maxWaitMs: 60_000 });
    const order: string[] = [];
    emu = await startPhotoPrismEmulator({ photos: 1500, albums: 2, seed: 21 });
    const held = new Promise<void>((resolve) => (release = resolve));
    let thumbs: ThumbnailService | undefined;
    h = makeHarness({
      library: { pageSize: 1000, foreground, onFirstLivePage: (hashes) => thumbs?.fetchFirstScreen(hashes) },
      beforeSend: (req) => {
        const url = new URL(req.url);
        if (url.pathname.startsWith('/api/v1/t/')) order.push('thumbnail');
        else if (url.pathname === '/api/v1/photos') order.push(url.searchParams.has('primary') ? 'live page' : 'index page');
        return isLaterIndexPage(req) ? held : undefined;
      },
    });
    const harness = h;
    const dir = mkdtempSync(join(tmpdir(), 'pf-first-screen-'));
    const cache = new DiskLru({
      dir,
      db: harness.db,
      budgetBytes: 8 * 1024 * 1024,
      clock: harness.clock,
      log: createMemoryLogger(),
      foreground,
    });
    try {
      thumbs = new ThumbnailService({
        cache,
        lookupHash: (uid) => harness.repo.thumbHash(uid),
        source: harness.connection,
        log: createMemoryLogger(),
        foreground,
      });
      // What the renderer said while the sign-in form showed (library.firstScreen).
      thumbs.expectFirstScreen({ size: 'tile_224', tiles: 12 });
      await harness.connection.signIn({ serverUrl: emu.url, username: emu.credentials.username, password: emu.credentials.password });
      await eventually(() => expect(order.filter((kind) => kind === 'thumbnail')).toHaveLength(12));
      // Turns of the event loop: nothing else goes to the server while the screen waits for them.
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
      expect(order).toEqual(['live page', ...Array<string>(12).fill('thumbnail')]);

      // The grid reads the page and asks for its tiles: every one is had without another request.
      const page = await harness.library.page(LIBRARY(0, 200));
      const service = thumbs;
      const tiles = await Promise.all(page.photos.slice(0, 12).map((photo) => service.get(photo.uid, 'tile_224')));
      expect(tiles.every((tile) => tile.body.length > 0)).toBe(true);
      expect(order.filter((kind) => kind === 'thumbnail')).toHaveLength(12);
      // The screen has them all: the index goes on.
      await eventually(() => expect(order).toContain('index page'));
      release?.();
      await harness.library.refresh();
      await cache.settled();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
