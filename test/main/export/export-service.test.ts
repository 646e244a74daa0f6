import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExportStatus } from '../../../shared/export';
import type { LibraryPage } from '../../../shared/library/schemas';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { readStoredZip } from '../../emulators/photoprism/zip-writer';
import { makeDevice, type TestDevice } from '../../helpers/devices';

interface ServerFile {
  Name: string;
  Root: string;
  Hash: string;
}

/** A photo's files and the bytes PhotoPrism serves for each, read straight from the emulator. */
async function originals(pp: PhotoPrismEmulator, uid: string): Promise<Array<ServerFile & { bytes: Buffer }>> {
  const session = await fetch(`${pp.url}/api/v1/session`, { method: 'POST', body: JSON.stringify(pp.credentials) });
  const body = (await session.json()) as { access_token: string; config: { downloadToken: string } };
  const photo = await fetch(`${pp.url}/api/v1/photos/${uid}`, { headers: { 'x-auth-token': body.access_token } });
  const files = ((await photo.json()) as { Files: ServerFile[] }).Files;
  return Promise.all(
    files.map(async (file) => {
      const res = await fetch(`${pp.url}/api/v1/dl/${file.Hash}?t=${body.config.downloadToken}`);
      expect(res.status).toBe(200);
      return { ...file, bytes: Buffer.from(await res.arrayBuffer()) };
    }),
  );
}

