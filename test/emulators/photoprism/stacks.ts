import type { EmulatorContext } from './context';
import { requireSession } from './context';
import type { Router } from './http';
import { photoEntity, photoMergedResult } from './json';
import type { FileRec, PhotoRec } from './model';
import { photoJsonFor } from './photos';

/**
 * Photo stacks: several files of one photo. PhotoPrism shows an image with more than one JPEG as
 * a stack (PhotoPrism frontend/src/model/photo.js, isStack), finds them with `stack:true`, and
 * lets a user choose the primary file or move a file out into a photo of its own.
 */

/** `photos.photo_stack` values (PhotoPrism internal/entity/entity_const.go): 0 stackable, -1 unstacked. */
export const IS_STACKABLE = 0;
export const IS_UNSTACKED = -1;

/**
 * `stack:true`: photos with two files of the same type, one of them a JPEG (PhotoPrism
 * internal/entity/search/photos.go, searchPhotos: "Find stacks only").
 */
export function isStack(photo: PhotoRec): boolean {
  return photo.files.filter((f) => f.fileType === 'jpg').length > 1;
}

/** Primary file first, then the others by file UID: the order search rows keep (docs/photoprism-api.md §2.2). */
function sortFiles(photo: PhotoRec): void {
  photo.files.sort((a, b) => Number(b.primary) - Number(a.primary) || (a.uid < b.uid ? -1 : 1));
}

/**
 * `POST /photos/:uid/files/:file_uid/primary` (PhotoPrism internal/api/photos.go, PhotoPrimary →
 * internal/entity/query/files.go, SetPhotoPrimary): every other file of the photo loses the flag,
 * the named one gets it. Quirk kept: a file UID of another photo leaves the photo with no primary.
 */
function setPrimary(ctx: EmulatorContext, photo: PhotoRec, fileUid: string): void {
  for (const f of photo.files) f.primary = f.uid === fileUid;
  sortFiles(photo);
  ctx.store.bump();
  ctx.hub.publish('photos.updated', { entities: [photoMergedResult(photo)] });
  ctx.hub.publish('notify.success', { message: 'Changes successfully saved' });
}

/**
 * `POST /photos/:uid/files/:file_uid/unstack` (PhotoPrism internal/api/photo_unstack.go,
 * PhotoUnstack): the file (found by its UID alone; the photo UID in the path is not read) must be
 * an original that is neither primary nor a sidecar (400 otherwise). Its name starts like the
 * photo's, so it is renamed `<name>.<hash>.<ext>` and becomes a photo of its own; both photos are
 * flagged unstacked, the old one becomes an image again.
 */
function unstack(ctx: EmulatorContext, file: FileRec): PhotoRec {
  const stack = file.photo;
  const nowMs = ctx.now();
  const ext = file.name.slice(file.name.lastIndexOf('.'));
  const name = `${stack.name}.${file.hash}`;
  const id = Math.max(0, ...ctx.store.photos.map((p) => p.id)) + 1;
  const created: PhotoRec = {
    ...stack,
    id,
    uid: `p${file.uid.slice(1)}`,
    // Indexed anew from the file (Index.FileName): a video or RAW is a photo of that type.
    type: file.video ? 'video' : file.mediaType === 'raw' ? 'raw' : 'image',
    name,
    stack: IS_UNSTACKED,
    faces: 0,
    markers: [],
    labels: [...stack.labels],
    files: [file],
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
    editedAtMs: null,
  };
  stack.files = stack.files.filter((f) => f !== file);
  stack.stack = IS_UNSTACKED;
  stack.type = 'image';
  stack.updatedAtMs = Math.max(nowMs, stack.createdAtMs + 1);
  file.photo = created;
  file.name = `${stack.path}/${name}${ext}`;
  // The unstacked file is the new photo's only file, so its primary (SetPhotoPrimary's default).
  file.primary = true;
  ctx.store.addPhoto(created);
  ctx.store.bump();
  ctx.hub.publish('photos.created', { entities: [photoMergedResult(created)] });
  ctx.hub.publish('photos.updated', { entities: [photoMergedResult(stack)] });
  ctx.hub.publish('notify.success', { message: 'File removed from stack' });
  return stack;
}

/** The server's configuration as far as stacks care; flip in a test (`emu.stackSwitches`). */
export interface StackSwitches {
  /**
   * `PHOTOPRISM_READONLY`: an unstack that must rename the file answers 403 "Feature disabled"
   * (PhotoPrism internal/api/photo_unstack.go, PhotoUnstack: `conf.ReadOnly()` →
   * AbortFeatureDisabled). The emulator's stacked files always need the rename (their names start
   * like the photo's), so every unstack is refused.
   */
  readOnly: boolean;
}

/** Registers the stack routes; answers their switches. */
export function registerStackRoutes(router: Router, ctx: EmulatorContext): StackSwitches {
  const switches: StackSwitches = { readOnly: false };
  router.on('POST', '/api/v1/photos/:uid/files/:file_uid/primary', (x) => {
    if (!requireSession(ctx, x, 'photos', 'update')) return;
    const photo = ctx.store.photosByUid.get(x.params['uid'] ?? '');
    // SetPhotoPrimary updates nothing for an unknown photo; PhotoPreloadByUID then fails (404).
    if (!photo) return x.error(404, 'Entity not found');
    setPrimary(ctx, photo, x.params['file_uid'] ?? '');
    x.json(200, photoJsonFor(ctx, photoEntity(photo, ctx.store, { files: true, albums: true })));
  });

  router.on('POST', '/api/v1/photos/:uid/files/:file_uid/unstack', (x) => {
    if (!requireSession(ctx, x, 'photos', 'update')) return;
    const file = ctx.store.filesByUid.get(x.params['file_uid'] ?? '');
    if (!file) return x.error(404, 'Entity not found');
    // "cannot unstack primary file", "cannot unstack sidecar files", "only originals can be unstacked".
    if (file.primary || file.root !== '/') return x.error(400, 'Unable to do that');
    if (switches.readOnly) return x.error(403, 'Feature disabled');
    const stack = unstack(ctx, file);
    x.json(200, photoJsonFor(ctx, photoEntity(stack, ctx.store, { files: true, albums: true })));
  });
  return switches;
}
