import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { StaticSignInFlow } from '../../main/cloudkit/sign-in';
import { spawn } from 'node:child_process';
import { compose } from '../../main/compose';
import { chooseShell, findElectronBinary } from '../../main/launcher/electron-binary';
import { DEMO_PHOTOPRISM_ENV } from '../../main/launcher/demo-env';
import { createLogger } from '../../main/log/logger';
import { profileDir, profileFromArgv } from '../../main/profile/profile';
import { FileSecretStore } from '../../main/secrets/file-secret-store';
import { thumbnailRoute } from '../../main/thumbnails/thumbnail-route';
import { videoRoute } from '../../main/thumbnails/video-route';
import { closeOnSignals } from '../../main/webshell/cli';
import { startWebShell } from '../../main/webshell/server';
import { readAppVersion } from '../../main/version';
import { startCloudKitEmulator } from '../emulators/cloudkit';
import { photoflareSchema } from '../emulators/cloudkit/photoflare-schema';
import { startPhotoPrismEmulator } from '../emulators/photoprism';

/**
 * `npm run demo [-- --profile second]`: the whole product on one machine, no server needed.
 *
 * The first run starts the PhotoPrism emulator (a generated library) and the CloudKit emulator
 * on fixed loopback ports, then the app (the web shell here; see README for the Mac app) signed
 * in to both with iCloud Sync on. A second run with another profile finds the emulators running
 * and starts a second "device" against them: favourite a photo in one window and watch it
 * appear in the other.
 */
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const PHOTOPRISM_PORT = Number(process.env['PHOTOFLARE_DEMO_PHOTOPRISM_PORT'] ?? 47_300);
const PHOTOPRISM_ADMIN_PORT = PHOTOPRISM_PORT + 1;
const CLOUDKIT_PORT = Number(process.env['PHOTOFLARE_DEMO_CLOUDKIT_PORT'] ?? 47_310);
const ICLOUD_USER = 'demo';

const CloudKitInfo = z.object({ url: z.string(), containerId: z.string(), apiToken: z.string() });
const SignedIn = z.object({ ckWebAuthToken: z.string() });

/** The running emulators: ours if we started them, or the first demo's. */
async function emulators(log: ReturnType<typeof createLogger>): Promise<{
  photoprismUrl: string;
  credentials: { username: string; password: string };
  cloudkit: z.infer<typeof CloudKitInfo>;
  started: boolean;
}> {
  const photoprismUrl = `http://127.0.0.1:${PHOTOPRISM_PORT}`;
  const cloudkitUrl = `http://127.0.0.1:${CLOUDKIT_PORT}`;
  try {
    const info = CloudKitInfo.parse(await (await fetch(`${cloudkitUrl}/_admin/info`)).json());
    await fetch(`${photoprismUrl}/api/v1/status`);
    log.info('found the demo emulators running: starting another device');
    return { photoprismUrl, credentials: { username: 'admin', password: 'photoprism' }, cloudkit: info, started: false };
  } catch {
    // Not running yet: this is the first device, so start them here.
  }
  const photos = Number(valueOf('--photos') ?? 2_000);
  const photoprism = await startPhotoPrismEmulator({
    port: PHOTOPRISM_PORT,
    adminPort: PHOTOPRISM_ADMIN_PORT,
    photos,
    albums: 12,
    seed: 7,
  });
  const cloudkit = await startCloudKitEmulator({ port: CLOUDKIT_PORT, recordTypes: photoflareSchema() });
  process.on('exit', () => {
    void photoprism.close();
    void cloudkit.close();
  });
  return {
    photoprismUrl: photoprism.url,
    credentials: photoprism.credentials,
    cloudkit: { url: cloudkit.url, containerId: cloudkit.containerId, apiToken: cloudkit.apiToken },
    started: true,
  };
}

/**
 * The demo in the Electron app: the same emulators, the app signs in to the demo PhotoPrism
 * server by itself and opens the CloudKit emulator's sign-in page once (one click). The
 * emulator sends the browser back to the callback the app's sign-in window watches for.
 */
