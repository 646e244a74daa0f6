import { z } from 'zod';

/**
 * zod schemas for what a PhotoPrism server answers (spec: docs/photoprism-api.md).
 *
 * [Note: Tolerant parsing of PhotoPrism responses]
 * Objects strip unknown keys (zod's default), so new server fields never break us. Fields the
 * spec marks omitempty, or that versions add, rename or null out (docs/photoprism-api.md §9.3), are optional with a
 * default; only what we cannot work without (UIDs, hashes, times) is required. A response
 * that misses those is "not what PhotoPrism says" and becomes a `server` error, never a crash.
 */

const str = z
  .string()
  .nullish()
  .transform((v) => v ?? '');
const num = z
  .number()
  .nullish()
  .transform((v) => v ?? 0);
const bool = z
  .boolean()
  .nullish()
  .transform((v) => v ?? false);

/**
 * [Note: Lean search rows]
 * A full index parses every photo of the library (100k rows, ~60 keys each). With a
 * `nullish().transform()` per field, zod ran ~45 transforms per row, and that was most of the
 * parse (about 4× a validation without them). Search rows and their files are therefore
 * validated field by field with plain `nullish()` schemas (the same types, the same refusals,
 * unknown keys still stripped) and normalised ONCE per row by a single transform that applies the
 * same defaults the `str`/`num`/`bool` helpers above would.
 */
const wireStr = z.string().nullish();
const wireNum = z.number().nullish();
const wireBool = z.boolean().nullish();

const SearchFileWire = z.object({
  UID: wireStr,
  Name: wireStr,
  Root: wireStr,
  Hash: wireStr,
  Size: wireNum,
  Primary: wireBool,
  Sidecar: wireBool,
  FileType: wireStr,
  Width: wireNum,
  Height: wireNum,
});

/** One file inside a merged search result (`entity.File.MarshalJSON`, docs/photoprism-api.md §2.5). */
export interface SearchFile {
  readonly UID: string;
  readonly Name: string;
  readonly Root: string;
  readonly Hash: string;
  readonly Size: number;
  readonly Primary: boolean;
  readonly Sidecar: boolean;
  readonly FileType: string;
  readonly Width: number;
  readonly Height: number;
}

function toSearchFile(f: z.output<typeof SearchFileWire>): SearchFile {
  return {
    UID: f.UID ?? '',
    Name: f.Name ?? '',
    Root: f.Root ?? '',
    Hash: f.Hash ?? '',
    Size: f.Size ?? 0,
    Primary: f.Primary ?? false,
    Sidecar: f.Sidecar ?? false,
    FileType: f.FileType ?? '',
    Width: f.Width ?? 0,
    Height: f.Height ?? 0,
  };
}

export const SearchFile = SearchFileWire.transform(toSearchFile);

/** The wire shape of one `GET /api/v1/photos` row; see SearchPhoto for what each field means. */
const SearchPhotoWire = z.object({
  UID: z.string().min(1),
  Type: wireStr,
  TakenAt: z.string(),
  TakenAtLocal: wireStr,
  Quality: wireNum,
  Title: wireStr,
  Description: wireStr,
  Caption: wireStr,
  Favorite: wireBool,
  Private: wireBool,
  Iso: wireNum,
  FocalLength: wireNum,
  FNumber: wireNum,
  Exposure: wireStr,
  CameraModel: wireStr,
  LensMake: wireStr,
  LensModel: wireStr,
  Lat: wireNum,
  Lng: wireNum,
  PlaceLabel: wireStr,
  FileName: wireStr,
  Hash: wireStr,
  Width: wireNum,
  Height: wireNum,
  UpdatedAt: wireStr,
  Duration: wireNum,
  DeletedAt: wireStr,
  Files: z.array(SearchFileWire).nullish(),
  Path: wireStr,
  Name: wireStr,
  Year: wireNum,
  Month: wireNum,
  Day: wireNum,
  Country: wireStr,
  CameraID: wireNum,
  CameraMake: wireStr,
  LensID: wireNum,
  PlaceCity: wireStr,
  PlaceState: wireStr,
  Faces: wireNum,
});

