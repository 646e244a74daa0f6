import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EmulatorContext } from './context';
import { publishConfigUpdated, requireSession } from './context';
import type { Exchange, Router } from './http';
import type { FileRec, PhotoRec } from './model';
import { addToAlbum } from './albums';
import { drain, saveMultipartParts } from './multipart-stream';

/**
 * Upload, import and download (docs/photoprism-api.md §6.4, docs/photoprism-api.md §6.5):
 * - `POST /api/v1/users/:uid/upload/:token`, multipart `files`: stores the files in the session's
 *   upload folder (PhotoPrism internal/api/users_upload.go, UploadUserFiles);
 * - `PUT` the same path `{"albums":[…]}`: imports that folder, adds the new photos to the albums
 *   (ProcessUserUpload; internal/photoprism/import_worker.go);
 * - `GET /api/v1/dl/:hash?t=<download token>` serves uploaded originals as they came (thumbnails.ts, the one download route).
 *
 * Switches (admin API `setTransferSwitches`) model the server's configuration: read-only or upload
 * feature off, import feature off, `PHOTOPRISM_UPLOAD_NSFW=false` with a file the detector flags,
 * and `PHOTOPRISM_ORIGINALS_LIMIT` (MB; larger files are skipped by the indexer, not refused).
 */

export interface TransferSwitches {
  /** `conf.ReadOnly() || !Features.Upload` → 403 "Not available in read-only mode". */
  uploadDisabled: boolean;
  /** `conf.ReadOnly() || !Features.Import` on the import call → 403 "Feature disabled". */
  importDisabled: boolean;
  /**
   * `!conf.UploadNSFW()`: files the NSFW detector flags fail the whole upload (403 "Upload might be
   * offensive") and every file of that request is deleted. The emulator's "detector" flags file
   * names containing `nsfw`.
   */
  rejectNsfw: boolean;
  /** `OriginalsLimit` in MB (≤ 0 = none): bigger files are not indexed (internal/photoprism/index_options.go, ByteLimit). */
  originalsLimitMb: number;
  /**
   * `c.SaveUploadedFile` fails (the server's disk is full or its storage folder not writable):
   * 400 "Upload failed" (UploadUserFiles). The Dec 2024 code has no storage quota of its own.
   */
  diskFull: boolean;
  /**
   * A reverse proxy in front of PhotoPrism with a body limit (nginx `client_max_body_size`,
   * 1 MB by default; PhotoPrism's own docs/setup examples raise it): a bigger upload is refused
   * with 413 and the proxy's HTML page before PhotoPrism sees it. 0 = no proxy limit.
   */
  proxyBodyLimitBytes: number;
  /**
   * The indexer finds no capture date, no GPS position and under 2 megapixels in uploaded images
   * (a screenshot, an image whose metadata was stripped): their quality score is below 3, so they
   * land in Review, not in the library (PhotoPrism internal/entity/photo_quality.go, QualityScore).
   * Off: uploads carry a camera's capture date and size (score 3, the library).
   */
  uploadsWithoutMetadata: boolean;
}

/** A file in a session's upload folder, waiting for the import call. */
interface StagedFile {
  readonly name: string;
  readonly path: string;
  readonly sizeBytes: number;
  readonly sha1: string;
}

/**
 * The state of uploads: staged files per session + token, and imported originals, all on disk in
 * one folder per emulator (made on the first upload, removed by `dispose`), as PhotoPrism keeps
 * them in its storage and originals folders. See [Note: The emulator saves uploads to disk as they arrive].
 */
export class TransferState {
  readonly switches: TransferSwitches = {
    uploadDisabled: false,
    importDisabled: false,
    rejectNsfw: false,
    originalsLimitMb: 0,
    diskFull: false,
    proxyBodyLimitBytes: 0,
    uploadsWithoutMetadata: false,
  };
  readonly #staged = new Map<string, StagedFile[]>();
  /** Paths of imported originals by SHA-1 (uploaded ones; generated photos get a deterministic JPEG). */
  readonly #originals = new Map<string, string>();
  #root: string | undefined;

  /** The folder uploads are saved in (created once). */
  uploadDir(): string {
    this.#root ??= mkdtempSync(join(tmpdir(), 'pf-emulator-storage-'));
    return this.#root;
  }

