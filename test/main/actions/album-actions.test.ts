import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlbumSummary } from '../../../shared/library/schemas';
import { snapshotAlbum, snapshotPhoto, startActionsEnv, type ActionsEnv } from './harness';

let env: ActionsEnv;

beforeEach(async () => {
  env = await startActionsEnv({ photos: 150, albums: 2, seed: 3 });
});
afterEach(async () => {
  await env.close();
});

/** Non-archived, non-favourite photos in no album, so membership and flags start clean. */
function loosePhotos(count: number): string[] {
  const snapshot = env.emu.admin.snapshot();
  const inAlbums = new Set(snapshot.albums.flatMap((a) => a.PhotoUIDs));
  const picked = snapshot.photos.filter((p) => !p.Archived && !p.Favorite && !inAlbums.has(p.UID)).map((p) => p.UID);
  if (picked.length < count) throw new Error('the seeded library has too few loose photos');
  return picked.sort().slice(0, count);
}

async function cachedAlbum(uid: string): Promise<AlbumSummary | undefined> {
  return (await env.call<AlbumSummary[]>('library.albums')).find((a) => a.uid === uid);
}

/** The newest log entries as [event name, entity UIDs, summary], newest first. */
function latest(count: number): Array<[string | undefined, string[], string]> {
  return env
    .log(count)
    .map((e) => [e.event?.event, e.event?.data.entities.map((x) => x.UID) ?? [], e.summary] as [string | undefined, string[], string]);
}

describe('the issue scenario: create from 3, rename, remove one, favourite another, undo ×2, redo ×1', () => {
  it('keeps the server, the cache and the log right after every step', async () => {
    const [a = '', b = '', c = ''] = loosePhotos(3);

    // 1. New album from three photos: one undo step, one albums.created event.
    const created = await env.act('actions.createAlbum', { title: 'Road trip', uids: [a, b, c] });
    const album = created.album?.uid ?? '';
    expect(created).toMatchObject({ applied: [album, a, b, c], failed: [], album: { title: 'Road trip', photoCount: 3 } });
    expect(snapshotAlbum(env.emu, album)).toMatchObject({ Title: 'Road trip', DeletedAt: null });
    expect([...snapshotAlbum(env.emu, album).PhotoUIDs].sort()).toEqual([a, b, c].sort());
    expect(latest(1)).toEqual([['albums.created', [album], 'Created the album “Road trip”']]);
    expect((await env.details(a)).albums).toEqual([{ uid: album, title: 'Road trip' }]);

    // 2. Rename.
    await env.act('actions.renameAlbum', { albumUid: album, title: 'Road trip 2025' });
    expect(snapshotAlbum(env.emu, album).Title).toBe('Road trip 2025');
    expect((await cachedAlbum(album))?.title).toBe('Road trip 2025');
    expect(latest(1)).toEqual([['albums.updated', [album], 'Renamed an album to “Road trip 2025”']]);

    // 3. Remove one photo.
    await env.act('actions.removeFromAlbum', { albumUid: album, uids: [a] });
    expect([...snapshotAlbum(env.emu, album).PhotoUIDs].sort()).toEqual([b, c].sort());
    expect((await cachedAlbum(album))?.photoCount).toBe(2);
    expect(latest(2)).toEqual([
      ['albums.updated', [album], 'Changed 1 album'],
      ['photos.updated', [a], 'Removed 1 photo from “Road trip 2025”'],
    ]);

    // 4. Favourite another.
    await env.act('actions.setFavorite', { uids: [b], favorite: true });
    expect(snapshotPhoto(env.emu, b).Favorite).toBe(true);
    expect(latest(1)).toEqual([['photos.updated', [b], 'Favourited 1 photo']]);
    expect(await env.history()).toEqual({ canUndo: true, canRedo: false, undoLabel: 'Undo Favourite', redoLabel: 'Redo' });

    // 5. Undo: the favourite goes, as a new event (the log is never rewritten).
    await env.act('actions.undo');
    expect(snapshotPhoto(env.emu, b).Favorite).toBe(false);
    expect((await env.details(b)).favorite).toBe(false);
    expect(latest(1)).toEqual([['photos.updated', [b], 'Removed 1 photo from Favourites']]);
    expect(await env.history()).toEqual({
      canUndo: true,
      canRedo: true,
      undoLabel: 'Undo Remove from Album',
      redoLabel: 'Redo Favourite',
    });

    // 6. Undo: the removed photo is back in the album.
    await env.act('actions.undo');
    expect([...snapshotAlbum(env.emu, album).PhotoUIDs].sort()).toEqual([a, b, c].sort());
    expect((await env.details(a)).albums.map((x) => x.uid)).toEqual([album]);
    expect(latest(2)).toEqual([
      ['albums.updated', [album], 'Changed 1 album'],
      ['photos.updated', [a], 'Added 1 photo to “Road trip 2025”'],
    ]);
    expect(await env.history()).toMatchObject({ undoLabel: 'Undo Rename Album', redoLabel: 'Redo Remove from Album' });

    // 7. Redo: removed again.
    await env.act('actions.redo');
    expect([...snapshotAlbum(env.emu, album).PhotoUIDs].sort()).toEqual([b, c].sort());
    expect((await env.details(a)).albums).toEqual([]);
    expect(latest(2)).toEqual([
      ['albums.updated', [album], 'Changed 1 album'],
      ['photos.updated', [a], 'Removed 1 photo from “Road trip 2025”'],
    ]);
    expect(await env.history()).toMatchObject({ undoLabel: 'Undo Remove from Album', redoLabel: 'Redo Favourite' });
    expect(env.rows()).toHaveLength(10);
    // Nothing but names and UIDs: the album title never reaches the synced columns.
    expect(JSON.stringify(env.rows())).not.toContain('Road trip');
  });
});

