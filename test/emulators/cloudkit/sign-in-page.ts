/**
 * The emulator's stand-in for Apple's sign-in page (docs/cloudkit.md §2.2, docs/cloudkit.md §9.7).
 *
 * A 421 `redirectURL` points here. The page is a small form with a user-name field (no password:
 * it is a test double). On submit it hands the token back the two ways Apple's page does: a redirect
 * to the API token's configured callback with `?ckWebAuthToken=…&ckSession=…`, or, with no callback
 * configured, `postMessage({ckWebAuthToken, ckSession})` to the opener window.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Auth, WebAccessOffError } from './auth';
import type { Settings } from './context';

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** JSON safe to embed in a <script> block. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body}</body></html>`;
}

function form(oauthToken: string, message: string): string {
  return page(
    'Sign in to iCloud (CloudKit emulator)',
    `<h1>Sign in to iCloud</h1>${message === '' ? '' : `<p role="alert" id="error">${escapeHtml(message)}</p>`}
<form method="post" action="/_auth/sign-in?oauth_token=${encodeURIComponent(oauthToken)}">
<label>Apple ID (test user name) <input name="userName" id="userName" autocomplete="username" required></label>
<label><input type="checkbox" name="keepSignedIn" value="1"> Keep me signed in</label>
<button type="submit" id="signIn">Sign In</button>
</form>`,
  );
}

function send(res: ServerResponse, status: number, html: string): number {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
  return status;
}

/** Serves GET (the form) and POST (the sign-in) of /_auth/sign-in; returns the status sent. */
export function handleSignInPage(
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  body: string,
  auth: Auth,
  settings: Settings,
): number {
  const oauthToken = query.get('oauth_token') ?? '';
  const target = auth.pendingSignIn(oauthToken);
  if (target === undefined)
    return send(res, 400, page('Sign-in link not valid', '<p id="error">This sign-in link is not valid. Start again from the app.</p>'));
  if (req.method === 'GET') return send(res, 200, form(oauthToken, ''));
  if (req.method !== 'POST') return send(res, 405, page('Method not allowed', '<p>Method not allowed</p>'));

  const fields = new URLSearchParams(body);
  const userName = (fields.get('userName') ?? '').trim();
  if (userName === '') return send(res, 400, form(oauthToken, 'Enter a user name.'));
  let token: string;
  try {
    token = auth.signIn(target.container, target.environment, userName, fields.get('keepSignedIn') === '1');
  } catch (error) {
    if (!(error instanceof WebAccessOffError)) throw error;
    // Apple's page shows status 12 "iCloud Data Web Access is Off" (docs/cloudkit.md §2.4).
    return send(res, 403, form(oauthToken, 'iCloud Data Web Access is Off. Turn on "Access iCloud Data on the Web" and try again.'));
  }
  const callback = settings.signInCallbackUrl;
  if (callback !== null) {
    const url = new URL(callback);
    url.searchParams.set('ckWebAuthToken', token);
    url.searchParams.set('ckSession', token);
    res.writeHead(302, { location: url.toString(), 'cache-control': 'no-store' }).end();
    return 302;
  }
  return send(
    res,
    200,
    page(
      'Signed in',
      `<p>Signed in as ${escapeHtml(userName)}. You can close this window.</p>
<output id="ckWebAuthToken">${escapeHtml(token)}</output>
<script>
const message = ${scriptJson({ ckWebAuthToken: token, ckSession: token })};
if (window.opener) window.opener.postMessage(message, '*');
</script>`,
    ),
  );
}
