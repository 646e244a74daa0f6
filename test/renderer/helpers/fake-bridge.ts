import { AppError } from '../../../shared/errors';
import type { PhotoflareBridge } from '../../../shared/ipc/bridge';
import type { ActivityEntry } from '../../../shared/events/schema';
import type {
  ActionFailure,
  ActionHistory,
  ActionResult,
  Channel,
  EventName,
  EventPayload,
  RequestOf,
  ResponseOf,
} from '../../../shared/ipc/contract';
import { err, ok, type IpcResult } from '../../../shared/ipc/result';
import type {
  AlbumSummary,
  BrowseList,
  BrowseSection,
  ConnectionStatus,
  LibraryView,
  MonthBucket,
  PhotoDetails,
  PhotoSummary,
} from '../../../shared/library/schemas';
import { SETTINGS_DEFAULTS, withDefaults } from '../../../shared/settings';
import type { SyncStatus } from '../../../shared/sync/state';

/**
 * An in-memory PhotoflareBridge: a small, real implementation of the contract's library
 * channels over a generated library, so renderer tests exercise paging, months and views the
 * way main answers them. Any channel can be overridden per test (`handle`), every call is
 * recorded (`calls`), and events are pushed with `emit`.
 */

type Handler<C extends Channel> = (request: RequestOf<C>) => ResponseOf<C> | Promise<ResponseOf<C>>;
type Handlers = { [C in Channel]?: Handler<C> };

/** A photo UID for an index: `p` + 15 base-36 digits, as PhotoPrism makes them. */
export function photoUid(index: number): string {
  return `p${index.toString(36).padStart(15, '0')}`;
}

/** An album UID for an index. */
export function albumUid(index: number): string {
  return `a${index.toString(36).padStart(15, '0')}`;
}

/**
 * `count` photos, newest first, `perMonth` per calendar month going back from `newestMonth`.
 * Every 7th is a favourite, every 50th archived, every 13th a video.
 */
export function makePhotos(count: number, perMonth = 120, newestMonth = '2025-06'): PhotoSummary[] {
  const [year, month] = newestMonth.split('-').map(Number) as [number, number];
  const photos: PhotoSummary[] = [];
  for (let i = 0; i < count; i++) {
    const monthsBack = Math.floor(i / perMonth);
    const date = new Date(Date.UTC(year, month - 1 - monthsBack, 28 - ((i % perMonth) * 27) / perMonth, 12));
    photos.push({
      uid: photoUid(i),
      title: `Photo ${i}`,
      takenAt: date.toISOString(),
      takenAtLocal: date.toISOString().slice(0, 19),
      width: 4032,
      height: 3024,
      type: i % 13 === 0 ? 'video' : 'image',
      favorite: i % 7 === 0,
      private: false,
      archived: i % 50 === 49,
    });
  }
  return photos;
}

export interface FakeBridgeOptions {
  photos?: PhotoSummary[];
  albums?: { title: string; photoIndexes: number[]; favorite?: boolean }[];
  status?: Partial<ConnectionStatus>;
}

export const SIGNED_OUT: ConnectionStatus = {
  state: 'signed-out',
  serverUrl: null,
  insecureHttp: false,
  userName: null,
  serverVersion: null,
  lastError: null,
  indexing: null,
  lastRefreshedAt: null,
};

/** One undoable step of the fake's action history: how to undo and redo it. */
interface FakeStep {
  readonly label: string;
  readonly undo: () => void;
  readonly redo: () => void;
}

export class FakeBridge implements PhotoflareBridge {
  readonly calls: { channel: Channel; request: unknown }[] = [];
  photos: PhotoSummary[];
  albums: { uid: string; title: string; photoIndexes: number[]; favorite?: boolean }[];
  /** Photos of browse items by `section/key` (what main cached when the item was opened). */
  readonly browsePhotos = new Map<string, string[]>();
  /** Browse pages as main's cache holds them. */
  readonly browseLists = new Map<BrowseSection, BrowseList>();

