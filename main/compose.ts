import { mkdirSync } from 'node:fs';
import { arch, homedir, release, userInfo } from 'node:os';
import { join } from 'node:path';
import type { NativeMenuRequest } from '../shared/ipc/native-menu';
import { AppError } from '../shared/errors';
import type { AppInfo } from '../shared/ipc/contract';
import { buildDiagnosticsReport, diagnosticsFileName } from './diagnostics/diagnostics';
import { createDispatcher, type Dispatch, type Handlers } from './ipc/handle';
import type { ForegroundWork } from './platform/foreground-work';
import { EventHub } from './ipc/event-hub';
import { createLibraryModule, type LibraryModuleOptions } from './library/library-module';
import type { LibraryService } from './library/library-service';
import { DisposableStore } from './lifecycle/disposables';
import { EventLog } from './eventlog/event-log';
import type { RotatingFileSink } from './log/file-sink';
import type { Logger } from './log/logger';
import { databaseRecoveryNotice } from './notices/database-notice';
import { StartupNotices } from './notices/startup-notices';
import type { SecretStore } from './secrets/secret-store';
import { addSettingsNotices } from './settings/settings-notices';
import { SettingsStore } from './settings/settings-store';
import { createActionsModule } from './actions/actions-module';
import { createExportModule, type ChooseExportFolder } from './export/export-module';
import type { ExportService } from './export/export-service';
import type { OriginalDownloadService } from './export/original-download';
import type { DragButton, StartFileDrag } from './export/drag-out';
import type { ActionService } from './actions/action-service';
import { createSyncModule, type CloudKitSetup } from './sync/sync-module';
import { WindowStateTriggers } from './sync/window-state';
import type { SyncEngine } from './sync/sync-engine';
import type { ThumbnailService } from './thumbnails/thumbnail-service';
import type { OriginalService } from './thumbnails/original-service';
import type { VideoService } from './thumbnails/video-service';
import { createImportModule } from './import/import-module';
import type { ImportService } from './import/import-service';
import { PageLoadHold } from './platform/page-load-hold';

/**
 * What a shell must provide to compose the core: the seams that differ between Electron and
 * the web shell (and tests).
 */
export interface ComposeOptions {
  readonly profile: string;
  /** The profile's own folder (settings, database, thumbnails). */
  readonly profileDir: string;
  readonly shell: AppInfo['shell'];
  readonly version: string;
  readonly log: Logger;
  /** The log file the shell writes (main/log/file-sink.ts), for diagnostics. Absent: stderr only (tests). */
  readonly logFile?: Pick<RotatingFileSink, 'recentLines' | 'health'> | undefined;
  /** Keychain-backed in Electron, a 0600 file in the web shell, memory in tests. */
  readonly secrets: SecretStore;
  /**
   * better-sqlite3's `nativeBinding` (the .node file) when the default build does not match
   * the runtime: the Electron shell passes its Electron-ABI build in development. See
   * [Note: Two builds of better-sqlite3] in main/platform/native-binding.ts. Absent: the default.
   */
  readonly sqliteNativeBinding?: string | undefined;
  /** Test seams for the PhotoPrism connection (transport, clock, refresh timing). Absent: the real ones. */
  readonly photoprism?: Pick<LibraryModuleOptions, 'createTransport' | 'clock' | 'libraryOptions'> | undefined;
  /** How to reach iCloud (container, API token, sign-in window). Absent: sync cannot be turned on. */
  readonly cloudkit?: CloudKitSetup | undefined;
  /**
   * Show a native context menu and answer the chosen item's id (null: dismissed). The Mac app
   * passes main/menu/context-menu.ts; absent (web shell, tests): the page draws its own menus.
   */
  readonly showContextMenu?: ((items: NativeMenuRequest['items']) => Promise<string | null>) | undefined;
  /** File → Import…'s open panel (files and folders); the Mac app passes one, the web shell's page has a file input. */
  readonly chooseImportPaths?: (() => Promise<string[] | null>) | undefined;
  /** The Mac app's native folder chooser for exports; absent (web shell): see ChooseExportFolder. */
  readonly chooseExportFolder?: ChooseExportFolder | undefined;
  /** The Mac app's Finder (Electron's `shell.showItemInFolder`); absent in the web shell. */
  readonly revealInFinder?: ((path: string) => void) | undefined;
  /** The Mac app's native drag of files to Finder (main/export/drag-out.ts); absent in the web shell. */
  readonly startFileDrag?: StartFileDrag | undefined;
  /** The mouse button a drag to Finder waits on while its originals arrive (main/export/drag-out.ts). */
  readonly dragButton?: DragButton | undefined;
}