function runElectron(binary: string, profile: string, dataRoot: string, env: Awaited<ReturnType<typeof emulators>>): void {
  const callback = `${env.cloudkit.url}/_demo/icloud-callback`;
  void fetch(`${env.cloudkit.url}/_admin/sign-in-callback`, { method: 'POST', body: JSON.stringify({ url: callback }) });
  const child = spawn(binary, [ROOT, '--profile', profile], {
    stdio: 'inherit',
    env: {
      ...process.env,
      PHOTOFLARE_DATA_DIR: dataRoot,
      PHOTOFLARE_CLOUDKIT_URL: env.cloudkit.url,
      PHOTOFLARE_CLOUDKIT_CONTAINER: env.cloudkit.containerId,
      PHOTOFLARE_CLOUDKIT_API_TOKEN: env.cloudkit.apiToken,
      PHOTOFLARE_CLOUDKIT_CALLBACK_URL: callback,
      [DEMO_PHOTOPRISM_ENV]: JSON.stringify({ url: env.photoprismUrl, ...env.credentials }),
    },
  });
  process.stdout.write(
    `\nPhotoflare demo — device "${profile}" in the Mac app.\n` +
      `Sign in to iCloud when the (emulated) Apple page opens. For a second device:\n\n  npm run demo -- --profile second\n\n`,
  );
  child.on('exit', (code) => process.exit(code ?? 0));
}

function valueOf(flag: string): string | undefined {
  const index = process.argv.indexOf(flag);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

async function main(): Promise<void> {
  const log = createLogger('demo');
  const argv = process.argv.slice(2);
  const profile = profileFromArgv(argv) === 'default' ? 'demo' : profileFromArgv(argv);
  const env = await emulators(log);

  // Demo data lives apart from real profiles; the first device starts from a clean slate
  // because the emulators it just started are fresh too.
  const dataRoot = process.env['PHOTOFLARE_DATA_DIR'] ?? join(tmpdir(), 'photoflare-demo');
  if (env.started) rmSync(dataRoot, { recursive: true, force: true });
  const dir = profileDir(dataRoot, profile);

  // Where Electron can run (a Mac with its binary), the demo is the real app.
  const binary = findElectronBinary(ROOT);
  if (chooseShell({ binary, platform: process.platform, env: process.env }).shell === 'electron' && binary) {
    runElectron(binary, profile, dataRoot, env);
    return;
  }

  const core = compose({
    profile,
    profileDir: dir,
    shell: 'web',
    version: readAppVersion(join(ROOT, 'package.json')),
    log,
    secrets: new FileSecretStore({ path: join(dir, 'secrets.json'), log: log.child('secrets') }),
    cloudkit: {
      config: {
        baseUrl: env.cloudkit.url,
        containerId: env.cloudkit.containerId,
        environment: 'development',
        apiToken: env.cloudkit.apiToken,
      },
      // The emulator's sign-in page, answered for the demo's iCloud user without a browser.
      signIn: new StaticSignInFlow(async () => {
        const response = await fetch(`${env.cloudkit.url}/_admin/sign-in`, {
          method: 'POST',
          body: JSON.stringify({ userName: ICLOUD_USER }),
        });
        return SignedIn.parse(await response.json()).ckWebAuthToken;
      }),
      intervalMs: 60_000,
      debounceMs: 300,
    },
  });

  const sender = { trusted: true, description: 'demo launcher' } as const;
  const signedIn = await core.dispatch('connection.signIn', { serverUrl: env.photoprismUrl, ...env.credentials }, sender);
  if (!signedIn.ok) throw new Error(`Could not sign in to the PhotoPrism emulator: ${signedIn.error.message}`);
  const synced = await core.dispatch('sync.signIn', {}, sender);
  if (!synced.ok) throw new Error(`Could not sign in to the CloudKit emulator: ${synced.error.message}`);

  const shell = await startWebShell({
    core,
    staticDir: join(ROOT, 'dist', 'renderer'),
    routes: [thumbnailRoute(core.thumbnails), videoRoute(core.videos)],
    log,
  });

  process.stdout.write(
    `\nPhotoflare demo — device "${profile}"\n\n` +
      `  PhotoPrism emulator: ${env.photoprismUrl}  (user ${env.credentials.username} / ${env.credentials.password})\n` +
      `  CloudKit emulator:   ${env.cloudkit.url}  (iCloud user "${ICLOUD_USER}")\n\n` +
      `Open this device in your browser:\n\n  ${shell.url}\n\n` +
      (env.started
        ? `Start a second device in another terminal and open its address too:\n\n  npm run demo -- --profile second\n\n` +
          `Favourite a photo (press F) in one window and watch it turn up in the other.\n`
        : `This is another device on the same emulators: changes sync both ways.\n`) +
      `Press Ctrl+C to quit${env.started ? ' (this also stops the emulators)' : ''}.\n`,
  );

  closeOnSignals(shell, core);
}

main().catch((error: unknown) => {
  process.stderr.write(`The demo could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