  /** Files saved under one upload path: a name saved again replaces the earlier file, as `path.Join(uploadDir, fileName)` does. */
  stage(key: string, files: readonly StagedFile[]): void {
    const names = new Set(files.map((f) => f.name));
    const kept = (this.#staged.get(key) ?? []).filter((f) => {
      if (!names.has(f.name)) return true;
      rmSync(f.path, { force: true });
      return false;
    });
    this.#staged.set(key, [...kept, ...files]);
  }

  /** Delete files of one request (the NSFW refusal), not the earlier ones. */
  unstage(key: string, paths: ReadonlySet<string>): void {
    for (const path of paths) rmSync(path, { force: true });
    this.#staged.set(
      key,
      (this.#staged.get(key) ?? []).filter((f) => !paths.has(f.path)),
    );
  }

  take(key: string): StagedFile[] {
    const files = this.#staged.get(key) ?? [];
    this.#staged.delete(key);
    return files;
  }

  /** Move a staged file into the originals (the import's Move option) under its hash. */
  keepOriginal(file: StagedFile): void {
    const path = join(this.uploadDir(), `original-${file.sha1}`);
    renameSync(file.path, path);
    this.#originals.set(file.sha1, path);
  }

  /** The bytes of an imported original, or undefined. */
  original(hash: string): Buffer | undefined {
    const path = this.#originals.get(hash);
    return path === undefined ? undefined : readFileSync(path);
  }

  /** Remove every saved file (the emulator stops). */
  dispose(): void {
    if (this.#root !== undefined) rmSync(this.#root, { recursive: true, force: true });
    this.#root = undefined;
    this.#staged.clear();
    this.#originals.clear();
  }
}

/** The extensions the importer indexes (PhotoPrism pkg/fs/file_types.go, a subset); others are skipped. */
const MEDIA: Readonly<Record<string, { fileType: string; mediaType: string; mime: string; type: string }>> = {
  jpg: { fileType: 'jpg', mediaType: 'image', mime: 'image/jpeg', type: 'image' },
  jpeg: { fileType: 'jpg', mediaType: 'image', mime: 'image/jpeg', type: 'image' },
  png: { fileType: 'png', mediaType: 'image', mime: 'image/png', type: 'image' },
  heic: { fileType: 'heic', mediaType: 'image', mime: 'image/heic', type: 'image' },
  gif: { fileType: 'gif', mediaType: 'image', mime: 'image/gif', type: 'image' },
  webp: { fileType: 'webp', mediaType: 'image', mime: 'image/webp', type: 'image' },
  tif: { fileType: 'tiff', mediaType: 'image', mime: 'image/tiff', type: 'image' },
  tiff: { fileType: 'tiff', mediaType: 'image', mime: 'image/tiff', type: 'image' },
  dng: { fileType: 'dng', mediaType: 'raw', mime: 'image/dng', type: 'raw' },
  mp4: { fileType: 'mp4', mediaType: 'video', mime: 'video/mp4', type: 'video' },
  mov: { fileType: 'mov', mediaType: 'video', mime: 'video/quicktime', type: 'video' },
};

function newPhotoUid(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  return `p${[...randomBytes(15)].map((b) => alphabet[b % 36]).join('')}`;
}

/**
 * PhotoPrism's quality score (internal/entity/photo_quality.go, QualityScore): favourite +3, a date
 * from metadata +1, a trusted location +1, an old date or enough megapixels +1, photographic +1;
 * anything but a plain image (or an edited one) scores at least 3. Below 3 waits in Review.
 */
export function qualityScore(
  photo: Pick<PhotoRec, 'favorite' | 'takenSrc' | 'placeSrc' | 'lat' | 'lng' | 'takenAtMs' | 'resolution' | 'type' | 'editedAtMs'>,
): number {
  // SrcPriority (internal/entity/src.go): every source but "", auto, default and estimate ranks above estimate.
  const aboveEstimate = (src: string) => !['', 'auto', 'default', 'estimate'].includes(src);
  let score = photo.favorite ? 3 : 0;
  if (aboveEstimate(photo.takenSrc)) score++;
  // TrustedLocation (internal/entity/photo_location.go): a position, from a source above estimate.
  if ((photo.lat !== 0 || photo.lng !== 0) && aboveEstimate(photo.placeSrc)) score++;
  if (photo.takenAtMs < Date.UTC(2008, 0, 1)) score++;
  else if (photo.takenAtMs < Date.UTC(2012, 0, 1) && photo.resolution >= 1) score++;
  else if (photo.resolution >= 2) score++;
  // IsNonPhotographic: unknown, vector and animated types (and screenshot keywords, which uploads here have none of).
  if (!['', 'vector', 'animated'].includes(photo.type)) score++;
  if (score < 3 && (photo.type !== 'image' || photo.editedAtMs !== null)) score = 3;
  return score;
}

