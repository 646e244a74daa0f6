import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConnectionStatus, LibraryPage } from '../../../shared/library/schemas';
import { activePhotos, eventually, lastPush, snapshotAlbum, snapshotPhoto, startActionsEnv, type ActionsEnv } from './harness';

let env: ActionsEnv;

/** A network failure's sentence: "nothing/N not changed" (refused) or "can't tell yet" (answer may be lost). */
const UNCLEAR_OR_UNCHANGED =
  /^(Photoflare can't reach your PhotoPrism server\. (Nothing was changed|[\d,]+ photos? (was|were) not changed); try again when it's back\.|Your PhotoPrism server did not answer, so Photoflare can't tell yet whether .* changed\. It is checking with the server and will show the result; nothing is lost\.)$/;

beforeEach(async () => {
  env = await startActionsEnv({ photos: 40, albums: 3, seed: 11 });
});
afterEach(async () => {
  await env.close();
});

/** Photos that are neither favourites nor private nor archived, so every action really changes them. */
function plainPhotos(count: number): string[] {
  const snapshot = env.emu.admin.snapshot();
  const picked = snapshot.photos.filter((p) => !p.Archived && !p.Favorite && !p.Private).map((p) => p.UID);
  if (picked.length < count) throw new Error('the seeded library has too few plain photos');
  return picked.sort().slice(0, count);
}

describe('favourite / unfavourite', () => {
  it('changes the server, the cache and appends ONE local-only photos.updated event (sync off)', async () => {
    const uids = plainPhotos(3);
    const result = await env.act('actions.setFavorite', { uids, favorite: true });
    expect(result).toEqual({ applied: uids, failed: [] });

    for (const uid of uids) {
      expect(snapshotPhoto(env.emu, uid).Favorite).toBe(true);
      expect((await env.details(uid)).favorite).toBe(true);
    }
    const log = env.log();
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ origin: 'local', status: 'local-only', summary: 'Favourited 3 photos' });
    expect(log[0]?.event).toEqual({ event: 'photos.updated', data: { entities: uids.map((UID) => ({ UID })) } });
    // The renderer hears which rows changed, and that Undo is now available.
    expect(lastPush(env, 'library.changed')).toEqual({ uids, albums: false, full: false });
    expect(lastPush(env, 'actions.history')).toMatchObject({ canUndo: true, undoLabel: 'Undo Favourite' });
    // One like request per photo: PhotoPrism has no batch like.
    expect(env.emu.requests.filter((r) => r.path.endsWith('/like') && r.method === 'POST')).toHaveLength(3);
  });

  it('appends pending events while iCloud Sync is on', async () => {
    env.core.settings.update({ syncEnabled: true });
    const [uid = ''] = plainPhotos(1);
    await env.act('actions.setFavorite', { uids: [uid], favorite: true });
    await env.act('actions.setFavorite', { uids: [uid], favorite: false });
    expect(snapshotPhoto(env.emu, uid).Favorite).toBe(false);
    expect((await env.details(uid)).favorite).toBe(false);
    expect(env.log().map((e) => [e.status, e.summary])).toEqual([
      ['pending', 'Removed 1 photo from Favourites'],
      ['pending', 'Favourited 1 photo'],
    ]);
    expect(env.core.eventLog.countPending()).toBe(2);
  });

  it('refuses malformed requests before anything happens', async () => {
    const bad = await env.core.dispatch('actions.setFavorite', { uids: ['nope'], favorite: true }, { trusted: true, description: 't' });
    expect(bad).toMatchObject({ ok: false, error: { kind: 'bad-request' } });
    const extra = await env.core.dispatch(
      'actions.setFavorite',
      { uids: plainPhotos(1), favorite: true, title: 'x' },
      { trusted: true, description: 't' },
    );
    expect(extra).toMatchObject({ ok: false, error: { kind: 'bad-request' } });
    expect(env.log()).toHaveLength(0);
  });
});

