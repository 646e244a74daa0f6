import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { UserRec } from './auth';
import type { EmulatorContext } from './context';
import { addToAlbum, createAlbum, deleteAlbum, removeFromAlbum } from './albums';
import { archivePhotos, deletePhotosPermanently, restorePhotos } from './batch';
import type { FaultSettings } from './faults';
import type { PhotoUpdate } from './photos';
import { NotFoundError, PhotoUpdate as PhotoUpdateSchema, approvePhoto, setFavorite, updatePhoto } from './photos';
import { goTime, goTimeOrNull } from './util';
import { subjectsOf } from './people';

/**
 * The test harness's control panel: fault injection and direct library changes "as the
 * PhotoPrism web UI would" (same store changes and WebSocket events as the API), plus a snapshot
 * of the server truth. Available in-process and as JSON endpoints under `/_admin/...`.
 */

/** One photo in a snapshot. */
export interface SnapshotPhoto {
  UID: string;
  Title: string;
  Type: string;
  Favorite: boolean;
  Private: boolean;
  Archived: boolean;
  DeletedAt: string | null;
  TakenAt: string;
  /** Wall-clock time where the photo was taken, serialised with a `Z` like PhotoPrism does. */
  TakenAtLocal: string;
  TimeZone: string;
  /** The photo caption (`Description` before 2025, `Caption` after; docs/photoprism-api.md §9.3). */
  Caption: string;
  /** Details.Keywords as stored: unique lower-case words, ", "-joined. */
  Keywords: string;
  UpdatedAt: string;
  EditedAt: string | null;
  Quality: number;
  Files: Array<{ UID: string; Hash: string; Primary: boolean }>;
  /** Albums in which the photo is a visible member. */
  Albums: string[];
  /** What search filters on: year taken (local), camera and lens models, label slugs, people's names, city. */
  Year: number;
  CameraModel: string;
  LensModel: string;
  Labels: string[];
  People: string[];
  City: string;
  /** The rest of what `PUT /photos/:uid` edits (PhotoPrism internal/form/photo.go). */
  Country: string;
  Iso: number;
  Exposure: string;
  FNumber: number;
  FocalLength: number;
  CameraSrc: string;
  Scan: boolean;
  Panorama: boolean;
  Stack: number;
}

/** One album in a snapshot (deleted ones included, with `DeletedAt` set). */
export interface SnapshotAlbum {
  UID: string;
  Title: string;
  Favorite: boolean;
  Private: boolean;
  Thumb: string;
  UpdatedAt: string;
  DeletedAt: string | null;
  /** Visible (non-hidden) members that still exist, in insertion order. */
  PhotoUIDs: string[];
}

/** The server truth, for comparing a client cache against it. */
export interface EmulatorSnapshot {
  photos: SnapshotPhoto[];
  /** Manual albums (type "album"); generated ones are left out. */
  albums: SnapshotAlbum[];
}

/** The harness API (also served over HTTP, see README.md). */
export interface PhotoPrismAdmin {
  /** Latency (ms before each API response), error rate (0..1 of 500s), down/up, lost answers. */
  setFault(fault: FaultSettings): Promise<void>;
  /** Closes the listener so connections are refused. */
  goDown(): Promise<void>;
  /** Listens again on the same port. */
  goUp(): Promise<void>;
  /** While on, WebSocket events are dropped (not delivered). */
  dropSocketEvents(on: boolean): void;
  /**
   * Restarts the server process: open WebSockets drop and the in-memory preview/download token
   * map empties (see Auth.restart); sessions, stored in the database, survive.
   */
  restart(): void;
  /**
   * Every API request answers 301 to `origin` + its URI (a reverse proxy in front of a moved
   * server); null serves normally again. Admin requests are never redirected.
   */
  redirectTo(origin: string | null): void;
  /** Expires all login sessions now (app passwords too if asked). */
  expireSessions(options?: { includeAppPasswords?: boolean }): void;
  likePhoto(uid: string): void;
  unlikePhoto(uid: string): void;
  updatePhoto(uid: string, patch: PhotoUpdate): void;
  /** Approve a photo in Review, as the web UI's Approve button does. */
  approvePhoto(uid: string): void;
  /**
   * Turn `settings.features` switches on or off (e.g. `{review: false, private: false}`), as an
   * admin does in PhotoPrism's Settings → General.
   */
  setFeatures(features: Record<string, boolean>): void;
  archivePhotos(uids: readonly string[]): void;
  restorePhotos(uids: readonly string[]): void;
  deletePhotos(uids: readonly string[]): void;
  /** Creates (or dedupes, docs/photoprism-api.md §4.3) an album owned by the admin user. */
  createAlbum(title: string): SnapshotAlbum;
  addToAlbum(albumUid: string, photoUids: readonly string[]): void;
  removeFromAlbum(albumUid: string, photoUids: readonly string[]): void;
  /** Deletes an album as another client would (PhotoPrism internal/api/album.go, DeleteAlbum: a soft delete). */
  deleteAlbum(albumUid: string): void;
  /** Deletes a photo's original files from "disk" (not from the index): downloads of them answer 404. */
  removeOriginal(uid: string): void;
  snapshot(): EmulatorSnapshot;
  photoUids(): string[];
  /** Every WebSocket event published so far (delivered or dropped). */
  publishedEvents(): ReadonlyArray<{ event: string; data: unknown }>;
}

