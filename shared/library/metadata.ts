import { z } from 'zod';
import { PhotoUid } from '../ids';

/**
 * [Note: Editable metadata]
 * The fields of a photo a person edits in the inspector, in PhotoPrism's terms
 * (PhotoPrism internal/form/photo.go, Photo and Details): title, caption, keywords, the time
 * taken as a wall-clock time plus its zone, the location and country, the Details texts
 * (subject, artist, copyright, licence, notes), the exposure values (ISO, exposure time,
 * f-number, focal length), the camera and lens (picked by numeric ID from the lists in the
 * server's client config, see EditChoices), the media type and the scan / panorama / stack flags:
 * every field PhotoPrism's own edit dialog offers (PhotoPrism frontend/src/dialog/photo/edit/details.vue
 * and info.vue). Read fresh from the server when the inspector opens (offline: from the cache, see
 * ActionService.readMetadata) (`photo.metadata`), written with `actions.editMetadata` (one `PUT /photos/:uid` per photo:
 * PhotoPrism's Dec 2024 API has no batch edit). Only `takenAtLocal` / `timeZone` are a pair:
 * the server derives the UTC time from them (PhotoPrism internal/entity/photo.go, SavePhotoForm).
 */

/** `YYYY-MM-DDTHH:MM:SS`: the wall-clock time where the photo was taken (no zone). */
export const WallTime = z
  .string()
  .max(19)
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/, 'not a date and time (YYYY-MM-DDTHH:MM:SS)');

/**
 * An IANA zone (`Europe/Berlin`), `UTC`, or empty (unknown). The server ignores names it does
 * not know (PhotoPrism pkg/txt/time_zone.go, TimeZone answers nil), so a typo keeps the old time.
 */
export const ZoneName = z
  .string()
  .trim()
  .max(64)
  .regex(/^$|^[A-Za-z][A-Za-z0-9_+\-/]*$/, 'not a time zone name');

const Text = (max: number) => z.string().max(max);

/**
 * The media types PhotoPrism's edit dialog offers (PhotoPrism frontend/src/options/options.js,
 * PhotoTypes) plus `document` and `audio`, which newer servers know (PhotoPrism pkg/media/types.go,
 * commit 5cd6e71fd of 2024-10-31, "Add document media type"): see photoTypesFor. The form binds
 * any string (internal/form/photo.go, `Type`); we send only these.
 */
export const PHOTO_TYPES = ['image', 'raw', 'animated', 'live', 'video', 'vector', 'document', 'audio'] as const;
export const PhotoType = z.enum(PHOTO_TYPES);
export type PhotoType = z.infer<typeof PhotoType>;

/** The types every PhotoPrism release with the edit dialog knows (PhotoPrism 240915 pkg/media/types.go). */
const CLASSIC_TYPES: readonly PhotoType[] = ['image', 'raw', 'animated', 'live', 'video', 'vector'];
/**
 * The first build date with `document` and `audio` (PhotoPrism pkg/media/types.go, commit
 * 5cd6e71fd of 2024-10-31; no release tag holds it in the Dec 2024 repository, the last being
 * 240915, so builds are told by their date: docs/photoprism-api.md §9.3).
 */
export const FIRST_DOCUMENT_TYPE_BUILD = 241031;

/**
 * The types a server of `version` knows (docs/photoprism-api.md §9.2: `YYMMDD-…`). A development
 * build without a date is today's code; an unknown version (never connected) gets the classic
 * six, which every server takes.
 */
export function photoTypesFor(version: string | null): readonly PhotoType[] {
  if (version === null || version === '') return CLASSIC_TYPES;
  const date = buildDate(version);
  return date === null || date >= FIRST_DOCUMENT_TYPE_BUILD ? [...CLASSIC_TYPES, 'document', 'audio'] : CLASSIC_TYPES;
}

/** Leading `YYMMDD` of a version string as a number (docs/photoprism-api.md §9.2), or null for dev builds. */
export function buildDate(version: string): number | null {
  const match = /^(\d{6})-/.exec(version);
  return match?.[1] ? Number(match[1]) : null;
}

/**
 * A camera or lens a photo may be set to: a row of the session config's `cameras` / `lenses`
 * (PhotoPrism internal/config/client_config.go, ClientConfig; cameras in use, every lens). ID 1
 * is PhotoPrism's "Unknown" (internal/entity/camera.go, UnknownCamera; lens.go, UnknownLens).
 */
export const DeviceChoice = z.object({
  id: z.number().int().min(1),
  name: z.string(),
  make: z.string(),
  model: z.string(),
});
export type DeviceChoice = z.infer<typeof DeviceChoice>;

/**
 * What the inspector's menus offer: the server's cameras and lenses and the media types its
 * version knows. `source` says where the lists came from: the server now, this Mac's copy of its
 * last config (offline), or nowhere (offline before any config was read: the menus say so).
 */
