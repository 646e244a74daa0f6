import { AppError } from '../../../shared/errors';
import type { PhotoflareBridge } from '../../../shared/ipc/bridge';
import type { Channel, EventName, EventPayload, RequestOf, ResponseOf } from '../../../shared/ipc/contract';
import { err, ok, type IpcResult } from '../../../shared/ipc/result';
import type {
  AlbumSummary,
  ConnectionStatus,
  LibraryView,
  MonthBucket,
  PhotoDetails,
  PhotoSummary,
} from '../../../shared/library/schemas';
import { SETTINGS_DEFAULTS, withDefaults } from '../../../shared/settings';

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
  albums?: { title: string; photoIndexes: number[] }[];
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

export class FakeBridge implements PhotoflareBridge {
  readonly calls: { channel: Channel; request: unknown }[] = [];
  photos: PhotoSummary[];
  albums: { uid: string; title: string; photoIndexes: number[] }[];
  status: ConnectionStatus;
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
      const handler = (this.#handlers as Record<string, Handler<C> | undefined>)[channel] ?? this.#defaultHandler(channel);
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
        photos = this.photos.filter((photo) => !photo.archived);
        break;
      case 'favorites':
        photos = this.photos.filter((photo) => photo.favorite && !photo.archived);
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
    }
    const needle = q.trim().toLowerCase();
    return needle === '' ? photos : photos.filter((photo) => photo.title.toLowerCase().includes(needle));
  }

  /** Built-in answers for the channels the renderer's library UI uses; others need `handle()`. */
  #defaultHandler<C extends Channel>(channel: C): Handler<C> | undefined {
    const handlers: Handlers = {
      'app.info': () => ({ name: 'Photoflare', version: '0.1.0', profile: 'test', shell: 'web', platform: 'darwin' }),
      'settings.get': () => SETTINGS_DEFAULTS,
      'settings.update': (patch) => withDefaults(patch),
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
      'library.counts': () => ({
        all: this.viewPhotos({ kind: 'all' }, '').length,
        favorites: this.viewPhotos({ kind: 'favorites' }, '').length,
        archived: this.viewPhotos({ kind: 'archive' }, '').length,
      }),
      'library.albums': () =>
        this.albums.map(
          (album): AlbumSummary => ({
            uid: album.uid,
            title: album.title,
            photoCount: album.photoIndexes.length,
            coverUid: null,
          }),
        ),
      'library.query': ({ view, q = '', offset, limit }) => {
        const photos = this.viewPhotos(view, q);
        return { total: photos.length, offset, photos: photos.slice(offset, offset + limit) };
      },
      'library.months': ({ view, q = '' }) => monthBuckets(this.viewPhotos(view, q)),
      'library.refresh': () => this.status,
      'photo.details': ({ uid }) => {
        const photo = this.photos.find((candidate) => candidate.uid === uid);
        if (!photo) throw new AppError('not-found', 'That photo is no longer in your library.');
        return detailsOf(photo);
      },
    };
    return handlers[channel] as Handler<C> | undefined;
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
