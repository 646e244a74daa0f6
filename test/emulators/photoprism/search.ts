import {
  BOOL_KEYS,
  interpretFreeText,
  isEmptyValue,
  isNew,
  isNo,
  isYes,
  keywords,
  likeAnyGroups,
  likeWord,
  orLike,
  parseSearch,
  singular,
  slug,
  splitAnd,
  splitOr,
  txtBool,
  uniqueWords,
  words,
  type WordPattern,
} from '../../../shared/library/search-query';
import type { FileRec, PhotoRec } from './model';
import { subjectsOf } from './people';
import { IS_UNSTACKED, isStack } from './stacks';
import type { Store } from './store';
import { SHA1_RE, isUid, parseGoBool } from './util';

/**
 * Photo search (`GET /api/v1/photos`, docs/photoprism-api.md §2.1–docs/photoprism-api.md §2.4). Rows are FILES: a photo with two files
 * yields two rows, `count`/`offset` page over rows, and merging groups consecutive rows of one
 * photo. Sorted photo lists are cached per order and store version, and filtered row lists per
 * filter set, so paging a 100k library costs O(count) per page after the first.
 */

/** A search failure: PhotoPrism answers every one of them with 400 "Unable to do that". */
export class SearchError extends Error {}

/** The normalised search form. */
export interface PhotoSearchForm {
  count: number;
  offset: number;
  order: string;
  merged: boolean;
  filter: PhotoFilter;
}

/** Filters that decide which rows exist (everything but paging and merging). */
export interface PhotoFilter {
  order: string;
  photoUids: Set<string> | null;
  fileUids: Set<string> | null;
  hashes: Set<string> | null;
  albumUids: string[] | null;
  /** `favorite` as PhotoPrism keeps it: a string, "no"-ish = not favourite, anything else = favourite. */
  favorite: string;
  publicOnly: boolean;
  privateOnly: boolean;
  archived: boolean;
  review: boolean;
  /** Broken photos (quality -1) and their files with errors (`hidden=true`). */
  hidden: boolean;
  /** Only files with indexing errors (`error=true`). */
  error: boolean;
  quality: number;
  primary: boolean;
  unsorted: boolean;
  /** `type`: `|`-separated media types; else the one boolean type flag that applies. */
  types: Set<string> | null;
  years: Set<number> | null;
  months: Set<number> | null;
  days: Set<number> | null;
  beforeMs: number | null;
  afterMs: number | null;
  takenDay: string | null;
  addedMs: number | null;
  updatedMs: number | null;
  editedMs: number | null;
  /** The `label` filter matched no label: PhotoPrism answers an empty result. */
  nothing: boolean;
  /** Label IDs the `label` filter resolved to (null = no label filter). */
  labelIds: number[] | null;
  /** Free text left after magic words ('' = none) and the labels its words name. */
  query: string;
  queryLabelIds: number[];
  keywords: string;
  title: string;
  path: string;
  name: string;
  filename: string;
  original: string;
  countries: string[] | null;
  states: string[] | null;
  cities: string[] | null;
  camera: string;
  lens: string;
  faces: string;
  face: string;
  subject: string;
  subjects: string;
  colors: string[] | null;
  panorama: boolean;
  /** `stack`: images with two JPEGs; `stackable` / `unstacked`: the photo_stack flag (stacks.ts). */
  stack: boolean;
  stackable: boolean;
  unstacked: boolean;
  portrait: boolean;
  landscape: boolean;
  square: boolean;
  scan: string;
  geo: string;
}

const ORDERS = new Set([
  '',
  'added',
  'imported',
  'newest',
  'oldest',
  'name',
  'title',
  'edited',
  'updated',
  'archived',
  'relevance',
  'duration',
  'size',
  'similar',
  'random',
]);

function bool(params: Map<string, string>, key: string): boolean {
  const raw = params.get(key) ?? '';
  if (raw === '') return false;
  const v = parseGoBool(raw);
  if (v === 'invalid') throw new SearchError(`invalid ${key}`);
  return v;
}

/**
 * PhotoPrism internal/entity/search/conditions.go, AnyInt: `|`-separated integers, 0 and values
 * outside [min, max] skipped; nothing left = no filter at all.
 */
function anyInt(raw: string, min: number, max: number): Set<number> | null {
  if (raw === '') return null;
  const out = new Set<number>();
  for (const part of raw.split('|')) {
    const n = Number.parseInt(part.trim(), 10);
    if (Number.isFinite(n) && n !== 0 && n >= min && n <= max) out.add(n);
  }
  return out.size > 0 ? out : null;
}

