import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StaticSignInFlow } from '../../main/cloudkit/sign-in';
import { compose, type Core } from '../../main/compose';
import { createMemoryLogger } from '../../main/log/logger';
import { FileSecretStore } from '../../main/secrets/file-secret-store';
import type { WebShell } from '../../main/webshell/server';
import type { PendingChanges } from '../../shared/ipc/contract';
import type { ConnectionStatus, PhotoDetails } from '../../shared/library/schemas';
import { startCloudKitEmulator, type CloudKitEmulator } from '../emulators/cloudkit';
import { photoflareSchema } from '../emulators/cloudkit/photoflare-schema';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../emulators/photoprism';
import { makeDevice, type TestDevice } from '../helpers/devices';
import { screenshotEverySize } from './helpers/chromium';
import { openInChromium, tileUid } from './helpers/core-session';

/**
 * Issue "Never lose a change", the offline edit queue, end to end: with PhotoPrism down, a
 * favourite (keyboard, in Chromium) and an album add are accepted and shown as waiting; the app
 * quits and starts again, still offline, and they are still waiting; the server comes back →
 * PhotoPrism has both, and the other device (through the CloudKit emulator) shows them.
 */
describe('offline edits survive a restart and reach the server and the other device', () => {
  let pp: PhotoPrismEmulator;
  let ck: CloudKitEmulator;
  let dir: string;
  let core: Core | undefined;
  let other: TestDevice;
  let shell: WebShell | undefined;
  let browser: Browser | undefined;
  let page: Page;

  const SENDER = { trusted: true, description: 'e2e' } as const;
  async function call<T>(channel: string, request: unknown = {}): Promise<T> {
    if (!core) throw new Error('no core');
    const result = await core.dispatch(channel, request, SENDER);
    if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
    return result.value as T;
  }

  /** This Mac's app: its sign-ins in a file (they survive the restart), iCloud on the emulator. */
  function startApp(): Core {
    const log = createMemoryLogger('mac');
    return compose({
      profile: 'mac',
      profileDir: dir,
      shell: 'web',
      version: '0.0.0-test',
      log,
      secrets: new FileSecretStore({ path: join(dir, 'secrets.json'), log }),
      photoprism: { libraryOptions: { createLiveEvents: null } },
      cloudkit: {
        config: { baseUrl: ck.url, containerId: ck.containerId, environment: 'development', apiToken: ck.apiToken },
        signIn: new StaticSignInFlow(() => ck.signIn('alice')),
        courier: false,
        debounceMs: 50,
        intervalMs: 60 * 60_000,
      },
    });
  }

  async function closeWindow(): Promise<void> {
    await browser?.close();
    await shell?.close();
    browser = undefined;
    shell = undefined;
  }

  beforeAll(async () => {
    pp = await startPhotoPrismEmulator({ photos: 60, albums: 2, seed: 21, rateLimits: false });
    ck = await startCloudKitEmulator({ seed: 21, recordTypes: photoflareSchema() });
    dir = mkdtempSync(join(tmpdir(), 'pf-e2e-offline-'));
    core = startApp();
    await call('connection.signIn', { serverUrl: pp.url, ...pp.credentials });
    await core.library.refresh('full');
    await call('sync.signIn');
    other = await makeDevice({ name: 'other', photoprism: pp, cloudkit: ck, iCloudUser: 'alice' });
    // The other device runs its engine on its own schedule, as the app does.
    other.core.sync?.start();
    ({ shell, browser, page } = await openInChromium(core, { width: 1440, height: 900 }));
  }, 120_000);

  afterAll(async () => {
    await closeWindow();
    await core?.dispose();
    await other?.close();
    await ck?.close();
    await pp?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  let favourite = '';
  let added = '';
  let album = '';

  it('accepts a favourite and an album add while PhotoPrism is down, and says they wait', async () => {
    await pp.admin.goDown();
    await call('library.refresh');
    await expect.poll(async () => (await call<ConnectionStatus>('connection.status')).state, { timeout: 20_000 }).toBe('offline');

    // Favourite the first photo with the keyboard, as a person would.
    await page.getByTestId('photo-grid').waitFor();
    await page.keyboard.press('ArrowRight');
    favourite = tileUid(await page.locator('[role="gridcell"][data-index="0"] img').getAttribute('src')) ?? '';
    expect(favourite).not.toBe('');
    const before = pp.admin.snapshot().photos.find((p) => p.UID === favourite)?.Favorite ?? false;
    expect(before).toBe(false);
    await page.keyboard.press('f');
    // And add another photo to an album (the picker is covered by curation.e2e.ts).
    album = pp.admin.snapshot().albums[0]?.UID ?? '';
    const members = new Set(pp.admin.snapshot().albums[0]?.PhotoUIDs);
    added = pp.admin.snapshot().photos.find((p) => !p.Archived && p.Quality >= 3 && !members.has(p.UID) && p.UID !== favourite)?.UID ?? '';
    await call('actions.addToAlbum', { albumUid: album, uids: [added] });

    await expect.poll(() => page.getByTestId('queue-status').textContent(), { timeout: 10_000 }).toContain('2 changes waiting');
    expect((await call<PhotoDetails>('photo.details', { uid: favourite })).favorite).toBe(true);

    await page.getByTestId('queue-status').click();
    await page.getByTestId('queue-waiting').waitFor();
    expect(await page.getByTestId('queue-item').allTextContents()).toEqual([
      expect.stringContaining('Favourite 1 photo'),
      expect.stringContaining('Add 1 photo to'),
    ]);
    await screenshotEverySize(page, 'offline-queue-activity');
  });

  it('still has them after quitting and starting again offline; sends them when the server is back', async () => {
    await closeWindow();
    await core?.dispose();
    core = startApp();
    await expect.poll(async () => (await call<ConnectionStatus>('connection.status')).state, { timeout: 20_000 }).toBe('offline');
    expect((await call<PendingChanges>('actions.pending')).waiting).toBe(2);
    expect((await call<PhotoDetails>('photo.details', { uid: favourite })).favorite).toBe(true);
    expect(pp.admin.snapshot().photos.find((p) => p.UID === favourite)?.Favorite).toBe(false);

    await pp.admin.goUp();
    await expect.poll(async () => (await call<PendingChanges>('actions.pending')).waiting, { timeout: 30_000 }).toBe(0);
    expect(pp.admin.snapshot().photos.find((p) => p.UID === favourite)?.Favorite).toBe(true);
    expect(pp.admin.snapshot().albums.find((a) => a.UID === album)?.PhotoUIDs).toContain(added);
  }, 60_000);

  it('the other device shows both changes after the next sync', async () => {
    await expect
      .poll(
        async () => {
          await call('sync.now');
          await other.call('sync.now');
          const details = await other.call<PhotoDetails>('photo.details', { uid: favourite });
          const member = await other.call<PhotoDetails>('photo.details', { uid: added });
          return [details.favorite, member.albums.some((a) => a.uid === album)];
        },
        { timeout: 30_000, interval: 500 },
      )
      .toEqual([true, true]);
  }, 60_000);
});
