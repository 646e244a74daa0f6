import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HttpResponse } from '../../../main/photoprism/transport';
import { eventually, snapshotAlbum, snapshotPhoto, startActionsEnv, type ActionsEnv } from './harness';

/**
 * Item 5 of "Never lose a change": actions and refreshes run in separate queues, so a refresh
 * that asked the server BEFORE an action and writes its answer AFTER it must not put the old
 * state back into the cache (nothing would correct it until the next refresh of that item).
 */

let env: ActionsEnv;
beforeEach(async () => {
  env = await startActionsEnv({ photos: 20, albums: 2, seed: 9 });
});
afterEach(async () => {
  await env.close();
});

/** Hold the answers of searches whose URL contains `needle` until `release()`; `held()` says one is waiting. */
function holdSearches(needle: string): { held: () => boolean; release: () => void } {
  let release = (): void => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let held = false;
  env.setHook(async (req, send) => {
    const res: HttpResponse = await send();
    if (req.method === 'GET' && req.url.includes('/photos?') && decodeURIComponent(req.url).includes(needle)) {
      held = true;
      await gate;
    }
    return res;
  });
  return { held: () => held, release: () => release() };
}

describe('a slow refresh and a local action on the same item', () => {
  it('a refresh answered before a favourite does not unfavourite the photo in the cache', async () => {
    const uid = env.emu.admin
      .snapshot()
      .photos.filter((p) => !p.Archived && !p.Favorite)
      .map((p) => p.UID)
      .sort()[0] as string;
    const slow = holdSearches(uid);
    // The refresh asks first and gets "not a favourite"; its answer is delayed.
    const refreshing = env.core.library.refreshByUid([uid]);
    await eventually(() => expect(slow.held()).toBe(true));
    // Meanwhile the user favourites the photo: server and cache say favourite.
    const result = await env.act('actions.setFavorite', { uids: [uid], favorite: true });
    expect(result.applied).toEqual([uid]);
    expect((await env.details(uid)).favorite).toBe(true);
    // Then the late answer arrives.
    slow.release();
    await refreshing;
    env.setHook(undefined);
    expect(snapshotPhoto(env.emu, uid).Favorite).toBe(true);
    expect((await env.details(uid)).favorite).toBe(true);
  });

  it('a refresh of an album answered before a removal does not put the photo back into the album', async () => {
    const album = env.emu.admin.snapshot().albums[0];
    const photo = album?.PhotoUIDs[0];
    if (!album || photo === undefined) throw new Error('the seeded library has no album with photos');
    // Album members are listed with a search on the album UID (`s=<album>`).
    const slow = holdSearches(album.UID);
    const refreshing = env.core.library.refreshByUid([album.UID]);
    await eventually(() => expect(slow.held()).toBe(true));
    const result = await env.act('actions.removeFromAlbum', { albumUid: album.UID, uids: [photo] });
    expect(result.applied).toEqual([photo]);
    slow.release();
    await refreshing;
    env.setHook(undefined);
    expect(snapshotAlbum(env.emu, album.UID).PhotoUIDs).not.toContain(photo);
    const page = await env.call<{ photos: Array<{ uid: string }> }>('library.query', {
      view: { kind: 'album', albumUid: album.UID },
      q: '',
      offset: 0,
      limit: 500,
    });
    expect(page.photos.map((p) => p.uid)).not.toContain(photo);
  });
});
