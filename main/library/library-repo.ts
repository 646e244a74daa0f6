import type { PhotoUid } from '../../shared/ids';
import type {
  AlbumSummary,
  LibraryCounts,
  LibraryFeatures,
  LibraryPage,
  LibraryView,
  MonthBucket,
  PhotoDetails,
  PhotoSummary,
} from '../../shared/library/schemas';
import type { Statement } from 'better-sqlite3';
import { z } from 'zod';
import { DeviceChoice } from '../../shared/library/metadata';
import type { DeviceLists } from '../photoprism/schemas';
import type { WritableDb } from '../db/database';
import type { Logger } from '../log/logger';
import { keywordsColumn, offlineSearch, type DeviceFacets, type PhotoFacets } from './offline-search';
import {
  DROP_SEARCH_INDEX_SQL,
  fillWordsSql,
  SEARCH_INDEX_HEAD_SQL,
  SEARCH_INDEX_INDEX_SQL,
  SEARCH_INDEX_META,
  WORDS_PER_STEP,
} from './search-index';

/** One cached photo, as main/library stores it (camelCase mirror of the `photos` table). */
export interface PhotoRecord {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  /** Normalised ISO 8601 UTC, millisecond precision (text order = time order). */
  readonly takenAt: string;
  /** Wall-clock time where it was taken, `YYYY-MM-DDTHH:MM:SS` (text order = time order). */
  readonly takenAtLocal: string;
  /** PhotoPrism's photo_quality: below 3 the photo waits in Review. */
  readonly quality: number;
  readonly width: number;
  readonly height: number;
  readonly type: string;
  readonly favorite: boolean;
  readonly private: boolean;
  readonly archived: boolean;
  /** SHA-1 of the file whose thumbnail represents the photo (see docs/photoprism-api.md §2.5). */
  readonly thumbHash: string;
  readonly fileName: string;
  readonly fileSizeBytes: number;
  /** How long a video or Live photo plays, ms (PhotoPrism's Duration); 0 = a still photo or unknown. */
  readonly durationMs: number;
  readonly cameraModel: string;
  readonly lensModel: string;
  readonly iso: number;
  readonly exposure: string;
  readonly fNumber: number;
  readonly focalLengthMm: number;
  readonly placeLabel: string;
  readonly lat: number;
  readonly lng: number;
  readonly serverUpdatedAt: string;
  /** What the offline search filters on (migration 0170); absent on rows read back from the cache. */
  readonly facets?: PhotoFacets;
  /** A stack's number of versions (JPEGs), 0 = not a stack (migration 0290); absent = 0. */
  readonly stackSize?: number;
}

/** The camera and lens an edit set, as the search row files them (offline-search.ts, deviceFacets). */
export interface EditedDevices {
  readonly camera?: DeviceFacets;
  readonly lens?: DeviceFacets;
}

/** The editable fields the cache holds (PhotoRecord's names): what a metadata edit writes. */
export type CachedMetadata = Pick<
  PhotoRecord,
  | 'title'
  | 'description'
  | 'takenAt'
  | 'takenAtLocal'
  | 'lat'
  | 'lng'
  | 'type'
  | 'iso'
  | 'exposure'
  | 'fNumber'
  | 'focalLengthMm'
  | 'cameraModel'
  | 'lensModel'
>;

/** One cached album (manual albums only: `type=album`). */
export interface AlbumRecord {
  readonly uid: string;
  readonly title: string;
  readonly favorite: boolean;
  readonly thumbHash: string;
  readonly serverPhotoCount: number;
  readonly serverUpdatedAt: string;
}

/** Where the cache came from; the token is never here (SecretStore). */
export interface ConnectionRecord {
  readonly serverUrl: string;
  readonly userName: string;
  readonly serverVersion: string | null;
  readonly trustedFingerprint: string | null;
}

/** The device lists as kept in library_meta (a copy that no longer parses reads as none). */
const StoredDeviceLists = z.object({ cameras: z.array(DeviceChoice), lenses: z.array(DeviceChoice) });

type MetaKey = 'lastRefreshedAt' | 'lastFullIndexAt' | 'features' | 'devices' | typeof SEARCH_INDEX_META;

/** PhotoPrism's defaults until the server said otherwise (both on). */
export const DEFAULT_FEATURES: LibraryFeatures = { review: true, private: true };

/** A walked row costs about twice an index look-up of a match (search.bench, CPU time): see #pageAccess. */
const WALK_FACTOR = 2;

/** Queries slower than this are logged (style.md practice 7). */
const SLOW_QUERY_MS = 40;

const PHOTO_COLUMNS = `p.uid, p.title, p.description, p.taken_at, p.taken_at_local, p.quality, p.width, p.height, p.type, p.favorite, p.private,
  p.archived, p.thumb_hash, p.file_name, p.file_size, p.camera_model, p.lens_model, p.iso, p.exposure, p.f_number,
  p.focal_length, p.place_label, p.lat, p.lng, p.server_updated_at, p.duration_ms, p.stack_size`;

interface PhotoSqlRow {
  uid: string;
  title: string;
  description: string;
  taken_at: string;
  taken_at_local: string;
  quality: number;
  width: number;
  height: number;
  type: string;
  favorite: number;
  private: number;
  archived: number;
  thumb_hash: string;
  file_name: string;
  file_size: number;
  camera_model: string;
  lens_model: string;
  iso: number;
  exposure: string;
  f_number: number;
  focal_length: number;
  place_label: string;
  lat: number;
  lng: number;
  server_updated_at: string;
  duration_ms: number;
  stack_size: number;
}

/**
 * The conditions that keep a photo in PhotoPrism's browse view (Library, Favourites).
 *
 * [Note: What each view shows]
 * PhotoPrism's own pages send, besides their static filter (frontend/src/app/routes.js),
 * `public=true` when the `private` feature is on and `quality=3` when `review` is on
 * (frontend/src/page/photos.vue), and the server filters by status (internal/entity/search/
 * photos.go, searchPhotos): Library and Favourites = not archived, not private, quality ≥ 3;
 * Review = quality < 3 (and not private); Private = private, whatever the quality; Archive =
 * archived; an album lists its members without these filters (page/album/photos.vue). We index
 * everything an admin may see once, WITH quality and private flags, and filter here: every view
 * then works offline, and Approve or Make Private only updates a row.
 */
function browseConditions(features: LibraryFeatures, a = 'p'): string {
  return `${features.private ? ` AND ${a}.private = 0` : ''}${features.review ? ` AND ${a}.quality >= 3` : ''}`;
}

/**
 * Where a search's photos come from: the server's cached answer to this very query, or the
 * cache's own evaluation of it (main/library/offline-search.ts). See [Note: Search online, then offline].
 */
export type SearchSource = 'server' | 'cache';

/**
 * How a search the cache evaluates reads the search rows ([Note: Search by index]):
 * - `index`: by the search index (the words, the devices, the covering indexes);
 * - `rows`: the index is not ready, every condition is tested on the rows themselves;
 * - `walk`: as `rows`, but walking the rows in grid order (the primary key, NOT INDEXED) until
 *   the page is full — cheaper than the index for a page of a search that matches many photos.
 */
export type SearchAccess = 'index' | 'rows' | 'walk';

/**
 * The key a server answer is kept under: the query, and for the Archive view a marker, because
 * only there the server is asked with `archived=true` (other views intersect locally).
 */
export function searchKey(view: LibraryView, q: string): string {
  return view.kind === 'archive' ? `\tarchive\t${q.trim()}` : q.trim();
}

/**
 * The FROM/WHERE of a view without search, over `photos p` or over the search rows
 * (`photo_facets f`, [Note: Search rows in grid order]), which carry the same flag columns.
 */
