import { AlbumUid, PHOTO_UID_PATTERN } from '../../shared/ids';
import type { PhotoMetadata } from '../../shared/library/schemas';
import type { PhotoDetailEntity, SearchAlbum, SearchFile, SearchPhoto } from '../photoprism/schemas';
import { ZERO_TIME_PREFIX } from '../photoprism/schemas';
import type { AlbumRecord, PhotoRecord } from './library-repo';
import { toFacets } from './offline-search';

/**
 * Joins file rows into photos across page boundaries.
 *
 * [Note: Rows are files]
 * PhotoPrism pages FILE rows (docs/photoprism-api.md §2.2). With `merged=true` consecutive rows of one photo come
 * back as one result with `Files`, but a photo can still be split across two pages: the web UI
 * appends `Files` when a page starts with the UID the previous page ended with, and so do we.
 * The last photo of a page is therefore held back until the next page (or `finish()`) shows
 * whether it continues.
 */
export class RowMerger {
  #held: SearchPhoto | undefined;

  /** Add one page; answers the photos known to be complete. */
  push(rows: readonly SearchPhoto[]): SearchPhoto[] {
    const done: SearchPhoto[] = [];
    for (const row of rows) {
      if (this.#held && this.#held.UID === row.UID) {
        this.#held = joinRows(this.#held, row);
        continue;
      }
      if (this.#held) done.push(this.#held);
      this.#held = row;
    }
    return done;
  }

  /** The held-back photo, once no more pages will come. */
  finish(): SearchPhoto[] {
    const held = this.#held;
    this.#held = undefined;
    return held ? [held] : [];
  }
}

function filesOf(row: SearchPhoto): SearchFile[] {
  if (row.Files && row.Files.length > 0) return row.Files;
  // Unmerged rows describe their one file at the top level.
  return [
    {
      UID: '',
      Name: row.FileName,
      Root: '',
      Hash: row.Hash,
      Size: 0,
      Primary: false,
      Sidecar: false,
      FileType: '',
      Width: row.Width,
      Height: row.Height,
    },
  ];
}

function joinRows(first: SearchPhoto, next: SearchPhoto): SearchPhoto {
  const seen = new Set(filesOf(first).map((f) => f.Hash));
  return { ...first, Files: [...filesOf(first), ...filesOf(next).filter((f) => !seen.has(f.Hash))] };
}

/**
 * The file whose thumbnail stands for the photo, as the web UI picks it (docs/photoprism-api.md §2.5):
 * the primary file, else the first JPEG/PNG, else the first non-sidecar file.
 */
export function thumbnailFile(row: SearchPhoto): SearchFile | undefined {
  const files = row.Files ?? [];
  return (
    files.find((f) => f.Primary) ??
    files.find((f) => f.FileType === 'jpg' || f.FileType === 'png') ??
    files.find((f) => !f.Sidecar && f.Root !== 'sidecar') ??
    files[0]
  );
}

/** The hash of the file a photo's thumbnails show (the cache's `thumbHash`); `file`: its thumbnailFile, when known. */
export function thumbHashOf(row: SearchPhoto, file: SearchFile | undefined = thumbnailFile(row)): string {
  return file?.Hash || row.Hash;
}

/**
 * A stack's number of versions, 0 when it is none: PhotoPrism shows an image with more than one
 * JPEG as a stack (PhotoPrism frontend/src/model/photo.js, isStack). A merged search row lists
 * every file but sidecars (PhotoPrism internal/entity/search/photos.go, searchPhotos), as the web
 * UI sees them.
 */
export function stackSizeOf(row: SearchPhoto): number {
  if (row.Type !== 'image' && row.Type !== '') return 0;
  const jpegs = (row.Files ?? []).filter((f) => f.FileType === 'jpg').length;
  return jpegs > 1 ? jpegs : 0;
}

/**
 * What PhotoPrism sends for a time (Go's RFC 3339 of a whole second, `2006-01-02T15:04:05Z`) or
 * our own normal form, with fields that every month has: such a text is its own normal form once
 * `.000` is added where the milliseconds are missing.
 */
const PLAIN_UTC = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{3})?Z$/;

/** ISO 8601 with millisecond precision (sortable as text); PhotoPrism's zero time for bad input. */
export function normaliseTime(value: string): string {
  // Every row of a full index has one or two: the common form skips Date's parse and print.
  if (PLAIN_UTC.test(value)) return value.length === 24 ? value : `${value.slice(0, 19)}.000Z`;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : '0001-01-01T00:00:00.000Z';
}

/**
 * The wall-clock time where a photo was taken, `YYYY-MM-DDTHH:MM:SS`.
 *
 * [Note: TakenAtLocal is not UTC]
 * PhotoPrism stores TakenAtLocal as a zone-less DATETIME and Go serialises it with a `Z`
 * (internal/entity/photo.go), so `Date.parse` would read 23:30 in New York as 23:30 UTC and any
 * conversion to the viewer's zone would move it. Like PhotoPrism's web UI
 * (frontend/src/model/photo.js, localDateString: `TakenAtLocal.substring(11, 19)`) we keep its
 * digits and drop the suffix. Without a usable TakenAtLocal the UTC time stands in, as the web UI
 * falls back to utcDate().
 */
