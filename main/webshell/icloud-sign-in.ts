import type { IncomingMessage, ServerResponse } from 'node:http';
import { extractWebAuthToken, type SignInFlow } from '../cloudkit/sign-in';
import type { WebShellRoute } from './server';

/** Where iCloud's sign-in page sends the browser back to, on the web shell's own origin. */
export const ICLOUD_CALLBACK_PATH = '/icloud/callback';

/** How long a sign-in may stay open before we give up on it. */
const SIGN_IN_TIMEOUT_MS = 10 * 60_000;

/**
 * iCloud sign-in for the web shell: open Apple's page in a new tab, catch the token on the way
 * back.
 *
 * The page is opened by the renderer (`open` pushes the URL to it; a browser tab is the only
 * window the web shell has), and Apple's redirect comes back to ICLOUD_CALLBACK_PATH on our
 * own origin — behind the same secret cookie as everything else — where main takes the token.
 * The token never passes through the renderer. The Electron shell does the same with a
 * sandboxed BrowserWindow (main/window/).
 */
export class WebShellSignInFlow implements SignInFlow {
  readonly #open: (url: string) => void;
  #waiting: { resolve: (token: string | undefined) => void } | undefined;

  constructor(options: { open: (url: string) => void }) {
    this.#open = options.open;
  }

  signIn(redirectUrl: string, options: { signal?: AbortSignal } = {}): Promise<string | undefined> {
    // A second sign-in replaces the first (the person clicked again).
    this.#waiting?.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(undefined), SIGN_IN_TIMEOUT_MS);
      const finish = (token: string | undefined) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (this.#waiting === waiting) this.#waiting = undefined;
        resolve(token);
      };
      const onAbort = () => finish(undefined);
      const waiting = { resolve: finish };
      this.#waiting = waiting;
      options.signal?.addEventListener('abort', onAbort);
      this.#open(redirectUrl);
    });
  }

  /** The callback route: takes the token, thanks the person, closes the tab. */
  readonly route: WebShellRoute = {
    prefix: ICLOUD_CALLBACK_PATH,
    handle: (req: IncomingMessage, res: ServerResponse) => {
      const token = extractWebAuthToken(`http://127.0.0.1${req.url ?? ''}`);
      const waiting = this.#waiting;
      if (token && waiting) waiting.resolve(token);
      const message = token && waiting ? 'You are signed in to iCloud. You can close this tab.' : 'This sign-in link has expired. Start again from Photoflare.';
      res.writeHead(token && waiting ? 200 : 400, {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      });
      res.end(
        `<!doctype html><meta charset="utf-8"><title>Photoflare</title>` +
          `<body style="font:13px -apple-system,system-ui;padding:40px;text-align:center"><p>${message}</p></body>`,
      );
    },
  };
}