function dateMs(raw: string, key: string): number | null {
  if (raw === '') return null;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new SearchError(`invalid ${key}`);
  return ms;
}

/** IDs of labels whose slug is one of the words' slugs or their singulars (PhotoPrism conditions.go, AnySlug). */
function labelsBySlug(store: Store, search: string, sep: string): number[] {
  const wanted = new Set<string>();
  for (const raw of search.split(sep)) {
    const w = raw.trim();
    wanted.add(slug(w));
    if (/[a-z]/i.test(w)) wanted.add(slug(singular(w)));
  }
  wanted.delete('');
  // The emulator has no label categories, so a label never pulls in others (PhotoPrism adds the
  // labels of a category: searchPhotos, "find categories").
  return store.labels.filter((l) => wanted.has(l.slug)).map((l) => l.id);
}

/** The `|`-separated values of an IN filter, lowercased when MariaDB's collation ignores case. */
function inList(raw: string): string[] | null {
  const values = splitOr(raw).map((v) => v.toLowerCase());
  return values.length > 0 ? values : null;
}

/**
 * Turns the query string into a search form, validating like the real binding and search:
 * `count` required (400 if missing or 0), valid `order`, well-formed and same-kind `uid` values.
 * `q` is parsed like PhotoPrism's Unserialize (shared/library/search-query.ts): its `key:value`
 * terms override URL parameters, an unknown key fails the search, the rest is free text.
 */
