import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeEvents, SyncEvent } from '../../../shared/events/schema';
import type { SyncStatus } from '../../../shared/sync/state';
import { startCloudKitEmulator, type CloudKitEmulator } from '../../emulators/cloudkit';
import { photoflareSchema } from '../../emulators/cloudkit/photoflare-schema';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { makeDevice, type TestDevice } from '../../helpers/devices';

/**
 * [Note: Privacy, proved]
 * Everything the app sends to iCloud is captured at the CloudKit emulator and checked two ways:
 * an allow-list (every record holds exactly `event` + `entities`, every string in a body is
 * envelope vocabulary, an event name, a UID, or an opaque token/id the server or we minted) and
 * a deny-list (no server address, user name, password, PhotoPrism token, title, file name,
 * camera, place or path from the PhotoPrism side appears anywhere: URL, headers or body).
 */
const UID = /^[pa][0-9a-z]{15}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ENVELOPE = new Set([
  'PhotoflareEvents',
  'PhotoflareEvent',
  'PhotoflareEvents-changes',
  'create',
  'forceDelete',
  'zone',
  'STRING',
  'STRING_LIST',
  'development',
  'production',
  '_defaultOwner',
  'event',
  'entities',
]);

/** Opaque values the server handed us earlier and we hand back: not ours to inspect. */
const OPAQUE_KEYS = new Set(['syncToken', 'continuationMarker']);

/** Every string in a JSON value, skipping the opaque ones. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) if (!OPAQUE_KEYS.has(key)) strings(inner, out);
  }
  return out;
}

describe('privacy: nothing but event names and UIDs reaches iCloud', () => {
  let pp: PhotoPrismEmulator;
  let ck: CloudKitEmulator;
  let a: TestDevice;
  let b: TestDevice;

  beforeEach(async () => {
    pp = await startPhotoPrismEmulator({ photos: 40, albums: 3, seed: 11 });
    ck = await startCloudKitEmulator({ recordTypes: photoflareSchema() });
    a = await makeDevice({ name: 'a', photoprism: pp, cloudkit: ck });
    b = await makeDevice({ name: 'b', photoprism: pp, cloudkit: ck });
  });
  afterEach(async () => {
    await a.close();
    await b.close();
    await ck.close();
    await pp.close();
  });

  it('holds for a push, a pull, a replay, a view and a retention pass', async () => {
    const snapshot = pp.admin.snapshot();
    const photo = snapshot.photos.find((p) => !p.Archived);
    const album = snapshot.albums[0];
    if (!photo || !album) throw new Error('library too small');
    // Changes made on the server (as the actions module will), recorded as events on A.
    pp.admin.likePhoto(photo.UID);
    a.core.eventLog.appendLocal(makeEvents('photos.updated', [photo.UID]), { syncEnabled: true, action: 'favourite' });
    a.core.eventLog.appendLocal(makeEvents('albums.updated', [album.UID]), {
      syncEnabled: true,
      action: 'rename-album',
      detail: album.Title,
    });
    await a.core.sync?.runOnce();
    await b.core.sync?.runOnce();
    expect((await b.call<SyncStatus>('sync.status')).state.name).toBe('idle');
    await a.call('sync.cloudData');

    const requests = ck.requests;
    expect(requests.length).toBeGreaterThan(0);

    // Allow-list: records carry exactly two fields; every body string is envelope, name, UID or id.
    const eventNames = new Set<string>(SyncEvent.options.map((o) => o.shape.event.value));
    for (const request of requests) {
      const body: unknown = request.body ? JSON.parse(request.body) : {};
      for (const op of (body as { operations?: Array<{ record?: { fields?: object } }> }).operations ?? []) {
        if (op.record?.fields) expect(Object.keys(op.record.fields).sort()).toEqual(['entities', 'event']);
      }
      for (const s of strings(body)) {
        expect(ENVELOPE.has(s) || eventNames.has(s) || UID.test(s) || UUID.test(s), `unexpected string sent to iCloud: ${s}`).toBe(true);
      }
    }

    // Deny-list: nothing from the PhotoPrism side, anywhere in what was sent.
    const sent = requests.map((r) => `${r.method} ${r.path} ${JSON.stringify(r.query)} ${JSON.stringify(r.headers)} ${r.body}`).join('\n');
    const forbidden = [
      pp.url,
      new URL(pp.url).host,
      pp.credentials.username,
      pp.credentials.password,
      album.Title,
      ...snapshot.photos.flatMap((p) => [p.Title, ...p.Files.map((f) => f.Hash)]).filter((s) => s.length > 3),
      // File names, cameras and places as the cache knows them.
      ...snapshot.photos
        .filter((p) => !p.Archived)
        .flatMap((p) => {
          const d = b.core.library.details(p.UID);
          return [d.fileName, d.cameraModel, d.placeLabel];
        })
        .filter((s) => s.length > 3),
      ...pp.requests.map((r) => r.headers['x-auth-token']).filter((s): s is string => Boolean(s)),
    ];
    for (const secret of new Set(forbidden)) expect(sent, `leaked: ${secret}`).not.toContain(secret);
  });

  it('sends zero requests to iCloud while sync is off, whatever happens locally', async () => {
    const ck2 = await startCloudKitEmulator({ recordTypes: photoflareSchema() });
    const c = await makeDevice({ name: 'c', photoprism: pp, cloudkit: ck2, syncEnabled: false });
    const uid = pp.admin.snapshot().photos[0]?.UID as string;
    c.core.eventLog.appendLocal(makeEvents('photos.updated', [uid]), { syncEnabled: false, action: 'favourite' });
    await c.call('sync.now');
    await c.call('sync.status');
    await c.call('sync.cloudData');
    await c.core.sync?.runOnce();
    expect(ck2.requests).toHaveLength(0);
    await c.close();
    await ck2.close();
  });
});
