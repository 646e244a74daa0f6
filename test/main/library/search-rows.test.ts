import { describe, expect, it } from 'vitest';
import { openDatabase, type WritableDb } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { BrowseRepo } from '../../../main/library/browse-repo';
import { LibraryRepo } from '../../../main/library/library-repo';
import { offlineSearch } from '../../../main/library/offline-search';
import { toPhotoRecord } from '../../../main/library/photo-mapping';
import { createMemoryLogger } from '../../../main/log/logger';
import { SearchPhoto } from '../../../main/photoprism/schemas';
import type { LibraryFeatures, LibraryView, MonthBucket } from '../../../shared/library/schemas';
import { photoSearchResult } from '../../emulators/photoprism/json';
import { generateLibrary } from '../../emulators/photoprism/library-generator';
import { SeededRandom } from '../../emulators/photoprism/util';

/**
 * [Note: Search rows in grid order]: an offline search reads `photo_facets` alone, which copies
 * the photo columns it needs. Whatever happens to the photos — favourites, archiving, new titles,
 * new dates, approvals, deletes, unchanged re-indexes — every page, total and month bucket must
 * be what a naive evaluation gives: the same conditions over `photos` itself, sorted and counted
 * in JavaScript. The changes are made with the search index built, so its triggers are tested too.
 */

/** Filters people type, several combined at random; some match many photos, some few, some none. */
const FRAGMENTS = [
  'year:2023',
  'year:2020|2021',
  'month:5',
  'camera:EOS',
  'camera:canon',
  'lens:*',
  'favorite:true',
  'favorite:false',
  'type:video',
  'type:image|live',
  'video:true',
  'city:Berlin',
  'country:de|pt',
  'faces:true',
  'lisbon',
  '"beach lisbon"',
  'lisbon & sunset',
  'mountain|dog',
  'EOS',
  'title:"Forest*"',
  'label:cat',
  'person:"Jane Doe"',
];

const VIEWS: LibraryView[] = [
  { kind: 'all' },
  { kind: 'favorites' },
  { kind: 'review' },
  { kind: 'private' },
  { kind: 'archive' },
  { kind: 'videos' },
  { kind: 'album', albumUid: 'a000000000000001' },
];

interface Row {
  uid: string;
  taken_at_local: string;
  archived: number;
  favorite: number;
  private: number;
  quality: number;
  type: string;
}

function inView(view: LibraryView, p: Row, features: LibraryFeatures, members: Set<string>): boolean {
  const browse = (!features.private || p.private === 0) && (!features.review || p.quality >= 3);
  switch (view.kind) {
    case 'all':
      return p.archived === 0 && browse;
    case 'favorites':
      return p.favorite === 1 && p.archived === 0 && browse;
    case 'review':
      return p.archived === 0 && p.quality < 3 && (!features.private || p.private === 0);
    case 'private':
      return p.archived === 0 && p.private === 1;
    case 'archive':
      return p.archived === 1;
    case 'videos':
      return p.type === 'video' && p.archived === 0 && browse;
    case 'album':
      return members.has(p.uid) && p.archived === 0;
    default:
      throw new Error(`not in this test: ${view.kind}`);
  }
}

