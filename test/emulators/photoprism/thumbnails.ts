import type { EmulatorContext } from './context';
import type { Exchange, Router } from './http';
import { encodeFlatJpeg } from './flat-jpeg';
import type { FileRec } from './model';
import { sendWithRanges } from './videos';
import { slugify } from './util';
import { ZipWriter } from './zip-writer';

/**
 * Thumbnails, album covers and downloads (docs/photoprism-api.md §6, docs/photoprism-api.md §4.8). Images are REAL JPEGs made with
 * jpeg-js: a gradient whose colours come from the file hash, so every photo looks different and
 * the same photo always looks the same, sized by the size name like the real thumbnail sizes.
 * Error cases answer with SVG placeholders and the odd status codes of docs/photoprism-api.md §6.3.
 */

/** Size names with their box and mode (docs/photoprism-api.md §6.2). */
export const THUMB_SIZES: Record<string, { w: number; h: number; mode: 'fit' | 'crop' | 'resize' }> = {
  colors: { w: 3, h: 3, mode: 'resize' },
  tile_50: { w: 50, h: 50, mode: 'crop' },
  tile_100: { w: 100, h: 100, mode: 'crop' },
  left_224: { w: 224, h: 224, mode: 'crop' },
  right_224: { w: 224, h: 224, mode: 'crop' },
  tile_224: { w: 224, h: 224, mode: 'crop' },
  fit_720: { w: 720, h: 720, mode: 'fit' },
  tile_500: { w: 500, h: 500, mode: 'crop' },
  tile_1080: { w: 1080, h: 1080, mode: 'crop' },
  fit_1280: { w: 1280, h: 1024, mode: 'fit' },
  fit_1600: { w: 1600, h: 900, mode: 'fit' },
  fit_1920: { w: 1920, h: 1200, mode: 'fit' },
  fit_2048: { w: 2048, h: 2048, mode: 'fit' },
  fit_2560: { w: 2560, h: 1600, mode: 'fit' },
  fit_3840: { w: 3840, h: 2400, mode: 'fit' },
  fit_4096: { w: 4096, h: 4096, mode: 'fit' },
  fit_7680: { w: 7680, h: 4320, mode: 'fit' },
};

/** Sizes above the pre-cache limit (1920) are served as fit_1920 (docs/photoprism-api.md §6.3). */
const PRECACHE_LIMIT_PX = 1920;
const THUMB_CACHE_CONTROL = 'private, max-age=2592000, immutable';
const COVER_CACHE_CONTROL = 'private, max-age=3600';

/** The SVG placeholder icons of `/api/v1/svg/:name`. */
const SVG_ICONS: Record<string, string> = Object.fromEntries(
  ['photo', 'raw', 'file', 'video', 'label', 'portrait', 'folder', 'album', 'broken', 'uncached', 'user', 'face', 'camera'].map((name) => [
    name,
    `<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24" data-icon="${name}"><rect width="24" height="24" fill="#e0e0e0"/><path d="M4 18l5-6 4 5 3-3 4 4z" fill="#9e9e9e"/></svg>`,
  ]),
);

/** Pixel size of the image served for `size` from a file of `width`×`height`. */
export function thumbDimensions(sizeName: string, width: number, height: number): { w: number; h: number } | null {
  let size = THUMB_SIZES[sizeName];
  if (!size) return null;
  if (size.mode === 'fit' && Math.max(size.w, size.h) > PRECACHE_LIMIT_PX) size = THUMB_SIZES['fit_1920'] ?? size;
  if (size.mode !== 'fit') return { w: size.w, h: size.h };
  // Fit inside the box and never upscale.
  const scale = Math.min(size.w / width, size.h / height, 1);
  return { w: Math.max(1, Math.round(width * scale)), h: Math.max(1, Math.round(height * scale)) };
}

/**
 * What a real thumbnail weighs: PhotoPrism encodes thumbnails above 150 px at JPEG quality 83
 * (PhotoPrism internal/thumb/quality.go, JpegQuality and QualityMedium), about 0.15–0.25 bytes
 * per pixel for camera photos (our estimate); 0.18 puts a 1600×1200 fit_1920 near 350 KB.
 */
