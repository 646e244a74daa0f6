import { afterEach, describe, expect, it, vi } from 'vitest';
import { INDEX_WRITE_ROWS } from '../../../main/library/library-service';
import type { ConnectionStatus } from '../../../shared/library/schemas';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { openDatabase } from '../../../main/db/database';
import { LibraryRepo } from '../../../main/library/library-repo';
import { makeHarness, type Harness } from './helpers';

let emu: PhotoPrismEmulator | undefined;
let h: Harness | undefined;

afterEach(async () => {
  h?.library.dispose();
  h?.connection.dispose();
  await emu?.close();
  emu = undefined;
  h = undefined;
});

async function firstIndex(photos: number, before?: (h: Harness) => void): Promise<{ emu: PhotoPrismEmulator; h: Harness }> {
  emu = await startPhotoPrismEmulator({ photos, albums: 2, seed: 21 });
  h = makeHarness({ library: { pageSize: 1000 } });
  before?.(h);
  await h.connection.signIn({ serverUrl: emu.url, username: emu.credentials.username, password: emu.credentials.password });
  await h.library.refresh();
  return { emu, h };
}

/** The `indexing` progress the UI was shown, in order. */
function progressShown(harness: Harness): { done: number; total: number }[] {
  return harness.emitted.filter((e) => e.event === 'connection.changed').flatMap((e) => (e.payload as ConnectionStatus).indexing ?? []);
}

describe('the first index of a large library', () => {
  it('asks for the first screen in a small page, then goes on in full pages', async () => {
    const { emu } = await firstIndex(1500);
    // The library listing itself: not the archive, an album's members, a refresh by UID or the grid's live page.
    const searches = emu.requests.filter(
      (r) => r.method === 'GET' && r.path === '/api/v1/photos' && !['archived', 's', 'uid', 'primary'].some((key) => key in r.query),
    );
    expect(searches.slice(0, 3).map((r) => Number(r.query['count']))).toEqual([200, 1000, 1000]);
    expect(searches.slice(0, 3).map((r) => Number(r.query['offset']))).toEqual([0, 200, 1200]);
    // Besides, only pages read ahead past the end ([Note: Reading ahead]): fewer than a write batch's pages, all beyond the listing.
    const pastTheEnd = searches.slice(3).map((r) => Number(r.query['offset']));
    expect(pastTheEnd.length).toBeLessThan(Math.ceil(INDEX_WRITE_ROWS / 1000));
    for (const offset of pastTheEnd) expect(offset).toBeGreaterThanOrEqual(1500);
  });

  it("shows the server's own total from the start, not a total that grows with what has arrived", async () => {
    const { emu, h } = await firstIndex(1500);
    const snap = emu.admin.snapshot();
    // Every row a full index lists: all photos but broken ones (quality -1), archived included.
    const listed = snap.photos.filter((p) => p.Quality !== -1).length;
    const progress = progressShown(h).filter((p) => p.done > 0);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress[0]?.done).toBeLessThan(listed);
    for (const p of progress) expect(p.total).toBe(listed);
  });

  it('writes several pages per transaction (see [Note: Index writes in batches]), and caches every photo listed', async () => {
    const written: number[] = [];
    const { emu, h } = await firstIndex(6000, (harness) => {
      const upsert = harness.repo.upsertPhotos.bind(harness.repo);
      vi.spyOn(harness.repo, 'upsertPhotos').mockImplementation((records) => {
        written.push(records.length);
        return upsert(records);
      });
    });
    // The first screen's page alone, then batches larger than a page of 1,000.
    expect(written[0]).toBeLessThan(200);
    expect(Math.max(...written)).toBeGreaterThanOrEqual(INDEX_WRITE_ROWS);
    const listed = emu.admin.snapshot().photos.filter((p) => p.Quality !== -1).length;
    expect(h.repo.photoUids().length).toBe(listed);
  });
});

/** The indexes a first index builds at its end: the thumbnail hashes', and the search rows' by uid. */
const BULK_LOAD_INDEXES = ['photo_facets_by_uid', 'photos_by_thumb_hash'];