function baseClause(
  view: LibraryView,
  features: LibraryFeatures,
  a: 'p' | 'f',
  walk = false,
  index?: string,
): { sql: string; params: unknown[] } {
  const table =
    a === 'p' ? 'photos p' : walk ? 'photo_facets f NOT INDEXED' : index ? `photo_facets f INDEXED BY ${index}` : 'photo_facets f';
  // A walk also marks its flag terms unusable for an index (`+f.archived`): with several flag
  // terms, SQLite 3.53 still skip-scans a covering index despite NOT INDEXED, then sorts.
  const c = walk ? `+${a}` : a;
  switch (view.kind) {
    case 'all':
      return { sql: `FROM ${table} WHERE ${c}.archived = 0${browseConditions(features, c)}`, params: [] };
    case 'favorites':
      return { sql: `FROM ${table} WHERE ${c}.favorite = 1 AND ${c}.archived = 0${browseConditions(features, c)}`, params: [] };
    case 'review':
      return {
        sql: `FROM ${table} WHERE ${c}.archived = 0 AND ${c}.quality < 3${features.private ? ` AND ${c}.private = 0` : ''}`,
        params: [],
      };
    case 'private':
      return { sql: `FROM ${table} WHERE ${c}.archived = 0 AND ${c}.private = 1`, params: [] };
    case 'archive':
      return { sql: `FROM ${table} WHERE ${c}.archived = 1`, params: [] };
    case 'album':
      // See [Note: CROSS JOIN for album members]: start from the album, then sort its members.
      return {
        sql: `FROM album_photos ap CROSS JOIN ${table} ON ${a}.uid = ap.photo_uid WHERE ap.album_uid = ? AND ${a}.archived = 0`,
        params: [view.albumUid],
      };
    case 'videos':
      // PhotoPrism's Videos page (`video=true` → photo_type = 'video') with the browse conditions.
      return { sql: `FROM ${table} WHERE ${c}.type = 'video' AND ${c}.archived = 0${browseConditions(features, c)}`, params: [] };
    case 'browse':
      // The item's photos as the server listed them (main/library/browse-service.ts): its own
      // search already applied PhotoPrism's filters, so only archiving since then is left out.
      return {
        sql: `FROM browse_photos bp CROSS JOIN ${table} ON ${a}.uid = bp.photo_uid WHERE bp.section = ? AND bp.item_key = ? AND ${a}.archived = 0`,
        params: [view.section, view.key],
      };
  }
}

/**
 * A view's own rows: the flag views walk the search rows in grid order ([Note: Views walk the
 * search rows] in main/db/migrations/0310-views-walk-search-rows.ts); an album or a browse item
 * starts from its members and reads them from `photos` by UID.
 */
function viewRows(view: LibraryView, features: LibraryFeatures, page = false): { sql: string; params: unknown[]; alias: 'p' | 'f' } {
  const alias = view.kind === 'album' || view.kind === 'browse' ? 'p' : 'f';
  // A page walks the primary key in grid order and stops at its LIMIT. Once the search index is
  // built ([Note: Search by index]), its covering indexes hold the same flag columns, and the
  // planner may pick one and then sort the whole view in a temporary B-tree for every page (100k
  // rows for "All"): NOT INDEXED keeps the walk. Favourites, Archive and Videos have partial
  // indexes in grid order of their own (migrations 0310, 0340). The planner picks the first two by
  // itself; for Videos it may prefer the search index's type index and sort, so it is named.
  const ownIndex = view.kind === 'favorites' || view.kind === 'archive' || view.kind === 'videos';
  const walk = page && alias === 'f' && !ownIndex;
  return { ...baseClause(view, features, alias, walk, page && view.kind === 'videos' ? 'photo_facets_videos' : undefined), alias };
}

/**
 * The FROM/WHERE of a view, shared by pages, totals and month buckets: over `photos p` or over
 * the search rows `photo_facets f` (see viewRows; a search the cache evaluates itself always
 * walks the search rows, [Note: Search rows in grid order]); `alias` says which.
 */
function viewClause(
  view: LibraryView,
  q: string,
  features: LibraryFeatures,
  source: SearchSource = 'cache',
  access: SearchAccess = 'index',
): { sql: string; params: unknown[]; alias: 'p' | 'f' } {
  const text = q.trim();
  if (text !== '' && source === 'server') {
    const base = viewRows(view, features);
    return {
      sql: `${base.sql} AND ${base.alias}.uid IN (SELECT r.uid FROM search_results r WHERE r.query = ?)`,
      params: [...base.params, searchKey(view, text)],
      alias: base.alias,
    };
  }
  const search = text === '' ? null : offlineSearch(text, 'f', access === 'index');
  if (search === null || search.sql === '') return viewRows(view, features, access === 'walk');
  if (search.favoriteOnly !== undefined) {
    // The view's rows and month summary answer it (see monthSummaryWhere).
    const base = viewRows(view, features, access === 'walk');
    return { ...base, sql: `${base.sql} AND ${base.alias}.favorite = ${search.favoriteOnly ? 1 : 0}` };
  }
  const base = baseClause(view, features, 'f', access === 'walk');
  return { sql: `${base.sql}${search.sql}`, params: [...base.params, ...search.params], alias: 'f' };
}

/** Does the cache itself filter this query by the search rows ([Note: Search rows in grid order])? */
function filtersLocally(q: string, source: SearchSource): boolean {
  const text = q.trim();
  if (text === '' || source !== 'cache') return false;
  const search = offlineSearch(text);
  return search.sql !== '' && search.favoriteOnly === undefined;
}

/** `favorite:` as the only local condition of a cache search: its value, else undefined. */
function favoriteOnly(q: string, source: SearchSource): boolean | undefined {
  return q.trim() === '' || source !== 'cache' ? undefined : offlineSearch(q.trim()).favoriteOnly;
}

/**
 * The `photo_months` condition of a view whose photos are selected by flags alone (no search
 * text, not an album), or null: see [Note: Month summary] in main/db/migrations/0200-photo-months.ts.
 * Each case is the flag form of the same view's viewClause.
 */
function monthSummaryWhere(view: LibraryView, q: string, features: LibraryFeatures, source: SearchSource = 'cache'): string | null {
  // A query the cache cannot filter by (only `label:`, `person:`…) shows the whole view, with a note.
  if (q.trim() !== '' && (source === 'server' || filtersLocally(q, source))) return null;
  const favorite = favoriteOnly(q, source);
  if (favorite !== undefined) {
    const where = monthSummaryWhere(view, '', features);
    return where === null ? null : `${where} AND favorite = ${favorite ? 1 : 0}`;
  }
  const browse = `${features.private ? ' AND private = 0' : ''}${features.review ? ' AND reviewed = 1' : ''}`;
  switch (view.kind) {
    case 'all':
      return `archived = 0${browse}`;
    case 'favorites':
      return `favorite = 1 AND archived = 0${browse}`;
    case 'review':
      return `archived = 0 AND reviewed = 0${features.private ? ' AND private = 0' : ''}`;
    case 'private':
      return 'archived = 0 AND private = 1';
    case 'archive':
      return 'archived = 1';
    case 'album':
    case 'videos':
    case 'browse':
      return null;
  }
}

/** Month buckets from the summary (newest first); exported for the query-plan tests. */
export function summaryMonthsSql(where: string): string {
  return `SELECT month, sum(count) AS count FROM photo_months WHERE ${where} GROUP BY month HAVING sum(count) > 0 ORDER BY month DESC`;
}

/** Running offsets for month rows in grid order. */
function withOffsets(rows: readonly { month: string; count: number }[]): MonthBucket[] {
  let offset = 0;
  const buckets: MonthBucket[] = [];
  for (const row of rows) {
    // Unknown dates (PhotoPrism's zero time) sort last as "0001-01"; still a valid bucket.
    buckets.push({ month: row.month, count: row.count, offset });
    offset += row.count;
  }
  return buckets;
}

/**
 * The SQL of a view page; exported so the query-plan tests check the very string the app runs.
 * With `fromMonth`, the page starts at that month and goes on into older months: the skip
 * (OFFSET) then counts from that month's first photo. See LibraryRepo.query and [Note: Month summary].
 * `access`: how a search the cache evaluates reads the search rows.
 */
export function pageSql(
  view: LibraryView,
  q: string,
  features: LibraryFeatures = DEFAULT_FEATURES,
  source: SearchSource = 'cache',
  fromMonth?: string,
  toMonth?: string,
  access: SearchAccess = 'index',
): { sql: string; params: unknown[] } {
  // A view's own page (no search the cache filters by) always walks in grid order: see viewRows.
  const clause = viewClause(view, q, features, source, filtersLocally(q, source) ? access : 'walk');
  const a = clause.alias;
  // '~' sorts after every character of a timestamp: every photo of `month` and none newer.
  // `YYYY-MM` sorts before every timestamp of that month: with `toMonth`, none older.
  const from = `${fromMonth === undefined ? '' : ` AND ${a}.taken_at_local < ?`}${toMonth === undefined ? '' : ` AND ${a}.taken_at_local >= ?`}`;
  const params = [...clause.params, ...(fromMonth === undefined ? [] : [`${fromMonth}~`]), ...(toMonth === undefined ? [] : [toMonth])];
  if (a === 'f') {
    // The search rows in grid order pick the page's UIDs; only those rows are read from photos.
    return {
      sql: `SELECT ${PHOTO_COLUMNS} FROM (SELECT f.uid, f.taken_at_local ${clause.sql}${from}
        ORDER BY f.taken_at_local DESC, f.uid DESC LIMIT ? OFFSET ?) s CROSS JOIN photos p ON p.uid = s.uid
        ORDER BY s.taken_at_local DESC, s.uid DESC`,
      params,
    };
  }
  return {
    // Newest first by local time taken, as PhotoPrism orders (files.photo_taken_at = TakenAtLocal).
    sql: `SELECT ${PHOTO_COLUMNS} ${clause.sql}${from} ORDER BY p.taken_at_local DESC, p.uid DESC LIMIT ? OFFSET ?`,
    params,
  };
}

