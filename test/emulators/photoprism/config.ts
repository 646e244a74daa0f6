import type { Auth, SessionRec } from './auth';
import type { CameraRec, LensRec } from './model';
import type { Store } from './store';

/**
 * The client config (`internal/config/client_config.go`, docs/photoprism-api.md §9.1) in its three variants:
 * the anonymous public config, a session's config, and the generic config the broadcast
 * `config.updated` event carries (no `settings`, no `acl`, config-wide tokens, docs/photoprism-api.md §8.3).
 */

/** Which variant of the client config to build. */
export type ConfigKind = 'public' | 'session' | 'broadcast';

/** The `thumbs` list of sizes the server pre-renders (docs/photoprism-api.md §6.2), in 230719+ form (`usage`). */
export const CONFIG_THUMBS = [
  { size: 'fit_720', usage: 'SD TV, Mobile', w: 720, h: 720 },
  { size: 'fit_1280', usage: 'HD TV, SXGA', w: 1280, h: 1024 },
  { size: 'fit_1920', usage: 'Full HD', w: 1920, h: 1200 },
  { size: 'fit_2560', usage: 'Quad HD, Notebooks', w: 2560, h: 1600 },
  { size: 'fit_4096', usage: 'DCI 4K, Retina 4K', w: 4096, h: 4096 },
  { size: 'fit_7680', usage: '8K Ultra HD 2', w: 7680, h: 4320 },
] as const;

/**
 * Library counters (`count` object), as PhotoPrism's ClientConfig computes them
 * (internal/config/client_config.go): photos whose primary file is broken are left out, review
 * counts quality 0–2, hidden counts quality -1, and with the `private` feature on private photos
 * are counted apart instead of in the totals. Cached per store version (100k photos is big).
 */
export function libraryCounts(store: Store, hidePrivate = true, reviewFeature = true): Record<string, number> {
  let photos = 0;
  let videos = 0;
  let live = 0;
  let archived = 0;
  let favorites = 0;
  let priv = 0;
  let review = 0;
  let hidden = 0;
  let files = 0;
  for (const p of store.photos) {
    files += p.files.length;
    if (p.deletedAtMs !== null) {
      if (p.quality > -1) archived += 1;
      continue;
    }
    if (p.files.some((f) => f.primary && f.error !== '')) continue;
    if (p.quality === -1) hidden += 1;
    if (p.quality >= 0 && p.quality <= 2) review += 1;
    if (p.quality <= -1) continue;
    if (hidePrivate && p.private) {
      priv += 1;
      continue;
    }
    // Photos, live photos and videos are three separate sums (photo_type NOT IN ('live', 'video') for photos).
    if (p.type === 'video') videos += 1;
    else if (p.type === 'live') live += 1;
    else photos += 1;
    if (p.favorite) favorites += 1;
  }
  // All = photos + live + videos, less the photos waiting in review when that feature is on.
  const all = photos + live + videos - (reviewFeature ? review : 0);
  const albums = store.albums.filter((a) => a.deletedAtMs === null && a.type === 'album');
  const ofType = (type: string, privateOnly: boolean): number =>
    store.albums.filter((a) => a.deletedAtMs === null && a.type === type && (!privateOnly || a.private)).length;
  return {
    all,
    photos,
    live,
    videos,
    // Camera and lens rows other than Unknown (internal/config/client_config.go, ClientUser: `camera_slug <> 'zz'`).
    cameras: store.cameras.filter((c) => c.slug !== 'zz' && c.slug !== '').length,
    lenses: store.lenses.filter((l) => l.slug !== 'zz' && l.slug !== '').length,
    countries: 7,
    hidden,
    archived,
    favorites,
    review,
    stories: 0,
    private: priv,
    albums: albums.filter((a) => !a.private).length,
    private_albums: albums.filter((a) => a.private).length,
    // Generated albums by type (internal/config/client_config.go, ClientUser: SUM(album_type = ?)).
    moments: ofType('moment', false),
    private_moments: ofType('moment', true),
    months: ofType('month', false),
    private_months: ofType('month', true),
    states: ofType('state', false),
    private_states: ofType('state', true),
    folders: ofType('folder', false),
    private_folders: ofType('folder', true),
    files,
    // People are visible person subjects (internal/entity/query/subjects.go, PeopleCount).
    people: store.subjects.filter((j) => !j.hidden).length,
    places: 7,
    labels: store.labels.length,
    labelMaxPhotos: 0,
  };
}

