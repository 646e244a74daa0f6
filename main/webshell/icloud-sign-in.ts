import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { extractWebAuthToken, type SignInFlow } from '../cloudkit/sign-in';
import { makeSecret, secretMatches } from './auth';
import type { WebShellRoute } from './server';

/** Where iCloud's sign-in page sends the browser back to, on the web shell's own origin. */
export const ICLOUD_CALLBACK_PATH = '/icloud/callback';
/** The page that starts an attempt in its own tab, then goes on to Apple's page. */
export const ICLOUD_BEGIN_PATH = '/icloud/begin/';
/** Where the callback page hands the token in, with its attempt's nonce. */
export const ICLOUD_COMPLETE_PATH = '/icloud/complete';
/** The one script both sign-in pages run (CSP `script-src 'self'`: no inline script). */
export const ICLOUD_SCRIPT_PATH = '/icloud/sign-in.js';

/** How long a sign-in may stay open before we give up on it. */
const SIGN_IN_TIMEOUT_MS = 10 * 60_000;
/** Tokens are a few hundred bytes of printable ASCII; anything else is not one. */
const TOKEN_SHAPE = /^[\x21-\x7e]{1,16384}$/;
/** The biggest completion body: a nonce and the callback's query and fragment. */
const MAX_COMPLETE_BYTES = 32 * 1024;

const Completion = z.object({ attempt: z.string().max(128), callback: z.string().max(20_000) }).strict();

/**
 * [Note: iCloud callback nonce]
 *
 * Login CSRF: while a sign-in is pending, any page that knows our port could send the browser
 * to `/icloud/callback?ckWebAuthToken=<its own token>` (the Lax cookie rides along on a
 * top-level navigation) and bind this device's sync to someone else's iCloud. Apple sends the
 * browser to the API token's one fixed callback URL and echoes no state of ours, so the
 * binding lives in the tab instead:
 * 1. each attempt gets an unguessable nonce; the page opens `/icloud/begin/<nonce>` in a new
 *    tab, which keeps the nonce in that tab's sessionStorage and goes on to Apple's page;
 * 2. Apple's redirect lands on `/icloud/callback` in that same tab, which still holds the nonce
 *    (sessionStorage belongs to the tab and our origin, across its navigations); the page's
 *    script posts nonce + callback query to `/icloud/complete`;
 * 3. main compares the nonce in constant time and takes the token once.
 * A forged navigation opens the callback in a tab that never began an attempt: no nonce, no
 * token. A forged POST fails the Origin check (and carries no Lax cookie). Whoever gets past
 * all this still meets the account check: a different iCloud user than this device synced with
 * is not used until the person confirms it (main/sync/sync-engine.ts, account-changed).
 */
interface Attempt {
  readonly nonce: string;
  readonly redirectUrl: string;
  begun: boolean;
  readonly finish: (token: string | undefined) => void;
}

/**
 * iCloud sign-in for the web shell: open Apple's page in a new tab, take the token on the way
 * back, bound to the attempt that opened it ([Note: iCloud callback nonce]).
 *
 * The page is opened by the renderer (`open` pushes the begin address to it; a browser tab is
 * the only window the web shell has). The token never passes through the app's renderer. The
 * Electron shell does the same with a sandboxed BrowserWindow (main/window/).
 */
export class WebShellSignInFlow implements SignInFlow {
  readonly #open: (path: string) => void;
  #attempt: Attempt | undefined;

  /** `open` receives a path on the web shell's origin (`/icloud/begin/<nonce>`) to open in a new tab. */
  constructor(options: { open: (path: string) => void }) {
    this.#open = options.open;
  }

