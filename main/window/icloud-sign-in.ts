import { BrowserWindow, session as electronSession } from 'electron';
import { AppError } from '../../shared/errors';
import type { SignInFlow } from '../cloudkit/sign-in';
import type { Logger } from '../log/logger';
import { isCallbackUrl, isSignInPageUrl, signInPagePolicy, tokenFromCallback } from './icloud-callback';
import { guardNavigation, hardenSession, secureWebPreferences } from './security';

/**
 * A session partition of its own, in memory only (no `persist:` prefix): Apple's cookies never
 * touch disk and never mix with the app window's session.
 */
export const ICLOUD_SIGN_IN_PARTITION = 'icloud-sign-in';

export interface ElectronSignInOptions {
  /** The API token's "Sign in Callback" (URL Redirect) address. */
  readonly callbackUrl: string;
  /** Links the sign-in page opens in a new window (e.g. "Forgot password?") go to the browser. */
  readonly openExternal: (url: string) => void;
  readonly log: Logger;
  /** The app window, so the sign-in sheet sits on top of it. */
  readonly parent?: () => BrowserWindow | undefined;
}

/**
 * iCloud sign-in for CloudKit Web Services in the Electron shell (the CloudKit client's
 * SignInFlow; the web shell has its own).
 *
 * Opens Apple's sign-in page (the `redirectURL` of a 421 AUTHENTICATION_REQUIRED) in a separate
 * sandboxed window with NO preload, so Apple's page gets no bridge into the app and the Apple ID
 * password never reaches our code. When the page redirects to the callback URL, the token is
 * taken from the redirect before the callback page loads and the window closes. The token goes
 * to the CloudKit client, which keeps it in the SecretStore (the Keychain); the renderer never
 * sees it ([Note: Secrets stay in main]). The partition's cookies are wiped after every attempt,
 * so signing out (the client forgets the token) leaves nothing behind.
 */
export class ElectronSignInFlow implements SignInFlow {
  readonly #options: ElectronSignInOptions;
  #window: BrowserWindow | undefined;

  constructor(options: ElectronSignInOptions) {
    this.#options = options;
  }

  /** Resolves with the token, or undefined if the person closed the window (or `signal` aborted). */
  signIn(redirectUrl: string, options: { signal?: AbortSignal } = {}): Promise<string | undefined> {
    if (!isSignInPageUrl(redirectUrl)) {
      return Promise.reject(
        new AppError(
          'server',
          "iCloud sent a sign-in address that is not a secure link to Apple's sign-in page, so Photoflare did not open it.",
        ),
      );
    }
    const allowed = signInPagePolicy(redirectUrl);
    // One sign-in window at a time: a second request brings the first to the front.
    if (this.#window && !this.#window.isDestroyed()) {
      this.#window.focus();
      return Promise.reject(new AppError('conflict', 'An iCloud sign-in window is already open.'));
    }
    const log = this.#options.log;
    const parent = this.#options.parent?.();
    const window = new BrowserWindow({
      width: 520,
      height: 720,
      title: 'Sign in to iCloud',
      ...(parent ? { parent, modal: true } : {}),
      webPreferences: secureWebPreferences({ partition: ICLOUD_SIGN_IN_PARTITION }),
    });
    this.#window = window;
    const session = window.webContents.session;
    hardenSession(session, log);

    return new Promise<string | undefined>((resolve, reject) => {
      let settled = false;
      const finish = (outcome: { token?: string; error?: AppError }) => {
        if (settled) return;
        settled = true;
        options.signal?.removeEventListener('abort', onAbort);
        // The attempt is over: no later request can be taken for its callback.
        session.webRequest.onBeforeRequest(null);
        if (outcome.error) reject(outcome.error);
        else resolve(outcome.token);
        if (!window.isDestroyed()) window.close();
        void this.clearSession().catch((error: unknown) => log.warn('could not clear the sign-in session', { error }));
      };
      const onAbort = () => finish({});
      options.signal?.addEventListener('abort', onAbort, { once: true });

      /**
       * The callback, wherever it shows up in this attempt's window (a redirect, a navigation, a
       * sub-frame): take the token once and never let the page load. The attempt is this window:
       * callbacks in any other page of the partition, or after the attempt ended, bind nothing.
       * Answers whether `url` was the callback.
       */
      const catchCallback = (url: string): boolean => {
        if (!isCallbackUrl(url, this.#options.callbackUrl)) return false;
        const token = tokenFromCallback(url, this.#options.callbackUrl);
        if (token === undefined) {
          finish({
            error: new AppError(
              'auth',
              'iCloud sign-in finished without a sign-in token. Check that "Access iCloud Data on the Web" is on in your iCloud settings, then try again.',
            ),
          });
          return true;
        }
        log.info('iCloud sign-in finished');
        finish({ token });
        return true;
      };
      const onNavigation = (event: Electron.Event, url: string) => {
        // Never let the callback page load: the token is in its URL, and that page is not ours to run.
        if (catchCallback(url)) event.preventDefault();
      };
      const onFrameNavigation = (event: Electron.Event<Electron.WebContentsWillFrameNavigateEventParams>) => {
        if (catchCallback(event.url)) event.preventDefault();
      };
      // Registered BEFORE the generic guard so the callback is caught before it is refused.
      window.webContents.on('will-redirect', onNavigation);
      window.webContents.on('will-navigate', onNavigation);
      window.webContents.on('will-frame-navigate', onFrameNavigation);
      // Every frame load passes through the session, also those no navigation event names
      // (a frame's src set by script, a form post): catch the callback there, and refuse frames
      // outside Apple's sign-in hosts. Sub-resources (Apple's scripts, images) are not frames.
      const contentsId = window.webContents.id;
      session.webRequest.onBeforeRequest((details, callback) => {
        const isFrame = details.resourceType === 'mainFrame' || details.resourceType === 'subFrame';
        if (!isFrame) {
          callback({});
          return;
        }
        if (isCallbackUrl(details.url, this.#options.callbackUrl)) {
          if (details.webContentsId === contentsId) catchCallback(details.url);
          else log.warn('refused an iCloud callback outside the sign-in window');
          callback({ cancel: true });
          return;
        }
        callback(allowed(details.url) ? {} : { cancel: true });
      });
      guardNavigation(window.webContents, {
        allowNavigation: allowed,
        openExternal: this.#options.openExternal,
        log,
      });
      window.on('closed', () => {
        this.#window = undefined;
        finish({});
      });
      if (options.signal?.aborted) {
        finish({});
        return;
      }
      void window.loadURL(redirectUrl).catch((error: unknown) => {
        // Stopping the callback's load aborts this promise too: that is success, not an error.
        if (settled) return;
        log.warn('could not load the iCloud sign-in page', { error });
        finish({
          error: new AppError('network', "Photoflare couldn't reach Apple's sign-in page. Check your internet connection and try again."),
        });
      });
    });
  }

  /** Forget every cookie and cache entry the sign-in page left (in memory) in its partition. */
  async clearSession(): Promise<void> {
    await electronSession.fromPartition(ICLOUD_SIGN_IN_PARTITION).clearStorageData();
  }
}
