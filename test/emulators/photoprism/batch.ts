import type { EmulatorContext } from './context';
import { publishConfigUpdated, requireSession } from './context';
import type { Exchange, Router } from './http';
import { photoEntity } from './json';
import { Selection, deleteAlbum } from './albums';
import type { PhotoRec } from './model';
import { applyApproval } from './photos';

/**
 * Batch routes (docs/photoprism-api.md §5): archive (which also hides the photos in every album), restore,
 * private (a TOGGLE), approve, permanent delete, and album delete; with the exact success
 * messages and events of the real server.
 */

function existing(ctx: EmulatorContext, uids: readonly string[]): PhotoRec[] {
  const out: PhotoRec[] = [];
  for (const uid of uids) {
    const p = ctx.store.photosByUid.get(uid);
    if (p) out.push(p);
  }
  return out;
}

/**
 * Archives photos: sets DeletedAt (idempotent) and hides them in every album for good; events
 * `photos.archived` with the UIDs as sent, and `config.updated`.
 */
export function archivePhotos(ctx: EmulatorContext, uids: readonly string[]): void {
  const nowMs = ctx.now();
  const photos = existing(ctx, uids);
  const targets = new Set(photos.map((p) => p.uid));
  for (const p of photos) if (p.deletedAtMs === null) p.deletedAtMs = nowMs;
  for (const album of ctx.store.albums) {
    let touched = false;
    for (const uid of targets) {
      const m = album.members.get(uid);
      if (m && !m.hidden) {
        m.hidden = true;
        touched = true;
      }
    }
    if (touched) ctx.store.recomputeThumb(album);
  }
  ctx.store.bump();
  ctx.hub.publish('photos.archived', { entities: [...uids] });
  publishConfigUpdated(ctx);
}

/** Restores archived photos (album memberships stay hidden); events `photos.restored`. */
export function restorePhotos(ctx: EmulatorContext, uids: readonly string[]): void {
  for (const p of existing(ctx, uids)) p.deletedAtMs = null;
  ctx.store.bump();
  ctx.hub.publish('photos.restored', { entities: [...uids] });
  publishConfigUpdated(ctx);
}

/** Toggles the private flag of each photo (NOT idempotent, docs/photoprism-api.md §5). */
export function togglePrivate(ctx: EmulatorContext, uids: readonly string[]): PhotoRec[] {
  const photos = existing(ctx, uids);
  for (const p of photos) p.private = !p.private;
  ctx.store.bump();
  ctx.hub.publish('photos.updated', { entities: photos.map((p) => photoEntity(p, ctx.store, { files: false, albums: false })) });
  publishConfigUpdated(ctx);
  return photos;
}

/** Deletes photos permanently, archived or not; events `photos.deleted`. */
export function deletePhotosPermanently(ctx: EmulatorContext, uids: readonly string[]): string[] {
  const deleted = ctx.store.deletePhotos(uids);
  if (deleted.length > 0) {
    ctx.hub.publish('photos.deleted', { entities: deleted });
    publishConfigUpdated(ctx);
  }
  return deleted;
}

/** Options the batch routes need beyond the context. */
export interface BatchOptions {
  /** `settings.features.delete`; when false, batch delete answers 403 "Feature disabled". */
  deleteEnabled: () => boolean;
}

/** Registers the batch routes. */
export function registerBatchRoutes(router: Router, ctx: EmulatorContext, options: BatchOptions): void {
  const selection = (x: Exchange): Selection | undefined => {
    const body = x.jsonBody();
    if (body === undefined) return undefined;
    const sel = Selection.safeParse(body);
    if (!sel.success) {
      x.bindError();
      return undefined;
    }
    return sel.data;
  };
  const ok = (x: Exchange, message: string): void => x.json(200, { code: 200, message });

  router.on('POST', '/api/v1/batch/photos/archive', (x) => {
    if (!requireSession(ctx, x, 'photos', 'delete')) return;
    const sel = selection(x);
    if (!sel) return;
    const uids = sel.photos ?? [];
    if (uids.length === 0) return x.error(400, 'No items selected');
    archivePhotos(ctx, uids);
    ok(x, 'Selection archived');
  });

  router.on('POST', '/api/v1/batch/photos/restore', (x) => {
    if (!requireSession(ctx, x, 'photos', 'delete')) return;
    const sel = selection(x);
    if (!sel) return;
    const uids = sel.photos ?? [];
    if (uids.length === 0) return x.error(400, 'No items selected');
    restorePhotos(ctx, uids);
    ok(x, 'Selection restored');
  });

  router.on('POST', '/api/v1/batch/photos/private', (x) => {
    if (!requireSession(ctx, x, 'photos', 'private')) return;
    const sel = selection(x);
    if (!sel) return;
    const uids = sel.photos ?? [];
    if (uids.length === 0) return x.error(400, 'No items selected');
    togglePrivate(ctx, uids);
    ok(x, 'Selection marked as private');
  });

  router.on('POST', '/api/v1/batch/photos/approve', (x) => {
    if (!requireSession(ctx, x, 'photos', 'update')) return;
    const sel = selection(x);
    if (!sel) return;
    const photos = existing(ctx, sel.photos ?? []);
    if ((sel.photos ?? []).length === 0) return x.error(400, 'No items selected');
    if (photos.length === 0) return x.error(404, 'Entity not found');
    // BatchPhotosApprove (PhotoPrism internal/api/batch.go): entity.Photo.Approve for each
    // selected photo, then UpdateClientConfig and one EntitiesUpdated("photos", approved).
    const approved = photos.filter((p) => applyApproval(ctx, p));
    publishConfigUpdated(ctx);
    ctx.hub.publish('photos.updated', { entities: approved.map((p) => photoEntity(p, ctx.store, { files: false, albums: false })) });
    ok(x, 'Selection approved');
  });

  router.on('POST', '/api/v1/batch/photos/delete', (x) => {
    const session = requireSession(ctx, x, 'photos', 'delete');
    if (!session) return;
    if (!options.deleteEnabled()) return x.error(403, 'Feature disabled');
    const sel = selection(x);
    if (!sel) return;
    let uids = sel.photos ?? [];
    if (sel.all === true) {
      if (session.user.role !== 'admin') return x.error(403, 'Permission denied');
      uids = ctx.store.photos.filter((p) => p.deletedAtMs !== null).map((p) => p.uid);
    }
    if (uids.length === 0) return x.error(400, 'No items selected');
    const deleted = deletePhotosPermanently(ctx, uids);
    if (deleted.length === 0) return x.error(400, 'No items selected');
    ok(x, 'Permanently deleted');
  });

  router.on('POST', '/api/v1/batch/albums/delete', (x) => {
    if (!requireSession(ctx, x, 'albums', 'delete')) return;
    const sel = selection(x);
    if (!sel) return;
    const uids = sel.albums ?? [];
    if (uids.length === 0) return x.error(400, 'No albums selected');
    const albums = uids.map((uid) => ctx.store.albumsByUid.get(uid)).filter((a) => a !== undefined);
    if (albums.length === 0) return x.error(404, 'Entity not found');
    // Idempotent for already-deleted albums: they are matched but not deleted again.
    for (const album of albums) if (album.deletedAtMs === null) deleteAlbum(ctx, album, false);
    publishConfigUpdated(ctx);
    ok(x, 'Albums deleted');
  });
}
