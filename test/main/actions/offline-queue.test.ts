import { afterEach, describe, expect, it } from 'vitest';
import type { PendingChanges } from '../../../shared/ipc/contract';
import type { AlbumSummary, ConnectionStatus } from '../../../shared/library/schemas';
import { eventually, lastPush, snapshotAlbum, snapshotPhoto, startActionsEnv, type ActionsEnv } from './harness';

/**
 * Items 1–3 of "Never lose a change": while PhotoPrism cannot be reached, curation actions are
 * accepted, shown in the cache at once and kept in the durable queue (the action ledger); when
 * the server is back they are sent in order. Conflicts are reported per item and rolled back;
 * an undo cancels a queued action; the event is appended only once the server accepted.
 */

let env: ActionsEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

/** Plain photos (not archived, not favourite, in no album), sorted. */
function loosePhotos(e: ActionsEnv, count: number): string[] {
  const snapshot = e.emu.admin.snapshot();
  const inAlbums = new Set(snapshot.albums.flatMap((a) => a.PhotoUIDs));
  const picked = snapshot.photos
    .filter((p) => !p.Archived && !p.Favorite && !p.Private && p.Quality >= 3 && !inAlbums.has(p.UID))
    .map((p) => p.UID)
    .sort();
  if (picked.length < count) throw new Error('the seeded library has too few loose photos');
  return picked.slice(0, count);
}

async function state(e: ActionsEnv): Promise<ConnectionStatus['state']> {
  return (await e.call<ConnectionStatus>('connection.status')).state;
}

/** The server stops answering and the app notices (a refresh fails). */
async function goOffline(e: ActionsEnv): Promise<void> {
  await e.emu.admin.goDown();
  await e.call('library.refresh');
  await eventually(async () => expect(await state(e)).toBe('offline'));
}

async function comeBack(e: ActionsEnv): Promise<void> {
  await e.emu.admin.goUp();
  await eventually(async () => expect(await state(e)).toBe('online'), 30_000);
}

const pending = (e: ActionsEnv) => e.call<PendingChanges>('actions.pending');

async function cachedAlbum(e: ActionsEnv, uid: string): Promise<AlbumSummary | undefined> {
  return (await e.call<AlbumSummary[]>('library.albums')).find((a) => a.uid === uid);
}

