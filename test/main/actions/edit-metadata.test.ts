import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { ActionIntents, intentOf } from '../../../main/actions/action-intents';
import { summaryOf } from '../../../main/actions/offline-queue';
import type { Operation } from '../../../main/actions/operations';
import { openDatabase } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { createMemoryLogger } from '../../../main/log/logger';
import type { PendingChanges } from '../../../shared/ipc/contract';
import type { ConnectionStatus } from '../../../shared/library/schemas';
import type { EditChoices, PhotoMetadata } from '../../../shared/library/metadata';
import { activePhotos, eventually, snapshotPhoto, startActionsEnv, type ActionsEnv } from './harness';

let env: ActionsEnv | undefined;

afterEach(async () => {
  await env?.close();
  env = undefined;
});

async function start(version?: string): Promise<ActionsEnv> {
  env = await startActionsEnv({ photos: 30, albums: 2, seed: 5, ...(version ? { version } : {}) });
  return env;
}

const puts = (e: ActionsEnv) =>
  e.emu.requests.filter((r) => r.method === 'PUT').map((r) => JSON.parse(r.body ?? '{}') as Record<string, unknown>);

describe('edit metadata', () => {
  it('writes title, caption, keywords, date with zone and Details with their Src manual; the server derives UTC', async () => {
    const e = await start();
    const [uid = ''] = activePhotos(e.emu);
    const result = await e.act('actions.editMetadata', {
      uids: [uid],
      edit: {
        title: 'Harbour at dusk',
        caption: 'Boats coming in',
        keywords: 'Harbour, boats, harbour, x, 2024',
        takenAtLocal: '2023-07-14T21:30:00',
        timeZone: 'Europe/Berlin',
        artist: 'Ada',
      },
    });
    expect(result).toEqual({ applied: [uid], failed: [] });
    const put = puts(e).at(-1) ?? {};
    expect(put).toMatchObject({
      Title: 'Harbour at dusk',
      TitleSrc: 'manual',
      Description: 'Boats coming in',
      DescriptionSrc: 'manual',
      TakenAtLocal: '2023-07-14T21:30:00Z',
      TimeZone: 'Europe/Berlin',
      TakenSrc: 'manual',
      Year: 2023,
      Month: 7,
      Day: 14,
      Details: { Keywords: 'Harbour, boats, harbour, x, 2024', KeywordsSrc: 'manual', Artist: 'Ada', ArtistSrc: 'manual' },
    });
    // The Details are applied only because the numeric PhotoID came along (read first).
    expect((put['Details'] as { PhotoID: number }).PhotoID).toBeGreaterThan(0);
    const server = snapshotPhoto(e.emu, uid);
    expect(server).toMatchObject({
      Title: 'Harbour at dusk',
      Caption: 'Boats coming in',
      Keywords: 'boats, harbour',
      TimeZone: 'Europe/Berlin',
    });
    // 21:30 in Berlin in July (CEST, +2) is 19:30 UTC.
    expect(server.TakenAt).toBe('2023-07-14T19:30:00Z');
    expect(server.TakenAtLocal).toBe('2023-07-14T21:30:00Z');
    // The cache has what the server answered.
    const details = await e.details(uid);
    expect(details).toMatchObject({ title: 'Harbour at dusk', description: 'Boats coming in', takenAtLocal: '2023-07-14T21:30:00' });
    expect(details.takenAt).toBe('2023-07-14T19:30:00.000Z');
    // And the inspector reads it all back from the server.
    const [read] = await e.call<PhotoMetadata[]>('photo.editableMetadata', { uids: [uid] });
    expect(read).toMatchObject({
      keywords: 'boats, harbour',
      artist: 'Ada',
      timeZone: 'Europe/Berlin',
      takenAtLocal: '2023-07-14T21:30:00',
    });
    // One photos.updated naming the UID, and nothing of the new values anywhere in the log.
    expect(e.rows()).toEqual([{ name: 'photos.updated', uids: JSON.stringify([uid]), status: 'local-only' }]);
    expect(JSON.stringify(e.log())).not.toMatch(/Harbour|Boats|Ada|Berlin/);
  });

  it('undo puts each photo of a batch edit back to its own values; redo applies the edit again', async () => {
    const e = await start();
    const uids = activePhotos(e.emu).slice(0, 3);
    const before = await e.call<PhotoMetadata[]>('photo.editableMetadata', { uids });
    await e.act('actions.editMetadata', { uids, edit: { title: 'Same for all', copyright: '© Ada' } });
    for (const uid of uids) expect(snapshotPhoto(e.emu, uid).Title).toBe('Same for all');
    expect(await e.history()).toMatchObject({ canUndo: true, undoLabel: 'Undo Edit Info' });
    await e.act('actions.undo');
    const after = await e.call<PhotoMetadata[]>('photo.editableMetadata', { uids });
    expect(after.map((m) => [m.title, m.copyright])).toEqual(before.map((m) => [m.title, m.copyright]));
    await e.act('actions.redo');
    for (const uid of uids) expect(snapshotPhoto(e.emu, uid).Title).toBe('Same for all');
    // Three actions, three photos.updated events naming the three UIDs each.
    expect(e.rows().map((row) => row.name)).toEqual(['photos.updated', 'photos.updated', 'photos.updated']);
  });

  it('speaks Caption to a 2025 server and Description to an older one', async () => {
    const e = await start('250321-0a1b2c3d4-Linux-AMD64-CE');
    const [uid = ''] = activePhotos(e.emu);
    await e.act('actions.editMetadata', { uids: [uid], edit: { caption: 'New caption' } });
    const put = puts(e).at(-1) ?? {};
    expect(put).toEqual({ Caption: 'New caption', CaptionSrc: 'manual' });
    expect(snapshotPhoto(e.emu, uid).Caption).toBe('New caption');
    expect((await e.details(uid)).description).toBe('New caption');
  });

  it('refuses bad input before anything is sent: an impossible time zone, a date that is no date, an empty edit', async () => {
    const e = await start();
    const [uid = ''] = activePhotos(e.emu);
    await expect(e.act('actions.editMetadata', { uids: [uid], edit: { timeZone: 'Europe/Berlin; DROP' } })).rejects.toThrow();
    await expect(e.act('actions.editMetadata', { uids: [uid], edit: { takenAtLocal: 'yesterday' } })).rejects.toThrow();
    await expect(e.act('actions.editMetadata', { uids: [uid], edit: {} })).rejects.toThrow();
    expect(puts(e)).toEqual([]);
  });

  it('a photo deleted on the server fails alone; the others are edited', async () => {
    const e = await start();
    const uids = activePhotos(e.emu).slice(0, 2);
    const [gone = '', kept = ''] = uids;
    e.emu.admin.deletePhotos([gone]);
    const result = await e.act('actions.editMetadata', { uids, edit: { title: 'Kept' } });
    expect(result.applied).toEqual([kept]);
    expect(result.failed.flatMap((f) => f.uids)).toEqual([gone]);
    expect(snapshotPhoto(e.emu, kept).Title).toBe('Kept');
  });
});

