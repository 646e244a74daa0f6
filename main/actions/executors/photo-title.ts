import { isItemError } from '../action-errors';
import { runEach } from '../batching';
import type { Executor } from '../executor';
import type { Operation } from '../operations';

type TitleOp = Extract<Operation, { type: 'title' }>;

/** Rename photos: `PUT /photos/:uid {"Title":…,"TitleSrc":"manual"}`, one request per photo. */
export const photoTitle: Executor<TitleOp> = {
  subject: 'photo',
  items: (op) => [...new Set(op.titles.map((t) => t.uid))],
  applyLocally(op, kit) {
    const prior = kit.repo.photosByUid(op.titles.map((t) => t.uid));
    const known = op.titles.filter((t) => prior.has(t.uid));
    for (const { uid, title } of known) kit.repo.setPhotoTitle(uid, title);
    const previous = known.flatMap(({ uid, title }) => {
      const before = prior.get(uid)?.title;
      return before !== undefined && before !== title ? [{ uid, title: before }] : [];
    });
    const uids = known.map((t) => t.uid);
    return {
      applied: uids,
      photos: uids,
      albums: false,
      queued: op,
      inverse: previous.length > 0 ? { type: 'title', titles: previous } : undefined,
    };
  },
  async send(op, client, kit) {
    const wanted = new Map(op.titles.map((t) => [t.uid, t.title]));
    const uids = [...wanted.keys()];
    const prior = kit.repo.photosByUid(uids);
    const stored = new Map<string, string>();
    const run = await runEach(
      uids,
      kit.concurrency,
      async (uid) => {
        // TitleSrc manual: otherwise PhotoPrism may regenerate the title (docs/photoprism-api.md §2.7).
        const entity = await client.updatePhoto(uid, { Title: wanted.get(uid) ?? '', TitleSrc: 'manual' });
        stored.set(uid, entity.Title);
      },
      isItemError,
    );
    const applied = uids.filter((uid) => stored.has(uid));
    const { failed, gone } = kit.failures(run, applied.length);
    const dbFailure = kit.commit({
      write: () => {
        for (const [uid, title] of stored) kit.repo.setPhotoTitle(uid, title);
        kit.repo.deletePhotos(gone);
      },
      // No LocalAction names a title edit: the Activity view reads "Changed 1 photo".
      appends: [{ name: 'photos.updated', uids: applied }],
      photos: [...applied, ...gone],
      albums: gone.length > 0,
      uids: applied,
    });
    if (dbFailure) return kit.dbFailed(dbFailure, failed);
    const previous = applied.flatMap((uid) => {
      const before = prior.get(uid)?.title;
      return before !== undefined && before !== stored.get(uid) ? [{ uid, title: before }] : [];
    });
    return { result: { applied, failed }, inverse: previous.length > 0 ? { type: 'title', titles: previous } : undefined };
  },
};