describe('the offline edit queue', () => {
  it('accepts a favourite and an album add offline, shows them at once, and sends them in order when the server is back', async () => {
    env = await startActionsEnv({ photos: 120, albums: 2, seed: 11 });
    const e = env;
    const [a = '', b = ''] = loosePhotos(e, 2);
    const album = e.emu.admin.snapshot().albums[0]?.UID ?? '';
    await goOffline(e);

    const favourite = await e.act('actions.setFavorite', { uids: [a], favorite: true });
    expect(favourite).toMatchObject({ applied: [a], failed: [], queued: true });
    const added = await e.act('actions.addToAlbum', { albumUid: album, uids: [b] });
    expect(added).toMatchObject({ applied: [b], failed: [], queued: true });

    // The cache shows them at once; nothing is on the server and no event exists yet (item 3).
    expect((await e.details(a)).favorite).toBe(true);
    expect((await e.details(b)).albums.map((x) => x.uid)).toContain(album);
    expect(snapshotPhoto(e.emu, a).Favorite).toBe(false);
    expect(e.rows()).toEqual([]);
    const waiting = await pending(e);
    expect(waiting.waiting).toBe(2);
    expect(waiting.items.map((i) => [i.state, i.summary])).toEqual([
      ['waiting', 'Favourite 1 photo'],
      ['waiting', expect.stringMatching(/^Add 1 photo to “/)],
    ]);
    expect(lastPush(e, 'actions.pending')?.waiting).toBe(2);
    // A slow refresh while they wait must not put the old state back.
    expect((await e.history()).undoLabel).toBe('Undo Add to Album');

    await comeBack(e);
    await eventually(async () => expect((await pending(e)).waiting).toBe(0), 30_000);
    expect(snapshotPhoto(e.emu, a).Favorite).toBe(true);
    expect(snapshotAlbum(e.emu, album).PhotoUIDs).toContain(b);
    // Now, and only now, the events exist, in the order the actions were made.
    expect(e.rows().map((r) => [r.name, JSON.parse(r.uids) as string[]])).toEqual([
      ['photos.updated', [a]],
      ['photos.updated', [b]],
      ['albums.updated', [album]],
    ]);
    expect((await e.details(a)).favorite).toBe(true);
    expect(lastPush(e, 'actions.pending')?.waiting).toBe(0);
    // Undo still works once the queued action went through: it is an ordinary action now.
    await e.act('actions.undo');
    expect(snapshotAlbum(e.emu, album).PhotoUIDs).not.toContain(b);
  }, 90_000);

  it('reports conflicts per item, rolls them back in the cache and keeps them with the reason', async () => {
    env = await startActionsEnv({ photos: 120, albums: 2, seed: 12 });
    const e = env;
    const [gone = '', archived = '', fine = '', member = ''] = loosePhotos(e, 4);
    const [doomed = '', kept = ''] = e.emu.admin
      .snapshot()
      .albums.map((x) => x.UID)
      .sort();
    await goOffline(e);

    await e.act('actions.setFavorite', { uids: [gone, archived, fine], favorite: true });
    await e.act('actions.addToAlbum', { albumUid: doomed, uids: [member] });
    await e.act('actions.renameAlbum', { albumUid: kept, title: 'Renamed offline' });
    // Meanwhile, on another client: one photo deleted, one archived, one album deleted.
    e.emu.admin.deletePhotos([gone]);
    e.emu.admin.archivePhotos([archived]);
    e.emu.admin.deleteAlbum(doomed);

    await comeBack(e);
    await eventually(async () => expect((await pending(e)).waiting).toBe(0), 30_000);

    // What could be done was done…
    expect(snapshotPhoto(e.emu, fine).Favorite).toBe(true);
    expect(snapshotAlbum(e.emu, kept).Title).toBe('Renamed offline');
    // …what could not is left alone on the server…
    expect(snapshotPhoto(e.emu, archived).Favorite).toBe(false);
    // …rolled back in the cache to what the server has…
    expect((await e.details(fine)).favorite).toBe(true);
    // (The refresh that puts them back runs right after the queue is empty.)
    await eventually(async () => {
      expect(await e.details(archived)).toMatchObject({ favorite: false, archived: true });
      await expect(e.details(gone)).rejects.toThrow();
    });
    expect(await cachedAlbum(e, doomed)).toBeUndefined();
    expect((await e.details(member)).albums.map((x) => x.uid)).not.toContain(doomed);
    // …and kept in Activity with the reason, per item.
    const conflicts = (await pending(e)).items.filter((i) => i.state === 'conflict');
    expect(conflicts).toHaveLength(2);
    const favouriteConflict = conflicts.find((c) => c.summary === 'Favourite 3 photos');
    expect(favouriteConflict?.reason).toMatch(/1 photo was deleted on the PhotoPrism server/);
    expect(favouriteConflict?.reason).toMatch(/1 photo was archived on the PhotoPrism server/);
    expect(conflicts.find((c) => c.summary.startsWith('Add 1 photo'))?.reason).toMatch(/album was deleted on the PhotoPrism server/);
    // Events only for what the server accepted.
    const named = e.rows().flatMap((r) => JSON.parse(r.uids) as string[]);
    expect(named).toContain(fine);
    expect(named).not.toContain(archived);
    expect(named).not.toContain(gone);
    // Dismissed, the conflict is gone.
    const after = await e.call<PendingChanges>('actions.dismissConflict', { id: favouriteConflict?.id ?? 0 });
    expect(after.items.filter((i) => i.state === 'conflict')).toHaveLength(1);
  }, 90_000);

  it('an undo of a queued action cancels it: the cache goes back and nothing is ever sent', async () => {
    env = await startActionsEnv({ photos: 120, albums: 2, seed: 13 });
    const e = env;
    const [a = '', b = ''] = loosePhotos(e, 2);
    const album = e.emu.admin.snapshot().albums[0]?.UID ?? '';
    await goOffline(e);
    await e.act('actions.setFavorite', { uids: [a], favorite: true });
    await e.act('actions.addToAlbum', { albumUid: album, uids: [b] });
    expect((await pending(e)).waiting).toBe(2);

    const undone = await e.act('actions.undo');
    expect(undone).toMatchObject({ applied: [b], failed: [] });
    expect((await e.details(b)).albums.map((x) => x.uid)).not.toContain(album);
    expect((await pending(e)).waiting).toBe(1);
    expect(await e.history()).toMatchObject({ undoLabel: 'Undo Favourite', redoLabel: 'Redo Add to Album' });
    // Redo while still offline queues it again.
    expect(await e.act('actions.redo')).toMatchObject({ applied: [b], queued: true });
    await e.act('actions.undo');
    await e.act('actions.undo');
    expect((await e.details(a)).favorite).toBe(false);
    expect((await pending(e)).waiting).toBe(0);

    await comeBack(e);
    // Something sent after coming back proves the queue was looked at; the cancelled ones never went.
    const [c = ''] = loosePhotos(e, 3).slice(2);
    await e.act('actions.setFavorite', { uids: [c], favorite: true });
    expect(snapshotPhoto(e.emu, a).Favorite).toBe(false);
    expect(snapshotAlbum(e.emu, album).PhotoUIDs).not.toContain(b);
    expect(e.rows().flatMap((r) => JSON.parse(r.uids) as string[])).toEqual([c]);
  }, 90_000);

  it('a queued action sent in parts keeps one undo for all its parts: after the last part, and while a part still waits', async () => {
    env = await startActionsEnv({ photos: 120, albums: 2, seed: 13 });
    const e = env;
    const [a = '', b = '', c = '', d = ''] = loosePhotos(e, 4);
    // The server refuses c's and d's like for a while (a 500 is "not now"): the action goes in parts.
    const failing = new Set([c, d]);
    e.setHook(async (req, send) => {
      const uid = [...failing].find((u) => req.url.includes(`/photos/${u}/like`));
      if (uid === undefined) return send();
      return {
        status: 500,
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('{"code":500,"error":"Something went wrong, try again"}'),
      };
    });
    await goOffline(e);
    await e.act('actions.setFavorite', { uids: [a, b, c, d], favorite: true });
    await comeBack(e);
    // The first part went through; c and d wait in the queue for the next try.
    await eventually(() => expect([a, b].map((uid) => snapshotPhoto(e.emu, uid).Favorite)).toEqual([true, true]), 30_000);
    expect((await pending(e)).waiting).toBe(1);
    // The server takes c now; d still waits.
    failing.delete(c);
    await eventually(() => expect(snapshotPhoto(e.emu, c).Favorite).toBe(true), 30_000);
    expect((await pending(e)).waiting).toBe(1);

    // Undo now: the parts sent are put back on the server, the part still queued is cancelled.
    failing.delete(d);
    expect(await e.act('actions.undo')).toMatchObject({ failed: [] });
    expect((await pending(e)).waiting).toBe(0);
    expect([a, b, c, d].map((uid) => snapshotPhoto(e.emu, uid).Favorite)).toEqual([false, false, false, false]);
    expect((await e.details(d)).favorite).toBe(false);
    // Redo does the whole action again, every part.
    await e.act('actions.redo');
    expect([a, b, c, d].map((uid) => snapshotPhoto(e.emu, uid).Favorite)).toEqual([true, true, true, true]);

    // And an undo after the last part went through puts every part back, not only the first.
    const [f = '', g = ''] = loosePhotos(e, 2);
    failing.add(g);
    await goOffline(e);
    await e.act('actions.setFavorite', { uids: [f, g], favorite: true });
    await comeBack(e);
    await eventually(() => expect(snapshotPhoto(e.emu, f).Favorite).toBe(true), 30_000);
    failing.delete(g);
    await eventually(async () => expect((await pending(e)).waiting).toBe(0), 30_000);
    expect(snapshotPhoto(e.emu, g).Favorite).toBe(true);
    await e.act('actions.undo');
    expect([f, g].map((uid) => snapshotPhoto(e.emu, uid).Favorite)).toEqual([false, false]);
  }, 120_000);

  it('creates an album offline and fills it; both reach the server under the real album UID', async () => {
    env = await startActionsEnv({ photos: 40, albums: 1, seed: 14 });
    const e = env;
    const [a = '', b = ''] = loosePhotos(e, 2);
    await goOffline(e);
    const created = await e.act('actions.createAlbum', { title: 'Made offline', uids: [a] });
    const local = created.album?.uid ?? '';
    expect(created).toMatchObject({ queued: true, album: { title: 'Made offline', photoCount: 1 } });
    await e.act('actions.addToAlbum', { albumUid: local, uids: [b] });
    expect((await cachedAlbum(e, local))?.photoCount).toBe(2);

    await comeBack(e);
    await eventually(async () => expect((await pending(e)).waiting).toBe(0), 30_000);
    const onServer = e.emu.admin.snapshot().albums.find((x) => x.Title === 'Made offline');
    expect([...(onServer?.PhotoUIDs ?? [])].sort()).toEqual([a, b].sort());
    const albums = await e.call<AlbumSummary[]>('library.albums');
    expect(albums.filter((x) => x.title === 'Made offline').map((x) => x.uid)).toEqual([onServer?.UID]);
  }, 90_000);
});