/** One row of `GET /api/v1/photos` (`search.Photo`, docs/photoprism-api.md §2.5). Rows are files, not photos. */
export interface SearchPhoto {
  readonly UID: string;
  readonly Type: string;
  readonly TakenAt: string;
  /**
   * The wall-clock time where the photo was taken, serialised with a `Z` although it is not UTC
   * (Go's time.Time of PhotoPrism internal/entity/photo.go `TakenAtLocal`); the web UI reads its
   * digits as local time (frontend/src/model/photo.js, localDateString). Empty = unknown.
   */
  readonly TakenAtLocal: string;
  /**
   * `photo_quality`: below 3 the photo waits in Review (internal/entity/search/photos.go).
   * Missing (a proxy stripping it, a server we do not know) counts as reviewed, so nothing
   * disappears from the library on a guess.
   */
  readonly Quality: number;
  readonly Title: string;
  /** Until 2025; renamed `Caption` after (docs/photoprism-api.md §9.3). */
  readonly Description: string;
  readonly Caption: string;
  readonly Favorite: boolean;
  readonly Private: boolean;
  readonly Iso: number;
  readonly FocalLength: number;
  readonly FNumber: number;
  readonly Exposure: string;
  readonly CameraModel: string;
  /** Swapped with LensModel by a server bug (docs/photoprism-api.md §2.5): this key holds the lens MODEL. */
  readonly LensMake: string;
  readonly LensModel: string;
  readonly Lat: number;
  readonly Lng: number;
  readonly PlaceLabel: string;
  readonly FileName: string;
  readonly Hash: string;
  readonly Width: number;
  readonly Height: number;
  readonly UpdatedAt: string;
  /**
   * How long a video or Live photo plays, in NANOSECONDS (Go's time.Duration), omitted when 0
   * (PhotoPrism internal/entity/search/photos_results.go, Photo `PhotoDuration json:"Duration,omitempty"`).
   */
  readonly Duration: number;
  /** Present (non-zero) only for archived photos. */
  readonly DeletedAt: string;
  readonly Files: SearchFile[] | null | undefined;
  // What the offline search filters on (docs/photoprism-api.md §2.9); all optional, 0/'' = unknown.
  readonly Path: string;
  readonly Name: string;
  readonly Year: number;
  readonly Month: number;
  readonly Day: number;
  readonly Country: string;
  readonly CameraID: number;
  readonly CameraMake: string;
  readonly LensID: number;
  readonly PlaceCity: string;
  readonly PlaceState: string;
  readonly Faces: number;
}

/** The one normalisation of a validated row ([Note: Lean search rows]). */
function toSearchPhoto(r: z.output<typeof SearchPhotoWire>): SearchPhoto {
  const files = r.Files;
  return {
    UID: r.UID,
    Type: r.Type ?? '',
    TakenAt: r.TakenAt,
    TakenAtLocal: r.TakenAtLocal ?? '',
    Quality: typeof r.Quality === 'number' && Number.isFinite(r.Quality) ? Math.round(r.Quality) : 3,
    Title: r.Title ?? '',
    Description: r.Description ?? '',
    Caption: r.Caption ?? '',
    Favorite: r.Favorite ?? false,
    Private: r.Private ?? false,
    Iso: r.Iso ?? 0,
    FocalLength: r.FocalLength ?? 0,
    FNumber: r.FNumber ?? 0,
    Exposure: r.Exposure ?? '',
    CameraModel: r.CameraModel ?? '',
    LensMake: r.LensMake ?? '',
    LensModel: r.LensModel ?? '',
    Lat: r.Lat ?? 0,
    Lng: r.Lng ?? 0,
    PlaceLabel: r.PlaceLabel ?? '',
    FileName: r.FileName ?? '',
    Hash: r.Hash ?? '',
    Width: r.Width ?? 0,
    Height: r.Height ?? 0,
    UpdatedAt: r.UpdatedAt ?? '',
    Duration: r.Duration ?? 0,
    DeletedAt: r.DeletedAt ?? '',
    Files: files ? files.map(toSearchFile) : files,
    Path: r.Path ?? '',
    Name: r.Name ?? '',
    Year: r.Year ?? 0,
    Month: r.Month ?? 0,
    Day: r.Day ?? 0,
    Country: r.Country ?? '',
    CameraID: r.CameraID ?? 0,
    CameraMake: r.CameraMake ?? '',
    LensID: r.LensID ?? 0,
    PlaceCity: r.PlaceCity ?? '',
    PlaceState: r.PlaceState ?? '',
    Faces: r.Faces ?? 0,
  };
}

export const SearchPhoto = SearchPhotoWire.transform(toSearchPhoto);

/** A search page: validated row by row, each row normalised once ([Note: Lean search rows]). */
export const SearchPhotos = z
  .array(SearchPhotoWire)
  .nullable()
  .transform((rows) => (rows ?? []).map(toSearchPhoto));

