import type { AlbumEntity } from '../../photoprism/schemas';
import type { Executor } from '../executor';
import type { Operation } from '../operations';

type RenameAlbumOp = Extract<Operation, { type: 'rename-album' }>;

/** Rename an album (`PUT /albums/:uid {"Title":…}`). */
export const albumRename: Executor<RenameAlbumOp> = {
  subject: 'album',
  items: (op, kit) => [kit.resolveAlbum(op.albumUid)],
  applyLocally(op, kit) {
    const albumUid = kit.resolveAlbum(op.albumUid);
    const prior = kit.repo.albumByUid(albumUid);
    const title = op.title.trim();
    if (prior) kit.repo.setAlbumTitle(albumUid, title);
    return {
      applied: [albumUid],
      photos: [],
      albums: true,
      albumUid,
      queued: { ...op, albumUid },
      inverse: prior && prior.title !== title ? { type: 'rename-album', albumUid, title: prior.title } : undefined,
    };
  },
  async send(op, client, kit) {
    const albumUid = kit.resolveAlbum(op.albumUid);
    const title = op.title.trim();
    const prior = kit.repo.albumByUid(albumUid);
    let entity: AlbumEntity;
    try {
      entity = await client.updateAlbum(albumUid, { Title: title });
    } catch (error) {
      return kit.albumFailed(albumUid, error);
    }
    const dbFailure = kit.commit({
      write: () => {
        if (prior) kit.repo.setAlbumTitle(albumUid, entity.Title);
        else {
          kit.repo.upsertAlbums([
            {
              uid: albumUid,
              title: entity.Title,
              favorite: entity.Favorite,
              thumbHash: entity.Thumb,
              serverPhotoCount: 0,
              serverUpdatedAt: entity.UpdatedAt,
            },
          ]);
        }
      },
      appends: [{ name: 'albums.updated', uids: [albumUid], action: 'rename-album', detail: entity.Title }],
      photos: [],
      albums: true,
      uids: [albumUid],
    });
    if (dbFailure) return kit.dbFailed(dbFailure, []);
    const album = kit.albumSummary(albumUid);
    return {
      result: { applied: [albumUid], failed: [], ...(album ? { album } : {}) },
      inverse: prior && prior.title !== entity.Title ? { type: 'rename-album', albumUid, title: prior.title } : undefined,
    };
  },
};
