import { afterEach, describe, expect, it } from 'vitest';
import type { PendingChanges } from '../../../shared/ipc/contract';
import type { ConnectionStatus } from '../../../shared/library/schemas';
import { eventually, snapshotAlbum, snapshotPhoto, startActionsEnv, type ActionsEnv } from './harness';

/**
 * The chaos run's "stale for good" caches (issue 12, seed 90890): a refresh that reaches an item
 * while an action holds it (waiting in the offline queue, or committed while the refresh ran)
 * skips writing it — rightly, the server's answer predates the action — but nothing refreshed
 * that item again afterwards. Whatever ELSE changed on the server (another device made the photo
 * private, added a photo to the album) was lost for good: the sync engine had marked the event
 * applied. Once the hold ends, the skipped items are refreshed.
 */

let env: ActionsEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

async function state(e: ActionsEnv): Promise<ConnectionStatus['state']> {
  return (await e.call<ConnectionStatus>('connection.status')).state;
}

describe('a refresh skipped while an action held the item', () => {
  it('is made up for once the queued action is sent: the cache shows what else changed on the server', async () => {
    env = await startActionsEnv({ photos: 60, albums: 2, seed: 21 });
    const e = env;
    const snapshot = e.emu.admin.snapshot();
    const album = snapshot.albums[0]?.UID ?? '';
    const members = new Set(snapshot.albums.flatMap((a) => a.PhotoUIDs));
    const [held = '', joiner = ''] = snapshot.photos
      .filter((p) => !p.Archived && !p.Favorite && !p.Private && p.Quality >= 3 && !members.has(p.UID))
      .map((p) => p.UID)
      .sort();
    await e.emu.admin.goDown();
    await e.call('library.refresh');
    await eventually(async () => expect(await state(e)).toBe('offline'));

    // Offline: favourite a photo and rename the album (both wait in the queue, both hold their item).
    expect(await e.act('actions.setFavorite', { uids: [held], favorite: true })).toMatchObject({ queued: true });
    expect(await e.act('actions.renameAlbum', { albumUid: album, title: 'Renamed offline' })).toMatchObject({ queued: true });
    // Meanwhile, on another device: the same photo made private, another photo added to the album.
    e.emu.admin.updatePhoto(held, { Private: true });
    e.emu.admin.addToAlbum(album, [joiner]);

    await e.emu.admin.goUp();
    await eventually(async () => expect((await e.call<PendingChanges>('actions.pending')).waiting).toBe(0), 30_000);
    expect(snapshotPhoto(e.emu, held)).toMatchObject({ Favorite: true, Private: true });
    expect(snapshotAlbum(e.emu, album)).toMatchObject({ Title: 'Renamed offline' });

    // The cache converges on the server: the action AND the other device's changes.
    await eventually(async () => {
      expect(await e.details(held)).toMatchObject({ favorite: true, private: true });
      expect((await e.details(joiner)).albums.map((a) => a.uid)).toContain(album);
    }, 15_000);
  }, 60_000);
});

describe('the offline queue checks each action against the server as the actions before it leave it', () => {
  it('sends a favourite queued after a restore of the same photo instead of refusing it as "archived meanwhile"', async () => {
    env = await startActionsEnv({ photos: 60, albums: 2, seed: 22 });
    const e = env;
    const photo = e.emu.admin.snapshot().photos.find((p) => p.Archived && !p.Favorite && p.Quality >= 3)?.UID ?? '';
    expect(photo).not.toBe('');
    await e.emu.admin.goDown();
    await e.call('library.refresh');
    await eventually(async () => expect(await state(e)).toBe('offline'));

    expect(await e.act('actions.setArchived', { uids: [photo], archived: false })).toMatchObject({ queued: true });
    expect(await e.act('actions.setFavorite', { uids: [photo], favorite: true })).toMatchObject({ queued: true });

    await e.emu.admin.goUp();
    await eventually(async () => expect((await e.call<PendingChanges>('actions.pending')).waiting).toBe(0), 30_000);
    const queue = await e.call<PendingChanges>('actions.pending');
    expect(queue.items.filter((item) => item.state === 'conflict')).toEqual([]);
    expect(snapshotPhoto(e.emu, photo)).toMatchObject({ Archived: false, Favorite: true });
  }, 60_000);
});