/** A photo entry for an imported file, as the indexer would make one (title from the file name). */
function importedPhoto(
  ctx: EmulatorContext,
  name: string,
  sizeBytes: number,
  hash: string,
  withoutMetadata: boolean,
): PhotoRec | undefined {
  const template = ctx.store.photos[0];
  const kind = MEDIA[name.split('.').pop()?.toLowerCase() ?? ''];
  if (!template || !kind) return undefined;
  const nowMs = ctx.now();
  const id = Math.max(0, ...ctx.store.photos.map((p) => p.id)) + 1;
  const base = name.replace(/\.[^.]*$/, '');
  const date = new Date(nowMs);
  const photo: PhotoRec = {
    ...template,
    id,
    uid: newPhotoUid(),
    type: kind.type,
    typeSrc: '',
    takenAtMs: nowMs,
    takenAtLocalMs: nowMs,
    // A camera's capture date (read from Exif) unless the file has none; the emulator does not read the bytes.
    takenSrc: withoutMetadata ? 'auto' : 'meta',
    timeZone: '',
    // The indexer titles a photo without metadata from its file name (internal/entity/photo_title.go).
    title: base,
    titleSrc: 'name',
    description: '',
    descriptionSrc: '',
    path: `upload/${date.getUTCFullYear()}`,
    name: base,
    originalName: name,
    favorite: false,
    private: false,
    placeSrc: '',
    lat: 0,
    lng: 0,
    resolution: withoutMetadata ? 0 : 12,
    quality: 0,
    labels: [],
    files: [],
    details: { ...template.details, keywords: '', keywordsSrc: '', notes: '', subject: '', artist: '', copyright: '', license: '' },
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
    editedAtMs: null,
    deletedAtMs: null,
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
  };
  const file: FileRec = {
    id: Math.max(0, ...ctx.store.photos.flatMap((p) => p.files.map((f) => f.id))) + 1,
    uid: `f${newPhotoUid().slice(1)}`,
    photo,
    name: `${photo.path}/${name}`,
    root: '/',
    hash,
    size: sizeBytes,
    primary: kind.mediaType === 'image',
    fileType: kind.fileType,
    mediaType: kind.mediaType,
    mime: kind.mime,
    codec: '',
    video: kind.mediaType === 'video',
    durationNs: 0,
    width: 1,
    height: 1,
    orientation: 1,
    mainColor: 'grey',
    error: '',
    createdAtMs: nowMs,
    updatedAtMs: nowMs,
  };
  photo.files = [file];
  photo.quality = qualityScore(photo);
  return photo;
}