/** The SQL of a view's month buckets (newest first), by the month where each photo was taken (`access`: see pageSql). */
export function monthsSql(
  view: LibraryView,
  q: string,
  features: LibraryFeatures = DEFAULT_FEATURES,
  source: SearchSource = 'cache',
  access: SearchAccess = 'index',
): { sql: string; params: unknown[] } {
  const clause = viewClause(view, q, features, source, access);
  const a = clause.alias;
  return {
    // By position: `month` would name photo_facets' own month column (the month number) there.
    sql: `SELECT substr(${a}.taken_at_local, 1, 7) AS month, count(*) AS count ${clause.sql} GROUP BY 1 ORDER BY 1 DESC`,
    params: clause.params,
  };
}

/**
 * The sidebar's album list with counts and covers.
 *
 * [Note: CROSS JOIN for album members] SQLite's planner, without statistics (a fresh index),
 * may walk all photos in grid order and probe album_photos for each (≈ 300 ms at 100k
 * photos, on the first screen's path). CROSS JOIN fixes the order: the album's members first
 * (its primary key), then each member's row by uid — a handful of lookups per album.
 */
export const ALBUMS_SQL = `
      SELECT a.uid, a.title, a.favorite,
        (SELECT max(p.taken_at_local) FROM album_photos ap CROSS JOIN photos p ON p.uid = ap.photo_uid
          WHERE ap.album_uid = a.uid AND p.archived = 0) AS newest_taken_at_local,
        (SELECT count(*) FROM album_photos ap CROSS JOIN photos p ON p.uid = ap.photo_uid
          WHERE ap.album_uid = a.uid AND p.archived = 0) AS photo_count,
        COALESCE(
          (SELECT p.uid FROM photos p WHERE a.thumb_hash <> '' AND p.thumb_hash = a.thumb_hash AND p.archived = 0 LIMIT 1),
          (SELECT p.uid FROM album_photos ap CROSS JOIN photos p ON p.uid = ap.photo_uid
            WHERE ap.album_uid = a.uid AND p.archived = 0 ORDER BY p.taken_at_local DESC, p.uid DESC LIMIT 1)
        ) AS cover_uid
      FROM albums a ORDER BY a.favorite DESC, a.title COLLATE NOCASE, a.uid DESC`;

/** The SQL refreshByUid and the diff use to read current rows. */
export const PHOTOS_BY_UID_SQL = `SELECT ${PHOTO_COLUMNS} FROM photos p WHERE p.uid IN (SELECT value FROM json_each(?))`;

function toSummary(row: PhotoSqlRow): PhotoSummary {
  return {
    uid: row.uid,
    title: row.title,
    takenAt: row.taken_at,
    takenAtLocal: row.taken_at_local,
    width: row.width,
    height: row.height,
    type: row.type,
    favorite: row.favorite === 1,
    private: row.private === 1,
    archived: row.archived === 1,
    ...(row.duration_ms > 0 ? { durationMs: row.duration_ms } : {}),
    ...(row.stack_size > 1 ? { stackSize: row.stack_size } : {}),
  };
}

function toRecord(row: PhotoSqlRow): PhotoRecord {
  return {
    ...toSummary(row),
    quality: row.quality,
    description: row.description,
    thumbHash: row.thumb_hash,
    fileName: row.file_name,
    fileSizeBytes: row.file_size,
    durationMs: row.duration_ms,
    cameraModel: row.camera_model,
    lensModel: row.lens_model,
    iso: row.iso,
    exposure: row.exposure,
    fNumber: row.f_number,
    focalLengthMm: row.focal_length,
    placeLabel: row.place_label,
    lat: row.lat,
    lng: row.lng,
    serverUpdatedAt: row.server_updated_at,
    stackSize: row.stack_size,
  };
}

const b = (value: boolean) => (value ? 1 : 0);

/** The `photos` columns an upsert writes, in the order runPhoto passes their values. */
const PHOTO_WRITE_COLUMNS = [
  'uid',
  'title',
  'description',
  'taken_at',
  'taken_at_local',
  'quality',
  'width',
  'height',
  'type',
  'favorite',
  'private',
  'archived',
  'thumb_hash',
  'file_name',
  'file_size',
  'camera_model',
  'lens_model',
  'iso',
  'exposure',
  'f_number',
  'focal_length',
  'place_label',
  'lat',
  'lng',
  'server_updated_at',
  'duration_ms',
  'stack_size',
] as const;

/**
 * Write one photo's values in PHOTO_WRITE_COLUMNS order; answers whether the row changed.
 * The values are the call's own arguments ([Note: Ingest speed]).
 */
function runPhoto(stmt: Statement, photo: PhotoRecord): boolean {
  return (
    stmt.run(
      photo.uid,
      photo.title,
      photo.description,
      photo.takenAt,
      photo.takenAtLocal,
      photo.quality,
      photo.width,
      photo.height,
      photo.type,
      b(photo.favorite),
      b(photo.private),
      b(photo.archived),
      photo.thumbHash,
      photo.fileName,
      photo.fileSizeBytes,
      photo.cameraModel,
      photo.lensModel,
      photo.iso,
      photo.exposure,
      photo.fNumber,
      photo.focalLengthMm,
      photo.placeLabel,
      photo.lat,
      photo.lng,
      photo.serverUpdatedAt,
      photo.durationMs,
      photo.stackSize ?? 0,
    ).changes > 0
  );
}

/** Every column but the key; an unchanged row writes nothing (and fires no trigger). */
const UPSERT_PHOTO_SQL = (() => {
  const rest = PHOTO_WRITE_COLUMNS.filter((c) => c !== 'uid');
  return `INSERT INTO photos (${PHOTO_WRITE_COLUMNS.join(', ')}) VALUES (${PHOTO_WRITE_COLUMNS.map(() => '?').join(', ')})
    ON CONFLICT (uid) DO UPDATE SET ${rest.map((c) => `${c} = excluded.${c}`).join(', ')}
    WHERE (${rest.map((c) => `photos.${c}`).join(', ')}) IS NOT (${rest.map((c) => `excluded.${c}`).join(', ')})`;
})();

/**
 * The search row's own facet columns ([Note: Search rows in grid order]). The columns it copies
 * from `photos` (SEARCH_ROW_PHOTO_COLUMNS) are written from the record just written to photos;
 * later changes to them follow by trigger.
 */
const FACET_COLUMNS = [
  'year',
  'month',
  'day',
  'country',
  'state',
  'city',
  'camera_id',
  'camera_name',
  'camera_model',
  'camera_slug',
  'lens_id',
  'lens_name',
  'lens_model',
  'lens_slug',
  'faces',
  'path',
  'name',
  'keywords',
] as const;
const SEARCH_ROW_PHOTO_COLUMNS = ['taken_at_local', 'uid', 'archived', 'favorite', 'private', 'quality', 'type', 'title'] as const;

/** Write one search row's values in SEARCH_ROW_PHOTO_COLUMNS + FACET_COLUMNS order, as the call's own arguments. */
function runFacets(stmt: Statement, photo: PhotoRecord, f: PhotoFacets): void {
  stmt.run(
    photo.takenAtLocal,
    photo.uid,
    b(photo.archived),
    b(photo.favorite),
    b(photo.private),
    photo.quality,
    photo.type,
    photo.title,
    f.year,
    f.month,
    f.day,
    f.country,
    f.state,
    f.city,
    f.cameraId,
    f.cameraName,
    f.cameraModel,
    f.cameraSlug,
    f.lensId,
    f.lensName,
    f.lensModel,
    f.lensSlug,
    f.faces,
    f.path,
    f.name,
    f.keywords,
  );
}

/**
 * Unchanged facets write nothing. The photo's search row is found by its uid (the unique index
 * of migration 0260), or while a first index writes without that index, by its place in grid
 * order, the primary key: see [Note: A first index builds the hash index at its end].
 */