/** Hooks the admin needs from the server. */
export interface AdminHooks {
  redirectTo(origin: string | null): void;
  setFault(fault: FaultSettings): void;
  goDown(): Promise<void>;
  goUp(): Promise<void>;
}

function albumSnapshot(ctx: EmulatorContext, uid: string): SnapshotAlbum {
  const a = ctx.store.albumsByUid.get(uid);
  if (!a) throw new NotFoundError(uid);
  return {
    UID: a.uid,
    Title: a.title,
    Favorite: a.favorite,
    Private: a.private,
    Thumb: a.thumb,
    UpdatedAt: goTime(a.updatedAtMs),
    DeletedAt: goTimeOrNull(a.deletedAtMs),
    PhotoUIDs: ctx.store.visibleMembers(a).map((p) => p.uid),
  };
}

/** Builds the in-process admin object. */
export function createAdmin(ctx: EmulatorContext, owner: UserRec, hooks: AdminHooks): PhotoPrismAdmin {
  const album = (uid: string) => {
    const a = ctx.store.liveAlbum(uid);
    if (!a) throw new NotFoundError(`Album ${uid} not found`);
    return a;
  };
  return {
    async setFault(fault) {
      hooks.setFault(fault);
      if (fault.down === true) await hooks.goDown();
      if (fault.down === false) await hooks.goUp();
    },
    goDown: () => hooks.goDown(),
    goUp: () => hooks.goUp(),
    dropSocketEvents: (on) => ctx.hub.setDropEvents(on),
    redirectTo: (origin) => hooks.redirectTo(origin),
    restart() {
      ctx.hub.terminateAll();
      ctx.auth.restart();
    },
    expireSessions: (options) => ctx.auth.expireAll(options?.includeAppPasswords ?? false),
    likePhoto: (uid) => void setFavorite(ctx, uid, true),
    unlikePhoto: (uid) => void setFavorite(ctx, uid, false),
    updatePhoto: (uid, patch) => void updatePhoto(ctx, uid, patch),
    approvePhoto: (uid) => void approvePhoto(ctx, uid),
    setFeatures: (features) => {
      ctx.config.setFeatures(features);
      ctx.store.bump();
    },
    archivePhotos: (uids) => archivePhotos(ctx, uids),
    restorePhotos: (uids) => restorePhotos(ctx, uids),
    deletePhotos: (uids) => void deletePhotosPermanently(ctx, uids),
    removeOriginal: (uid) => {
      const photo = ctx.store.photosByUid.get(uid);
      if (!photo) throw new NotFoundError(uid);
      for (const file of photo.files) ctx.store.missingOriginals.add(file.hash);
    },
    createAlbum: (title) => albumSnapshot(ctx, createAlbum(ctx, title, owner.uid).album.uid),
    addToAlbum: (albumUid, photoUids) => void addToAlbum(ctx, album(albumUid), photoUids),
    removeFromAlbum: (albumUid, photoUids) => void removeFromAlbum(ctx, album(albumUid), photoUids),
    deleteAlbum: (albumUid) => deleteAlbum(ctx, album(albumUid)),
    snapshot() {
      const memberOf = new Map<string, string[]>();
      for (const a of ctx.store.albums) {
        if (a.deletedAtMs !== null) continue;
        for (const m of a.members.values()) {
          if (m.hidden) continue;
          const list = memberOf.get(m.photoUid) ?? [];
          list.push(a.uid);
          memberOf.set(m.photoUid, list);
        }
      }
      return {
        photos: ctx.store.photos.map((p) => ({
          UID: p.uid,
          Title: p.title,
          Type: p.type,
          Favorite: p.favorite,
          Private: p.private,
          Archived: p.deletedAtMs !== null,
          DeletedAt: goTimeOrNull(p.deletedAtMs),
          TakenAt: goTime(p.takenAtMs),
          TakenAtLocal: goTime(p.takenAtLocalMs),
          TimeZone: p.timeZone,
          Caption: p.description,
          Keywords: p.details.keywords,
          UpdatedAt: goTime(p.updatedAtMs),
          EditedAt: goTimeOrNull(p.editedAtMs),
          Quality: p.quality,
          Files: p.files.map((f) => ({ UID: f.uid, Hash: f.hash, Primary: f.primary })),
          Albums: memberOf.get(p.uid) ?? [],
          Year: p.year,
          CameraModel: p.camera.model,
          LensModel: p.lens.model,
          Labels: p.labels.map((l) => l.slug),
          People: subjectsOf(p, ctx.store).map((j) => j.name),
          City: p.place.city,
          Country: p.country,
          Iso: p.iso,
          Exposure: p.exposure,
          FNumber: p.fNumber,
          FocalLength: p.focalLength,
          CameraSrc: p.cameraSrc,
          Scan: p.scan,
          Panorama: p.panorama,
          Stack: p.stack,
        })),
        // Manual albums only: the generated ones (calendar, places, folders, moments) are saved
        // searches without members, listed by the browse endpoints (browse-data.ts).
        albums: ctx.store.albums.filter((a) => a.type === 'album').map((a) => albumSnapshot(ctx, a.uid)),
      };
    },
    photoUids: () => ctx.store.photos.map((p) => p.uid),
    publishedEvents: () => ctx.hub.published,
  };
}