/** Registers the upload, import and download routes. */
export function registerTransferRoutes(router: Router, ctx: EmulatorContext, state: TransferState): void {
  const uploadKey = (sessionId: string, token: string) => `${sessionId}:${token}`;
  /** clean.Token: letters, digits and a few marks; anything else is dropped. */
  const cleanToken = (token: string) => token.replace(/[^a-zA-Z0-9_\-.]/g, '');

  /** Answer a refusal once the body is read, as the emulator always did (the client's request ends cleanly). */
  const refuse = async (x: Exchange, answer: () => void): Promise<void> => {
    await drain(x.req);
    answer();
  };

  router.on('POST', '/api/v1/users/:uid/upload/:token', async (x) => {
    const limit = state.switches.proxyBodyLimitBytes;
    if (limit > 0 && Number(x.header('content-length')) > limit) {
      // nginx's own page (ngx_http_special_response.c), not PhotoPrism's JSON.
      return refuse(x, () =>
        x.send(413, 'text/html', Buffer.from('<html><head><title>413 Request Entity Too Large</title></head></html>')),
      );
    }
    if (state.switches.uploadDisabled) return refuse(x, () => x.error(403, 'Not available in read-only mode'));
    const session = requireSession(ctx, x, 'files', 'create');
    if (!session) return refuse(x, () => undefined);
    if (session.user.uid !== (x.params['uid'] ?? '')) return refuse(x, () => x.error(403, 'Permission denied'));
    if (state.switches.diskFull) {
      // The form is read, then saving the first file fails.
      return refuse(x, () => {
        ctx.hub.publish('upload.start', { uid: session.user.uid });
        x.error(400, 'Upload failed');
      });
    }
    let parts;
    try {
      parts = await saveMultipartParts(x.req, x.header('content-type'), state.uploadDir());
    } catch {
      // The client went away mid-body (a cancel), or the disk refused a write: nothing was kept.
      return x.error(400, 'Upload failed');
    }
    if (!parts) return x.error(400, 'Upload failed');
    const uploads = [];
    for (const part of parts) {
      // filepath.Base(file.Filename): a name that is no file ("", ".", "..") cannot be saved.
      const name = part.name.split(/[\\/]/).pop() ?? '';
      if (part.field !== 'files' || name === '' || name === '.' || name === '..') {
        rmSync(part.path, { force: true });
        if (part.field === 'files') return x.error(400, 'Upload failed');
        continue;
      }
      uploads.push({ name, path: part.path, sizeBytes: part.sizeBytes, sha1: part.sha1 });
    }
    const key = uploadKey(session.id, cleanToken(x.params['token'] ?? ''));
    ctx.hub.publish('upload.start', { uid: session.user.uid });
    state.stage(key, uploads);
    for (const f of uploads) ctx.hub.publish('upload.saved', { uid: session.user.uid, file: f.name });
    if (state.switches.rejectNsfw && uploads.some((f) => /nsfw/i.test(f.name))) {
      // Every file of THIS request is deleted, not the earlier ones (UploadUserFiles).
      state.unstage(key, new Set(uploads.map((f) => f.path)));
      return x.error(403, 'Upload might be offensive');
    }
    x.json(200, { code: 200, message: `${uploads.length} files uploaded in 0 s` });
  });

  router.on('PUT', '/api/v1/users/:uid/upload/:token', (x) => {
    const session = requireSession(ctx, x, 'files', 'create');
    if (!session) return;
    if (session.user.uid !== (x.params['uid'] ?? '')) return x.error(403, 'Permission denied');
    if (state.switches.importDisabled) return x.error(403, 'Feature disabled');
    const body = x.jsonBody();
    if (body === undefined) return;
    // form.UploadOptions: `albums` is a list of strings; anything else binds to none.
    const listed: unknown = body !== null && typeof body === 'object' ? (body as Record<string, unknown>)['albums'] : undefined;
    const albums = Array.isArray(listed) ? listed.filter((a): a is string => typeof a === 'string') : [];
    const limitBytes = state.switches.originalsLimitMb > 0 ? state.switches.originalsLimitMb * 1024 * 1024 : -1;
    const imported: PhotoRec[] = [];
    for (const file of state.take(uploadKey(session.id, cleanToken(x.params['token'] ?? '')))) {
      const photo =
        // Over the limit, the indexer skips it; a file whose content is already indexed is a duplicate,
        // removed and not imported again (index_options.go, ByteLimit; import_worker.go, RemoveExistingFiles).
        (limitBytes > 0 && file.sizeBytes > limitBytes) || ctx.store.filesByHash.has(file.sha1)
          ? undefined
          : importedPhoto(ctx, file.name, file.sizeBytes, file.sha1, state.switches.uploadsWithoutMetadata);
      if (!photo) {
        rmSync(file.path, { force: true });
        continue;
      }
      ctx.store.addPhoto(photo);
      state.keepOriginal(file);
      imported.push(photo);
    }
    // Albums are named by UID or title; the emulator resolves UIDs (what our client sends).
    for (const albumUid of albums) {
      const album = ctx.store.liveAlbum(albumUid);
      if (album)
        addToAlbum(
          ctx,
          album,
          imported.map((p) => p.uid),
        );
    }
    ctx.store.bump();
    ctx.hub.publish('notify.success', { message: 'Upload has been processed' });
    ctx.hub.publish('import.completed', { uid: session.user.uid });
    ctx.hub.publish('index.completed', { uid: session.user.uid });
    ctx.hub.publish('upload.completed', { uid: session.user.uid });
    publishConfigUpdated(ctx);
    x.json(200, { code: 200, message: 'Upload has been processed' });
  });
}
