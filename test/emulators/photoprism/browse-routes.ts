import { coverHash } from './browse-data';
import type { EmulatorContext } from './context';
import { requireSession, tokenHeaders } from './context';
import type { Exchange, Router } from './http';
import type { LabelRec, PhotoRec } from './model';
import { faceJson, subjectJson } from './people';
import { GO_ZERO_TIME, goTime, parseGoBool } from './util';

/**
 * The browse endpoints besides albums (docs/photoprism-api.md §12): people (`/subjects`), face
 * clusters (`/faces`) and labels (`/labels`). Like PhotoPrism they need `count` (400 without
 * it), cap it at MaxResults and page with `offset`.
 */

/** PhotoPrism's search cap (internal/entity/search/search.go, MaxResults). */
const MAX_RESULTS = 10_000;

/** `count` and `offset` as the gin binding and the search read them; null = answered 400. */
function paging(x: Exchange): { count: number; offset: number; limit: number } | null {
  const raw = x.query('count');
  const count = /^-?\d+$/.test(raw) ? Number.parseInt(raw, 10) : 0;
  // `binding:"required"` rejects a missing or zero count (AbortBadRequest).
  if (count === 0) {
    x.error(400, 'Unable to do that');
    return null;
  }
  const offset = Math.max(0, Number.parseInt(x.query('offset') || '0', 10) || 0);
  return { count, offset, limit: count > 0 && count <= MAX_RESULTS ? count : MAX_RESULTS };
}

function goBool(x: Exchange, key: string): boolean | null {
  const v = parseGoBool(x.query(key));
  return v === 'invalid' || x.query(key) === '' ? null : v;
}

const YES = new Set(['true', 'yes', '1', 'on', 't', 'y', 'include', 'enable', 'enabled', 'positive', 'ja', 'oui', 'si']);
const NO = new Set(['false', 'no', '0', 'off', 'f', 'n', 'exclude', 'disable', 'disabled', 'negative', 'nein', 'non']);

/** PhotoPrism's txt.Yes / txt.No on a form string: true, false, or null for neither (pkg/txt/bool.go). */
function yesNo(value: string): boolean | null {
  const v = value.trim().toLowerCase();
  return YES.has(v) ? true : NO.has(v) ? false : null;
}

/** Photos carrying a label, not archived: what the counts worker stores (internal/entity/query/counts.go, UpdateLabelCounts). */
function labelPhotos(ctx: EmulatorContext, label: LabelRec): PhotoRec[] {
  return ctx.store.photos.filter((p) => p.deletedAtMs === null && p.labels.some((l) => l.id === label.id));
}

/** `search.Label` (PhotoPrism internal/entity/search/labels_results.go). */
function labelJson(label: LabelRec, photos: PhotoRec[]): Record<string, unknown> {
  return {
    ID: label.id,
    UID: label.uid,
    Thumb: coverHash(photos.filter((p) => !p.private && p.quality >= 3)),
    Slug: label.slug,
    CustomSlug: label.slug,
    Name: label.name,
    Priority: label.priority,
    Favorite: false,
    Description: '',
    Notes: '',
    PhotoCount: photos.length,
    CreatedAt: goTime(label.createdAtMs),
    UpdatedAt: goTime(label.createdAtMs),
    // `time.Time` with omitempty is never omitted by encoding/json: a zero time is sent.
    DeletedAt: GO_ZERO_TIME,
  };
}

