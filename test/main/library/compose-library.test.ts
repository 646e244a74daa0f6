import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compose, type Core } from '../../../main/compose';
import { createMemoryLogger } from '../../../main/log/logger';
import { MemorySecretStore } from '../../../main/secrets/secret-store';
import type { ConnectionStatus, LibraryPage } from '../../../shared/library/schemas';
import { thumbnailPath } from '../../../shared/library/schemas';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { eventually } from './helpers';

const sender = { trusted: true, description: 'test' };
let emu: PhotoPrismEmulator;
let dir: string;
let core: Core;
let secrets: MemorySecretStore;

const make = () =>
  compose({
    profile: 'test',
    profileDir: dir,
    shell: 'web',
    version: '0.0.0',
    log: createMemoryLogger(),
    secrets,
    photoprism: { libraryOptions: { createLiveEvents: null } },
  });

async function call<T>(channel: string, request: unknown = {}): Promise<T> {
  const result = await core.dispatch(channel, request, sender);
  if (!result.ok) throw Object.assign(new Error(result.error.message), { kind: result.error.kind });
  return result.value as T;
}

beforeEach(async () => {
  emu = await startPhotoPrismEmulator({ photos: 60, albums: 3 });
  dir = mkdtempSync(join(tmpdir(), 'pf-compose-'));
  secrets = new MemorySecretStore();
  core = make();
});
afterEach(async () => {
  await core.dispose();
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('compose(): connection and library channels end to end', () => {
  it('probe → sign in → indexed library → pages, months, albums, details, thumbnails', async () => {
    expect((await call<ConnectionStatus>('connection.status')).state).toBe('signed-out');
    const probe = await call<{ serverVersion: string | null }>('connection.probe', { serverUrl: emu.url });
    expect(probe.serverVersion).toMatch(/^\d{6}/);
    const bad = await core.dispatch('connection.signIn', { serverUrl: emu.url, username: 'admin', password: 'nope' }, sender);
    expect(bad).toMatchObject({ ok: false, error: { kind: 'auth' } });

    const status = await call<ConnectionStatus>('connection.signIn', { serverUrl: emu.url, ...emu.credentials });
    expect(status.state).toBe('online');
    await eventually(async () => expect((await call<ConnectionStatus>('connection.status')).lastRefreshedAt).not.toBeNull());

    const counts = await call<{ all: number }>('library.counts');
    // Library = PhotoPrism's browse view: not archived, not private, not in review.
    expect(counts.all).toBe(emu.admin.snapshot().photos.filter((p) => !p.Archived && !p.Private && p.Quality >= 3).length);
    const page = await call<LibraryPage>('library.query', { view: { kind: 'all' }, offset: 0, limit: 30 });
    expect(page.photos).toHaveLength(30);
    expect(await call<unknown[]>('library.months', { view: { kind: 'all' } })).not.toHaveLength(0);
    const albums = await call<{ uid: string }[]>('library.albums');
    expect(albums.length).toBe(3);
    const uid = page.photos[0]?.uid ?? '';
    const details = await call<{ uid: string; fileName: string }>('photo.details', { uid });
    expect(details).toMatchObject({ uid });
    expect(details.fileName).not.toBe('');
    const thumb = await core.thumbnails.serve(thumbnailPath(uid, 'tile_224'));
    expect(thumb.status).toBe(200);

    // Nothing the renderer received carries a token.
    const token = secrets.get('photoprism.session') ?? 'missing';
    expect(JSON.stringify([status, page, details, albums])).not.toContain(token);

    // Malformed requests are refused by the contract, not by a crash.
    expect(await core.dispatch('photo.details', { uid: 'x' }, sender)).toMatchObject({ ok: false, error: { kind: 'bad-request' } });
    expect(await core.dispatch('photo.details', { uid: 'pzzzzzzzzzzzzzzz' }, sender)).toMatchObject({
      ok: false,
      error: { kind: 'not-found' },
    });
  });

  it('library.refresh answers at once and reports progress; the cache survives a restart offline', async () => {
    await call('connection.signIn', { serverUrl: emu.url, ...emu.credentials });
    await eventually(async () => expect((await call<ConnectionStatus>('connection.status')).lastRefreshedAt).not.toBeNull());
    await call<ConnectionStatus>('library.refresh');
    await eventually(async () => expect((await call<ConnectionStatus>('connection.status')).indexing).toBeNull());
    const before = await call<{ all: number }>('library.counts');

    await core.dispose();
    await emu.admin.goDown();
    core = make();
    await eventually(async () => expect((await call<ConnectionStatus>('connection.status')).state).toBe('offline'));
    const status = await call<ConnectionStatus>('connection.status');
    expect(status.lastRefreshedAt).not.toBeNull();
    expect(status.lastError?.kind).toBe('network');
    expect(await call('library.counts')).toEqual(before);
    expect((await call<LibraryPage>('library.query', { view: { kind: 'all' }, offset: 0, limit: 5 })).photos).toHaveLength(5);

    await call<ConnectionStatus>('connection.signOut');
    expect((await call<ConnectionStatus>('connection.status')).state).toBe('signed-out');
    expect(secrets.get('photoprism.session')).toBeUndefined();
  });

  it('app.boot answers what app.info, settings.get, connection.status, library.months and the first library.query page answer one by one', async () => {
    // Signed out: no library part (the window shows onboarding).
    expect(await call<{ library: unknown; connection: ConnectionStatus }>('app.boot', { firstPageLimit: 50 })).toMatchObject({
      library: null,
      connection: { state: 'signed-out' },
    });
    await call<ConnectionStatus>('connection.signIn', { serverUrl: emu.url, ...emu.credentials });
    await eventually(async () => expect((await call<ConnectionStatus>('connection.status')).lastRefreshedAt).not.toBeNull());

    const boot = await call<Record<string, unknown>>('app.boot', { firstPageLimit: 50 });
    const view = { kind: 'all' };
    expect(boot).toEqual({
      info: await call('app.info'),
      settings: await call('settings.get'),
      connection: await call('connection.status'),
      library: {
        months: await call('library.months', { view }),
        firstPage: await call('library.query', { view, offset: 0, limit: 50 }),
      },
    });
    expect((boot['library'] as { firstPage: LibraryPage }).firstPage.photos).toHaveLength(50);
    // The contract bounds the page like library.query's.
    expect(await core.dispatch('app.boot', { firstPageLimit: 5000 }, sender)).toMatchObject({ ok: false, error: { kind: 'bad-request' } });
  });

  it("app.boot with the page's first-screen estimate fetches those thumbnails from the server before the page asks for them", async () => {
    await call<ConnectionStatus>('connection.signIn', { serverUrl: emu.url, ...emu.credentials });
    await eventually(async () => expect((await call<ConnectionStatus>('connection.status')).lastRefreshedAt).not.toBeNull());
    const thumbnailRequests = () => emu.requests.filter((r) => r.path.startsWith('/api/v1/t/')).map((r) => r.path);
    // Without an estimate (the page was unsure of the size) nothing is fetched ahead.
    await call('app.boot', { firstPageLimit: 50 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(thumbnailRequests()).toEqual([]);

    const boot = await call<{ library: { firstPage: LibraryPage } }>('app.boot', {
      firstPageLimit: 50,
      firstScreen: { size: 'tile_224', tiles: 12 },
    });
    await eventually(() => expect(thumbnailRequests()).toHaveLength(12));
    expect(new Set(thumbnailRequests()).size).toBe(12);
    for (const path of thumbnailRequests()) expect(path).toMatch(/\/tile_224$/);
    // The page's own requests for the first 12 photos find them: not one more request to the server.
    for (const photo of boot.library.firstPage.photos.slice(0, 12))
      expect((await core.thumbnails.serve(thumbnailPath(photo.uid, 'tile_224'))).status).toBe(200);
    expect(thumbnailRequests()).toHaveLength(12);
  });
});