describe('private / public', () => {
  it('uses PUT /photos/:uid with an explicit value, never the toggling batch call', async () => {
    const uids = plainPhotos(2);
    // Twice "private": a toggle would flip them back; PUT keeps them private.
    await env.act('actions.setPrivate', { uids, private: true });
    await env.act('actions.setPrivate', { uids, private: true });
    for (const uid of uids) {
      expect(snapshotPhoto(env.emu, uid).Private).toBe(true);
      expect((await env.details(uid)).private).toBe(true);
    }
    expect(env.emu.requests.some((r) => r.path.includes('/batch/photos/private'))).toBe(false);
    const puts = env.emu.requests.filter((r) => r.method === 'PUT' && r.path.startsWith('/api/v1/photos/'));
    expect(puts).toHaveLength(4);
    expect(JSON.parse(puts[0]?.body ?? '{}')).toEqual({ Private: true });
    expect(env.log().map((e) => e.summary)).toEqual(['Made 2 photos private', 'Made 2 photos private']);
    // The second action changed nothing, so undo reverts the first (the only real change).
    await env.act('actions.undo');
    for (const uid of uids) expect(snapshotPhoto(env.emu, uid).Private).toBe(false);
  });
});

describe('archive / restore', () => {
  it('archiving removes the photo from every album (server and cache); undo restores it AND puts it back', async () => {
    const album = env.emu.admin.snapshot().albums.find((a) => a.PhotoUIDs.length >= 2 && a.DeletedAt === null);
    if (!album) throw new Error('no album with members');
    const uid = album.PhotoUIDs[0] ?? '';
    expect((await env.details(uid)).albums.map((a) => a.uid)).toContain(album.UID);
    const albumsOfPhoto = env.emu.admin
      .snapshot()
      .albums.filter((a) => a.PhotoUIDs.includes(uid))
      .map((a) => a.UID)
      .sort();

    const result = await env.act('actions.setArchived', { uids: [uid], archived: true });
    expect(result).toEqual({ applied: [uid], failed: [] });
    expect(snapshotPhoto(env.emu, uid).Archived).toBe(true);
    expect(snapshotAlbum(env.emu, album.UID).PhotoUIDs).not.toContain(uid);
    const details = await env.details(uid);
    expect(details.archived).toBe(true);
    expect(details.albums).toEqual([]);
    const archivePage = await env.call<LibraryPage>('library.query', { view: { kind: 'archive' }, offset: 0, limit: 100 });
    expect(archivePage.photos.map((p) => p.uid)).toContain(uid);
    // photos.archived on the photo + albums.updated on the albums it left (a receiver re-lists them).
    const [albumsEvent, archivedEvent] = env.log();
    expect(archivedEvent?.event).toEqual({ event: 'photos.archived', data: { entities: [{ UID: uid }] } });
    expect(albumsEvent?.event?.event).toBe('albums.updated');
    expect(albumsEvent?.event?.data.entities.map((e) => e.UID).sort()).toEqual(albumsOfPhoto);

    // A plain restore does NOT bring the memberships back (that is the server's rule) …
    await env.act('actions.setArchived', { uids: [uid], archived: false });
    expect(snapshotPhoto(env.emu, uid).Archived).toBe(false);
    expect(snapshotAlbum(env.emu, album.UID).PhotoUIDs).not.toContain(uid);
    expect((await env.details(uid)).albums).toEqual([]);
    expect(env.log()[0]?.event?.event).toBe('photos.restored');

    // … but undoing the archive does: undo restore (= archive again), undo archive (= restore + re-add).
    await env.act('actions.undo');
    expect(snapshotPhoto(env.emu, uid).Archived).toBe(true);
    await env.act('actions.undo');
    expect(snapshotPhoto(env.emu, uid).Archived).toBe(false);
    for (const albumUid of albumsOfPhoto) expect(snapshotAlbum(env.emu, albumUid).PhotoUIDs).toContain(uid);
    expect((await env.details(uid)).albums.map((a) => a.uid).sort()).toEqual(albumsOfPhoto);
    expect(env.log()[1]?.event?.event).toBe('photos.restored');
    expect(env.log()[0]?.event?.event).toBe('albums.updated');
  });
});

describe('rename a photo', () => {
  it('PUTs the title with TitleSrc manual; undo puts the old title back', async () => {
    const [uid = ''] = plainPhotos(1);
    const before = snapshotPhoto(env.emu, uid).Title;
    await env.act('actions.setTitle', { uid, title: 'Sunset at the pier' });
    expect(snapshotPhoto(env.emu, uid).Title).toBe('Sunset at the pier');
    expect((await env.details(uid)).title).toBe('Sunset at the pier');
    const put = env.emu.requests.find((r) => r.method === 'PUT');
    expect(JSON.parse(put?.body ?? '{}')).toEqual({ Title: 'Sunset at the pier', TitleSrc: 'manual' });
    expect(await env.history()).toMatchObject({ undoLabel: 'Undo Rename Photo' });
    await env.act('actions.undo');
    expect(snapshotPhoto(env.emu, uid).Title).toBe(before);
    // Only names and UIDs reach the log: the title is nowhere in it.
    expect(JSON.stringify(env.rows())).not.toContain('Sunset');
  });
});