/** The naive answer: the query's conditions over `photos p` (joined to its facets), then view, order, months in JS. */
function reference(db: WritableDb, repo: LibraryRepo, view: LibraryView, q: string): { uids: string[]; months: MonthBucket[] } {
  // Without the search index: every condition tested on the rows themselves.
  const search = offlineSearch(q, 'p', false);
  const rows = db
    .prepare(
      `SELECT p.uid, p.taken_at_local, p.archived, p.favorite, p.private, p.quality, p.type
       FROM photos p JOIN photo_facets f ON f.uid = p.uid WHERE 1${search.sql}`,
    )
    .all(...search.params) as Row[];
  const members = new Set(
    (db.prepare('SELECT photo_uid FROM album_photos WHERE album_uid = ?').all('a000000000000001') as { photo_uid: string }[]).map(
      (r) => r.photo_uid,
    ),
  );
  const features = repo.features();
  const kept = rows
    .filter((p) => inView(view, p, features, members))
    .sort((a, b) => (a.taken_at_local === b.taken_at_local ? (a.uid < b.uid ? 1 : -1) : a.taken_at_local < b.taken_at_local ? 1 : -1));
  const months: MonthBucket[] = [];
  kept.forEach((p, i) => {
    const month = p.taken_at_local.slice(0, 7);
    const last = months.at(-1);
    if (last?.month === month) months[months.length - 1] = { ...last, count: last.count + 1 };
    else months.push({ month, count: 1, offset: i });
  });
  return { uids: kept.map((p) => p.uid), months };
}

function compare(db: WritableDb, repo: LibraryRepo, random: SeededRandom, round: string): number {
  let nonEmpty = 0;
  for (let i = 0; i < 24; i++) {
    const q = Array.from({ length: random.int(1, 3) }, () => random.pick(FRAGMENTS)).join(' ');
    for (const view of VIEWS) {
      const want = reference(db, repo, view, q);
      const label = `${round}: ${view.kind} ${q}`;
      expect(repo.months(view, q), label).toEqual(want.months);
      // The first page, one in the middle (inside a month), the last, and one past the end.
      const offsets = [0, Math.floor(want.uids.length / 2), Math.max(0, want.uids.length - 7), want.uids.length + 3];
      for (const offset of offsets) {
        const page = repo.query(view, q, offset, 25);
        expect(page.total, label).toBe(want.uids.length);
        expect(
          page.photos.map((p) => p.uid),
          `${label} @${offset}`,
        ).toEqual(want.uids.slice(offset, offset + 25));
      }
      if (want.uids.length > 0) nonEmpty++;
    }
  }
  return nonEmpty;
}

/**
 * The photos of a small library, written, changed in every way a photo changes after it was
 * indexed, and compared with the naive evaluation after each step. `firstIndex`: written as a first
 * index writes them, its bulk-load indexes dropped ([Note: A first index builds the hash index at
 * its end]), and built only at the end, when every answer must still be the same.
 */
