import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoPrismEmulator } from '../index';
import { startPhotoPrismEmulator } from '../index';
import type { Row } from './helpers';
import { api, login, rows } from './helpers';

// docs/photoprism-api.md §2.1–docs/photoprism-api.md §2.5 and checklist row 3 (Photo search).
describe('PhotoPrism emulator: photo search', () => {
  let e: PhotoPrismEmulator;
  let call: ReturnType<typeof api>;

  beforeAll(async () => {
    e = await startPhotoPrismEmulator({ photos: 300, albums: 4, seed: 3 });
    call = api(e, (await login(e)).access_token);
  });
  afterAll(async () => e.close());

  const snapshot = () => e.admin.snapshot();
  // Broken photos (quality -1) have a primary file with an indexing error: search leaves them
  // out unless hidden=true (PhotoPrism internal/entity/search/photos.go, searchPhotos).
  const visible = () => snapshot().photos.filter((p) => !p.Archived && p.Quality !== -1);

  it('requires count (400 "Unable to do that" when missing or 0)', async () => {
    for (const q of ['', '?count=0', '?count=abc']) {
      const res = await call(`/photos${q}`);
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ code: 400, error: 'Unable to do that' });
    }
  });

  it('returns file rows: X-Count counts rows of this page; X-Limit and X-Offset echo the request', async () => {
    const res = await call('/photos?count=50&offset=10');
    expect(res.headers.get('x-count')).toBe('50');
    expect(res.headers.get('x-limit')).toBe('50');
    expect(res.headers.get('x-offset')).toBe('10');
    expect(res.headers.get('x-preview-token')).toMatch(/^[0-9a-z]{8}$/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const page = await rows(res);
    expect(page).toHaveLength(50);
    expect(page.every((r) => r.Files === null)).toBe(true);
  });

  it('lists every file of every non-archived photo when paging to the end (X-Count < X-Limit)', async () => {
    const all: Row[] = [];
    for (let offset = 0; ; offset += 64) {
      const res = await call(`/photos?count=64&offset=${offset}`);
      const page = await rows(res);
      all.push(...page);
      if (Number(res.headers.get('x-count')) < 64) break;
    }
    const expectedFiles = visible().reduce((n, p) => n + p.Files.length, 0);
    expect(all).toHaveLength(expectedFiles);
    expect(new Set(all.map((r) => r.FileUID)).size).toBe(expectedFiles);
    // Unmerged rows carry the numeric photo ID as a string.
    expect(all.every((r) => /^\d+$/.test(r.ID))).toBe(true);
  });

  it('merges consecutive rows of one photo (merged=true) and may split a photo across pages', async () => {
    const multi = visible().filter((p) => p.Files.length > 1);
    expect(multi.length).toBeGreaterThan(0);
    const full = await rows(await call('/photos?count=100000&merged=true'));
    const merged = full.find((r) => r.UID === multi[0]?.UID);
    expect(merged?.Files).toHaveLength(2);
    expect(merged?.['Merged']).toBe(true);
    expect(merged?.ID).toMatch(/^\d+-\d+$/);
    // Find the row index of a two-file photo and cut a page between its two rows.
    const unmerged = await rows(await call('/photos?count=100000'));
    const idx = unmerged.findIndex((r, i) => unmerged[i + 1]?.UID === r.UID);
    const first = await call(`/photos?count=${idx + 1}&offset=0&merged=true`);
    const second = await call(`/photos?count=5&offset=${idx + 1}&merged=true`);
    const a = await rows(first);
    const b = await rows(second);
    expect(a[a.length - 1]?.UID).toBe(b[0]?.UID);
    expect(a[a.length - 1]?.Files).toHaveLength(1);
    expect(b[0]?.Files).toHaveLength(1);
    expect(first.headers.get('x-count')).toBe(String(idx + 1));
  });

  it('orders: default newest indexed first, newest/oldest by local taken date, favorites → 400', async () => {
    const byTaken = (list: Row[]) => list.map((r) => Date.parse(String(r['TakenAtLocal'])));
    const newest = byTaken(await rows(await call('/photos?count=100&order=newest&primary=true')));
    expect(newest).toEqual([...newest].sort((x, y) => y - x));
    const oldest = byTaken(await rows(await call('/photos?count=100&order=oldest&primary=true')));
    expect(oldest).toEqual([...oldest].sort((x, y) => x - y));
    const def = (await rows(await call('/photos?count=100&primary=true'))).map((r) => Number(r.ID));
    expect(def).toEqual([...def].sort((x, y) => y - x));
    const fav = await call('/photos?count=10&order=favorites');
    expect(fav.status).toBe(400);
    expect(await fav.json()).toEqual({ code: 400, error: 'Unable to do that' });
  });

  it('excludes archived photos unless archived=true; excludes private only with public=true', async () => {
    const snap = visible();
    const all = await rows(await call('/photos?count=100000&primary=true'));
    expect(all).toHaveLength(snap.length);
    const archived = await rows(await call('/photos?count=100000&primary=true&archived=true'));
    expect(archived.map((r) => r.UID).sort()).toEqual(
      snapshot()
        .photos.filter((p) => p.Archived && p.Quality > -1)
        .map((p) => p.UID)
        .sort(),
    );
    expect(archived.every((r) => typeof r['DeletedAt'] === 'string')).toBe(true);
    const pub = await rows(await call('/photos?count=100000&primary=true&public=true'));
    expect(pub).toHaveLength(snap.filter((p) => !p.Private).length);
    const priv = await rows(await call('/photos?count=100000&primary=true&private=true'));
    expect(priv).toHaveLength(snap.filter((p) => p.Private).length);
    const favs = await rows(await call('/photos?count=100000&primary=true&favorite=true'));
    expect(favs).toHaveLength(snap.filter((p) => p.Favorite).length);
  });

  it('filters by |-separated photo UIDs, file UIDs or hashes; mixed kinds → 400', async () => {
    const [p1, p2] = visible();
    if (!p1 || !p2) throw new Error('need photos');
    const byUid = await rows(await call(`/photos?count=100&primary=true&uid=${p1.UID}%7C ${p2.UID}`));
    expect(byUid.map((r) => r.UID).sort()).toEqual([p1.UID, p2.UID].sort());
    const file = p1.Files[0];
    if (!file) throw new Error('need a file');
    expect((await rows(await call(`/photos?count=100&uid=${file.UID}`))).map((r) => r.FileUID)).toEqual([file.UID]);
    expect((await rows(await call(`/photos?count=100&uid=${file.Hash}`))).map((r) => r.Hash)).toEqual([file.Hash]);
    expect((await call(`/photos?count=100&uid=${p1.UID}|${file.UID}`)).status).toBe(400);
    expect((await call(`/photos?count=100&uid=${p1.UID}|nonsense`)).status).toBe(400);
    // Commas are not a separator: the whole value is one malformed UID.
    expect((await call(`/photos?count=100&uid=${p1.UID},${p2.UID}`)).status).toBe(400);
  });

  it('filters by album (s= and album=) and returns [] when nothing matches', async () => {
    const album = snapshot().albums[0];
    if (!album) throw new Error('need an album');
    const inAlbum = await rows(await call(`/photos?count=1000&primary=true&s=${album.UID}`));
    expect(inAlbum.map((r) => r.UID).sort()).toEqual(album.PhotoUIDs.filter((uid) => visible().some((p) => p.UID === uid)).sort());
    const viaAlbum = await rows(await call(`/photos?count=1000&primary=true&album=${album.UID}`));
    expect(viaAlbum).toHaveLength(inAlbum.length);
    expect((await call('/photos?count=10&s=a000000000000000')).status).toBe(400);
    const none = await call('/photos?count=10&q=zzzzqqqq');
    expect(await none.text()).toBe('[]');
  });

  it('accepts q with filters and the web UI timeline query; unknown q filter → 400', async () => {
    const ui = await call(
      '/photos?count=120&offset=0&merged=true&country=&camera=0&lens=0&label=&latlng=&year=0&month=0&color=&order=newest&q=&public=true&quality=3',
    );
    expect(ui.status).toBe(200);
    const favs = await rows(await call('/photos?count=1000&primary=true&q=favorite:true'));
    expect(favs.every((r) => r['Favorite'] === true)).toBe(true);
    expect((await call('/photos?count=10&q=bogus:1')).status).toBe(400);
  });

  it('uses the exact field casing and quirks of search.Photo', async () => {
    const [row] = await rows(await call('/photos?count=1&order=newest'));
    if (!row) throw new Error('need a row');
    for (const key of [
      'ID',
      'UID',
      'Type',
      'TypeSrc',
      'TakenAt',
      'TakenAtLocal',
      'TakenSrc',
      'TimeZone',
      'Path',
      'Name',
      'OriginalName',
      'Title',
      'Description',
      'Year',
      'Month',
      'Day',
      'Country',
      'Stack',
      'Favorite',
      'Private',
      'Iso',
      'FocalLength',
      'FNumber',
      'Exposure',
      'Quality',
      'Resolution',
      'Color',
      'Scan',
      'Panorama',
      'CameraID',
      'LensID',
      'Lat',
      'Lng',
      'CellID',
      'PlaceID',
      'PlaceSrc',
      'PlaceLabel',
      'PlaceCity',
      'PlaceState',
      'PlaceCountry',
      'InstanceID',
      'FileUID',
      'FileRoot',
      'FileName',
      'Hash',
      'Width',
      'Height',
      'Portrait',
      'Merged',
      'CreatedAt',
      'UpdatedAt',
      'EditedAt',
      'CheckedAt',
      'Files',
    ]) {
      expect(row, key).toHaveProperty(key);
    }
    expect(row['EditedAt']).toBe('0001-01-01T00:00:00Z');
    // TypeSrc is filled from TakenSrc (docs/photoprism-api.md §2.5).
    expect(row['TypeSrc']).toBe(row['TakenSrc']);
    expect(row.UID).toMatch(/^p[0-9a-z]{15}$/);
    expect(row.FileUID).toMatch(/^f[0-9a-z]{15}$/);
    expect(row.Hash).toMatch(/^[0-9a-f]{40}$/);
    // LensMake and LensModel are swapped for photos with a known lens.
    const lensRows = (await rows(await call('/photos?count=1000&primary=true'))).filter((r) => Number(r['LensID']) > 1);
    expect(lensRows.length).toBeGreaterThan(0);
    expect(String(lensRows[0]?.['LensMake'])).toMatch(/ /);
  });
});

describe('PhotoPrism emulator: big libraries', () => {
  it('generates 20 000 photos deterministically and pages them consistently', async () => {
    const a = await startPhotoPrismEmulator({ photos: 20_000, albums: 3, seed: 9 });
    const b = await startPhotoPrismEmulator({ photos: 20_000, albums: 3, seed: 9 });
    try {
      expect(a.admin.photoUids()).toEqual(b.admin.photoUids());
      expect(a.appPassword).toBe(b.appPassword);
      const call = api(a, (await login(a)).access_token);
      const seen = new Set<string>();
      let total = 0;
      for (let offset = 0; ; offset += 5000) {
        const res = await call(`/photos?count=5000&offset=${offset}&order=newest&primary=true`);
        const page = await rows(res);
        page.forEach((r) => seen.add(r.UID));
        total += page.length;
        if (page.length < 5000) break;
      }
      const live = a.admin.snapshot().photos.filter((p) => !p.Archived && p.Quality !== -1).length;
      expect(total).toBe(live);
      expect(seen.size).toBe(live);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
