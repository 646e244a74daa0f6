import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeRemoteEvents, type CacheSnapshot, type PhotoState } from '../../../main/sync/remote-activity';
import type { ActivityEntry } from '../../../shared/events/schema';
import { makeEvents } from '../../../shared/events/schema';
import { startCloudKitEmulator, type CloudKitEmulator } from '../../emulators/cloudkit';
import { photoflareSchema } from '../../emulators/cloudkit/photoflare-schema';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { makeDevice, type TestDevice } from '../../helpers/devices';

const P = (n: number) => `p${String(n).padStart(15, '0')}`;
const A = (n: number) => `a${String(n).padStart(15, '0')}`;
const photo = (state: Partial<PhotoState> = {}): PhotoState => ({
  favorite: false,
  private: false,
  archived: false,
  quality: 4,
  albumUids: [],
  ...state,
});
const snapshot = (photos: [string, PhotoState][], albums: [string, string][] = []): CacheSnapshot => ({
  photos: new Map(photos),
  albums: new Map(albums.map(([uid, title]) => [uid, { title }])),
});
const stored = (name: Parameters<typeof makeEvents>[0], uids: string[], id = `e-${name}-${uids.join()}`) =>
  makeEvents(name, uids).map((event) => ({ id, event }));

describe('what a remote event did, from the cache before and after its refresh', () => {
  it('names the one way every photo of the event changed', () => {
    const before = snapshot([
      [P(1), photo()],
      [P(2), photo()],
      [P(3), photo({ private: true, quality: 1 })],
    ]);
    const after = snapshot([
      [P(1), photo({ favorite: true })],
      [P(2), photo({ favorite: true })],
      [P(3), photo({ private: false, quality: 3 })],
    ]);
    expect(describeRemoteEvents([...stored('photos.updated', [P(1), P(2)], 'fav')], before, after)).toEqual([
      { id: 'fav', action: 'favourite', detail: null, groupId: null },
    ]);
    // Two changes on one photo: no single sentence fits.
    expect(describeRemoteEvents(stored('photos.updated', [P(3)]), before, after)).toEqual([]);
  });

  it('says which album photos went into or left, by its title', () => {
    const before = snapshot([[P(1), photo({ albumUids: [A(2)] })]], [[A(1), 'Trip']]);
    const after = snapshot([[P(1), photo({ albumUids: [A(1)] })]], [[A(1), 'Trip']]);
    expect(describeRemoteEvents(stored('photos.updated', [P(1)], 'x'), before, after)).toEqual([]);
    const added = snapshot([[P(1), photo({ albumUids: [A(1), A(2)] })]], [[A(1), 'Trip']]);
    expect(describeRemoteEvents(stored('photos.updated', [P(1)], 'x'), before, added)).toEqual([
      { id: 'x', action: 'add-to-album', detail: 'Trip', groupId: null },
    ]);
    // With the album's own event (sent so receivers re-list it): one line, the album event under it.
    expect(
      describeRemoteEvents([...stored('photos.updated', [P(1)], 'x'), ...stored('albums.updated', [A(1)], 'y')], before, added),
    ).toEqual([
      { id: 'x', action: 'add-to-album', detail: 'Trip', groupId: 'x' },
      { id: 'y', action: null, detail: null, groupId: 'x' },
    ]);
  });

  it('renames, creations and deletions of albums read with the title', () => {
    const before = snapshot(
      [],
      [
        [A(1), 'Old'],
        [A(3), 'Gone'],
      ],
    );
    const after = snapshot(
      [],
      [
        [A(1), 'New'],
        [A(2), 'Fresh'],
      ],
    );
    expect(
      describeRemoteEvents(
        [...stored('albums.updated', [A(1)], 'r'), ...stored('albums.created', [A(2)], 'c'), ...stored('albums.deleted', [A(3)], 'd')],
        before,
        after,
      ),
    ).toEqual([
      { id: 'r', action: 'rename-album', detail: 'New', groupId: null },
      { id: 'c', action: 'create-album', detail: 'Fresh', groupId: null },
      { id: 'd', action: 'delete-album', detail: 'Gone', groupId: null },
    ]);
  });

  it('keeps the general sentence when nothing visible changed, a photo is not cached, or two events name one photo', () => {
    const before = snapshot([[P(1), photo()]]);
    const after = snapshot([[P(1), photo({ favorite: true })]]);
    // A title edit: nothing this module tracks moved.
    expect(describeRemoteEvents(stored('photos.updated', [P(1)]), before, before)).toEqual([]);
    expect(describeRemoteEvents(stored('photos.updated', [P(9)]), before, after)).toEqual([]);
    // A title edit and a favourite in one batch: the favourite cannot be told from the edit.
    expect(
      describeRemoteEvents([...stored('photos.updated', [P(1)], 'edit'), ...stored('photos.updated', [P(1)], 'fav')], before, after),
    ).toEqual([]);
  });
});

describe('Activity on the receiving device (two devices, PhotoPrism and iCloud emulators)', () => {
  let pp: PhotoPrismEmulator;
  let ck: CloudKitEmulator;
  let a: TestDevice;
  let b: TestDevice;

  beforeEach(async () => {
    pp = await startPhotoPrismEmulator({ photos: 12, albums: 2, seed: 5, rateLimits: false });
    ck = await startCloudKitEmulator({ recordTypes: photoflareSchema() });
    a = await makeDevice({ name: 'act-a', photoprism: pp, cloudkit: ck });
    b = await makeDevice({ name: 'act-b', photoprism: pp, cloudkit: ck });
  });
  afterEach(async () => {
    await a?.close();
    await b?.close();
    await ck?.close();
    await pp?.close();
  });

  const remoteSummaries = async (device: TestDevice) =>
    (await device.call<ActivityEntry[]>('activity.recent', { limit: 50 }))
      .filter((entry) => entry.origin === 'remote')
      .map((e) => e.summary);

  it('says "Favourited 1 photo on another device" and names the album photos were added to', async () => {
    const server = pp.admin.snapshot();
    const album = server.albums
      .filter((candidate) => candidate.DeletedAt === null)
      .sort((x, y) => x.PhotoUIDs.length - y.PhotoUIDs.length)[0];
    if (!album) throw new Error('no album');
    const photos = server.photos.filter((p) => !p.Archived && !p.Favorite && !p.Private && !album.PhotoUIDs.includes(p.UID));
    const [first, second, third] = photos;
    if (!first || !second || !third) throw new Error('library too small');
    await a.call('actions.setFavorite', { uids: [first.UID], favorite: true });
    await a.call('actions.addToAlbum', { albumUid: album.UID, uids: [second.UID, third.UID] });
    await a.core.sync?.runOnce();
    await b.core.sync?.runOnce();

    const summaries = await remoteSummaries(b);
    expect(summaries).toContain('Favourited 1 photo on another device');
    expect(summaries).toContain(`Added 2 photos to “${album.Title}” on another device`);
    // The album's own event is a companion under that line, as on A, not a line "Changed 1 album".
    const remote = (await b.call<ActivityEntry[]>('activity.recent', { limit: 50 })).filter((entry) => entry.origin === 'remote');
    const added = remote.find((entry) => entry.summary.startsWith('Added 2 photos'));
    expect(remote.filter((entry) => entry.companion).map((entry) => [entry.event?.event, entry.groupId])).toEqual([
      ['albums.updated', added?.groupId],
    ]);
    // The device that did it says it as before.
    expect((await a.call<ActivityEntry[]>('activity.recent', { limit: 50 })).map((e) => e.summary)).toContain('Favourited 1 photo');
  });
});
