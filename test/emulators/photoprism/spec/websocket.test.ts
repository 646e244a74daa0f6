import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { z } from 'zod';
import type { PhotoPrismEmulator } from '../index';
import { startPhotoPrismEmulator } from '../index';
import { api, login } from './helpers';

// docs/photoprism-api.md §8 and checklist row 12.
const Frame = z.object({ event: z.string(), data: z.record(z.string(), z.unknown()) });
type Frame = z.infer<typeof Frame>;

/** Opens a socket and collects frames; `next(name)` waits for the next frame of that event. */
async function connect(e: PhotoPrismEmulator, options: { autoPong?: boolean } = {}) {
  const ws = new WebSocket(`${e.url.replace('http', 'ws')}/api/v1/ws`, { autoPong: options.autoPong ?? true });
  const frames: Frame[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (raw) => {
    frames.push(Frame.parse(JSON.parse((raw as Buffer).toString())));
    waiters.splice(0).forEach((w) => w());
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = async (event: string): Promise<Frame> => {
    for (;;) {
      const idx = frames.findIndex((f) => f.event === event);
      if (idx >= 0) return frames.splice(idx, 1)[0] as Frame;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { ws, frames, next };
}

describe('PhotoPrism emulator: WebSocket', () => {
  let e: PhotoPrismEmulator;
  afterEach(async () => e.close());

  it('binds a connection by the {"session"} message and replies config.updated with the session config', async () => {
    e = await startPhotoPrismEmulator({ photos: 10 });
    const s = await login(e);
    const c = await connect(e);
    c.ws.send(JSON.stringify({ session: s.access_token, cssUri: '', jsUri: '', version: '' }));
    const reply = await c.next('config.updated');
    const config = reply.data['config'] as Record<string, unknown>;
    expect(config['previewToken']).toBe(s.config.previewToken);
    expect(config).toHaveProperty('settings');
    c.ws.close();
  });

  it('delivers photo events to admin connections only (not to unbound or guest ones)', async () => {
    e = await startPhotoPrismEmulator({ photos: 10 });
    const admin = await login(e);
    const guest = await login(e, e.guest);
    const a = await connect(e);
    const g = await connect(e);
    const anon = await connect(e);
    a.ws.send(JSON.stringify({ session: admin.access_token }));
    g.ws.send(JSON.stringify({ session: guest.access_token }));
    anon.ws.send(JSON.stringify({ session: 'f'.repeat(48) }));
    await a.next('config.updated');
    await g.next('config.updated');
    const uid = e.admin.photoUids()[0] ?? '';
    await api(e, admin.access_token)(`/photos/${uid}/like`, { method: 'POST' });
    const updated = await a.next('photos.updated');
    const entity = (updated.data['entities'] as Array<Record<string, unknown>>)[0];
    expect(entity?.['UID']).toBe(uid);
    expect(entity?.['Files']).toBeInstanceOf(Array);
    await api(e, admin.access_token)('/batch/photos/archive', { method: 'POST', body: { photos: [uid] } });
    expect((await a.next('photos.archived')).data).toEqual({ entities: [uid] });
    const broadcast = await a.next('config.updated');
    expect(broadcast.data['config']).not.toHaveProperty('settings');
    expect(g.frames).toEqual([]);
    expect(anon.frames).toEqual([]);
    for (const c of [a, g, anon]) c.ws.close();
  });

  it('sends album events for admin changes, and drops events while dropSocketEvents is on', async () => {
    e = await startPhotoPrismEmulator({ photos: 10, albums: 1 });
    const s = await login(e);
    const c = await connect(e);
    c.ws.send(JSON.stringify({ session: s.access_token }));
    await c.next('config.updated');
    e.admin.dropSocketEvents(true);
    e.admin.likePhoto(e.admin.photoUids()[0] ?? '');
    e.admin.dropSocketEvents(false);
    const album = e.admin.createAlbum('From the web UI');
    const created = await c.next('albums.created');
    expect((created.data['entities'] as Array<Record<string, unknown>>)[0]?.['UID']).toBe(album.UID);
    expect(c.frames.some((f) => f.event === 'photos.updated')).toBe(false);
    e.admin.addToAlbum(album.UID, [e.admin.photoUids()[1] ?? '']);
    const updated = await c.next('albums.updated');
    expect((updated.data['entities'] as Array<Record<string, unknown>>)[0]?.['PhotoCount']).toBe(1);
    c.ws.close();
  });

  it('pings, and drops a connection that does not answer pings', async () => {
    e = await startPhotoPrismEmulator({ photos: 1, wsPingIntervalMs: 20, wsPongTimeoutMs: 100 });
    const polite = await connect(e);
    const pinged = new Promise<void>((resolve) => polite.ws.once('ping', () => resolve()));
    await pinged;
    const silent = await connect(e, { autoPong: false });
    await new Promise<void>((resolve) => silent.ws.once('close', () => resolve()));
    expect(polite.ws.readyState).toBe(WebSocket.OPEN);
    polite.ws.close();
  });
});