/** Registers `/subjects`, `/subjects/:uid`, `/faces` and `/labels`. */
export function registerBrowseRoutes(router: Router, ctx: EmulatorContext): void {
  router.on('GET', '/api/v1/subjects', (x) => {
    // People searches need the people resource (internal/api/subjects_search.go, SearchSubjects).
    const session = requireSession(ctx, x, 'people', 'search');
    if (!session) return;
    const page = paging(x);
    if (!page) return;
    const uids = x
      .query('uid')
      .toLowerCase()
      .split('|')
      .filter((v) => v !== '');
    const types = x
      .query('type')
      .split('|')
      .filter((v) => v !== '');
    const q = x.query('q').trim().toLowerCase();
    const all = goBool(x, 'all') === true;
    const favorite = yesNo(x.query('favorite'));
    const hidden = yesNo(x.query('hidden'));
    const minPhotos = Number.parseInt(x.query('photos') || '0', 10) || 0;
    let list = ctx.store.subjects.map((s) => ({ s, json: subjectJson(ctx.store, s) }));
    // internal/entity/search/subjects.go, Subjects: a `uid` list skips every other filter.
    if (uids.length > 0) list = list.filter(({ s }) => uids.includes(s.uid));
    else {
      list = list.filter(({ s, json }) => {
        if (q !== '' && !q.split(/\s+/).every((w) => s.name.toLowerCase().includes(w) || s.alias.toLowerCase().includes(w))) return false;
        if (types.length > 0 && !types.includes(s.type)) return false;
        if (minPhotos > 0 && (json['PhotoCount'] as number) < minPhotos) return false;
        if (!all) {
          if (favorite !== null && s.favorite !== favorite) return false;
          if (hidden !== true && s.hidden) return false;
        }
        return true;
      });
    }
    const byName = (a: { s: { name: string } }, b: { s: { name: string } }): number => a.s.name.localeCompare(b.s.name);
    switch (x.query('order')) {
      case 'name':
        list.sort(byName);
        break;
      case 'count':
        list.sort((a, b) => (b.json['FileCount'] as number) - (a.json['FileCount'] as number));
        break;
      case 'added':
        list.sort((a, b) => b.s.createdAtMs - a.s.createdAtMs);
        break;
      case 'relevance':
        list.sort(
          (a, b) => Number(b.s.favorite) - Number(a.s.favorite) || (b.json['PhotoCount'] as number) - (a.json['PhotoCount'] as number),
        );
        break;
      default:
        list.sort((a, b) => Number(b.s.favorite) - Number(a.s.favorite) || byName(a, b));
    }
    const results = list.slice(page.offset, page.offset + page.limit).map(({ json }) => json);
    x.json(200, results, {
      headers: {
        'X-Count': String(results.length),
        'X-Limit': String(page.count),
        'X-Offset': String(page.offset),
        ...tokenHeaders(session),
      },
    });
  });

  router.on('GET', '/api/v1/subjects/:uid', (x) => {
    if (!requireSession(ctx, x, 'people', 'view')) return;
    const uid = (x.params['uid'] ?? '').toLowerCase();
    const subject = ctx.store.subjects.find((s) => s.uid === uid);
    // internal/api/subjects.go, GetSubject: the entity, or 404 "Subject not found".
    if (!subject) return x.error(404, 'Subject not found');
    x.json(200, subjectJson(ctx.store, subject));
  });

  router.on('GET', '/api/v1/faces', (x) => {
    const session = requireSession(ctx, x, 'people', 'search');
    if (!session) return;
    const page = paging(x);
    if (!page) return;
    // `unknown` is a string form field read with txt.Yes / txt.No (internal/entity/search/faces.go, Faces).
    const unknown = yesNo(x.query('unknown'));
    // internal/entity/search/faces.go, Faces: default order samples DESC, id.
    let faces = [...ctx.store.faces].sort((a, b) => b.samples - a.samples || (a.id < b.id ? -1 : 1));
    if (unknown === true) faces = faces.filter((f) => f.subjUid === '');
    else if (unknown === false) faces = faces.filter((f) => f.subjUid !== '');
    const results = faces.slice(page.offset, page.offset + page.limit).map((f) => faceJson(ctx.store, f));
    x.json(200, results, {
      headers: {
        'X-Count': String(results.length),
        'X-Limit': String(page.count),
        'X-Offset': String(page.offset),
        ...tokenHeaders(session),
      },
    });
  });

  router.on('GET', '/api/v1/labels', (x) => {
    const session = requireSession(ctx, x, 'labels', 'search');
    if (!session) return;
    const page = paging(x);
    if (!page) return;
    const uids = x
      .query('uid')
      .toLowerCase()
      .split('|')
      .filter((v) => v !== '');
    const q = x.query('q').trim().toLowerCase();
    const all = goBool(x, 'all') === true;
    // internal/entity/search/labels.go, Labels: only labels on photos, priority ≥ 0 unless
    // `all`, ordered favourites first then by slug.
    let list = ctx.store.labels
      .map((label) => ({ label, photos: labelPhotos(ctx, label) }))
      .filter(({ photos }) => photos.length > 0)
      .sort((a, b) => (a.label.slug < b.label.slug ? -1 : a.label.slug > b.label.slug ? 1 : 0));
    if (uids.length > 0) list = list.filter(({ label }) => uids.includes(label.uid));
    else {
      if (q !== '') list = list.filter(({ label }) => label.slug === q || label.name.toLowerCase().includes(q));
      if (!all) list = list.filter(({ label }) => label.priority >= 0);
    }
    const results = list.slice(page.offset, page.offset + page.limit).map(({ label, photos }) => labelJson(label, photos));
    // Label search sends no X-Count (internal/api/labels_search.go, SearchLabels): a client
    // pages until a short page.
    x.json(200, results, { headers: { 'X-Limit': String(page.count), 'X-Offset': String(page.offset), ...tokenHeaders(session) } });
  });
}
