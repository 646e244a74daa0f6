import type { ErrorKind } from '../../../shared/errors';
import type { ActionResult } from '../../../shared/ipc/contract';
import type { PhotoRecord } from '../../library/library-repo';
import { RowMerger, stackFileActions, toPhotoRecord } from '../../library/photo-mapping';
import type { PhotoPrismClient } from '../../photoprism/client';
import { PhotoPrismHttpError } from '../../photoprism/client';
import type { PhotoDetailEntity } from '../../photoprism/schemas';
import type { Executor, ExecutorKit, Outcome } from '../executor';
import type { Operation } from '../operations';

type PrimaryOp = Extract<Operation, { type: 'primary' }>;
type UnstackOp = Extract<Operation, { type: 'unstack' }>;
type DetailFile = PhotoDetailEntity['Files'][number];

/**
 * [Note: Stack actions]
 * A stack is one photo with several versions (JPEGs, a RAW, …). PhotoPrism lets a person choose
 * which file stands for the photo and move a file out into a photo of its own (PhotoPrism
 * frontend/src/dialog/photo/edit/files.vue; docs/photoprism-api.md §12.5). Both need the server:
 * which files a photo has is the server's to say (the cache keeps only the count), so neither is
 * queued offline; offline they fail with why, like Approve.
 *
 * Each reads the photo's files first (`GET /photos/:uid`): the file must still belong to the photo
 * and allow the action, otherwise nothing is sent and the person reads why (the server itself
 * would answer a file of another photo by leaving the photo WITHOUT a primary: SetPhotoPrimary).
 * After the change the photo's search row is read back, so the tile shows the new primary
 * version's thumbnail, and written with the `photos.updated` event in one transaction.
 *
 * Choosing the primary is an undo step (its inverse chooses the old primary again). Unstacking is
 * not: PhotoPrism has no way to stack files again, and it renamed the file on disk.
 */

/** An action on one photo that did not go out, with a sentence saying why. */
function refused(uid: string, kind: ErrorKind, message: string): Outcome {
  return { result: { applied: [], failed: [{ uids: [uid], kind, message }] }, inverse: undefined };
}

/** The photo's files, fresh from the server; or the outcome that says why not. */
async function filesOf(
  client: PhotoPrismClient,
  kit: ExecutorKit,
  uid: string,
): Promise<{ files: readonly DetailFile[] } | { failed: Outcome }> {
  try {
    return { files: (await client.photo(uid)).Files };
  } catch (error) {
    return { failed: kit.failAll([uid], error, 'photo') };
  }
}

/** The search rows of some photos (one `uid=` filter: photo UIDs or file UIDs, not both) as cache rows. */
async function readBack(client: PhotoPrismClient, filter: string, archived: boolean): Promise<PhotoRecord[]> {
  const merger = new RowMerger();
  const page = await client.searchPhotos({ uid: filter, merged: true, count: 100, offset: 0, ...(archived ? { archived: true } : {}) });
  return [...merger.push(page.results), ...merger.finish()].flatMap((row) => toPhotoRecord(row, { archived }) ?? []);
}

/** Read the changed photos back for the cache; a failure there leaves the rows to the next refresh. */
async function readBackQuietly(
  kit: ExecutorKit,
  client: PhotoPrismClient,
  filters: ReadonlyArray<{ filter: string; archived: boolean }>,
): Promise<PhotoRecord[]> {
  const records: PhotoRecord[] = [];
  for (const { filter, archived } of filters) {
    try {
      records.push(...(await readBack(client, filter, archived)));
    } catch (error) {
      // The server made the change: the event still goes out, the next refresh writes the row.
      kit.log.info('could not read a stack back after changing it', { error });
    }
  }
  return records;
}

/** Write the rows and the event together; answers the result. */
function commitRows(kit: ExecutorKit, uids: readonly string[], records: readonly PhotoRecord[]): ActionResult {
  const dbFailure = kit.commit({
    write: () => void kit.repo.upsertPhotos(records),
    // No LocalAction names a stack change: the Activity view reads "Changed 1 photo".
    appends: [{ name: 'photos.updated', uids }],
    photos: uids,
    albums: false,
    uids: [uids[0] ?? ''],
  });
  return dbFailure ? { applied: [], failed: [dbFailure] } : { applied: [uids[0] ?? ''], failed: [] };
}