/** Builds client configs; caches the counts per store version. */
export class ConfigBuilder {
  readonly #store: Store;
  readonly #auth: Auth;
  readonly #version: string;
  #countsVersion = -1;
  #counts: Record<string, number> = {};
  /** Feature switches an admin turned off or on (Settings → General in PhotoPrism's web UI). */
  #features: Record<string, boolean> = {};

  constructor(store: Store, auth: Auth, version: string) {
    this.#store = store;
    this.#auth = auth;
    this.#version = version;
  }

  /**
   * Override `settings.features` (e.g. `{review: false}`), as an admin does in PhotoPrism's
   * Settings; the web UI then stops filtering by quality / privacy (frontend/src/page/photos.vue).
   */
  setFeatures(features: Record<string, boolean>): void {
    this.#features = { ...this.#features, ...features };
    this.#countsVersion = -1;
  }

  /** One `settings.features` switch as the server has it now (a feature never overridden is on). */
  feature(name: string): boolean {
    return this.#features[name] ?? true;
  }

  /** Current counts (rebuilt only after a change). */
  counts(): Record<string, number> {
    if (this.#countsVersion !== this.#store.version) {
      this.#counts = libraryCounts(this.#store, this.#features['private'] ?? true, this.#features['review'] ?? true);
      this.#countsVersion = this.#store.version;
    }
    return this.#counts;
  }

  /** The config JSON for one variant; `session` is required for `session`. */
  build(kind: ConfigKind, session?: SessionRec): Record<string, unknown> {
    const isPublic = kind === 'public';
    const base: Record<string, unknown> = {
      mode: isPublic ? 'public' : 'user',
      name: 'PhotoPrism',
      about: 'PhotoPrism®',
      edition: 'ce',
      version: this.#version,
      copyright: '(c) 2018-2024 PhotoPrism UG. All rights reserved.',
      flags: '',
      baseUri: '',
      staticUri: '/static',
      cssUri: '/static/build/app.css',
      jsUri: '/static/build/app.js',
      manifestUri: '/manifest.json',
      apiUri: '/api/v1',
      contentUri: '/api/v1',
      videoUri: '/api/v1',
      wallpaperUri: '',
      siteUrl: 'http://localhost:2342/',
      siteDomain: 'localhost',
      siteAuthor: '',
      siteTitle: 'PhotoPrism',
      siteCaption: 'AI-Powered Photos App',
      siteDescription: '',
      sitePreview: 'http://localhost:2342/static/img/preview.jpg',
      legalInfo: '',
      legalUrl: '',
      appName: 'PhotoPrism',
      appMode: 'standalone',
      appIcon: '',
      appColor: '#19191a',
      restart: false,
      debug: false,
      trace: false,
      test: false,
      demo: false,
      sponsor: false,
      readonly: false,
      uploadNSFW: false,
      public: false,
      authMode: 'password',
      usersPath: 'users',
      loginUri: '/library/login',
      registerUri: '',
      passwordLength: 8,
      passwordResetUri: '',
      experimental: false,
      albumCategories: isPublic ? [] : ['Travel'],
      albums: [],
      cameras: [],
      lenses: [],
      countries: [],
      people: [],
      thumbs: CONFIG_THUMBS,
      tier: 0,
      membership: 'ce',
      customer: '',
      mapKey: '',
      downloadToken: 'public',
      previewToken: 'public',
      disable: { backups: false, webdav: false, settings: false, places: false, exiftool: false, faces: false, classification: false },
      count: isPublic ? {} : this.counts(),
      pos: {},
      years: [],
      colors: [],
      categories: [],
      clip: 160,
      server: {},
    };
    base['flags'] = configFlags(base);
    // One entry per registered extension; the OIDC one is always compiled in and its values are
    // there even when OIDC is off (internal/config/client_ext.go, ClientExt; internal/auth/oidc/
    // register.go, ClientConfig). PhotoPrism's login page reads `config.ext.oidc.enabled`.
    base['ext'] = { oidc: OIDC_EXT };
    if (kind === 'public') {
      base['acl'] = {};
      base['settings'] = this.#settings();
      return base;
    }
    if (kind === 'broadcast') {
      // The broadcast config carries the config-wide tokens and no settings/acl (docs/photoprism-api.md §8.3).
      base['previewToken'] = this.#auth.configPreviewToken;
      base['downloadToken'] = this.#auth.configDownloadToken;
      return base;
    }
    if (!session) throw new Error('A session config needs a session');
    base['previewToken'] = session.user.previewToken;
    base['downloadToken'] = session.user.downloadToken;
    base['settings'] = this.#settings();
    base['acl'] = aclFor(session.user.role);
    base['albums'] = this.#store.albums
      .filter((a) => a.deletedAtMs === null && a.favorite)
      .slice(0, 20)
      .map((a) => ({ UID: a.uid, Slug: a.slug, Title: a.title }));
    Object.assign(base, this.#lists());
    return base;
  }

  /**
   * The lists only a signed-in user's config carries (internal/config/client_config.go,
   * ClientUser): cameras in use, every lens, years with photos, people. Public configs keep
   * them empty (ClientPublic: `entity.Cameras{}`).
   */
  #lists(): Record<string, unknown> {
    const store = this.#store;
    const usedCameraIds = new Set<number>();
    const years = new Set<number>();
    for (const p of store.photos) {
      // `photos.photo_quality > -1 OR photos.deleted_at IS NULL`, in both queries.
      if (p.quality <= -1 && p.deletedAtMs !== null) continue;
      usedCameraIds.add(p.camera.id);
      if (p.year > 0) years.add(p.year);
    }
    const bySlug = <T extends { slug: string }>(a: T, b: T): number => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);
    return {
      cameras: store.cameras
        .filter((c) => usedCameraIds.has(c.id))
        .sort(bySlug)
        .map((c) => cameraJson(c)),
      lenses: [...store.lenses].sort(bySlug).map((l) => lensJson(l)),
      years: [...years].sort((a, b) => b - a),
      // internal/entity/query/subjects.go, People: visible or not, ordered by name.
      people: [...store.subjects]
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
        .map((j) => ({ UID: j.uid, Name: j.name, Alias: j.alias, Favorite: j.favorite, Hidden: j.hidden })),
    };
  }

  #settings(): Record<string, unknown> {
    return {
      ui: { scrollbar: true, zoom: false, theme: 'default', language: 'en', timeZone: '' },
      search: { batchSize: 0 },
      maps: { animate: 0, style: '' },
      features: {
        account: true,
        albums: true,
        archive: true,
        delete: true,
        download: true,
        edit: true,
        favorites: true,
        files: true,
        folders: true,
        import: true,
        labels: true,
        library: true,
        logs: true,
        moments: true,
        people: true,
        places: true,
        private: true,
        ratings: false,
        reactions: false,
        review: true,
        search: true,
        services: true,
        settings: true,
        share: true,
        upload: true,
        videos: true,
        ...this.#features,
      },
      import: { path: '/', move: false },
      index: { path: '/', convert: true, rescan: false, skipArchived: false },
      stack: { uuid: true, meta: true, name: false },
      share: { title: '' },
      download: { name: 'file', disabled: false, originals: true, mediaRaw: false, mediaSidecar: false },
      templates: { default: 'index.gohtml' },
    };
  }
}

