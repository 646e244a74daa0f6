import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PhotoPrismEmulator } from '../index';
import { startPhotoPrismEmulator } from '../index';
import { api, login, obj, rows } from './helpers';

// docs/photoprism-api.md §4 and checklist rows 7–8.
describe('PhotoPrism emulator: albums', () => {
  let e: PhotoPrismEmulator;
  let call: ReturnType<typeof api>;

  beforeEach(async () => {
    e = await startPhotoPrismEmulator({ photos: 150, albums: 6, seed: 11 });
    call = api(e, (await login(e)).access_token);
  });
  afterEach(async () => e.close());

  const list = async (q: string) => {
    const res = await call(`/albums?${q}`);
    return { res, body: (await res.json()) as Array<Record<string, unknown>> };
  };

  it('lists albums: count required, favourites first then title, X-Count per page, zero DeletedAt, no ID', async () => {
    const missing = await call('/albums');
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ code: 400, error: 'Unable to do that' });
    const { res, body } = await list('count=24&offset=0&q=&category=&order=favorites&year=&type=album');
    expect(res.headers.get('x-count')).toBe(String(body.length));
    expect(res.headers.get('x-limit')).toBe('24');
    expect(body).toHaveLength(6);
    const favs = body.map((a) => a['Favorite']);
    expect(favs).toEqual([...favs].sort((a, b) => Number(b) - Number(a)));
    const nonFavTitles = body.filter((a) => !a['Favorite']).map((a) => String(a['Title']).toLowerCase());
    expect(nonFavTitles).toEqual([...nonFavTitles].sort((a, b) => a.localeCompare(b)));
    for (const a of body) {
      expect(a['DeletedAt']).toBe('0001-01-01T00:00:00Z');
      expect(a).not.toHaveProperty('ID');
      expect(a).toHaveProperty('PhotoCount');
      expect(String(a['UID'])).toMatch(/^a[0-9a-z]{15}$/);
    }
    const page = await list('count=4&offset=4&type=album');
    expect(page.body).toHaveLength(2);
    expect(page.res.headers.get('x-count')).toBe('2');
    // Folder albums are generated saved searches: no members, so PhotoCount 0 (docs/photoprism-api.md §12.3).
    const folders = (await list('count=1000&type=folder')).body;
    expect(folders.length).toBeGreaterThan(0);
    for (const a of folders) expect(a).toMatchObject({ Type: 'folder', PhotoCount: 0 });
  });

  it('creates with 200, dedupes by title (case-insensitive), and restores a deleted twin', async () => {
    const created = await call('/albums', { method: 'POST', body: { Title: 'Trip to Rome' } });
    expect(created.status).toBe(200);
    const album = await obj(created);
    expect(typeof album['ID']).toBe('number');
    expect(album).not.toHaveProperty('PhotoCount');
    expect(album['Order']).toBe('oldest');
    expect(album['Country']).toBe('zz');
    expect(album['DeletedAt']).toBeNull();
    const twin = await obj(await call('/albums', { method: 'POST', body: { Title: 'trip to rome' } }));
    expect(twin['UID']).toBe(album['UID']);
    const del = await obj(await call(`/albums/${String(album['UID'])}`, { method: 'DELETE' }));
    expect(typeof del['DeletedAt']).toBe('string');
    expect((await call(`/albums/${String(album['UID'])}`)).status).toBe(404);
    expect((await call(`/albums/${String(album['UID'])}`, { method: 'DELETE' })).status).toBe(404);
    const restored = await obj(await call('/albums', { method: 'POST', body: { Title: 'Trip to Rome' } }));
    expect(restored['UID']).toBe(album['UID']);
    expect(restored['DeletedAt']).toBeNull();
    const empty = await obj(await call('/albums', { method: 'POST', body: { Title: '  ' } }));
    expect(String(empty['Title'])).toMatch(/^[A-Z][a-z]+ \d{4}$/);
  });

  it('updates partially and answers 404 "Album not found" for unknown albums', async () => {
    const [first] = e.admin.snapshot().albums;
    if (!first) throw new Error('need an album');
    const res = await call(`/albums/${first.UID}`, { method: 'PUT', body: { Description: 'New text', Category: 'family trips' } });
    const body = await obj(res);
    expect(body['Description']).toBe('New text');
    expect(body['Category']).toBe('Family Trips');
    expect(body['Title']).toBe(first.Title);
    const missing = await call('/albums/a000000000000000');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ code: 404, error: 'Album not found' });
  });

  it('adds photos as an upsert, ignores unknown UIDs, and needs a selection', async () => {
    const { UID } = await obj(await call('/albums', { method: 'POST', body: { Title: 'Picks' } })).then((a) => ({ UID: String(a['UID']) }));
    const [p1, p2] = e.admin.snapshot().photos.filter((p) => !p.Archived);
    if (!p1 || !p2) throw new Error('need photos');
    const add = await obj(await call(`/albums/${UID}/photos`, { method: 'POST', body: { photos: [p1.UID, p2.UID, 'p000000000000000'] } }));
    expect(add['code']).toBe(200);
    expect(add['photos']).toEqual([p1.UID, p2.UID]);
    expect((add['added'] as unknown[]).length).toBe(2);
    expect((add['album'] as Record<string, unknown>)['UID']).toBe(UID);
    const again = await obj(await call(`/albums/${UID}/photos`, { method: 'POST', body: { photos: [p1.UID] } }));
    expect((again['added'] as Array<Record<string, unknown>>)[0]?.['PhotoUID']).toBe(p1.UID);
    const nothing = await obj(await call(`/albums/${UID}/photos`, { method: 'POST', body: { photos: ['p000000000000000'] } }));
    expect(nothing['photos']).toEqual([]);
    expect(nothing['added']).toBeNull();
    const empty = await call(`/albums/${UID}/photos`, { method: 'POST', body: { photos: [] } });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toEqual({ code: 400, error: 'No items selected' });
    const listed = await rows(await call(`/photos?count=100&s=${UID}&primary=true`));
    expect(listed.map((r) => r.UID).sort()).toEqual([p1.UID, p2.UID].sort());
    const after = await obj(await call(`/albums/${UID}`));
    expect(after['Thumb']).toMatch(/^[0-9a-f]{40}$/);
  });

  it('removes by hiding: every well-formed UID is listed, re-adding un-hides', async () => {
    const album = e.admin.snapshot().albums.find((a) => a.PhotoUIDs.length >= 2);
    if (!album) throw new Error('need an album with photos');
    const [gone] = album.PhotoUIDs;
    const res = await obj(
      await call(`/albums/${album.UID}/photos`, { method: 'DELETE', body: { photos: [gone, 'p000000000000000', 'bad'] } }),
    );
    const removed = res['removed'] as Array<Record<string, unknown>>;
    expect(removed.map((r) => r['PhotoUID'])).toEqual([gone, 'p000000000000000']);
    expect(removed.every((r) => r['Hidden'] === true)).toBe(true);
    expect(e.admin.snapshot().albums.find((a) => a.UID === album.UID)?.PhotoUIDs).not.toContain(gone);
    await call(`/albums/${album.UID}/photos`, { method: 'POST', body: { photos: [gone] } });
    expect(e.admin.snapshot().albums.find((a) => a.UID === album.UID)?.PhotoUIDs).toContain(gone);
    expect((await call(`/albums/${album.UID}/photos`, { method: 'DELETE', body: { photos: [] } })).status).toBe(400);
  });

  it('archiving hides a photo in all its albums, and restoring does not bring it back', async () => {
    const album = e.admin.snapshot().albums.find((a) => a.PhotoUIDs.length > 0);
    const uid = album?.PhotoUIDs[0];
    if (!album || !uid) throw new Error('need an album with photos');
    await call('/batch/photos/archive', { method: 'POST', body: { photos: [uid] } });
    expect(e.admin.snapshot().albums.find((a) => a.UID === album.UID)?.PhotoUIDs).not.toContain(uid);
    await call('/batch/photos/restore', { method: 'POST', body: { photos: [uid] } });
    expect(e.admin.snapshot().albums.find((a) => a.UID === album.UID)?.PhotoUIDs).not.toContain(uid);
    expect(e.admin.snapshot().photos.find((p) => p.UID === uid)?.Archived).toBe(false);
  });
});
