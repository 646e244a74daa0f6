import { z } from 'zod';
import { zoneOffsetAtWallTimeMs } from '../../../shared/time-zone';
import type { EmulatorContext } from './context';
import { publishConfigUpdated, requireSession, tokenHeaders } from './context';
import type { Exchange, Router } from './http';
import type { SessionRec } from './auth';
import { photoEntity, photoMergedResult, photoSearchResult, viewerResult, type Json } from './json';
import type { FileRec, PhotoRec } from './model';
import { PhotoSearch, SearchError, groupRows, parsePhotoSearch, type PhotoSearchForm } from './search';

/**
 * Photo routes (docs/photoprism-api.md §2, docs/photoprism-api.md §3): search, details, partial update and like/unlike, plus the same
 * mutations for the admin API, each publishing the events the real server publishes.
 */

/** Thrown by mutations for an unknown photo; routes turn it into 404 "Entity not found". */
export class NotFoundError extends Error {}

/** The keys `PUT /photos/:uid` accepts (docs/photoprism-api.md §2.7); anything else is ignored. */
export const PhotoUpdate = z
  .object({
    Type: z.string(),
    TypeSrc: z.string(),
    TakenAt: z.string(),
    TakenAtLocal: z.string(),
    TakenSrc: z.string(),
    TimeZone: z.string(),
    Year: z.number().int(),
    Month: z.number().int(),
    Day: z.number().int(),
    Title: z.string(),
    TitleSrc: z.string(),
    Description: z.string(),
    DescriptionSrc: z.string(),
    /** The 2025 name of Description (docs/photoprism-api.md §9.3); read only in that mode. */
    Caption: z.string(),
    CaptionSrc: z.string(),
    PlaceSrc: z.string(),
    /** Go's int8 (internal/form/photo.go, PhotoStack): BindJSON answers 400 outside -128…127. */
    Stack: z.number().int().min(-128).max(127),
    Favorite: z.boolean(),
    Private: z.boolean(),
    Scan: z.boolean(),
    Panorama: z.boolean(),
    Altitude: z.number(),
    Lat: z.number(),
    Lng: z.number(),
    Country: z.string(),
    CellAccuracy: z.number().int(),
    Iso: z.number().int(),
    FocalLength: z.number().int(),
    FNumber: z.number(),
    Exposure: z.string(),
    /** Go's uint (internal/form/photo.go): a negative or fractional ID fails BindJSON (400). */
    CameraID: z.number().int().min(0),
    CameraSrc: z.string(),
    LensID: z.number().int().min(0),
    OriginalName: z.string(),
    Details: z
      .object({
        PhotoID: z.number().int(),
        Keywords: z.string(),
        KeywordsSrc: z.string(),
        Notes: z.string(),
        NotesSrc: z.string(),
        Subject: z.string(),
        SubjectSrc: z.string(),
        Artist: z.string(),
        ArtistSrc: z.string(),
        Copyright: z.string(),
        CopyrightSrc: z.string(),
        License: z.string(),
        LicenseSrc: z.string(),
      })
      .partial()
      .loose(),
  })
  .partial()
  .loose();
/** A parsed photo update. */
export type PhotoUpdate = z.infer<typeof PhotoUpdate>;

/** A camera or lens row that does not exist: what a preload of an unknown ID leaves (all fields empty). */
const UNKNOWN_MODEL = { id: 0, slug: '', name: '', make: '', model: '', type: '' };

function photoOr404(ctx: EmulatorContext, uid: string): PhotoRec {
  const photo = ctx.store.photosByUid.get(uid);
  if (!photo) throw new NotFoundError(uid);
  return photo;
}

/** The title PhotoPrism's `UpdateTitle` would generate from label, place and year. */
function autoTitle(photo: PhotoRec): string {
  const label = photo.labels[0]?.name ?? 'Unknown';
  return photo.place.placeId === 'zz' ? `${label} / ${photo.year}` : `${label} / ${photo.place.city} / ${photo.year}`;
}

