import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import Module, { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RELEASE_API_TOKEN_PLACEHOLDER, RELEASE_CONFIG } from '../../main/build-config/release-config';
import { startCloudKitEmulator, type CloudKitEmulator } from '../emulators/cloudkit';
import { createFakeElectron, FakeBrowserWindow } from '../main/window/fake-electron';

/**
 * The BUILT main bundle (dist/main/index.cjs as .build/build-electron.mjs makes it), run under
 * plain Node with Electron faked: a release build ignores every PHOTOFLARE_* variable and talks
 * to the production container baked in from main/build-config/release-config.ts; a development
 * build follows the environment (the control that proves this test can fail).
 * See [Note: Release and development builds].
 */
const ROOT = join(__dirname, '..', '..');
const work = mkdtempSync(join(tmpdir(), 'packaged-config-'));
const nodeRequire = createRequire(__filename);
const BETTER_SQLITE3 = nodeRequire.resolve('better-sqlite3');
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function buildInto(outdir: string, mode: 'production' | 'development') {
  const result = spawnSync(process.execPath, [join(ROOT, '.build', 'build-electron.mjs'), '--outdir', outdir, '--mode', mode], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, bundle: join(outdir, 'main', 'index.cjs') };
}

let production: ReturnType<typeof buildInto>;
let development: ReturnType<typeof buildInto>;
let cloudkit: CloudKitEmulator;
let photoprism: Server;
let photoprismRequests: string[];
let env: Record<string, string>;

beforeAll(async () => {
  production = buildInto(join(work, 'production'), 'production');
  development = buildInto(join(work, 'development'), 'development');
  cloudkit = await startCloudKitEmulator();
  photoprismRequests = [];
  photoprism = createServer((request, response) => {
    photoprismRequests.push(`${request.method ?? ''} ${request.url ?? ''}`);
    response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"Invalid credentials"}');
  });
  await new Promise<void>((resolve) => photoprism.listen(0, '127.0.0.1', resolve));
  const photoprismUrl = `http://127.0.0.1:${(photoprism.address() as AddressInfo).port}`;
  env = {
    PHOTOFLARE_DATA_DIR: join(work, 'env-data-dir'),
    PHOTOFLARE_CLOUDKIT_URL: cloudkit.url,
    PHOTOFLARE_CLOUDKIT_CONTAINER: cloudkit.containerId,
    PHOTOFLARE_CLOUDKIT_API_TOKEN: cloudkit.apiToken,
    PHOTOFLARE_CLOUDKIT_ENVIRONMENT: 'development',
    PHOTOFLARE_CLOUDKIT_CALLBACK_URL: `${cloudkit.url}/_demo/icloud-callback`,
    PHOTOFLARE_DEMO_PHOTOPRISM: JSON.stringify({ url: photoprismUrl, username: 'admin', password: 'photoprism' }),
  };
}, 240_000);

afterAll(async () => {
  await cloudkit.close();
  await new Promise((resolve) => photoprism.close(resolve));
  rmSync(work, { recursive: true, force: true });
});

const savedArgv = process.argv;
const savedFetch = globalThis.fetch;
type Loader = (request: string, parent: unknown, isMain: boolean) => unknown;
const moduleInternals = Module as unknown as { _load: Loader };
const savedLoad = moduleInternals._load;
afterEach(() => {
  process.argv = savedArgv;
  globalThis.fetch = savedFetch;
  moduleInternals._load = savedLoad;
  vi.unstubAllEnvs();
});

/** Load a built bundle with `electron` faked and every fetch recorded (only loopback ones go out). */
async function launch(bundle: string, options: { isPackaged: boolean }) {
  const fake = createFakeElectron();
  fake.app.isPackaged = options.isPackaged;
  const appData = mkdtempSync(join(work, 'app-data-'));
  fake.app.paths.set('appData', appData);
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  process.argv = ['/Applications/Photoflare.app/Contents/MacOS/Photoflare'];

  const fetched: string[] = [];
  globalThis.fetch = (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    fetched.push(url);
    // No test talks to the internet: Apple's endpoint is recorded, then refused like an offline Mac.
    if (new URL(url).hostname !== '127.0.0.1') return Promise.reject(new TypeError('fetch failed'));
    return savedFetch(input, init);
  };
  moduleInternals._load = function load(this: unknown, request, parent, isMain) {
    if (request === 'electron') return fake;
    // The bundle keeps better-sqlite3 external (electron-builder packs it); resolve it from here.
    return savedLoad.call(this, request === 'better-sqlite3' ? BETTER_SQLITE3 : request, parent, isMain);
  };
  // The development bundle runs twice (packaged and not): load it afresh each time.
  Reflect.deleteProperty(nodeRequire.cache, bundle);
  nodeRequire(bundle);
  fake.app.becomeReady();
  for (let i = 0; i < 20 && FakeBrowserWindow.instances.length === 0; i++) await tick();
  const window = FakeBrowserWindow.instances[0];
  if (!window) throw new Error('the built app created no window');
  const sender = { sender: window.webContents, senderFrame: window.webContents.mainFrame };
  const invoke = (channel: string, request: unknown) => fake.ipcMain.handlers.get(channel)?.(sender, request);
  const quit = async () => {
    fake.app.quit();
    for (let i = 0; i < 200 && fake.app.calls.at(-1) !== 'exited'; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fake.app.calls.at(-1), 'the app did not finish quitting').toBe('exited');
  };
  return { fake, appData, fetched, invoke, quit };
}