describe('failures', () => {
  it('server down: nothing is appended, the cache is unchanged, and the error says so', async () => {
    const uids = plainPhotos(3);
    await env.emu.admin.goDown();
    const result = await env.act('actions.setFavorite', { uids, favorite: true });
    expect(result.applied).toEqual([]);
    // A request on a kept-alive connection the server just closed fails with a reset, which
    // cannot be told from "sent, answer lost": such items say the outcome is being checked;
    // refused connections say nothing was changed. See [Note: Action intents].
    expect(result.failed.flatMap((f) => f.uids).sort()).toEqual([...uids].sort());
    for (const failure of result.failed) {
      expect(failure.kind).toBe('network');
      expect(failure.message).toMatch(UNCLEAR_OR_UNCHANGED);
    }
    for (const uid of uids) expect((await env.details(uid)).favorite).toBe(false);
    expect(env.log()).toHaveLength(0);
    expect((await env.history()).canUndo).toBe(false);
    // The connection learned it is offline; the next action waits in the offline queue (no request,
    // no event until the server accepts it: see test/main/actions/offline-queue.test.ts).
    await eventually(async () => expect((await env.call<ConnectionStatus>('connection.status')).state).toBe('offline'));
    const again = await env.act('actions.setArchived', { uids, archived: true });
    expect(again).toMatchObject({ failed: [], queued: true });
    expect(env.log()).toHaveLength(0);
  });

  it('an undo that cannot reach the server keeps its step, so ⌘Z can be tried again', async () => {
    const [uid = ''] = plainPhotos(1);
    await env.act('actions.setFavorite', { uids: [uid], favorite: true });
    await env.emu.admin.goDown();
    const result = await env.act('actions.undo');
    expect(result.applied).toEqual([]);
    expect(result.failed[0]?.kind).toBe('network');
    expect(await env.history()).toEqual({ canUndo: true, canRedo: false, undoLabel: 'Undo Favourite', redoLabel: 'Redo' });
    expect(env.log()).toHaveLength(1);
    expect((await env.details(uid)).favorite).toBe(true);
  });

  it('signing out forgets the history (its steps name this library)', async () => {
    await env.act('actions.setFavorite', { uids: plainPhotos(1), favorite: true });
    expect((await env.history()).canUndo).toBe(true);
    await env.call('connection.signOut');
    expect(await env.history()).toEqual({ canUndo: false, canRedo: false, undoLabel: 'Undo', redoLabel: 'Redo' });
    expect(lastPush(env, 'actions.history')).toMatchObject({ canUndo: false });
    const refused = await env.core.dispatch('actions.undo', {}, { trusted: true, description: 't' });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'validation', message: 'There is nothing to undo.' } });
  });

  it('fault injection (every request 500): cache and log unchanged, a server error sentence', async () => {
    const uids = plainPhotos(2);
    void env.emu.admin.setFault({ errorRate: 1 });
    const result = await env.act('actions.setFavorite', { uids, favorite: true });
    expect(result.applied).toEqual([]);
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]).toMatchObject({ kind: 'server' });
    expect(result.failed[0]?.message).toMatch(/had a problem .*Nothing was changed/);
    for (const uid of uids) {
      expect(snapshotPhoto(env.emu, uid).Favorite).toBe(false);
      expect((await env.details(uid)).favorite).toBe(false);
    }
    expect(env.log()).toHaveLength(0);
  });

  it('session expired: auth failure, needs sign-in, nothing appended', async () => {
    const uids = plainPhotos(2);
    env.emu.admin.expireSessions();
    const result = await env.act('actions.setArchived', { uids, archived: true });
    expect(result.failed).toEqual([
      { uids, kind: 'auth', message: 'Your PhotoPrism session has expired. Nothing was changed; sign in again, then try once more.' },
    ]);
    expect((await env.call<ConnectionStatus>('connection.status')).state).toBe('needs-sign-in');
    expect(env.log()).toHaveLength(0);
    for (const uid of uids) expect((await env.details(uid)).archived).toBe(false);
  });

  it('a photo deleted on the server fails alone (not-found) and the cache drops it; the others go through', async () => {
    const [gone = '', kept = ''] = plainPhotos(2);
    env.emu.admin.deletePhotos([gone]);
    const result = await env.act('actions.setFavorite', { uids: [gone, kept], favorite: true });
    expect(result.applied).toEqual([kept]);
    expect(result.failed).toEqual([
      {
        uids: [gone],
        kind: 'not-found',
        message: 'This photo was deleted on the PhotoPrism server, so it could not be changed. It has been removed from your library.',
      },
    ]);
    const missing = await env.core.dispatch('photo.details', { uid: gone }, { trusted: true, description: 't' });
    expect(missing).toMatchObject({ ok: false, error: { kind: 'not-found' } });
    expect(env.log().map((e) => e.event?.data.entities)).toEqual([[{ UID: kept }]]);
  });
});