async function searchRowsScenario(options: { firstIndex: boolean }): Promise<void> {
  const db = openDatabase(':memory:');
  const log = createMemoryLogger();
  migrate(db, MIGRATIONS, { log });
  const repo = new LibraryRepo(db, log);
  const random = new SeededRandom(7);
  const store = generateLibrary(
    { photos: 1000, albums: 0, seed: 7, nowMs: Date.UTC(2024, 11, 13), ownerUid: 'uqzzzzzzzzzzzzz1' },
    new SeededRandom(7),
    () => Date.UTC(2024, 11, 13),
  );
  const records = store.photos.flatMap((photo) => {
    const record = toPhotoRecord(SearchPhoto.parse(photoSearchResult(photo.files, true)), { archived: random.chance(0.05) });
    return record ? [record] : [];
  });
  if (options.firstIndex) repo.dropBulkLoadIndexes();
  repo.upsertPhotos(records);
  repo.upsertAlbums([{ uid: 'a000000000000001', title: 'Trip', favorite: false, thumbHash: '', serverPhotoCount: 0, serverUpdatedAt: '' }]);
  repo.replaceAlbumMembers(
    'a000000000000001',
    records.filter(() => random.chance(0.1)).map((r) => r.uid),
    '2024-12-13T00:00:00Z',
  );
  // Before the search index is built ([Note: Search by index]): the rows themselves.
  expect(repo.searchIndexReady()).toBe(false);
  expect(compare(db, repo, random, 'indexed')).toBeGreaterThan(24);
  // A first index builds the search index after its end, and its bulk-load indexes before.
  if (!options.firstIndex) {
    // Built: the same answers by the index (a page by look-ups or by a walk, as it matches few or many).
    while (!repo.buildSearchIndexStep());
    expect(compare(db, repo, random, 'search index')).toBeGreaterThan(24);
  }

  // Every way a photo changes after it was indexed.
  const some = (share: number) => records.filter(() => random.chance(share)).map((r) => r.uid);
  repo.setPhotoFlag('favorite', some(0.1), true);
  repo.setPhotoFlag('favorite', some(0.1), false);
  repo.setPhotoFlag('private', some(0.05), true);
  repo.setArchived(some(0.05), true);
  repo.setApproved(some(0.05));
  for (const uid of some(0.02)) repo.setPhotoTitle(uid, `Forest ${uid}`);
  repo.deletePhotos(some(0.03));
  // A re-index: unchanged rows, and rows the server changed (date, type, title, flags, facets).
  repo.upsertPhotos(
    records.map((r) =>
      random.chance(0.1)
        ? {
            ...r,
            takenAtLocal: `20${random.int(10, 24)}-0${random.int(1, 9)}-1${random.int(0, 9)}T12:00:00`,
            type: random.pick(['image', 'video', 'live']),
            title: random.pick(['Lisbon sunset', 'Forest', r.title]),
            quality: random.int(0, 5),
            favorite: random.chance(0.5),
            ...(r.facets && {
              facets: { ...r.facets, year: random.int(2019, 2024), city: random.pick(['Berlin', 'Lisbon', r.facets.city]) },
            }),
          }
        : r,
    ),
  );
  repo.setFeatures({ review: false, private: true });
  expect(compare(db, repo, random, 'changed')).toBeGreaterThan(24);
  // The Places page's cities join the search rows by uid: listed while the first index goes on too.
  const cities = await new BrowseRepo(db).cachedCities(async () => undefined);
  expect(cities.length).toBeGreaterThan(0);
  if (options.firstIndex) {
    // One search row per photo, wherever its date moved it: the unique index builds, and nothing changes.
    repo.buildBulkLoadIndexes();
    expect(compare(db, repo, random, 'bulk-load indexes built')).toBeGreaterThan(24);
    expect(await new BrowseRepo(db).cachedCities(async () => undefined)).toEqual(cities);
    while (!repo.buildSearchIndexStep());
    expect(compare(db, repo, random, 'search index')).toBeGreaterThan(24);
  }
  db.close();
}

describe('offline search over the search rows', () => {
  it('equals a naive evaluation over the photos, before and after every kind of change', async () => {
    await searchRowsScenario({ firstIndex: false });
  });

  it('equals it too while a first index writes without its bulk-load indexes, and once they are built', async () => {
    await searchRowsScenario({ firstIndex: true });
  });

  it('a photo cached without facets is still found by the filters on its own columns', () => {
    const db = openDatabase(':memory:');
    const log = createMemoryLogger();
    migrate(db, MIGRATIONS, { log });
    const repo = new LibraryRepo(db, log);
    const store = generateLibrary(
      { photos: 5, albums: 0, seed: 3, nowMs: Date.UTC(2024, 11, 13), ownerUid: 'uqzzzzzzzzzzzzz1' },
      new SeededRandom(3),
      () => Date.UTC(2024, 11, 13),
    );
    const first = store.photos[0];
    const record = first && toPhotoRecord(SearchPhoto.parse(photoSearchResult(first.files, true)), { archived: false });
    if (!record) throw new Error('the generator made no photo');
    const { facets: _facets, ...bare } = record;
    repo.upsertPhotos([{ ...bare, favorite: true, quality: 5, private: false, title: 'Harbour at dusk' }]);
    expect(repo.query({ kind: 'all' }, 'favorite:true', 0, 10).photos.map((p) => p.uid)).toEqual([record.uid]);
    expect(repo.query({ kind: 'all' }, 'title:Harbour*', 0, 10).total).toBe(1);
    expect(repo.query({ kind: 'all' }, 'year:2023|2024|2022|2021|2020', 0, 10).total).toBe(0);
    db.close();
  });
});