/** One album of `GET /api/v1/albums` (`search.Album`, docs/photoprism-api.md §4.1). */
export const SearchAlbum = z.object({
  UID: z.string().min(1),
  Type: str,
  Title: str,
  Favorite: bool,
  Thumb: str,
  PhotoCount: num,
  UpdatedAt: str,
  /** Generated albums (docs/photoprism-api.md §12.3): where and when they are; the browse views group by these. */
  Location: str,
  Path: str,
  Country: str,
  State: str,
  Year: num,
  Month: num,
});
export type SearchAlbum = z.infer<typeof SearchAlbum>;

/** A person, `search.Subject` (docs/photoprism-api.md §12.1). */
export const SearchSubject = z.object({
  UID: z.string().min(1),
  Name: str,
  Slug: str,
  Favorite: bool,
  Hidden: bool,
  PhotoCount: num,
  Thumb: str,
});
export type SearchSubject = z.infer<typeof SearchSubject>;
export const SearchSubjects = z
  .array(SearchSubject)
  .nullable()
  .transform((v) => v ?? []);

/** A label, `search.Label` (docs/photoprism-api.md §12.2). */
export const SearchLabel = z.object({
  UID: z.string().min(1),
  Name: str,
  Slug: str,
  Favorite: bool,
  PhotoCount: num,
  Thumb: str,
});
export type SearchLabel = z.infer<typeof SearchLabel>;
export const SearchLabels = z
  .array(SearchLabel)
  .nullable()
  .transform((v) => v ?? []);

export const SearchAlbums = z
  .array(SearchAlbum)
  .nullable()
  .transform((v) => v ?? []);

/**
 * A photo entity as `PUT /photos/:uid` answers it, and inside `{"photo":…}` from the like
 * endpoints (docs/photoprism-api.md §2.7, docs/photoprism-api.md §3): only what the curation actions read.
 */
export const PhotoEntity = z.object({
  UID: z.string().min(1),
  Title: str,
  Favorite: bool,
  Private: bool,
});
export type PhotoEntity = z.infer<typeof PhotoEntity>;

/**
 * `GET /api/v1/photos/:uid` (PhotoPrism internal/api/photos.go, GetPhoto: `query.PhotoPreloadByUID`):
 * the full `entity.Photo`, of which the info panel reads what the search results lack: every
 * file (internal/entity/file.go), the keywords (internal/entity/details.go, `Keywords`, a
 * comma-separated string) and the labels with their uncertainty, most certain first
 * (internal/entity/photo_label.go; photo.go orders them `uncertainty ASC, label_id DESC`).
 */
export const PhotoDetailEntity = z.object({
  UID: z.string().min(1),
  Details: z.object({ Keywords: str }).nullish(),
  Files: z
    .array(
      z.object({
        /** What choosing the primary file and unstacking name (PhotoPrism internal/api/photos.go, PhotoPrimary). */
        UID: str,
        Name: str,
        Root: str,
        /** Why PhotoPrism could not index it ('' = none); the web UI offers no file action on such a file. */
        Error: str,
        /** The content's SHA-1 (internal/entity/file.go, FileHash): what `/dl/:hash` is asked with. */
        Hash: str,
        Primary: bool,
        /** Made by PhotoPrism or beside the original (XMP, a RAW's JPEG); an export takes it only when asked. */
        Sidecar: bool,
        FileType: str,
        Mime: str,
        Codec: str,
        Size: num,
        Width: num,
        Height: num,
        /** Nanoseconds (Go's time.Duration), omitted when 0. */
        Duration: num,
      }),
    )
    .nullish()
    .transform((v) => v ?? []),
  Labels: z
    .array(z.object({ LabelSrc: str, Uncertainty: num, Label: z.object({ Name: str }).nullish() }))
    .nullish()
    .transform((v) => v ?? []),
});
export type PhotoDetailEntity = z.infer<typeof PhotoDetailEntity>;

/**
 * The photo entity read for editing (`GET` and `PUT /photos/:uid`, docs/photoprism-api.md §2.6, docs/photoprism-api.md §2.7): the
 * editable fields and `Details`, whose numeric `PhotoID` a Details change must echo or the server
 * ignores it (PhotoPrism internal/entity/photo.go, SavePhotoForm). `Caption` replaced
 * `Description` in 2025 (docs/photoprism-api.md §9.3): which key the entity carries tells which one to send back.
 */