describe('partial failure over many batches', () => {
  it('the server dies after the first archive batch: exactly the accepted photos are recorded', async () => {
    await env.close();
    env = await startActionsEnv({ photos: 1300, albums: 2, seed: 5 });
    const uids = activePhotos(env.emu).slice(0, 1200);
    let batches = 0;
    env.setHook(async (req, send) => {
      const res = await send();
      if (req.url.includes('/batch/photos/archive') && ++batches === 1) await env.emu.admin.goDown();
      return res;
    });
    const result = await env.act('actions.setArchived', { uids, archived: true });
    const first = uids.slice(0, 500);
    expect(result.applied).toEqual(first);
    // The batch after the shutdown fails (reset or refused, see the 'server down' test); the rest is not sent.
    expect(result.failed.flatMap((f) => f.uids).sort()).toEqual(uids.slice(500).sort());
    for (const failure of result.failed) {
      expect(failure.kind).toBe('network');
      expect(failure.message).toMatch(UNCLEAR_OR_UNCHANGED);
    }
    expect(result.failed.at(-1)?.message).toMatch(/photos were not changed; try again when it's back/);
    const snapshot = new Map(env.emu.admin.snapshot().photos.map((p) => [p.UID, p.Archived]));
    expect(first.every((uid) => snapshot.get(uid) === true)).toBe(true);
    expect(uids.slice(500).every((uid) => snapshot.get(uid) === false)).toBe(true);
    const counts = await env.call<{ archived: number }>('library.counts');
    // The server lists archived photos except broken ones (quality -1): those are all we cache.
    const archivedBefore = env.emu.admin.snapshot().photos.filter((p) => p.Archived && p.Quality > -1).length - 500;
    expect(counts.archived).toBe(archivedBefore + 500);
    // 500 photos → events split at 200 UIDs: 200 + 200 + 100, all photos.archived.
    const archivedEvents = env.log().filter((e) => e.event?.event === 'photos.archived');
    expect(archivedEvents.map((e) => e.event?.data.entities.length)).toEqual([100, 200, 200]);
    expect(archivedEvents.flatMap((e) => e.event?.data.entities.map((x) => x.UID) ?? []).sort()).toEqual([...first].sort());
  });
});

describe('approve (Review)', () => {
  it('approves on the server, moves the photos from Review into Library and appends ONE photos.updated event', async () => {
    const review = env.emu.admin
      .snapshot()
      .photos.filter((p) => !p.Archived && !p.Private && p.Quality >= 0 && p.Quality < 3)
      .map((p) => p.UID)
      .sort();
    expect(review.length).toBeGreaterThan(0);
    const inView = async (kind: 'all' | 'review') =>
      (await env.call<LibraryPage>('library.query', { view: { kind }, q: '', offset: 0, limit: 1000 })).photos.map((p) => p.uid);
    expect(await inView('review')).toEqual(expect.arrayContaining(review));

    const result = await env.act('actions.approve', { uids: review });
    expect(result).toEqual({ applied: review, failed: [] });
    for (const uid of review) expect(snapshotPhoto(env.emu, uid).Quality).toBeGreaterThanOrEqual(3);
    expect(await inView('review')).toEqual([]);
    expect(await inView('all')).toEqual(expect.arrayContaining(review));
    const log = env.log();
    expect(log[0]).toMatchObject({ summary: `Approved ${review.length === 1 ? '1 photo' : `${review.length} photos`} from Review` });
    expect(log[0]?.event).toEqual({ event: 'photos.updated', data: { entities: review.map((UID) => ({ UID })) } });
    expect(lastPush(env, 'library.changed')).toEqual({ uids: review, albums: false, full: false });
    // One batch request; nothing to undo (PhotoPrism cannot put a photo back into Review).
    expect(env.emu.requests.filter((r) => r.path === '/api/v1/batch/photos/approve')).toHaveLength(1);
    expect((await env.history()).canUndo).toBe(false);
  });
});
