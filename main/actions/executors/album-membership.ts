import type { ActionFailure, ActionResult } from '../../../shared/ipc/contract';
import { failureMessage, kindOf } from '../action-errors';
import { runChunks, unique, type RunOutcome } from '../batching';
import type { Executor, ExecutorKit, Outcome } from '../executor';
import type { Operation } from '../operations';

type MembershipOp = Extract<Operation, { type: 'add' | 'remove' }>;

/** Add photos to / remove them from an album (`POST|DELETE /albums/:uid/photos`). */
export const albumMembership: Executor<MembershipOp> = {
  subject: 'photo',
  items: (op) => unique(op.uids),
  applyLocally(op, kit) {
    const albumUid = kit.resolveAlbum(op.albumUid);
    const before = kit.repo.albumMembers(albumUid);
    const known = [...kit.repo.photosByUid(unique(op.uids)).keys()];
    if (op.type === 'add') kit.repo.addAlbumMembers(albumUid, known);
    else kit.repo.removeAlbumMembers(albumUid, known);
    const moved = known.filter((uid) => before.has(uid) !== (op.type === 'add'));
    return {
      applied: known,
      photos: known,
      albums: true,
      albumUid,
      queued: { ...op, albumUid },
      inverse: moved.length > 0 ? { type: op.type === 'add' ? 'remove' : 'add', albumUid, uids: moved } : undefined,
    };
  },
  async send(op, client, kit) {
    const albumUid = kit.resolveAlbum(op.albumUid);
    const uids = unique(op.uids);
    const before = kit.repo.albumMembers(albumUid);
    const title = kit.repo.albumByUid(albumUid)?.title;
    const resolved = new Set<string>();
    const run = await runChunks(uids, kit.batchSize, async (chunk) => {
      const res = op.type === 'add' ? await client.addPhotosToAlbum(albumUid, chunk) : await client.removePhotosFromAlbum(albumUid, chunk);
      for (const uid of res.photos) resolved.add(uid);
    });
    return finishMembership(kit, op.type, albumUid, title, run, resolved, before);
  },
};

/**
 * Record a membership change: cache rows, events, the inverse. `resolved` is what the server
 * said it matched: when adding, photos it did not match are gone from the server (docs/photoprism-api.md §4.6).
 */
function finishMembership(
  kit: ExecutorKit,
  type: 'add' | 'remove',
  albumUid: string,
  title: string | undefined,
  run: RunOutcome<string>,
  resolved: ReadonlySet<string>,
  before: ReadonlySet<string>,
): Outcome {
  const albumGone = run.stoppedBy !== undefined && kindOf(run.stoppedBy) === 'not-found';
  const applied = type === 'add' ? run.done.filter((uid) => resolved.has(uid)) : run.done;
  const gone = type === 'add' ? run.done.filter((uid) => !resolved.has(uid)) : [];
  let failed: ActionFailure[];
  if (albumGone) {
    const missed = [...run.failed.map((f) => f.item), ...run.notAttempted];
    failed = [
      {
        uids: missed,
        kind: 'not-found',
        message: failureMessage('not-found', { count: missed.length, partial: false, subject: 'album' }),
      },
    ];
  } else {
    failed = kit.failures(run, applied.length).failed;
  }
  if (gone.length > 0) failed.push(kit.goneFailure(gone, applied.length > 0));
  const dbFailure = kit.commit({
    write: () => {
      if (type === 'add') kit.repo.addAlbumMembers(albumUid, applied);
      else kit.repo.removeAlbumMembers(albumUid, applied);
      kit.repo.deletePhotos(gone);
      if (albumGone) kit.repo.deleteAlbums([albumUid]);
    },
    appends: [
      { name: 'photos.updated', uids: applied, action: type === 'add' ? 'add-to-album' : 'remove-from-album', detail: title },
      { name: 'albums.updated', uids: applied.length > 0 ? [albumUid] : [] },
    ],
    photos: [...applied, ...gone],
    albums: applied.length > 0 || albumGone,
    uids: applied,
  });
  if (dbFailure) return kit.dbFailed(dbFailure, failed);
  const album = kit.albumSummary(albumUid);
  const result: ActionResult = { applied, failed, ...(album ? { album } : {}) };
  if (type === 'add') {
    const added = applied.filter((uid) => !before.has(uid));
    return { result, inverse: added.length > 0 ? { type: 'remove', albumUid, uids: added } : undefined };
  }
  const removed = applied.filter((uid) => before.has(uid));
  return { result, inverse: removed.length > 0 ? { type: 'add', albumUid, uids: removed } : undefined };
}