export const EditablePhotoEntity = z.object({
  ID: num,
  UID: z.string().min(1),
  Title: str,
  Description: z.string().nullish(),
  Caption: z.string().nullish(),
  TakenAt: str,
  TakenAtLocal: str,
  TakenSrc: str,
  TimeZone: str,
  Lat: num,
  Lng: num,
  Altitude: num,
  Favorite: bool,
  Private: bool,
  // The fields of internal/form/photo.go the inspector edits besides the texts and the time.
  Type: str,
  Country: str,
  Iso: num,
  Exposure: str,
  FNumber: num,
  FocalLength: num,
  Scan: bool,
  Panorama: bool,
  Stack: num,
  // Picked from the config's lists (internal/form/photo.go, CameraID / LensID); the preloaded rows
  // name them (internal/entity/photo.go, Photo.Camera / Photo.Lens; absent for an ID with no row).
  CameraID: num,
  LensID: num,
  Camera: z.object({ Make: str, Model: str }).nullish(),
  Lens: z.object({ Make: str, Model: str }).nullish(),
  Details: z
    .object({
      PhotoID: num,
      Keywords: str,
      Subject: str,
      Artist: str,
      Copyright: str,
      License: str,
      Notes: str,
    })
    .nullish(),
});
export type EditablePhotoEntity = z.infer<typeof EditablePhotoEntity>;

/** `POST`/`DELETE /photos/:uid/like` (docs/photoprism-api.md §3): `{"photo": <entity, Files and Albums null>}`. */
export const LikeResponse = z.object({ photo: PhotoEntity });

/**
 * `entity.Album` (docs/photoprism-api.md §4.2): what create, update and delete answer. No `PhotoCount` here (only
 * list results have it); `DeletedAt` is null, or a time once deleted.
 */
export const AlbumEntity = z.object({
  UID: z.string().min(1),
  Title: str,
  Favorite: bool,
  Thumb: str,
  UpdatedAt: str,
  DeletedAt: str,
});
export type AlbumEntity = z.infer<typeof AlbumEntity>;

/**
 * `POST` and `DELETE /albums/:uid/photos` (docs/photoprism-api.md §4.6, docs/photoprism-api.md §4.7). `photos` is what the server
 * resolved (add: existing photos only; remove: every well-formed UID as sent); `[]` when none.
 */
export const AlbumPhotosResponse = z.object({
  photos: z
    .array(z.string())
    .nullish()
    .transform((v) => v ?? []),
});
export type AlbumPhotosResponse = z.infer<typeof AlbumPhotosResponse>;

/** The i18n success envelope of the batch endpoints (docs/photoprism-api.md §5): `{"code":200,"message":…}`. */
export const I18nMessage = z.object({ code: num, message: str });

/** The client config (docs/photoprism-api.md §9.1): only what we read. */
export const ClientConfig = z.object({
  version: str,
  siteTitle: str,
  name: str,
  authMode: str,
  previewToken: str,
  downloadToken: str,
});
export type ClientConfig = z.infer<typeof ClientConfig>;

/** `POST /api/v1/session` and `GET /api/v1/session` (docs/photoprism-api.md §1.2, docs/photoprism-api.md §1.3), old and new shapes (docs/photoprism-api.md §9.3). */
export const SessionResponse = z
  .object({
    /** 240420+: the token. */
    access_token: z.string().optional(),
    /** Deprecated alias of access_token; the only token key before 240420. */
    id: z.string().optional(),
    session_id: z.string().optional(),
    expires_in: z.number().optional(),
    provider: str,
    user: z
      .object({ UID: str, Name: str, DisplayName: str, Role: str })
      .nullish()
      .transform((v) => v ?? { UID: '', Name: '', DisplayName: '', Role: '' }),
    config: ClientConfig.nullish(),
  })
  .transform((v) => ({ ...v, token: v.access_token ?? v.id ?? '' }));
export type SessionResponse = z.infer<typeof SessionResponse>;

/**
 * The switches of a session's client config that decide what the library shows
 * (`settings.features`, PhotoPrism internal/config/customize/feature.go): with `review` on, photos of
 * quality < 3 wait in Review; with `private` on, private photos only show in Private
 * (frontend/src/page/photos.vue adds `quality=3` and `public=true` to its searches). Missing
 * switches take PhotoPrism's defaults (both on, internal/config/customize/settings.go NewDefaultSettings).
 */
export const LibraryFeatures = z
  .object({
    settings: z
      .object({
        features: z.object({ review: z.boolean().nullish(), private: z.boolean().nullish() }).nullish(),
      })
      .nullish(),
  })
  .transform((v) => ({
    review: v.settings?.features?.review ?? true,
    private: v.settings?.features?.private ?? true,
  }));
