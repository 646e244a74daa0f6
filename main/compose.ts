import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo } from '../shared/ipc/contract';
import { createDispatcher, type Dispatch, type Handlers } from './ipc/handle';
import { EventHub } from './ipc/event-hub';
import { createLibraryModule, type LibraryModuleOptions } from './library/library-module';
import type { LibraryService } from './library/library-service';
import { DisposableStore } from './lifecycle/disposables';
import { EventLog } from './eventlog/event-log';
import type { Logger } from './log/logger';
import type { SecretStore } from './secrets/secret-store';
import { SettingsStore } from './settings/settings-store';
import { createActionsModule } from './actions/actions-module';
import type { ActionService } from './actions/action-service';
import { createSyncModule, type CloudKitSetup } from './sync/sync-module';
import { WindowStateTriggers } from './sync/window-state';
import type { SyncEngine } from './sync/sync-engine';
import type { ThumbnailService } from './thumbnails/thumbnail-service';

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
  /** The local event log (curation events, outbox, sync cursor). */
  readonly eventLog: EventLog;
  /** The iCloud Sync engine, when this build has a CloudKit container configured. */
  readonly sync: SyncEngine | undefined;
  /** Curation actions with undo/redo (the menu's ⌘Z reaches them through `actions.undo`). */
  readonly actions: ActionService;
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

  const windowState = new WindowStateTriggers(syncModule.engine);

  const handlers: Handlers = {
    'app.info': () => appInfo,
    'app.windowState': (state) => {
      windowState.update(state);
      return {};
    },
    'settings.get': () => settings.get(),
    'settings.update': (patch) => settings.update(patch),
    ...libraryModule.handlers,
    ...syncModule.handlers,
    ...actionsModule.handlers,
  };

  return {
    dispatch: createDispatcher(handlers, log.child('ipc')),
    events,
    settings,
    secrets: options.secrets,
    log,
    library: libraryModule.library,
    thumbnails: libraryModule.thumbnails,
    eventLog,
    sync: syncModule.engine,
    actions: actionsModule.service,
    dispose: () => disposables.dispose(),
  };
}