describe('create album', () => {
  it('an existing title returns the existing album: no albums.created, and undo does not delete it', async () => {
    const existing = env.emu.admin.snapshot().albums.find((a) => a.DeletedAt === null);
    if (!existing) throw new Error('no album');
    const membersBefore = [...existing.PhotoUIDs].sort();
    const [x = ''] = loosePhotos(1);

    const result = await env.act('actions.createAlbum', { title: existing.Title.toUpperCase(), uids: [x] });
    expect(result.album?.uid).toBe(existing.UID);
    expect(result.applied).toEqual([existing.UID, x]);
    expect(env.emu.admin.snapshot().albums.filter((a) => a.Title.toLowerCase() === existing.Title.toLowerCase())).toHaveLength(1);
    expect(latest(2).map(([name]) => name)).toEqual(['albums.updated', 'photos.updated']);
    expect(env.log().some((e) => e.event?.event === 'albums.created')).toBe(false);

    await env.act('actions.undo');
    expect(snapshotAlbum(env.emu, existing.UID).DeletedAt).toBeNull();
    expect([...snapshotAlbum(env.emu, existing.UID).PhotoUIDs].sort()).toEqual(membersBefore);
    expect(await cachedAlbum(existing.UID)).toBeDefined();
  });

  it('undo of a new album deletes it; redo creates it again', async () => {
    const uids = loosePhotos(2);
    const result = await env.act('actions.createAlbum', { title: 'Garden', uids });
    const album = result.album?.uid ?? '';
    await env.act('actions.undo');
    expect(snapshotAlbum(env.emu, album).DeletedAt).not.toBeNull();
    expect(await cachedAlbum(album)).toBeUndefined();
    expect(latest(1)).toEqual([['albums.deleted', [album], 'Deleted the album “Garden”']]);

    const redone = await env.act('actions.redo');
    const again = redone.album?.uid ?? '';
    expect(snapshotAlbum(env.emu, again).DeletedAt).toBeNull();
    expect([...snapshotAlbum(env.emu, again).PhotoUIDs].sort()).toEqual([...uids].sort());
    expect((await cachedAlbum(again))?.photoCount).toBe(2);
    expect(latest(1)).toEqual([['albums.created', [again], 'Created the album “Garden”']]);
  });

  it('refuses an empty title', async () => {
    const bad = await env.core.dispatch('actions.createAlbum', { title: '   ' }, { trusted: true, description: 't' });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'bad-request' } });
  });
});

describe('delete album', () => {
  it('deletes on the server and in the cache; undo brings it back with its title and members', async () => {
    const target = env.emu.admin.snapshot().albums.find((a) => a.DeletedAt === null && a.PhotoUIDs.length > 0);
    if (!target) throw new Error('no album with members');
    const members = [...target.PhotoUIDs].sort();

    await env.act('actions.deleteAlbum', { albumUid: target.UID });
    expect(snapshotAlbum(env.emu, target.UID).DeletedAt).not.toBeNull();
    expect(await cachedAlbum(target.UID)).toBeUndefined();
    expect(latest(1)).toEqual([['albums.deleted', [target.UID], `Deleted the album “${target.Title}”`]]);
    expect(await env.history()).toMatchObject({ undoLabel: 'Undo Delete Album' });

    const undone = await env.act('actions.undo');
    // PhotoPrism restores the soft-deleted album, so the UID is the same here (a new one would be followed).
    const back = undone.album?.uid ?? '';
    expect(back).toBe(target.UID);
    expect(snapshotAlbum(env.emu, back)).toMatchObject({ Title: target.Title, DeletedAt: null });
    expect([...snapshotAlbum(env.emu, back).PhotoUIDs].sort()).toEqual(members);
    expect((await cachedAlbum(back))?.photoCount).toBe(members.length);
    expect(latest(1)).toEqual([['albums.created', [back], `Created the album “${target.Title}”`]]);

    // Redo deletes it again; the step after that (undo) still names the right album.
    await env.act('actions.redo');
    expect(snapshotAlbum(env.emu, back).DeletedAt).not.toBeNull();
    await env.act('actions.undo');
    expect(snapshotAlbum(env.emu, back).DeletedAt).toBeNull();
  });

  it('an album already deleted on the server: not-found, and the cache drops it', async () => {
    const target = env.emu.admin.snapshot().albums.find((a) => a.DeletedAt === null);
    if (!target) throw new Error('no album');
    // Deleted by another client of the same server (the emulator's admin API has no album delete).
    await fetch(`${env.emu.url}/api/v1/albums/${target.UID}`, { method: 'DELETE', headers: { 'x-auth-token': await login(env) } });
    const [x = ''] = loosePhotos(1);
    const result = await env.act('actions.addToAlbum', { albumUid: target.UID, uids: [x] });
    expect(result.applied).toEqual([]);
    expect(result.failed).toEqual([
      {
        uids: [x],
        kind: 'not-found',
        message: 'This album was deleted on the PhotoPrism server, so nothing was changed. It has been removed from your library.',
      },
    ]);
    expect(await cachedAlbum(target.UID)).toBeUndefined();
    expect(env.log()).toHaveLength(0);
  });
});

/** A session token of our own, as "another client" of the same server. */
async function login(e: ActionsEnv): Promise<string> {
  const res = await fetch(`${e.emu.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(e.emu.credentials),
  });
  const body = (await res.json()) as { access_token: string };
  return body.access_token;
}