/** Wait (bounded by count, not time) until `done()` holds. */
async function until(done: () => boolean) {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('the built main bundle', () => {
  it('builds in both modes', () => {
    expect(production.code, production.stderr).toBe(0);
    expect(production.stdout).toContain('production (iCloud container iCloud.app.photoflare.desktop, environment production)');
    expect(development.code, development.stderr).toBe(0);
  });

  it('`npm run dist:mac` (--require-release-token) refuses to build while the API token is a placeholder', () => {
    const result = spawnSync(
      process.execPath,
      [join(ROOT, '.build', 'build-electron.mjs'), '--outdir', join(work, 'release'), '--require-release-token'],
      { cwd: ROOT, encoding: 'utf8', timeout: 180_000 },
    );
    if (RELEASE_CONFIG.cloudkit.apiToken === RELEASE_API_TOKEN_PLACEHOLDER) {
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('placeholder CloudKit API token');
    } else {
      expect(result.status, result.stderr).toBe(0);
    }
  });

  it.each([
    ['packaged', true],
    ['run from a folder', false],
  ])(
    'a production build (%s) ignores PHOTOFLARE_* and syncs with the production configuration',
    async (_how, isPackaged) => {
      const app = await launch(production.bundle, { isPackaged });
      try {
        // Its data lives in Application Support, not in PHOTOFLARE_DATA_DIR.
        expect(app.fake.app.getPath('userData')).toBe(join(app.appData, 'Photoflare', 'profiles', 'default', 'electron'));

        // iCloud: Apple's production endpoint for the baked-in container and API token; never the emulator.
        const result = await app.invoke('sync.signIn', {});
        expect(result).toMatchObject({ ok: false });
        const apple = app.fetched.map((url) => new URL(url)).filter((url) => url.hostname === 'api.apple-cloudkit.com');
        expect(apple.map((url) => url.pathname)).toContain(
          `/database/1/${RELEASE_CONFIG.cloudkit.containerId}/production/public/users/caller`,
        );
        for (const url of apple) {
          expect(url.protocol).toBe('https:');
          expect(url.pathname).toContain(`/${RELEASE_CONFIG.cloudkit.containerId}/production/`);
          expect(url.searchParams.get('ckAPIToken')).toBe(RELEASE_CONFIG.cloudkit.apiToken);
        }
        expect(app.fetched.filter((url) => url.startsWith(cloudkit.url))).toEqual([]);

        // No demo sign-in: the "demo PhotoPrism server" named in the environment hears nothing.
        await until(() => photoprismRequests.length > 0);
        expect(photoprismRequests).toEqual([]);
      } finally {
        await app.quit();
      }
    },
    60_000,
  );

  it('a development build run from the project follows PHOTOFLARE_* (the control)', async () => {
    photoprismRequests.length = 0;
    const app = await launch(development.bundle, { isPackaged: false });
    try {
      expect(app.fake.app.getPath('userData')).toBe(join(env['PHOTOFLARE_DATA_DIR'] ?? '', 'profiles', 'default', 'electron'));
      // The demo sign-in reaches the demo server named in the environment (and is refused there).
      await until(() => photoprismRequests.length > 0);
      expect(photoprismRequests.length).toBeGreaterThan(0);
      // iCloud goes to the emulator; sign-in then waits for the (fake) sign-in window, so do not await it.
      void app.invoke('sync.signIn', {});
      await until(() => app.fetched.some((url) => url.includes('/users/caller')));
      expect(app.fetched).toContainEqual(
        expect.stringContaining(`${cloudkit.url}/database/1/${cloudkit.containerId}/development/public/users/caller`),
      );
      expect(app.fetched.some((url) => new URL(url).hostname === 'api.apple-cloudkit.com')).toBe(false);
    } finally {
      await app.quit();
    }
  }, 60_000);

  it('a development build that got packaged ignores PHOTOFLARE_* too', async () => {
    photoprismRequests.length = 0;
    const app = await launch(development.bundle, { isPackaged: true });
    try {
      expect(app.fake.app.getPath('userData')).toBe(join(app.appData, 'Photoflare', 'profiles', 'default', 'electron'));
      await app.invoke('sync.signIn', {});
      expect(app.fetched.some((url) => new URL(url).hostname === 'api.apple-cloudkit.com')).toBe(true);
      expect(app.fetched.filter((url) => url.startsWith(cloudkit.url))).toEqual([]);
      await until(() => photoprismRequests.length > 0);
      expect(photoprismRequests).toEqual([]);
    } finally {
      await app.quit();
    }
  }, 60_000);
});