function upsertFacetsSql(conflict: 'uid' | 'taken_at_local, uid'): string {
  return `INSERT INTO photo_facets (${[...SEARCH_ROW_PHOTO_COLUMNS, ...FACET_COLUMNS].join(', ')})
  VALUES (${[...SEARCH_ROW_PHOTO_COLUMNS, ...FACET_COLUMNS].map(() => '?').join(', ')})
  ON CONFLICT (${conflict}) DO UPDATE SET ${FACET_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}
  WHERE (${FACET_COLUMNS.map((c) => `photo_facets.${c}`).join(', ')}) IS NOT (${FACET_COLUMNS.map((c) => `excluded.${c}`).join(', ')})`;
}
const UPSERT_FACETS_BY_UID_SQL = upsertFacetsSql('uid');
const UPSERT_FACETS_BY_PLACE_SQL = upsertFacetsSql('taken_at_local, uid');

/**
 * A photo written without facets (not from a search result) still gets its search row, with no
 * facet values: filters on photo columns find it, facet filters do not (as before 0260).
 */
const EMPTY_FACETS_SQL = `INSERT INTO photo_facets (${[...SEARCH_ROW_PHOTO_COLUMNS, ...FACET_COLUMNS].join(', ')})
  SELECT p.taken_at_local, p.uid, p.archived, p.favorite, p.private, p.quality, p.type, p.title,
    0, 0, 0, '', '', '', 0, '', '', '', 0, '', '', '', 0, '', '', ''
  FROM photos p WHERE p.uid = ?
  ON CONFLICT DO NOTHING`;

/**
 * [Note: A first index builds the hash index at its end]
 * Photos arrive newest first, and their thumbnail hashes (SHA-1, 40 characters) follow no order:
 * kept row by row, `photos_by_thumb_hash` takes each insert to a random leaf of a 5 MB index, larger
 * than SQLite's page cache, and every batch's commit writes most of those leaves to the WAL again.
 * That was about a quarter of the SQL's CPU in a first index (ingest experiment at 100k, same
 * minute: 15–16.6 → ~12 µs of CPU per photo). So a first full index drops it and builds it once
 * from the rows in place when its photo pages are written, before the albums are listed (a
 * sorted build: ~50 ms of CPU at 100k). An index never changes an answer, only its cost; the one
 * reader of a photo by its hash is a cover (albums, browse items), a few look-ups per list, and
 * during a first index those lists are read from the growing cache at most a few times (the
 * sidebar's browse lists wait for the complete index). A crash or a stop mid-index leaves it
 * missing: the next start builds it (LibraryService.start).
 *
 * The search rows' uid index (`photo_facets_by_uid`, migration 0260) goes the same way: UIDs
 * follow no order either, so each row was an insert at a random leaf and every commit wrote those
 * leaves again (an experiment on the ingest's 100k rows, three rounds each: 18.5–22.7 → 15.3–16.3
 * µs of SQL CPU per photo). Meanwhile a page's search row is found by its place in grid order
 * instead, the primary key (`taken_at_local, uid`), which holds the same one row: the row moves
 * with its photo's date (the photo_facets_follow_photo trigger, which runs before the search row
 * is written), so a photo never has two. What reads a search row by its uid while the index is
 * missing (that trigger, an edit's keywords, the cascade of a deleted photo, a search in an album)
 * reads the search rows instead (each look-up, or a join's once into an automatic index SQLite
 * builds for the query; docs/sqlite.md §1.2): a few milliseconds on a cache that is still filling, and the same
 * answer. The unique index is built with the hash index (docs/sqlite.md §1.3), and the upsert's
 * conflict target follows it at each call (docs/sqlite.md §1.1).
 *
 * The other indexes stay: `photos`' own uid index is the conflict target of the photo upsert,
 * the partial indexes of Favourites, Archive and Videos page those views, and the month buckets
 * (photo_months) are read by the grid while the first index arrives. Later full indexes write into
 * an existing cache and keep today's path (an index dropped there would be rebuilt over every
 * photo for a few changed).
 */
const THUMB_HASH_INDEX = 'photos_by_thumb_hash';
const FACETS_UID_INDEX = 'photo_facets_by_uid';
/** As migrations 0010 and 0260 made them. */
const BULK_LOAD_INDEXES_SQL = `CREATE INDEX IF NOT EXISTS ${THUMB_HASH_INDEX} ON photos (thumb_hash);
  CREATE UNIQUE INDEX IF NOT EXISTS ${FACETS_UID_INDEX} ON photo_facets (uid);`;

/**
 * All SQL of the library cache, as prepared statements.
 *
 * Writers take whole pages and run in one transaction each (the 20k rows/s target). Upserts
 * report which rows really changed, so `library.changed` names only those.
 */
export class LibraryRepo {
  readonly #db: WritableDb;
  readonly #log: Logger;
  readonly #statements = new Map<string, Statement>();
  /** Open `bulkWrites` calls (a full index): see [Note: Index pages commit without their own fsync]. */
  #bulkDepth = 0;
  /** The last search's month buckets and what they were computed from (see #searchMonths). */
  #lastSearchMonths: { key: string; buckets: MonthBucket[] } | undefined;
  /** Whether the search index is complete (library_meta, read once). */
  #searchIndexReady: boolean | undefined;
  /** Where buildSearchIndexStep goes on: its phase, the last uid whose words are filled, the next index. */
  #searchIndexStep: { phase: 'head' | 'words' | 'indexes' | 'ready'; after: string; index: number } | undefined;

  constructor(db: WritableDb, log: Logger) {
    this.#db = db;
    this.#log = log;
  }

  // --- photos: writes ------------------------------------------------------------------

