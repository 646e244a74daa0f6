import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LibraryView } from '../../../shared/library/schemas';
import { startPhotoPrismEmulator, type PhotoPrismEmulator, type SnapshotPhoto } from '../../emulators/photoprism';
import { api, login, rows } from '../../emulators/photoprism/spec/helpers';
import { placeAcrossNewYear } from '../../emulators/photoprism/new-year-pair';
import { makeHarness, type Harness } from './helpers';

/**
 * What Library, Review and Private show (PhotoPrism frontend/src/page/photos.vue sends
 * `public=true&quality=3` for its browse view; internal/entity/search/photos.go filters), and
 * local time (TakenAtLocal) for order and month buckets.
 */
let emu: PhotoPrismEmulator;
let h: Harness;

beforeEach(async () => {
  emu = await startPhotoPrismEmulator({ photos: 300, albums: 4, seed: 5 });
  h = makeHarness({ library: { pageSize: 50, uidBatchSize: 20 } });
  await h.connection.signIn({ serverUrl: emu.url, username: emu.credentials.username, password: emu.credentials.password });
  await h.library.refresh();
});

afterEach(async () => {
  h.library.dispose();
  h.connection.dispose();
  await emu.close();
});

const uids = (view: LibraryView) =>
  h.library
    .query({ view, q: '', offset: 0, limit: 1000 })
    .photos.map((p) => p.uid)
    .sort();

/**
 * What PhotoPrism's own page lists: its static filter (frontend/src/app/routes.js) plus what
 * photos.vue adds with both features on (`public=true&quality=3`), asked of the server itself.
 */
async function serverView(staticFilter: string): Promise<string[]> {
  const call = api(emu, (await login(emu)).access_token);
  const found = await rows(await call(`/photos?count=100000&merged=true&public=true&quality=3${staticFilter}`));
  return [...new Set(found.map((r) => r.UID))].sort();
}
const expected = (pick: (p: SnapshotPhoto) => boolean) =>
  emu.admin
    .snapshot()
    .photos.filter((p) => !p.Archived && p.Quality !== -1 && pick(p))
    .map((p) => p.UID)
    .sort();
const inBrowse = (p: SnapshotPhoto) => !p.Private && p.Quality >= 3;

describe('Library, Review and Private', () => {
  it('Library shows what PhotoPrism’s browse view shows: no photos in review, no private ones', async () => {
    expect(expected((p) => p.Quality < 3).length).toBeGreaterThan(0);
    expect(expected((p) => p.Private).length).toBeGreaterThan(0);
    expect(uids({ kind: 'all' })).toEqual(await serverView(''));
  });

  it('Review lists photos of quality < 3, Private the private ones; counts match the views', async () => {
    const review = await serverView('&review=true');
    const privates = await serverView('&private=true');
    expect(uids({ kind: 'review' })).toEqual(review);
    expect(uids({ kind: 'private' })).toEqual(privates);
    expect(uids({ kind: 'favorites' })).toEqual(await serverView('&favorite=true'));
    expect(h.library.counts()).toMatchObject({
      all: (await serverView('')).length,
      review: review.length,
      private: privates.length,
      features: { review: true, private: true },
    });
  });

  it('follows the server’s feature switches: with review and private off, Library shows everything', async () => {
    emu.admin.setFeatures({ review: false, private: false });
    await h.library.refresh();
    expect(h.library.counts().features).toEqual({ review: false, private: false });
    // photos.vue then sends neither public=true nor quality=3.
    const call = api(emu, (await login(emu)).access_token);
    const all = new Set((await rows(await call('/photos?count=100000&merged=true'))).map((r) => r.UID));
    expect(uids({ kind: 'all' })).toEqual([...all].sort());
  });

  it('keeps every view browsable offline, from the cache', async () => {
    const before = { all: uids({ kind: 'all' }), review: uids({ kind: 'review' }), private: uids({ kind: 'private' }) };
    await emu.admin.goDown();
    expect({ all: uids({ kind: 'all' }), review: uids({ kind: 'review' }), private: uids({ kind: 'private' }) }).toEqual(before);
    expect(h.library.counts().features).toEqual({ review: true, private: true });
  });

  it('a photo approved on the server moves from Review into Library on refreshByUid', async () => {
    const [uid] = uids({ kind: 'review' });
    if (!uid) throw new Error('no photo in review');
    emu.admin.approvePhoto(uid);
    await h.library.refreshByUid([uid]);
    expect(uids({ kind: 'review' })).not.toContain(uid);
    expect(uids({ kind: 'all' })).toContain(uid);
  });
});

describe('local time (TakenAtLocal)', () => {
  it('groups and orders by the time where the photo was taken, not UTC', async () => {
    const [ny, berlin] = expected(inBrowse);
    if (!ny || !berlin) throw new Error('need two photos');
    placeAcrossNewYear(emu.admin, { newYork: ny, berlin });
    await h.library.refresh('full');
    const months = h.library.months({ kind: 'all' }, '');
    expect(months.slice(0, 2).map((m) => [m.month, m.count])).toEqual([
      ['2031-01', 1],
      ['2030-12', 1],
    ]);
    const page = h.library.query({ view: { kind: 'all' }, q: '', offset: 0, limit: 2 });
    expect(page.photos.map((p) => p.uid)).toEqual([berlin, ny]);
    expect(page.photos[1]).toMatchObject({ takenAtLocal: '2030-12-31T23:30:00', takenAt: '2031-01-01T04:30:00.000Z' });
  });
});