describe('the other fields PhotoPrism lets a person edit', () => {
  it('sends type, country, exposure values and flags with the …Src PhotoPrism’s web UI sends; the server and the cache have them', async () => {
    const e = await start();
    // Without coordinates: with them, PhotoPrism takes the country from the location (see the next test).
    const [uid = ''] = activePhotos(e.emu);
    e.emu.admin.updatePhoto(uid, { Lat: 0, Lng: 0 });
    const edit = {
      type: 'raw',
      country: 'de',
      iso: 400,
      exposure: '1/250',
      fNumber: 2.8,
      focalLength: 35,
      scan: true,
      panorama: true,
      stack: -1,
    };
    expect(await e.act('actions.editMetadata', { uids: [uid], edit })).toEqual({ applied: [uid], failed: [] });
    expect(puts(e).at(-1)).toEqual({
      Type: 'raw',
      TypeSrc: 'manual',
      Country: 'de',
      PlaceSrc: 'manual',
      Iso: 400,
      Exposure: '1/250',
      FNumber: 2.8,
      FocalLength: 35,
      CameraSrc: 'manual',
      Scan: true,
      Panorama: true,
      Stack: -1,
    });
    expect(snapshotPhoto(e.emu, uid)).toMatchObject({ Type: 'raw', Country: 'de', Iso: 400, Exposure: '1/250', Scan: true, Stack: -1 });
    const [read] = await e.call<PhotoMetadata[]>('photo.editableMetadata', { uids: [uid] });
    expect(read).toMatchObject(edit);
    expect(read?.unknown).toBeUndefined();
    // The cache holds the ones the grid and the info panel show.
    expect(await e.details(uid)).toMatchObject({ type: 'raw', iso: 400, exposure: '1/250', fNumber: 2.8, focalLengthMm: 35 });
    // Undo puts each one back.
    await e.act('actions.undo');
    expect(snapshotPhoto(e.emu, uid)).toMatchObject({ Scan: false, Panorama: false, Stack: 0 });
    expect(snapshotPhoto(e.emu, uid).Iso).not.toBe(400);
  });

  it('a country typed for a photo with coordinates becomes the country of its location, as on the real server', async () => {
    const e = await start();
    const placed = e.emu.admin.snapshot().photos.find((p) => !p.Archived && p.Quality >= 3 && p.City !== '' && p.Country !== 'is');
    const uid = placed?.UID ?? '';
    await e.act('actions.editMetadata', { uids: [uid], edit: { country: 'is' } });
    expect(snapshotPhoto(e.emu, uid).Country).toBe(placed?.Country);
    const [read] = await e.call<PhotoMetadata[]>('photo.editableMetadata', { uids: [uid] });
    expect(read?.country).toBe(placed?.Country);
  });

  it('refuses ISO that is no whole number, a negative f-number, an exposure that is no time, an unknown type or country', async () => {
    const e = await start();
    const [uid = ''] = activePhotos(e.emu);
    for (const edit of [
      { iso: 1.5 },
      { fNumber: -1 },
      { exposure: 'fast' },
      { type: 'sidecar' },
      { country: 'Germany' },
      { stack: 2 },
      { focalLength: -35 },
    ]) {
      await expect(e.act('actions.editMetadata', { uids: [uid], edit })).rejects.toThrow();
    }
    expect(puts(e)).toEqual([]);
  });
});