  /**
   * Insert or update photos; answers the UIDs whose stored values changed (or are new).
   *
   * [Note: Ingest speed]
   * A full index writes every photo of the library through here (100k at a time on a first run),
   * so the per-row cost is the index's cost. Values are bound by position, as the statement call's
   * own arguments: binding a spread object of ~45 keys by name cost about three times the SQL
   * itself, and an array of values still cost an element read per value in the binder (~4 % of
   * the ingest's CPU in a perf profile) (test/bench/library.bench.ts, library.ingest_photos_per_s).
   */
  upsertPhotos(photos: readonly PhotoRecord[]): string[] {
    const stmt = this.#prepare(UPSERT_PHOTO_SQL);
    // Without the uid index during a first index: see [Note: A first index builds the hash index at its end].
    const facetStmt = this.#prepare(this.#hasIndex(FACETS_UID_INDEX) ? UPSERT_FACETS_BY_UID_SQL : UPSERT_FACETS_BY_PLACE_SQL);
    const emptyFacetStmt = this.#prepare(EMPTY_FACETS_SQL);
    const changed: string[] = [];
    this.#cacheWrite(() => {
      for (const photo of photos) {
        if (runPhoto(stmt, photo)) changed.push(photo.uid);
        const facets = photo.facets;
        if (facets) runFacets(facetStmt, photo, facets);
        else emptyFacetStmt.run(photo.uid);
      }
    });
    return changed;
  }

  /** Mark photos archived (the server says they are); answers those that were not yet. */
  markArchived(uids: readonly string[]): string[] {
    const stmt = this.#prepare('UPDATE photos SET archived = 1 WHERE uid = ? AND archived = 0');
    const changed: string[] = [];
    this.#write(() => {
      for (const uid of uids) if (stmt.run(uid).changes > 0) changed.push(uid);
    });
    return changed;
  }

  /** Remove photos gone from the server (membership rows cascade); answers those removed. */
  deletePhotos(uids: readonly string[]): string[] {
    const stmt = this.#prepare('DELETE FROM photos WHERE uid = ?');
    const removed: string[] = [];
    this.#write(() => {
      for (const uid of uids) if (stmt.run(uid).changes > 0) removed.push(uid);
    });
    return removed;
  }

  /**
   * Every cached photo UID (for the sweep after a full index). Plain strings, read from the uid
   * index alone: an object per row with its archived flag (which no caller read), from the wide
   * table, took about twice the CPU at the end of a 100k index (~120 → ~65 ms, same minute).
   */
  photoUids(): string[] {
    return this.#prepare('SELECT uid FROM photos').pluck().all() as string[];
  }

  /** Current rows of some photos (missing ones are absent). */
  photosByUid(uids: readonly string[]): Map<string, PhotoRecord> {
    const rows = this.#prepare(PHOTOS_BY_UID_SQL).all(JSON.stringify(uids)) as PhotoSqlRow[];
    return new Map(rows.map((r) => [r.uid, toRecord(r)]));
  }

  /** Grid rows of cached photos by UID (in no order), as `query` answers them. */
  photoSummaries(uids: readonly string[]): Map<string, PhotoSummary> {
    const rows = this.#prepare(PHOTOS_BY_UID_SQL).all(JSON.stringify(uids)) as PhotoSqlRow[];
    return new Map(rows.map((r) => [r.uid, toSummary(r)]));
  }

  /** The hash to fetch a photo's thumbnail by, if the photo is cached. */
  thumbHash(uid: string): string | undefined {
    const row = this.#prepare('SELECT thumb_hash FROM photos WHERE uid = ?').get(uid) as { thumb_hash: string } | undefined;
    return row?.thumb_hash;
  }

  // --- albums ----------------------------------------------------------------------------

  /** Insert or update albums; answers the UIDs that changed. */
  upsertAlbums(albums: readonly AlbumRecord[]): string[] {
    const stmt = this.#prepare(`
      INSERT INTO albums (uid, title, favorite, thumb_hash, server_photo_count, server_updated_at)
      VALUES (@uid, @title, @favorite, @thumbHash, @serverPhotoCount, @serverUpdatedAt)
      ON CONFLICT (uid) DO UPDATE SET title = excluded.title, favorite = excluded.favorite,
        thumb_hash = excluded.thumb_hash, server_photo_count = excluded.server_photo_count,
        server_updated_at = excluded.server_updated_at
      WHERE (albums.title, albums.favorite, albums.thumb_hash, albums.server_photo_count, albums.server_updated_at)
        IS NOT (excluded.title, excluded.favorite, excluded.thumb_hash, excluded.server_photo_count,
                excluded.server_updated_at)`);
    const changed: string[] = [];
    this.#write(() => {
      for (const album of albums) {
        if (stmt.run({ ...album, favorite: b(album.favorite) }).changes > 0) changed.push(album.uid);
      }
    });
    return changed;
  }

  /** Remove albums gone from the server; answers those removed. */
  deleteAlbums(uids: readonly string[]): string[] {
    const stmt = this.#prepare('DELETE FROM albums WHERE uid = ?');
    const removed: string[] = [];
    this.#write(() => {
      for (const uid of uids) if (stmt.run(uid).changes > 0) removed.push(uid);
    });
    return removed;
  }

  /**
   * Cached albums: the server UpdatedAt their membership was last listed at, and how many
   * visible (non-archived) members the cache holds, to spot membership changes cheaply.
   */
  albumStates(): Map<string, { membersSeenAt: string | null; localPhotoCount: number }> {
    // See [Note: CROSS JOIN for album members].
    const rows = this.#prepare(
      `
      SELECT a.uid, a.members_seen_at,
        (SELECT count(*) FROM album_photos ap CROSS JOIN photos p ON p.uid = ap.photo_uid
          WHERE ap.album_uid = a.uid AND p.archived = 0) AS local_count
      FROM albums a`,
    ).all() as { uid: string; members_seen_at: string | null; local_count: number }[];
    return new Map(rows.map((r) => [r.uid, { membersSeenAt: r.members_seen_at, localPhotoCount: r.local_count }]));
  }

  /**
   * Make an album's membership exactly `photoUids` (those cached; others are skipped);
   * answers whether anything changed.
   */
  replaceAlbumMembers(albumUid: string, photoUids: readonly string[], seenAt: string): boolean {
    const current = new Set(
      (this.#prepare('SELECT photo_uid FROM album_photos WHERE album_uid = ?').all(albumUid) as { photo_uid: string }[]).map(
        (r) => r.photo_uid,
      ),
    );
    const next = new Set(photoUids);
    const insert = this.#prepare('INSERT OR IGNORE INTO album_photos (album_uid, photo_uid) SELECT ?, uid FROM photos WHERE uid = ?');
    const remove = this.#prepare('DELETE FROM album_photos WHERE album_uid = ? AND photo_uid = ?');
    const seen = this.#prepare('UPDATE albums SET members_seen_at = ? WHERE uid = ?');
    let changed = false;
    this.#write(() => {
      for (const uid of next) if (!current.has(uid) && insert.run(albumUid, uid).changes > 0) changed = true;
      for (const uid of current) if (!next.has(uid) && remove.run(albumUid, uid).changes > 0) changed = true;
      seen.run(seenAt, albumUid);
    });
    return changed;
  }

  // --- curation actions (main/actions/) -----------------------------------------------------
  // Targeted writes for what an action just did on the server; each joins the caller's
  // transaction, so the actions module commits them together with the event it appends.
  // See [Note: Event log and cache in one transaction].

  /** Set the favourite or private flag of cached photos; answers the UIDs whose flag changed. */
  setPhotoFlag(flag: 'favorite' | 'private', uids: readonly string[], value: boolean): string[] {
    // The column name comes from a closed union, never from input.
    const stmt = this.#prepare(`UPDATE photos SET ${flag} = ? WHERE uid = ? AND ${flag} <> ?`);
    const changed: string[] = [];
    this.#write(() => {
      for (const uid of uids) if (stmt.run(b(value), uid, b(value)).changes > 0) changed.push(uid);
    });
    return changed;
  }

  /**
   * Approved on the server: quality 3 at least, and out of the archive (PhotoPrism
   * internal/entity/search/photos_results.go, Photo.Approve); answers the UIDs that changed.
   */
  setApproved(uids: readonly string[]): string[] {
    const stmt = this.#prepare('UPDATE photos SET quality = 3, archived = 0 WHERE uid = ? AND (quality < 3 OR archived = 1)');
    const changed: string[] = [];
    this.#write(() => {
      for (const uid of uids) if (stmt.run(uid).changes > 0) changed.push(uid);
    });
    return changed;
  }

  /** Set a cached photo's title (and its search words); answers whether the row changed. */
  setPhotoTitle(uid: string, title: string): boolean {
    let changed = false;
    this.#write(() => {
      changed = this.#prepare('UPDATE photos SET title = ? WHERE uid = ? AND title <> ?').run(title, uid, title).changes > 0;
      if (changed) this.#writeKeywords(uid);
    });
    return changed;
  }

  /**
   * A photo's search keywords after its title or description changed here (an offline edit, the
   * server's answer to one): a search finds it by its new words at once, not after the next
   * index ([Note: Search by index]: the words follow the keywords by trigger).
   */
  #writeKeywords(uid: string): void {
    const row = this.#prepare('SELECT title, description FROM photos WHERE uid = ?').get(uid) as
      { title: string; description: string } | undefined;
    if (!row) return;
    const keywords = keywordsColumn(row.title, row.description);
    this.#prepare('UPDATE photo_facets SET keywords = ? WHERE uid = ? AND keywords <> ?').run(keywords, uid, keywords);
  }

  /**
   * Write what a metadata edit changed into a cached photo (the values the server answered, or
   * typed while offline: the offline queue's applyLocally); answers whether the row changed.
   * Keywords, Details, the zone, the country and the flags are not cached: the inspector reads
   * them from the server. The search row follows at once: new words, the new date's year, month
   * and day, and the camera and lens when the edit names them (`devices`), so an offline
   * `year:` or `camera:` search finds the photo as edited, not as last indexed.
   */
  setPhotoMetadata(uid: string, values: CachedMetadata, devices: EditedDevices = {}): boolean {
    let changed = false;
    this.#write(() => {
      const before = this.#prepare('SELECT taken_at_local FROM photos WHERE uid = ?').get(uid) as { taken_at_local: string } | undefined;
      changed = this.#updateMetadata(uid, values);
      if (changed) this.#writeKeywords(uid);
      // Only a moved date: PhotoPrism keeps an unknown day or month (-1) apart from the time, and another edit keeps it.
      const moved = before !== undefined && before.taken_at_local !== values.takenAtLocal;
      this.#writeEditedFacets(uid, moved ? values.takenAtLocal : '', devices);
    });
    return changed;
  }

  /** The search row's date parts (from a moved local time) and edited devices. */
  #writeEditedFacets(uid: string, takenAtLocal: string, devices: EditedDevices): void {
    const sets: string[] = [];
    const params: Array<string | number> = [];
    const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(takenAtLocal);
    if (date) {
      sets.push('year = ?, month = ?, day = ?');
      params.push(Number(date[1]), Number(date[2]), Number(date[3]));
    }
    for (const kind of ['camera', 'lens'] as const) {
      const device = devices[kind];
      if (!device) continue;
      sets.push(`${kind}_id = ?, ${kind}_name = ?, ${kind}_model = ?, ${kind}_slug = ?`);
      params.push(device.id, device.name, device.model, device.slug);
    }
    if (sets.length > 0) this.#prepare(`UPDATE photo_facets SET ${sets.join(', ')} WHERE uid = ?`).run(...params, uid);
  }

  #updateMetadata(uid: string, values: CachedMetadata): boolean {
    return (
      this.#prepare(
        `UPDATE photos SET title = @title, description = @description, taken_at = @takenAt, taken_at_local = @takenAtLocal,
           lat = @lat, lng = @lng, type = @type, iso = @iso, exposure = @exposure, f_number = @fNumber, focal_length = @focalLengthMm,
           camera_model = @cameraModel, lens_model = @lensModel
         WHERE uid = @uid AND (title <> @title OR description <> @description OR taken_at <> @takenAt
           OR taken_at_local <> @takenAtLocal OR lat <> @lat OR lng <> @lng OR type <> @type OR iso <> @iso
           OR exposure <> @exposure OR f_number <> @fNumber OR focal_length <> @focalLengthMm
           OR camera_model <> @cameraModel OR lens_model <> @lensModel)`,
      ).run({ uid, ...values }).changes > 0
    );
  }

  /**
   * Archive or restore cached photos; answers the UIDs that changed. Archiving also drops their
   * album memberships: PhotoPrism hides an archived photo in every album for good (docs/photoprism-api.md §5).
   */
  setArchived(uids: readonly string[], archived: boolean): string[] {
    const stmt = this.#prepare('UPDATE photos SET archived = ? WHERE uid = ? AND archived <> ?');
    const unlink = this.#prepare('DELETE FROM album_photos WHERE photo_uid = ?');
    const changed: string[] = [];
    this.#write(() => {
      for (const uid of uids) {
        if (stmt.run(b(archived), uid, b(archived)).changes > 0) changed.push(uid);
        if (archived) unlink.run(uid);
      }
    });
    return changed;
  }

  /** Which cached albums each photo is in (photos in none are absent). */
  albumsOfPhotos(photoUids: readonly string[]): Map<string, string[]> {
    const rows = this.#prepare(
      'SELECT photo_uid, album_uid FROM album_photos WHERE photo_uid IN (SELECT value FROM json_each(?)) ORDER BY album_uid',
    ).all(JSON.stringify(photoUids)) as { photo_uid: string; album_uid: string }[];
    const map = new Map<string, string[]>();
    for (const row of rows) {
      const list = map.get(row.photo_uid) ?? [];
      list.push(row.album_uid);
      map.set(row.photo_uid, list);
    }
    return map;
  }

  /** The cached members of an album (archived photos included while their rows remain). */
  albumMembers(albumUid: string): Set<string> {
    const rows = this.#prepare('SELECT photo_uid FROM album_photos WHERE album_uid = ?').all(albumUid) as {
      photo_uid: string;
    }[];
    return new Set(rows.map((r) => r.photo_uid));
  }

  /** Add memberships (cached photos only; others are skipped); answers the photos newly added. */
  addAlbumMembers(albumUid: string, photoUids: readonly string[]): string[] {
    const insert = this.#prepare('INSERT OR IGNORE INTO album_photos (album_uid, photo_uid) SELECT ?, uid FROM photos WHERE uid = ?');
    const added: string[] = [];
    this.#write(() => {
      for (const uid of photoUids) if (insert.run(albumUid, uid).changes > 0) added.push(uid);
    });
    return added;
  }

  /** Remove memberships; answers the photos that were members. */
  removeAlbumMembers(albumUid: string, photoUids: readonly string[]): string[] {
    const remove = this.#prepare('DELETE FROM album_photos WHERE album_uid = ? AND photo_uid = ?');
    const removed: string[] = [];
    this.#write(() => {
      for (const uid of photoUids) if (remove.run(albumUid, uid).changes > 0) removed.push(uid);
    });
    return removed;
  }

  /** One cached album, or undefined. */
  albumByUid(uid: string): AlbumRecord | undefined {
    const row = this.#prepare(
      'SELECT uid, title, favorite, thumb_hash, server_photo_count, server_updated_at FROM albums WHERE uid = ?',
    ).get(uid) as
      | { uid: string; title: string; favorite: number; thumb_hash: string; server_photo_count: number; server_updated_at: string }
      | undefined;
    if (!row) return undefined;
    return {
      uid: row.uid,
      title: row.title,
      favorite: row.favorite === 1,
      thumbHash: row.thumb_hash,
      serverPhotoCount: row.server_photo_count,
      serverUpdatedAt: row.server_updated_at,
    };
  }

  /** Rename a cached album; answers whether the row changed. */
  setAlbumTitle(uid: string, title: string): boolean {
    return this.#prepare('UPDATE albums SET title = ? WHERE uid = ? AND title <> ?').run(title, uid, title).changes > 0;
  }

  // --- search ---------------------------------------------------------------------------

  /**
   * [Note: Search online, then offline]
   * A search typed while connected runs on the server (PhotoPrism's own rules and data: labels,
   * people, keywords) and its photo UIDs are kept per query; the view's own conditions still
   * apply locally. The same query later — offline too — reads that answer. A query never run
   * online is evaluated over the cache (main/library/offline-search.ts), which says what it
   * could not apply.
   */
  searchSource(view: LibraryView, q: string): SearchSource {
    if (q.trim() === '') return 'cache';
    return this.serverSearchedAt(view, q) !== undefined ? 'server' : 'cache';
  }

  /** When the server's cached answer to a query was fetched, if there is one. */
  serverSearchedAt(view: LibraryView, q: string): string | undefined {
    const row = this.#prepare('SELECT searched_at FROM search_queries WHERE query = ?').get(searchKey(view, q)) as
      { searched_at: string } | undefined;
    return row?.searched_at;
  }

  /** Keep the server's answer to a query (replacing an older one). */
  saveServerSearch(view: LibraryView, q: string, uids: readonly string[], searchedAt: string, complete: boolean): void {
    const text = searchKey(view, q);
    const insert = this.#prepare('INSERT OR IGNORE INTO search_results (query, uid) VALUES (?, ?)');
    this.#write(() => {
      this.#prepare('DELETE FROM search_queries WHERE query = ?').run(text);
      this.#prepare('INSERT INTO search_queries (query, searched_at, complete) VALUES (?, ?, ?)').run(text, searchedAt, complete ? 1 : 0);
      for (const uid of uids) insert.run(text, uid);
    });
  }

  /** Forget every server answer (they describe a library that changed a lot, or another server). */
  forgetServerSearches(): void {
    this.#write(() => {
      this.#db.exec('DELETE FROM search_queries');
    });
  }

  /** Distinct values for search suggestions: years, camera names, cities (most photos first). */
  searchSuggestions(): { years: number[]; cameras: string[]; cities: string[] } {
    const years = (
      this.#prepare('SELECT DISTINCT year FROM photo_facets WHERE year > 0 ORDER BY year DESC').all() as { year: number }[]
    ).map((r) => r.year);
    const top = (column: string): string[] =>
      (
        this.#prepare(
          `SELECT ${column} AS v FROM photo_facets WHERE ${column} <> '' AND ${column} <> 'Unknown' GROUP BY ${column} ORDER BY count(*) DESC LIMIT 30`,
        ).all() as { v: string }[]
      ).map((r) => r.v);
    return { years, cameras: top('camera_model'), cities: top('city') };
  }

  // --- reads for the renderer -------------------------------------------------------------

  /** How many photos a view shows (the sidebar's Videos count). */
  viewTotal(view: LibraryView): number {
    const clause = viewClause(view, '', this.features());
    return (this.#prepare(`SELECT count(*) AS n ${clause.sql}`).get(...clause.params) as { n: number }).n;
  }

  /** A page of a view, newest first, with the view's total. */
  query(view: LibraryView, q: string, offset: number, limit: number): LibraryPage {
    const features = this.features();
    const source = this.searchSource(view, q);
    const summary = monthSummaryWhere(view, q, features, source);
    if (summary !== null) return this.#pageByMonth(view, q, features, source, this.#summaryMonths(summary), offset, limit);
    if (filtersLocally(q, source))
      return this.#pageByMonth(view, q, features, source, this.#searchMonths(view, q, features), offset, limit);
    const page = pageSql(view, q, features, source, undefined, undefined, this.#indexAccess());
    const rows = this.#timed('library.query', () => this.#prepare(page.sql).all(...page.params, limit, offset)) as PhotoSqlRow[];
    const clause = viewClause(view, q, features, source, this.#indexAccess());
    const total = (this.#prepare(`SELECT count(*) AS n ${clause.sql}`).get(...clause.params) as { n: number }).n;
    return { total, offset, photos: rows.map(toSummary) };
  }

  /**
   * A page started at the month that holds `offset` ([Note: Month summary]): the walk of the
   * search rows begins at that month and OFFSET only skips within it, instead of stepping over
   * every newer photo. The total is the buckets' sum, not a count.
   */
  #pageByMonth(
    view: LibraryView,
    q: string,
    features: LibraryFeatures,
    source: SearchSource,
    buckets: readonly MonthBucket[],
    offset: number,
    limit: number,
  ): LibraryPage {
    const last = buckets.at(-1);
    const total = last ? last.offset + last.count : 0;
    // Past the end (a search that matches nothing): the buckets already say the page is empty.
    if (offset >= total || limit <= 0) return { total, offset, photos: [] };
    let from: MonthBucket | undefined;
    let to: MonthBucket | undefined;
    for (const bucket of buckets) {
      if (bucket.offset >= offset + limit) break;
      if (bucket.offset > 0 && bucket.offset <= offset) from = bucket;
      to = bucket;
    }
    // A page walks the search rows in grid order until it is full ([Note: Search rows in grid
    // order], [Note: Views walk the search rows]); a search or a view that holds few photos would
    // walk on through every older month for rows the buckets say are not there. The buckets are
    // exact (the month summary, or the search's own walk), so the page ends in the month of its
    // last photo: stop there.
    const until = to?.month;
    const access = filtersLocally(q, source) ? this.#pageAccess(view, features, total, limit) : 'index';
    const page = pageSql(view, q, features, source, from?.month, until, access);
    const skip = from ? offset - from.offset : offset;
    const rows = this.#timed('library.query', () => this.#prepare(page.sql).all(...page.params, limit, skip)) as PhotoSqlRow[];
    return { total, offset, photos: rows.map(toSummary) };
  }

  /** `index` once the search index is ready, else `rows` ([Note: Search by index]). */
  #indexAccess(): SearchAccess {
    return this.searchIndexReady() ? 'index' : 'rows';
  }

  /**
   * How a page of a search with `matches` photos reads its rows. By the index, the page costs a
   * look-up per match in its months (and a sort); walking the rows in grid order costs about
   * `limit / density` rows, density being matches / the view's photos. The walk wins once
   * matches² ≥ WALK_FACTOR · limit · view photos: e.g. at 100k, `"beach lisbon"` (13k matches:
   * a first page walks ~900 rows) walks, `lisbon & sunset` (434 matches) looks up.
   */
  #pageAccess(view: LibraryView, features: LibraryFeatures, matches: number, limit: number): SearchAccess {
    if (!this.searchIndexReady()) return 'rows';
    // Only a flag view's size is known without a count (photo_months); album and browse pages start from their members.
    const where = monthSummaryWhere(view, '', features);
    if (where === null) return 'index';
    const viewPhotos = this.#summaryMonths(where).reduce((sum, bucket) => sum + bucket.count, 0);
    return matches * matches >= WALK_FACTOR * limit * viewPhotos ? 'walk' : 'index';
  }

  #summaryMonths(where: string): MonthBucket[] {
    const rows = this.#timed('library.months', () => this.#prepare(summaryMonthsSql(where)).all()) as { month: string; count: number }[];
    return withOffsets(rows);
  }

  /**
   * The month buckets of a search the cache evaluates: one walk of the search rows
   * ([Note: Search rows in grid order]). The grid asks for a page (its total) and the buckets
   * of the same search together, so the last answer is kept until the database changes
   * (`total_changes()` counts this connection's writes, `data_version` other connections').
   */
  #searchMonths(view: LibraryView, q: string, features: LibraryFeatures): MonthBucket[] {
    const sql = monthsSql(view, q, features, 'cache', this.#indexAccess());
    const stamp = this.#prepare('SELECT total_changes() AS changes').get() as { changes: number };
    const key = `${stamp.changes}:${String(this.#db.pragma('data_version', { simple: true }))}:${sql.sql}:${JSON.stringify(sql.params)}`;
    if (this.#lastSearchMonths?.key === key) return this.#lastSearchMonths.buckets;
    const rows = this.#timed('library.months', () => this.#prepare(sql.sql).all(...sql.params)) as { month: string; count: number }[];
    const buckets = withOffsets(rows);
    this.#lastSearchMonths = { key, buckets };
    return buckets;
  }

  /** Month buckets of a view, newest first, each with the offset of its first photo. */
  months(view: LibraryView, q: string): MonthBucket[] {
    const features = this.features();
    const source = this.searchSource(view, q);
    const summary = monthSummaryWhere(view, q, features, source);
    if (summary !== null) return this.#summaryMonths(summary);
    if (filtersLocally(q, source)) return this.#searchMonths(view, q, features);
    const sql = monthsSql(view, q, features, source, this.#indexAccess());
    const rows = this.#timed('library.months', () => this.#prepare(sql.sql).all(...sql.params)) as { month: string; count: number }[];
    return withOffsets(rows);
  }

  counts(): LibraryCounts {
    const features = this.features();
    // Each count is its view's own summary condition, so a sidebar number always matches its
    // grid's total; read from photo_months, a few hundred rows ([Note: Month summary]).
    const count = (view: LibraryView): string => {
      const where = monthSummaryWhere(view, '', features);
      return where === null ? '0' : `(SELECT coalesce(sum(count), 0) FROM photo_months WHERE ${where})`;
    };
    const row = this.#prepare(
      `SELECT ${count({ kind: 'all' })} AS all_count, ${count({ kind: 'favorites' })} AS favorites, ${count({ kind: 'archive' })} AS archived,
        ${count({ kind: 'review' })} AS review, ${count({ kind: 'private' })} AS private_count`,
    ).get() as {
      all_count: number;
      favorites: number;
      archived: number;
      review: number;
      private_count: number;
    };
    return {
      all: row.all_count,
      favorites: row.favorites,
      archived: row.archived,
      review: row.review,
      private: row.private_count,
      features,
    };
  }

  /** The server's feature switches as last seen (PhotoPrism's defaults before that). */
  features(): LibraryFeatures {
    const raw = this.getMeta('features');
    if (raw === undefined) return DEFAULT_FEATURES;
    try {
      const parsed = JSON.parse(raw) as Partial<LibraryFeatures>;
      return { review: parsed.review !== false, private: parsed.private !== false };
    } catch {
      return DEFAULT_FEATURES;
    }
  }

  /** Remember the server's feature switches; answers whether what the views show changed. */
  setFeatures(features: LibraryFeatures): boolean {
    const before = this.features();
    this.setMeta('features', JSON.stringify({ review: features.review, private: features.private }));
    return before.review !== features.review || before.private !== features.private;
  }

  /**
   * The server's cameras and lenses as its config last listed them (the inspector's menus while
   * offline); undefined before any config was read.
   */
  deviceLists(): DeviceLists | undefined {
    const raw = this.getMeta('devices');
    if (raw === undefined) return undefined;
    try {
      const parsed = StoredDeviceLists.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  setDeviceLists(lists: DeviceLists): void {
    this.setMeta('devices', JSON.stringify(lists));
  }

  /**
   * Run a long series of writes (a full index) with SQLite's automatic WAL checkpoints spread
   * out: by default it copies the log into the database every 1,000 pages with an fsync each
   * time, about 40 % of upsert time during an index. One checkpoint at the end instead.
   */
  async bulkWrites<T>(fn: () => Promise<T>): Promise<T> {
    this.#db.pragma('wal_autocheckpoint = 20000');
    this.#bulkDepth++;
    try {
      return await fn();
    } finally {
      this.#bulkDepth--;
      this.#db.pragma('wal_autocheckpoint = 1000');
      this.#db.pragma('wal_checkpoint(PASSIVE)');
    }
  }

  /**
   * Refresh the planner's statistics (after a full index: the library's shape is known now).
   * Sampled: a full ANALYZE reads every row of every index (0.26–0.41 s of CPU on a 100k cache
   * under load, inside the index's time; about 0.05 s sampled); `analysis_limit` makes it read
   * about 1,000 rows per index (SQLite: "PRAGMA analysis_limit"), enough for the planner to
   * choose between our few indexes.
   */
  analyze(): void {
    this.#db.pragma('analysis_limit = 1000');
    this.#db.exec('ANALYZE');
  }

  // --- the search index ([Note: Search by index] in main/library/search-index.ts) ----------

  /** Is the search index complete (the offline search then uses it)? */
  searchIndexReady(): boolean {
    this.#searchIndexReady ??= this.getMeta(SEARCH_INDEX_META) === 'ready';
    return this.#searchIndexReady;
  }

  /** Is a full index writing (`bulkWrites`)? The search index is not built meanwhile. */
  get bulkWriting(): boolean {
    return this.#bulkDepth > 0;
  }

  /** Remove the search index before a first full index writes every photo (it is built again after). */
  dropSearchIndex(): void {
    this.#write(() => this.#db.exec(DROP_SEARCH_INDEX_SQL));
    this.#searchIndexReady = false;
    this.#searchIndexStep = undefined;
  }

  /** Remove the indexes a first full index builds at its end, the thumbnail hashes' and the search rows' by uid (see [Note: A first index builds the hash index at its end]). */
  dropBulkLoadIndexes(): void {
    this.#write(() => this.#db.exec(`DROP INDEX IF EXISTS ${THUMB_HASH_INDEX}; DROP INDEX IF EXISTS ${FACETS_UID_INDEX};`));
  }

  /**
   * Build what `dropBulkLoadIndexes` removed, from the rows in place (one sorted build); nothing
   * when it is there. Also what a start after a crash mid-index runs.
   */
  buildBulkLoadIndexes(): void {
    this.#write(() => this.#db.exec(BULK_LOAD_INDEXES_SQL));
  }

  /**
   * One step of building the search index, each its own short transaction; answers true once
   * it is complete (then it is used from the next search on). Steps: the triggers and devices,
   * the words of WORDS_PER_STEP photos at a time, one index each, then statistics for the planner.
   */
  buildSearchIndexStep(): boolean {
    if (this.searchIndexReady()) return true;
    const step = this.#searchIndexStep ?? { phase: 'head', after: '', index: 0 };
    this.#write(() => {
      switch (step.phase) {
        case 'head':
          this.#db.exec(SEARCH_INDEX_HEAD_SQL);
          step.phase = 'words';
          break;
        case 'words': {
          const last = this.#prepare(`SELECT uid FROM photo_facets WHERE uid > ? ORDER BY uid LIMIT 1 OFFSET ${WORDS_PER_STEP - 1}`).get(
            step.after,
          ) as { uid: string } | undefined;
          if (last) {
            this.#prepare(fillWordsSql(true)).run(step.after, last.uid);
            step.after = last.uid;
          } else {
            this.#prepare(fillWordsSql(false)).run(step.after);
            step.phase = 'indexes';
          }
          break;
        }
        case 'indexes': {
          const sql = SEARCH_INDEX_INDEX_SQL[step.index];
          if (sql === undefined) {
            this.setMeta(SEARCH_INDEX_META, 'ready');
            step.phase = 'ready';
          } else {
            this.#db.exec(sql);
            step.index++;
          }
          break;
        }
        case 'ready':
          break;
      }
    });
    if (step.phase !== 'ready') {
      this.#searchIndexStep = step;
      return false;
    }
    this.analyze();
    this.#searchIndexReady = true;
    this.#searchIndexStep = undefined;
    return true;
  }

  /** Albums as the sidebar lists them: favourites first, then by title (PhotoPrism's order). */
  albums(): AlbumSummary[] {
    const rows = this.#prepare(ALBUMS_SQL).all() as {
      uid: string;
      title: string;
      favorite: number;
      photo_count: number;
      cover_uid: string | null;
      newest_taken_at_local: string | null;
    }[];
    return rows.map((r) => ({
      uid: r.uid,
      title: r.title,
      photoCount: r.photo_count,
      coverUid: r.cover_uid,
      favorite: r.favorite === 1,
      newestTakenAtLocal: r.newest_taken_at_local,
    }));
  }

  /** Everything the info panel shows, or undefined if the photo is not cached. */
  details(uid: PhotoUid): PhotoDetails | undefined {
    const row = this.#prepare(`SELECT ${PHOTO_COLUMNS} FROM photos p WHERE p.uid = ?`).get(uid) as PhotoSqlRow | undefined;
    if (!row) return undefined;
    const albums = this.#prepare(
      `
      SELECT a.uid, a.title FROM album_photos ap JOIN albums a ON a.uid = ap.album_uid
      WHERE ap.photo_uid = ? ORDER BY a.title COLLATE NOCASE`,
    ).all(uid) as { uid: string; title: string }[];
    const r = toRecord(row);
    return {
      ...toSummary(row),
      description: r.description,
      fileName: r.fileName,
      fileSizeBytes: r.fileSizeBytes,
      cameraModel: r.cameraModel,
      lensModel: r.lensModel,
      iso: r.iso,
      exposure: r.exposure,
      fNumber: r.fNumber,
      focalLengthMm: r.focalLengthMm,
      placeLabel: r.placeLabel,
      lat: r.lat,
      lng: r.lng,
      albums,
    };
  }

  // --- connection and meta -------------------------------------------------------------------

  connection(): ConnectionRecord | undefined {
    const row = this.#prepare('SELECT server_url, user_name, server_version, trusted_fingerprint FROM connection WHERE id = 1').get() as
      { server_url: string; user_name: string; server_version: string | null; trusted_fingerprint: string | null } | undefined;
    if (!row) return undefined;
    return {
      serverUrl: row.server_url,
      userName: row.user_name,
      serverVersion: row.server_version,
      trustedFingerprint: row.trusted_fingerprint,
    };
  }

  /**
   * Remember the server this profile is signed in to. A different server (or user) than the
   * cached one means the cache describes someone else's library: it is cleared in the same
   * transaction.
   */
  saveConnection(next: ConnectionRecord): { cacheCleared: boolean } {
    let cacheCleared = false;
    this.#write(() => {
      const previous = this.connection();
      if (previous && (previous.serverUrl !== next.serverUrl || previous.userName !== next.userName)) {
        this.#db.exec(
          'DELETE FROM album_photos; DELETE FROM albums; DELETE FROM browse_photos; DELETE FROM browse_items; DELETE FROM browse_sections; DELETE FROM photos; DELETE FROM library_meta; DELETE FROM search_queries;',
        );
        cacheCleared = true;
      }
      this.#prepare(
        `
        INSERT INTO connection (id, server_url, user_name, server_version, trusted_fingerprint)
        VALUES (1, @serverUrl, @userName, @serverVersion, @trustedFingerprint)
        ON CONFLICT (id) DO UPDATE SET server_url = excluded.server_url, user_name = excluded.user_name,
          server_version = excluded.server_version, trusted_fingerprint = excluded.trusted_fingerprint`,
      ).run(next);
    });
    return { cacheCleared };
  }

  getMeta(key: MetaKey): string | undefined {
    const row = this.#prepare('SELECT value FROM library_meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: MetaKey, value: string): void {
    this.#prepare('INSERT INTO library_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
      key,
      value,
    );
  }

  // --- helpers ---------------------------------------------------------------------------

  /** Is this index in the database now (read at each call: a first index drops and builds some)? */
  #hasIndex(name: string): boolean {
    return this.#prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?").get(name) !== undefined;
  }

  #prepare(sql: string): Statement {
    let stmt = this.#statements.get(sql);
    if (!stmt) {
      stmt = this.#db.prepare(sql);
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  /** One transaction, nested calls join the outer one (better-sqlite3 uses savepoints). */
  #write(fn: () => void): void {
    this.#db.transaction(fn)();
  }

  /**
   * [Note: Index pages commit without their own fsync]
   * A full index commits one transaction per page of 1,000 photos, and with synchronous=FULL
   * each commit waits for an fsync of the WAL (tens of ms on a busy disk, the largest single
   * cost of an index in profiles after the SQL itself). Inside `bulkWrites`, a page of server
   * rows commits with synchronous=NORMAL instead, and FULL is back before anything else runs:
   * the statement is synchronous, so no action, queued change or event can commit in between.
   * What that risks: in WAL mode a NORMAL commit stays consistent, and a power cut can only
   * lose the NORMAL commits since the last fsync (SQLite: "PRAGMA synchronous", WAL mode). The
   * next FULL commit (an action, the end of the index writing lastFullIndexAt) fsyncs the WAL
   * and with it every page before it. So nothing that lives only here (the outbox, queued
   * actions) is ever less durable; at worst the cache lacks pages it never marked complete, and
   * the next start indexes again.
   */
  #cacheWrite(fn: () => void): void {
    if (this.#bulkDepth === 0 || this.#db.inTransaction) {
      this.#write(fn);
      return;
    }
    const before = this.#db.pragma('synchronous', { simple: true }) as number;
    this.#db.pragma('synchronous = NORMAL');
    try {
      this.#write(fn);
    } finally {
      this.#db.pragma(`synchronous = ${before}`);
    }
  }

  #timed<T>(what: string, fn: () => T): T {
    const started = performance.now();
    const result = fn();
    const elapsedMs = performance.now() - started;
    if (elapsedMs > SLOW_QUERY_MS) this.#log.warn('slow query', { what, elapsedMs: Math.round(elapsedMs) });
    return result;
  }
}