  browseCounts(): Partial<Record<BrowseSection, number>> {
    return Object.fromEntries([...this.browseLists].map(([section, list]) => [section, list.items.length]));
  }
  status: ConnectionStatus;
  /** iCloud Sync status (`sync.*` channels answer with it). */
  syncStatus: SyncStatus = { state: { name: 'disabled' }, pendingCount: 0, photoprism: 'online' };
  /** What `activity.recent` answers. */
  activity: ActivityEntry[] = [];
  /** Photos waiting in Review (quality < 3 on the server). */
  readonly review = new Set<string>();
  /** The server's feature switches (Review and Private views). */
  features = { review: true, private: true };
  /** UIDs the fake "server" refuses in actions, with why (partial failures). */
  readonly refuse = new Map<string, Omit<ActionFailure, 'uids'>>();
  readonly #undo: FakeStep[] = [];
  readonly #redo: FakeStep[] = [];
  #albumSeq = 100;
  readonly #handlers: Handlers = {};
  readonly #listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  /** When set, every invoke waits for this before answering (to test loading states). */
  gate: Promise<void> | undefined;

  constructor(options: FakeBridgeOptions = {}) {
    this.photos = options.photos ?? makePhotos(500);
    this.albums = (options.albums ?? [{ title: 'Holidays', photoIndexes: [0, 1, 2, 3, 4] }]).map((album, i) => ({
      uid: albumUid(i + 1),
      ...album,
    }));
    this.status = { ...SIGNED_OUT, ...options.status };
  }

  /** Override one channel. A thrown AppError becomes an error Result, like main's handle(). */
  handle<C extends Channel>(channel: C, handler: Handler<C>): this {
    (this.#handlers as Record<string, unknown>)[channel] = handler;
    return this;
  }

  /** What answers one channel now (a test's override, else the built-in answer), to wrap it. */
  handlerFor<C extends Channel>(channel: C): Handler<C> {
    const handler = this.#handlerOf(channel);
    if (!handler) throw new Error(`The fake bridge does not answer ${channel}.`);
    return handler;
  }

  #handlerOf<C extends Channel>(channel: C): Handler<C> | undefined {
    return (this.#handlers as Record<string, Handler<C> | undefined>)[channel] ?? this.#defaultHandler(channel);
  }

  /** Calls made to one channel, in order. */
  callsTo<C extends Channel>(channel: C): RequestOf<C>[] {
    return this.calls.filter((call) => call.channel === channel).map((call) => call.request as RequestOf<C>);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.#listeners.get(event) ?? []) listener(payload);
  }

  async invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<IpcResult<ResponseOf<C>>> {
    this.calls.push({ channel, request });
    if (this.gate) await this.gate;
    try {
      const handler = this.#handlerOf(channel);
      if (!handler) return err('unknown-channel', `The fake bridge does not answer ${channel}; use handle().`);
      return ok(await handler(request));
    } catch (error) {
      if (error instanceof AppError) return err(error.kind, error.message);
      return err('internal', error instanceof Error ? error.message : String(error));
    }
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) this.#listeners.set(event, (set = new Set()));
    const wrapped = (payload: unknown) => listener(payload as EventPayload<E>);
    set.add(wrapped);
    return () => set.delete(wrapped);
  }

