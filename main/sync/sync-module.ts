import { AppError } from '../../shared/errors';
import { SyncEvent } from '../../shared/events/schema';
import { photoprismLink, type SyncStatus } from '../../shared/sync/state';
import type { Handlers } from '../ipc/handle';
import type { EventHub } from '../ipc/event-hub';
import { CloudKitClient } from '../cloudkit/client';
import type { CloudKitConfigInput } from '../cloudkit/config';
import { toAppError } from '../cloudkit/errors';
import { CourierPoller } from '../cloudkit/courier';
import type { SignInFlow } from '../cloudkit/sign-in';
import type { EventLog } from '../eventlog/event-log';
import type { LibraryService } from '../library/library-service';
import type { DisposableStore } from '../lifecycle/disposables';
import type { Logger } from '../log/logger';
import type { ConnectionService } from '../photoprism/connection-service';
import type { SecretStore } from '../secrets/secret-store';
import type { SettingsStore } from '../settings/settings-store';
import type { Clock } from '../platform/clock';
import { SyncEngine } from './sync-engine';

/** How this build reaches iCloud. Absent: iCloud Sync cannot be turned on (and makes no request). */
export interface CloudKitSetup {
  readonly config: CloudKitConfigInput;
  /** Opens iCloud's sign-in page: a BrowserWindow in Electron, a browser tab in the web shell. */
  readonly signIn: SignInFlow;
  /** Long-poll the web courier for near-instant pulls (default on). */
  readonly courier?: boolean;
  readonly intervalMs?: number;
  readonly debounceMs?: number;
  readonly retentionMs?: number;
  readonly clock?: Clock;
}

export type SyncHandlers = Pick<
  Handlers,
  | 'sync.status'
  | 'sync.setEnabled'
  | 'sync.signIn'
  | 'sync.signOut'
  | 'sync.now'
  | 'sync.pause'
  | 'sync.resume'
  | 'sync.confirmAccountSwitch'
  | 'sync.uploadAgain'
  | 'sync.cloudData'
  | 'sync.deleteCloudData'
  | 'activity.recent'
>;

export interface SyncModule {
  readonly engine: SyncEngine | undefined;
  readonly handlers: SyncHandlers;
  status(): SyncStatus;
}

/**
 * Build the sync engine over the event log, the library (for replay) and CloudKit, and bind
 * the sync and activity channels.
 *
 * [Note: Sync off means no requests]
 * With `syncEnabled` false the engine is never started: no timer, no courier, no request. The
 * CloudKit client is constructed (it holds configuration only) but nothing calls it.
 */
export function createSyncModule(options: {
  readonly appVersion?: string;
  readonly eventLog: EventLog;
  readonly library: LibraryService;
  readonly connection: ConnectionService;
  readonly settings: SettingsStore;
  readonly events: EventHub;
  readonly secrets: SecretStore;
  readonly log: Logger;
  readonly disposables: DisposableStore;
  readonly cloudkit: CloudKitSetup | undefined;
}): SyncModule {
  const { eventLog, settings, events, log, disposables } = options;
  const setup = options.cloudkit;

  let engine: SyncEngine | undefined;
  if (setup) {
    const cloud = new CloudKitClient({ config: setup.config, secrets: options.secrets, log: log.child('cloudkit'), signIn: setup.signIn });
    const courier = setup.courier === false ? undefined : new CourierPoller({ log: log.child('courier') });
    if (courier) disposables.add(() => courier.close());
    engine = new SyncEngine({
      eventLog,
      cloud,
      replayer: {
        refreshPhotos: async (uids) => {
          await options.library.refreshByUid(uids);
        },
        refreshAlbums: async (uids) => {
          await options.library.refreshByUid(uids);
        },
        refreshAll: () => options.library.refresh('full'),
        relistAlbums: () => options.library.relistAlbums(),
        snapshot: (photoUids, albumUids) => options.library.cacheSnapshot(photoUids, albumUids),
      },
      log: log.child('sync'),
      ...(options.appVersion !== undefined ? { appVersion: options.appVersion } : {}),
      isEnabled: () => settings.get().syncEnabled,
      photoprismStatus: () => photoprismLink(options.connection.status().state),
      onStatus: (status) => events.emit('sync.status', status),
      ...(courier ? { courier } : {}),
      ...(setup.intervalMs !== undefined ? { intervalMs: setup.intervalMs } : {}),
      ...(setup.debounceMs !== undefined ? { debounceMs: setup.debounceMs } : {}),
      ...(setup.retentionMs !== undefined ? { retentionMs: setup.retentionMs } : {}),
      ...(setup.clock ? { clock: setup.clock } : {}),
    });
    const started = engine;
    disposables.add(() => started.dispose());
    disposables.add(settings.onChange(() => started.settingsChanged()));
    // A PhotoPrism reconnect may unblock a replay that failed while it was down.
    disposables.add(
      options.connection.onChange((next, previous) => {
        started.trigger(next.state === 'online' && previous.state !== 'online' ? 'network' : 'focus');
      }),
    );
    started.start();
  }
  disposables.add(eventLog.onAppend(() => events.emit('activity.changed', {})));

  const status = (): SyncStatus =>
    engine?.status() ?? {
      state: { name: 'disabled' },
      pendingCount: eventLog.countPending(),
      photoprism: photoprismLink(options.connection.status().state),
    };

  const requireEngine = (): SyncEngine => {
    if (!engine) {
      throw new AppError(
        'validation',
        'iCloud Sync is not available in this build: no iCloud container is configured. Everything else works without it.',
      );
    }
    return engine;
  };

  /** CloudKit failures reach the renderer as kinded AppErrors with a sentence for a person. */
  const cloudCall = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw error instanceof AppError ? error : toAppError(error);
    }
  };

  const handlers: SyncHandlers = {
    'sync.status': status,
    'sync.setEnabled': ({ enabled }) => {
      if (enabled) requireEngine();
      settings.update({ syncEnabled: enabled });
      return status();
    },
    'sync.signIn': async () => {
      const current = requireEngine();
      if (!settings.get().syncEnabled) settings.update({ syncEnabled: true });
      await cloudCall(() => current.signIn());
      return status();
    },
    'sync.signOut': () => {
      engine?.signOut();
      return status();
    },
    'sync.now': () => {
      engine?.syncNow();
      return status();
    },
    'sync.pause': () => {
      requireEngine().pause();
      return status();
    },
    'sync.resume': () => {
      requireEngine().resume();
      return status();
    },
    'sync.confirmAccountSwitch': () => {
      requireEngine().confirmAccountSwitch();
      return status();
    },
    'sync.uploadAgain': async () => {
      await requireEngine().uploadAgain();
      return status();
    },
    'sync.cloudData': async () => {
      const records = await cloudCall(() => requireEngine().fetchCloudEvents());
      return records.map((record) => {
        const parsed = SyncEvent.safeParse(record.payload);
        return { recordName: record.recordName, event: parsed.success ? parsed.data : null };
      });
    },
    'sync.deleteCloudData': async () => {
      const current = requireEngine();
      // Turn sync off first so nothing re-creates the zone behind the deletion.
      settings.update({ syncEnabled: false });
      await cloudCall(() => current.deleteCloudData());
      return status();
    },
    'activity.recent': ({ limit }) => eventLog.recent(limit),
  };

  return { engine, handlers, status };
}