/** Which of them are in the database now. */
function bulkLoadIndexesPresent(harness: Harness): string[] {
  const names = harness.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name").pluck().all() as string[];
  return names.filter((name) => BULK_LOAD_INDEXES.includes(name));
}

/** Whether both are there. */
function hasHashIndex(harness: Harness): boolean {
  return bulkLoadIndexesPresent(harness).length === BULK_LOAD_INDEXES.length;
}

describe('the bulk-load indexes around a first index ([Note: A first index builds the hash index at its end])', () => {
  it('is dropped while a first index writes its photos, and back before the albums are listed', async () => {
    const duringPhotos: boolean[] = [];
    const atAlbums: boolean[] = [];
    const { h } = await firstIndex(2500, (harness) => {
      const upsert = harness.repo.upsertPhotos.bind(harness.repo);
      vi.spyOn(harness.repo, 'upsertPhotos').mockImplementation((records) => {
        // The listing's pages (an album's members are written after the albums are listed).
        if (atAlbums.length === 0) duringPhotos.push(bulkLoadIndexesPresent(harness).length > 0);
        return upsert(records);
      });
      const upsertAlbums = harness.repo.upsertAlbums.bind(harness.repo);
      vi.spyOn(harness.repo, 'upsertAlbums').mockImplementation((records) => {
        atAlbums.push(hasHashIndex(harness));
        return upsertAlbums(records);
      });
    });
    expect(duringPhotos.length).toBeGreaterThan(1);
    // Neither of them while the pages are written.
    expect(duringPhotos.every((present) => !present)).toBe(true);
    expect(atAlbums.length).toBeGreaterThan(0);
    expect(atAlbums.every((present) => present)).toBe(true);
    expect(hasHashIndex(h)).toBe(true);
    // Built from the rows in place: a cover found by its hash is found by the index, a search row by its uid.
    const plan = (sql: string) =>
      (h.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((row) => row.detail).join(' ');
    expect(plan("SELECT uid FROM photos WHERE thumb_hash = 'x'")).toContain('photos_by_thumb_hash');
    expect(plan("SELECT year FROM photo_facets WHERE uid = 'x'")).toContain('photo_facets_by_uid');
    // As unique as migration 0260 made it: one search row per photo.
    const unique = h.db
      .prepare("SELECT \"unique\" FROM pragma_index_list('photo_facets') WHERE name = 'photo_facets_by_uid'")
      .pluck()
      .get();
    expect(unique).toBe(1);
  });

  it('stays in place while a later full index writes into the cache', async () => {
    const { h } = await firstIndex(1500);
    const duringPhotos: boolean[] = [];
    const upsert = h.repo.upsertPhotos.bind(h.repo);
    vi.spyOn(h.repo, 'upsertPhotos').mockImplementation((records) => {
      duringPhotos.push(hasHashIndex(h));
      return upsert(records);
    });
    await h.library.refresh('full');
    expect(duringPhotos.length).toBeGreaterThan(0);
    expect(duringPhotos.every((present) => present)).toBe(true);
  });

  it('is built again by the next start when a first index stopped midway (a crash, a quit)', async () => {
    const db = openDatabase(':memory:');
    const crashed = makeHarness({ db });
    // What a first index leaves behind when the process dies before its photos are all in.
    crashed.repo.dropBulkLoadIndexes();
    crashed.library.dispose();
    crashed.connection.dispose();
    expect(hasHashIndex(crashed)).toBe(false);
    h = makeHarness({ db });
    expect(hasHashIndex(h)).toBe(true);
  });

  it('a start that cannot build it (a full disk) says so and goes on: only covers are found more slowly', () => {
    vi.spyOn(LibraryRepo.prototype, 'buildBulkLoadIndexes').mockImplementation(() => {
      throw new Error('SQLITE_FULL: database or disk is full');
    });
    try {
      h = makeHarness();
    } finally {
      vi.restoreAllMocks();
    }
    expect(h.log.lines.some((line) => line.includes('could not build the thumbnail-hash and search-row indexes'))).toBe(true);
  });
});
