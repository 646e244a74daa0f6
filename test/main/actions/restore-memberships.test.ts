import { afterEach, describe, expect, it } from 'vitest';
import { eventually, snapshotPhoto, startActionsEnv, type ActionsEnv } from './harness';

/**
 * Issue 12, item 9: restoring a photo re-lists album memberships. Archiving hides a photo in
 * every album (PhotoPrism internal/api/batch.go, BatchPhotosArchive: photos_albums.hidden), and
 * an album's listing leaves archived photos out, so the cache drops those memberships. A photo
 * added to an album while archived (which un-hides the membership: PhotoPrism
 * internal/entity/album.go, Album.AddPhotos) is in that album again once restored: the
 * cache must show it there.
 */

let env: ActionsEnv | undefined;
afterEach(async () => {
  await env?.close();
  env = undefined;
});

describe('restore', () => {
  it('shows the restored photo in the albums the server has it in', async () => {
    env = await startActionsEnv({ photos: 40, albums: 2, seed: 31 });
    const e = env;
    const snapshot = e.emu.admin.snapshot();
    const album = snapshot.albums[0]?.UID ?? '';
    const photo = snapshot.photos.find((p) => !p.Archived && p.Quality >= 3 && !p.Albums.includes(album))?.UID ?? '';
    expect(await e.act('actions.setArchived', { uids: [photo], archived: true })).toMatchObject({ applied: [photo] });
    // While it is archived, another device puts it into the album.
    e.emu.admin.addToAlbum(album, [photo]);

    expect(await e.act('actions.setArchived', { uids: [photo], archived: false })).toMatchObject({ applied: [photo] });
    expect(snapshotPhoto(e.emu, photo).Albums).toContain(album);
    await eventually(async () => expect((await e.details(photo)).albums.map((a) => a.uid)).toContain(album), 10_000);
  }, 60_000);
});
