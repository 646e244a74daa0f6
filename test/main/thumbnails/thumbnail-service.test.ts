import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryLogger } from '../../../main/log/logger';
import { DiskLru } from '../../../main/thumbnails/disk-lru';
import { thumbnailRoute } from '../../../main/thumbnails/thumbnail-route';
import { ThumbnailService } from '../../../main/thumbnails/thumbnail-service';
import { thumbnailPath } from '../../../shared/library/schemas';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { makeHarness, type Harness } from '../library/helpers';

let emu: PhotoPrismEmulator;
let h: Harness;
let dir: string;
let thumbs: ThumbnailService;
let cache: DiskLru;

beforeEach(async () => {
  emu = await startPhotoPrismEmulator({ photos: 20, albums: 1 });
  h = makeHarness();
  dir = mkdtempSync(join(tmpdir(), 'pf-thumbs-'));
  await h.connection.signIn({ serverUrl: emu.url, username: emu.credentials.username, password: emu.credentials.password });
  await h.library.refresh();
  cache = new DiskLru({ dir, db: h.db, budgetBytes: 50 * 1024 * 1024, clock: h.clock, log: createMemoryLogger() });
  thumbs = new ThumbnailService({ cache, lookupHash: (uid) => h.repo.thumbHash(uid), source: h.connection, log: createMemoryLogger() });
});
afterEach(async () => {
  h.library.dispose();
  h.connection.dispose();
  await emu.close();
  await cache.settled();
  rmSync(dir, { recursive: true, force: true });
});

const cacheFor = () =>
  new DiskLru({ dir: mkdtempSync(join(dir, 'c-')), db: h.db, budgetBytes: 1024 * 1024, clock: h.clock, log: createMemoryLogger() });
const sourceOf = (harness: Harness) => ({
  active: () => harness.connection.active(),
  previewToken: () => harness.connection.previewToken(),
  refreshSession: () => harness.connection.refreshSession(),
  reportFailure: (error: unknown) => harness.connection.reportFailure(error),
});
const thumbRequests = () => emu.requests.filter((r) => r.path.startsWith('/api/v1/t/')).length;
const firstUid = () => h.library.query({ view: { kind: 'all' }, q: '', offset: 0, limit: 2 }).photos.map((p) => p.uid) as [string, string];

