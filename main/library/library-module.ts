import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { DATABASE_FILE, type WritableDb } from '../db/database';
import { MIGRATIONS } from '../db/migrations';
import { closeCheckedDatabase, openCheckedDatabase, type DatabaseRecovery } from '../db/recovery';
import type { Handlers } from '../ipc/handle';
import type { EventHub } from '../ipc/event-hub';
import type { DisposableStore } from '../lifecycle/disposables';
import type { Logger } from '../log/logger';
import { systemClock, type Clock } from '../platform/clock';
import { ForegroundWork } from '../platform/foreground-work';
import { ConnectionService } from '../photoprism/connection-service';
import { createNodeTransport, type TransportFactory } from '../photoprism/transport';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings-store';
import { DiskLru } from '../thumbnails/disk-lru';
import { ThumbnailService } from '../thumbnails/thumbnail-service';
import { OriginalService } from '../thumbnails/original-service';
import { VideoService } from '../thumbnails/video-service';
import { BrowseRepo } from './browse-repo';
import { BrowseService } from './browse-service';
import { LibraryRepo } from './library-repo';
import { LibraryService, type LibraryServiceOptions } from './library-service';

/** The channels this module answers. */
export type LibraryHandlers = Pick<
  Handlers,
  | 'connection.status'
  | 'connection.probe'
  | 'connection.signIn'
  | 'connection.signOut'
  | 'library.counts'
  | 'library.albums'
  | 'library.query'
  | 'library.months'
  | 'library.refresh'
  | 'library.search'
  | 'library.searchSuggestions'
  | 'library.firstScreen'
  | 'library.screenThumbnails'
  | 'photo.details'
  | 'photo.metadata'
  | 'browse.summary'
  | 'browse.list'
  | 'browse.open'
>;

export interface LibraryModuleOptions {
  readonly profileDir: string;
  readonly events: EventHub;
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly log: Logger;
  /** Teardown is registered here, in construction order (disposed in reverse). */
  readonly disposables: DisposableStore;
  readonly sqliteNativeBinding?: string | undefined;
  /** Seams for tests; the defaults are the real network and clock. */
  readonly createTransport?: TransportFactory | undefined;
  readonly clock?: Clock | undefined;
  readonly libraryOptions?: Partial<
    Pick<LibraryServiceOptions, 'pageSize' | 'refreshIntervalMs' | 'fullIndexIntervalMs' | 'hintDebounceMs' | 'createLiveEvents'>
  >;
}

/** What compose() gets back. */
export interface LibraryModule {
  /** The profile's database: the event log adds its tables to the same file. */
  readonly db: WritableDb;
  /** Set when the database was damaged and replaced at start (see [Note: A damaged database]). */
  readonly recovery: DatabaseRecovery | undefined;
  readonly connection: ConnectionService;
  readonly library: LibraryService;
  readonly browse: BrowseService;
  readonly thumbnails: ThumbnailService;
  readonly videos: VideoService;
  readonly originals: OriginalService;
  /** The window's calls and files (see Core.screenCalls). */
  readonly screenCalls: ForegroundWork;
  readonly handlers: LibraryHandlers;
}

const MIB = 1024 * 1024;
/** The thumbnail cache's folder, under the profile folder. */
const THUMBNAILS_DIR = 'thumbnails';

/**
 * Build the PhotoPrism connection, the library cache and thumbnails, wire them to the IPC
 * channels, and start them (resuming a stored session in the background).
 *
 * Construction order = dependency order: db → repo → connection → library → thumbnails; the
 * disposables store tears them down in reverse, closing the database last.
 */