/**
 * What SavePhotoForm does with the times after binding the form (PhotoPrism internal/entity/photo.go):
 * with zone UTC, `TakenAtLocal = TakenAt`; otherwise `TakenAt = GetTakenAt()`, the local digits read
 * in the zone (internal/entity/photo_location.go; unchanged for an empty or unknown zone). Then
 * UpdateDateFields (photo_datetime.go): Year/Month/Day follow the local time unless TakenSrc is manual.
 */
function deriveTimes(photo: PhotoRec): void {
  if (photo.timeZone.toLowerCase() === 'utc') photo.takenAtLocalMs = photo.takenAtMs;
  else if (photo.timeZone !== '') {
    // An unknown zone leaves TakenAt as it is (PhotoPrism pkg/txt/time_zone.go, TimeZone → nil).
    const offset = zoneOffsetAtWallTimeMs(photo.timeZone, photo.takenAtLocalMs);
    if (offset !== undefined) photo.takenAtMs = photo.takenAtLocalMs - offset;
  }
  if (photo.takenSrc !== 'manual') {
    const local = new Date(photo.takenAtLocalMs);
    photo.year = local.getUTCFullYear();
    photo.month = local.getUTCMonth() + 1;
    photo.day = local.getUTCDate();
  }
}

/** PhotoPrism pkg/txt/words.go, Words: letters, digits, `-` and `'`; no one-letter Latin words, no numbers. */
export function keywordWords(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.match(/[\p{L}\d\-']+/gu) ?? []) {
    const word = raw.replace(/^[- ']+|[- ']+$/g, '');
    if (word === '' || (word.length < 2 && /^\p{Script=Latin}+$/u.test(word)) || /^\d(.*\d)?$/.test(word)) continue;
    out.push(word);
  }
  return out;
}

/** PhotoPrism pkg/txt/words.go, UniqueWords: sorted case-insensitively, lower-cased, duplicates dropped. */
export function uniqueWords(words: readonly string[]): string[] {
  const sorted = [...words].sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
  const out: string[] = [];
  for (const raw of sorted) {
    const word = raw.toLowerCase().replace(/^[- ']+|[- ']+$/g, '');
    if (word === '' || (word.length < 2 && /^\p{Script=Latin}+$/u.test(word)) || word === out[out.length - 1]) continue;
    out.push(word);
  }
  return out;
}

/**
 * Applies a partial update as `PUT /photos/:uid` does (docs/photoprism-api.md §2.7): sets EditedAt and UpdatedAt,
 * and publishes `photos.updated` (merged search result), `notify.success` and `config.updated`.
 */
export function updatePhoto(ctx: EmulatorContext, uid: string, patch: PhotoUpdate): PhotoRec {
  const photo = photoOr404(ctx, uid);
  const nowMs = ctx.now();
  const str = (v: string | undefined, fallback: string): string => v ?? fallback;
  if (patch.Type !== undefined) photo.type = patch.Type;
  photo.typeSrc = str(patch.TypeSrc, photo.typeSrc);
  if (patch.TakenAt !== undefined && !Number.isNaN(Date.parse(patch.TakenAt))) photo.takenAtMs = Date.parse(patch.TakenAt);
  if (patch.TakenAtLocal !== undefined && !Number.isNaN(Date.parse(patch.TakenAtLocal)))
    photo.takenAtLocalMs = Date.parse(patch.TakenAtLocal);
  photo.takenSrc = str(patch.TakenSrc, photo.takenSrc);
  photo.timeZone = str(patch.TimeZone, photo.timeZone);
  photo.year = patch.Year ?? photo.year;
  photo.month = patch.Month ?? photo.month;
  photo.day = patch.Day ?? photo.day;
  if (patch.Title !== undefined) photo.title = patch.Title;
  photo.titleSrc = str(patch.TitleSrc, photo.titleSrc);
  // Without TitleSrc "manual", automatic title generation overwrites an auto title (docs/photoprism-api.md §2.7).
  if (patch.Title !== undefined && (photo.titleSrc === '' || photo.titleSrc === 'auto')) photo.title = autoTitle(photo);
  // The form binds one name: `Description` until the 2025 rename, `Caption` after; the other is an unknown key.
  const caption = ctx.photoCaption ? patch.Caption : patch.Description;
  const captionSrc = ctx.photoCaption ? patch.CaptionSrc : patch.DescriptionSrc;
  if (caption !== undefined) photo.description = caption;
  photo.descriptionSrc = str(captionSrc, photo.descriptionSrc);
  photo.stack = patch.Stack ?? photo.stack;
  photo.favorite = patch.Favorite ?? photo.favorite;
  photo.private = patch.Private ?? photo.private;
  photo.scan = patch.Scan ?? photo.scan;
  photo.panorama = patch.Panorama ?? photo.panorama;
  photo.altitude = patch.Altitude ?? photo.altitude;
  photo.lat = patch.Lat ?? photo.lat;
  photo.lng = patch.Lng ?? photo.lng;
  photo.country = patch.Country ?? photo.country;
  photo.cellAccuracy = patch.CellAccuracy ?? photo.cellAccuracy;
  photo.iso = patch.Iso ?? photo.iso;
  photo.focalLength = patch.FocalLength ?? photo.focalLength;
  photo.fNumber = patch.FNumber ?? photo.fNumber;
  photo.exposure = patch.Exposure ?? photo.exposure;
  photo.cameraSrc = str(patch.CameraSrc, photo.cameraSrc);
  // The IDs are copied onto the photo as sent (SavePhotoForm's deepcopier); the preloaded Camera and
  // Lens are then the rows with that ID, or empty ones for an ID the server does not know.
  if (patch.CameraID !== undefined) {
    photo.camera = ctx.store.cameras.find((c) => c.id === patch.CameraID) ?? { ...UNKNOWN_MODEL, id: patch.CameraID };
  }
  if (patch.LensID !== undefined) {
    photo.lens = ctx.store.lenses.find((l) => l.id === patch.LensID) ?? { ...UNKNOWN_MODEL, id: patch.LensID };
  }
  photo.originalName = patch.OriginalName ?? photo.originalName;
  photo.placeSrc = str(patch.PlaceSrc, photo.placeSrc);
  // SavePhotoForm: a changed place with PlaceSrc manual runs UpdateLocation, which for a photo with
  // coordinates takes the country from the location looked up (PhotoPrism internal/entity/
  // photo_location.go, UpdateLocation: `m.PhotoCountry = loc.CountryCode()`). The emulator has no
  // geocoder: the photo's known place stands for that lookup. Without coordinates the typed country stays.
  const placeChanged = patch.Country !== undefined || patch.Lat !== undefined || patch.Lng !== undefined;
  if (placeChanged && photo.placeSrc === 'manual' && (photo.lat !== 0 || photo.lng !== 0) && photo.place.placeId !== 'zz') {
    photo.country = photo.place.country;
  }
  // The real server derives on every save; here only when a time was sent, because the generated
  // library uses fixed offsets (library-generator.ts) that a DST-aware derivation would move.
  if (patch.TakenAt !== undefined || patch.TakenAtLocal !== undefined || patch.TimeZone !== undefined) deriveTimes(photo);
  const d = patch.Details;
  // Details apply only if Details.PhotoID is the photo's numeric ID (docs/photoprism-api.md §2.7).
  if (d && d.PhotoID === photo.id) {
    const det = photo.details;
    // Stored as unique lower-case words, sorted, ", "-joined (SavePhotoForm: txt.UniqueWords(txt.Words(…))).
    det.keywords = d.Keywords !== undefined ? uniqueWords(keywordWords(d.Keywords)).join(', ') : det.keywords;
    det.keywordsSrc = d.KeywordsSrc ?? det.keywordsSrc;
    det.notes = d.Notes ?? det.notes;
    det.notesSrc = d.NotesSrc ?? det.notesSrc;
    det.subject = d.Subject ?? det.subject;
    det.subjectSrc = d.SubjectSrc ?? det.subjectSrc;
    det.artist = d.Artist ?? det.artist;
    det.artistSrc = d.ArtistSrc ?? det.artistSrc;
    det.copyright = d.Copyright ?? det.copyright;
    det.copyrightSrc = d.CopyrightSrc ?? det.copyrightSrc;
    det.license = d.License ?? det.license;
    det.licenseSrc = d.LicenseSrc ?? det.licenseSrc;
  }
  photo.editedAtMs = nowMs;
  // PUT is the one API write that bumps updated_at (docs/photoprism-api.md §2.1 "added, updated, edited").
  photo.updatedAtMs = Math.max(nowMs, photo.createdAtMs + 1);
  ctx.store.bump();
  ctx.hub.publish('photos.updated', { entities: [photoMergedResult(photo)] });
  ctx.hub.publish('notify.success', { message: 'Changes successfully saved' });
  publishConfigUpdated(ctx);
  return photo;
}

/**
 * Sets or clears the favourite flag like `POST/DELETE /photos/:uid/like` (docs/photoprism-api.md §3): idempotent,
 * does not touch UpdatedAt, publishes `count.favorites` only on a real change of a visible photo
 * and `photos.updated` every time.
 */
export function setFavorite(ctx: EmulatorContext, uid: string, favorite: boolean): PhotoRec {
  const photo = photoOr404(ctx, uid);
  const changed = photo.favorite !== favorite;
  photo.favorite = favorite;
  ctx.store.bump();
  if (changed && !photo.private && photo.deletedAtMs === null) {
    ctx.hub.publish('count.favorites', { count: favorite ? 1 : -1 });
  }
  ctx.hub.publish('photos.updated', { entities: [photoMergedResult(photo)] });
  return photo;
}

/**
 * Approves one photo as PhotoPrism's entity.Photo.Approve does (internal/entity/photo.go):
 * nothing to do at quality 3+; otherwise restore it if archived, set EditedAt, recompute the
 * quality (QualityScore floors at 3 once EditedAt is set, internal/entity/photo_quality.go),
 * save with gorm's Updates (which also bumps UpdatedAt) and publish `count.review` -1. Answers
 * whether the photo changed.
 */
export function applyApproval(ctx: EmulatorContext, photo: PhotoRec): boolean {
  if (photo.quality >= 3) return false;
  const nowMs = ctx.now();
  photo.deletedAtMs = null;
  photo.editedAtMs = nowMs;
  // The emulator does not model QualityScore's inputs; its floor is what Review relies on.
  photo.quality = 3;
  photo.updatedAtMs = Math.max(nowMs, photo.createdAtMs + 1);
  ctx.store.bump();
  ctx.hub.publish('count.review', { count: -1 });
  return true;
}

/**
 * `POST /photos/:uid/approve` (PhotoPrism internal/api/photos.go, ApprovePhoto): approve, then
 * publish `photos.updated` with the merged search result (api_event.go, PublishPhotoEvent).
 */
export function approvePhoto(ctx: EmulatorContext, uid: string): PhotoRec {
  const photo = photoOr404(ctx, uid);
  applyApproval(ctx, photo);
  ctx.hub.publish('photos.updated', { entities: [photoMergedResult(photo)] });
  return photo;
}

/**
 * A photo's JSON as a 2025 server writes it: `Caption`/`CaptionSrc` where older ones wrote
 * `Description`/`DescriptionSrc` (docs/photoprism-api.md §9.3; albums keep `Description`).
 */
export function photoJsonFor(ctx: EmulatorContext, json: Json): Json {
  if (!ctx.photoCaption) return json;
  const out: Json = {};
  for (const [key, value] of Object.entries(json)) {
    if (key === 'Description') out['Caption'] = value;
    else if (key === 'DescriptionSrc') out['CaptionSrc'] = value;
    else out[key] = value;
  }
  return out;
}

/** Registers the photo routes. */
export function registerPhotoRoutes(router: Router, ctx: EmulatorContext): void {
  const search = new PhotoSearch(ctx.store);

  /**
   * Both search routes share one form and one search (PhotoPrism internal/api/photos_search.go,
   * SearchPhotos: `searchForm`, then `defaultHandler` or `viewHandler`).
   */
  const searchRoute = (render: (rows: FileRec[], form: PhotoSearchForm, session: SessionRec) => unknown) => (x: Exchange) => {
    const session = requireSession(ctx, x, 'photos', 'search');
    if (!session) return;
    const isAdmin = session.user.role === 'admin';
    let form;
    try {
      form = parsePhotoSearch(x.url.searchParams, ctx.store, isAdmin, isAdmin);
    } catch (err) {
      if (err instanceof SearchError) return x.error(400, 'Unable to do that');
      throw err;
    }
    const rows = search.rows(form.filter, form.offset + form.count).slice(form.offset, form.offset + form.count);
    x.json(200, render(rows, form, session), {
      headers: {
        'X-Count': String(rows.length),
        'X-Limit': String(Number.parseInt(x.query('count'), 10)),
        'X-Offset': String(Number.parseInt(x.query('offset') || '0', 10) || 0),
        ...tokenHeaders(session),
      },
    });
  };

  router.on(
    'GET',
    '/api/v1/photos',
    searchRoute((rows, form) => groupRows(rows, form.merged).map((group) => photoJsonFor(ctx, photoSearchResult(group, form.merged)))),
  );
  // The photo viewer's slim results (PhotoPrism internal/entity/search/photos_viewer.go, ViewerResult).
  router.on(
    'GET',
    '/api/v1/photos/view',
    searchRoute((rows, form, session) =>
      groupRows(rows, form.merged).map((group) => viewerResult(group, session.user.previewToken, session.user.downloadToken)),
    ),
  );

  router.on('GET', '/api/v1/photos/:uid', (x) => {
    if (!requireSession(ctx, x, 'photos', 'view')) return;
    const photo = ctx.store.photosByUid.get(x.params['uid'] ?? '');
    if (!photo) return x.error(404, 'Entity not found');
    x.json(200, photoJsonFor(ctx, photoEntity(photo, ctx.store, { files: true, albums: true })), { pretty: true });
  });

  router.on('PUT', '/api/v1/photos/:uid', (x) => {
    if (!requireSession(ctx, x, 'photos', 'update')) return;
    const uid = x.params['uid'] ?? '';
    if (!ctx.store.photosByUid.has(uid)) return x.error(404, 'Entity not found');
    const body = x.jsonBody();
    if (body === undefined) return;
    const patch = PhotoUpdate.safeParse(body);
    if (!patch.success) return x.bindError();
    const photo = updatePhoto(ctx, uid, patch.data);
    x.json(200, photoJsonFor(ctx, photoEntity(photo, ctx.store, { files: true, albums: true })));
  });

  const like = (favorite: boolean) => (x: Exchange) => {
    if (!requireSession(ctx, x, 'photos', 'update')) return;
    const uid = x.params['uid'] ?? '';
    if (!ctx.store.photosByUid.has(uid)) return x.error(404, 'Entity not found');
    const photo = setFavorite(ctx, uid, favorite);
    // Files, Albums and Keywords are not preloaded here (docs/photoprism-api.md §3).
    x.json(200, { photo: photoEntity(photo, ctx.store, { files: false, albums: false }) });
  };
  router.on('POST', '/api/v1/photos/:uid/approve', (x) => {
    if (!requireSession(ctx, x, 'photos', 'update')) return;
    const uid = x.params['uid'] ?? '';
    if (!ctx.store.photosByUid.has(uid)) return x.error(404, 'Entity not found');
    // `{"photo": entity}` (PhotoPrism internal/api/photos.go, ApprovePhoto).
    x.json(200, { photo: photoEntity(approvePhoto(ctx, uid), ctx.store, { files: false, albums: false }) });
  });

  router.on('POST', '/api/v1/photos/:uid/like', like(true));
  router.on('DELETE', '/api/v1/photos/:uid/like', like(false));
}
