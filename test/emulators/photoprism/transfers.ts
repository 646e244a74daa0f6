import { createHash, randomBytes } from 'node:crypto';
import type { EmulatorContext } from './context';
import { publishConfigUpdated, requireSession } from './context';
import type { Router } from './http';
import type { FileRec, PhotoRec } from './model';
import { addToAlbum } from './albums';

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
}

/** The state of uploads: staged files per session + token, and the bytes of imported originals. */
export class TransferState {
  readonly switches: TransferSwitches = {
    uploadDisabled: false,
    importDisabled: false,
    rejectNsfw: false,
    originalsLimitMb: 0,
    diskFull: false,
    proxyBodyLimitBytes: 0,
  };
  readonly #staged = new Map<string, Array<{ name: string; bytes: Buffer }>>();
  /** Original bytes by SHA-1 (uploaded ones; generated photos get a deterministic JPEG). */
  readonly originals = new Map<string, Buffer>();

  stage(key: string, files: ReadonlyArray<{ name: string; bytes: Buffer }>): void {
    this.#staged.set(key, [...(this.#staged.get(key) ?? []), ...files]);
  }

  unstage(key: string, names: ReadonlySet<string>): void {
    this.#staged.set(
      key,
      (this.#staged.get(key) ?? []).filter((f) => !names.has(f.name)),
    );
  }

  take(key: string): Array<{ name: string; bytes: Buffer }> {
    const files = this.#staged.get(key) ?? [];
    this.#staged.delete(key);
    return files;
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

/** Parse a multipart/form-data body into its file parts (the emulator's stand-in for gin's MultipartForm). */
export function parseMultipart(contentType: string, body: Buffer): Array<{ field: string; name: string; bytes: Buffer }> | null {
  const match = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!/^multipart\/form-data/i.test(contentType) || !boundary) return null;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Array<{ field: string; name: string; bytes: Buffer }> = [];
  let at = body.indexOf(delimiter);
  if (at < 0) return null;
  for (;;) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') return parts;
    const headerEnd = body.indexOf('\r\n\r\n', start);
    if (headerEnd < 0) return null;
    const headers = body.subarray(start + 2, headerEnd).toString('utf8');
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd + 4);
    if (next < 0) return null;
    const disposition = /content-disposition:[^\r\n]*\bname="([^"]*)"(?:;\s*filename="([^"]*)")?/i.exec(headers);
    if (disposition?.[2] !== undefined) {
      parts.push({ field: disposition[1] ?? '', name: disposition[2], bytes: body.subarray(headerEnd + 4, next) });
    }
    at = next + 2;
  }
}

function newPhotoUid(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  return `p${[...randomBytes(15)].map((b) => alphabet[b % 36]).join('')}`;
}

/** A photo entry for an imported file, as the indexer would make one (title from the file name). */
function importedPhoto(ctx: EmulatorContext, name: string, bytes: Buffer, hash: string): PhotoRec | undefined {
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
    takenSrc: 'auto',
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
    quality: 3,
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
    size: bytes.length,
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
  return photo;
}

/** Registers the upload, import and download routes. */
export function registerTransferRoutes(router: Router, ctx: EmulatorContext, state: TransferState): void {
  const uploadKey = (sessionId: string, token: string) => `${sessionId}:${token}`;
  /** clean.Token: letters, digits and a few marks; anything else is dropped. */
  const cleanToken = (token: string) => token.replace(/[^a-zA-Z0-9_\-.]/g, '');

  router.on('POST', '/api/v1/users/:uid/upload/:token', (x) => {
    const limit = state.switches.proxyBodyLimitBytes;
    if (limit > 0 && Number(x.header('content-length')) > limit) {
      // nginx's own page (ngx_http_special_response.c), not PhotoPrism's JSON.
      x.send(413, 'text/html', Buffer.from('<html><head><title>413 Request Entity Too Large</title></head></html>'));
      return;
    }
    if (state.switches.uploadDisabled) return x.error(403, 'Not available in read-only mode');
    const session = requireSession(ctx, x, 'files', 'create');
    if (!session) return;
    if (session.user.uid !== (x.params['uid'] ?? '')) return x.error(403, 'Permission denied');
    const files = parseMultipart(x.header('content-type'), x.raw);
    if (!files) return x.error(400, 'Upload failed');
    const uploads = files
      .filter((f) => f.field === 'files')
      .map((f) => ({ name: f.name.split(/[\\/]/).pop() ?? f.name, bytes: Buffer.from(f.bytes) }));
    const key = uploadKey(session.id, cleanToken(x.params['token'] ?? ''));
    ctx.hub.publish('upload.start', { uid: session.user.uid });
    if (state.switches.diskFull) return x.error(400, 'Upload failed');
    state.stage(key, uploads);
    for (const f of uploads) ctx.hub.publish('upload.saved', { uid: session.user.uid, file: f.name });
    if (state.switches.rejectNsfw && uploads.some((f) => /nsfw/i.test(f.name))) {
      // Every file of THIS request is deleted, not the earlier ones (UploadUserFiles).
      state.unstage(key, new Set(uploads.map((f) => f.name)));
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
      if (limitBytes > 0 && file.bytes.length > limitBytes) continue;
      const hash = createHash('sha1').update(file.bytes).digest('hex');
      // A file whose content is already indexed is a duplicate: not imported again (import_worker.go).
      if (ctx.store.filesByHash.has(hash)) continue;
      const photo = importedPhoto(ctx, file.name, file.bytes, hash);
      if (!photo) continue;
      ctx.store.addPhoto(photo);
      state.originals.set(hash, file.bytes);
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
