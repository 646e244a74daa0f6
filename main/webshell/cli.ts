import { importStagingRoute } from '../import/staging-route';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compose, type Core } from '../compose';
import { installCrashGuard } from '../lifecycle/crash-guard';
import { logFileName, RotatingFileSink, teeSink } from '../log/file-sink';
import { createLogger, stderrSink } from '../log/logger';
import { defaultDataRoot, profileDir, profileFromArgv } from '../profile/profile';
import { FileSecretStore } from '../secrets/file-secret-store';
import { thumbnailRoute } from '../thumbnails/thumbnail-route';
import { originalRoute } from '../thumbnails/original-route';
import { originalDownloadRoute } from '../export/original-download';
import { videoRoute } from '../thumbnails/video-route';
import { readAppVersion } from '../version';
import { cloudKitConfigFromEnv } from './cloudkit-env';
import { WebShellSignInFlow } from './icloud-sign-in';
import { startWebShell, type WebShell } from './server';

/** Repository root, from this file's place in main/webshell/. */
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** `--port N` (default: an ephemeral port). */
function portFromArgv(argv: readonly string[]): number {
  const index = argv.indexOf('--port');
  const raw = index >= 0 ? argv[index + 1] : undefined;
  if (raw === undefined) return 0;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a number from 0 to 65535, not "${raw}".`);
  }
  return port;
}

/**
 * Run the app as the web shell: compose the core, serve the renderer, print the URL.
 *
 * This is what `npm start` runs where Electron's binary is missing.
 */
export async function runWebShell(argv: readonly string[]): Promise<void> {
  const profile = profileFromArgv(argv);
  const dir = profileDir(defaultDataRoot(), profile);
  // The web shell keeps its log in the profile folder (Settings → Download Diagnostics reads it).
  const logFile = new RotatingFileSink({ dir, fileName: logFileName(profile) });
  const log = createLogger('photoflare', { sink: teeSink(stderrSink, logFile.write) });
  installCrashGuard(process, { log, flushSync: () => logFile.flushSync() });
  const secrets = new FileSecretStore({ path: join(dir, 'secrets.json'), log: log.child('secrets') });
  // The page opens iCloud's sign-in (our begin page, then Apple's) in a tab; its redirect comes
  // back to our callback route. See [Note: iCloud callback nonce].
  let openSignIn: (path: string) => void = () => undefined;
  const signIn = new WebShellSignInFlow({ open: (path) => openSignIn(path) });
  const cloudkitConfig = cloudKitConfigFromEnv(process.env);
  const core = compose({
    profile,
    profileDir: dir,
    shell: 'web',
    version: readAppVersion(join(ROOT, 'package.json')),
    log,
    logFile,
    secrets,
    cloudkit: cloudkitConfig ? { config: cloudkitConfig, signIn } : undefined,
  });
  const shell = await startWebShell({
    core,
    staticDir: join(ROOT, 'dist', 'renderer'),
    port: portFromArgv(argv),
    routes: [
      thumbnailRoute(core.thumbnails),
      videoRoute(core.videos),
      originalRoute(core.originals),
      originalDownloadRoute(core.originalDownloads),
      importStagingRoute(core.imports),
      ...signIn.routes,
    ],
    log,
  });
  openSignIn = (path) => core.events.emit('sync.openSignIn', { url: `${shell.origin}${path}` });

  // The one place the secret URL is printed: on stdout for the person who ran the command.
  process.stdout.write(
    `\nPhotoflare (web shell, profile "${profile}") is running.\n` +
      `Open this address in your browser:\n\n  ${shell.url}\n\n` +
      `Data folder: ${dir}\nPress Ctrl+C to quit.\n`,
  );

  closeOnSignals(shell, core, () => logFile.flushSync());
}

/**
 * Ctrl+C (or a TERM from the OS): close the shell, then the core (database, sync) in order, once,
 * however many signals arrive; `beforeExit` writes the last log lines.
 */
export function closeOnSignals(shell: WebShell, core: Core, beforeExit: () => void = () => undefined): void {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await shell.close();
    await core.dispose();
    beforeExit();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runWebShell(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`Photoflare could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
