import { CONFIG_THUMBS } from './config';
import type { AlbumRec, FileRec, LabelRec, PhotoRec } from './model';
import { fileMarkersJson } from './people';
import type { Store } from './store';
import { GO_ZERO_TIME, goTime, goTimeOrNull } from './util';

/**
 * JSON encoders reproducing PhotoPrism's wire shapes exactly: PascalCase keys, omitempty rules,
 * zero times and the known quirks (docs/photoprism-api.md §2.5, docs/photoprism-api.md §2.6, docs/photoprism-api.md §4.1, docs/photoprism-api.md §4.2). Key order follows the Go
 * structs so payloads look like the real thing.
 */

export type Json = Record<string, unknown>;

function putIf(target: Json, key: string, value: unknown): void {
  if (value === '' || value === 0 || value === false || value === null || value === undefined) return;
  target[key] = value;
}

/**
 * `entity.File.MarshalJSON` (docs/photoprism-api.md §2.5). In merged search results the file is copied from the
 * row, so times and `OriginalName` are the photo's and `MainColor`/`TimeIndex`/`MediaID` are
 * missing; `fromSearch` selects that variant.
 */
export function fileJson(file: FileRec, fromSearch: boolean, store?: Store): Json {
  const photo = file.photo;
  const out: Json = { UID: file.uid, PhotoUID: photo.uid };
  if (!fromSearch) {
    putIf(out, 'TimeIndex', timeIndex(file));
    putIf(out, 'MediaID', mediaId(file));
  }
  out['Name'] = file.name;
  out['Root'] = file.root;
  out['Hash'] = file.hash;
  out['Size'] = file.size;
  out['Primary'] = file.primary;
  putIf(out, 'Codec', file.codec);
  putIf(out, 'FileType', file.fileType);
  putIf(out, 'MediaType', file.mediaType);
  putIf(out, 'Mime', file.mime);
  putIf(out, 'Portrait', file.height > file.width);
  putIf(out, 'Video', file.video);
  putIf(out, 'Duration', file.durationNs);
  putIf(out, 'Width', file.width);
  putIf(out, 'Height', file.height);
  putIf(out, 'Orientation', file.orientation);
  putIf(out, 'AspectRatio', file.height > 0 ? Math.round((file.width / file.height) * 100) / 100 : 0);
  if (!fromSearch) putIf(out, 'MainColor', file.mainColor);
  out['CreatedAt'] = goTime(fromSearch ? photo.createdAtMs : file.createdAtMs);
  out['UpdatedAt'] = goTime(fromSearch ? photo.updatedAtMs : file.updatedAtMs);
  if (fromSearch && photo.deletedAtMs !== null) out['DeletedAt'] = goTime(photo.deletedAtMs);
  // `File.Markers()` loads the file's markers (PhotoPrism internal/entity/file.go, File.Markers).
  // Search rows are sent with an empty list here: listing markers per row would cost every page
  // a lookup the client never reads (docs/photoprism-api.md §11 notes the uncertainty).
  out['Markers'] = store && !fromSearch ? fileMarkersJson(file, store) : [];
  return out;
}

/** The `media_id` sort key PhotoPrism stores per file (docs/photoprism-api.md §2.2). */
export function mediaId(file: FileRec): string {
  return `${10_000_000_000 - file.photo.id}-${file.primary ? 0 : 1}-${file.uid}`;
}