const UidList = z.object({ photos: z.array(z.string()) });
const FaultBody = z.object({
  latencyMs: z.number().optional(),
  errorRate: z.number().optional(),
  down: z.boolean().optional(),
  dropResponsesAfterApply: z.number().int().min(0).optional(),
});

/** Info the `/_admin/info` endpoint returns (the same as the emulator's public fields). */
export type AdminInfo = () => Record<string, unknown>;

/**
 * Serves the admin API as JSON under `/_admin/...`; returns false for paths it does not know.
 * Errors: 404 `{"error"}` for unknown entities, 400 for bad bodies.
 */
export function createAdminHttpHandler(admin: PhotoPrismAdmin, info: AdminInfo, requests: () => unknown[], clearRequests: () => void) {
  return async (req: IncomingMessage, res: ServerResponse, body: string): Promise<boolean> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const send = (status: number, value: unknown): true => {
      const text = JSON.stringify(value ?? { ok: true });
      res.statusCode = status;
      res.setHeader('Content-Type', 'application/json; charset=utf-8');
      res.setHeader('Cache-Control', 'no-store');
      res.end(text);
      return true;
    };
    let json: unknown = {};
    if (body.trim() !== '') {
      try {
        json = JSON.parse(body);
      } catch {
        return send(400, { error: 'Body is not JSON' });
      }
    }
    const photos = (): string[] => UidList.parse(json).photos;
    try {
      let m: RegExpExecArray | null;
      if (method === 'GET' && path === '/_admin/info') return send(200, info());
      if (method === 'GET' && path === '/_admin/snapshot') return send(200, admin.snapshot());
      if (method === 'GET' && path === '/_admin/photo-uids') return send(200, admin.photoUids());
      if (method === 'GET' && path === '/_admin/requests') return send(200, requests());
      if (method === 'DELETE' && path === '/_admin/requests') {
        clearRequests();
        return send(200, { ok: true });
      }
      if (method === 'GET' && path === '/_admin/events') return send(200, admin.publishedEvents());
      if (method === 'POST' && path === '/_admin/fault') {
        const f = FaultBody.parse(json);
        const settings: FaultSettings = {};
        if (f.latencyMs !== undefined) settings.latencyMs = f.latencyMs;
        if (f.errorRate !== undefined) settings.errorRate = f.errorRate;
        if (f.down !== undefined) settings.down = f.down;
        if (f.dropResponsesAfterApply !== undefined) settings.dropResponsesAfterApply = f.dropResponsesAfterApply;
        await admin.setFault(settings);
        return send(200, { ok: true });
      }
      if (method === 'POST' && path === '/_admin/down') return (await admin.goDown(), send(200, { ok: true }));
      if (method === 'POST' && path === '/_admin/up') return (await admin.goUp(), send(200, { ok: true }));
      if (method === 'POST' && path === '/_admin/drop-socket-events') {
        admin.dropSocketEvents(z.object({ on: z.boolean() }).parse(json).on);
        return send(200, { ok: true });
      }
      if (method === 'POST' && path === '/_admin/redirect') {
        admin.redirectTo(z.object({ origin: z.string().nullable() }).parse(json).origin);
        return send(200, { ok: true });
      }
      if (method === 'POST' && path === '/_admin/restart') return (admin.restart(), send(200, { ok: true }));
      if (method === 'POST' && path === '/_admin/expire-sessions') {
        const b = z.object({ includeAppPasswords: z.boolean().optional() }).parse(json);
        admin.expireSessions({ includeAppPasswords: b.includeAppPasswords ?? false });
        return send(200, { ok: true });
      }
      if (method === 'POST' && (m = /^\/_admin\/photos\/([^/]+)\/remove-original$/.exec(path))) {
        admin.removeOriginal(m[1] ?? '');
        return send(200, { ok: true });
      }
      if ((m = /^\/_admin\/photos\/([^/]+)\/like$/.exec(path))) {
        const uid = m[1] ?? '';
        if (method === 'POST') admin.likePhoto(uid);
        else if (method === 'DELETE') admin.unlikePhoto(uid);
        else return false;
        return send(200, { ok: true });
      }
      if (method === 'POST' && (m = /^\/_admin\/photos\/([^/]+)\/approve$/.exec(path))) {
        return (admin.approvePhoto(m[1] ?? ''), send(200, { ok: true }));
      }
      if (method === 'POST' && path === '/_admin/features') {
        return (admin.setFeatures(z.record(z.string(), z.boolean()).parse(json)), send(200, { ok: true }));
      }
      if (method === 'POST' && path === '/_admin/photos/archive') return (admin.archivePhotos(photos()), send(200, { ok: true }));
      if (method === 'POST' && path === '/_admin/photos/restore') return (admin.restorePhotos(photos()), send(200, { ok: true }));
      if (method === 'POST' && path === '/_admin/photos/delete') return (admin.deletePhotos(photos()), send(200, { ok: true }));
      if (method === 'PUT' && (m = /^\/_admin\/photos\/([^/]+)$/.exec(path))) {
        admin.updatePhoto(m[1] ?? '', PhotoUpdateSchema.parse(json));
        return send(200, { ok: true });
      }
      if (method === 'POST' && path === '/_admin/albums') {
        return send(200, admin.createAlbum(z.object({ title: z.string() }).parse(json).title));
      }
      if ((m = /^\/_admin\/albums\/([^/]+)\/photos$/.exec(path))) {
        if (method === 'POST') admin.addToAlbum(m[1] ?? '', photos());
        else if (method === 'DELETE') admin.removeFromAlbum(m[1] ?? '', photos());
        else return false;
        return send(200, { ok: true });
      }
      return false;
    } catch (err) {
      if (err instanceof NotFoundError) return send(404, { error: `Not found: ${err.message}` });
      if (err instanceof z.ZodError) return send(400, { error: 'Invalid body', issues: err.issues });
      throw err;
    }
  };
}