export const EditChoices = z.object({
  cameras: z.array(DeviceChoice),
  lenses: z.array(DeviceChoice),
  types: z.array(PhotoType),
  source: z.enum(['server', 'cache', 'none']),
});
export type EditChoices = z.infer<typeof EditChoices>;

/**
 * PhotoPrism's `Stack` flag (internal/entity/photo.go, PhotoStack int8): -1 never stack this photo
 * with others, 0 default (stack by name / UUID), 1 always stack. The web UI's "Stackable" switch
 * toggles -1 and 0 (frontend/src/dialog/photo/edit/info.vue).
 */
export const StackFlag = z.union([z.literal(-1), z.literal(0), z.literal(1)]);

/** An ISO 3166-1 alpha-2 code in lower case, as PhotoPrism stores `photo_country`; `zz` is Unknown. */
export const CountryCode = z.string().regex(/^[a-z]{2}$/, 'not a two-letter country code');

/**
 * An exposure time as PhotoPrism shows it: `1/200` or seconds (`2`, `0.5`), or empty (unknown).
 * The form binds any string (internal/form/photo.go, Exposure); the column is VARCHAR(64).
 */
export const ExposureText = z
  .string()
  .trim()
  .max(64)
  .regex(/^$|^\d{1,6}\/\d{1,6}$|^\d{1,6}(\.\d{1,3})?$/, 'not an exposure time (like 1/200 or 2)');

/** The editable fields, as the server holds them now. */
export const PhotoMetadata = z.object({
  uid: PhotoUid,
  title: z.string(),
  /** `Description` on servers before the 2025 rename, `Caption` after (docs/photoprism-api.md §9.3). */
  caption: z.string(),
  /** Comma separated, as PhotoPrism stores them (lower case, sorted, unique). */
  keywords: z.string(),
  /** Empty when the server has no usable local time. */
  takenAtLocal: z.string(),
  timeZone: z.string(),
  lat: z.number(),
  lng: z.number(),
  altitude: z.number().int(),
  subject: z.string(),
  artist: z.string(),
  copyright: z.string(),
  license: z.string(),
  notes: z.string(),
  /** Two-letter lower-case code, `zz` when unknown. */
  country: z.string(),
  /** `image`, `raw`, `live`, …: what PhotoPrism holds (may be outside PHOTO_TYPES, e.g. `audio`). */
  type: z.string(),
  iso: z.number().int(),
  exposure: z.string(),
  fNumber: z.number(),
  focalLength: z.number().int(),
  /** PhotoPrism's CameraID / LensID (1 is Unknown); 0 when this Mac does not know it (offline). */
  cameraId: z.number().int().min(0),
  lensId: z.number().int().min(0),
  scan: z.boolean(),
  panorama: z.boolean(),
  stack: z.number().int(),
  /**
   * Read while offline from the cache, which lacks these fields: the inspector shows them as
   * unknown and sends only what is typed (absent when read from the server).
   */
  unknown: z.array(z.string()).optional(),
});
export type PhotoMetadata = z.infer<typeof PhotoMetadata>;

/** The keys a person can edit (all of PhotoMetadata but the UID and the offline marker). */
export type MetadataKey = Exclude<keyof PhotoMetadata, 'uid' | 'unknown'>;

/**
 * A change to some fields: only the keys present are written, to every photo named. Text limits
 * follow the server's columns (PhotoPrism internal/entity/photo.go: title VARCHAR(200), caption
 * VARCHAR(4096); internal/entity/details.go: keywords and notes 2048, the others 1024), so what
 * we accept the server stores whole.
 */
export const MetadataFields = z.object({
  title: Text(200),
  caption: Text(4096),
  keywords: Text(2048),
  takenAtLocal: WallTime,
  timeZone: ZoneName,
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  altitude: z.number().int().min(-20_000).max(100_000),
  subject: Text(1024),
  artist: Text(1024),
  copyright: Text(1024),
  license: Text(1024),
  notes: Text(2048),
  country: CountryCode,
  type: PhotoType,
  // Go binds Iso and FocalLength as int, FNumber as float32 (internal/form/photo.go); the
  // ranges are what a lens and sensor can have, so a typo is caught here, not stored.
  iso: z.number().int('ISO is a whole number').min(0).max(10_000_000),
  exposure: ExposureText,
  fNumber: z.number().min(0, 'the f-number cannot be negative').max(1000),
  focalLength: z.number().int('the focal length is whole millimetres').min(0).max(100_000),
  // Go's uint (internal/form/photo.go, CameraID / LensID); 0 is no row, so 1 (Unknown) is the least.
  cameraId: z.number().int().min(1).max(4_294_967_295),
  lensId: z.number().int().min(1).max(4_294_967_295),
  scan: z.boolean(),
  panorama: z.boolean(),
  stack: StackFlag,
});
export const MetadataEdit = MetadataFields.partial()
  .strict()
  .refine((edit) => Object.keys(edit).length > 0, 'nothing to change');
export type MetadataEdit = z.infer<typeof MetadataEdit>;
