import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CloudKitClient } from '../../../main/cloudkit/client';
import { createMemoryLogger } from '../../../main/log/logger';
import { SyncEngine } from '../../../main/sync/sync-engine';
import { makeEvents } from '../../../shared/events/schema';
import { startCloudKitEmulator, type CloudKitEmulator } from '../../emulators/cloudkit';
import { photoflareSchema } from '../../emulators/cloudkit/photoflare-schema';
import { A, favourite, makeDevice, P, pollers, ZONE, type Device } from './helpers/engine-device';

describe('SyncEngine against the CloudKit emulator', () => {
  let emu: CloudKitEmulator;

  beforeEach(async () => {
    emu = await startCloudKitEmulator({ recordTypes: photoflareSchema() });
  });
  afterEach(async () => {
    for (const poller of pollers.splice(0)) poller.close();
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
              record: {
                recordName: 'rogue-1',
                recordType: 'PhotoflareEvent',
                fields: { event: { value: 'photos.liked' }, entities: { value: [P(9)] } },
              },
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

  it('says the iCloud container is not set up when iCloud refuses our record type, keeps the outbox, and goes on once it is', async () => {
    await emu.close();
    emu = await startCloudKitEmulator(); // a new container: no schema
    const a = makeDevice(emu);
    favourite(a, [P(1)]);
    expect(await a.engine.runOnce()).toEqual({ kind: 'halt' });
    expect(a.engine.state).toMatchObject({ name: 'error', kind: 'container-not-set-up' });
    expect(a.engine.status().pendingCount).toBe(1);
    // More changes do not make it retry in a loop or hide the error behind a pending count.
    favourite(a, [P(2)]);
    expect(await a.engine.runOnce()).toEqual({ kind: 'halt' });
    expect(a.statuses.at(-1)?.state).toMatchObject({ name: 'error', kind: 'container-not-set-up' });
    // The developer deploys the schema (docs/cloudkit-schema.ckdb); Sync Now then goes through.
    emu.admin.installSchema(photoflareSchema());
    expect(await a.engine.runOnce()).toEqual({ kind: 'ok' });
    expect(a.log.countPending()).toBe(0);
    expect(emu.admin.records('alice', ZONE)).toHaveLength(2);
  });

  it('keeps pushing and pulling when iCloud refuses the subscriptions, and says live updates are unavailable', async () => {
    emu.admin.injectFault({ operation: 'subscriptions/modify', kind: 'bad-request' });
    const a = makeDevice(emu, { courier: true });
    const b = makeDevice(emu, { courier: true });
    favourite(a, [P(1)]);
    expect(await a.engine.runOnce()).toEqual({ kind: 'ok' });
    expect(emu.admin.records('alice', ZONE)).toHaveLength(1);
    expect(a.engine.status().liveUpdates).toBe('unavailable');
    expect(await b.engine.runOnce()).toEqual({ kind: 'ok' });
    expect(b.replayer.photos).toEqual([[P(1)]]);
    // Once iCloud takes them (a later run, after the retry pause), live updates come back.
    emu.admin.clearFaults();
    a.clock.now += 2 * 60 * 60_000;
    expect(await a.engine.runOnce()).toEqual({ kind: 'ok' });
    expect(
      emu.admin
        .subscriptions('alice')
        .map((sub) => (sub as { subscriptionID: string }).subscriptionID)
        .sort(),
    ).toEqual(['PhotoflareEvent-created', 'PhotoflareEvents-changes']);
  });

  it('keeps syncing when tokens/create is refused, and says live updates are unavailable', async () => {
    emu.admin.injectFault({ operation: 'tokens/create', kind: 'bad-request' });
    const a = makeDevice(emu, { courier: true, debounceMs: 0 });
    favourite(a, [P(1)]);
    a.engine.start();
    await vi.waitFor(
      () => {
        expect(a.engine.status().liveUpdates).toBe('unavailable');
        expect(a.log.countPending()).toBe(0);
        // The run goes on after the push (pull, replay): wait for its end, not its middle.
        expect(a.engine.state.name).toBe('idle');
      },
      { timeout: 8_000 },
    );
    a.engine.dispose();
  });

  it("hears of another device's events through the query subscription (the notification seen live on the courier)", async () => {
    const a = makeDevice(emu, { courier: true });
    // No timer pulls during the test: only the courier can bring P(2).
    const b = makeDevice(emu, { courier: true, intervalMs: 60 * 60_000 });
    favourite(a, [P(1)]);
    await a.engine.runOnce();
    b.engine.start();
    await vi.waitFor(() => expect(b.engine.status().liveUpdates).toBe('on'), { timeout: 8_000 });
    await vi.waitFor(() => expect(b.replayer.photos).toEqual([[P(1)]]), { timeout: 8_000 });
    favourite(a, [P(2)]);
    await a.engine.runOnce();
    await vi.waitFor(() => expect(b.replayer.photos).toEqual([[P(1)], [P(2)]]), { timeout: 8_000 });
    b.engine.dispose();
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

  it('keeps the outbox whole through any number of sign-ins that expire 30 minutes after they began', async () => {
    await emu.close();
    let emulatorNowMs = Date.now();
    emu = await startCloudKitEmulator({ recordTypes: photoflareSchema(), now: () => emulatorNowMs });
    const a = makeDevice(emu);
    // The shell's view of A's secret store: where a captured sign-in token is written.
    const sameSecrets = new CloudKitClient({
      config: { baseUrl: emu.url, containerId: emu.containerId, environment: 'development', apiToken: emu.apiToken },
      secrets: a.secrets,
      log: createMemoryLogger(),
    });
    const favourited: string[] = [];
    for (let round = 0; round < 4; round += 1) {
      // Busy use for 29 minutes keeps nothing alive: the lifetime counts from sign-in.
      for (let minute = 0; minute < 3; minute += 1) {
        const uid = P(100 + round * 10 + minute);
        favourite(a, [uid]);
        favourited.push(uid);
        emulatorNowMs += 10 * 60_000 - 20_000;
        await a.engine.runOnce();
      }
      emulatorNowMs += 60_000;
      favourite(a, [P(200 + round)]);
      favourited.push(P(200 + round));
      expect(await a.engine.runOnce()).toEqual({ kind: 'halt' });
      expect(a.engine.state.name).toBe('needs-sign-in');
      expect(a.engine.status().pendingCount).toBeGreaterThan(0);
      // The person signs in again (the shell stores the new token), and sync goes on.
      sameSecrets.setWebAuthToken(emu.signIn('alice'));
      await a.engine.signIn();
      a.engine.stop();
      expect(await a.engine.runOnce()).toEqual({ kind: 'ok' });
      expect(a.log.countPending()).toBe(0);
    }
    const inCloud = emu.admin.records('alice', ZONE).flatMap((r) => r.fields['entities']?.value as string[]);
    expect(inCloud.sort()).toEqual([...favourited].sort());
    // Another device sees every event exactly once.
    const b = makeDevice(emu);
    expect(await b.engine.runOnce()).toEqual({ kind: 'ok' });
    expect(b.log.recent(100).filter((e) => e.origin === 'remote')).toHaveLength(favourited.length);
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
    expect(
      emu.admin
        .records('alice', ZONE)
        .map((r) => (r.fields['entities']?.value as string[])[0])
        .sort(),
    ).toEqual([P(1), P(2)]);
  });

  it.each([
    ['push', 'records/modify'],
    ['pull', 'changes/zone'],
  ])(
    'takes ZONE_NOT_FOUND on %s for a zone this device synced as the user deleting our data: stops, tells, never re-creates it',
    async (_, operation) => {
      emu.admin.setDeletedZonesInFeed(false); // the database feed does not say the zone went
      const a = makeDevice(emu);
      const b = makeDevice(emu);
      favourite(a, [P(1)]);
      await a.engine.runOnce();
      await b.engine.runOnce();
      emu.admin.purgeZone('alice', ZONE);
      let device = a;
      if (operation === 'records/modify') favourite(a, [P(2)]);
      else {
        // B has nothing to push; its tokens went stale, so it reads the zone from the start.
        device = b;
        emu.admin.expireSyncTokens();
      }
      expect(await device.engine.runOnce()).toEqual({ kind: 'halt' });
      expect(device.engine.state).toMatchObject({ name: 'error', kind: 'zone-deleted' });
      expect(emu.admin.zones('alice').find((z) => z.zoneName === ZONE)).toMatchObject({ deleted: true });
      expect(emu.admin.records('alice', ZONE)).toEqual([]);
      expect(device.log.recent(10).length).toBeGreaterThan(0);
      // Nothing happens until the user chooses; then Upload Again starts afresh.
      expect(await device.engine.runOnce()).toEqual({ kind: 'halt' });
      await device.engine.uploadAgain();
      device.engine.stop();
      expect(await device.engine.runOnce()).toEqual({ kind: 'ok' });
      expect(emu.admin.zones('alice').find((z) => z.zoneName === ZONE)).toMatchObject({ deleted: false });
    },
  );

  it('resends after a passing ZONE_NOT_FOUND for a zone that still exists', async () => {
    const a = makeDevice(emu);
    await a.engine.runOnce();
    emu.admin.injectFault({ operation: 'records/modify', kind: 'zone-not-found', times: 1 });
    favourite(a, [P(1)]);
    expect(await a.engine.runOnce()).toEqual({ kind: 'ok' });
    expect(emu.admin.records('alice', ZONE)).toHaveLength(1);
  });

  it('creates the zone on a device that never synced', async () => {
    const a = makeDevice(emu);
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

  it.each([
    { status: 500, serverErrorCode: 'INTERNAL_ERROR' },
    { status: 503, serverErrorCode: 'TRY_AGAIN_LATER' },
  ])('starts over from no token after a few tries when an expired sync token is reported as $status $serverErrorCode', async (spec) => {
    emu.admin.setExpiredSyncTokenError(spec);
    const a = makeDevice(emu);
    const b = makeDevice(emu);
    favourite(a, [P(1)]);
    await a.engine.runOnce();
    expect(await b.engine.runOnce()).toEqual({ kind: 'ok' });
    emu.admin.expireSyncTokens();
    favourite(a, [P(2)]);
    // The scheduler retries with backoff; a bounded number of runs must get each device through.
    const runsUntilOk = async (device: Device): Promise<number> => {
      for (let runs = 1; runs <= 10; runs += 1) {
        const outcome = await device.engine.runOnce();
        if (outcome.kind === 'ok') return runs;
        expect(outcome.kind).toBe('retry');
      }
      return Infinity;
    };
    expect(await runsUntilOk(a)).toBeLessThanOrEqual(3);
    expect(a.log.countPending()).toBe(0);
    expect(await runsUntilOk(b)).toBeLessThanOrEqual(3);
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
    expect(
      a.log
        .recent(10)
        .filter((e) => e.origin === 'local')
        .map((e) => e.status),
    ).toEqual(['local-only']);
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
