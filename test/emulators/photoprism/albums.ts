import { z } from 'zod';
import type { EmulatorContext } from './context';
import { publishConfigUpdated, requireSession, tokenHeaders } from './context';
import type { Exchange, Router } from './http';
import { albumEntity, albumSearchResult, memberJson } from './json';
import type { AlbumRec, MemberRec } from './model';
import { isUid, parseGoBool, slugify } from './util';

/**
 * Album routes (docs/photoprism-api.md §4): list with its odd count/order semantics, create-or-dedupe, get,
 * partial update, soft delete, membership add (upsert) and remove (hide), like/unlike; and the
 * matching mutations for the admin API.
 */

/** `form.Album` (docs/photoprism-api.md §4.3/docs/photoprism-api.md §4.4); all keys optional. */
export const AlbumForm = z
  .object({
    Title: z.string(),
    Description: z.string(),
    Caption: z.string(),
    Category: z.string(),
    Location: z.string(),
    Notes: z.string(),
    Order: z.string(),
    Template: z.string(),
    Filter: z.string(),
    Country: z.string(),
    Favorite: z.boolean(),
    Private: z.boolean(),
    Thumb: z.string(),
    ThumbSrc: z.string(),
    Type: z.string(),
  })
  .partial()
  .loose();
/** A parsed album form. */
export type AlbumForm = z.infer<typeof AlbumForm>;

/** `form.Selection` (docs/photoprism-api.md §5): lowercase keys, all lists optional. */
export const Selection = z
  .object({
    all: z.boolean(),
    files: z.array(z.string()),
    photos: z.array(z.string()),
    albums: z.array(z.string()),
    labels: z.array(z.string()),
    places: z.array(z.string()),
    subjects: z.array(z.string()),
  })
  .partial()
  .loose();
