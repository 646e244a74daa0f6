import { z } from 'zod';
import { PhotoUid } from '../ids';

/**
 * [Note: Editable metadata]
 * The fields of a photo a person edits in the inspector, in PhotoPrism's terms
 * (PhotoPrism internal/form/photo.go, Photo and Details): title, caption, keywords, the time
 * taken as a wall-clock time plus its zone, the location, and the Details texts (subject,
 * artist, copyright, licence, notes). Read fresh from the server when the inspector opens
 * (`photo.metadata`), written with `actions.editMetadata` (one `PUT /photos/:uid` per photo:
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
});
export type PhotoMetadata = z.infer<typeof PhotoMetadata>;

/** The keys a person can edit (all of PhotoMetadata but the UID). */
export type MetadataKey = Exclude<keyof PhotoMetadata, 'uid'>;

/**
 * A change to some fields: only the keys present are written, to every photo named. Text limits
 * follow the server's columns (PhotoPrism internal/entity/photo.go: title VARCHAR(200), caption
 * VARCHAR(4096); internal/entity/details.go: keywords and notes 2048, the others 1024), so what
 * we accept the server stores whole.
 */
export const MetadataEdit = z
  .object({
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
  })
  .partial()
  .strict()
  .refine((edit) => Object.keys(edit).length > 0, 'nothing to change');
export type MetadataEdit = z.infer<typeof MetadataEdit>;

/** Most photos one `photo.metadata` read or batch edit may name (one request each on the server). */
export const MAX_EDIT_UIDS = 1000;
