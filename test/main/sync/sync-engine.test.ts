import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloudKitClient } from '../../../main/cloudkit/client';
import { openDatabase } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { EventLog } from '../../../main/eventlog/event-log';
import { createMemoryLogger } from '../../../main/log/logger';
import { MemorySecretStore } from '../../../main/secrets/secret-store';
import { SyncEngine, type LibraryReplayer } from '../../../main/sync/sync-engine';
import { makeEvents } from '../../../shared/events/schema';
import type { SyncStatus } from '../../../shared/sync/state';
import { startCloudKitEmulator, type CloudKitEmulator } from '../../emulators/cloudkit';

const ZONE = 'PhotoflareEvents';
const P = (n: number) => `p${n.toString(36).padStart(15, '0')}`;
const A = (n: number) => `a${n.toString(36).padStart(15, '0')}`;

/** A replayer that records what it was asked to refresh (the library's side is tested elsewhere). */
class RecordingReplayer implements LibraryReplayer {
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
}

interface Device {
  engine: SyncEngine;
  log: EventLog;
  replayer: RecordingReplayer;
  statuses: SyncStatus[];
  secrets: MemorySecretStore;
  enabled: { value: boolean };
  clock: { now: number };
}

function makeDevice(emu: CloudKitEmulator, options: { user?: string; enabled?: boolean; signedIn?: boolean } = {}): Device {
  const db = openDatabase(':memory:');
  migrate(db, MIGRATIONS, { log: createMemoryLogger() });
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
  const engine = new SyncEngine({
    eventLog: log,
    cloud,
    replayer,
    log: createMemoryLogger(),
    isEnabled: () => enabled.value,
    photoprismStatus: () => 'online',
    onStatus: (status) => statuses.push(status),
    clock: { now: () => clock.now, setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
    random: () => 0.5,
  });
  return { engine, log, replayer, statuses, secrets, enabled, clock };
}

function favourite(device: Device, uids: string[]) {
  return device.log.appendLocal(makeEvents('photos.updated', uids), { syncEnabled: device.enabled.value, action: 'favourite' });
}

describe('SyncEngine against the CloudKit emulator', () => {
  let emu: CloudKitEmulator;

  beforeEach(async () => {
    emu = await startCloudKitEmulator();
  });
  afterEach(async () => {
    await emu.close();
  });

  it('makes zero requests to iCloud while sync is off, and never pushes events made while off', async () => {
    const a = makeDevice(emu, { enabled: false });
    favourite(a, [P(1), P(2)]);
    a.engine.start();
    a.engine.syncNow();
    expect(await a.engine.runOnce()).toEqual({ kind: 'halt' });
    expect(a.engine.state).toEqual({ name: 'disabled' });
    // Turning sync on later does not push what happened while it was off.
    a.enabled.value = true;
    expect(await a.engine.runOnce()).toEqual({ kind: 'ok' });
    expect(emu.admin.records('alice', ZONE)).toEqual([]);
    a.engine.dispose();
  });

  it('pushes pending events as records with exactly two fields, named by the event id', async () => {
    const a = makeDevice(emu);
    const [stored] = favourite(a, [P(1), P(2)]);
    expect(await a.engine.runOnce()).toEqual({ kind: 'ok' });
    const records = emu.admin.records('alice', ZONE);
    expect(records).toHaveLength(1);
    expect(records[0]?.recordName).toBe(stored?.id);
    expect(records[0]?.fields).toEqual({
      event: { value: 'photos.updated', type: 'STRING' },
      entities: { value: [P(1), P(2)], type: 'STRING_LIST' },
    });
    expect(a.log.countPending()).toBe(0);
    expect(a.engine.state.name).toBe('idle');
    expect(a.statuses.some((s) => s.state.name === 'syncing')).toBe(true);
  });

  it('another device pulls, replays each UID once, marks applied, and replays nothing twice', async () => {
    const a = makeDevice(emu);
    const b = makeDevice(emu);
    favourite(a, [P(1), P(2)]);
    a.log.appendLocal(makeEvents('photos.archived', [P(2), P(3)]), { syncEnabled: true, action: 'archive' });
    a.log.appendLocal(makeEvents('albums.updated', [A(1)]), { syncEnabled: true, action: 'rename-album', detail: 'Trip' });
    await a.engine.runOnce();

    expect(await b.engine.runOnce()).toEqual({ kind: 'ok' });
    expect(b.replayer.photos).toEqual([[P(1), P(2), P(3)]]);
    expect(b.replayer.albums).toEqual([[A(1)]]);
    expect(b.log.unapplied()).toEqual([]);
    expect(b.log.recent(10).map((e) => e.status)).toEqual(['applied', 'applied', 'applied']);

    await b.engine.runOnce();
    expect(b.replayer.photos).toHaveLength(1);
    // A sees its own events come back and does not replay them.
    await a.engine.runOnce();
    expect(a.replayer.photos).toEqual([]);
  });

  it('quarantines a record that fails the strict schema and goes on with the rest', async () => {
    const a = makeDevice(emu);
    const b = makeDevice(emu);
    favourite(a, [P(1)]);
    await a.engine.runOnce();
    // A record with a title in it, written by something that is not Photoflare.
    const rogue = await fetch(
      `${emu.url}/database/1/${emu.containerId}/development/private/records/modify?ckAPIToken=${emu.apiToken}&ckWebAuthToken=${encodeURIComponent(emu.signIn('alice'))}`,
      {
        method: 'POST',
        body: JSON.stringify({
          zoneID: { zoneName: ZONE },
          operations: [
            {
              operationType: 'create',
              record: { recordName: 'rogue-1', recordType: 'PhotoflareEvent', fields: { event: { value: 'photos.liked' }, entities: { value: [P(9)] } } },
            },
          ],
        }),
      },
    );
    expect(rogue.status).toBe(200);
    expect(await b.engine.runOnce()).toEqual({ kind: 'ok' });
    expect(b.replayer.photos).toEqual([[P(1)]]);
    expect(b.log.recent(10).find((e) => e.id === 'rogue-1')).toMatchObject({ status: 'quarantined', event: null });
  });

  it('backs off when throttled, honouring retryAfter, and keeps the outbox', async () => {
    const a = makeDevice(emu);
    favourite(a, [P(1)]);
    emu.admin.injectFault({ operation: 'records/modify', kind: 'throttled', times: 1, retryAfterSeconds: 7 });
    expect(await a.engine.runOnce()).toMatchObject({ kind: 'retry', retryAfterMs: 7_000 });
    expect(a.log.countPending()).toBe(1);
    expect(await a.engine.runOnce()).toEqual({ kind: 'ok' });
    expect(a.log.countPending()).toBe(0);
  });

  it('asks to sign in again when the iCloud session expires, without retrying in a loop', async () => {
    const a = makeDevice(emu);
    await a.engine.runOnce();
    emu.admin.expireWebAuthTokens('alice');
    favourite(a, [P(1)]);
    expect(await a.engine.runOnce()).toEqual({ kind: 'halt' });
    expect(a.engine.state.name).toBe('needs-sign-in');
    expect(a.log.countPending()).toBe(1);
  });

  it('starts needing sign-in when there is no token, making no request', async () => {
    const a = makeDevice(emu, { signedIn: false });
    expect(await a.engine.runOnce()).toEqual({ kind: 'halt' });
    expect(a.engine.state.name).toBe('needs-sign-in');
    expect(emu.requests).toHaveLength(0);
  });

  it('stops and keeps local data when the user deleted our data in iCloud settings, and uploads again only when asked', async () => {
    const a = makeDevice(emu);
    favourite(a, [P(1)]);
    await a.engine.runOnce();
    emu.admin.purgeZone('alice', ZONE);
    favourite(a, [P(2)]);
    expect(await a.engine.runOnce()).toEqual({ kind: 'halt' });
    expect(a.engine.state).toMatchObject({ name: 'error', kind: 'zone-deleted' });
    expect(a.log.recent(10)).toHaveLength(2);
    // Nothing is re-uploaded behind the user's back.
    expect(await a.engine.runOnce()).toEqual({ kind: 'halt' });
    await a.engine.uploadAgain();
    a.engine.stop();
    expect(await a.engine.runOnce()).toEqual({ kind: 'ok' });
    expect(emu.admin.records('alice', ZONE).map((r) => (r.fields['entities']?.value as string[])[0]).sort()).toEqual([P(1), P(2)]);
  });

  it('recreates a zone that vanished on its own and resends', async () => {
    const a = makeDevice(emu);
    await a.engine.runOnce();
    emu.admin.injectFault({ operation: 'records/modify', kind: 'zone-not-found', times: 1 });
    favourite(a, [P(1)]);
    expect(await a.engine.runOnce()).toEqual({ kind: 'ok' });
    expect(emu.admin.records('alice', ZONE)).toHaveLength(1);
  });

  it('restarts from no token when the sync token is rejected, without duplicating events', async () => {
    const a = makeDevice(emu);
    const b = makeDevice(emu);
    favourite(a, [P(1)]);
    await a.engine.runOnce();
    await b.engine.runOnce();
    emu.admin.expireSyncTokens();
    favourite(a, [P(2)]);
    await a.engine.runOnce();
    expect(await b.engine.runOnce()).toEqual({ kind: 'ok' });
    expect(b.log.recent(10).filter((e) => e.origin === 'remote')).toHaveLength(2);
    expect(b.replayer.photos).toEqual([[P(1)], [P(2)]]);
  });

  it('stops pushing when iCloud is full, keeps the outbox and says so', async () => {
    const a = makeDevice(emu);
    favourite(a, [P(1)]);
    emu.admin.injectFault({ operation: 'records/modify', kind: 'quota-exceeded' });
    expect(await a.engine.runOnce()).toEqual({ kind: 'halt' });
    expect(a.engine.state).toMatchObject({ name: 'error', kind: 'quota-full' });
    expect(a.log.countPending()).toBe(1);
    emu.admin.clearFaults();
    expect(await a.engine.runOnce()).toEqual({ kind: 'ok' });
    expect(a.log.countPending()).toBe(0);
  });

  it("asks before using a different iCloud account, and never pushes one account's events to another", async () => {
    const a = makeDevice(emu);
    await a.engine.runOnce();
    a.engine.stop();
    favourite(a, [P(1)]);
    emu.admin.switchAccount('alice', 'bob');
    // A fresh engine (as after a restart) notices the new identity behind the same token.
    const restarted = new SyncEngine({
      eventLog: a.log,
      cloud: new CloudKitClient({
        config: { baseUrl: emu.url, containerId: emu.containerId, environment: 'development', apiToken: emu.apiToken },
        secrets: a.secrets,
        log: createMemoryLogger(),
      }),
      replayer: a.replayer,
      log: createMemoryLogger(),
      isEnabled: () => true,
      photoprismStatus: () => 'online',
      onStatus: () => undefined,
    });
    // Until the person confirms the switch, nothing goes to (or comes from) the new account.
    expect(await restarted.runOnce()).toEqual({ kind: 'halt' });
    expect(restarted.state).toMatchObject({ name: 'error', kind: 'account-changed' });
    expect(await restarted.runOnce()).toEqual({ kind: 'halt' });
    expect(emu.admin.zones('bob').filter((zone) => !zone.deleted)).toEqual([]);
    expect(a.log.countPending()).toBe(1);

    restarted.confirmAccountSwitch();
    restarted.stop();
    expect(await restarted.runOnce()).toEqual({ kind: 'ok' });
    expect(emu.admin.records('bob', ZONE)).toEqual([]);
    expect(a.log.recent(10).filter((e) => e.origin === 'local').map((e) => e.status)).toEqual(['local-only']);
  });

  it('shows the events in iCloud and deletes them all on request', async () => {
    const a = makeDevice(emu);
    favourite(a, [P(1)]);
    await a.engine.runOnce();
    expect(await a.engine.fetchCloudEvents()).toEqual([
      { recordName: expect.any(String), payload: { event: 'photos.updated', data: { entities: [{ UID: P(1) }] } } },
    ]);
    await a.engine.deleteCloudData();
    const zones = emu.admin.zones('alice').filter((z) => !z.deleted);
    expect(zones.filter((z) => z.zoneName === ZONE)).toEqual([]);
    expect(emu.admin.records('alice', ZONE)).toEqual([]);
  });

  it('deletes events older than the retention horizon from iCloud', async () => {
    const a = makeDevice(emu);
    favourite(a, [P(1)]);
    await a.engine.runOnce();
    a.clock.now += 31 * 24 * 60 * 60_000;
    favourite(a, [P(2)]);
    await a.engine.runOnce();
    const left = emu.admin.records('alice', ZONE).map((r) => (r.fields['entities']?.value as string[])[0]);
    expect(left).toEqual([P(2)]);
  });

  it('refreshes the whole library instead of replaying after being away longer than the horizon', async () => {
    const a = makeDevice(emu);
    const b = makeDevice(emu);
    await b.engine.runOnce();
    b.clock.now += 40 * 24 * 60 * 60_000;
    favourite(a, [P(1)]);
    await a.engine.runOnce();
    await b.engine.runOnce();
    expect(b.replayer.full).toBe(1);
    expect(b.replayer.photos).toEqual([]);
    expect(b.log.unapplied()).toEqual([]);
  });

  it('keeps remote events for later when PhotoPrism cannot be reached during replay', async () => {
    const a = makeDevice(emu);
    const b = makeDevice(emu);
    favourite(a, [P(1)]);
    await a.engine.runOnce();
    b.replayer.failWith = new Error('PhotoPrism is down');
    expect(await b.engine.runOnce()).toMatchObject({ kind: 'retry' });
    expect(b.log.unapplied()).toHaveLength(1);
    b.replayer.failWith = undefined;
    expect(await b.engine.runOnce()).toEqual({ kind: 'ok' });
    expect(b.replayer.photos).toEqual([[P(1)]]);
  });
});
