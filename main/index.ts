import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { app, dialog, ipcMain, nativeTheme, powerMonitor, safeStorage, session, shell } from 'electron';
import { isAppError } from '../shared/errors';
import type { CommandId } from '../shared/keymap';
import { ConnectionStatus } from '../shared/library/schemas';
import { PendingChanges } from '../shared/ipc/contract';
import { photoprismLink, SyncStatus } from '../shared/sync/state';
import { BUILD_MODE, resolveAppConfig } from './build-config/app-config';
import { hasPlaceholderToken, RELEASE_CONFIG } from './build-config/release-config';
import { compose, type Core } from './compose';
import type { SenderInfo } from './ipc/handle';
import { attachWindowEvents, registerIpcHandlers } from './ipc/electron-ipc';
import { installCrashGuard, ReloadBudget } from './lifecycle/crash-guard';
import { logFileName, RotatingFileSink, teeSink } from './log/file-sink';
import { createLogger, stderrSink } from './log/logger';
import { installAppMenu } from './menu/app-menu';
import type { ShellAction } from './menu/app-menu-template';
import { devNativeBinding } from './platform/native-binding';
import { electronPaths } from './platform/paths';
import { SAFE_STORAGE_FILE, SafeStorageSecretStore } from './platform/safe-storage';
import { profileFromArgv } from './profile/profile';
import { ThumbnailService } from './thumbnails/thumbnail-service';
import { INITIAL_SYNC_STATUS, TrayService } from './tray/tray-service';
import { createAppProtocolHandler, type ThumbnailRoute } from './window/app-protocol';
import { registerAppSchemePrivileges, serveAppScheme } from './window/app-scheme';
import { ElectronSignInFlow } from './window/icloud-sign-in';
import { MainWindow } from './window/main-window';
import { hardenSession } from './window/security';
import { WINDOW_STATE_FILE } from './window/window-state';

/**
 * The Electron entry (bundled to dist/main/index.cjs): lifecycle only, no decisions.
 *
 * Order matters, and is the reason this file exists:
 * 1. before `ready`: pick the profile, point userData at it, THEN take the single-instance lock
 *    (the lock lives in userData; see [Note: One instance per profile]); sandbox every renderer;
 *    register app:// as privileged;
 * 2. on `ready`: secrets (Keychain) → compose() the core → session hardening + app:// → IPC →
 *    window → menus → menu-bar item;
 * 3. on quit: let the window close, then dispose the core (database, sync) before exiting.
 */

/** dist/main → the app root (the project folder in development, app.asar when packaged). */
const APP_ROOT = resolve(__dirname, '..', '..');

/** The menu-bar item and menus call the core's handlers directly; they are part of main. */
const MAIN_PROCESS_SENDER: SenderInfo = { trusted: true, description: 'menu-bar item' };

function fail(message: string): never {
  dialog.showErrorBox('Photoflare could not start', message);
  app.exit(1);
  throw new Error(message);
}

