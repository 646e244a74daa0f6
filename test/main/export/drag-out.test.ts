import { existsSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DragButton } from '../../../main/export/drag-out';
import { ONE_DRAG_WAIT_MS } from '../../../main/export/drag-out';
import type { DragOutResult, ExportStatus } from '../../../shared/export';
import { MAX_ONE_DRAG_PHOTOS } from '../../../shared/limits';
import type { LibraryPage } from '../../../shared/library/schemas';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { makeDevice, type TestDevice } from '../../helpers/devices';
import { FakeClock } from '../library/helpers';

/** The mouse button as main sees it (Electron: the window's input events): pressed and released by the test. */
class FakeButton implements DragButton {
  #down = false;
  readonly #listeners = new Set<() => void>();
  isDown(): boolean {
    return this.#down;
  }
  onUp(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  press(): void {
    this.#down = true;
  }
  release(): void {
    this.#down = false;
    for (const listener of [...this.#listeners]) listener();
  }
  get waiting(): number {
    return this.#listeners.size;
  }
}

/** Resolve once `check` holds (polled; the work under test runs on real I/O). */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).toBe(true);
}

/** The originals (not sidecars) PhotoPrism serves for a photo: name → bytes. */
async function originals(pp: PhotoPrismEmulator, uid: string): Promise<Map<string, Buffer>> {
  const session = await fetch(`${pp.url}/api/v1/session`, { method: 'POST', body: JSON.stringify(pp.credentials) });
  const body = (await session.json()) as { access_token: string; config: { downloadToken: string } };
  const photo = await fetch(`${pp.url}/api/v1/photos/${uid}`, { headers: { 'x-auth-token': body.access_token } });
  const files = ((await photo.json()) as { Files: Array<{ Name: string; Root: string; Hash: string }> }).Files;
  const out = new Map<string, Buffer>();
  for (const file of files.filter((f) => f.Root !== 'sidecar')) {
    const res = await fetch(`${pp.url}/api/v1/dl/${file.Hash}?t=${body.config.downloadToken}`);
    out.set(basename(file.Name), Buffer.from(await res.arrayBuffer()));
  }
  return out;
}

describe('Dragging originals out to Finder (export.dragOut)', () => {
  let pp: PhotoPrismEmulator;
  let mac: TestDevice;
  const drags: Array<readonly string[]> = [];
  const button = new FakeButton();
  const clock = new FakeClock();

  beforeAll(async () => {
    pp = await startPhotoPrismEmulator({ photos: MAX_ONE_DRAG_PHOTOS + 30, albums: 1, seed: 21, rateLimits: false });
    mac = await makeDevice({ name: 'drag-out', photoprism: pp, startFileDrag: (paths) => drags.push(paths), dragButton: button, clock });
  });
  afterAll(async () => {
    await mac?.close();
    await pp?.close();
  });

  const uidsAt = async (device: TestDevice, offset: number, limit: number) =>
    (await device.call<LibraryPage>('library.query', { view: { kind: 'all' }, offset, limit })).photos.map((p) => p.uid);

  it('a drag whose button is already up only stages the originals (an export in the panel); the next drag carries them under their real names', async () => {
    const uids = await uidsAt(mac, 0, 2);
    const first = await mac.call<DragOutResult>('export.dragOut', { uids });
    expect(first).toMatchObject({ state: 'preparing', photos: 2, why: 'released' });
    expect(drags).toEqual([]);
    // Asking again while they download points at the same export instead of fetching twice.
    const again = await mac.call<DragOutResult>('export.dragOut', { uids: [uids[1]] });
    expect(again).toEqual({ ...first, photos: 1 });
    await mac.core.exports.idle();
    const staging = join(mac.dir, 'drag-staging');
    const status = (await mac.call<ExportStatus[]>('export.list')).find((s) => first.state === 'preparing' && s.id === first.exportId);
    expect(status).toMatchObject({ state: 'done', folder: staging });

    // While a page drag is under way (mode prepare), staged photos only say so: no second drag.
    expect(await mac.call<DragOutResult>('export.dragOut', { uids, mode: 'prepare' })).toMatchObject({ state: 'ready' });
    expect(drags).toEqual([]);
    const dragged = await mac.call<DragOutResult>('export.dragOut', { uids });
    const expected = new Map([...(await originals(pp, uids[0] ?? '')), ...(await originals(pp, uids[1] ?? ''))]);
    expect(dragged).toEqual({ state: 'dragging', files: expected.size });
    expect(drags).toHaveLength(1);
    const paths = drags[0] ?? [];
    // Main chose every path: all in the profile's staging folder, named as on the server, whole.
    expect(paths.map((p) => basename(p)).sort()).toEqual([...expected.keys()].sort());
    for (const path of paths) {
      expect(path.startsWith(`${staging}/`)).toBe(true);
      expect(readFileSync(path).equals(expected.get(basename(path)) ?? Buffer.alloc(0))).toBe(true);
    }
  });

  it('a staged file removed meanwhile is fetched again instead of dragging nothing', async () => {
    const uids = await uidsAt(mac, 0, 1);
    const before = drags.length;
    const paths = (drags.at(-1) ?? []).filter((p) => existsSync(p));
    for (const path of paths) rmSync(path);
    expect(await mac.call<DragOutResult>('export.dragOut', { uids })).toMatchObject({ state: 'preparing', photos: 1 });
    expect(drags).toHaveLength(before);
  });

  it('one gesture: a drag of photos not yet staged starts natively as soon as they are, while the button is held', async () => {
    const uids = await uidsAt(mac, 2, 2);
    const before = drags.length;
    button.press();
    const result = await mac.call<DragOutResult>('export.dragOut', { uids });
    button.release();
    const expected = new Map([...(await originals(pp, uids[0] ?? '')), ...(await originals(pp, uids[1] ?? ''))]);
    expect(result).toEqual({ state: 'dragging', files: expected.size });
    expect(drags).toHaveLength(before + 1);
    const paths = drags.at(-1) ?? [];
    // Never a half-written file offered: every path is whole, under its real name, in the staging folder.
    expect(paths.map((p) => basename(p)).sort()).toEqual([...expected.keys()].sort());
    for (const path of paths) {
      expect(path.startsWith(`${join(mac.dir, 'drag-staging')}/`)).toBe(true);
      expect(readFileSync(path).equals(expected.get(basename(path)) ?? Buffer.alloc(0))).toBe(true);
    }
  });

  it('never starts the drag once the button is up: released early, the staging goes on and the next drag starts at once', async () => {
    const uids = await uidsAt(mac, 4, 1);
    const before = drags.length;
    await pp.admin.setFault({ latencyMs: 300 });
    try {
      button.press();
      const pending = mac.call<DragOutResult>('export.dragOut', { uids });
      await until(() => button.waiting > 0);
      button.release();
      expect(await pending).toMatchObject({ state: 'preparing', photos: 1, why: 'released' });
      await mac.core.exports.idle();
      expect(drags).toHaveLength(before);
    } finally {
      await pp.admin.setFault({ latencyMs: 0 });
    }
    button.press();
    expect(await mac.call<DragOutResult>('export.dragOut', { uids })).toMatchObject({ state: 'dragging' });
    button.release();
    expect(drags).toHaveLength(before + 1);
  });

  it('waits at most its budget: originals still downloading then say so and no drag starts', async () => {
    const uids = await uidsAt(mac, 5, 1);
    const before = drags.length;
    await pp.admin.setFault({ latencyMs: 300 });
    try {
      button.press();
      const pending = mac.call<DragOutResult>('export.dragOut', { uids });
      await until(() => clock.pendingDelays().includes(ONE_DRAG_WAIT_MS));
      clock.advance(ONE_DRAG_WAIT_MS);
      expect(await pending).toMatchObject({ state: 'preparing', why: 'slow' });
      await mac.core.exports.idle();
      // The originals arrived after the budget, the button still held: still no late drag.
      expect(drags).toHaveLength(before);
    } finally {
      button.release();
      await pp.admin.setFault({ latencyMs: 0 });
    }
  });

  it('a press on a selection stages it ahead of the drag, which then starts at once; a press on more than one drag carries fetches nothing', async () => {
    const uids = await uidsAt(mac, 6, 2);
    const exportsBefore = (await mac.call<ExportStatus[]>('export.list')).length;
    expect(await mac.call<DragOutResult>('export.dragOut', { uids, mode: 'prefetch' })).toMatchObject({ state: 'preparing', why: 'asked' });
    await mac.core.exports.idle();
    const before = drags.length;
    button.press();
    expect(await mac.call<DragOutResult>('export.dragOut', { uids })).toMatchObject({ state: 'dragging' });
    button.release();
    expect(drags).toHaveLength(before + 1);

    const many = await uidsAt(mac, 8, MAX_ONE_DRAG_PHOTOS + 1);
    expect(await mac.call<DragOutResult>('export.dragOut', { uids: many, mode: 'prefetch' })).toEqual({
      state: 'too-big',
      photos: MAX_ONE_DRAG_PHOTOS + 1,
    });
    expect(await mac.call<ExportStatus[]>('export.list')).toHaveLength(exportsBefore + 1);
    // Dragged anyway: no wait the button could not outlast; they are staged for the next drag, and the answer says why.
    button.press();
    const dragged = await mac.call<DragOutResult>('export.dragOut', { uids: many });
    button.release();
    expect(dragged).toMatchObject({ state: 'preparing', why: 'too-big' });
    expect(drags).toHaveLength(before + 1);
    if (dragged.state === 'preparing') await mac.call('export.cancel', { id: dragged.exportId });
    await mac.core.exports.idle();
  });

  it('refuses photos the library does not know, and the web shell, without staging anything', async () => {
    const before = (await mac.call<ExportStatus[]>('export.list')).length;
    await expect(mac.call('export.dragOut', { uids: ['pzzzzzzzzzzzzzzz'] })).rejects.toMatchObject({ kind: 'not-found' });
    // A path instead of a UID never reaches main's drag: the contract refuses it.
    await expect(mac.call('export.dragOut', { uids: ['/etc/passwd'] })).rejects.toMatchObject({ kind: 'bad-request' });
    await expect(mac.call('export.dragOut', { uids: await uidsAt(mac, 0, 1), paths: ['/etc/passwd'] })).rejects.toMatchObject({
      kind: 'bad-request',
    });
    expect(await mac.call<ExportStatus[]>('export.list')).toHaveLength(before);

    const web = await makeDevice({ name: 'drag-out-web', photoprism: pp });
    try {
      await expect(web.call('export.dragOut', { uids: await uidsAt(web, 0, 1) })).rejects.toMatchObject({ kind: 'bad-request' });
      expect(await web.call<ExportStatus[]>('export.list')).toEqual([]);
    } finally {
      await web.close();
    }
  });

  it('the staging folder is emptied when the app quits', async () => {
    const device = await makeDevice({ name: 'drag-out-quit', photoprism: pp, startFileDrag: () => undefined });
    const staging = join(device.dir, 'drag-staging');
    await device.call('export.dragOut', { uids: await uidsAt(device, 0, 1) });
    await device.core.exports.idle();
    expect(existsSync(staging)).toBe(true);
    await device.close();
    expect(existsSync(staging)).toBe(false);
  });
});