describe('an edit made offline', () => {
  async function goOffline(e: ActionsEnv): Promise<void> {
    await e.emu.admin.goDown();
    await e.call('library.refresh');
    await eventually(async () => expect((await e.call<ConnectionStatus>('connection.status')).state).toBe('offline'));
  }

  it('shows at once, waits in the queue, and is sent when the server is back: typed fields win, the rest keeps the server’s change', async () => {
    const e = await start();
    const [uid = ''] = activePhotos(e.emu);
    await goOffline(e);
    // The inspector reads the cache offline and says which fields it does not hold.
    const [offline] = await e.call<PhotoMetadata[]>('photo.editableMetadata', { uids: [uid] });
    expect(offline?.unknown).toEqual(expect.arrayContaining(['keywords', 'timeZone', 'country', 'scan']));
    const result = await e.act('actions.editMetadata', {
      uids: [uid],
      edit: { title: 'Typed offline', keywords: 'ferry', iso: 800, takenAtLocal: '2021-05-01T10:00:00' },
    });
    expect(result).toMatchObject({ applied: [uid], failed: [], queued: true });
    expect(await e.details(uid)).toMatchObject({ title: 'Typed offline', iso: 800, takenAtLocal: '2021-05-01T10:00:00' });
    expect((await e.call<PendingChanges>('actions.pending')).items.map((i) => i.summary)).toEqual(['Edit the info of 1 photo']);
    expect(puts(e)).toEqual([]);
    expect(e.rows()).toEqual([]);

    // Meanwhile someone edits the same photo on the server: a title and a caption.
    e.emu.admin.updatePhoto(uid, { Title: 'Server title', TitleSrc: 'manual', Description: 'Server caption' });
    await e.emu.admin.goUp();
    await eventually(async () => expect((await e.call<PendingChanges>('actions.pending')).waiting).toBe(0), 30_000);

    // The typed fields won; the caption nobody typed here kept the server's change.
    expect(snapshotPhoto(e.emu, uid)).toMatchObject({ Title: 'Typed offline', Caption: 'Server caption', Keywords: 'ferry', Iso: 800 });
    expect(puts(e)).toHaveLength(1);
    expect(Object.keys(puts(e)[0] ?? {}).sort()).toEqual(
      [
        'CameraSrc',
        'Day',
        'Details',
        'Iso',
        'Month',
        'TakenAt',
        'TakenAtLocal',
        'TakenSrc',
        'TimeZone',
        'Title',
        'TitleSrc',
        'Year',
      ].sort(),
    );
    // One photos.updated with the UID only, appended once the server had it.
    expect(e.rows()).toEqual([{ name: 'photos.updated', uids: JSON.stringify([uid]), status: 'local-only' }]);
    expect(await e.details(uid)).toMatchObject({ title: 'Typed offline', description: 'Server caption' });
    // Undo after sending puts back what the server had before the PUT, keywords included.
    await e.act('actions.undo');
    expect(snapshotPhoto(e.emu, uid)).toMatchObject({ Title: 'Server title', Keywords: expect.not.stringContaining('ferry') });
  }, 90_000);

  it('an undo while queued cancels it and puts the cache back; redo queues the whole edit again, keywords too', async () => {
    const e = await start();
    const [uid = ''] = activePhotos(e.emu);
    const title = (await e.details(uid)).title;
    await goOffline(e);
    await e.act('actions.editMetadata', { uids: [uid], edit: { title: 'Gone again', keywords: 'kept on redo' } });
    await e.act('actions.undo');
    expect((await e.details(uid)).title).toBe(title);
    expect((await e.call<PendingChanges>('actions.pending')).waiting).toBe(0);
    expect(await e.act('actions.redo')).toMatchObject({ applied: [uid], queued: true });
    await e.emu.admin.goUp();
    await eventually(async () => expect((await e.call<PendingChanges>('actions.pending')).waiting).toBe(0), 30_000);
    expect(snapshotPhoto(e.emu, uid)).toMatchObject({ Title: 'Gone again', Keywords: expect.stringContaining('kept') });
  }, 90_000);

  it('an edit of only the fields the cache lacks still queues, can be undone, and survives a restart', () => {
    const db = openDatabase(':memory:');
    const log = createMemoryLogger();
    migrate(db, MIGRATIONS, { log });
    const op: Operation = { type: 'edit', edits: [{ uid: 'pr00000000000001', edit: { keywords: 'a, b', scan: true, stack: 1 } }] };
    new ActionIntents({ db, log }).enqueue(op, intentOf(op, undefined), summaryOf(op, undefined));
    // A new ActionIntents on the same database: what the next start reads.
    const [row] = new ActionIntents({ db, log }).queued();
    expect(row?.op).toEqual(op);
    expect(log.lines.filter((line) => line.includes('unreadable'))).toEqual([]);
  });
});

