import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compose, type Core } from '../../../main/compose';
import { DATABASE_FILE } from '../../../main/db/database';
import { createMemoryLogger } from '../../../main/log/logger';
import { createNodeTransport, type HttpRequest, type HttpResponse, type TransportFactory } from '../../../main/photoprism/transport';
import { MemorySecretStore } from '../../../main/secrets/secret-store';
import type { ActionHistory, ActionResult, EventName, EventPayload } from '../../../shared/ipc/contract';
import type { ActivityEntry } from '../../../shared/events/schema';
import type { ConnectionStatus, PhotoDetails } from '../../../shared/library/schemas';
import { startPhotoPrismEmulator, type PhotoPrismEmulator, type PhotoPrismEmulatorOptions } from '../../emulators/photoprism';
import { eventually } from '../library/helpers';

export { eventually };

const sender = { trusted: true, description: 'test' };

/** Runs around each request our client sends; may delay it or change the world first. */
export type RequestHook = (req: HttpRequest, send: () => Promise<HttpResponse>) => Promise<HttpResponse>;

/** A signed-in, indexed core against a fresh emulator, with the seams the action tests need. */
export interface ActionsEnv {
  readonly emu: PhotoPrismEmulator;
  readonly core: Core;
  /** Events pushed to the renderer, in order. */
  readonly pushed: Array<{ event: EventName; payload: unknown }>;
  /** Highest number of our requests in flight at once. */
  readonly maxInFlight: () => number;
  /** Replace what happens around each request (undefined = pass through). */
  setHook(hook: RequestHook | undefined): void;
  call<T>(channel: string, request?: unknown): Promise<T>;
  act(channel: string, request?: unknown): Promise<ActionResult>;
  details(uid: string): Promise<PhotoDetails>;
  log(limit?: number): ActivityEntry[];
  /** Every row of the events table (as the sync engine would push them). */
  rows(): Array<{ name: string; uids: string; status: string }>;
  /** The core's database file (a test may open a second connection to change what the cache holds). */
  readonly dbPath: string;
  history(): Promise<ActionHistory>;
  close(): Promise<void>;
}

/** Start an emulator, compose the real core, sign in and wait for the first index. */
export async function startActionsEnv(options: PhotoPrismEmulatorOptions = { photos: 40, albums: 3 }): Promise<ActionsEnv> {
  const emu = await startPhotoPrismEmulator(options);
  const dir = mkdtempSync(join(tmpdir(), 'pf-actions-'));
  let hook: RequestHook | undefined;
  let inFlight = 0;
  let maxInFlight = 0;
  const createTransport: TransportFactory = (o) => {
    const real = createNodeTransport(o);
    return async (req) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await (hook ? hook(req, () => real(req)) : real(req));
      } finally {
        inFlight--;
      }
    };
  };
  const core = compose({
    profile: 'test',
    profileDir: dir,
    shell: 'web',
    version: '0.0.0',
    log: createMemoryLogger(),
    secrets: new MemorySecretStore(),
    photoprism: { createTransport, libraryOptions: { createLiveEvents: null } },
  });
  const pushed: ActionsEnv['pushed'] = [];
  core.events.attach((event, payload) => pushed.push({ event, payload }));

  async function call<T>(channel: string, request: unknown = {}): Promise<T> {
    const result = await core.dispatch(channel, request, sender);
    if (!result.ok) throw Object.assign(new Error(result.error.message), { kind: result.error.kind });
    return result.value as T;
  }

  await call('connection.signIn', { serverUrl: emu.url, ...emu.credentials });
  await eventually(async () => {
    const status = await call<ConnectionStatus>('connection.status');
    if (status.lastRefreshedAt === null || status.indexing !== null) throw new Error('still indexing');
  }, 30_000);
  maxInFlight = 0;

  return {
    emu,
    core,
    pushed,
    maxInFlight: () => maxInFlight,
    setHook: (next) => {
      hook = next;
    },
    call,
    act: (channel, request = {}) => call<ActionResult>(channel, request),
    details: (uid) => call<PhotoDetails>('photo.details', { uid }),
    log: (limit = 500) => core.eventLog.recent(limit),
    rows: () => readRows(join(dir, DATABASE_FILE)),
    dbPath: join(dir, DATABASE_FILE),
    history: () => call<ActionHistory>('actions.history'),
    close: async () => {
      await core.dispose();
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The raw events table, read through a second (read-only) connection to the same file. */
function readRows(path: string): Array<{ name: string; uids: string; status: string }> {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare('SELECT name, uids, status FROM events ORDER BY seq').all() as Array<{ name: string; uids: string; status: string }>;
  } finally {
    db.close();
  }
}

/** The payload of the last push of `event`, if any. */
export function lastPush<E extends EventName>(env: ActionsEnv, event: E): EventPayload<E> | undefined {
  for (let i = env.pushed.length - 1; i >= 0; i--) {
    const item = env.pushed[i];
    if (item?.event === event) return item.payload as EventPayload<E>;
  }
  return undefined;
}

/**
 * Non-archived photo UIDs of the emulator's library, in a stable order, without broken ones
 * (quality -1: their files have errors, so no search lists them and no client caches them).
 */
export function activePhotos(emu: PhotoPrismEmulator): string[] {
  return emu.admin
    .snapshot()
    .photos.filter((p) => !p.Archived && p.Quality !== -1)
    .map((p) => p.UID)
    .sort();
}

export function snapshotPhoto(emu: PhotoPrismEmulator, uid: string) {
  const photo = emu.admin.snapshot().photos.find((p) => p.UID === uid);
  if (!photo) throw new Error(`no photo ${uid} on the emulator`);
  return photo;
}

export function snapshotAlbum(emu: PhotoPrismEmulator, uid: string) {
  const album = emu.admin.snapshot().albums.find((a) => a.UID === uid);
  if (!album) throw new Error(`no album ${uid} on the emulator`);
  return album;
}
