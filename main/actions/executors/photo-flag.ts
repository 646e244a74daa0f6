import type { LocalAction } from '../../../shared/events/schema';
import { isItemError } from '../action-errors';
import { runEach, unique } from '../batching';
import type { Executor } from '../executor';
import type { Operation } from '../operations';

type PhotoFlagOp = Extract<Operation, { type: 'favorite' | 'private' }>;

/** Favourite / unfavourite (like, unlike) and private / public (`PUT /photos/:uid {"Private":…}`; never the batch call, which toggles). */
export const photoFlag: Executor<PhotoFlagOp> = {
  subject: 'photo',
  items: (op) => unique(op.uids),
  applyLocally(op, kit) {
    const prior = kit.repo.photosByUid(unique(op.uids));
    const known = [...prior.keys()];
    kit.repo.setPhotoFlag(op.type, known, op.value);
    const changed = known.filter((uid) => prior.get(uid)?.[op.type] !== op.value);
    return {
      applied: known,
      photos: known,
      albums: false,
      queued: op,
      inverse: changed.length > 0 ? { type: op.type, uids: changed, value: !op.value } : undefined,
    };
  },
  async send(op, client, kit) {
    const uids = unique(op.uids);
    const flag = op.type;
    const prior = kit.repo.photosByUid(uids);
    const run = await runEach(
      uids,
      kit.concurrency,
      async (uid) => {
        if (flag === 'favorite') await (op.value ? client.likePhoto(uid) : client.unlikePhoto(uid));
        else await client.updatePhoto(uid, { Private: op.value });
      },
      isItemError,
    );
    const done = new Set(run.done);
    const applied = uids.filter((uid) => done.has(uid));
    const { failed, gone } = kit.failures(run, applied.length);
    const action: LocalAction = flag === 'favorite' ? (op.value ? 'favourite' : 'unfavourite') : op.value ? 'make-private' : 'make-public';
    const dbFailure = kit.commit({
      write: () => {
        kit.repo.setPhotoFlag(flag, applied, op.value);
        kit.repo.deletePhotos(gone);
      },
      appends: [{ name: 'photos.updated', uids: applied, action }],
      photos: [...applied, ...gone],
      albums: gone.length > 0,
      uids: applied,
    });
    if (dbFailure) return kit.dbFailed(dbFailure, failed);
    const changed = applied.filter((uid) => prior.get(uid)?.[flag] !== op.value);
    return {
      result: { applied, failed },
      inverse: changed.length > 0 ? { type: flag, uids: changed, value: !op.value } : undefined,
    };
  },
};
