import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { LibraryRepo, type PhotoRecord } from '../../../main/library/library-repo';
import { toPhotoRecord } from '../../../main/library/photo-mapping';
import { createMemoryLogger } from '../../../main/log/logger';
import { SearchPhoto } from '../../../main/photoprism/schemas';
import { photoSearchResult } from '../../emulators/photoprism/json';
import { generateLibrary } from '../../emulators/photoprism/library-generator';
import { SeededRandom } from '../../emulators/photoprism/util';
import { makeHarness } from './helpers';

const ALL = { kind: 'all' } as const;

function library(photos: number, db = openDatabase(':memory:')): { repo: LibraryRepo; records: PhotoRecord[]; close: () => void } {
  const log = createMemoryLogger();
  migrate(db, MIGRATIONS, { log });
  const repo = new LibraryRepo(db, log);
  const store = generateLibrary(
    { photos, albums: 0, seed: 11, nowMs: Date.UTC(2024, 11, 13), ownerUid: 'uqzzzzzzzzzzzzz1' },
    new SeededRandom(11),
    () => Date.UTC(2024, 11, 13),
  );
  const records = store.photos.flatMap((photo) => {
    const record = toPhotoRecord(SearchPhoto.parse(photoSearchResult(photo.files, true)), { archived: false });
    return record ? [record] : [];
  });
  repo.upsertPhotos(records.map((r) => ({ ...r, quality: 4, private: false })));
  return { repo, records, close: () => db.close() };
}

const found = (repo: LibraryRepo, q: string): string[] => repo.query(ALL, q, 0, 1000).photos.map((p) => p.uid);

describe('search words follow every write', () => {
  it.each([
    ['before the search index is built', false],
    ['by the search index', true],
  ])('an offline title or description edit is found by its new words at once, and no longer by its old ones (%s)', (_, built) => {
    const { repo, records, close } = library(40);
    if (built) while (!repo.buildSearchIndexStep());
    expect(repo.searchIndexReady()).toBe(built);
    const [first, second] = records;
    if (!first || !second) throw new Error('the generator made no photos');
    expect(found(repo, 'harbour')).toEqual([]);

    // The offline queue's cache update of a title (applyLocally → setPhotoTitle).
    expect(repo.setPhotoTitle(first.uid, 'Harbour at dusk')).toBe(true);
    expect(found(repo, 'harbour')).toEqual([first.uid]);
    expect(found(repo, 'dusk')).toEqual([first.uid]);

    // A metadata edit (title and description) of another photo.
    expect(repo.setPhotoMetadata(second.uid, { ...second, title: 'Lighthouse', description: 'Waves at the harbour wall' })).toBe(true);
    expect(found(repo, 'harbour').sort()).toEqual([first.uid, second.uid].sort());
    expect(found(repo, 'lighthouse')).toEqual([second.uid]);

    // The old words are gone: the first photo's new title replaced its old one.
    expect(repo.setPhotoTitle(first.uid, 'Meadow')).toBe(true);
    expect(found(repo, 'harbour')).toEqual([second.uid]);
    close();
  });
});

describe('the search index of a cache from before it', () => {
  it('is built after the start, once the first screen had its time, and the searches answer the same', async () => {
    const db = openDatabase(':memory:');
    const { repo } = library(60, db);
    repo.setMeta('lastFullIndexAt', '1');
    const queries = ['lisbon', 'camera:EOS', 'type:video', 'year:2021|2022 camera:canon'];
    const byRows = queries.map((q) => found(repo, q));
    expect(byRows.flat().length).toBeGreaterThan(0);

    const h = makeHarness({ db });
    const settle = async () => {
      for (let i = 0; i < 50 && !h.repo.searchIndexReady(); i++) await new Promise<void>((resolve) => setImmediate(resolve));
    };
    await settle();
    // Not while the first screen comes up.
    expect(h.repo.searchIndexReady()).toBe(false);
    h.clock.advance(5_000);
    await settle();
    expect(h.repo.searchIndexReady()).toBe(true);
    expect(queries.map((q) => found(h.repo, q))).toEqual(byRows);
    h.library.dispose();
    h.connection.dispose();
    db.close();
  });
});
