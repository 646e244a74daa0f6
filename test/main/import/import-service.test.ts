import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportStatus } from '../../../shared/import/schemas';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { makeDevice, type TestDevice } from '../../helpers/devices';
import { downloadOriginals, writeImportFiles } from '../../helpers/import-files';

let emu: PhotoPrismEmulator | undefined;
let device: TestDevice | undefined;
let dir: string | undefined;

afterEach(async () => {
  await device?.close();
  await emu?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  emu = undefined;
  device = undefined;
  dir = undefined;
});

async function setUp(): Promise<{ emu: PhotoPrismEmulator; device: TestDevice; dir: string }> {
  emu = await startPhotoPrismEmulator({ photos: 20, albums: 2, seed: 5 });
  device = await makeDevice({ name: 'import', photoprism: emu });
  dir = mkdtempSync(join(tmpdir(), 'pf-import-'));
  return { emu, device, dir };
}

/** The item at `index`, which the test knows is there. */
function at<T>(items: readonly T[], index: number): T {
  const item = items[index];
  if (item === undefined) throw new Error(`no item ${index}`);
  return item;
}

/** Wait until the import is no longer running (main pushes progress; polling the status is enough here). */
async function settled(device: TestDevice): Promise<ImportStatus> {
  for (;;) {
    const status = await device.call<ImportStatus>('import.status');
    if (!status.active) return status;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('import', () => {
  it('uploads a folder into an album: byte-identical originals on the server, the album and cache have them, events carry UIDs only', async () => {
    const { emu, device, dir } = await setUp();
    const files = writeImportFiles(join(dir, 'Card'), 5, 300_000);
    writeFileSync(join(dir, 'Card', '.DS_Store'), 'finder');
    const album = at(emu.admin.snapshot().albums, 0);

    await device.call('import.start', { paths: [join(dir, 'Card')], albumUid: album.UID });
    const status = await settled(device);

    expect(status.files.map((f) => [f.name, f.state])).toEqual(files.map((f) => [join('Card', f.name), 'imported']));
    expect(status.summary).toContain('5 files imported');
    // The renderer sees names relative to what was chosen, never the full path.
    expect(JSON.stringify(status)).not.toContain(dir);
    // Buffer.equals, not toEqual: a deep compare of 300 KB buffers takes vitest seconds.
    const originals = await downloadOriginals(
      emu,
      files.map((f) => f.sha1),
    );
    expect(originals.map((bytes, i) => bytes.equals(readFileSync(at(files, i).path)))).toEqual(files.map(() => true));
    const snapshot = emu.admin.snapshot();
    const imported = snapshot.photos.filter((p) => p.Files.some((f) => files.some((x) => x.sha1 === f.Hash)));
    expect(imported).toHaveLength(5);
    expect(snapshot.albums.find((a) => a.UID === album.UID)?.PhotoUIDs).toEqual(expect.arrayContaining(imported.map((p) => p.UID)));
    // One POST per file, each with a Content-Length (streamed, not chunked), then one PUT.
    const posts = emu.requests.filter((r) => r.method === 'POST' && r.path.includes('/upload/'));
    expect(posts).toHaveLength(5);
    for (const post of posts) expect(Number(post.headers['content-length'])).toBeGreaterThan(300_000);
    expect(emu.requests.filter((r) => r.method === 'PUT' && r.path.includes('/upload/'))).toHaveLength(1);
    // The cache shows them in the album (it catches up right after the import).
    await expect
      .poll(async () => {
        const page = await device.call<{ photos: Array<{ uid: string }> }>('library.query', {
          view: { kind: 'album', albumUid: album.UID },
          offset: 0,
          limit: 500,
        });
        return imported.every((p) => page.photos.some((i) => i.uid === p.UID));
      })
      .toBe(true);
    const recordedEvents = async () => {
      const activity = await device.call<Array<{ event: { event: string; data: { entities: Array<Record<string, string>> } } | null }>>(
        'activity.recent',
        { limit: 10 },
      );
      return activity.map((a) => a.event).filter((e) => e !== null);
    };
    await expect.poll(recordedEvents).toEqual(
      expect.arrayContaining([
        { event: 'photos.updated', data: { entities: expect.arrayContaining(imported.map((p) => ({ UID: p.UID }))) } },
        { event: 'albums.updated', data: { entities: [{ UID: album.UID }] } },
      ]),
    );
  });

  it('photos PhotoPrism imports into Review are said to be in Review (not skipped, not plainly imported)', async () => {
    const { emu, device, dir } = await setUp();
    emu.transferSwitches.uploadsWithoutMetadata = true;
    const [screenshot] = writeImportFiles(dir, 1, 10_000, 'Screenshot');
    writeFileSync(join(dir, 'clip.mp4'), 'not a real video');
    await device.call('import.start', { paths: [join(dir, 'Screenshot_0001.jpg'), join(dir, 'clip.mp4')], albumUid: null });
    const status = await settled(device);
    // Images without a date, place or size score below 3 (Review); videos score at least 3 (QualityScore).
    expect(status.files.map((f) => [f.name, f.state])).toEqual([
      ['Screenshot_0001.jpg', 'in-review'],
      ['clip.mp4', 'imported'],
    ]);
    expect(status.files[0]?.message).toContain('Review');
    expect(status.summary).toBe('2 files imported, 1 of them in Review');
    const inReview = emu.admin.snapshot().photos.find((p) => p.Files.some((f) => f.Hash === screenshot?.sha1));
    expect(inReview?.Quality).toBeLessThan(3);
  });

  it('says what the server refuses, and a retry sends the file again once the cause is gone', async () => {
    const { emu, device, dir } = await setUp();
    const file = at(writeImportFiles(dir, 1, 10_000), 0);
    emu.transferSwitches.uploadDisabled = true;
    await device.call('import.start', { paths: [file.path], albumUid: null });
    let status = await settled(device);
    expect(status.files[0]).toMatchObject({ state: 'failed', message: expect.stringContaining('does not take uploads') });

    emu.transferSwitches.uploadDisabled = false;
    await device.call('import.retry', { fileId: at(status.files, 0).id });
    status = await settled(device);
    expect(at(status.files, 0).state).toBe('imported');
    const originals = await downloadOriginals(emu, [file.sha1]);
    expect(at(originals, 0).equals(readFileSync(file.path))).toBe(true);
  });

  it.each([
    ['rejectNsfw', 'possibly offensive'],
    ['diskFull', 'could not save the file'],
    ['proxyBodyLimitBytes', 'larger than the server accepts'],
    ['importDisabled', 'importing is turned off'],
  ] as const)('with the server switch %s the file fails with a message saying so', async (switchName, words) => {
    const { emu, device, dir } = await setUp();
    const file = at(writeImportFiles(dir, 1, 10_000, 'nsfw'), 0);
    if (switchName === 'proxyBodyLimitBytes') emu.transferSwitches.proxyBodyLimitBytes = 1000;
    else emu.transferSwitches[switchName] = true;
    await device.call('import.start', { paths: [file.path], albumUid: null });
    const status = await settled(device);
    expect(status.files[0]).toMatchObject({ state: 'failed', message: expect.stringContaining(words) });
    expect(emu.admin.snapshot().photos.some((p) => p.Files.some((f) => f.Hash === file.sha1))).toBe(false);
  });

  it('skips what PhotoPrism does not import (by name, unsent), marks duplicates, and cancels a queued file', async () => {
    const { emu, device, dir } = await setUp();
    const files = writeImportFiles(dir, 4, 50_000);
    writeFileSync(join(dir, 'notes.docx'), 'not a photo');
    await device.call('import.start', { paths: [at(files, 0).path], albumUid: null });
    await settled(device);
    await device.call('import.clear');

    // Two upload at once; the fourth waits in the queue and can be cancelled before it is sent.
    const started = await device.call<ImportStatus>('import.start', {
      paths: [...files.map((f) => f.path), join(dir, 'notes.docx')],
      albumUid: null,
    });
    const queued = at(
      started.files.filter((f) => f.name === at(files, 3).name),
      0,
    );
    expect(queued.state).toBe('queued');
    await device.call('import.cancel', { fileId: queued.id });
    const status = await settled(device);
    const byName = Object.fromEntries(status.files.map((f) => [f.name, f]));
    expect(byName[at(files, 0).name]).toMatchObject({ state: 'duplicate' });
    expect(byName[at(files, 1).name]).toMatchObject({ state: 'imported' });
    expect(byName[at(files, 3).name]).toMatchObject({ state: 'cancelled' });
    expect(byName['notes.docx']).toMatchObject({ state: 'skipped', message: expect.stringContaining('does not import') });
    const uploadedNames = emu.requests.filter((r) => r.method === 'POST' && r.path.includes('/upload/')).length;
    expect(uploadedNames).toBe(1 + 3);
    expect(emu.admin.snapshot().photos.some((p) => p.Files.some((f) => f.Hash === at(files, 3).sha1))).toBe(false);
  });

  it('refuses malformed requests with a clear error and crashes nothing', async () => {
    const { device } = await setUp();
    await expect(device.call('import.start', { paths: [], albumUid: null })).rejects.toMatchObject({ kind: 'bad-request' });
    await expect(device.call('import.start', { paths: ['/nonexistent/x.jpg'], albumUid: 'nope' })).rejects.toMatchObject({
      kind: 'bad-request',
    });
    await expect(device.call('import.retry', { fileId: 'x' })).rejects.toMatchObject({ kind: 'not-found' });
    await expect(device.call('import.choose', { albumUid: null })).rejects.toMatchObject({ kind: 'bad-request' });
    const status = await device.call<ImportStatus>('import.start', { paths: ['/nonexistent/x.jpg'], albumUid: null });
    expect(status.files[0]).toMatchObject({ state: 'failed', message: expect.stringContaining('could not read') });
  });
});
