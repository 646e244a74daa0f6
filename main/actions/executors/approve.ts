import { runChunks, unique } from '../batching';
import type { Executor } from '../executor';
import type { Operation } from '../operations';

type ApproveOp = Extract<Operation, { type: 'approve' }>;

/**
 * Approve photos waiting in Review (`POST /batch/photos/approve`). No inverse: PhotoPrism has no
 * request that puts a photo back into Review. Not queued offline: whether a photo still waits in
 * Review is the server's to say.
 */
export const approve: Executor<ApproveOp> = {
  subject: 'photo',
  items: (op) => unique(op.uids),
  async send(op, client, kit) {
    const uids = unique(op.uids);
    const run = await runChunks(uids, kit.batchSize, (chunk) => client.approvePhotos(chunk));
    const applied = run.done;
    const { failed } = kit.failures(run, applied.length);
    const dbFailure = kit.commit({
      write: () => void kit.repo.setApproved(applied),
      appends: [{ name: 'photos.updated', uids: applied, action: 'approve' }],
      photos: applied,
      albums: false,
      uids: applied,
    });
    if (dbFailure) return kit.dbFailed(dbFailure, failed);
    return { result: { applied, failed }, inverse: undefined };
  },
};
