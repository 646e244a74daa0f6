import { failureMessage, kindOf } from '../action-errors';
import { runChunks, unique } from '../batching';
import type { Executor } from '../executor';
import type { Operation } from '../operations';

type ArchiveOp = Extract<Operation, { type: 'archive' }>;

/**
 * Archive / restore (`POST /batch/photos/archive|restore`). Archiving hides the photos in every
 * album on the server (docs/photoprism-api.md §5), so its undo — a restore carrying
 * `memberships` — puts them back where they were.
 */
export const archive: Executor<ArchiveOp> = {
  subject: 'photo',
  items: (op) => unique(op.uids),
  applyLocally(op, kit) {
    const prior = kit.repo.photosByUid(unique(op.uids));
    const known = [...prior.keys()];
    const albumsBefore = op.value ? kit.repo.albumsOfPhotos(known) : new Map<string, string[]>();
    kit.repo.setArchived(known, op.value);
    for (const [rawAlbum, photos] of op.memberships ?? []) {
      kit.repo.addAlbumMembers(
        kit.resolveAlbum(rawAlbum),
        photos.filter((uid) => prior.has(uid)),
      );
    }
    return {
      applied: known,
      photos: known,
      albums: true,
      queued: op,
      inverse: inverseOf(
        op.value,
        known.filter((uid) => prior.get(uid)?.archived !== op.value),
        albumsBefore,
      ),
    };
  },
  async send(op, client, kit) {
    const uids = unique(op.uids);
    const archived = op.value;
    const prior = kit.repo.photosByUid(uids);
    // Archiving hides the photos in every album on the server (docs/photoprism-api.md §5): remember where they were.
    const albumsBefore = archived ? kit.repo.albumsOfPhotos(uids) : new Map<string, string[]>();
    const run = await runChunks(uids, kit.batchSize, (chunk) => (archived ? client.archivePhotos(chunk) : client.restorePhotos(chunk)));
    const applied = run.done;
    const { failed } = kit.failures(run, applied.length);

    // The undo of an archive: put the restored photos back where archiving took them from.
    const readded = new Map<string, string[]>();
    if (!archived && op.memberships && applied.length > 0) {
      const restored = new Set(applied);
      for (const [rawAlbum, photos] of op.memberships) {
        const albumUid = kit.resolveAlbum(rawAlbum);
        const back = photos.filter((uid) => restored.has(uid));
        if (back.length === 0) continue;
        const added = await runChunks(back, kit.batchSize, async (chunk) => {
          await client.addPhotosToAlbum(albumUid, chunk);
        });
        if (added.done.length > 0) readded.set(albumUid, added.done);
        // A 404 means the album is gone: there is nothing to put the photos back into.
        if (added.stoppedBy !== undefined && kindOf(added.stoppedBy) !== 'not-found') {
          kit.report(added.stoppedBy);
          const missed = [...added.failed.map((f) => f.item), ...added.notAttempted];
          const kind = kindOf(added.stoppedBy);
          failed.push({
            uids: missed,
            kind,
            message: `Restored, but not put back into an album: ${failureMessage(kind, { count: missed.length, partial: true, subject: 'photo' })}`,
          });
        }
      }
    }

    const albums = archived ? unique(applied.flatMap((uid) => albumsBefore.get(uid) ?? [])) : [...readded.keys()];
    const dbFailure = kit.commit({
      write: () => {
        kit.repo.setArchived(applied, archived);
        for (const [albumUid, photos] of readded) kit.repo.addAlbumMembers(albumUid, photos);
      },
      appends: [
        { name: archived ? 'photos.archived' : 'photos.restored', uids: applied, action: archived ? 'archive' : 'restore' },
        { name: 'albums.updated', uids: albums },
      ],
      photos: applied,
      albums: albums.length > 0,
      uids: applied,
    });
    if (dbFailure) return kit.dbFailed(dbFailure, failed);

    const inverse = inverseOf(
      archived,
      applied.filter((uid) => prior.get(uid)?.archived !== archived),
      albumsBefore,
    );
    return { result: { applied, failed }, inverse };
  },
};

/** What reverses archiving (a restore that puts the photos back into their albums) or restoring `changed`. */
function inverseOf(
  archived: boolean,
  changed: readonly string[],
  albumsBefore: ReadonlyMap<string, readonly string[]>,
): Operation | undefined {
  if (changed.length === 0) return undefined;
  if (!archived) return { type: 'archive', uids: changed, value: true };
  const byAlbum = new Map<string, string[]>();
  for (const uid of changed) {
    for (const albumUid of albumsBefore.get(uid) ?? []) byAlbum.set(albumUid, [...(byAlbum.get(albumUid) ?? []), uid]);
  }
  return { type: 'archive', uids: changed, value: false, memberships: byAlbum };
}