  /** Photos of a view after the search, newest first (what main's cache query returns). */
  viewPhotos(view: LibraryView, q: string): PhotoSummary[] {
    let photos: PhotoSummary[];
    switch (view.kind) {
      case 'all':
        photos = this.photos.filter((photo) => !photo.archived && this.#inBrowse(photo));
        break;
      case 'favorites':
        photos = this.photos.filter((photo) => photo.favorite && !photo.archived && this.#inBrowse(photo));
        break;
      case 'review':
        photos = this.photos.filter((photo) => !photo.archived && this.review.has(photo.uid) && !(this.features.private && photo.private));
        break;
      case 'private':
        photos = this.photos.filter((photo) => !photo.archived && photo.private);
        break;
      case 'archive':
        photos = this.photos.filter((photo) => photo.archived);
        break;
      case 'album': {
        const album = this.albums.find((candidate) => candidate.uid === view.albumUid);
        const members = new Set(album?.photoIndexes.map((i) => this.photos[i]?.uid));
        photos = this.photos.filter((photo) => members.has(photo.uid));
        break;
      }
      case 'videos':
        photos = this.photos.filter((photo) => photo.type === 'video' && !photo.archived && this.#inBrowse(photo));
        break;
      case 'browse': {
        const members = new Set(this.browsePhotos.get(`${view.section}/${view.key}`) ?? []);
        photos = this.photos.filter((photo) => members.has(photo.uid) && !photo.archived);
        break;
      }
    }
    const needle = q.trim().toLowerCase();
    return needle === '' ? photos : photos.filter((photo) => photo.title.toLowerCase().includes(needle));
  }

  /** In PhotoPrism's browse view (main's [Note: What each view shows]). */
  #inBrowse(photo: PhotoSummary): boolean {
    return !(this.features.private && photo.private) && !(this.features.review && this.review.has(photo.uid));
  }

  /** The undo history as main reports it. */
  history(): ActionHistory {
    const undo = this.#undo[this.#undo.length - 1];
    const redo = this.#redo[this.#redo.length - 1];
    return {
      canUndo: undo !== undefined,
      canRedo: redo !== undefined,
      undoLabel: undo ? `Undo ${undo.label}` : 'Undo',
      redoLabel: redo ? `Redo ${redo.label}` : 'Redo',
    };
  }

  photoByUid(uid: string): PhotoSummary | undefined {
    return this.photos.find((photo) => photo.uid === uid);
  }

  /**
   * Apply an action to the UIDs the fake server accepts, record an undo step, and tell the
   * renderer what changed (library.changed, actions.history), as main does.
   */
  #act(
    label: string,
    uids: readonly string[],
    apply: (uid: string) => () => void,
    options: { albums?: boolean; album?: AlbumSummary } = {},
  ): ActionResult {
    const applied: string[] = [];
    const failed: ActionFailure[] = [];
    const undos: (() => void)[] = [];
    for (const uid of uids) {
      const refusal = this.refuse.get(uid);
      if (refusal) {
        const same = failed.find((failure) => failure.kind === refusal.kind && failure.message === refusal.message);
        if (same) same.uids.push(uid);
        else failed.push({ ...refusal, uids: [uid] });
        continue;
      }
      undos.push(apply(uid));
      applied.push(uid);
    }
    if (applied.length > 0 || options.album) {
      const redoUids = [...applied];
      this.#undo.push({
        label,
        undo: () => undos.forEach((undo) => undo()),
        redo: () => redoUids.forEach((uid) => apply(uid)),
      });
      this.#redo.length = 0;
      this.#changed(applied, options.albums ?? false);
    }
    return options.album ? { applied, failed, album: options.album } : { applied, failed };
  }

  #changed(uids: readonly string[], albums: boolean): void {
    this.emit('library.changed', { uids: uids.filter((uid) => uid.startsWith('p')), albums, full: false });
    this.emit('actions.history', this.history());
  }

  #albumSummary(uid: string): AlbumSummary {
    const album = this.albums.find((candidate) => candidate.uid === uid);
    if (!album) throw new AppError('not-found', 'That album no longer exists.');
    return this.#summaryOf(album);
  }

  /** An album as main lists it (members not archived, like main's ALBUMS_SQL). */
  #summaryOf(album: FakeBridge['albums'][number]): AlbumSummary {
    const members = album.photoIndexes
      .map((i) => this.photos[i])
      .filter((photo): photo is PhotoSummary => photo !== undefined && !photo.archived);
    const newest =
      members
        .map((photo) => photo.takenAtLocal)
        .sort()
        .at(-1) ?? null;
    return {
      uid: album.uid,
      title: album.title,
      photoCount: album.photoIndexes.length,
      coverUid: members[0]?.uid ?? null,
      favorite: album.favorite ?? false,
      newestTakenAtLocal: newest,
    };
  }

  #setFlag(uid: string, key: 'favorite' | 'archived' | 'private', value: boolean): () => void {
    const photo = this.photoByUid(uid);
    if (!photo) throw new AppError('not-found', 'That photo is no longer in your library.');
    const before = photo[key];
    photo[key] = value;
    return () => {
      photo[key] = before;
    };
  }

  #membership(albumUid: string, uid: string, member: boolean): () => void {
    const album = this.albums.find((candidate) => candidate.uid === albumUid);
    const index = this.photos.findIndex((photo) => photo.uid === uid);
    if (!album || index < 0) throw new AppError('not-found', 'That album no longer exists.');
    const was = album.photoIndexes.includes(index);
    const set = (on: boolean) => {
      album.photoIndexes = album.photoIndexes.filter((i) => i !== index);
      if (on) album.photoIndexes.push(index);
    };
    set(member);
    return () => set(was);
  }

  #historyStep(from: FakeStep[], to: FakeStep[], run: (step: FakeStep) => void): ActionResult {
    const step = from.pop();
    if (!step) throw new AppError('validation', 'There is nothing to undo.');
    run(step);
    to.push(step);
    this.emit('library.changed', { uids: [], albums: true, full: true });
    this.emit('actions.history', this.history());
    return { applied: [], failed: [] };
  }

  /** Built-in answers for the channels the renderer's library UI uses; others need `handle()`. */
  #defaultHandler<C extends Channel>(channel: C): Handler<C> | undefined {
    const handlers: Handlers = {
      'app.info': () => ({ name: 'Photoflare', version: '0.1.0', profile: 'test', shell: 'web', platform: 'darwin' }),
      'settings.get': () => SETTINGS_DEFAULTS,
      // Like main's: the answers of the five channels it stands for, in one.
      'app.boot': ({ firstPageLimit }) => {
        const all = this.viewPhotos({ kind: 'all' }, '');
        return {
          info: { name: 'Photoflare', version: '0.1.0', profile: 'test', shell: 'web', platform: 'darwin' },
          settings: SETTINGS_DEFAULTS,
          connection: this.status,
          library:
            this.status.serverUrl === null
              ? null
              : { months: monthBuckets(all), firstPage: { total: all.length, offset: 0, photos: all.slice(0, firstPageLimit) } },
        };
      },
      'settings.update': (patch) => withDefaults(patch),
      // No start-up notices unless a test hands some (`handle('app.notices', …)`).
      'app.notices': () => [],
      'app.dismissNotice': () => [],
      'connection.status': () => this.status,
      'connection.probe': ({ serverUrl }) => ({
        serverUrl: serverUrl.replace(/\/+$/, ''),
        insecureHttp: serverUrl.startsWith('http://'),
        untrustedCertificate: null,
        serverVersion: '240915',
        siteTitle: 'PhotoPrism',
      }),
      'connection.signIn': (request) => {
        this.status = { ...this.status, state: 'online', serverUrl: request.serverUrl, userName: request.username };
        return this.status;
      },
      'connection.signOut': () => (this.status = { ...this.status, state: 'signed-out', userName: null }),
      'browse.summary': () => ({
        sections: { people: null, places: null, labels: null, calendar: null, moments: null, folders: null, ...this.browseCounts() },
        videos: this.viewPhotos({ kind: 'videos' }, '').length,
      }),
      'browse.list': ({ section }) => this.browseLists.get(section) ?? { section, items: [], fetchedAt: null },
      // Main answers with what is cached; offline it says so.
      'browse.open': ({ section, key }) => ({
        cached: this.browsePhotos.has(`${section}/${key}`),
        error: this.status.state === 'online' ? null : 'PhotoPrism cannot be reached right now.',
      }),
      'library.counts': () => ({
        all: this.viewPhotos({ kind: 'all' }, '').length,
        favorites: this.viewPhotos({ kind: 'favorites' }, '').length,
        archived: this.viewPhotos({ kind: 'archive' }, '').length,
        review: this.viewPhotos({ kind: 'review' }, '').length,
        private: this.viewPhotos({ kind: 'private' }, '').length,
        features: { ...this.features },
      }),
      'library.albums': () => this.albums.map((album) => this.#summaryOf(album)),
      'library.query': ({ view, q = '', offset, limit }) => {
        const photos = this.viewPhotos(view, q);
        return { total: photos.length, offset, photos: photos.slice(offset, offset + limit) };
      },
      'library.months': ({ view, q = '' }) => monthBuckets(this.viewPhotos(view, q)),
      'library.refresh': () => this.status,
      // The cache answers every search here (main's online path has its own tests).
      'library.search': () => ({ source: 'cache', searchedAt: null, offline: false, unsupported: [], wordsPartial: false, error: null }),
      'library.searchSuggestions': () => ({ years: [2024, 2023], cameras: ['EOS 6D'], cities: ['Lisbon'], albums: [] }),
      'library.firstScreen': () => ({}),
      'library.screenThumbnails': () => ({}),
      'actions.history': () => this.history(),
      'actions.setFavorite': ({ uids, favorite }) =>
        this.#act(favorite ? 'Favourite' : 'Unfavourite', uids, (uid) => this.#setFlag(uid, 'favorite', favorite)),
      'actions.setArchived': ({ uids, archived }) =>
        this.#act(archived ? 'Archive' : 'Restore', uids, (uid) => this.#setFlag(uid, 'archived', archived)),
      'actions.approve': ({ uids }) => {
        // Like main: applied to what the server accepts, no undo step.
        const applied = uids.filter((uid) => !this.refuse.has(uid));
        const failed = uids
          .filter((uid) => this.refuse.has(uid))
          .map((uid) => ({ ...(this.refuse.get(uid) as Omit<ActionFailure, 'uids'>), uids: [uid] }));
        for (const uid of applied) this.review.delete(uid);
        if (applied.length > 0) this.#changed(applied, false);
        return { applied, failed };
      },
      'actions.setPrivate': ({ uids, private: value }) =>
        this.#act(value ? 'Make Private' : 'Make Public', uids, (uid) => this.#setFlag(uid, 'private', value)),
      'actions.addToAlbum': ({ albumUid, uids }) =>
        this.#act('Add to Album', uids, (uid) => this.#membership(albumUid, uid, true), { albums: true }),
      'actions.removeFromAlbum': ({ albumUid, uids }) =>
        this.#act('Remove from Album', uids, (uid) => this.#membership(albumUid, uid, false), { albums: true }),
      'actions.createAlbum': ({ title, uids = [] }) => {
        const uid = albumUid(this.#albumSeq++);
        this.albums.push({ uid, title: title.trim(), photoIndexes: [] });
        const result = this.#act('New Album', uids, (photo) => this.#membership(uid, photo, true), {
          albums: true,
          album: this.#albumSummary(uid),
        });
        return { ...result, album: this.#albumSummary(uid) };
      },
      'actions.renameAlbum': ({ albumUid: uid, title }) => {
        const album = this.albums.find((candidate) => candidate.uid === uid);
        if (!album) throw new AppError('not-found', 'That album no longer exists.');
        const before = album.title;
        album.title = title.trim();
        this.#undo.push({ label: 'Rename Album', undo: () => (album.title = before), redo: () => (album.title = title.trim()) });
        this.#changed([], true);
        return { applied: [uid], failed: [], album: this.#albumSummary(uid) };
      },
      'actions.deleteAlbum': ({ albumUid: uid }) => {
        const at = this.albums.findIndex((candidate) => candidate.uid === uid);
        const album = this.albums[at];
        if (!album) throw new AppError('not-found', 'That album no longer exists.');
        this.albums.splice(at, 1);
        this.#undo.push({
          label: 'Delete Album',
          undo: () => this.albums.splice(at, 0, album),
          redo: () => this.albums.splice(this.albums.indexOf(album), 1),
        });
        this.#changed([], true);
        return { applied: [uid], failed: [] };
      },
      'actions.undo': () => this.#historyStep(this.#undo, this.#redo, (step) => step.undo()),
      'actions.redo': () => this.#historyStep(this.#redo, this.#undo, (step) => step.redo()),
      'activity.recent': ({ limit }) => this.activity.slice(0, limit),
      'sync.status': () => this.syncStatus,
      'sync.setEnabled': ({ enabled }) =>
        (this.syncStatus = {
          ...this.syncStatus,
          state: enabled ? { name: 'needs-sign-in', reason: 'Not signed in to iCloud yet.' } : { name: 'disabled' },
        }),
      'sync.signIn': () => (this.syncStatus = { ...this.syncStatus, state: { name: 'idle', lastSyncedAt: null } }),
      'sync.signOut': () => (this.syncStatus = { ...this.syncStatus, state: { name: 'needs-sign-in', reason: 'Signed out of iCloud.' } }),
      'sync.now': () => this.syncStatus,
      'sync.pause': () => (this.syncStatus = { ...this.syncStatus, state: { name: 'paused' } }),
      'sync.resume': () => (this.syncStatus = { ...this.syncStatus, state: { name: 'idle', lastSyncedAt: null } }),
      'sync.confirmAccountSwitch': () => (this.syncStatus = { ...this.syncStatus, state: { name: 'idle', lastSyncedAt: null } }),
      'sync.uploadAgain': () => (this.syncStatus = { ...this.syncStatus, state: { name: 'idle', lastSyncedAt: null } }),
      'sync.cloudData': () => [],
      'sync.deleteCloudData': () => (this.syncStatus = { ...this.syncStatus, state: { name: 'disabled' } }),
      // A stack's versions (the info panel's file list): `<uid>.jpg` primary, `<uid> (1).jpg` a second JPEG.
      'photo.metadata': ({ uid }) => {
        const photo = this.photos.find((candidate) => candidate.uid === uid);
        if (!photo) throw new AppError('not-found', 'That photo is no longer in your library.');
        const file = (n: number, primary: boolean) => ({
          uid: `f${uid.slice(1, 15)}${n}`,
          name: `2024/01/${uid}${n === 0 ? '' : ` (${n})`}.jpg`,
          fileType: 'jpg',
          mime: 'image/jpeg',
          codec: 'jpeg',
          sizeBytes: 1000,
          width: photo.width,
          height: photo.height,
          durationMs: 0,
          primary,
          sidecar: false,
          canBePrimary: !primary,
          canUnstack: !primary,
        });
        const count = photo.stackSize ?? 1;
        return { files: Array.from({ length: count }, (_, n) => file(n, n === 0)), keywords: [], labels: [] };
      },
      'actions.choosePrimary': ({ uid }) => ({ applied: [uid], failed: [] }),
      'actions.unstack': ({ uid }) => ({ applied: [uid], failed: [] }),
      'photo.details': ({ uid }) => {
        const photo = this.photos.find((candidate) => candidate.uid === uid);
        if (!photo) throw new AppError('not-found', 'That photo is no longer in your library.');
        return detailsOf(photo);
      },
    };
    return handlers[channel];
  }
}

/** Month buckets of photos sorted newest first. */
export function monthBuckets(photos: readonly PhotoSummary[]): MonthBucket[] {
  const buckets: MonthBucket[] = [];
  photos.forEach((photo, index) => {
    const month = photo.takenAt.slice(0, 7);
    const last = buckets[buckets.length - 1];
    if (last?.month === month) last.count++;
    else buckets.push({ month, count: 1, offset: index });
  });
  return buckets;
}

/** Info-panel details for a photo. */
export function detailsOf(photo: PhotoSummary): PhotoDetails {
  return {
    ...photo,
    description: '',
    fileName: `${photo.title.replace(/\s+/g, '_')}.jpg`,
    fileSizeBytes: 3_456_789,
    cameraModel: 'Apple iPhone 15 Pro',
    lensModel: 'Main Camera 6.86mm f/1.78',
    iso: 80,
    exposure: '1/120',
    fNumber: 1.8,
    focalLengthMm: 24,
    placeLabel: 'Lisbon, Portugal',
    lat: 38.72,
    lng: -9.14,
    albums: [],
  };
}
