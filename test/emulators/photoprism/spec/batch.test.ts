import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PhotoPrismEmulator } from '../index';
import { startPhotoPrismEmulator } from '../index';
import { api, login } from './helpers';

// docs/photoprism-api.md §5 and checklist row 9.
describe('PhotoPrism emulator: batch actions', () => {
  let e: PhotoPrismEmulator;
  let call: ReturnType<typeof api>;

  beforeEach(async () => {
    e = await startPhotoPrismEmulator({ photos: 60, albums: 3, seed: 2 });
    call = api(e, (await login(e)).access_token);
  });
  afterEach(async () => e.close());

  const live = () => e.admin.snapshot().photos.filter((p) => !p.Archived);
  const post = (path: string, body: unknown) => call(path, { method: 'POST', body });

  it('archives and restores with the exact messages; empty selections give "No items selected"', async () => {
    const [p] = live();
    if (!p) throw new Error('need a photo');
    const archived = await post('/batch/photos/archive', { photos: [p.UID] });
    expect(await archived.json()).toEqual({ code: 200, message: 'Selection archived' });
    expect(e.admin.snapshot().photos.find((x) => x.UID === p.UID)?.Archived).toBe(true);
    expect(await (await post('/batch/photos/restore', { photos: [p.UID] })).json()).toEqual({ code: 200, message: 'Selection restored' });
    expect(e.admin.snapshot().photos.find((x) => x.UID === p.UID)?.Archived).toBe(false);
    for (const path of ['/batch/photos/archive', '/batch/photos/restore', '/batch/photos/private', '/batch/photos/delete']) {
      const res = await post(path, { photos: [] });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({ code: 400, error: 'No items selected' });
    }
  });

  it('private TOGGLES (calling twice reverts)', async () => {
    const [p] = live();
    if (!p) throw new Error('need a photo');
    expect(await (await post('/batch/photos/private', { photos: [p.UID] })).json()).toEqual({
      code: 200,
      message: 'Selection marked as private',
    });
    expect(e.admin.snapshot().photos.find((x) => x.UID === p.UID)?.Private).toBe(!p.Private);
    await post('/batch/photos/private', { photos: [p.UID] });
    expect(e.admin.snapshot().photos.find((x) => x.UID === p.UID)?.Private).toBe(p.Private);
  });

  it('deletes permanently without requiring the archived state', async () => {
    const [p] = live();
    if (!p) throw new Error('need a photo');
    expect(await (await post('/batch/photos/delete', { photos: [p.UID] })).json()).toEqual({ code: 200, message: 'Permanently deleted' });
    expect(e.admin.photoUids()).not.toContain(p.UID);
    expect((await call(`/photos/${p.UID}`)).status).toBe(404);
    expect((await post('/batch/photos/delete', { photos: [p.UID] })).status).toBe(400);
  });

  it('answers 403 "Feature disabled" for delete when the feature is off', async () => {
    await e.close();
    e = await startPhotoPrismEmulator({ photos: 5, deleteEnabled: false });
    call = api(e, (await login(e)).access_token);
    const res = await call('/batch/photos/delete', { method: 'POST', body: { photos: e.admin.photoUids() } });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ code: 403, error: 'Feature disabled' });
  });

  it('deletes albums in batch; 404 when no UID matched, "No albums selected" when empty', async () => {
    const [album] = e.admin.snapshot().albums;
    if (!album) throw new Error('need an album');
    expect(await (await post('/batch/albums/delete', { albums: [album.UID] })).json()).toEqual({ code: 200, message: 'Albums deleted' });
    expect((await call(`/albums/${album.UID}`)).status).toBe(404);
    const none = await post('/batch/albums/delete', { albums: ['a000000000000000'] });
    expect(none.status).toBe(404);
    expect(await none.json()).toEqual({ code: 404, error: 'Entity not found' });
    expect(await (await post('/batch/albums/delete', { albums: [] })).json()).toEqual({ code: 400, error: 'No albums selected' });
  });
});
