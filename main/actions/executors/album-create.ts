import { randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/errors';
import { AlbumUid } from '../../../shared/ids';
import type { ActionResult } from '../../../shared/ipc/contract';
import type { PhotoPrismClient } from '../../photoprism/client';
import type { AlbumEntity } from '../../photoprism/schemas';
import { runChunks, unique } from '../batching';
import type { Append, Executor } from '../executor';
import type { Operation } from '../operations';
import { allPages } from '../../photoprism/paging';

type CreateAlbumOp = Extract<Operation, { type: 'create-album' }>;

const ALBUM_PAGE_SIZE = 1000;

/** A UID in PhotoPrism's album format (`a` + 15 base-36 characters) for an album created offline. */
function localAlbumUid(): string {
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz';
  return `a${[...randomBytes(15)].map((byte) => digits[byte % 36]).join('')}`;
}

/** Every live manual album's UID, to tell a real creation from PhotoPrism's dedupe (docs/photoprism-api.md §4.3). */
async function liveAlbumUids(client: PhotoPrismClient): Promise<Set<string>> {
  const albums = await allPages((window) => client.searchAlbums({ type: 'album', ...window }), ALBUM_PAGE_SIZE);
  return new Set(albums.map((album) => album.UID));
}

/**
 * Create an album (`POST /albums`) and add photos to it: one undo step. Creating a title that
 * exists returns the existing album (docs/photoprism-api.md §4.3): that is no creation, so only
 * the membership events, and its undo removes the photos instead of deleting the album.
 */
export const albumCreate: Executor<CreateAlbumOp> = {
  subject: 'album',
  items: (op) => unique(op.uids),
  applyLocally(op, kit) {
    const title = op.title.trim();
    const known = [...kit.repo.photosByUid(unique(op.uids)).keys()];
    // PhotoPrism answers a title that exists with that album (docs/photoprism-api.md §4.3): so does the cache.
    const existing = op.replaces === undefined ? kit.repo.albums().find((a) => a.title === title) : undefined;
    if (existing) {
      const before = kit.repo.albumMembers(existing.uid);
      kit.repo.addAlbumMembers(existing.uid, known);
      const added = known.filter((uid) => !before.has(uid));
      return {
        applied: [existing.uid, ...known],
        photos: known,
        albums: true,
        albumUid: existing.uid,
        queued: op,
        inverse: added.length > 0 ? { type: 'remove', albumUid: existing.uid, uids: added } : undefined,
      };
    }
    // A local UID until the server gives the real one (then `replaces` redirects to it).
    const albumUid = op.replaces ?? localAlbumUid();
    kit.repo.upsertAlbums([{ uid: albumUid, title, favorite: false, thumbHash: '', serverPhotoCount: 0, serverUpdatedAt: '' }]);
    kit.repo.addAlbumMembers(albumUid, known);
    return {
      applied: [albumUid, ...known],
      photos: known,
      albums: true,
      albumUid,
      queued: { ...op, title, replaces: albumUid },
      inverse: { type: 'delete-album', albumUid },
    };
  },
  async send(op, client, kit) {
    const title = op.title.trim();
    const uids = unique(op.uids);
    let entity: AlbumEntity;
    let existing: Set<string>;
    try {
      // POST /albums returns an existing album of the same title instead of creating one, and
      // the response does not say which happened: look first. Undoing a "create" that only
      // found an existing album must not delete that album.
      existing = await liveAlbumUids(client);
      entity = await client.createAlbum(title);
    } catch (error) {
      return kit.failAll(uids, error, 'album');
    }
    if (!AlbumUid.safeParse(entity.UID).success) {
      return kit.failAll(uids, new AppError('server', 'The server answered with an album UID Photoflare does not understand.'), 'album');
    }
    const albumUid = entity.UID;
    if (op.replaces !== undefined && op.replaces !== albumUid) kit.aliases.set(op.replaces, albumUid);
    const isNew = !existing.has(albumUid);
    const before = kit.repo.albumMembers(albumUid);
    const resolved = new Set<string>();
    const run =
      uids.length === 0
        ? { done: [], failed: [], notAttempted: [], stoppedBy: undefined }
        : await runChunks(uids, kit.batchSize, async (chunk) => {
            for (const uid of (await client.addPhotosToAlbum(albumUid, chunk)).photos) resolved.add(uid);
          });
    const applied = run.done.filter((uid) => resolved.has(uid));
    const gone = run.done.filter((uid) => !resolved.has(uid));
    const { failed } = kit.failures(run, applied.length);
    if (gone.length > 0) failed.push(kit.goneFailure(gone, applied.length > 0));
    const appends: Append[] = isNew
      ? [{ name: 'albums.created', uids: [albumUid], action: 'create-album', detail: entity.Title }]
      : [
          { name: 'photos.updated', uids: applied, action: 'add-to-album', detail: entity.Title },
          { name: 'albums.updated', uids: applied.length > 0 ? [albumUid] : [] },
        ];
    const dbFailure = kit.commit({
      write: () => {
        if (!kit.repo.albumByUid(albumUid)) {
          kit.repo.upsertAlbums([
            {
              uid: albumUid,
              title: entity.Title,
              favorite: entity.Favorite,
              thumbHash: entity.Thumb,
              serverPhotoCount: before.size + applied.length,
              serverUpdatedAt: entity.UpdatedAt,
            },
          ]);
        }
        kit.repo.addAlbumMembers(albumUid, applied);
        kit.repo.deletePhotos(gone);
        // The album it replaces (a local one made offline, a deleted one brought back) is this one now.
        if (op.replaces !== undefined && op.replaces !== albumUid) kit.repo.deleteAlbums([op.replaces]);
      },
      appends,
      photos: [...applied, ...gone],
      albums: true,
      uids: [albumUid, ...applied],
    });
    if (dbFailure) return kit.dbFailed(dbFailure, failed);
    const album = kit.albumSummary(albumUid);
    const result: ActionResult = { applied: [albumUid, ...applied], failed, ...(album ? { album } : {}) };
    if (isNew) return { result, inverse: { type: 'delete-album', albumUid } };
    const added = applied.filter((uid) => !before.has(uid));
    return { result, inverse: added.length > 0 ? { type: 'remove', albumUid, uids: added } : undefined };
  },
};