describe('camera and lens', () => {
  it('are picked by the IDs of the config’s lists, sent with CameraSrc manual, named in the cache at once; undo puts each photo’s own back', async () => {
    const e = await start();
    const choices = await e.call<EditChoices>('photo.editChoices');
    expect(choices.source).toBe('server');
    // The config lists cameras in use and every lens (PhotoPrism internal/config/client_config.go).
    expect(choices.cameras.map((c) => c.name)).toContain('Canon EOS 6D');
    expect(choices.lenses.map((l) => l.name)).toContain('FE 35mm F1.8');
    const camera = choices.cameras.find((c) => c.model === 'EOS 6D');
    const lens = choices.lenses.find((l) => l.model === 'FE 35mm F1.8');
    if (!camera || !lens) throw new Error('lists without the fixture devices');
    // Two photos with different cameras before: the batch sets both, undo gives each its own back.
    const all = activePhotos(e.emu);
    const a = all.find((uid) => snapshotPhoto(e.emu, uid).CameraModel !== 'EOS 6D') ?? '';
    const b = all.find((uid) => uid !== a && snapshotPhoto(e.emu, uid).CameraModel !== snapshotPhoto(e.emu, a).CameraModel) ?? '';
    const before = [snapshotPhoto(e.emu, a), snapshotPhoto(e.emu, b)].map((p) => [p.CameraModel, p.LensModel]);
    const [readA] = await e.call<PhotoMetadata[]>('photo.editableMetadata', { uids: [a] });
    expect(readA?.cameraId).toBeGreaterThan(0);

    expect(await e.act('actions.editMetadata', { uids: [a, b], edit: { cameraId: camera.id, lensId: lens.id } })).toEqual({
      applied: [a, b],
      failed: [],
    });
    for (const put of puts(e)) expect(put).toMatchObject({ CameraID: camera.id, LensID: lens.id, CameraSrc: 'manual' });
    for (const uid of [a, b]) {
      expect(snapshotPhoto(e.emu, uid)).toMatchObject({ CameraModel: 'EOS 6D', LensModel: 'FE 35mm F1.8', CameraSrc: 'manual' });
      expect(await e.details(uid)).toMatchObject({ cameraModel: 'EOS 6D', lensModel: 'FE 35mm F1.8' });
    }
    const [read] = await e.call<PhotoMetadata[]>('photo.editableMetadata', { uids: [a] });
    expect(read).toMatchObject({ cameraId: camera.id, lensId: lens.id });
    // UIDs only, as every action.
    expect(e.rows().at(-1)).toEqual({ name: 'photos.updated', uids: JSON.stringify([a, b]), status: 'local-only' });

    await e.act('actions.undo');
    expect([snapshotPhoto(e.emu, a), snapshotPhoto(e.emu, b)].map((p) => [p.CameraModel, p.LensModel])).toEqual(before);
    await e.act('actions.redo');

    // Offline, the cache's search files them under the camera and lens the server answered.
    await e.emu.admin.goDown();
    await e.call('library.refresh');
    await eventually(async () => expect((await e.call<ConnectionStatus>('connection.status')).state).toBe('offline'));
    const page = await e.call<{ photos: Array<{ uid: string }> }>('library.query', {
      view: { kind: 'all' },
      q: 'camera:"eos 6d" lens:fe',
      offset: 0,
      limit: 500,
    });
    expect(page.photos.map((p) => p.uid)).toEqual(expect.arrayContaining([a, b]));
  });

  it('refuses an ID below 1 (Go’s uint has no row 0) and sends nothing', async () => {
    const e = await start();
    const [uid = ''] = activePhotos(e.emu);
    for (const edit of [{ cameraId: 0 }, { lensId: -1 }, { cameraId: 1.5 }]) {
      await expect(e.act('actions.editMetadata', { uids: [uid], edit })).rejects.toThrow();
    }
    expect(puts(e)).toEqual([]);
  });

  it('offline: the lists come from this Mac’s copy; a pick shows at once, is queued, and reaches the server when it is back', async () => {
    const e = await start();
    const online = await e.call<EditChoices>('photo.editChoices');
    const [uid = ''] = activePhotos(e.emu).filter((u) => snapshotPhoto(e.emu, u).CameraModel !== 'X-T3');
    const camera = online.cameras.find((c) => c.model === 'X-T3');
    if (!camera) throw new Error('no X-T3 in the lists');
    await e.emu.admin.goDown();
    await e.call('library.refresh');
    await eventually(async () => expect((await e.call<ConnectionStatus>('connection.status')).state).toBe('offline'));

    const offline = await e.call<EditChoices>('photo.editChoices');
    expect(offline).toEqual({ ...online, source: 'cache' });
    // The cache does not hold the IDs: the inspector says so instead of showing a wrong camera.
    const [meta] = await e.call<PhotoMetadata[]>('photo.editableMetadata', { uids: [uid] });
    expect(meta?.unknown).toEqual(expect.arrayContaining(['cameraId', 'lensId']));

    const previous = (await e.details(uid)).cameraModel;
    expect(await e.act('actions.editMetadata', { uids: [uid], edit: { cameraId: camera.id } })).toMatchObject({ queued: true });
    expect((await e.details(uid)).cameraModel).toBe('X-T3');
    // The offline search finds it by its new camera at once, and no longer by its old one.
    const found = async (q: string) =>
      (await e.call<{ photos: Array<{ uid: string }> }>('library.query', { view: { kind: 'all' }, q, offset: 0, limit: 500 })).photos.some(
        (p) => p.uid === uid,
      );
    expect(await found('camera:x-t3')).toBe(true);
    expect(await found(`camera:${previous}`)).toBe(false);
    // Undo while queued puts the cached camera back (the lists say which ID the old text was).
    await e.act('actions.undo');
    expect((await e.details(uid)).cameraModel).toBe(previous);
    expect(await found('camera:x-t3')).toBe(false);
    await e.act('actions.redo');
    expect((await e.details(uid)).cameraModel).toBe('X-T3');
    // A new date is searched by its year at once too.
    await e.act('actions.editMetadata', { uids: [uid], edit: { takenAtLocal: '1999-05-04T10:00:00' } });
    expect(await found('year:1999')).toBe(true);

    await e.emu.admin.goUp();
    await eventually(async () => expect((await e.call<PendingChanges>('actions.pending')).waiting).toBe(0), 30_000);
    expect(snapshotPhoto(e.emu, uid)).toMatchObject({ CameraModel: 'X-T3', CameraSrc: 'manual' });
    expect(puts(e)).toEqual([
      { CameraID: camera.id, CameraSrc: 'manual' },
      expect.objectContaining({ TakenAtLocal: '1999-05-04T10:00:00Z' }),
    ]);
  }, 90_000);

  it('offline without a copy of the lists: no menus to offer, and the answer says so instead of failing', async () => {
    const e = await start('240915-e1280b2fb-Linux-AMD64-CE');
    await e.emu.admin.goDown();
    await e.call('library.refresh');
    await eventually(async () => expect((await e.call<ConnectionStatus>('connection.status')).state).toBe('offline'));
    // A cache from before this copy was kept (a second connection to the same file, as after an update).
    const db = new Database(e.dbPath);
    db.prepare("DELETE FROM library_meta WHERE key = 'devices'").run();
    db.close();
    expect(await e.call<EditChoices>('photo.editChoices')).toEqual({
      cameras: [],
      lenses: [],
      types: ['image', 'raw', 'animated', 'live', 'video', 'vector'],
      source: 'none',
    });
  }, 90_000);
});

describe('media types by server version', () => {
  it('a 240915 server is offered the six classic types and refused `document` before anything is sent', async () => {
    const e = await start('240915-e1280b2fb-Linux-AMD64-CE');
    const { types } = await e.call<EditChoices>('photo.editChoices');
    expect(types).toEqual(['image', 'raw', 'animated', 'live', 'video', 'vector']);
    const [uid = ''] = activePhotos(e.emu);
    await expect(e.act('actions.editMetadata', { uids: [uid], edit: { type: 'document' } })).rejects.toThrow(/does not know the type/);
    expect(puts(e)).toEqual([]);
  });

  it('a server built after 2024-10-31 (pkg/media "document", "audio") is offered both, and takes them', async () => {
    const e = await start('241118-ab3e6f0c1-Linux-AMD64-CE');
    const { types } = await e.call<EditChoices>('photo.editChoices');
    expect(types).toEqual(['image', 'raw', 'animated', 'live', 'video', 'vector', 'document', 'audio']);
    const [uid = ''] = activePhotos(e.emu);
    await e.act('actions.editMetadata', { uids: [uid], edit: { type: 'audio' } });
    expect(snapshotPhoto(e.emu, uid).Type).toBe('audio');
  });
});