/** The OIDC extension's client values with OIDC not configured (internal/config/config_oidc.go defaults). */
const OIDC_EXT = {
  enabled: false,
  provider: 'OpenID',
  icon: '/static/img/oidc.svg',
  register: false,
  redirect: false,
  loginUri: '/api/v1/oidc/login',
};

/**
 * `flags`: the space-separated switches of internal/config/client_config.go, Config.Flags, in
 * its order; `settings` unless settings are disabled, `hide-scrollbar` when the UI hides it.
 */
function configFlags(base: Record<string, unknown>): string {
  const flags: string[] = [];
  for (const key of ['public', 'debug', 'test', 'demo', 'sponsor', 'experimental', 'readonly'] as const)
    if (base[key] === true) flags.push(key);
  const disable = base['disable'] as { settings?: boolean } | undefined;
  if (disable?.settings !== true) flags.push('settings');
  return flags.join(' ');
}

/** An `entity.Camera` as JSON (internal/entity/camera.go, Camera: Type omitted when empty). */
function cameraJson(c: CameraRec): Record<string, unknown> {
  const out: Record<string, unknown> = { ID: c.id, Slug: c.slug, Name: c.name, Make: c.make, Model: c.model };
  if (c.type !== '') out['Type'] = c.type;
  return out;
}

/** An `entity.Lens` as JSON (internal/entity/lens.go, Lens: Type always present). */
function lensJson(l: LensRec): Record<string, unknown> {
  return { ID: l.id, Slug: l.slug, Name: l.name, Make: l.make, Model: l.model, Type: l.type };
}

function aclFor(role: string): Record<string, Record<string, boolean>> {
  const full = { full_access: true };
  const read = { search: true, view: true };
  const resources = ['photos', 'albums', 'labels', 'places', 'people', 'files', 'settings', 'config', 'users', 'logs'];
  return Object.fromEntries(resources.map((r) => [r, role === 'admin' ? full : read]));
}