export function parsePhotoSearch(
  query: URLSearchParams,
  store: Store,
  canSeePrivate: boolean,
  canSeeArchived: boolean,
  canSeeHidden = canSeeArchived,
): PhotoSearchForm {
  const params = new Map<string, string>();
  for (const [k, v] of query) if (!params.has(k)) params.set(k, v);
  const countRaw = params.get('count') ?? '';
  if (countRaw === '' || !/^-?\d+$/.test(countRaw)) throw new SearchError('count required');
  let count = Number.parseInt(countRaw, 10);
  if (count === 0) throw new SearchError('count required');
  if (count < 0 || count > 100_000) count = 100_000;
  const offsetRaw = params.get('offset') ?? '';
  if (offsetRaw !== '' && !/^-?\d+$/.test(offsetRaw)) throw new SearchError('invalid offset');
  const offset = Math.max(0, Number.parseInt(offsetRaw || '0', 10));

  // internal/form/search_photos.go, ParseQueryString → internal/form/serialize.go, Unserialize.
  const parsed = parseSearch(params.get('q') ?? '');
  if (parsed.error !== null) throw new SearchError(parsed.error);
  for (const term of parsed.terms) {
    // Boolean fields take txt.Bool of the value ("yes", "on", anything not "no"-ish).
    params.set(term.key, BOOL_KEYS.has(term.key) ? String(txtBool(term.value)) : term.value);
  }
  // Aliases resolve after parsing (SearchPhotos.ParseQueryString): folder → path, person →
  // subject, people → subjects; the canonical field wins when both are set.
  for (const [alias, field] of [
    ['folder', 'path'],
    ['person', 'subject'],
    ['people', 'subjects'],
  ] as const) {
    if ((params.get(field) ?? '') === '' && (params.get(alias) ?? '') !== '') params.set(field, params.get(alias) ?? '');
  }

  // Label filter first: no such label → empty result (searchPhotos, "Filter by label").
  const labelRaw = isEmptyValue(params.get('label') ?? '') ? '' : (params.get('label') ?? '').trim();
  const labelIds = labelRaw !== '' ? labelsBySlug(store, labelRaw, '|') : null;

  // Free text: a title search when it holds no keyword, else magic words switch filters on.
  const free = interpretFreeText(parsed.text, (params.get('title') ?? '') !== '');
  if (free.title !== '') params.set('title', free.title);
  if (free.magic) params.set(free.magic.key, free.magic.value);
  const queryLabelIds = free.query !== '' ? [...(labelIds ?? []), ...labelsBySlug(store, free.query, ' ')] : [];

  const order = (params.get('order') ?? '').trim().toLowerCase();
  if (!ORDERS.has(order)) throw new SearchError('invalid order');
  const merged = bool(params, 'merged');

  let photoUids: Set<string> | null = null;
  let fileUids: Set<string> | null = null;
  let hashes: Set<string> | null = null;
  const uidRaw = params.get('uid') ?? '';
  if (uidRaw.trim() !== '') {
    const values = uidRaw
      .split('|')
      .map((v) => v.trim())
      .filter((v) => v !== '');
    const kinds = new Set<string>();
    for (const v of values) {
      if (isUid(v, 'p')) kinds.add('p');
      else if (isUid(v, 'f')) kinds.add('f');
      else if (SHA1_RE.test(v)) kinds.add('h');
      else throw new SearchError('invalid ids specified');
    }
    if (kinds.has('p') && kinds.has('f')) throw new SearchError('invalid ids specified');
    // Quirk (docs/photoprism-api.md §2.1): UIDs mixed with hashes apply no UID filter at all.
    if (kinds.size === 1) {
      const set = new Set(values);
      if (kinds.has('p')) photoUids = set;
      else if (kinds.has('f')) fileUids = set;
      else hashes = set;
    }
  }

  let albumUids: string[] | null = null;
  const scope = (params.get('s') ?? '').trim();
  const albumParam = (params.get('album') ?? '').trim();
  if (scope !== '') {
    const album = isUid(scope, 'a') ? store.liveAlbum(scope) : undefined;
    if (!album) throw new SearchError('invalid album');
    // A generated album (calendar, place, folder, moment) is a saved search: its Filter is
    // unserialized into the form instead of joining members (PhotoPrism
    // internal/entity/search/photos.go, searchPhotos: "Limit search results to a specific UID scope").
    if (album.filter === '') albumUids = [scope];
    else {
      for (const term of parseSearch(album.filter).terms)
        params.set(term.key, BOOL_KEYS.has(term.key) ? String(txtBool(term.value)) : term.value);
    }
  }
  if (albumParam !== '') {
    if (isUid(albumParam, 'a')) {
      if (!store.liveAlbum(albumParam)) throw new SearchError('invalid album');
      albumUids = [...(albumUids ?? []), albumParam];
    } else {
      // A title or slug prefix, `*` as wildcard.
      const pattern = new RegExp(
        `^${albumParam
          .toLowerCase()
          .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
          .replace(/\*/g, '.*')}`,
      );
      albumUids = store.albums
        .filter((a) => a.deletedAtMs === null && (pattern.test(a.title.toLowerCase()) || pattern.test(a.slug)))
        .map((a) => a.uid);
    }
  }

  // Roles without access_private lose `private` (PhotoPrism internal/entity/search/photos.go,
  // searchPhotos: "Exclude private content" sets Public and clears Private).
  const privateOnly = bool(params, 'private') && canSeePrivate;
  // "Filter by media type": `type` (|-separated) wins, else the FIRST boolean flag in this order.
  const typeRaw = isEmptyValue(params.get('type') ?? '') ? '' : (params.get('type') ?? '');
  let types: Set<string> | null = inList(typeRaw) ? new Set(inList(typeRaw)) : null;
  if (!types) {
    for (const t of ['animated', 'audio', 'document', 'image', 'live', 'raw', 'vector', 'video'] as const) {
      if (bool(params, t)) {
        types = new Set([t]);
        break;
      }
    }
    if (!types && bool(params, 'photo')) types = new Set(['image', 'live', 'animated', 'vector', 'raw']);
  }
  const qualityRaw = Number.parseInt(params.get('quality') ?? '0', 10);
  const raw = (key: string): string => (params.get(key) ?? '').trim();
  // Filters guarded by txt.NotEmpty in searchPhotos ignore "0", "-1", "null" and the like.
  const text = (key: string): string => (isEmptyValue(raw(key)) ? '' : raw(key));
  const yearMax = new Date().getUTCFullYear() + 3;

  return {
    count,
    offset,
    order,
    merged,
    filter: {
      order,
      photoUids,
      fileUids,
      hashes,
      albumUids,
      favorite: raw('favorite'),
      // Roles without access_private always get public=true (docs/photoprism-api.md §2.1).
      publicOnly: bool(params, 'public') || !canSeePrivate,
      privateOnly,
      // Archived and Review are silently dropped for roles without delete permission
      // (PhotoPrism internal/entity/search/photos.go, searchPhotos: "Exclude archived content").
      archived: bool(params, 'archived') && canSeeArchived,
      review: bool(params, 'review') && canSeeArchived,
      // Dropped for roles without full file access (same function, "Exclude hidden files").
      hidden: bool(params, 'hidden') && canSeeHidden,
      error: bool(params, 'error'),
      // `quality` applies only when `private` is off (same function, "Filter by status").
      quality: privateOnly || !Number.isFinite(qualityRaw) ? 0 : qualityRaw,
      primary: bool(params, 'primary'),
      unsorted: bool(params, 'unsorted'),
      types,
      // UnknownYear/Month/Day = -1 (internal/entity/entity_const.go); YearMax = now + 3 years
      // (pkg/txt/datetime.go), MonthMax 12, DayMax 31.
      years: anyInt(raw('year'), -1, yearMax),
      months: anyInt(raw('month'), -1, 12),
      days: anyInt(raw('day'), -1, 31),
      beforeMs: dateMs(text('before'), 'before'),
      afterMs: dateMs(text('after'), 'after'),
      takenDay: text('taken').slice(0, 10) || null,
      addedMs: dateMs(text('added'), 'added'),
      updatedMs: dateMs(text('updated'), 'updated'),
      editedMs: dateMs(text('edited'), 'edited'),
      nothing: labelIds !== null && labelIds.length === 0,
      labelIds,
      query: free.query,
      queryLabelIds,
      keywords: text('keywords'),
      title: text('title'),
      path: text('path').replace(/^\//, ''),
      name: text('name'),
      filename: text('filename'),
      original: text('original'),
      countries: inList(text('country')),
      states: inList(text('state')),
      cities: inList(text('city')),
      camera: text('camera'),
      lens: text('lens'),
      faces: raw('faces'),
      face: raw('face'),
      subject: text('subject'),
      subjects: text('subjects'),
      colors: inList(text('color')),
      panorama: bool(params, 'panorama'),
      stack: bool(params, 'stack'),
      stackable: bool(params, 'stackable'),
      unstacked: bool(params, 'unstacked'),
      portrait: bool(params, 'portrait'),
      landscape: bool(params, 'landscape'),
      square: bool(params, 'square'),
      scan: raw('scan'),
      geo: raw('geo'),
    },
  };
}

/**
 * Newest first by the time the photo was taken WHERE it was taken: PhotoPrism sorts on
 * `files.time_index`, built from `files.photo_taken_at`, which the indexer fills with the
 * photo's TakenAtLocal (internal/photoprism/index_mediafile.go, Index: `file.PhotoTakenAt =
 * photo.TakenAtLocal`; internal/entity/file.go, RegenerateIndex).
 */
function byNewest(a: PhotoRec, b: PhotoRec): number {
  return b.takenAtLocalMs - a.takenAtLocalMs || b.id - a.id;
}

/** A filter's matching rows found so far, and where its walk over the sorted photos stopped (see PhotoSearch.rows). */
interface RowWalk {
  readonly rows: FileRec[];
  readonly photos: readonly PhotoRec[];
  readonly context: MatchContext;
  next: number;
  /** The rows were put in their order (size, duration, random: orders of the matches themselves). */
  sorted?: boolean;
}

/** Caches sorted photo lists and filtered row lists; both are dropped when the store changes. */
export class PhotoSearch {
  readonly #store: Store;
  #version = -1;
  readonly #sorted = new Map<string, PhotoRec[]>();
  /** Each sorted list's photo → index, for listings that name their photos (#walkedPhotos); they go with their lists. */
  readonly #sortedPositions = new WeakMap<readonly PhotoRec[], Map<PhotoRec, number>>();
  readonly #walks = new Map<string, RowWalk>();
  /** Each photo's keyword index (the `photos_keywords` rows), rebuilt when the store changes. */
  readonly #keywords = new Map<PhotoRec, string[]>();

  constructor(store: Store) {
    this.#store = store;
    // The timeline order is there before the first search, as PhotoPrism's is: its indexer keeps
    // files.time_index (PhotoPrism internal/entity/file.go, RegenerateIndex), which a unique index
    // serves (idx_files_search_timeline, internal/entity/migrate/dialect_mysql.go). Sorting 100k
    // photos on the first request held a first sign-in's first page for most of a second.
    this.#sync();
    this.#sortedPhotos('newest');
  }

  #sync(): void {
    if (this.#version === this.#store.version) return;
    this.#version = this.#store.version;
    this.#sorted.clear();
    this.#walks.clear();
    this.#keywords.clear();
  }

  /**
   * A photo's keywords as PhotoPrism indexes them (internal/entity/photo.go, IndexKeywords):
   * keywords of the title and description, the words of the people's names on it (SubjectKeywords),
   * the words of Details.Keywords, keywords of Details.Subject and Artist, unique and lowercased.
   */
  #keywordsOf(photo: PhotoRec): string[] {
    const cached = this.#keywords.get(photo);
    if (cached) return cached;
    const names = subjectsOf(photo, this.#store).map((j) => j.name);
    const list = uniqueWords([
      ...keywords(photo.title),
      ...keywords(photo.description),
      ...words(names.join(' ')),
      ...words(photo.details.keywords),
      ...keywords(photo.details.subject),
      ...keywords(photo.details.artist),
    ]);
    this.#keywords.set(photo, list);
    return list;
  }

  /** Photos in the row order of `order`; within a photo rows keep primary-first order. */
  #sortedPhotos(order: string): PhotoRec[] {
    const key = ['', 'added', 'imported', 'similar', 'duration', 'size', 'random'].includes(order) ? '' : order;
    const cached = this.#sorted.get(key);
    if (cached) return cached;
    const photos = this.#store.photos;
    let list: PhotoRec[];
    switch (key) {
      case 'newest':
        list = [...photos].sort(byNewest);
        break;
      case 'oldest':
        // files.photo_taken_at ASC (the local time, see byNewest), then media_id (photo ID descending).
        list = [...photos].sort((a, b) => a.takenAtLocalMs - b.takenAtLocalMs || b.id - a.id);
        break;
      case 'name':
        list = [...photos].sort((a, b) => cmp(a.path, b.path) || cmp(a.name, b.name) || b.takenAtMs - a.takenAtMs);
        break;
      case 'title':
        list = [...photos].sort((a, b) => cmp(a.title, b.title) || cmp(a.name, b.name) || b.takenAtMs - a.takenAtMs);
        break;
      case 'edited':
        list = photos.filter((p) => p.editedAtMs !== null).sort((a, b) => (b.editedAtMs ?? 0) - (a.editedAtMs ?? 0) || b.id - a.id);
        break;
      case 'updated':
        list = photos.filter((p) => p.updatedAtMs > p.createdAtMs).sort((a, b) => b.updatedAtMs - a.updatedAtMs || b.id - a.id);
        break;
      case 'archived':
        list = [...photos].sort((a, b) => (b.deletedAtMs ?? 0) - (a.deletedAtMs ?? 0) || b.id - a.id);
        break;
      case 'relevance':
        list = [...photos].sort((a, b) => b.quality - a.quality || byNewest(a, b));
        break;
      default:
        // media_id: most recently indexed photo (highest ID) first.
        list = [...photos].reverse();
    }
    this.#sorted.set(key, list);
    return list;
  }

  /**
   * The matching rows in order, at least the first `needed` of them when there are that many
   * (cached per filter set). A real server reads its timeline index in order and stops at the
   * page's end (PhotoPrism internal/entity/search/photos.go, searchPhotos: `s.Limit(f.Count).Offset(f.Offset)`
   * over `ORDER BY files.time_index`, which the unique index idx_files_search_timeline serves:
   * internal/entity/migrate/dialect_mysql.go), so a first page costs what it holds, not what the
   * library holds. Rows found are kept, and a later page goes on from where the last one stopped.
   * Orders that sort the matches themselves (size, duration, random) need every match first.
   */
  rows(filter: PhotoFilter, needed = Number.POSITIVE_INFINITY): FileRec[] {
    this.#sync();
    const key = JSON.stringify(filter, (_k, v: unknown) => (v instanceof Set ? [...(v as Set<unknown>)] : v));
    const sortsMatches = filter.order === 'size' || filter.order === 'duration' || filter.order === 'random';
    let walk = filter.order === 'random' ? undefined : this.#walks.get(key);
    if (!walk) {
      const albumMembers = this.#albumMembers(filter.albumUids);
      walk = {
        rows: [],
        photos: filter.nothing ? [] : this.#walkedPhotos(filter.order, [albumMembers, filter.photoUids]),
        next: 0,
        context: {
          albumMembers,
          inAnyAlbum: filter.unsorted ? this.#inAnyAlbum() : null,
          store: this.#store,
          queryGroups: likeAnyGroups(filter.query, true),
          keywordGroups: likeAnyGroups(filter.keywords, false),
          keywordsOf: (photo) => this.#keywordsOf(photo),
        },
      };
      if (this.#walks.size > 64) this.#walks.clear();
      this.#walks.set(key, walk);
    }
    const until = sortsMatches ? Number.POSITIVE_INFINITY : needed;
    const out = walk.rows;
    const photos = walk.photos;
    while (out.length < until && walk.next < photos.length) {
      const photo = photos[walk.next++] as PhotoRec;
      if (!matches(photo, filter, walk.context)) continue;
      for (const file of photo.files) {
        if (filter.primary && !file.primary) continue;
        if (!fileMatches(file, filter)) continue;
        if (filter.fileUids && !filter.fileUids.has(file.uid)) continue;
        if (filter.hashes && !filter.hashes.has(file.hash)) continue;
        // Files with indexing errors are left out unless asked for (PhotoPrism
        // internal/entity/search/photos.go, searchPhotos: "Exclude files with errors by default").
        if (!filter.hidden && (filter.error ? file.error === '' : file.error !== '')) continue;
        out.push(file);
      }
    }
    if (sortsMatches && !walk.sorted) {
      walk.sorted = true;
      if (filter.order === 'size') out.sort((a, b) => b.size - a.size);
      else if (filter.order === 'duration') out.sort((a, b) => b.photo.durationNs - a.photo.durationNs);
      else {
        for (let i = out.length - 1; i > 0; i -= 1) {
          const j = Math.floor(Math.random() * (i + 1));
          const t = out[i] as FileRec;
          out[i] = out[j] as FileRec;
          out[j] = t;
        }
      }
    }
    return out;
  }

  /**
   * The photos a walk visits, in the listing's order. A listing that names its photos (an
   * album's members, a `uid=` list) visits those alone: PhotoPrism finds them by index (it joins
   * photos_albums on album_uid, "Limit search results to a specific UID scope", and asks for
   * `photos.photo_uid IN (?)`, "Find specific UIDs only", in internal/entity/search/photos.go,
   * searchPhotos) and sorts what it found, so such a listing costs what it holds. Walking the
   * whole library for each one cost 40–85 ms of the emulator's CPU at 100k photos (a pointer
   * chase per photo): ~0.5 s at the end of a first index, in which our client waited on it for
   * the album listings. Each candidate still goes through every filter (`matches`).
   */
  #walkedPhotos(order: string, named: readonly (ReadonlySet<string> | null)[]): PhotoRec[] {
    const sorted = this.#sortedPhotos(order);
    // The smallest set that names the photos: every listed photo is in it (the filters are ANDed).
    const uids = named.reduce<ReadonlySet<string> | null>((least, set) => (set && (!least || set.size < least.size) ? set : least), null);
    if (uids === null) return sorted;
    const positions = this.#positions(sorted);
    const found: { photo: PhotoRec; position: number }[] = [];
    for (const uid of uids) {
      const photo = this.#store.photosByUid.get(uid);
      const position = photo && positions.get(photo);
      // A photo the order leaves out (`edited`, `updated`) is not listed, as in the full walk.
      if (photo && position !== undefined) found.push({ photo, position });
    }
    return found.sort((a, b) => a.position - b.position).map((m) => m.photo);
  }

  /** Each photo's place in `sorted` (one of #sortedPhotos' lists), built once per list. */
  #positions(sorted: readonly PhotoRec[]): Map<PhotoRec, number> {
    let positions = this.#sortedPositions.get(sorted);
    if (!positions) {
      positions = new Map(sorted.map((photo, index) => [photo, index]));
      this.#sortedPositions.set(sorted, positions);
    }
    return positions;
  }

  #albumMembers(albumUids: string[] | null): Set<string> | null {
    if (albumUids === null) return null;
    const set = new Set<string>();
    for (const uid of albumUids) {
      const album = this.#store.liveAlbum(uid);
      if (!album) continue;
      for (const m of album.members.values()) if (!m.hidden && !m.missing) set.add(m.photoUid);
    }
    return set;
  }

  #inAnyAlbum(): Set<string> {
    const set = new Set<string>();
    for (const album of this.#store.albums) {
      if (album.deletedAtMs !== null) continue;
      for (const m of album.members.values()) if (!m.hidden) set.add(m.photoUid);
    }
    return set;
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What `matches` needs besides the photo and the filter. */
interface MatchContext {
  albumMembers: Set<string> | null;
  inAnyAlbum: Set<string> | null;
  store: Store;
  /** LikeAnyKeyword groups of the free text (all groups must match, any word in a group). */
  queryGroups: WordPattern[][];
  /** LikeAnyWord groups of `keywords:`. */
  keywordGroups: WordPattern[][];
  keywordsOf: (photo: PhotoRec) => string[];
}