export const THUMB_BYTES_PER_PIXEL = 0.18;

/**
 * Renders the deterministic gradient JPEG for a file hash, at the real pixel size and about the
 * real byte size (flat-jpeg.ts: a few ms, so the emulator's own cost stays out of the client's
 * measurements).
 */
export function renderJpeg(hash: string, w: number, h: number): Buffer {
  return renderJpegSized(hash, w, h, Math.round(w * h * THUMB_BYTES_PER_PIXEL));
}

function renderJpegSized(hash: string, w: number, h: number, padToBytes: number): Buffer {
  const c = (i: number): number => Number.parseInt(hash.slice(i, i + 2), 16) || 0;
  const from = [c(0), c(2), c(4)] as const;
  const to = [c(6), c(8), c(10)] as const;
  const band = c(12) / 255;
  return encodeFlatJpeg(
    w,
    h,
    (x, y) => {
      const t = (x / Math.max(1, w - 1) + y / Math.max(1, h - 1)) / 2;
      // A lighter diagonal stripe makes photos with similar colours still tell apart.
      const stripe = Math.abs(t - band) < 0.04 ? 60 : 0;
      return [
        Math.min(255, from[0] + (to[0] - from[0]) * t + stripe),
        Math.min(255, from[1] + (to[1] - from[1]) * t + stripe),
        Math.min(255, from[2] + (to[2] - from[2]) * t + stripe),
      ];
    },
    { padToBytes },
  );
}

/**
 * An LRU of rendered thumbnails, as PhotoPrism keeps generated thumbnails in its cache folder
 * (thumbnails are pre-generated at index time: PhotoPrism internal/photoprism/mediafile_thumbs.go,
 * GenerateThumbnails). Bounded by bytes: 256 MB holds the fit_1280 and fit_1920 previews
 * of a few hundred photos, so a benchmark can warm it and then measure only the client.
 */
const THUMB_CACHE_BUDGET_BYTES = 256 * 1024 * 1024;

