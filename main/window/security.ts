import type { Event, Session, WebContents, WebPreferences } from 'electron';
import type { Logger } from '../log/logger';
import { decideNavigation, decideWindowOpen } from './navigation-policy';

/**
 * The Electron security checklist, applied in one place for every window we create.
 *
 * [Note: Window security]
 * - webPreferences: context isolation, sandbox, no Node in the page, web security on, no
 *   <webview>, no insecure content (`secureWebPreferences`);
 * - the page cannot navigate away from app://photoflare, nor be redirected away
 *   (`guardNavigation`);
 * - `window.open` / target=_blank never opens an app window; checked https links go to the
 *   system browser (`guardNavigation`);
 * - every permission request and check is refused (`hardenSession`): a photo browser needs no
 *   camera, microphone, location, notifications or USB;
 * - IPC answers only our window's main frame on our origin (main/ipc/electron-ipc.ts);
 * - the CSP travels on every app:// response (app-protocol.ts) and in index.html.
 */

/** webPreferences for a window showing our renderer (`preload`) or a sign-in page (no preload). */
export function secureWebPreferences(options: { preload?: string; partition?: string } = {}): WebPreferences {
  return {
    ...(options.preload === undefined ? {} : { preload: options.preload }),
    ...(options.partition === undefined ? {} : { partition: options.partition }),
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
  };
}

/** Refuse every permission request and check in a session. */
export function hardenSession(session: Session, log: Logger): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn('refused a permission request', { permission });
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  // Nothing in the app downloads through the page; main fetches what it needs itself.
  session.on('will-download', (event) => event.preventDefault());
}

export interface NavigationGuardOptions {
  /** Whether in-window navigation to `url` is allowed (default: our app origin only). */
  readonly allowNavigation?: (url: string) => boolean;
  /** Opens a checked https link in the system browser (shell.openExternal in production). */
  readonly openExternal: (url: string) => void;
  readonly log: Logger;
}

/** Block navigation away from the allowed URLs, deny new windows, and refuse <webview>. */
export function guardNavigation(contents: WebContents, options: NavigationGuardOptions): void {
  const allowed = options.allowNavigation ?? ((url: string) => decideNavigation(url) === 'allow');
  const block = (kind: string) => (event: Event, url: string) => {
    if (allowed(url)) return;
    event.preventDefault();
    options.log.warn(`blocked ${kind}`, { url });
  };
  contents.on('will-navigate', block('navigation'));
  contents.on('will-redirect', block('redirect'));
  contents.on('will-frame-navigate', (event) => {
    if (allowed(event.url)) return;
    event.preventDefault();
    options.log.warn('blocked frame navigation', { url: event.url });
  });
  contents.setWindowOpenHandler(({ url }) => {
    const decision = decideWindowOpen(url);
    if (decision.openExternally !== undefined) {
      options.openExternal(decision.openExternally);
    } else {
      options.log.warn('refused to open a window', { url });
    }
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