function anyKeyword(list: readonly string[], group: readonly WordPattern[]): boolean {
  return list.some((k) => group.some((pattern) => likeWord(k, pattern)));
}

/** A camera or lens filter: a positive ID, else a prefix of its name, model or slug (searchPhotos, "Filter by camera"). */
function deviceMatches(filter: string, device: { id: number; name: string; model: string; slug: string }): boolean {
  if (/^\d+$/.test(filter) && Number(filter) > 0) return device.id === Number(filter);
  const prefix = filter.replace(/^[*%]+|[*%]+$/g, '').toLowerCase();
  return [device.name, device.model, device.slug].some((v) => v.toLowerCase().startsWith(prefix));
}

/**
 * `face:`: face cluster IDs (32+ characters, `&`/`|`), `new` = a face nobody was assigned to,
 * `no`/`yes` = a face marker without/with a cluster, a number = the face kind (every emulated
 * face is kind 1, a regular face). Same function, "Filter for specific face clusters".
 */
function faceMatches(photo: PhotoRec, face: string): boolean {
  const markers = photo.markers.filter((m) => !m.invalid && m.type === 'face');
  if (face.length >= 32) {
    return splitAnd(face.toUpperCase()).every((group) => {
      const ids = splitOr(group);
      return markers.some((m) => ids.includes(m.faceId));
    });
  }
  if (isNew(face)) return markers.some((m) => m.subjUid === '');
  if (isNo(face)) return markers.some((m) => m.faceId === '');
  if (isYes(face)) return markers.some((m) => m.faceId !== '');
  if (/^\d+$/.test(face)) return Number(face) === 1 && markers.some((m) => m.faceId !== '');
  return true;
}