class ThumbCache {
  readonly #map = new Map<string, Buffer>();
  #bytes = 0;
  get(key: string, make: () => Buffer): Buffer {
    const hit = this.#map.get(key);
    if (hit) {
      this.#map.delete(key);
      this.#map.set(key, hit);
      return hit;
    }
    const made = make();
    this.#map.set(key, made);
    this.#bytes += made.length;
    for (const [oldKey, old] of this.#map) {
      if (this.#bytes <= THUMB_CACHE_BUDGET_BYTES) break;
      this.#map.delete(oldKey);
      this.#bytes -= old.length;
    }
    return made;
  }
}

function svg(x: Exchange, status: number, icon: string, cacheControl?: string): void {
  const body = Buffer.from(SVG_ICONS[icon] ?? SVG_ICONS['photo'] ?? '');
  x.send(status, 'image/svg+xml', body, cacheControl ? { 'Cache-Control': cacheControl } : {});
}

/**
 * A stub original (HEIC, RAW, video) is capped at this size: its bytes are never decoded, and a
 * 200 MB zero buffer per request would only slow the tests down.
 */
const ORIGINAL_STUB_MAX_BYTES = 1024 * 1024;

/** The full-size JPEG of an original, weighing what the stored file weighs (its `size`). */
function renderOriginalJpeg(file: FileRec): Buffer {
  const w = Math.max(1, file.width);
  const h = Math.max(1, file.height);
  return renderJpegSized(file.hash, w, h, Math.max(file.size, 0));
}

/** `<slug>.zip`, or `photoprism-album-<uid>.zip` for a title with no slug (PhotoPrism internal/entity/album.go, ZipName). */
export function albumZipName(title: string, uid: string): string {
  const slug = slugify(title);
  return `${slug.length < 2 ? `photoprism-album-${uid}` : slug}.zip`;
}

/**
 * A file's name in an album zip (PhotoPrism internal/entity/file.go, ShareBase): the local time
 * taken and the title as a capitalised slug, or the file hash when either is missing.
 */
export function shareBase(file: FileRec, seq: number): string {
  const photo = file.photo;
  if (file.hash.length < 8 || photo.takenAtLocalMs <= 0 || photo.title === '') return `${file.hash}.${file.fileType}`;
  const name = slugify(photo.title)
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('-');
  const taken = new Date(photo.takenAtLocalMs).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return seq > 0 ? `${taken}-${name} (${seq}).${file.fileType}` : `${taken}-${name}.${file.fileType}`;
}

/** Registers thumbnail, cover, SVG and download routes. */
export function registerThumbnailRoutes(
  router: Router,
  ctx: EmulatorContext,
  /** The bytes of an original uploaded through the emulator (transfers.ts), served as they came. */
  uploadedOriginal: (hash: string) => Buffer | undefined = () => undefined,
): void {
  const cache = new ThumbCache();
  const serveImage = (x: Exchange, file: FileRec, sizeName: string, cacheControl: string): void => {
    const dims = thumbDimensions(sizeName, file.width, file.height);
    if (!dims) return svg(x, 200, 'photo');
    const body = cache.get(`${file.hash}/${dims.w}x${dims.h}`, () => renderJpeg(file.hash, dims.w, dims.h));
    const headers: Record<string, string> = {
      'Cache-Control': cacheControl,
      'Last-Modified': new Date(file.updatedAtMs).toUTCString(),
    };
    if (x.query('download') === '1' || x.query('download') === 'true') {
      headers['Content-Disposition'] = `attachment; filename="${file.name.split('/').pop() ?? 'thumb'}_${sizeName}.jpg"`;
    }
    x.send(200, 'image/jpeg', body, headers);
  };

  router.on('GET', '/api/v1/t/:hash/:token/:size', (x) => {
    // Preview and download tokens are checked separately from sessions and survive logout.
    if (!ctx.auth.mediaTokenValid(x.params['token'] ?? '')) return svg(x, 403, 'broken');
    const hash = (x.params['hash'] ?? '').split('-')[0] ?? '';
    const file = ctx.store.filesByHash.get(hash);
    const size = x.params['size'] ?? '';
    if (!THUMB_SIZES[size] || !file) return svg(x, 200, 'photo');
    serveImage(x, file, size, THUMB_CACHE_CONTROL);
  });

  router.on('GET', '/api/v1/albums/:uid/t/:token/:size', (x) => {
    if (!ctx.auth.mediaTokenValid(x.params['token'] ?? '')) return svg(x, 403, 'broken');
    const album = ctx.store.liveAlbum(x.params['uid'] ?? '');
    const size = x.params['size'] ?? '';
    const file = album && album.thumb !== '' ? ctx.store.filesByHash.get(album.thumb) : undefined;
    if (!file || !THUMB_SIZES[size]) return svg(x, 200, 'album', COVER_CACHE_CONTROL);
    serveImage(x, file, size, COVER_CACHE_CONTROL);
  });

  router.on('GET', '/api/v1/svg/:name', (x) => {
    const name = x.params['name'] ?? '';
    if (!SVG_ICONS[name]) return x.json(404, { error: 'Not found' });
    svg(x, 200, name);
  });

  /**
   * An original file (PhotoPrism internal/api/download_file.go, GetDownload):
   * - a token that is not a DOWNLOAD token (a preview token included) → 403 with the broken SVG
   *   (InvalidDownloadToken; `?t=` is the only place it is read);
   * - no file with that hash → 404 with a JSON error (query.FileByHash failed);
   * - the file is gone from disk → 404 with the broken SVG (and it is flagged missing);
   * - else the bytes as an attachment named like the file (c.FileAttachment, DownloadName
   *   "file" by default), with byte ranges as http.ServeContent answers them.
   * A JPEG original is a real JPEG at the file's full pixel size and about its stored weight, so
   * a viewer that zooms past its previews gets more pixels than any preview has; other types
   * (HEIC, RAW, video) carry a stub of the stored size with their MIME type.
   */
  const originalBytes = (file: FileRec): Buffer =>
    uploadedOriginal(file.hash) ??
    (file.mime === 'image/jpeg'
      ? cache.get(`${file.hash}/original`, () => renderOriginalJpeg(file))
      : Buffer.alloc(Math.min(file.size, ORIGINAL_STUB_MAX_BYTES)));
  const download = (x: Exchange, file: FileRec | undefined): void => {
    if (!ctx.auth.downloadTokenValid(x.query('t'))) return svg(x, 403, 'broken');
    if (!file) return x.json(404, { error: 'record not found' });
    if (ctx.store.missingOriginals.has(file.hash)) return svg(x, 404, 'broken');
    const fileName = file.name.split('/').pop() ?? 'download';
    const headers = {
      'Content-Disposition': `attachment; filename="${fileName}"`,
      'Last-Modified': new Date(file.updatedAtMs).toUTCString(),
    };
    sendWithRanges(x, originalBytes(file), file.mime || 'application/octet-stream', headers);
  };
  router.on('GET', '/api/v1/dl/:hash', (x) => download(x, ctx.store.filesByHash.get(x.params['hash'] ?? '')));
  /**
   * An album as a zip (PhotoPrism internal/api/download_album.go, DownloadAlbum):
   * - not a DOWNLOAD token → 403 `Permission denied` (AbortForbidden; JSON here, not the SVG);
   * - the `download` feature off → 403 `Feature disabled` (AbortFeatureDisabled);
   * - no such album → 404 `Album not found`;
   * - else the zip is written AS IT IS MADE: no Content-Length (chunked), no ranges, named
   *   `<slug>.zip` (entity/album.go, ZipName). It holds the files of the album's photos as
   *   search.AlbumPhotos(a, 10000, true) finds them (shared=true: not private, archived or in
   *   review), sidecars left out, each named `<YYYYMMDD-HHMMSS>-<Title-Slug>.<type>` with
   *   ` (n)` for a repeated name (entity/file.go, ShareBase), stored uncompressed.
   */
  router.on('GET', '/api/v1/albums/:uid/dl', (x) => {
    if (!ctx.auth.downloadTokenValid(x.query('t'))) return x.error(403, 'Permission denied');
    if (!ctx.config.feature('download')) return x.error(403, 'Feature disabled');
    const album = ctx.store.liveAlbum(x.params['uid'] ?? '');
    if (!album) return x.error(404, 'Album not found');
    const members = [...album.members.values()].filter((m) => !m.hidden).sort((m1, m2) => m1.order - m2.order);
    const files: FileRec[] = [];
    for (const member of members.slice(0, 10_000)) {
      const photo = ctx.store.photosByUid.get(member.photoUid);
      if (!photo || photo.deletedAtMs !== null || photo.private || photo.quality < 3) continue;
      files.push(...photo.files.filter((file) => file.root !== 'sidecar' && file.hash !== '' && file.name !== ''));
    }
    x.res.statusCode = 200;
    x.res.setHeader('Content-Disposition', `attachment; filename=${albumZipName(album.title, album.uid)}`);
    x.res.setHeader('Content-Type', 'application/zip');
    const zip = new ZipWriter((chunk) => x.res.write(chunk));
    const aliases = new Map<string, number>();
    for (const file of files) {
      if (ctx.store.missingOriginals.has(file.hash)) continue; // "not found": logged and left out
      let alias = shareBase(file, 0);
      const key = alias.toLowerCase();
      const seq = aliases.get(key) ?? 0;
      if (seq > 0) alias = shareBase(file, seq);
      aliases.set(key, seq + 1);
      zip.add(alias, originalBytes(file), file.updatedAtMs);
    }
    zip.end();
    x.res.end();
  });
  router.on('GET', '/api/v1/photos/:uid/dl', (x) => {
    const photo = ctx.store.photosByUid.get(x.params['uid'] ?? '');
    download(x, photo?.files.find((f) => f.primary) ?? photo?.files[0]);
  });
}