export type LibraryFeatures = z.output<typeof LibraryFeatures>;

/**
 * How many rows a full index will list, from the config's `count` object: photos, live photos and
 * videos (quality above -1, review included), private ones (counted apart when the `private`
 * feature is on), and archived ones (PhotoPrism internal/config/client_config.go, ClientConfig's
 * count queries). Null when the server sends no counts (a public or older config): the progress
 * then grows with what has arrived. Shown as "12,000 of 100,000" instead of a total that only
 * ever equals what is cached.
 */
const count = z.number().int().nonnegative().nullish();
export const LibraryTotal = z
  .object({
    count: z.object({ photos: count, live: count, videos: count, private: count, archived: count }).nullish(),
    settings: z.object({ features: z.object({ private: z.boolean().nullish() }).nullish() }).nullish(),
  })
  .transform((v) => {
    const c = v.count;
    if (c?.photos == null) return null;
    const privateApart = v.settings?.features?.private ?? true;
    return c.photos + (c.live ?? 0) + (c.videos ?? 0) + (privateApart ? (c.private ?? 0) : 0) + (c.archived ?? 0);
  });

/**
 * How many photos PhotoPrism's own Library page lists, the config's `count.all`: photos, live
 * photos and videos that are not hidden, less those in review when the Review feature is on
 * (PhotoPrism internal/config/client_config.go, ClientConfig: "Calculate total count", "Exclude
 * pictures in review from total count"). Null when the server sends no counts.
 */
export const LibraryAllCount = z.object({ count: z.object({ all: count }).nullish() }).transform((v) => v.count?.all ?? null);

/** One row of the config's `cameras` / `lenses` (PhotoPrism internal/entity/camera.go, Camera; lens.go, Lens). */
const DeviceRow = z.object({ ID: z.number().int().min(1), Name: str, Make: str, Model: str });
/**
 * The cameras and lenses a photo may be set to: the session config's lists (PhotoPrism
 * internal/config/client_config.go, ClientConfig: `cameras` in use, every lens; see
 * docs/photoprism-api.md §9.1). Rows that do not parse are left out; null when the config has no
 * such lists (a public one).
 */
export const DeviceLists = z.object({ cameras: z.array(z.unknown()).nullish(), lenses: z.array(z.unknown()).nullish() }).transform((v) => {
  if (!v.cameras && !v.lenses) return null;
  const rows = (list: readonly unknown[] | null | undefined) =>
    (list ?? []).flatMap((row) => {
      const parsed = DeviceRow.safeParse(row);
      return parsed.success ? [{ id: parsed.data.ID, name: parsed.data.Name, make: parsed.data.Make, model: parsed.data.Model }] : [];
    });
  return { cameras: rows(v.cameras), lenses: rows(v.lenses) };
});
export type DeviceLists = NonNullable<z.output<typeof DeviceLists>>;

/** The session config as the library reads it: the view switches, the expected index size, the Library's size and the device lists. */
export const LibraryConfig = z.unknown().transform((json) => {
  const features = LibraryFeatures.safeParse(json);
  const total = LibraryTotal.safeParse(json);
  const all = LibraryAllCount.safeParse(json);
  const devices = DeviceLists.safeParse(json);
  return {
    features: features.success ? features.data : null,
    total: total.success ? total.data : null,
    all: all.success ? all.data : null,
    devices: devices.success ? devices.data : null,
  };
});

/** `GET /api/v1/status`. */
export const StatusResponse = z.object({ status: z.string() });

/** Error bodies: `{code,error}`, `{error}`, `{error,code,message}` (docs/photoprism-api.md §7.1). */
export const ErrorBody = z.object({
  error: z.string().optional(),
  code: z.number().optional(),
  message: z.string().optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** A WebSocket frame (docs/photoprism-api.md §8.2). `data` is parsed per event by the live-events module. */
export const SocketFrame = z.object({ event: z.string(), data: z.unknown() });

/** `{"entities": [...]}`: UID strings or objects with a UID, depending on the publisher (docs/photoprism-api.md §8.3). */
export const SocketEntities = z.object({
  entities: z
    .array(z.union([z.string(), z.object({ UID: z.string() })]))
    .nullish()
    .transform((v) => (v ?? []).map((e) => (typeof e === 'string' ? e : e.UID))),
});

/** PhotoPrism's zero time: "not set". */
export const ZERO_TIME_PREFIX = '0001-01-01';

// The renderer needs it too (the types a server's version knows): it lives in shared/.
export { buildDate } from '../../shared/library/metadata';
