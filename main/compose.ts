import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../shared/errors';
import type { AppInfo } from '../shared/ipc/contract';
import { createDispatcher, type Dispatch, type Handlers } from './ipc/handle';
import { EventHub } from './ipc/event-hub';
import { DisposableStore } from './lifecycle/disposables';
import type { Logger } from './log/logger';
import type { SecretStore } from './secrets/secret-store';
import { SettingsStore } from './settings/settings-store';

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
}

/** The composed core: everything a shell needs to host the app. */
export interface Core {
  readonly dispatch: Dispatch;
  readonly events: EventHub;
  readonly settings: SettingsStore;
  readonly secrets: SecretStore;
  readonly log: Logger;
  dispose(): Promise<void>;
}

/**
 * PLACEHOLDER until main/photoprism + main/library land (issue 3): these channels answer a
 * clear error instead of a value. The library work replaces this object with real handlers.
 */
const notReady = (): never => {
  throw new AppError('internal', 'Connecting to PhotoPrism is not available in this build yet.');
};
const notConnectedYet: Pick<
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
  | 'photo.details'
> = {
  'connection.status': notReady,
  'connection.probe': notReady,
  'connection.signIn': notReady,
  'connection.signOut': notReady,
  'library.counts': notReady,
  'library.albums': notReady,
  'library.query': notReady,
  'library.months': notReady,
  'library.refresh': notReady,
  'photo.details': notReady,
};

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

  const handlers: Handlers = {
    'app.info': () => appInfo,
    'settings.get': () => settings.get(),
    'settings.update': (patch) => settings.update(patch),
    ...notConnectedYet,
  };

  return {
    dispatch: createDispatcher(handlers, log.child('ipc')),
    events,
    settings,
    secrets: options.secrets,
    log,
    dispose: () => disposables.dispose(),
  };
}
