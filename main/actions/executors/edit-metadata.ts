import { AppError } from '../../../shared/errors';
import type { MetadataEdit, MetadataKey, PhotoMetadata } from '../../../shared/library/metadata';
import { localWallTime, normaliseTime } from '../../library/photo-mapping';
import type { PhotoPatch, PhotoPrismClient } from '../../photoprism/client';
import type { EditablePhotoEntity } from '../../photoprism/schemas';
import { isItemError } from '../action-errors';
import { runEach } from '../batching';
import type { Executor } from '../executor';
import type { Operation } from '../operations';

/**
 * The metadata edit executor: one `PUT /photos/:uid` per photo (PhotoPrism's Dec 2024 API has no
 * batch edit, so a batch edit of a selection is N of these, `concurrency` at a time).
 *
 * Each photo is READ first (`GET /photos/:uid`): its numeric ID goes into `Details.PhotoID` (the
 * server ignores a Details change without it), the key it uses for the caption says which name to
 * send back (`Description` before the 2025 rename, `Caption` after — docs/photoprism-api.md §9.3),
 * and its values before the change become the undo. Every edited value goes with its `…Src:
 * "manual"`, so PhotoPrism's own metadata passes never overwrite what a person typed
 * (PhotoPrism internal/entity/src.go, SrcPriority: manual outranks every automatic source).
 * Not queued offline (no applyLocally): the read-first needs the server.
 */

/** One photo's change: the fields to set on it. */
export interface PhotoEdit {
  readonly uid: string;
  readonly edit: MetadataEdit;
}

/** The inspector's view of a photo entity. */
export function metadataOf(entity: EditablePhotoEntity): PhotoMetadata {
  const details = entity.Details;
  return {
    uid: entity.UID,
    title: entity.Title,
    caption: entity.Caption ?? entity.Description ?? '',
    keywords: details?.Keywords ?? '',
    takenAtLocal: entity.TakenAtLocal === '' && entity.TakenAt === '' ? '' : localWallTime(entity.TakenAtLocal, entity.TakenAt),
    timeZone: entity.TimeZone,
    lat: entity.Lat,
    lng: entity.Lng,
    altitude: Math.round(entity.Altitude),
    subject: details?.Subject ?? '',
    artist: details?.Artist ?? '',
    copyright: details?.Copyright ?? '',
    license: details?.License ?? '',
    notes: details?.Notes ?? '',
  };
}

/** Whether the server speaks the 2025 names (`Caption`): the entity it sent says so. */
function usesCaption(entity: EditablePhotoEntity): boolean {
  return entity.Caption !== undefined && entity.Caption !== null;
}

/**
 * The `PUT` body for an edit of `entity`. A new date sends the wall-clock time with its zone;
 * the server derives the UTC time (PhotoPrism internal/entity/photo.go, SavePhotoForm:
 * `TakenAt = GetTakenAt()`, or `TakenAtLocal = TakenAt` for UTC). `TakenAt` goes too, as the
 * local digits read as UTC: what the server keeps when the zone is UTC or unknown.
 */
export function patchFor(edit: MetadataEdit, entity: EditablePhotoEntity): PhotoPatch {
  const patch: Record<string, unknown> = {};
  if (edit.title !== undefined) Object.assign(patch, { Title: edit.title.trim(), TitleSrc: 'manual' });
  if (edit.caption !== undefined) {
    Object.assign(
      patch,
      usesCaption(entity) ? { Caption: edit.caption, CaptionSrc: 'manual' } : { Description: edit.caption, DescriptionSrc: 'manual' },
    );
  }
  if (edit.takenAtLocal !== undefined || edit.timeZone !== undefined) {
    const local = edit.takenAtLocal ?? metadataOf(entity).takenAtLocal;
    const zone = edit.timeZone ?? entity.TimeZone;
    if (local !== '') {
      const [year, month, day] = local.slice(0, 10).split('-').map(Number);
      Object.assign(patch, { TakenAtLocal: `${local}Z`, TakenAt: `${local}Z`, Year: year, Month: month, Day: day });
    }
    Object.assign(patch, { TimeZone: zone, TakenSrc: 'manual' });
  }
  if (edit.lat !== undefined || edit.lng !== undefined) {
    Object.assign(patch, { Lat: edit.lat ?? entity.Lat, Lng: edit.lng ?? entity.Lng, PlaceSrc: 'manual' });
  }
  if (edit.altitude !== undefined) patch['Altitude'] = edit.altitude;
  const details: Record<string, unknown> = {};
  const text: Array<[MetadataKey, string]> = [
    ['keywords', 'Keywords'],
    ['subject', 'Subject'],
    ['artist', 'Artist'],
    ['copyright', 'Copyright'],
    ['license', 'License'],
    ['notes', 'Notes'],
  ];
  for (const [key, name] of text) {
    const value = edit[key];
    if (value === undefined) continue;
    details[name] = value;
    details[`${name}Src`] = 'manual';
  }
  if (Object.keys(details).length > 0) patch['Details'] = { PhotoID: entity.ID, ...details };
  return patch;
}

