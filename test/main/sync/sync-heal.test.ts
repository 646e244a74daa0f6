import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startCloudKitEmulator, type CloudKitEmulator } from '../../emulators/cloudkit';
import { photoflareSchema } from '../../emulators/cloudkit/photoflare-schema';
import { favourite, makeDevice, P, pollers, ZONE } from './helpers/engine-device';

/**
 * Holes the fault runs of issue 12 ("Never lose a change") found in the sync engine, each
 * reproduced on its own: every test here failed before its fix.
 */
describe('SyncEngine: never lose a change', () => {
  let emu: CloudKitEmulator;

  beforeEach(async () => {
    emu = await startCloudKitEmulator({ recordTypes: photoflareSchema() });
  });
  afterEach(async () => {
    for (const poller of pollers.splice(0)) poller.close();
    await emu.close();
  });

  it('applies every remote event a run pulled, however many, in bounded batches with progress', async () => {
    const b = makeDevice(emu);
    const count = 10_050;
    // A long absence's worth of pulled events (as the pull stores them), waiting to be applied.
    b.log.insertRemote(
      Array.from({ length: count }, (_, i) => ({
        id: `remote-${i}`,
        payload: { event: 'photos.updated', data: { entities: [{ UID: P(i) }] } },
      })),
    );
    expect(await b.engine.runOnce()).toEqual({ kind: 'ok' });
    expect(b.log.countByStatus()).toEqual({ applied: count });
    // Every UID was refreshed, in more than one bounded call.
    expect(b.replayer.photos.flat()).toHaveLength(count);
    expect(b.replayer.photos.length).toBeGreaterThan(1);
    expect(Math.max(...b.replayer.photos.map((uids) => uids.length))).toBeLessThanOrEqual(5_000);
    // Progress counts up to the whole pull.
    const replaying = b.statuses.flatMap((s) => (s.state.name === 'syncing' && s.state.phase === 'replaying' ? [s.state] : []));
    expect(replaying.at(-1)).toMatchObject({ done: count, total: count });
  });

  it('re-lists the albums when another device restored photos (item 9: they are back in their albums)', async () => {
    const b = makeDevice(emu);
    b.log.insertRemote([{ id: 'remote-fav', payload: { event: 'photos.updated', data: { entities: [{ UID: P(1) }] } } }]);
    expect(await b.engine.runOnce()).toEqual({ kind: 'ok' });
    expect(b.replayer.relisted).toBe(0);
    b.log.insertRemote([{ id: 'remote-restore', payload: { event: 'photos.restored', data: { entities: [{ UID: P(2) }] } } }]);
    expect(await b.engine.runOnce()).toEqual({ kind: 'ok' });
    expect(b.replayer.photos.flat()).toEqual([P(1), P(2)]);
    expect(b.replayer.relisted).toBe(1);
  });

  it('pushes and pulls while PhotoPrism is down, and backs off for PhotoPrism alone', async () => {
    const a = makeDevice(emu);
    const b = makeDevice(emu);
    favourite(a, [P(1)]);
    await a.engine.runOnce();
    b.replayer.failWith = new Error('PhotoPrism is down');
    favourite(b, [P(2)]);
    expect(await b.engine.runOnce()).toMatchObject({ kind: 'retry', dependency: 'photoprism' });
    expect(b.log.countPending()).toBe(0);
    expect(b.log.unapplied()).toHaveLength(1);
  });

  it('counts an EXISTS answer as pushed only when the record in iCloud holds this event', async () => {
    const a = makeDevice(emu);
    const ours = favourite(a, [P(1)])[0];
    if (!ours) throw new Error('no event appended');
    // Something else already wrote a record under this name, with other content.
    const other = makeDevice(emu);
    await other.cloud.ensureZone();
    const [squatter] = await other.cloud.modifyRecords([
      {
        operationType: 'create',
        recordName: ours.id,
        recordType: 'PhotoflareEvent',
        fields: { event: { value: 'albums.deleted', type: 'STRING' }, entities: { value: ['a00000000000009'], type: 'STRING_LIST' } },
      },
    ]);
    expect(squatter?.ok).toBe(true);

    expect(await a.engine.runOnce()).toEqual({ kind: 'ok' });
    expect(a.log.countPending()).toBe(0);
    // The event is in iCloud (under a fresh name), with its own content.
    const records = emu.admin
      .records('alice', ZONE)
      .map((r) => ({ event: r.fields['event']?.value, entities: r.fields['entities']?.value }));
    expect(records).toContainEqual({ event: 'photos.updated', entities: [P(1)] });
    // And another device receives it.
    const b = makeDevice(emu);
    await b.engine.runOnce();
    expect(b.replayer.photos.flat()).toContain(P(1));
  });

  it('still counts an EXISTS answer as pushed when the record is this event (an answer lost after the write)', async () => {
    const a = makeDevice(emu);
    favourite(a, [P(1)]);
    emu.admin.injectFault({ operation: 'records/modify', kind: 'drop-after-commit', times: 1 });
    expect(await a.engine.runOnce()).toMatchObject({ kind: 'retry' });
    expect(await a.engine.runOnce()).toEqual({ kind: 'ok' });
    expect(a.log.countPending()).toBe(0);
    expect(emu.admin.records('alice', ZONE)).toHaveLength(1);
  });

  it('stops a pull whose pages repeat the same sync token instead of looping forever', async () => {
    const a = makeDevice(emu);
    favourite(a, [P(1)]);
    await a.engine.runOnce();
    const b = makeDevice(emu);
    const real = b.cloud.fetchZoneChanges.bind(b.cloud);
    let calls = 0;
    // A server that says "more coming" but hands back the token it was given.
    vi.spyOn(b.cloud, 'fetchZoneChanges').mockImplementation(async (options = {}) => {
      calls++;
      const page = await real(options);
      return { ...page, moreComing: true, syncToken: options.syncToken ?? page.syncToken };
    });
    const outcome = await b.engine.runOnce();
    expect(calls).toBeLessThan(5);
    expect(outcome).toMatchObject({ kind: 'retry' });
    // What arrived is kept.
    expect(b.log.recent(10).filter((e) => e.origin === 'remote')).toHaveLength(1);
  });

  it('stops listening to the courier once iCloud asks to sign in again, ', async () => {
    const a = makeDevice(emu, { courier: true, intervalMs: 60 * 60_000 });
    const b = makeDevice(emu);
    a.engine.start();
    await vi.waitFor(() => expect(a.engine.status().liveUpdates).toBe('on'), { timeout: 8_000 });
    emu.admin.expireWebAuthTokens('alice');
    a.engine.syncNow();
    await vi.waitFor(() => expect(a.engine.state.name).toBe('needs-sign-in'), { timeout: 8_000 });
    // A change elsewhere: a deaf device's courier frame stays undelivered instead of waking a
    // run that can only fail.
    b.cloud.setWebAuthToken(emu.signIn('alice'));
    favourite(b, [P(1)]);
    await b.engine.runOnce();
    await vi.waitFor(() => expect(emu.admin.pendingNotifications('alice').length).toBeGreaterThan(0), { timeout: 8_000 });
    const callers = emu.requests.filter((r) => r.path.endsWith('/users/caller')).length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(emu.requests.filter((r) => r.path.endsWith('/users/caller')).length).toBe(callers);
    a.engine.dispose();
  });

  it('hears of a change whose courier notification was lost with a dropped connection', async () => {
    emu.admin.injectFault({ operation: 'webcourier', kind: 'drop-after-commit', times: 1 });
    const a = makeDevice(emu, { courier: true, intervalMs: 60 * 60_000 });
    const b = makeDevice(emu);
    a.engine.start();
    await vi.waitFor(() => expect(a.engine.status().liveUpdates).toBe('on'), { timeout: 8_000 });
    await vi.waitFor(() => expect(emu.requests.some((r) => r.path === '/_courier/aps')).toBe(true), { timeout: 8_000 });
    favourite(b, [P(1)]);
    await b.engine.runOnce();
    // The frame for P(1) left the queue on a connection that then dropped: only a pull after
    // the reconnect can bring it (no timer pull within the test).
    await vi.waitFor(() => expect(a.replayer.photos.flat()).toContain(P(1)), { timeout: 8_000 });
    a.engine.dispose();
  });

  it('checks quarantined records again after an app upgrade, and applies those the new version understands', async () => {
    const a = makeDevice(emu);
    favourite(a, [P(7)]);
    await a.engine.runOnce();
    const b = makeDevice(emu, { appVersion: '1.0.0' });
    await b.engine.runOnce();
    const event = b.log.recent(10)[0];
    if (!event) throw new Error('nothing pulled');
    // As if version 1.0.0 had not understood the record: quarantined, never applied.
    b.db.prepare(`UPDATE events SET status = 'quarantined', name = '?', uids = '[]' WHERE id = ?`).run(event.id);
    b.replayer.photos = [];
    await b.engine.runOnce();
    expect(b.replayer.photos).toEqual([]);

    // Version 1.1.0 starts on the same profile and looks at the quarantine again.
    const upgraded = makeDevice(emu, { appVersion: '1.1.0', db: b.db });
    expect(await upgraded.engine.runOnce()).toEqual({ kind: 'ok' });
    expect(upgraded.replayer.photos).toEqual([[P(7)]]);
    expect(upgraded.log.countByStatus()).toEqual({ applied: 1 });
    // Once per version: a later run does not ask iCloud again.
    const lookups = emu.requests.filter((r) => r.path.endsWith('/records/lookup')).length;
    await upgraded.engine.runOnce();
    expect(emu.requests.filter((r) => r.path.endsWith('/records/lookup')).length).toBe(lookups);
  });
});