function timeIndex(file: FileRec): string {
  // From files.photo_taken_at, i.e. the LOCAL time (see byNewest in search.ts).
  const stamp = new Date(file.photo.takenAtLocalMs).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${99_999_999_999_999 - Number(stamp)}-${mediaId(file)}`;
}

/** The thumbnail sizes a viewer result lists (PhotoPrism internal/thumb/public.go, Public). */
const VIEWER_SIZES = CONFIG_THUMBS;

/**
 * A thumbnail of a size, shrunk to fit its box but never enlarged (PhotoPrism internal/thumb/
 * thumb.go, New) with its URL `contentUri/t/hash/token/size` (same file, Url).
 */
function viewerThumb(w: number, h: number, hash: string, box: { size: string; w: number; h: number }, previewToken: string): Json {
  const src = `/api/v1/t/${hash}/${previewToken}/${box.size}`;
  if (box.w >= w && box.h >= h) return { w, h, src };
  const ratio = w / h;
  if (ratio > box.w / box.h) return { w: box.w, h: Math.round(box.w / ratio), src };
  return { w: Math.round(box.h * ratio), h: box.h, src };
}

/**
 * One result of `GET /photos/view` (PhotoPrism internal/entity/search/photos_viewer.go,
 * Photo.ViewerResult): the first row of the photo, its size, thumbs and download URL
 * (internal/entity/search/viewer/url.go, DownloadUrl). Playable for video, live and animated.
 */
export function viewerResult(rows: readonly FileRec[], previewToken: string, downloadToken: string): Json {
  const first = rows[0];
  if (!first) throw new Error('viewerResult needs at least one row');
  const p = first.photo;
  return {
    UID: p.uid,
    Title: p.title,
    TakenAtLocal: goTime(p.takenAtLocalMs),
    Description: p.description,
    Favorite: p.favorite,
    Playable: p.type === 'video' || p.type === 'live' || p.type === 'animated',
    DownloadUrl: `/api/v1/dl/${first.hash}?t=${downloadToken}`,
    Width: first.width,
    Height: first.height,
    Thumbs: Object.fromEntries(
      VIEWER_SIZES.map((box) => [box.size, viewerThumb(first.width, first.height, first.hash, box, previewToken)]),
    ),
  };
}

/**
 * One photo search result (`search.Photo`, docs/photoprism-api.md §2.5). `rows` are the consecutive file rows
 * of one photo on this page; unmerged results pass exactly one row and get `Files: null`.
 */
export function photoSearchResult(rows: readonly FileRec[], merged: boolean): Json {
  const first = rows[0];
  if (!first) throw new Error('photoSearchResult needs at least one row');
  const p = first.photo;
  const out: Json = {
    ID: merged ? `${p.id}-${first.id}` : String(p.id),
    UID: p.uid,
    Type: p.type,
    // Quirk (docs/photoprism-api.md §2.5): TypeSrc is filled from taken_src.
    TypeSrc: p.takenSrc,
    TakenAt: goTime(p.takenAtMs),
    TakenAtLocal: goTime(p.takenAtLocalMs),
    TakenSrc: p.takenSrc,
    TimeZone: p.timeZone,
    Path: p.path,
    Name: p.name,
    OriginalName: p.originalName,
    Title: p.title,
    Description: p.description,
    Year: p.year,
    Month: p.month,
    Day: p.day,
    Country: p.country,
    Stack: p.stack,
    Favorite: p.favorite,
    Private: p.private,
    Iso: p.iso,
    FocalLength: p.focalLength,
    FNumber: p.fNumber,
    Exposure: p.exposure,
  };
  // `Faces,omitempty` sits between Exposure and Quality (PhotoPrism internal/entity/search/photos_results.go, Photo).
  putIf(out, 'Faces', p.faces);
  out['Quality'] = p.quality;
  out['Resolution'] = p.resolution;
  putIf(out, 'Duration', p.durationNs);
  out['Color'] = p.color;
  out['Scan'] = p.scan;
  out['Panorama'] = p.panorama;
  out['CameraID'] = p.camera.id;
  putIf(out, 'CameraSrc', p.cameraSrc);
  putIf(out, 'CameraSerial', p.cameraSerial);
  putIf(out, 'CameraMake', p.camera.make);
  putIf(out, 'CameraModel', p.camera.id === 1 ? '' : p.camera.model);
  putIf(out, 'CameraType', p.camera.type);
  out['LensID'] = p.lens.id;
  // Quirk (docs/photoprism-api.md §2.5): LensMake and LensModel are swapped.
  putIf(out, 'LensMake', p.lens.id === 1 ? '' : p.lens.model);
  putIf(out, 'LensModel', p.lens.make);
  putIf(out, 'Altitude', p.altitude);
  out['Lat'] = p.lat;
  out['Lng'] = p.lng;
  out['CellID'] = p.place.cellId;
  putIf(out, 'CellAccuracy', p.cellAccuracy);
  out['PlaceID'] = p.place.placeId;
  out['PlaceSrc'] = p.placeSrc;
  out['PlaceLabel'] = p.place.label;
  out['PlaceCity'] = p.place.city;
  out['PlaceState'] = p.place.state;
  out['PlaceCountry'] = p.place.country;
  out['InstanceID'] = '';
  out['FileUID'] = first.uid;
  out['FileRoot'] = first.root;
  out['FileName'] = first.name;
  out['Hash'] = first.hash;
  out['Width'] = first.width;
  out['Height'] = first.height;
  out['Portrait'] = first.height > first.width;
  out['Merged'] = merged && rows.length > 1;
  out['CreatedAt'] = goTime(p.createdAtMs);
  out['UpdatedAt'] = goTime(p.updatedAtMs);
  out['EditedAt'] = p.editedAtMs === null ? GO_ZERO_TIME : goTime(p.editedAtMs);
  out['CheckedAt'] = p.checkedAtMs === null ? GO_ZERO_TIME : goTime(p.checkedAtMs);
  if (p.deletedAtMs !== null) out['DeletedAt'] = goTime(p.deletedAtMs);
  out['Files'] = merged ? rows.map((f) => fileJson(f, true)) : null;
  return out;
}

/** The merged search result of a whole photo, as `photos.updated` events carry it (docs/photoprism-api.md §8.3). */
export function photoMergedResult(photo: PhotoRec): Json {
  return photoSearchResult(photo.files, true);
}

function placeJson(photo: PhotoRec): Json {
  const pl = photo.place;
  return {
    PlaceID: pl.placeId,
    Label: pl.label,
    District: pl.district,
    City: pl.city,
    State: pl.state,
    Country: pl.country,
    Keywords: '',
    Favorite: false,
    PhotoCount: 1,
    CreatedAt: goTime(photo.createdAtMs),
    UpdatedAt: goTime(photo.createdAtMs),
  };
}

function labelJson(label: LabelRec): Json {
  return {
    ID: label.id,
    UID: label.uid,
    Slug: label.slug,
    CustomSlug: label.slug,
    Name: label.name,
    Priority: label.priority,
    Favorite: false,
    Description: '',
    Notes: '',
    PhotoCount: 1,
    Thumb: '',
    CreatedAt: goTime(label.createdAtMs),
    UpdatedAt: goTime(label.createdAtMs),
    DeletedAt: null,
  };
}

/** What `photoEntity` should preload; like/unlike leave Files and Albums unloaded (docs/photoprism-api.md §3). */
export interface EntityPreload {
  files: boolean;
  albums: boolean;
}

/** `entity.Photo` (docs/photoprism-api.md §2.6): numeric `ID`, `Files` by name descending, `Albums` by title. */
export function photoEntity(photo: PhotoRec, store: Store, preload: EntityPreload): Json {
  const out: Json = {
    ID: photo.id,
    TakenAt: goTime(photo.takenAtMs),
    TakenAtLocal: goTime(photo.takenAtLocalMs),
    TakenSrc: photo.takenSrc,
    UID: photo.uid,
    Type: photo.type,
    TypeSrc: photo.typeSrc,
    Title: photo.title,
    TitleSrc: photo.titleSrc,
    Description: photo.description,
    DescriptionSrc: photo.descriptionSrc,
    Path: photo.path,
    Name: photo.name,
    OriginalName: photo.originalName,
    Stack: photo.stack,
    Favorite: photo.favorite,
    Private: photo.private,
    Scan: photo.scan,
    Panorama: photo.panorama,
    TimeZone: photo.timeZone,
    PlaceID: photo.place.placeId,
    PlaceSrc: photo.placeSrc,
    CellID: photo.place.cellId,
    CellAccuracy: photo.cellAccuracy,
    Altitude: photo.altitude,
    Lat: photo.lat,
    Lng: photo.lng,
    Country: photo.country,
    Year: photo.year,
    Month: photo.month,
    Day: photo.day,
    Iso: photo.iso,
    Exposure: photo.exposure,
    FNumber: photo.fNumber,
    FocalLength: photo.focalLength,
    Quality: photo.quality,
    Resolution: photo.resolution,
  };
  putIf(out, 'Duration', photo.durationNs);
  out['Color'] = photo.color;
  out['CameraID'] = photo.camera.id;
  out['CameraSerial'] = photo.cameraSerial;
  out['CameraSrc'] = photo.cameraSrc;
  out['LensID'] = photo.lens.id;
  const d = photo.details;
  out['Details'] = {
    PhotoID: photo.id,
    Keywords: d.keywords,
    KeywordsSrc: d.keywordsSrc,
    Notes: d.notes,
    NotesSrc: d.notesSrc,
    Subject: d.subject,
    SubjectSrc: d.subjectSrc,
    Artist: d.artist,
    ArtistSrc: d.artistSrc,
    Copyright: d.copyright,
    CopyrightSrc: d.copyrightSrc,
    License: d.license,
    LicenseSrc: d.licenseSrc,
    Software: d.software,
    SoftwareSrc: d.softwareSrc,
    CreatedAt: goTime(photo.createdAtMs),
    UpdatedAt: goTime(photo.updatedAtMs),
  };
  const camera: Json = {
    ID: photo.camera.id,
    Slug: photo.camera.slug,
    Name: photo.camera.name,
    Make: photo.camera.make,
    Model: photo.camera.model,
  };
  putIf(camera, 'Type', photo.camera.type);
  out['Camera'] = camera;
  out['Lens'] = {
    ID: photo.lens.id,
    Slug: photo.lens.slug,
    Name: photo.lens.name,
    Make: photo.lens.make,
    Model: photo.lens.model,
    Type: photo.lens.type,
  };
  out['Cell'] = {
    ID: photo.place.cellId,
    Name: '',
    Street: '',
    Postcode: '',
    Category: '',
    Place: placeJson(photo),
    CreatedAt: goTime(photo.createdAtMs),
    UpdatedAt: goTime(photo.createdAtMs),
  };
  out['Place'] = placeJson(photo);
  out['Keywords'] = null;
  out['Albums'] = preload.albums ? photoAlbums(photo, store).map(albumEntity) : null;
  out['Files'] = preload.files
    ? [...photo.files].sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0)).map((f) => fileJson(f, false, store))
    : null;
  out['Labels'] = photo.labels.map((label) => ({
    PhotoID: photo.id,
    LabelID: label.id,
    LabelSrc: 'image',
    Uncertainty: 20,
    Photo: null,
    Label: labelJson(label),
  }));
  out['CreatedAt'] = goTime(photo.createdAtMs);
  out['UpdatedAt'] = goTime(photo.updatedAtMs);
  out['EditedAt'] = goTimeOrNull(photo.editedAtMs);
  out['CheckedAt'] = goTimeOrNull(photo.checkedAtMs);
  out['DeletedAt'] = goTimeOrNull(photo.deletedAtMs);
  return out;
}

/** Albums a photo visibly belongs to (not hidden, album not deleted), sorted by title. */
export function photoAlbums(photo: PhotoRec, store: Store): AlbumRec[] {
  return store.albums
    .filter((a) => a.deletedAtMs === null && a.members.get(photo.uid)?.hidden === false)
    .sort((a, b) => a.title.localeCompare(b.title));
}

/** `entity.Album` (docs/photoprism-api.md §4.2): numeric `ID`, nullable `DeletedAt`, no `PhotoCount`. */
export function albumEntity(album: AlbumRec): Json {
  const out: Json = { ID: album.id, UID: album.uid };
  putIf(out, 'ParentUID', album.parentUid);
  out['Slug'] = album.slug;
  putIf(out, 'Path', album.path);
  Object.assign(out, {
    Type: album.type,
    Title: album.title,
    Location: album.location,
    Category: album.category,
    Caption: album.caption,
    Description: album.description,
    Notes: album.notes,
    Filter: album.filter,
    Order: album.order,
    Template: album.template,
    State: album.state,
    Country: album.country,
    Year: album.year,
    Month: album.month,
    Day: album.day,
    Favorite: album.favorite,
    Private: album.private,
    Thumb: album.thumb,
  });
  putIf(out, 'ThumbSrc', album.thumbSrc);
  putIf(out, 'CreatedBy', album.createdBy);
  out['CreatedAt'] = goTime(album.createdAtMs);
  out['UpdatedAt'] = goTime(album.updatedAtMs);
  out['DeletedAt'] = goTimeOrNull(album.deletedAtMs);
  return out;
}

/** `search.Album` (docs/photoprism-api.md §4.1): no `ID`, `PhotoCount`, and `DeletedAt` always the zero time. */
export function albumSearchResult(album: AlbumRec, store: Store): Json {
  const out: Json = {
    UID: album.uid,
    ParentUID: album.parentUid,
    Slug: album.slug,
    Type: album.type,
    Title: album.title,
    Thumb: album.thumb,
  };
  putIf(out, 'ThumbSrc', album.thumbSrc);
  Object.assign(out, {
    Location: album.location,
    Category: album.category,
    Caption: album.caption,
    Description: album.description,
    Notes: album.notes,
    Filter: album.filter,
    Order: album.order,
    Template: album.template,
    Path: album.path,
    State: album.state,
    Country: album.country,
    Year: album.year,
    Month: album.month,
    Day: album.day,
    Favorite: album.favorite,
    Private: album.private,
    PhotoCount: store.visibleMembers(album).length,
    LinkCount: 0,
    CreatedAt: goTime(album.createdAtMs),
    UpdatedAt: goTime(album.updatedAtMs),
    DeletedAt: GO_ZERO_TIME,
  });
  return out;
}

/** A `photos_albums` entry as listed in `added` / `removed` (docs/photoprism-api.md §4.6, docs/photoprism-api.md §4.7). */
export function memberJson(
  albumUid: string,
  m: { photoUid: string; order: number; hidden: boolean; missing: boolean; createdAtMs: number; updatedAtMs: number },
): Json {
  return {
    PhotoUID: m.photoUid,
    AlbumUID: albumUid,
    Order: m.order,
    Hidden: m.hidden,
    Missing: m.missing,
    CreatedAt: goTime(m.createdAtMs),
    UpdatedAt: goTime(m.updatedAtMs),
    Photo: null,
    Album: null,
  };
}