/** The edit that puts back what `edit` changed, from the values before it. */
export function inverseEdit(edit: MetadataEdit, before: PhotoMetadata): MetadataEdit | undefined {
  const back: Record<string, unknown> = {};
  for (const key of Object.keys(edit) as MetadataKey[]) {
    // An unknown local time cannot be sent back; the zone alone still can.
    if (key === 'takenAtLocal' && before.takenAtLocal === '') continue;
    if (before[key] !== edit[key]) back[key] = before[key];
  }
  if (back['takenAtLocal'] !== undefined || back['timeZone'] !== undefined) {
    // The pair travels together: a zone change moves the UTC time, so undo names both.
    if (before.takenAtLocal !== '') back['takenAtLocal'] = before.takenAtLocal;
    back['timeZone'] = before.timeZone;
  }
  return Object.keys(back).length > 0 ? back : undefined;
}

/** Read every photo's editable fields from the server (the inspector's `photo.metadata`). */
export async function readMetadata(client: PhotoPrismClient, uids: readonly string[], concurrency: number): Promise<PhotoMetadata[]> {
  const out = new Map<string, PhotoMetadata>();
  const run = await runEach(
    uids,
    concurrency,
    async (uid) => {
      out.set(uid, metadataOf(await client.getPhotoForEdit(uid)));
    },
    isItemError,
  );
  const asError = (error: unknown) => (error instanceof Error ? error : new AppError('internal', 'The photos could not be read.'));
  if (run.stoppedBy !== undefined) throw asError(run.stoppedBy);
  const first = run.failed[0];
  // Some photos gone (404): the others are still worth editing; all gone is an error.
  if (first && out.size === 0) throw asError(first.error);
  return uids.flatMap((uid) => {
    const found = out.get(uid);
    return found ? [found] : [];
  });
}

type EditOp = Extract<Operation, { type: 'edit' }>;

/** Read, PUT, record the server's answer in the cache and the event log. */
export const editMetadata: Executor<EditOp> = {
  subject: 'photo',
  items: (op) => [...new Set(op.edits.map((e) => e.uid))],
  async send(op, client, ctx) {
    const wanted = new Map(op.edits.map((e) => [e.uid, e.edit]));
    const uids = [...wanted.keys()];
    const before = new Map<string, PhotoMetadata>();
    const after = new Map<string, EditablePhotoEntity>();
    const run = await runEach(
      uids,
      ctx.concurrency,
      async (uid) => {
        const edit = wanted.get(uid);
        if (!edit) return;
        const entity = await client.getPhotoForEdit(uid);
        before.set(uid, metadataOf(entity));
        after.set(uid, await client.updatePhotoForEdit(uid, patchFor(edit, entity)));
      },
      isItemError,
    );
    const applied = uids.filter((uid) => after.has(uid));
    const { failed, gone } = ctx.failures(run, applied.length);
    const dbFailure = ctx.commit({
      write: () => {
        for (const [uid, entity] of after) {
          const now = metadataOf(entity);
          ctx.repo.setPhotoMetadata(uid, {
            title: now.title,
            description: now.caption,
            takenAt: normaliseTime(entity.TakenAt),
            takenAtLocal: now.takenAtLocal,
            lat: now.lat,
            lng: now.lng,
          });
        }
        ctx.repo.deletePhotos(gone);
      },
      // UIDs only, as every action: a receiver refreshes them from its own server ([Note: Action events]).
      appends: [{ name: 'photos.updated', uids: applied }],
      photos: [...applied, ...gone],
      albums: gone.length > 0,
      uids: applied,
    });
    if (dbFailure) return ctx.dbFailed(dbFailure, failed);
    const inverse = applied.flatMap((uid) => {
      const edit = wanted.get(uid);
      const prior = before.get(uid);
      const back = edit && prior ? inverseEdit(edit, prior) : undefined;
      return back ? [{ uid, edit: back }] : [];
    });
    return { result: { applied, failed }, inverse: inverse.length > 0 ? { type: 'edit', edits: inverse } : undefined };
  },
};
