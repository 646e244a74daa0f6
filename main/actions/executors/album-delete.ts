import type { AlbumEntity } from '../../photoprism/schemas';
import type { Executor } from '../executor';
import type { Operation } from '../operations';

type DeleteAlbumOp = Extract<Operation, { type: 'delete-album' }>;

/**
 * Delete an album (`DELETE /albums/:uid`). Its undo creates it again with its title and members:
 * PhotoPrism restores the soft-deleted album, usually with its old UID (see `replaces`).
 */
export const albumDelete: Executor<DeleteAlbumOp> = {
  subject: 'album',
  items: (op, kit) => [kit.resolveAlbum(op.albumUid)],
  applyLocally(op, kit) {
    const albumUid = kit.resolveAlbum(op.albumUid);
    const prior = kit.repo.albumByUid(albumUid);
    const members = [...kit.repo.albumMembers(albumUid)];
    kit.repo.deleteAlbums([albumUid]);
    return {
      applied: [albumUid],
      photos: [],
      albums: true,
      queued: { ...op, albumUid },
      inverse: prior ? { type: 'create-album', title: prior.title, uids: members, replaces: albumUid } : undefined,
    };
  },
  async send(op, client, kit) {
    const albumUid = kit.resolveAlbum(op.albumUid);
    const prior = kit.repo.albumByUid(albumUid);
    const members = [...kit.repo.albumMembers(albumUid)];
    let entity: AlbumEntity;
    try {
      entity = await client.deleteAlbum(albumUid);
    } catch (error) {
      return kit.albumFailed(albumUid, error);
    }
    const title = entity.Title || prior?.title || '';
    const dbFailure = kit.commit({
      write: () => {
        kit.repo.deleteAlbums([albumUid]);
      },
      appends: [{ name: 'albums.deleted', uids: [albumUid], action: 'delete-album', detail: title }],
      photos: [],
      albums: true,
      uids: [albumUid],
    });
    if (dbFailure) return kit.dbFailed(dbFailure, []);
    return {
      result: { applied: [albumUid], failed: [] },
      inverse: title !== '' ? { type: 'create-album', title, uids: members, replaces: albumUid } : undefined,
    };
  },
};
