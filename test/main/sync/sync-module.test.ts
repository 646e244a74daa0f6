import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../../../shared/events/schema';
import type { SyncStatus } from '../../../shared/sync/state';
import { startCloudKitEmulator, type CloudKitEmulator } from '../../emulators/cloudkit';
import { photoflareSchema } from '../../emulators/cloudkit/photoflare-schema';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { makeDevice, type TestDevice } from '../../helpers/devices';

describe('the sync and activity channels', () => {
  let pp: PhotoPrismEmulator;
  let ck: CloudKitEmulator;
  const devices: TestDevice[] = [];

  beforeEach(async () => {
    pp = await startPhotoPrismEmulator({ photos: 30, albums: 2, seed: 4 });
    ck = await startCloudKitEmulator({ recordTypes: photoflareSchema() });
  });
  afterEach(async () => {
    for (const d of devices.splice(0)) await d.close();
    await ck.close();
    await pp.close();
  });

  it('explains that sync cannot be turned on in a build without an iCloud container', async () => {
    const d = await makeDevice({ name: 'plain', photoprism: pp });
    devices.push(d);
    const result = await d.core.dispatch('sync.setEnabled', { enabled: true }, { trusted: true, description: 't' });
    expect(result).toMatchObject({ ok: false, error: { kind: 'validation', message: expect.stringMatching(/not available/) } });
    expect(d.core.settings.get().syncEnabled).toBe(false);
    expect((await d.call<SyncStatus>('sync.status')).state).toEqual({ name: 'disabled' });
  });

  it('signs in, pushes what the user does, shows it in Activity and in iCloud, and deletes it from iCloud', async () => {
    const d = await makeDevice({ name: 'a', photoprism: pp, cloudkit: ck });
    devices.push(d);
    expect(d.core.settings.get().syncEnabled).toBe(true);
    const uid = pp.admin.snapshot().photos.find((p) => !p.Archived && !p.Favorite)?.UID as string;
    await d.call('actions.setFavorite', { uids: [uid], favorite: true });
    const [entry] = await d.call<ActivityEntry[]>('activity.recent', { limit: 10 });
    expect(entry).toMatchObject({ summary: 'Favourited 1 photo', status: 'pending', origin: 'local' });
    expect(entry?.event).toEqual({ event: 'photos.updated', data: { entities: [{ UID: uid }] } });

    await d.core.sync?.runOnce();
    expect((await d.call<ActivityEntry[]>('activity.recent', { limit: 10 }))[0]?.status).toBe('pushed');
    expect(await d.call('sync.cloudData')).toEqual([
      { recordName: entry?.id, event: { event: 'photos.updated', data: { entities: [{ UID: uid }] } } },
    ]);

    const after = await d.call<SyncStatus>('sync.deleteCloudData');
    expect(after.state).toEqual({ name: 'disabled' });
    expect(d.core.settings.get().syncEnabled).toBe(false);
    expect(ck.admin.zones('alice').filter((z) => z.zoneName === 'PhotoflareEvents' && !z.deleted)).toEqual([]);
    expect(ck.admin.records('alice', 'PhotoflareEvents')).toEqual([]);
    // Off again: what happens now stays on this Mac.
    const requestsBefore = ck.requests.length;
    await d.call('actions.setFavorite', { uids: [uid], favorite: false });
    await d.call('sync.now');
    await d.core.sync?.runOnce();
    expect((await d.call<ActivityEntry[]>('activity.recent', { limit: 1 }))[0]?.status).toBe('local-only');
    expect(ck.requests.length).toBe(requestsBefore);
  });

  it('pauses and resumes from the menu-bar commands', async () => {
    const d = await makeDevice({ name: 'a', photoprism: pp, cloudkit: ck });
    devices.push(d);
    expect((await d.call<SyncStatus>('sync.pause')).state).toEqual({ name: 'paused' });
    expect((await d.call<SyncStatus>('sync.resume')).state.name).not.toBe('paused');
  });
});