describe('Export: originals and album zips streamed to disk', () => {
  let pp: PhotoPrismEmulator;
  let a: TestDevice;

  beforeAll(async () => {
    pp = await startPhotoPrismEmulator({ photos: 12, albums: 2, seed: 16, rateLimits: false });
    a = await makeDevice({ name: 'export', photoprism: pp });
  });
  afterAll(async () => {
    await a?.close();
    await pp?.close();
  });

  const finished = async (status: ExportStatus | null): Promise<ExportStatus> => {
    if (!status) throw new Error('no export started');
    await a.core.exports.idle();
    const end = (await a.call<ExportStatus[]>('export.list')).find((s) => s.id === status.id);
    if (!end) throw new Error('export forgotten');
    return end;
  };

  it('writes every original byte for byte, and a second export of the same photos names copies like Finder', async () => {
    const photos = (await a.call<LibraryPage>('library.query', { view: { kind: 'all' }, offset: 0, limit: 3 })).photos;
    const uids = photos.map((p) => p.uid);
    const folder = join(a.dir, 'exports');
    const requestsBefore = pp.requests.length;
    const done = await finished(await a.call('export.photos', { uids }));
    expect(done).toMatchObject({ state: 'done', failures: [], message: null, folder });
    // Originals are asked for uncompressed: a PhotoPrism with `--http-compression gzip` would
    // otherwise deflate every JPEG and video on the fly (its /dl route is not excluded), which
    // costs both ends CPU and saves nothing.
    const downloads = pp.requests.slice(requestsBefore).filter((r) => r.path.startsWith('/api/v1/dl/'));
    expect(downloads.length).toBeGreaterThan(0);
    for (const request of downloads) expect(request.headers['accept-encoding'] ?? '').not.toMatch(/gzip/i);
    const files = readdirSync(folder).sort();
    expect(files.some((name) => name.endsWith('.part'))).toBe(false);
    // Every original (not the sidecars PhotoPrism made) is there under its own name, byte for byte.
    const expected = (await Promise.all(uids.map((uid) => originals(pp, uid)))).flat().filter((f) => f.Root !== 'sidecar');
    expect(files).toEqual(expected.map((f) => f.Name.split('/').pop()).sort());
    for (const file of expected) expect(readFileSync(join(folder, file.Name.split('/').pop() ?? '')).equals(file.bytes)).toBe(true);
    expect(done.bytesDone).toBe(done.bytesTotal);

    // Same photos again: nothing is overwritten, the new files are "name (2).ext".
    await finished(await a.call('export.photos', { uids }));
    const again = readdirSync(folder).sort();
    expect(again).toHaveLength(files.length * 2);
    for (const name of files) {
      const copy = name.replace(/(\.[^.]+)$/, ' (2)$1');
      expect(again).toContain(copy);
      expect(readFileSync(join(folder, copy)).equals(readFileSync(join(folder, name)))).toBe(true);
    }
  });

  it('a cancelled export writes nothing under a final name; Resume finishes it', async () => {
    const photos = (await a.call<LibraryPage>('library.query', { view: { kind: 'all' }, offset: 3, limit: 2 })).photos;
    const folder = join(a.dir, 'cancelled');
    const device = await makeDevice({ name: 'export-cancel', photoprism: pp, exportFolder: folder });
    try {
      const started = await device.call<ExportStatus>('export.photos', { uids: photos.map((p) => p.uid) });
      await device.call('export.cancel', { id: started.id });
      await device.core.exports.idle();
      const cancelled = (await device.call<ExportStatus[]>('export.list'))[0];
      expect(cancelled?.state).toBe('cancelled');
      expect(existsSync(folder) ? readdirSync(folder).filter((n) => !n.endsWith('.part')) : []).toEqual([]);
      await device.call('export.resume', { id: started.id });
      await device.core.exports.idle();
      const resumed = (await device.call<ExportStatus[]>('export.list'))[0];
      expect(resumed).toMatchObject({ state: 'done', failures: [] });
      expect(readdirSync(folder)).toHaveLength(resumed?.filesTotal ?? -1);
    } finally {
      await device.close();
    }
  });

  it('an album comes as PhotoPrism zips it: every member original, named by date and title', async () => {
    const album = pp.admin.snapshot().albums.find((al) => al.PhotoUIDs.length > 0 && al.DeletedAt === null);
    if (!album) throw new Error('no album with photos');
    const folder = join(a.dir, 'albums');
    mkdirSync(folder, { recursive: true });
    const device = await makeDevice({ name: 'export-album', photoprism: pp, exportFolder: folder });
    try {
      // A file of that name is there already: the zip gets "(2)", the old file stays.
      writeFileSync(join(folder, `${album.Title}.zip`), 'mine');
      const done = await (async () => {
        const s = await device.call<ExportStatus>('export.album', { albumUid: album.UID });
        await device.core.exports.idle();
        return (await device.call<ExportStatus[]>('export.list')).find((x) => x.id === s.id);
      })();
      expect(done).toMatchObject({ state: 'done', filesDone: 1 });
      expect(readFileSync(join(folder, `${album.Title}.zip`), 'utf8')).toBe('mine');
      const zip = readStoredZip(readFileSync(join(folder, `${album.Title} (2).zip`)));
      const members = pp.admin
        .snapshot()
        .photos.filter((p) => album.PhotoUIDs.includes(p.UID) && !p.Private && !p.Archived && p.Quality >= 3);
      const expected = (await Promise.all(members.map((p) => originals(pp, p.UID)))).flat().filter((f) => f.Root !== 'sidecar');
      expect(zip.size).toBe(expected.length);
      for (const entry of zip.keys()) expect(entry).toMatch(/^\d{8}-\d{6}-[A-Za-z0-9-]+( \(\d+\))?\.\w+$|^[0-9a-f]{40}\.\w+$/);
      const entries = [...zip.values()];
      for (const file of expected) expect(entries.some((entry) => entry.equals(file.bytes))).toBe(true);
    } finally {
      await device.close();
    }
  });

  it('Show in Finder reveals the folder the export went to, in the Mac app only', async () => {
    const revealed: string[] = [];
    const folder = join(a.dir, 'revealed');
    const mac = await makeDevice({
      name: 'export-reveal',
      photoprism: pp,
      exportFolder: folder,
      revealInFinder: (path) => revealed.push(path),
    });
    try {
      const photos = (await mac.call<LibraryPage>('library.query', { view: { kind: 'all' }, offset: 0, limit: 1 })).photos;
      const started = await mac.call<ExportStatus>('export.photos', { uids: photos.map((p) => p.uid) });
      await mac.core.exports.idle();
      expect(await mac.call('export.reveal', { id: started.id })).toEqual({});
      expect(revealed).toEqual([folder]);
      // An export no longer listed says so instead of opening anything.
      await mac.call('export.dismiss', { id: started.id });
      await expect(mac.call('export.reveal', { id: started.id })).rejects.toMatchObject({ kind: 'not-found' });
      expect(revealed).toHaveLength(1);
    } finally {
      await mac.close();
    }
    // The web shell has no Finder to open: refused, nothing revealed.
    const started = await a.call<ExportStatus>('export.photos', {
      uids: (await a.call<LibraryPage>('library.query', { view: { kind: 'all' }, offset: 0, limit: 1 })).photos.map((p) => p.uid),
    });
    await a.core.exports.idle();
    await expect(a.call('export.reveal', { id: started.id })).rejects.toMatchObject({ kind: 'bad-request' });
  });
});