/**
 * `subject:`/`person:`: `&`-groups of `|`-alternatives, each a subject UID or a name compared by
 * slug (AnySlug); `subjects:`/`people:`: names matched with LIKE, `%name%` for one word, `name%`
 * for several (conditions.go, LikeAllNames). Same function, "Filter for one or more subjects".
 */
function subjectMatches(photo: PhotoRec, f: PhotoFilter, store: Store): boolean {
  const people = subjectsOf(photo, store);
  if (f.subject !== '') {
    return splitAnd(f.subject.toLowerCase()).every((group) => {
      const alternatives = splitOr(group);
      if (alternatives.some((v) => isUid(v, 'j'))) return people.some((j) => alternatives.includes(j.uid));
      const slugs = new Set<string>();
      for (const v of group.split('|')) {
        slugs.add(slug(v));
        if (/[a-z]/i.test(v)) slugs.add(slug(singular(v.trim())));
      }
      return people.some((j) => slugs.has(j.slug));
    });
  }
  if (f.subjects !== '') {
    return f.subjects.split('&').every((group) => {
      const names = group
        .split('|')
        .map((w) => w.trim().toLowerCase())
        .filter((w) => w !== '');
      if (names.length === 0) return true;
      return people.some((j) =>
        [j.name, j.alias].some((col) =>
          names.some((w) => (w.includes(' ') ? col.toLowerCase().startsWith(w) : col.toLowerCase().includes(w))),
        ),
      );
    });
  }
  return true;
}