export function createLibraryModule(options: LibraryModuleOptions): LibraryModule {
  const { log, disposables, events } = options;
  const clock = options.clock ?? systemClock;

  const databasePath = join(options.profileDir, DATABASE_FILE);
  const { db, recovery, checked } = openCheckedDatabase(databasePath, {
    migrations: MIGRATIONS,
    nativeBinding: options.sqliteNativeBinding,
    log: log.child('db'),
  });
  if (!checked) log.child('db').info('the database was closed cleanly and is unchanged since: no integrity check at this start');
  disposables.add(() => closeCheckedDatabase(db, databasePath, log.child('db')));
  // The thumbnail index went with the damaged database: files it no longer lists would never
  // be evicted, so the folder (a cache) starts over too.
  if (recovery) rmSync(join(options.profileDir, THUMBNAILS_DIR), { recursive: true, force: true });
  const repo = new LibraryRepo(db, log.child('library-repo'));

  const connection = new ConnectionService({
    repo,
    secrets: options.secrets,
    events,
    clock,
    log: log.child('photoprism'),
    createTransport: options.createTransport ?? createNodeTransport,
  });
  disposables.add(() => connection.dispose());

  // The full index and the browse lists fetched ahead yield to thumbnails and live grid pages: see [Note: Background work yields to what is on screen].
  const foreground = new ForegroundWork({ clock });
  // The window's calls and files (compose's dispatch, the shells' file requests): the search index build waits for them, see [Note: The search index build waits for the window].
  const screenCalls = new ForegroundWork({ clock });
  const cache = new DiskLru({
    dir: join(options.profileDir, THUMBNAILS_DIR),
    db,
    budgetBytes: options.settings.get().thumbnailCacheMiB * MIB,
    clock,
    log: log.child('thumbnails'),
    foreground,
  });
  // Its index writes are batched (disk-lru.ts): commit the last ones before the database closes.
  disposables.add(() => cache.dispose());
  disposables.add(options.settings.onChange((next) => cache.setBudgetBytes(next.thumbnailCacheMiB * MIB)));
  const thumbnails = new ThumbnailService({
    cache,
    lookupHash: (uid) => repo.thumbHash(uid),
    source: connection,
    log: log.child('thumbnails'),
    foreground,
  });
  const library = new LibraryService({
    repo,
    connection,
    events,
    clock,
    log: log.child('library'),
    foreground,
    screenCalls,
    // See [Note: The first screen's thumbnails go first].
    onFirstLivePage: (hashes) => thumbnails.fetchFirstScreen(hashes),
    ...options.libraryOptions,
  });
  disposables.add(() => library.dispose());

  const browse = new BrowseService({
    repo: new BrowseRepo(db),
    libraryRepo: repo,
    library,
    connection,
    events,
    clock,
    log: log.child('browse'),
    foreground,
  });
  disposables.add(() => browse.dispose());

  const videos = new VideoService({ lookupHash: (uid) => repo.thumbHash(uid), source: connection, log: log.child('videos') });
  const originals = new OriginalService({ lookupHash: (uid) => repo.thumbHash(uid), source: connection, log: log.child('originals') });

  library.start();
  connection.start().catch((error: unknown) => log.error('could not resume the PhotoPrism session', { error }));

  const handlers: LibraryHandlers = {
    'connection.status': () => connection.status(),
    'connection.probe': ({ serverUrl }) => connection.probe(serverUrl),
    'connection.signIn': (request) => connection.signIn(request),
    'connection.signOut': () => connection.signOut(),
    'library.counts': () => library.counts(),
    'library.albums': () => library.albums(),
    'library.query': (request) => library.page(request),
    'library.months': ({ view, q }) => library.months(view, q),
    'library.search': ({ view, q }) => library.search(view, q),
    'library.searchSuggestions': () => library.searchSuggestions(),
    'library.firstScreen': (screen) => {
      thumbnails.expectFirstScreen(screen);
      return {};
    },
    'library.screenThumbnails': ({ uids, size }) => {
      thumbnails.fetchScreen(uids, size);
      return {};
    },
    'library.refresh': () => {
      // A full index can take a while: answer at once; progress and the outcome arrive as
      // connection.changed (indexing, lastRefreshedAt, lastError) and library.changed.
      void library.refresh('full');
      return connection.status();
    },
    'photo.details': ({ uid }) => library.details(uid),
    'photo.metadata': ({ uid }) => library.metadata(uid),
    'browse.summary': () => browse.summary(),
    'browse.list': ({ section }) => browse.list(section),
    'browse.open': ({ section, key }) => browse.open(section, key),
  };

  return { db, recovery, connection, library, browse, thumbnails, videos, originals, screenCalls, handlers };
}