/** Choose the stack's primary version: `POST /photos/:uid/files/:file_uid/primary`. */
export const choosePrimary: Executor<PrimaryOp> = {
  subject: 'photo',
  items: (op) => [op.uid],
  async send(op, client, kit) {
    const read = await filesOf(client, kit, op.uid);
    if ('failed' in read) return read.failed;
    const { files } = read;
    const target = files.find((file) => file.UID === op.fileUid);
    const previous = files.find((file) => file.Primary);
    if (target?.Primary) return { result: { applied: [op.uid], failed: [] }, inverse: undefined };
    if (!target || !stackFileActions(target).canBePrimary) {
      return refused(
        op.uid,
        'conflict',
        target
          ? 'Only a JPEG or PNG version that PhotoPrism could read can be the primary one. Nothing was changed.'
          : 'This version is no longer part of the photo (it may have been unstacked on the server). Nothing was changed.',
      );
    }
    try {
      await client.setPrimaryFile(op.uid, op.fileUid);
    } catch (error) {
      return kit.failAll([op.uid], error, 'photo');
    }
    const archived = kit.repo.photosByUid([op.uid]).get(op.uid)?.archived ?? false;
    const records = await readBackQuietly(kit, client, [{ filter: op.uid, archived }]);
    const result = commitRows(kit, [op.uid], records);
    const inverse: PrimaryOp | undefined =
      result.applied.length > 0 && previous && previous.UID !== op.fileUid
        ? { type: 'primary', uid: op.uid, fileUid: previous.UID }
        : undefined;
    return { result, inverse };
  },
};

/** Move a version out of its stack into a photo of its own: `POST /photos/:uid/files/:file_uid/unstack`. */
export const unstack: Executor<UnstackOp> = {
  subject: 'photo',
  items: (op) => [op.uid],
  async send(op, client, kit) {
    const read = await filesOf(client, kit, op.uid);
    if ('failed' in read) return read.failed;
    const { files } = read;
    const target = files.find((file) => file.UID === op.fileUid);
    if (!target) {
      return refused(
        op.uid,
        'conflict',
        'This version is no longer part of the photo (it may have been unstacked already). Nothing was changed.',
      );
    }
    if (!stackFileActions(target).canUnstack) {
      return refused(
        op.uid,
        'conflict',
        target.Primary
          ? 'The primary version cannot be unstacked. Make another version primary first, then unstack this one.'
          : 'Only an original file can be unstacked; this one was made by PhotoPrism or could not be read. Nothing was changed.',
      );
    }
    try {
      await client.unstackFile(op.uid, op.fileUid);
    } catch (error) {
      // 400: the server's own checks refused it (primary, sidecar, not an original); 403: a read-only server
      // (it would have to rename the file) or an account without the right.
      if (error instanceof PhotoPrismHttpError && error.status === 400) {
        return refused(
          op.uid,
          'conflict',
          'PhotoPrism refused to unstack this version (it is the primary one or not an original). Nothing was changed.',
        );
      }
      if (error instanceof PhotoPrismHttpError && error.status === 403) {
        return refused(
          op.uid,
          'permission',
          "PhotoPrism didn't unstack this version: the server is read-only, or your account may not change photos. Nothing was changed.",
        );
      }
      return kit.failAll([op.uid], error, 'photo');
    }
    const archived = kit.repo.photosByUid([op.uid]).get(op.uid)?.archived ?? false;
    // The file keeps its UID in the new photo (PhotoUnstack moves the file row), so `uid=<file UID>`
    // finds that photo; it is a new, active one (entity.NewUserPhoto).
    const records = await readBackQuietly(kit, client, [
      { filter: op.uid, archived },
      { filter: op.fileUid, archived: false },
    ]);
    const created = records.map((record) => record.uid).filter((uid) => uid !== op.uid);
    return { result: commitRows(kit, [op.uid, ...created], records), inverse: undefined };
  },
};
