import { existsSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DragOutResult, ExportStatus } from '../../../shared/export';
import type { LibraryPage } from '../../../shared/library/schemas';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { makeDevice, type TestDevice } from '../../helpers/devices';

/** The originals (not sidecars) PhotoPrism serves for a photo: name → bytes. */
async function originals(pp: PhotoPrismEmulator, uid: string): Promise<Map<string, Buffer>> {
  const session = await fetch(`${pp.url}/api/v1/session`, { method: 'POST', body: JSON.stringify(pp.credentials) });
  const body = (await session.json()) as { access_token: string; config: { downloadToken: string } };
  const photo = await fetch(`${pp.url}/api/v1/photos/${uid}`, { headers: { 'x-auth-token': body.access_token } });
  const files = ((await photo.json()) as { Files: Array<{ Name: string; Root: string; Hash: string }> }).Files;
  const out = new Map<string, Buffer>();
  for (const file of files.filter((f) => f.Root !== 'sidecar')) {
    const res = await fetch(`${pp.url}/api/v1/dl/${file.Hash}?t=${body.config.downloadToken}`);
    out.set(basename(file.Name), Buffer.from(await res.arrayBuffer()));
  }
  return out;
}

describe('Dragging originals out to Finder (export.dragOut)', () => {
  let pp: PhotoPrismEmulator;
  let mac: TestDevice;
  const drags: Array<readonly string[]> = [];

  beforeAll(async () => {
    pp = await startPhotoPrismEmulator({ photos: 6, albums: 1, seed: 21, rateLimits: false });
    mac = await makeDevice({ name: 'drag-out', photoprism: pp, startFileDrag: (paths) => drags.push(paths) });
  });
  afterAll(async () => {
    await mac?.close();
    await pp?.close();
  });

  const uidsAt = async (device: TestDevice, offset: number, limit: number) =>
    (await device.call<LibraryPage>('library.query', { view: { kind: 'all' }, offset, limit })).photos.map((p) => p.uid);

  it('stages the originals first (an export in the panel), then the next drag carries them under their real names', async () => {
    const uids = await uidsAt(mac, 0, 2);
    const first = await mac.call<DragOutResult>('export.dragOut', { uids });
    expect(first).toMatchObject({ state: 'preparing', photos: 2 });
    expect(drags).toEqual([]);
    // Asking again while they download points at the same export instead of fetching twice.
    const again = await mac.call<DragOutResult>('export.dragOut', { uids: [uids[1]] });
    expect(again).toEqual({ ...first, photos: 1 });
    await mac.core.exports.idle();
    const staging = join(mac.dir, 'drag-staging');
    const status = (await mac.call<ExportStatus[]>('export.list')).find((s) => first.state === 'preparing' && s.id === first.exportId);
    expect(status).toMatchObject({ state: 'done', folder: staging });

    // While a page drag is under way (mode prepare), staged photos only say so: no second drag.
    expect(await mac.call<DragOutResult>('export.dragOut', { uids, mode: 'prepare' })).toMatchObject({ state: 'ready' });
    expect(drags).toEqual([]);
    const dragged = await mac.call<DragOutResult>('export.dragOut', { uids });
    const expected = new Map([...(await originals(pp, uids[0] ?? '')), ...(await originals(pp, uids[1] ?? ''))]);
    expect(dragged).toEqual({ state: 'dragging', files: expected.size });
    expect(drags).toHaveLength(1);
    const paths = drags[0] ?? [];
    // Main chose every path: all in the profile's staging folder, named as on the server, whole.
    expect(paths.map((p) => basename(p)).sort()).toEqual([...expected.keys()].sort());
    for (const path of paths) {
      expect(path.startsWith(`${staging}/`)).toBe(true);
      expect(readFileSync(path).equals(expected.get(basename(path)) ?? Buffer.alloc(0))).toBe(true);
    }
  });

  it('a staged file removed meanwhile is fetched again instead of dragging nothing', async () => {
    const uids = await uidsAt(mac, 0, 1);
    const before = drags.length;
    const paths = (drags.at(-1) ?? []).filter((p) => existsSync(p));
    for (const path of paths) rmSync(path);
    expect(await mac.call<DragOutResult>('export.dragOut', { uids })).toMatchObject({ state: 'preparing', photos: 1 });
    expect(drags).toHaveLength(before);
  });

  it('refuses photos the library does not know, and the web shell, without staging anything', async () => {
    const before = (await mac.call<ExportStatus[]>('export.list')).length;
    await expect(mac.call('export.dragOut', { uids: ['pzzzzzzzzzzzzzzz'] })).rejects.toMatchObject({ kind: 'not-found' });
    // A path instead of a UID never reaches main's drag: the contract refuses it.
    await expect(mac.call('export.dragOut', { uids: ['/etc/passwd'] })).rejects.toMatchObject({ kind: 'bad-request' });
    await expect(mac.call('export.dragOut', { uids: await uidsAt(mac, 0, 1), paths: ['/etc/passwd'] })).rejects.toMatchObject({
      kind: 'bad-request',
    });
    expect(await mac.call<ExportStatus[]>('export.list')).toHaveLength(before);

    const web = await makeDevice({ name: 'drag-out-web', photoprism: pp });
    try {
      await expect(web.call('export.dragOut', { uids: await uidsAt(web, 0, 1) })).rejects.toMatchObject({ kind: 'bad-request' });
      expect(await web.call<ExportStatus[]>('export.list')).toEqual([]);
    } finally {
      await web.close();
    }
  });

  it('the staging folder is emptied when the app quits', async () => {
    const device = await makeDevice({ name: 'drag-out-quit', photoprism: pp, startFileDrag: () => undefined });
    const staging = join(device.dir, 'drag-staging');
    await device.call('export.dragOut', { uids: await uidsAt(device, 0, 1) });
    await device.core.exports.idle();
    expect(existsSync(staging)).toBe(true);
    await device.close();
    expect(existsSync(staging)).toBe(false);
  });
});