function matches(p: PhotoRec, f: PhotoFilter, c: MatchContext): boolean {
  // "Filter by status" of PhotoPrism internal/entity/search/photos.go, searchPhotos, branch by
  // branch: hidden = broken photos; archived = archived ones that are not broken; otherwise
  // active photos, private OR public, and review (quality < 3) OR a minimum quality.
  if (f.hidden) {
    if (p.quality !== -1 || p.deletedAtMs !== null) return false;
  } else if (f.archived) {
    if (p.quality <= -1 || p.deletedAtMs === null) return false;
  } else {
    if (p.deletedAtMs !== null) return false;
    if (f.privateOnly) {
      if (!p.private) return false;
    } else if (f.publicOnly && p.private) return false;
    if (f.review) {
      if (p.quality >= 3) return false;
    } else if (f.quality !== 0 && !f.privateOnly && p.quality < f.quality) return false;
  }
  // "Filter by favorite flag": a "no"-ish value = not favourite, anything else = favourite.
  if (f.favorite !== '' && p.favorite !== !isNo(f.favorite)) return false;
  if (f.photoUids && !f.photoUids.has(p.uid)) return false;
  if (c.albumMembers && !c.albumMembers.has(p.uid)) return false;
  if (c.inAnyAlbum && c.inAnyAlbum.has(p.uid)) return false;
  if (f.types && !f.types.has(p.type)) return false;
  if (f.years && !f.years.has(p.year)) return false;
  if (f.months && !f.months.has(p.month)) return false;
  if (f.days && !f.days.has(p.day)) return false;
  if (f.beforeMs !== null && p.takenAtMs >= f.beforeMs) return false;
  if (f.afterMs !== null && p.takenAtMs < f.afterMs) return false;
  if (f.takenDay !== null && new Date(p.takenAtMs).toISOString().slice(0, 10) !== f.takenDay) return false;
  if (f.addedMs !== null && p.createdAtMs < f.addedMs) return false;
  if (f.updatedMs !== null && p.updatedAtMs < f.updatedMs) return false;
  if (f.editedMs !== null && (p.editedAtMs === null || p.editedAtMs < f.editedMs)) return false;
  // Location: country codes, place state and city, each `|`-separated (case-insensitive, as MariaDB compares).
  if (f.countries && !f.countries.includes(p.country)) return false;
  if (f.states && !f.states.includes(p.place.state.toLowerCase())) return false;
  if (f.cities && !f.cities.includes(p.place.city.toLowerCase())) return false;
  if (f.geo !== '' && (isNo(f.geo) ? p.place.cellId !== 'zz' : p.place.cellId === 'zz')) return false;
  if (f.camera !== '' && !deviceMatches(f.camera, p.camera)) return false;
  if (f.lens !== '' && !deviceMatches(f.lens, p.lens)) return false;
  if (f.panorama && !p.panorama) return false;
  // "Filter by stack flag" and "Find stacks only" (searchPhotos).
  if (f.stackable) {
    if (p.stack <= IS_UNSTACKED) return false;
  } else if (f.unstacked && p.stack !== IS_UNSTACKED) return false;
  if (f.stack && !isStack(p)) return false;
  if (f.scan !== '' && p.scan !== !isNo(f.scan)) return false;
  // photos_labels JOIN: a label of the photo among the resolved ones (uncertainty < 100: all emulated labels are certain).
  if (f.labelIds && !p.labels.some((l) => f.labelIds?.includes(l.id))) return false;
  // "Filter by query string": every &-group must match a keyword, OR (if the words name labels) a label.
  if (f.query !== '') {
    const list = c.keywordsOf(p);
    const hasQueryLabel = f.queryLabelIds.length > 0 && p.labels.some((l) => f.queryLabelIds.includes(l.id));
    if (c.queryGroups.length === 0) {
      if (f.queryLabelIds.length > 0 && !hasQueryLabel) return false;
    } else if (!c.queryGroups.every((group) => anyKeyword(list, group) || hasQueryLabel)) return false;
  }
  if (c.keywordGroups.length > 0) {
    const list = c.keywordsOf(p);
    if (!c.keywordGroups.every((group) => anyKeyword(list, group))) return false;
  }
  // "Filter by number of faces": a number = at least that many, yes/no, `new` → face:new.
  if (f.faces !== '') {
    if (/^\d+$/.test(f.faces)) {
      if (p.faces < Number(f.faces)) return false;
    } else if (isNew(f.faces) && f.face === '') {
      if (!faceMatches(p, 'new')) return false;
    } else if (isYes(f.faces)) {
      if (p.faces <= 0) return false;
    } else if (isNo(f.faces) && p.faces !== 0) return false;
  }
  if (f.face !== '' && !faceMatches(p, f.face)) return false;
  if (!subjectMatches(p, f, c.store)) return false;
  if (f.path !== '') {
    if (f.path.endsWith('/')) {
      if (p.path !== f.path.slice(0, -1)) return false;
    } else if (!orLike(p.path, f.path)) return false;
  }
  if (f.name !== '' && !orLike(p.name, f.name.replace(/\.[a-z0-9]+$/i, ''))) return false;
  if (f.original !== '' && !orLike(p.originalName, f.original)) return false;
  if (f.title !== '' && !orLike(p.title, f.title)) return false;
  return true;
}

/** Conditions on the file row: file name, main colour and shape (searchPhotos, same function). */
function fileMatches(file: FileRec, f: PhotoFilter): boolean {
  if (f.filename !== '' && !orLike(file.name, f.filename)) return false;
  if (f.colors && !f.colors.includes(file.mainColor)) return false;
  if (f.portrait && !(file.height > file.width)) return false;
  else if (!f.portrait && f.landscape && !(file.width / Math.max(1, file.height) > 1.25)) return false;
  else if (!f.portrait && !f.landscape && f.square && file.width !== file.height) return false;
  return true;
}

/**
 * Groups a page of rows into results: consecutive rows of one photo merge when `merged` is on
 * (docs/photoprism-api.md §2.2), so a photo can be split across pages.
 */
export function groupRows(rows: readonly FileRec[], merged: boolean): FileRec[][] {
  if (!merged) return rows.map((r) => [r]);
  const groups: FileRec[][] = [];
  let current: FileRec[] = [];
  for (const row of rows) {
    const last = current[current.length - 1];
    if (last && last.photo !== row.photo) {
      groups.push(current);
      current = [];
    }
    current.push(row);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