/** A parsed selection. */
export type Selection = z.infer<typeof Selection>;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** PhotoPrism's album title clean-up (docs/photoprism-api.md §4.3). */
export function cleanTitle(raw: string, nowMs: number): string {
  let title = raw.replace(/^[\s_&|{}<>:]+|[\s_&|{}<>:]+$/g, '').replace(/"/g, '“');
  if (title.length > 160) title = title.slice(0, 160);
  if (title === '') {
    const d = new Date(nowMs);
    title = `${MONTHS[d.getUTCMonth()] ?? 'January'} ${d.getUTCFullYear()}`;
  }
  return title;
}

/**
 * Creates an album or returns the existing one with the same slug or (case-insensitive) title
 * for that user, restoring it if it was deleted (docs/photoprism-api.md §4.3). `created` is false for a dedupe.
 */
export function createAlbum(
  ctx: EmulatorContext,
  rawTitle: string,
  ownerUid: string,
  favorite = false,
): { album: AlbumRec; created: boolean } {
  const title = cleanTitle(rawTitle, ctx.now());
  const slug = slugify(title) || 'album';
  const twin = ctx.store.albums.find(
    (a) => a.type === 'album' && a.createdBy === ownerUid && (a.slug === slug || a.title.toLowerCase() === title.toLowerCase()),
  );
  if (twin) {
    if (twin.deletedAtMs !== null) {
      twin.deletedAtMs = null;
      ctx.store.bump();
      ctx.hub.publish('count.albums', { count: 1 });
      ctx.hub.publish(`user.${ownerUid}.albums.created`, { entities: [albumEntity(twin)] });
      publishConfigUpdated(ctx);
      return { album: twin, created: true };
    }
    return { album: twin, created: false };
  }
  const album = ctx.store.newAlbum(title, slug, ownerUid, favorite);
  ctx.hub.publish('count.albums', { count: 1 });
  ctx.hub.publish(`user.${ownerUid}.albums.created`, { entities: [albumEntity(album)] });
  publishConfigUpdated(ctx);
  return { album, created: true };
}

function titleCase(s: string): string {
  return s.replace(/\b\p{L}/gu, (c) => c.toUpperCase());
}

/** Partial update like `PUT /albums/:uid` (docs/photoprism-api.md §4.4). */
export function updateAlbum(ctx: EmulatorContext, album: AlbumRec, form: AlbumForm): AlbumRec {
  if (form.Title !== undefined && form.Title.trim() !== '') {
    album.title = cleanTitle(form.Title, ctx.now());
    if (album.type === 'album') album.slug = slugify(album.title) || album.slug;
  }
  album.description = form.Description ?? album.description;
  album.caption = form.Caption ?? album.caption;
  if (form.Category !== undefined) album.category = titleCase(form.Category.trim());
  album.location = form.Location ?? album.location;
  album.notes = form.Notes ?? album.notes;
  album.order = form.Order ?? album.order;
  album.template = form.Template ?? album.template;
  album.filter = form.Filter ?? album.filter;
  album.country = form.Country ?? album.country;
  album.favorite = form.Favorite ?? album.favorite;
  album.private = form.Private ?? album.private;
  album.thumb = form.Thumb ?? album.thumb;
  album.thumbSrc = form.ThumbSrc ?? album.thumbSrc;
  album.updatedAtMs = ctx.now();
  ctx.store.bump();
  ctx.hub.publish(`user.${album.createdBy}.albums.updated`, { entities: [albumEntity(album)] });
  publishConfigUpdated(ctx);
  return album;
}

/** Soft-deletes an album (docs/photoprism-api.md §4.5); events count.albums -1, albums.deleted. */
export function deleteAlbum(ctx: EmulatorContext, album: AlbumRec, publishConfig = true): void {
  album.deletedAtMs = ctx.now();
  ctx.store.bump();
  ctx.hub.publish('count.albums', { count: -1 });
  ctx.hub.publish('albums.deleted', { entities: [album.uid] });
  if (publishConfig) publishConfigUpdated(ctx);
}

/** Resolves a selection to existing photo UIDs, unscoped (archived included, docs/photoprism-api.md §4.6). */
export function resolveSelection(ctx: EmulatorContext, sel: Selection): string[] {
  const out = new Set<string>();
  for (const uid of sel.photos ?? []) if (ctx.store.photosByUid.has(uid)) out.add(uid);
  for (const uid of sel.files ?? []) {
    const file = ctx.store.filesByUid.get(uid);
    if (file) out.add(file.photo.uid);
  }
  for (const uid of sel.albums ?? []) {
    const album = ctx.store.liveAlbum(uid);
    if (album) for (const p of ctx.store.visibleMembers(album)) out.add(p.uid);
  }
  const labels = new Set(sel.labels ?? []);
  if (labels.size > 0) {
    for (const p of ctx.store.photos) if (p.labels.some((l) => labels.has(l.uid))) out.add(p.uid);
  }
  return [...out];
}

function selectionEmpty(sel: Selection): boolean {
  return ['files', 'photos', 'albums', 'labels', 'places', 'subjects'].every(
    (k) => ((sel as Record<string, unknown[] | undefined>)[k] ?? []).length === 0,
  );
}

/**
 * Adds photos (upsert: re-adding un-hides and lists the entry again), bumps the album's
 * UpdatedAt, recomputes the cover, publishes notify.success and albums.updated (docs/photoprism-api.md §4.6).
 */
export function addToAlbum(ctx: EmulatorContext, album: AlbumRec, photoUids: readonly string[]): MemberRec[] {
  const nowMs = ctx.now();
  const added: MemberRec[] = [];
  for (const uid of photoUids) {
    if (!ctx.store.photosByUid.has(uid)) continue;
    const existing = album.members.get(uid);
    const entry: MemberRec = existing ?? { photoUid: uid, order: 0, hidden: false, missing: false, createdAtMs: nowMs, updatedAtMs: nowMs };
    entry.hidden = false;
    entry.updatedAtMs = nowMs;
    album.members.set(uid, entry);
    added.push(entry);
  }
  if (added.length > 0) {
    album.updatedAtMs = nowMs;
    ctx.store.recomputeThumb(album);
    ctx.store.bump();
    ctx.hub.publish('notify.success', { message: entriesMessage(added.length, 'added to', album.title) });
    ctx.hub.publish('albums.updated', { entities: [albumSearchResult(album, ctx.store)] });
  }
  return added;
}

/** Hides memberships (docs/photoprism-api.md §4.7); every well-formed UID counts as removed. */
export function removeFromAlbum(ctx: EmulatorContext, album: AlbumRec, photoUids: readonly string[]): MemberRec[] {
  const nowMs = ctx.now();
  const removed: MemberRec[] = [];
  for (const uid of photoUids) {
    if (!isUid(uid, 'p')) continue;
    const entry: MemberRec = album.members.get(uid) ?? {
      photoUid: uid,
      order: 0,
      hidden: true,
      missing: false,
      createdAtMs: nowMs,
      updatedAtMs: nowMs,
    };
    entry.hidden = true;
    entry.updatedAtMs = nowMs;
    album.members.set(uid, entry);
    removed.push(entry);
  }
  if (removed.length > 0) {
    ctx.store.recomputeThumb(album);
    ctx.store.bump();
    ctx.hub.publish('notify.success', { message: entriesMessage(removed.length, 'removed from', album.title) });
    ctx.hub.publish('albums.updated', { entities: [albumSearchResult(album, ctx.store)] });
  }
  return removed;
}

function entriesMessage(n: number, verb: string, title: string): string {
  return n === 1 ? `One entry ${verb} ${title}` : `${n} entries ${verb} ${title}`;
}

const ALBUM_Q_KEYS = new Set([
  'q',
  'uid',
  'type',
  'category',
  'location',
  'country',
  'year',
  'month',
  'day',
  'favorite',
  'public',
  'private',
  'title',
  'slug',
  'order',
]);

function listAlbums(ctx: EmulatorContext, x: Exchange, isAdmin: boolean): AlbumRec[] | string {
  const params = new Map<string, string>();
  for (const [k, v] of x.url.searchParams) if (!params.has(k)) params.set(k, v);
  const words: string[] = [];
  for (const term of (params.get('q') ?? '').split(/\s+/).filter((t) => t !== '')) {
    const m = /^(\w+):(.*)$/.exec(term);
    if (m && m[1]) {
      if (!ALBUM_Q_KEYS.has(m[1].toLowerCase())) return `unknown filter ${m[1]}`;
      params.set(m[1].toLowerCase(), m[2] ?? '');
    } else {
      words.push(term.toLowerCase());
    }
  }
  const bool = (k: string): boolean => parseGoBool(params.get(k) ?? '') === true;
  const types = (params.get('type') ?? '')
    .split('|')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const uids = (params.get('uid') ?? '')
    .split('|')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const categories = (params.get('category') ?? '')
    .split('|')
    .map((t) => t.trim().toLowerCase())
    .filter((t) => t !== '');
  const years = (params.get('year') ?? '')
    .split('|')
    .map((t) => Number.parseInt(t, 10))
    .filter((n) => Number.isFinite(n) && n > 0);
  const text = words.join(' ');
  let list = ctx.store.albums.filter((a) => {
    if (a.deletedAtMs !== null) return false;
    if (types.length > 0 && !types.includes(a.type)) return false;
    if (uids.length > 0 && !uids.includes(a.uid)) return false;
    if (categories.length > 0 && !categories.includes(a.category.toLowerCase())) return false;
    if (bool('favorite') && !a.favorite) return false;
    if ((bool('public') || !isAdmin) && a.private) return false;
    if (bool('private') && !a.private) return false;
    if (text !== '' && !a.title.toLowerCase().includes(text) && !a.location.toLowerCase().includes(text)) return false;
    if (years.length > 0 && !years.includes(a.year) && !ctx.store.visibleMembers(a).some((p) => years.includes(p.year))) return false;
    return true;
  });
  const order = (params.get('order') ?? '').trim();
  const byTitle = (a: AlbumRec, b: AlbumRec): number => a.title.toLowerCase().localeCompare(b.title.toLowerCase());
  const uidDesc = (a: AlbumRec, b: AlbumRec): number => (a.uid < b.uid ? 1 : a.uid > b.uid ? -1 : 0);
  switch (order) {
    case 'name':
      // Folders sort by path (same function, sortby.Name).
      if (types.length === 1 && types[0] === 'folder')
        list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || uidDesc(a, b));
      else list.sort((a, b) => byTitle(a, b) || uidDesc(a, b));
      break;
    case 'name_reverse':
      list.sort((a, b) => byTitle(b, a) || uidDesc(a, b));
      break;
    case 'count':
      list.sort((a, b) => ctx.store.visibleMembers(b).length - ctx.store.visibleMembers(a).length || byTitle(a, b));
      break;
    case 'newest':
    case 'moment':
    case 'added':
      // Generated albums sort by their date (PhotoPrism internal/entity/search/albums.go,
      // UserAlbums: manual and state albums by UID, moments undated first, the rest by Y/M/D).
      if (order !== 'added' && generatedByDate(types)) list.sort((a, b) => byDate(a, b, types) || byTitle(a, b) || uidDesc(a, b));
      else list.sort(uidDesc);
      break;
    case 'oldest':
      if (generatedByDate(types)) list.sort((a, b) => byDate(b, a, types) || byTitle(a, b) || uidDesc(b, a));
      else list.sort((a, b) => uidDesc(b, a));
      break;
    case 'edited':
      list.sort((a, b) => b.updatedAtMs - a.updatedAtMs || uidDesc(a, b));
      break;
    case 'slug':
      list.sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0));
      break;
    default:
      // Unknown or empty orders fall back to favourites first, title A–Z, UID descending.
      list.sort((a, b) => Number(b.favorite) - Number(a.favorite) || byTitle(a, b) || uidDesc(a, b));
  }
  list = list.slice();
  return list;
}