/** The composed core: everything a shell needs to host the app. */
export interface Core {
  readonly dispatch: Dispatch;
  readonly events: EventHub;
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly log: Logger;
  /** The library cache (the sync engine calls `refreshByUid`). */
  readonly library: LibraryService;
  /** Thumbnails: `serve(pathname)` for Electron's protocol handler and the web shell route. */
  readonly thumbnails: ThumbnailService;
  /**
   * The window's calls and files: `dispatch` runs every call through it, and a shell runs its
   * file requests through it, so main's own background work waits for a loading window (see
   * [Note: The search index build waits for the window]).
   */
  readonly screenCalls: ForegroundWork;
  /** A page's HTML was served: see [Note: A page load is the window's until its app has mounted]. */
  readonly pageLoad: PageLoadHold;
  /** Videos and Live photos: `serve(pathname, range)`, streamed from PhotoPrism in byte ranges. */
  readonly videos: VideoService;
  /** Originals for the zoomed viewer: `serve(pathname)`, fetched with the download token (never in the renderer). */
  readonly originals: OriginalService;
  /** The local event log (curation events, outbox, sync cursor). */
  readonly eventLog: EventLog;
  /** The iCloud Sync engine, when this build has a CloudKit container configured. */
  readonly sync: SyncEngine | undefined;
  /** Curation actions with undo/redo (the menu's ⌘Z reaches them through `actions.undo`). */
  readonly actions: ActionService;
  /** Import: uploads to PhotoPrism (the web shell's staging route hands files to `stage`). */
  readonly imports: ImportService;
  /** One original as a browser download, for a drag out of the web shell (main/export/original-download.ts). */
  readonly originalDownloads: OriginalDownloadService;
  /** Exports of originals and album zips (main/export/). */
  readonly exports: ExportService;
  /** What happened at start that the window must tell the person (a repaired database or settings file). */
  readonly notices: StartupNotices;
  /** The diagnostics report, as Help → Export Diagnostics… saves it. See [Note: What diagnostics may contain]. */
  diagnostics(): { fileName: string; text: string };
  dispose(): Promise<void>;
}

/**
 * The composition root: builds every core service with plain constructor injection.
 *
 * Used by the Electron entry (main/index.ts), the web shell (main/webshell/) and integration
 * tests alike, so what the tests run is what the app runs. Order matters: later services may
 * depend on earlier ones, and teardown runs in reverse (DisposableStore).
 */
