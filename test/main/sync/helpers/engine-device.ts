import { CloudKitClient } from '../../../../main/cloudkit/client';
import { CourierPoller } from '../../../../main/cloudkit/courier';
import { openDatabase, type WritableDb } from '../../../../main/db/database';
import { migrate } from '../../../../main/db/migrate';
import { MIGRATIONS } from '../../../../main/db/migrations';
import { EventLog } from '../../../../main/eventlog/event-log';
import { createMemoryLogger } from '../../../../main/log/logger';
import { MemorySecretStore } from '../../../../main/secrets/secret-store';
import { SyncEngine, type LibraryReplayer } from '../../../../main/sync/sync-engine';
import { makeEvents } from '../../../../shared/events/schema';
import type { SyncStatus } from '../../../../shared/sync/state';
import type { CloudKitEmulator } from '../../../emulators/cloudkit';

/**
 * One sync engine over an in-memory event log and a real CloudKit client pointed at the
 * emulator: what the sync engine tests step with runOnce().
 */
export const ZONE = 'PhotoflareEvents';
export const P = (n: number) => `p${n.toString(36).padStart(15, '0')}`;
export const A = (n: number) => `a${n.toString(36).padStart(15, '0')}`;

/** A replayer that records what it was asked to refresh (the library's side is tested elsewhere). */
export class RecordingReplayer implements LibraryReplayer {
  photos: string[][] = [];
  albums: string[][] = [];
  full = 0;
  failWith: Error | undefined;
  async refreshPhotos(uids: readonly string[]) {
    if (this.failWith) throw this.failWith;
    this.photos.push([...uids]);
  }
  async refreshAlbums(uids: readonly string[]) {
    this.albums.push([...uids]);
  }
  async refreshAll() {
    this.full++;
  }
  relisted = 0;
  async relistAlbums() {
    this.relisted++;
  }
}

export interface Device {
  engine: SyncEngine;
  cloud: CloudKitClient;
  db: WritableDb;
  log: EventLog;
  replayer: RecordingReplayer;
  statuses: SyncStatus[];
  secrets: MemorySecretStore;
  enabled: { value: boolean };
  clock: { now: number };
}

/** Courier pollers started by devices, closed after each test. */
export const pollers: CourierPoller[] = [];

export function makeDevice(
  emu: CloudKitEmulator,
  options: {
    user?: string;
    enabled?: boolean;
    signedIn?: boolean;
    courier?: boolean;
    intervalMs?: number;
    debounceMs?: number;
    appVersion?: string;
    db?: WritableDb;
  } = {},
): Device {
  const db = options.db ?? openDatabase(':memory:');
  if (!options.db) migrate(db, MIGRATIONS, { log: createMemoryLogger() });
  const clock = { now: Date.now() };
  const log = new EventLog({ db, log: createMemoryLogger(), now: () => clock.now });
  const secrets = new MemorySecretStore();
  const cloud = new CloudKitClient({
    config: { baseUrl: emu.url, containerId: emu.containerId, environment: 'development', apiToken: emu.apiToken },
    secrets,
    log: createMemoryLogger(),
  });
  if (options.signedIn ?? true) cloud.setWebAuthToken(emu.signIn(options.user ?? 'alice'));
  const replayer = new RecordingReplayer();
  const statuses: SyncStatus[] = [];
  const enabled = { value: options.enabled ?? true };
  const courier = options.courier ? new CourierPoller({ log: createMemoryLogger() }) : undefined;
  if (courier) pollers.push(courier);
  const engine = new SyncEngine({
    eventLog: log,
    cloud,
    replayer,
    log: createMemoryLogger(),
    isEnabled: () => enabled.value,
    photoprismStatus: () => 'online',
    onStatus: (status) => statuses.push(status),
    clock: {
      now: () => clock.now,
      setTimeout: (fn, ms) => {
        const handle = setTimeout(fn, ms);
        return () => clearTimeout(handle);
      },
    },
    random: () => 0.5,
    ...(courier ? { courier } : {}),
    ...(options.intervalMs !== undefined ? { intervalMs: options.intervalMs } : {}),
    ...(options.debounceMs !== undefined ? { debounceMs: options.debounceMs } : {}),
    ...(options.appVersion !== undefined ? { appVersion: options.appVersion } : {}),
  });
  return { engine, cloud, db, log, replayer, statuses, secrets, enabled, clock };
}

export function favourite(device: Device, uids: string[]) {
  return device.log.appendLocal(makeEvents('photos.updated', uids), { syncEnabled: device.enabled.value, action: 'favourite' });
}
