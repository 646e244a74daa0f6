import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PhotoPrismEmulator } from '../index';
import { startPhotoPrismEmulator } from '../index';
import { api, fakeClock, login, obj } from './helpers';

// docs/photoprism-api.md §2.6, docs/photoprism-api.md §2.7, docs/photoprism-api.md §3 and checklist rows 4–6.
describe('PhotoPrism emulator: photo details, update and like', () => {
  let e: PhotoPrismEmulator;
  let call: ReturnType<typeof api>;
  const clock = fakeClock();

  beforeEach(async () => {
    e = await startPhotoPrismEmulator({ photos: 120, albums: 4, seed: 5, now: clock.now });
    call = api(e, (await login(e)).access_token);
  });
  afterEach(async () => e.close());

  const photo = (pred: (p: ReturnType<PhotoPrismEmulator['admin']['snapshot']>['photos'][number]) => boolean) => {
    const found = e.admin.snapshot().photos.find(pred);
    if (!found) throw new Error('no matching photo in the generated library');
    return found;
  };

  it('returns the pretty-printed entity with numeric ID, Files by name descending, Albums, Labels, Details', async () => {
    const p = photo((x) => x.Files.length > 1 && x.Albums.length > 0);
    const res = await call(`/photos/${p.UID}`);
    const text = await res.text();
    expect(text).toContain('\n    "ID": ');
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(typeof body['ID']).toBe('number');
    const files = body['Files'] as Array<Record<string, unknown>>;
    const names = files.map((f) => String(f['Name']));
    expect(names).toEqual([...names].sort().reverse());
    expect((body['Albums'] as Array<Record<string, unknown>>).map((a) => a['UID']).sort()).toEqual([...p.Albums].sort());
    expect(body['Labels']).toBeInstanceOf(Array);
    expect((body['Details'] as Record<string, unknown>)['PhotoID']).toBe(body['ID']);
    expect(body['DeletedAt']).toBeNull();
  });

  it('reads archived photos and answers 404 "Entity not found" for unknown ones', async () => {
    const archived = photo((x) => x.Archived);
    const res = await call(`/photos/${archived.UID}`);
    expect(res.status).toBe(200);
    expect(typeof (await obj(res))['DeletedAt']).toBe('string');
    const missing = await call('/photos/p000000000000000');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ code: 404, error: 'Entity not found' });
  });

  it('PUT is a partial update that sets EditedAt and bumps UpdatedAt; it honours TitleSrc', async () => {
    const p = photo((x) => !x.Archived);
    clock.advance(60_000);
    const res = await call(`/photos/${p.UID}`, { method: 'PUT', body: { Title: 'Sunset at the pier', TitleSrc: 'manual' } });
    expect(res.status).toBe(200);
    const body = await obj(res);
    expect(body['Title']).toBe('Sunset at the pier');
    expect(body['TitleSrc']).toBe('manual');
    expect(body['Description']).toBe('');
    expect(Date.parse(String(body['UpdatedAt']))).toBe(clock.now());
    expect(Date.parse(String(body['EditedAt']))).toBe(clock.now());
    expect(e.admin.snapshot().photos.find((x) => x.UID === p.UID)?.Title).toBe('Sunset at the pier');
    // Without TitleSrc "manual" an auto title is regenerated (docs/photoprism-api.md §2.7).
    const other = photo((x) => !x.Archived && x.UID !== p.UID);
    const auto = await obj(await call(`/photos/${other.UID}`, { method: 'PUT', body: { Title: 'Lost edit' } }));
    expect(auto['Title']).toBe(other.Title);
    expect((await call(`/photos/${p.UID}`, { method: 'PUT', body: 'not json' })).status).toBe(400);
    expect((await call('/photos/p000000000000000', { method: 'PUT', body: {} })).status).toBe(404);
  });

  it('PUT Private is idempotent, unlike the batch toggle', async () => {
    const p = photo((x) => !x.Private && !x.Archived);
    for (let i = 0; i < 2; i += 1) {
      expect((await obj(await call(`/photos/${p.UID}`, { method: 'PUT', body: { Private: true } })))['Private']).toBe(true);
    }
  });

  it('like/unlike are idempotent, return {"photo":…} with Files and Albums null, and do not bump UpdatedAt', async () => {
    const p = photo((x) => !x.Favorite && !x.Private && !x.Archived);
    clock.advance(60_000);
    const first = await call(`/photos/${p.UID}/like`, { method: 'POST' });
    expect(first.status).toBe(200);
    const body = (await obj(first))['photo'] as Record<string, unknown>;
    expect(body['Favorite']).toBe(true);
    expect(body['Files']).toBeNull();
    expect(body['Albums']).toBeNull();
    expect(body['UpdatedAt']).toBe(p.UpdatedAt);
    expect((await call(`/photos/${p.UID}/like`, { method: 'POST' })).status).toBe(200);
    const events = e.admin.publishedEvents().filter((ev) => ev.event === 'count.favorites');
    expect(events).toEqual([{ event: 'count.favorites', data: { count: 1 } }]);
    await call(`/photos/${p.UID}/like`, { method: 'DELETE' });
    expect(e.admin.snapshot().photos.find((x) => x.UID === p.UID)?.Favorite).toBe(false);
    expect((await call('/photos/p000000000000000/like', { method: 'POST' })).status).toBe(404);
  });
});