export function compose(options: ComposeOptions): Core {
  const disposables = new DisposableStore();
  const log = options.log;
  mkdirSync(options.profileDir, { recursive: true, mode: 0o700 });

  const events = new EventHub(log.child('events'));
  const settings = new SettingsStore({ path: join(options.profileDir, 'settings.json'), log: log.child('settings') });
  disposables.add(settings.onChange((next) => events.emit('settings.changed', next)));

  const appInfo: AppInfo = {
    name: 'Photoflare',
    version: options.version,
    profile: options.profile,
    shell: options.shell,
    platform: process.platform,
    secretStorage: { description: options.secrets.description, weak: options.secrets.weak ?? false },
  };

  const libraryModule = createLibraryModule({
    profileDir: options.profileDir,
    events,
    settings,
    secrets: options.secrets,
    log,
    disposables,
    sqliteNativeBinding: options.sqliteNativeBinding,
    createTransport: options.photoprism?.createTransport,
    clock: options.photoprism?.clock,
    ...(options.photoprism?.libraryOptions ? { libraryOptions: options.photoprism.libraryOptions } : {}),
  });

  // The event log lives in the same database file as the cache, so an action's cache update
  // and its event commit together. See [Note: Event log and cache in one transaction].
  const eventLog = new EventLog({ db: libraryModule.db, log: log.child('eventlog') });
  const syncModule = createSyncModule({
    appVersion: options.version,
    eventLog,
    library: libraryModule.library,
    connection: libraryModule.connection,
    settings,
    events,
    secrets: options.secrets,
    log,
    disposables,
    cloudkit: options.cloudkit,
  });

  // Curation actions share the library's database, so cache update + event is one transaction.
  const actionsModule = createActionsModule({
    db: libraryModule.db,
    connection: libraryModule.connection,
    library: libraryModule.library,
    clock: options.photoprism?.clock,
    eventLog,
    settings,
    events,
    log,
    disposables,
  });

  const importModule = createImportModule({
    profileDir: options.profileDir,
    connection: libraryModule.connection,
    library: libraryModule.library,
    eventLog,
    syncEnabled: () => settings.keepEventsPending(),
    events,
    log,
    disposables,
    chooseImportPaths: options.chooseImportPaths,
    ...(options.photoprism?.clock ? { clock: options.photoprism.clock } : {}),
  });

  const exportModule = createExportModule({
    connection: libraryModule.connection,
    library: libraryModule.library,
    events,
    log,
    disposables,
    chooseFolder: options.chooseExportFolder,
    revealInFinder: options.revealInFinder,
    startFileDrag: options.startFileDrag,
    dragButton: options.dragButton,
    clock: options.photoprism?.clock,
    dragStagingFolder: join(options.profileDir, 'drag-staging'),
  });

  const windowState = new WindowStateTriggers(syncModule.engine);
  const pageLoad = new PageLoadHold(libraryModule.screenCalls);

  const notices = new StartupNotices();
  if (libraryModule.recovery) notices.add(databaseRecoveryNotice(libraryModule.recovery));
  addSettingsNotices(notices, settings);
  const diagnostics = () => {
    const now = Date.now();
    const connection = libraryModule.connection.status();
    const albums = libraryModule.library.albums();
    const health = options.logFile?.health();
    const report = buildDiagnosticsReport({
      nowMs: now,
      app: appInfo,
      runtime: { node: process.versions.node, electron: process.versions['electron'], arch: arch(), osRelease: release() },
      settings: settings.get(),
      syncUndecided: settings.syncUndecided(),
      connection,
      library: { ...libraryModule.library.counts(), albums: albums.length },
      sync: syncModule.status(),
      events: eventLog.countByStatus(),
      notices: notices.list(),
      log: options.logFile && health ? { lines: options.logFile.recentLines(), ...health } : undefined,
      known: [...knownPersonalValues(connection, options), ...albums.map((album) => album.title)],
    });
    return { fileName: diagnosticsFileName(now), text: report };
  };

  const handlers: Handlers = {
    'app.info': () => appInfo,
    'app.boot': async ({ firstPageLimit, firstScreen }) => {
      // The same answers as app.info, settings.get, connection.status, library.months and
      // library.query give one by one (see [Note: Boot in one call]). From the cache, the months
      // and the page are read in one synchronous run of main's one thread (page() reaches its
      // first await only for a live page), so no write falls between them: one snapshot.
      const connection = libraryModule.connection.status();
      const view = { kind: 'all' } as const;
      const library =
        connection.serverUrl === null
          ? null
          : {
              months: libraryModule.library.months(view, ''),
              firstPage: await libraryModule.library.page({ view, q: '', offset: 0, limit: firstPageLimit }),
            };
      // See [Note: A page load's first screen is fetched while the page evaluates].
      if (library && firstScreen) {
        libraryModule.thumbnails.fetchBootScreen(
          library.firstPage.photos.map((photo) => photo.uid),
          firstScreen,
        );
      }
      return { info: appInfo, settings: settings.get(), connection, library };
    },
    'app.windowState': (state) => {
      // Sent once the page's app has mounted (renderer/lib/window-state.ts).
      pageLoad.appMounted();
      windowState.update(state);
      return {};
    },
    'app.notices': () => notices.list(),
    'app.dismissNotice': ({ id }) => notices.dismiss(id),
    'app.diagnostics': diagnostics,
    'app.contextMenu': async ({ items }) => {
      if (!options.showContextMenu) throw new AppError('bad-request', 'Native menus exist only in the Mac app; the page draws its own.');
      return { chosen: await options.showContextMenu(items) };
    },
    'settings.get': () => settings.get(),
    'settings.update': (patch) => settings.update(patch),
    ...libraryModule.handlers,
    ...syncModule.handlers,
    ...actionsModule.handlers,
    ...importModule.handlers,
    ...exportModule.handlers,
  };

  return {
    dispatch: screenDispatch(createDispatcher(handlers, log.child('ipc')), libraryModule.screenCalls),
    events,
    settings,
    secrets: options.secrets,
    log,
    library: libraryModule.library,
    thumbnails: libraryModule.thumbnails,
    screenCalls: libraryModule.screenCalls,
    pageLoad,
    videos: libraryModule.videos,
    originals: libraryModule.originals,
    eventLog,
    sync: syncModule.engine,
    actions: actionsModule.service,
    imports: importModule.service,
    exports: exportModule.service,
    originalDownloads: exportModule.downloads,
    notices,
    diagnostics,
    dispose: () => disposables.dispose(),
  };
}

/** Every call counts as the window's while it runs: see [Note: The search index build waits for the window]. */
function screenDispatch(dispatch: Dispatch, screenCalls: ForegroundWork): Dispatch {
  return (channel, request, sender) => screenCalls.run(() => dispatch(channel, request, sender));
}

/** Values that name the person or their server, to be kept out of diagnostics. */
function knownPersonalValues(
  connection: { serverUrl: string | null; userName: string | null },
  options: Pick<ComposeOptions, 'profile' | 'profileDir'>,
): string[] {
  const values = [options.profileDir, homedir()];
  if (options.profile !== 'default') values.push(options.profile);
  if (connection.userName) values.push(connection.userName);
  if (connection.serverUrl) {
    values.push(connection.serverUrl);
    try {
      const url = new URL(connection.serverUrl);
      values.push(url.host, url.hostname);
    } catch {
      // Not a URL: the whole string is already listed.
    }
  }
  try {
    values.push(userInfo().username);
  } catch {
    // No user entry (some containers): nothing to add.
  }
  return values;
}