  signIn(redirectUrl: string, options: { signal?: AbortSignal } = {}): Promise<string | undefined> {
    // A second sign-in replaces the first (the person clicked again); the first's nonce dies with it.
    this.#attempt?.finish(undefined);
    if (!isHttpUrl(redirectUrl)) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(undefined), SIGN_IN_TIMEOUT_MS);
      timer.unref?.();
      const finish = (token: string | undefined) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        if (this.#attempt === attempt) this.#attempt = undefined;
        resolve(token);
      };
      const onAbort = () => finish(undefined);
      const attempt: Attempt = { nonce: makeSecret(), redirectUrl, begun: false, finish };
      this.#attempt = attempt;
      options.signal?.addEventListener('abort', onAbort);
      this.#open(`${ICLOUD_BEGIN_PATH}${attempt.nonce}`);
    });
  }

  /** The attempt `nonce` names, compared in constant time; undefined when none is pending. */
  #pending(nonce: string): Attempt | undefined {
    const attempt = this.#attempt;
    return attempt && secretMatches(attempt.nonce, nonce) ? attempt : undefined;
  }

  /** Begin, callback, completion and their script: all behind the session cookie like every route. */
  readonly routes: readonly WebShellRoute[] = [
    {
      prefix: ICLOUD_BEGIN_PATH,
      handle: (_req, res, url) => {
        const attempt = this.#pending(url.pathname.slice(ICLOUD_BEGIN_PATH.length));
        if (!attempt || attempt.begun) {
          sendPage(res, 400, 'This sign-in link has expired. Start again from Photoflare.');
          return;
        }
        attempt.begun = true;
        sendPage(res, 200, "Opening Apple's sign-in page…", { step: 'begin', attempt: attempt.nonce, next: attempt.redirectUrl });
      },
    },
    {
      prefix: ICLOUD_CALLBACK_PATH,
      // The token stays in this tab until its script posts it with the attempt's nonce.
      handle: (_req, res) => sendPage(res, 200, 'Finishing sign-in…', { step: 'callback' }),
    },
    {
      prefix: ICLOUD_COMPLETE_PATH,
      methods: ['POST'],
      handle: async (req, res) => {
        const body = await readBody(req, MAX_COMPLETE_BYTES);
        const parsed = Completion.safeParse(body === undefined ? undefined : safeJson(body));
        const attempt = parsed.success ? this.#pending(parsed.data.attempt) : undefined;
        const token = parsed.success ? extractWebAuthToken(`http://callback/${parsed.data.callback}`) : undefined;
        if (!attempt || !attempt.begun) {
          sendJson(res, 400, 'This sign-in was not started from this Photoflare window, or has expired. Start again from Photoflare.');
          return;
        }
        if (token === undefined || !TOKEN_SHAPE.test(token)) {
          attempt.finish(undefined);
          sendJson(
            res,
            400,
            'iCloud sign-in finished without a sign-in token. Check that "Access iCloud Data on the Web" is on in your iCloud settings, then try again.',
          );
          return;
        }
        // Once: the attempt is gone after this, so a replay finds nothing pending.
        attempt.finish(token);
        sendJson(res, 200, 'You are signed in to iCloud. You can close this tab.');
      },
    },
    {
      prefix: ICLOUD_SCRIPT_PATH,
      handle: (_req, res) => {
        res.writeHead(200, {
          'content-type': 'text/javascript; charset=utf-8',
          'cache-control': 'no-store',
          'x-content-type-options': 'nosniff',
        });
        res.end(SIGN_IN_SCRIPT);
      },
    },
  ];
}

/**
 * The sign-in pages' script. Begin: keep the nonce in this tab, go to Apple. Callback: take the
 * nonce back out (once), drop the token from the address bar, post both to main.
 */
const SIGN_IN_SCRIPT = `'use strict';
(() => {
  const KEY = 'photoflare.icloudAttempt';
  const data = document.body.dataset;
  const say = (text) => { document.getElementById('message').textContent = text; };
  if (data.step === 'begin') {
    sessionStorage.setItem(KEY, data.attempt);
    location.replace(data.next);
    return;
  }
  const attempt = sessionStorage.getItem(KEY) || '';
  sessionStorage.removeItem(KEY);
  const callback = location.search + location.hash;
  history.replaceState(null, '', location.pathname);
  fetch('${ICLOUD_COMPLETE_PATH}', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ attempt, callback }),
  })
    .then((response) => response.json())
    .then((answer) => say(answer.message))
    .catch(() => say('Photoflare could not finish signing in. Start again from Photoflare.'));
})();
`;

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function sendPage(res: ServerResponse, status: number, message: string, data: Record<string, string> = {}): void {
  const attributes = Object.entries(data)
    .map(([name, value]) => ` data-${name}="${escapeHtml(value)}"`)
    .join('');
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // The callback's address carries the token: it must not leak to Apple or anyone as a referrer.
    'referrer-policy': 'no-referrer',
    'content-security-policy':
      "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  });
  res.end(
    `<!doctype html><meta charset="utf-8"><meta name="color-scheme" content="light dark"><title>Photoflare — iCloud sign-in</title>` +
      `<body${attributes} style="font:13px -apple-system,system-ui;padding:40px;text-align:center">` +
      `<p id="message">${escapeHtml(message)}</p>` +
      (data['step'] ? `<script src="${ICLOUD_SCRIPT_PATH}"></script>` : '') +
      `</body>`,
  );
}

function sendJson(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ ok: status === 200, message }));
}

/** The request body as text, or undefined when it is larger than `maxBytes`. */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isHttpUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:';
  } catch {
    return false;
  }
}