export function localWallTime(takenAtLocal: string, takenAtUtc: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})/.exec(takenAtLocal);
  if (match) return `${match[1]}T${match[2]}`;
  return normaliseTime(takenAtUtc).slice(0, 19);
}

/** A non-negative whole number; 0 for what is not a number. */
function int(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.round(n)) : 0;
}

/** A merged search result as a cache row; undefined for a UID our contract would refuse. */
export function toPhotoRecord(row: SearchPhoto, options: { archived: boolean }): PhotoRecord | undefined {
  if (!PHOTO_UID_PATTERN.test(row.UID)) return undefined;
  const file = thumbnailFile(row);
  const deleted = row.DeletedAt !== '' && !row.DeletedAt.startsWith(ZERO_TIME_PREFIX);
  const takenAt = normaliseTime(row.TakenAt);
  return {
    uid: row.UID,
    title: row.Title,
    // 2025 servers renamed the photo caption (docs/photoprism-api.md §9.3).
    description: row.Caption || row.Description,
    takenAt,
    takenAtLocal: localWallTime(row.TakenAtLocal, takenAt),
    quality: row.Quality,
    width: int(file?.Width || row.Width),
    height: int(file?.Height || row.Height),
    type: row.Type || 'image',
    favorite: row.Favorite,
    private: row.Private,
    archived: options.archived || deleted,
    thumbHash: thumbHashOf(row, file),
    fileName: file?.Name || row.FileName,
    fileSizeBytes: int(file?.Size ?? 0),
    // Nanoseconds on the wire (Go's time.Duration); the cache keeps milliseconds.
    durationMs: int(row.Duration / 1e6),
    cameraModel: row.CameraModel,
    // LensMake holds the lens model: a server bug swaps the two (docs/photoprism-api.md §2.5).
    lensModel: row.LensMake || row.LensModel,
    iso: int(row.Iso),
    exposure: row.Exposure,
    fNumber: Number.isFinite(row.FNumber) && row.FNumber > 0 ? row.FNumber : 0,
    focalLengthMm: int(row.FocalLength),
    placeLabel: row.PlaceLabel,
    lat: Number.isFinite(row.Lat) ? row.Lat : 0,
    lng: Number.isFinite(row.Lng) ? row.Lng : 0,
    serverUpdatedAt: row.UpdatedAt,
    stackSize: stackSizeOf(row),
    facets: toFacets(row),
  };
}

/** An album search result as a cache row; undefined for a UID our contract would refuse. */
export function toAlbumRecord(album: SearchAlbum): AlbumRecord | undefined {
  if (!AlbumUid.safeParse(album.UID).success) return undefined;
  return {
    uid: album.UID,
    title: album.Title,
    favorite: album.Favorite,
    thumbHash: album.Thumb,
    serverPhotoCount: Math.max(0, Math.round(album.PhotoCount)),
    serverUpdatedAt: album.UpdatedAt,
  };
}

/** The info panel's files, keywords and labels from a photo entity (PhotoPrism GET /api/v1/photos/:uid). */
type DetailFile = PhotoDetailEntity['Files'][number];

/**
 * Which stack actions PhotoPrism's web UI offers on a file (PhotoPrism
 * frontend/src/dialog/photo/edit/files.vue, the "Primary" and "Unstack" buttons): primary for a
 * JPEG or PNG without an indexing error that is not primary yet; unstack for an original (root
 * `/`, not a sidecar) without an error that is not the primary file (the server refuses those
 * with 400: internal/api/photo_unstack.go, PhotoUnstack). The info panel shows these buttons and
 * the actions check them again against the server's current files.
 */
export function stackFileActions(file: DetailFile): { canBePrimary: boolean; canUnstack: boolean } {
  const usable = file.Error === '' && !file.Primary;
  return {
    canBePrimary: usable && (file.FileType === 'jpg' || file.FileType === 'png'),
    canUnstack: usable && !file.Sidecar && file.Root === '/',
  };
}

export function toPhotoMetadata(entity: PhotoDetailEntity): PhotoMetadata {
  return {
    files: entity.Files.map((file) => ({
      uid: file.UID,
      name: file.Name,
      fileType: file.FileType,
      mime: file.Mime,
      codec: file.Codec,
      sizeBytes: int(file.Size),
      width: int(file.Width),
      height: int(file.Height),
      durationMs: int(file.Duration / 1e6),
      primary: file.Primary,
      sidecar: file.Root === 'sidecar',
      ...stackFileActions(file),
    })),
    // A comma-separated string (PhotoPrism internal/entity/details.go, Keywords); duplicates dropped.
    keywords: [
      ...new Set(
        (entity.Details?.Keywords ?? '')
          .split(',')
          .map((word) => word.trim())
          .filter((word) => word.length > 0),
      ),
    ],
    labels: entity.Labels.filter((label) => (label.Label?.Name ?? '') !== '')
      .map((label) => ({ name: label.Label?.Name ?? '', uncertainty: Math.round(label.Uncertainty), source: label.LabelSrc }))
      // As PhotoPrism orders them (internal/entity/photo.go, `uncertainty ASC`): most certain first.
      .sort((a, b) => a.uncertainty - b.uncertainty),
  };
}
