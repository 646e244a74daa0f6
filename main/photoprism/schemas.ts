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
 * A full index parses every photo of the library (100k rows, ~60 keys each), and a zod object
 * per row (even with plain `nullish()` fields and one transform per row) was about twice the
 * JSON.parse of the same page (the index bench's profile). Search rows and their files are
 * therefore checked field by field against the tables below by one loop: the same types and the
 * same refusals a zod object of `z.string().nullish()` (and number, boolean) fields would make,
 * with the issue's path (`0.Files.1.Hash`), unknown keys stripped (only these keys are read),
 * and every row normalised once to the defaults the `str`/`num`/`bool` helpers above apply.
 */
type WireKind = 'string' | 'number' | 'boolean';

/** The fields read from a search row's file, with their JSON type (null or missing = the default). */
const SEARCH_FILE_FIELDS = {
  UID: 'string',
  Name: 'string',
  Root: 'string',
  Hash: 'string',
  Size: 'number',
  Primary: 'boolean',
  Sidecar: 'boolean',
  FileType: 'string',
  Width: 'number',
  Height: 'number',
} as const satisfies Record<string, WireKind>;

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

/**
 * The optional fields of one `GET /api/v1/photos` row (see SearchPhoto for what each means);
 * `UID` (a non-empty string), `TakenAt` (a string) and `Files` are checked on their own.
 */
const SEARCH_PHOTO_FIELDS = {
  Type: 'string',
  TakenAtLocal: 'string',
  Quality: 'number',
  Title: 'string',
  Description: 'string',
  Caption: 'string',
  Favorite: 'boolean',
  Private: 'boolean',
  Iso: 'number',
  FocalLength: 'number',
  FNumber: 'number',
  Exposure: 'string',
  CameraModel: 'string',
  LensMake: 'string',
  LensModel: 'string',
  Lat: 'number',
  Lng: 'number',
  PlaceLabel: 'string',
  FileName: 'string',
  Hash: 'string',
  Width: 'number',
  Height: 'number',
  UpdatedAt: 'string',
  Duration: 'number',
  DeletedAt: 'string',
  Path: 'string',
  Name: 'string',
  Year: 'number',
  Month: 'number',
  Day: 'number',
  Country: 'string',
  CameraID: 'number',
  CameraMake: 'string',
  LensID: 'number',
  PlaceCity: 'string',
  PlaceState: 'string',
  Faces: 'number',
} as const satisfies Record<string, WireKind>;

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

/** Where a row is wrong: zod's issue path. */
type IssuePath = (string | number)[];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JavaScript expression that reads `raw[key]` as a field of this kind, counting a wrong one (see compileFieldReader). */
function fieldSource(key: string, kind: WireKind): string {
  const read = `(v = raw[${JSON.stringify(key)}], `;
  if (kind === 'string') return `${read}typeof v === "string" ? v : v == null ? "" : (wrong++, ""))`;
  // Number.isFinite is true for finite numbers only (no coercion), as z.number() wants.
  if (kind === 'number') return `${read}Number.isFinite(v) ? v : v == null ? 0 : (wrong++, 0))`;
  return `${read}v === true || v === false ? v : v == null ? false : (wrong++, false))`;
}

/**
 * [Note: Lean rows are read by compiled code]
 * Reading a row's fields through a variable key (`raw[key]` in a loop over the table) is served by
 * V8's generic (megamorphic) keyed loads and stores, ~100 ns a field: most of the row check's
 * 5-6 ms of CPU a 1,000-row page. The same checks written out as one object literal with constant
 * keys are named loads, each with its own cache of the few shapes JSON.parse gives a page's rows
 * (they differ by the fields the server left out), and the literal makes every row with one fast
 * shape from the start (see [Note: Lean rows keep a fast shape]). That code is compiled once, here,
 * from the constant tables above, never from anything a server sends. It only says whether a row
 * is right (undefined if not); a wrong row is read again by rowIssues, which names where, so no
 * row pays for issue paths it does not need (docs/v8.md §1.1, docs/v8.md §1.2).
 * `others` are the row's fields checked apart, with a placeholder of their type, in their place.
 */
function compileFieldReader(
  fields: Record<string, WireKind>,
  others: { readonly before: Record<string, unknown>; readonly after: Record<string, unknown> } = { before: {}, after: {} },
): (raw: Record<string, unknown>) => Record<string, unknown> | undefined {
  const placeholder = ([key, value]: [string, unknown]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`;
  const literal = [
    ...Object.entries(others.before).map(placeholder),
    ...Object.entries(fields).map(([key, kind]) => `${JSON.stringify(key)}: ${fieldSource(key, kind)}`),
    ...Object.entries(others.after).map(placeholder),
  ];
  const source = `"use strict"; let wrong = 0; let v; const out = { ${literal.join(', ')} }; return wrong === 0 ? out : undefined;`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- compiled once from the constant tables above, see the note
  return new Function('raw', source) as (raw: Record<string, unknown>) => Record<string, unknown> | undefined;
}

/**
 * [Note: Lean rows keep a fast shape]
 * A row built key by key from an empty object went to V8's dictionary mode: past a dozen
 * properties added by computed keys an object keeps them in a hash table, and a row has ~40. So
 * every read of a row (the row mapping, the merger) was a hash look-up: V8's generic load
 * handler was the largest single item of the ingest's CPU (~7 %, perf). A row is one object
 * literal with every field (compileFieldReader), so the fields checked apart only overwrite
 * theirs and every row has one fast shape.
 */
const readFileFields = compileFieldReader(SEARCH_FILE_FIELDS);
const readRowFields = compileFieldReader(SEARCH_PHOTO_FIELDS, { before: { UID: '', TakenAt: '' }, after: { Quality: 3, Files: null } });

/** The files of a row, each checked and normalised; undefined if one is wrong. */
function leanFiles(files: unknown[]): SearchFile[] | undefined {
  const out = new Array<SearchFile>(files.length);
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    const lean = isRecord(file) ? readFileFields(file) : undefined;
    if (lean === undefined) return undefined;
    out[i] = lean as unknown as SearchFile;
  }
  return out;
}

/** One search row, checked and normalised ([Note: Lean search rows]); undefined if anything in it is wrong. */
function leanRow(raw: unknown): SearchPhoto | undefined {
  if (!isRecord(raw)) return undefined;
  const uid = raw['UID'];
  const takenAt = raw['TakenAt'];
  if (typeof uid !== 'string' || uid.length === 0 || typeof takenAt !== 'string') return undefined;
  const files = raw['Files'];
  let checkedFiles: SearchFile[] | null | undefined;
  if (files === null || files === undefined) checkedFiles = files;
  else if (!Array.isArray(files)) return undefined;
  else if ((checkedFiles = leanFiles(files)) === undefined) return undefined;
  const out = readRowFields(raw);
  if (out === undefined) return undefined;
  out['UID'] = uid;
  out['TakenAt'] = takenAt;
  // Missing quality counts as reviewed (see SearchPhoto.Quality); a fraction is rounded.
  const quality = raw['Quality'];
  out['Quality'] = typeof quality === 'number' && Number.isFinite(quality) ? Math.round(quality) : 3;
  out['Files'] = checkedFiles;
  return out as unknown as SearchPhoto;
}

/** Is `value` what a field of this kind takes: its JSON type (a finite number), or null/missing for the default. */
function isWireValue(value: unknown, kind: WireKind): boolean {
  if (value === null || value === undefined) return true;
  return typeof value === kind && (kind !== 'number' || Number.isFinite(value));
}

/** The wrong fields of `raw`, by their path (the failure path only, see [Note: Lean rows are read by compiled code]). */
function fieldIssues(raw: Record<string, unknown>, fields: Record<string, WireKind>, path: IssuePath, issues: IssuePath[]): void {
  for (const key in fields) if (!isWireValue(raw[key], fields[key] as WireKind)) issues.push([...path, key]);
}

/** Where a row that leanRow refused is wrong, pushed to `issues` (at least one: the row itself if nothing else). */
function rowIssues(raw: unknown, path: IssuePath, issues: IssuePath[]): void {
  const found = issues.length;
  if (!isRecord(raw)) {
    issues.push(path);
    return;
  }
  const uid = raw['UID'];
  if (typeof uid !== 'string' || uid.length === 0) issues.push([...path, 'UID']);
  if (typeof raw['TakenAt'] !== 'string') issues.push([...path, 'TakenAt']);
  fieldIssues(raw, SEARCH_PHOTO_FIELDS, path, issues);
  const files = raw['Files'];
  if (Array.isArray(files)) {
    files.forEach((file, i) => {
      if (isRecord(file)) fieldIssues(file, SEARCH_FILE_FIELDS, [...path, 'Files', i], issues);
      else issues.push([...path, 'Files', i]);
    });
  } else if (files !== null && files !== undefined) issues.push([...path, 'Files']);
  // leanRow and this read the same tables; should they ever disagree, the row is still refused.
  if (issues.length === found) issues.push(path);
}

/** Report the issues to zod as its own object schemas would (a type error at each path). */
function reportIssues(ctx: z.RefinementCtx, issues: readonly IssuePath[]): void {
  for (const path of issues) ctx.addIssue({ code: 'custom', message: 'not the type PhotoPrism sends here', path });
}

/** One search row (tests, single answers); see [Note: Lean search rows]. */
export const SearchPhoto = z.unknown().transform((value, ctx): SearchPhoto => {
  const row = leanRow(value);
  if (row !== undefined) return row;
  const issues: IssuePath[] = [];
  rowIssues(value, [], issues);
  reportIssues(ctx, issues);
  return z.NEVER;
});

/** A search page (an array of rows, or null for none): each row checked and normalised once ([Note: Lean search rows]). */
export const SearchPhotos = z.unknown().transform((value, ctx): SearchPhoto[] => {
  if (value === null) return [];
  if (!Array.isArray(value)) {
    reportIssues(ctx, [[]]);
    return z.NEVER;
  }
  const rows = new Array<SearchPhoto>(value.length);
  let refused = false;
  for (let i = 0; i < value.length; i++) {
    const row = leanRow(value[i]);
    if (row === undefined) refused = true;
    else rows[i] = row;
  }
  if (!refused) return rows;
  // Only now the issue paths ([Note: Lean rows are read by compiled code]): every refused row, named as zod would.
  const issues: IssuePath[] = [];
  value.forEach((row, i) => {
    if (leanRow(row) === undefined) rowIssues(row, [i], issues);
  });
  reportIssues(ctx, issues);
  return z.NEVER;
});

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