function main(): void {
  let profile: string;
  try {
    profile = profileFromArgv(process.argv);
  } catch (error) {
    fail(isAppError(error) ? error.message : String(error));
  }
  // A release build ignores the environment: see [Note: Release and development builds].
  const config = resolveAppConfig({ mode: BUILD_MODE, isPackaged: app.isPackaged, env: process.env });
  const paths = electronPaths({ appData: app.getPath('appData'), profile, env: config.env });
  app.setPath('userData', paths.userData);
  app.enableSandbox();
  registerAppSchemePrivileges();

  if (!app.requestSingleInstanceLock()) {
    // The running instance of this profile gets 'second-instance' and shows its window.
    app.quit();
    return;
  }

  // The log file lives where Mac apps keep theirs (~/Library/Logs/Photoflare), per profile.
  const logFile = new RotatingFileSink({ dir: app.getPath('logs'), fileName: logFileName(profile) });
  const log = createLogger(profile === 'default' ? 'photoflare' : `photoflare:${profile}`, {
    sink: teeSink(stderrSink, logFile.write),
  });
  installCrashGuard(process, { log, flushSync: () => logFile.flushSync() });
  if (!config.development && hasPlaceholderToken(RELEASE_CONFIG)) {
    log.warn('this build carries the placeholder CloudKit API token: iCloud sign-in will fail (README "Packaging")');
  }
  let core: Core | undefined;
  let window: MainWindow | undefined;
  let tray: TrayService | undefined;
  let syncStatus: SyncStatus = INITIAL_SYNC_STATUS;
  const disposers: (() => void)[] = [];

  const showWindow = () => window?.show();
  const openExternal = (url: string) => {
    // Only URLs that passed checkExternalUrl() (https, no credentials) ever reach here.
    void shell.openExternal(url).catch((error: unknown) => log.warn('could not open a link', { error }));
  };
  const runCommand = (command: CommandId) => {
    showWindow();
    core?.events.emit('menu.command', { command });
  };

  app.on('second-instance', showWindow);
  // The dock icon (or Finder) asks for the app while its window is hidden.
  app.on('activate', showWindow);
  // Closing the window hides it; the app lives on in the menu bar until the person quits.
  app.on('window-all-closed', () => undefined);
  // A crashed page is logged and reloaded (a few times at most: a page that crashes on load must
  // not spin); a crashed helper process (GPU, network, utility) is logged, Chromium restarts it.
  const reloads = new ReloadBudget();
  app.on('render-process-gone', (_event, contents, details) => {
    log.error('a window crashed', { reason: details.reason, exitCode: details.exitCode });
    if (details.reason === 'clean-exit' || contents.isDestroyed()) return;
    if (reloads.take()) contents.reload();
    else log.error('the window crashed again and again; not reloading it until it is reopened');
  });
  app.on('child-process-gone', (_event, details) => {
    log.error('a helper process stopped', { type: details.type, reason: details.reason, exitCode: details.exitCode });
  });
  app.on('web-contents-created', (_event, contents) => {
    // Defence in depth for any web contents we did not create ourselves: no <webview>, no popups.
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  app.on('before-quit', () => window?.allowClose());
  let shutdown: 'running' | 'stopping' | 'done' = 'running';
  app.on('will-quit', (event) => {
    if (shutdown === 'done') return;
    event.preventDefault();
    if (shutdown === 'stopping') return;
    shutdown = 'stopping';
    for (const dispose of disposers.splice(0).reverse()) dispose();
    tray?.dispose();
    void (core?.dispose() ?? Promise.resolve())
      .catch((error: unknown) => log.error('some services did not stop cleanly', { error }))
      .then(() => logFile.flush())
      .finally(() => {
        shutdown = 'done';
        app.quit();
      });
  });

  const start = () => {
    const secrets = new SafeStorageSecretStore({
      path: join(paths.userData, SAFE_STORAGE_FILE),
      safeStorage,
      log: log.child('secrets'),
    });
    const signIn = new ElectronSignInFlow({
      callbackUrl: config.icloudCallbackUrl,
      openExternal,
      log: log.child('icloud-sign-in'),
    });
    core = compose({
      profile,
      profileDir: paths.profileDir,
      shell: 'electron',
      version: app.getVersion(),
      log,
      logFile,
      secrets,
      cloudkit: config.cloudkit ? { config: config.cloudkit, signIn } : undefined,
      showContextMenu: (items) => window?.showContextMenu(items) ?? Promise.resolve(null),
      // File → Import…: files and folders (main walks the folders); the paths never reach the renderer.
      chooseImportPaths: async () => {
        const choice = await dialog.showOpenDialog({
          title: 'Import to PhotoPrism',
          buttonLabel: 'Import',
          properties: ['openFile', 'openDirectory', 'multiSelections'],
        });
        return choice.canceled ? null : choice.filePaths;
      },
      revealInFinder: (path) => shell.showItemInFolder(path),
      startFileDrag: (paths) => {
        window?.startFileDrag(paths).catch((error: unknown) => log.warn('the drag to Finder could not start', { error }));
      },
      dragButton: {
        isDown: () => window?.dragButton.isDown() ?? false,
        onUp: (listener) => window?.dragButton.onUp(listener) ?? (() => undefined),
      },
      // Export…: the native folder chooser (with New Folder), opened at Downloads.
      chooseExportFolder: async (title) => {
        const choice = await dialog.showOpenDialog({
          title,
          buttonLabel: 'Export',
          defaultPath: app.getPath('downloads'),
          properties: ['openDirectory', 'createDirectory'],
        });
        return choice.canceled ? null : (choice.filePaths[0] ?? null);
      },
      sqliteNativeBinding: devNativeBinding({
        appRoot: APP_ROOT,
        isPackaged: app.isPackaged,
        electronVersion: process.versions.electron ?? '',
        arch: process.arch,
      }),
    });
    const theCore = core;
    nativeTheme.themeSource = theCore.settings.get().theme;

    hardenSession(session.defaultSession, log.child('session'));
    const thumbnails: ThumbnailRoute = async (_request, path) => {
      const answer = await theCore.thumbnails.serve(`/thumbs/${path}`);
      return new Response(new Uint8Array(answer.body), { status: answer.status, headers: ThumbnailService.headers(answer) });
    };
    const videos: ThumbnailRoute = async (request, path) => {
      const answer = await theCore.videos.serve(`/videos/${path}`, request.headers.get('range') ?? undefined);
      return new Response(new Uint8Array(answer.body), { status: answer.status, headers: answer.headers });
    };
    const originals: ThumbnailRoute = async (_request, path) => {
      const answer = await theCore.originals.serve(`/originals/${path}`);
      return new Response(new Uint8Array(answer.body), { status: answer.status, headers: answer.headers });
    };
    const appFiles = createAppProtocolHandler({ rendererDir: join(APP_ROOT, 'dist', 'renderer'), thumbnails, videos, originals });
    // The window's files count as its requests (see [Note: The search index build waits for the window]),
    // and its page holds background work until the app has mounted ([Note: A page load is the window's until its app has mounted]).
    serveAppScheme(session.defaultSession, (request) =>
      theCore.screenCalls.run(async () => {
        const response = await appFiles(request);
        if (request.method === 'GET' && response.headers.get('content-type')?.startsWith('text/html')) theCore.pageLoad.pageRequested();
        return response;
      }),
    );
    disposers.push(registerIpcHandlers({ ipcMain, dispatch: theCore.dispatch, getWindow: () => window }));
    disposers.push(attachWindowEvents(theCore.events, () => window, log.child('ipc')));

    window = new MainWindow({
      preloadPath: join(APP_ROOT, 'dist', 'preload', 'index.cjs'),
      statePath: join(paths.profileDir, WINDOW_STATE_FILE),
      openExternal,
      log: log.child('window'),
    });
    const runShellAction = (action: ShellAction) => {
      if (action === 'revealLogs') {
        // The file exists once something was logged; write what is queued so Finder finds it.
        logFile.flushSync();
        shell.showItemInFolder(logFile.path);
        return;
      }
      void exportDiagnostics(theCore).catch((error: unknown) => {
        log.error('could not save the diagnostics report', { error });
        dialog.showErrorBox(
          'Photoflare could not save the diagnostics report',
          'Choose another folder and try again. Details are in the log.',
        );
      });
    };
    installAppMenu({ appName: 'Photoflare', dev: !app.isPackaged, onCommand: runCommand, onShellAction: runShellAction });

    // The menu-bar item goes through the same dispatcher as the window: one code path, one Result.
    const syncCommand = (channel: 'sync.now' | 'sync.pause' | 'sync.resume' | 'sync.status') => {
      void theCore.dispatch(channel, {}, MAIN_PROCESS_SENDER).then((result) => {
        if (!result.ok) {
          log.warn('menu-bar sync command failed', { channel, kind: result.error.kind });
          return;
        }
        const parsed = SyncStatus.safeParse(result.value);
        if (parsed.success) showStatus(parsed.data);
      });
    };
    const showStatus = (status: SyncStatus) => {
      syncStatus = status;
      tray?.update(status);
    };
    tray = new TrayService({
      iconsDir: join(__dirname, 'icons'),
      commands: {
        'sync-now': () => syncCommand('sync.now'),
        'pause-sync': () => syncCommand('sync.pause'),
        'resume-sync': () => syncCommand('sync.resume'),
        'open-window': showWindow,
        'open-settings': () => runCommand('app.settings'),
        'open-activity': () => runCommand('view.activity'),
        quit: () => app.quit(),
      },
    });
    disposers.push(
      theCore.events.attach((event, payload) => {
        if (event === 'settings.changed') {
          nativeTheme.themeSource = theCore.settings.get().theme;
        } else if (event === 'sync.status') {
          const parsed = SyncStatus.safeParse(payload);
          if (parsed.success) showStatus(parsed.data);
        } else if (event === 'actions.pending') {
          const parsed = PendingChanges.safeParse(payload);
          if (parsed.success) tray?.setWaitingForServer(parsed.data.waiting);
        } else if (event === 'connection.changed') {
          // Without a sync engine nobody else reports the PhotoPrism link to the status line.
          const parsed = ConnectionStatus.safeParse(payload);
          if (parsed.success) showStatus({ ...syncStatus, photoprism: photoprismLink(parsed.data.state) });
        }
      }),
    );
    syncCommand('sync.status');
    tray.setWaitingForServer(theCore.actions.pending().waiting);
    // `npm run demo`: sign in to the demo PhotoPrism server, then to iCloud (the emulator's
    // sign-in page opens once in the sign-in window). See main/launcher/demo-env.ts. Development only.
    const demo = config.demo;
    if (demo && !theCore.secrets.get('photoprism.session')) {
      void theCore
        .dispatch('connection.signIn', { serverUrl: demo.url, username: demo.username, password: demo.password }, MAIN_PROCESS_SENDER)
        .then((result) => (result.ok ? theCore.dispatch('sync.signIn', {}, MAIN_PROCESS_SENDER) : result))
        .then((result) => {
          if (!result.ok) log.warn('demo sign-in did not complete', { kind: result.error.kind });
        });
    }
    // Back from sleep: the world moved on; pull and push now rather than at the next timer.
    const onResume = () => theCore.sync?.trigger('wake');
    powerMonitor.on('resume', onResume);
    disposers.push(() => powerMonitor.off('resume', onResume));
  };

  /** Help → Export Diagnostics…: the report the web shell downloads, saved where the person chooses. */
  const exportDiagnostics = async (theCore: Core) => {
    const report = theCore.diagnostics();
    const options = { defaultPath: join(app.getPath('downloads'), report.fileName) };
    const choice = await dialog.showSaveDialog(options);
    if (choice.canceled || !choice.filePath) return;
    await writeFile(choice.filePath, report.text, { mode: 0o600 });
    shell.showItemInFolder(choice.filePath);
  };

  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      log.error('startup failed', { error });
      fail(isAppError(error) ? error.message : 'Something went wrong while starting. Details are in the log.');
    });
}

main();