/** Whether `newest`/`oldest` sort this album type by date rather than by UID. */
function generatedByDate(types: readonly string[]): boolean {
  return types.length === 1 && types[0] !== 'album' && types[0] !== 'state';
}

/** Newest date first; for moments, undated albums come first (`has_year` ascending). */
function byDate(a: AlbumRec, b: AlbumRec, types: readonly string[]): number {
  if (types[0] === 'moment' && (a.year === 0) !== (b.year === 0)) return a.year === 0 ? -1 : 1;
  return b.year - a.year || b.month - a.month || b.day - a.day;
}

/** Registers the album routes. */
export function registerAlbumRoutes(router: Router, ctx: EmulatorContext): void {
  router.on('GET', '/api/v1/albums', (x) => {
    const session = requireSession(ctx, x, 'albums', 'search');
    if (!session) return;
    const countRaw = x.query('count');
    const count = /^-?\d+$/.test(countRaw) ? Number.parseInt(countRaw, 10) : 0;
    if (count === 0) return x.error(400, 'Unable to do that');
    const offset = Math.max(0, Number.parseInt(x.query('offset') || '0', 10) || 0);
    const limit = count < 0 || count > 100_000 ? 100_000 : count;
    const list = listAlbums(ctx, x, session.user.role === 'admin');
    // Album search errors carry no code (docs/photoprism-api.md §4.1).
    if (typeof list === 'string') return x.json(400, { error: list });
    const page = list.slice(offset, offset + limit);
    x.json(
      200,
      page.map((a) => albumSearchResult(a, ctx.store)),
      {
        headers: { 'X-Count': String(page.length), 'X-Limit': String(count), 'X-Offset': String(offset), ...tokenHeaders(session) },
      },
    );
  });

  router.on('GET', '/api/v1/albums/:uid', (x) => {
    if (!requireSession(ctx, x, 'albums', 'view')) return;
    const album = ctx.store.liveAlbum(x.params['uid'] ?? '');
    if (!album) return x.error(404, 'Album not found');
    x.json(200, albumEntity(album));
  });

  router.on('POST', '/api/v1/albums', (x) => {
    const session = requireSession(ctx, x, 'albums', 'create');
    if (!session) return;
    const body = x.jsonBody();
    if (body === undefined) return;
    const form = AlbumForm.safeParse(body);
    if (!form.success) return x.bindError();
    const { album } = createAlbum(ctx, form.data.Title ?? '', session.user.uid, form.data.Favorite ?? false);
    // 200, not 201, whether created or deduplicated (docs/photoprism-api.md §4.3).
    x.json(200, albumEntity(album));
  });

  router.on('PUT', '/api/v1/albums/:uid', (x) => {
    if (!requireSession(ctx, x, 'albums', 'update')) return;
    const album = ctx.store.liveAlbum(x.params['uid'] ?? '');
    if (!album) return x.error(404, 'Album not found');
    const body = x.jsonBody();
    if (body === undefined) return;
    const form = AlbumForm.safeParse(body);
    if (!form.success) return x.bindError();
    x.json(200, albumEntity(updateAlbum(ctx, album, form.data)));
  });

  router.on('DELETE', '/api/v1/albums/:uid', (x) => {
    if (!requireSession(ctx, x, 'albums', 'delete')) return;
    const album = ctx.store.liveAlbum(x.params['uid'] ?? '');
    if (!album) return x.error(404, 'Album not found');
    deleteAlbum(ctx, album);
    x.json(200, albumEntity(album));
  });

  const likeAlbum = (favorite: boolean) => (x: Exchange) => {
    if (!requireSession(ctx, x, 'albums', 'update')) return;
    const album = ctx.store.liveAlbum(x.params['uid'] ?? '');
    if (!album) return x.error(404, 'Album not found');
    album.favorite = favorite;
    ctx.store.bump();
    ctx.hub.publish('albums.updated', { entities: [albumSearchResult(album, ctx.store)] });
    publishConfigUpdated(ctx);
    x.json(200, { code: 200, message: 'Changes successfully saved' });
  };
  router.on('POST', '/api/v1/albums/:uid/like', likeAlbum(true));
  router.on('DELETE', '/api/v1/albums/:uid/like', likeAlbum(false));

  router.on('POST', '/api/v1/albums/:uid/photos', (x) => {
    if (!requireSession(ctx, x, 'albums', 'update')) return;
    const body = x.jsonBody();
    if (body === undefined) return;
    const sel = Selection.safeParse(body);
    if (!sel.success) return x.bindError();
    const album = ctx.store.liveAlbum(x.params['uid'] ?? '');
    if (!album) return x.error(404, 'Album not found');
    if (selectionEmpty(sel.data)) return x.error(400, 'No items selected');
    const before = albumEntity(album);
    const photos = resolveSelection(ctx, sel.data);
    const added = addToAlbum(ctx, album, photos);
    x.json(200, {
      code: 200,
      message: 'Changes successfully saved',
      album: before,
      photos,
      added: added.length > 0 ? added.map((m) => memberJson(album.uid, m)) : null,
    });
  });

  router.on('DELETE', '/api/v1/albums/:uid/photos', (x) => {
    if (!requireSession(ctx, x, 'albums', 'update')) return;
    const body = x.jsonBody();
    if (body === undefined) return;
    const sel = Selection.safeParse(body);
    if (!sel.success) return x.bindError();
    const album = ctx.store.liveAlbum(x.params['uid'] ?? '');
    if (!album) return x.error(404, 'Album not found');
    const photos = sel.data.photos ?? [];
    if (photos.length === 0) return x.error(400, 'No items selected');
    const removed = removeFromAlbum(ctx, album, photos);
    x.json(200, {
      code: 200,
      message: 'Changes successfully saved',
      album: albumEntity(album),
      photos,
      removed: removed.map((m) => memberJson(album.uid, m)),
    });
  });
}