describe('ThumbnailService', () => {
  it('fetches once, then serves from disk; the response never carries the preview token', async () => {
    const [uid] = firstUid();
    const first = await thumbs.serve(thumbnailPath(uid, 'tile_224'));
    expect(first.status).toBe(200);
    expect(first.contentType).toBe('image/jpeg');
    expect(first.body.subarray(0, 2).toString('hex')).toBe('ffd8');
    expect(thumbRequests()).toBe(1);
    const again = await thumbs.serve(thumbnailPath(uid, 'tile_224'));
    expect(again.body.equals(first.body)).toBe(true);
    expect(thumbRequests()).toBe(1);
    const token = h.connection.previewToken() ?? 'none';
    expect(JSON.stringify(ThumbnailService.headers(first))).not.toContain(token);
  });

  it('answers 404 for unknown photos and malformed paths', async () => {
    expect((await thumbs.serve('/thumbs/pzzzzzzzzzzzzzzz/tile_224')).status).toBe(404);
    expect((await thumbs.serve('/thumbs/../secrets.json/tile_224')).status).toBe(404);
    expect((await thumbs.serve(`/thumbs/${firstUid()[0]}/huge_9999`)).status).toBe(404);
  });

  it('offline: cached thumbnails still served, others 503', async () => {
    const [cached, uncached] = firstUid();
    await thumbs.serve(thumbnailPath(cached, 'fit_1280'));
    await emu.admin.goDown();
    await h.library.refresh('full');
    expect(h.connection.status().state).toBe('offline');
    expect((await thumbs.serve(thumbnailPath(cached, 'fit_1280'))).status).toBe(200);
    expect((await thumbs.serve(thumbnailPath(uncached, 'fit_1280'))).status).toBe(503);
  });

  it('after a server restart (token map emptied, same token): one shared session check, then every tile loads', async () => {
    const uids = h.library.query({ view: { kind: 'all' }, q: '', offset: 0, limit: 8 }).photos.map((p) => p.uid);
    const tokenBefore = h.connection.previewToken();
    emu.admin.restart();
    const sessionChecks = () => emu.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/api/v1/session')).length;
    const checksBefore = sessionChecks();
    const served = await Promise.all(uids.map((uid) => thumbs.serve(thumbnailPath(uid, 'tile_224'))));
    expect(served.map((r) => `${r.status} ${r.contentType}`)).toEqual(uids.map(() => '200 image/jpeg'));
    // The server gave back the SAME token (photoprism issue 5265): the retry must not depend on a new one.
    expect(h.connection.previewToken()).toBe(tokenBefore);
    // Eight concurrent 403s share one session check.
    expect(sessionChecks() - checksBefore).toBe(1);
    expect(h.connection.status().state).toBe('online');
  });

  it('a token the server still refuses after the session check is tried once more, not in a loop', async () => {
    const [uid] = firstUid();
    // Break the token for good: the emulator's restart empties the map, and a bogus token never comes back.
    emu.admin.restart();
    const thumbsBefore = thumbRequests();
    const brokenSource = { ...sourceOf(h), previewToken: () => 'zzzzzzzz' };
    const broken = new ThumbnailService({
      cache: cacheFor(),
      lookupHash: (u) => h.repo.thumbHash(u),
      source: brokenSource,
      log: createMemoryLogger(),
    });
    expect((await broken.serve(thumbnailPath(uid, 'tile_500'))).status).toBe(502);
    expect(thumbRequests() - thumbsBefore).toBe(2);
  });

  it('drops the fetch of a thumbnail everyone stopped waiting for (its tile scrolled away), and stays online', async () => {
    // Thumbnail requests wait here until released, as on a busy server.
    let releaseThumbnails = (): void => undefined;
    const held = new Promise<void>((resolve) => (releaseThumbnails = resolve));
    const slow = makeHarness({ beforeSend: (req) => (new URL(req.url).pathname.startsWith('/api/v1/t/') ? held : undefined) });
    let slowCache: DiskLru | undefined;
    try {
      await slow.connection.signIn({ serverUrl: emu.url, username: emu.credentials.username, password: emu.credentials.password });
      await slow.library.refresh();
      const cache = new DiskLru({
        dir: mkdtempSync(join(dir, 'c-')),
        db: slow.db,
        budgetBytes: 1024 * 1024,
        clock: slow.clock,
        log: createMemoryLogger(),
      });
      slowCache = cache;
      const service = new ThumbnailService({
        cache,
        lookupHash: (u) => slow.repo.thumbHash(u),
        source: slow.connection,
        log: createMemoryLogger(),
      });
      const [scrolledAway, stillShown] = firstUid();
      const before = thumbRequests();
      const gone = new AbortController();
      const goneToo = new AbortController();
      const away = service.serve(thumbnailPath(scrolledAway, 'tile_224'), gone.signal);
      // One tile left, another showing the same photo stays: that fetch goes on.
      const leftOne = service.serve(thumbnailPath(stillShown, 'tile_224'), goneToo.signal);
      const staying = service.serve(thumbnailPath(stillShown, 'tile_224'));
      gone.abort();
      goneToo.abort();
      releaseThumbnails();
      expect((await staying).status).toBe(200);
      await Promise.allSettled([away, leftOne]);
      expect(thumbRequests() - before).toBe(1);
      // A cancelled fetch says nothing about the server.
      expect(slow.connection.status().state).toBe('online');
      // Shown again later, the tile loads (a new fetch, not the dropped one).
      expect((await service.serve(thumbnailPath(scrolledAway, 'tile_224'))).status).toBe(200);
      expect(thumbRequests() - before).toBe(2);
    } finally {
      slow.library.dispose();
      slow.connection.dispose();
      // Its last file write lands in `dir` before afterEach removes it (see heldService's dispose).
      await slowCache?.settled();
    }
  });

  describe("a jump's screen, fetched at once (fetchScreen)", () => {
    /** A service whose server fetches wait while `holding` is set, as on a busy server; `fetchesOf(uid)` counts those started. */
    function heldService() {
      let holding = false;
      let release = (): void => undefined;
      let held = Promise.resolve();
      const harness = makeHarness({
        beforeSend: (req) => (holding && new URL(req.url).pathname.startsWith('/api/v1/t/') ? held : undefined),
      });
      // Each service's cache, so dispose() can wait for its last disk write: afterEach removes `dir`, and a write still
      // landing in it made that removal fail with ENOTEMPTY once in CI.
      const caches: DiskLru[] = [];
      const service = () => {
        const serviceCache = new DiskLru({
          dir: mkdtempSync(join(dir, 'c-')),
          db: harness.db,
          budgetBytes: 1024 * 1024,
          clock: harness.clock,
          log: createMemoryLogger(),
        });
        caches.push(serviceCache);
        return new ThumbnailService({
          cache: serviceCache,
          lookupHash: (u) => harness.repo.thumbHash(u),
          source: harness.connection,
          log: createMemoryLogger(),
        });
      };
      return {
        harness,
        service,
        hold() {
          holding = true;
          held = new Promise<void>((resolve) => (release = resolve));
        },
        release() {
          holding = false;
          release();
        },
        fetchesOf: (uid: string) => harness.sent.filter((sent) => sent.includes(`/api/v1/t/${harness.repo.thumbHash(uid)}/`)).length,
        async start() {
          await harness.connection.signIn({ serverUrl: emu.url, username: emu.credentials.username, password: emu.credentials.password });
          await harness.library.refresh();
        },
        async dispose() {
          harness.library.dispose();
          harness.connection.dispose();
          await Promise.all(caches.map((c) => c.settled()));
        },
      };
    }
    /** Run `test` on a signed-in, indexed harness and a fresh service over it (see heldService). */
    async function withHeldService(test: (held: ReturnType<typeof heldService>, service: ThumbnailService) => Promise<void>) {
      const held = heldService();
      try {
        await held.start();
        await test(held, held.service());
      } finally {
        await held.dispose();
      }
    }
    const uidsOf = (harness: Harness, count: number) =>
      harness.library.query({ view: { kind: 'all' }, q: '', offset: 0, limit: count }).photos.map((p) => p.uid);

    it("starts every thumbnail of the screen not on disk at once, and the grid's requests join those fetches", async () => {
      await withHeldService(async (held, service) => {
        const uids = uidsOf(held.harness, 8);
        const [onDisk = ''] = uids;
        expect((await service.serve(thumbnailPath(onDisk, 'tile_224'))).status).toBe(200);
        held.hold();
        service.fetchScreen(uids, 'tile_224');
        // All seven at once, before the grid asked for any (it asks six at a time, each after the last answer on its connection).
        // Eight requests through a loaded machine's event loop: waitFor's default second is too short there (it failed twice so).
        await vi.waitFor(() => expect(uids.map((uid) => held.fetchesOf(uid))).toEqual([1, 1, 1, 1, 1, 1, 1, 1]), { timeout: 8_000 });
        const asked = uids.map((uid) => service.serve(thumbnailPath(uid, 'tile_224'), new AbortController().signal));
        held.release();
        expect((await Promise.all(asked)).map((r) => r.status)).toEqual(uids.map(() => 200));
        // The grid's requests joined the fetches under way (and the one on disk was not fetched again).
        expect(uids.map((uid) => held.fetchesOf(uid))).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
      });
    });

    it("a further jump drops the last screen's fetches the grid never asked for, and keeps those it did", async () => {
      await withHeldService(async (held, service) => {
        const [asked = '', neverAsked = '', nextScreen = ''] = uidsOf(held.harness, 3);
        held.hold();
        service.fetchScreen([asked, neverAsked], 'tile_224');
        const shown = service.serve(thumbnailPath(asked, 'tile_224'), new AbortController().signal);
        // The scrubber moves on before the server answered.
        service.fetchScreen([nextScreen], 'tile_224');
        held.release();
        expect((await shown).status).toBe(200);
        expect((await service.serve(thumbnailPath(nextScreen, 'tile_224'))).status).toBe(200);
        expect([held.fetchesOf(asked), held.fetchesOf(nextScreen)]).toEqual([1, 1]);
        // The dropped fetch is not reused: shown later, its tile gets a fetch of its own.
        expect((await service.serve(thumbnailPath(neverAsked, 'tile_224'))).status).toBe(200);
        expect(held.fetchesOf(neverAsked)).toBe(2);
        expect(held.harness.connection.status().state).toBe('online');
      });
    });

    it("a page load's first screen fetched ahead is dropped like a jump's when a jump replaces it before the grid asked", async () => {
      await withHeldService(async (held, service) => {
        const [firstTile = '', jumpedTo = ''] = uidsOf(held.harness, 2);
        held.hold();
        service.fetchBootScreen([firstTile], { size: 'tile_224', tiles: 1 });
        await vi.waitFor(() => expect(held.fetchesOf(firstTile)).toBe(1), { timeout: 8_000 });
        // The person jumps away before the first screen's thumbnail arrived.
        service.fetchScreen([jumpedTo], 'tile_224');
        held.release();
        expect((await service.serve(thumbnailPath(jumpedTo, 'tile_224'))).status).toBe(200);
        // Dropped, not kept for good: shown later, its tile gets a fetch of its own.
        expect((await service.serve(thumbnailPath(firstTile, 'tile_224'))).status).toBe(200);
        expect(held.fetchesOf(firstTile)).toBe(2);
      });
    });

    it("a screen fetch that fails is met by the grid's own request (503), and nothing is left unhandled", async () => {
      const [uid = ''] = uidsOf(h, 1);
      await emu.admin.goDown();
      thumbs.fetchScreen([uid], 'tile_224');
      expect((await thumbs.serve(thumbnailPath(uid, 'tile_224'))).status).toBe(503);
      // A fetch nobody asked for fails on its own: no unhandled rejection (vitest fails the run on one).
      thumbs.fetchScreen([firstUid()[1]], 'tile_224');
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
  });

  it('a thumbnail the disk cache cannot store (disk full, its folder blocked) is still shown, and fetched again next time', async () => {
    const [uid] = firstUid();
    const hash = h.repo.thumbHash(uid) ?? '';
    // A file where the cache wants the folder for this hash: every write there fails.
    writeFileSync(join(dir, hash.slice(0, 2)), 'in the way');
    const first = await thumbs.serve(thumbnailPath(uid, 'tile_224'));
    expect(first.status).toBe(200);
    expect(first.body.subarray(0, 2).toString('hex')).toBe('ffd8');
    await cache.settled();
    rmSync(join(dir, hash.slice(0, 2)));
    // Nothing half-stored is served: the next request fetches the photo again and stores it.
    expect((await thumbs.serve(thumbnailPath(uid, 'tile_224'))).status).toBe(200);
    expect(thumbRequests()).toBe(2);
  });

  it('is served by the web shell route with safe headers', async () => {
    const route = thumbnailRoute(thumbs);
    const server: Server = createServer((req, res) => void route.handle(req, res, new URL(req.url ?? '/', 'http://x')));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const res = await fetch(`${base}${thumbnailPath(firstUid()[0], 'tile_500')}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect((await fetch(`${base}/thumbs/nope/tile_500`)).status).toBe(404);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
