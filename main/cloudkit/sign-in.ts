/**
 * How a person signs in to iCloud for Photoflare: the shells implement it, the client drives it.
 *
 * [Note: CloudKit sign-in]
 * CloudKit answers a request without a usable web auth token with 421 AUTHENTICATION_REQUIRED and
 * a `redirectURL` (docs/cloudkit.md §2.2). Opening that page lets Apple collect the password; the token comes
 * back either in a redirect to the API token's callback URL (`?ckWebAuthToken=…&ckSession=…`,
 * maybe in the fragment) or by postMessage (`{ckWebAuthToken}` or `{ckSession}`).
 * The Electron shell opens a BrowserWindow and watches its navigations; the web shell opens a tab
 * and receives the callback. Both end in `extractWebAuthToken` / `extractTokenFromMessage` here,
 * so the parsing rules (including the `+` that a form decoder turns into a space) live once.
 */
export interface SignInFlow {
  /**
   * Show Apple's sign-in page at `redirectUrl` and resolve with the `ckWebAuthToken` it yields.
   * Reject (or resolve `undefined`) if the person closes the window or the signal aborts.
   */
  signIn(redirectUrl: string, options?: { signal?: AbortSignal }): Promise<string | undefined>;
}

const TOKEN_PARAMS = ['ckWebAuthToken', 'ckSession'] as const;

/**
 * The web auth token from a sign-in callback URL, or `undefined` if the URL carries none.
 *
 * Looks in the query first, then the fragment. Decoding is done by hand with
 * `decodeURIComponent`, never `URLSearchParams`, because the latter turns a literal `+` (common in
 * base64 tokens) into a space (docs/cloudkit.md §2.2). A token that already lost its `+` to someone else's decoder
 * gets it back: tokens never contain spaces.
 */
export function extractWebAuthToken(callbackUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(callbackUrl);
  } catch {
    return undefined;
  }
  for (const part of [url.search, url.hash]) {
    const token = tokenFromParams(part.replace(/^[?#]/, ''));
    if (token) return token;
  }
  return undefined;
}

function tokenFromParams(raw: string): string | undefined {
  if (!raw) return undefined;
  const params = new Map<string, string>();
  for (const pair of raw.split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const key = pair.slice(0, eq);
    try {
      params.set(key, decodeURIComponent(pair.slice(eq + 1)));
    } catch {
      // A malformed escape: skip this pair rather than fail the sign-in.
    }
  }
  for (const name of TOKEN_PARAMS) {
    const value = params.get(name);
    if (value) return normaliseToken(value);
  }
  return undefined;
}

/** The web auth token from a sign-in page's postMessage payload (`{ckWebAuthToken}` or `{ckSession}`). */
export function extractTokenFromMessage(data: unknown): string | undefined {
  if (!data || typeof data !== 'object') return undefined;
  for (const name of TOKEN_PARAMS) {
    const value: unknown = Reflect.get(data, name);
    if (typeof value === 'string' && value.trim()) return normaliseToken(value);
  }
  return undefined;
}

function normaliseToken(value: string): string {
  return value.trim().replace(/ /g, '+');
}

/**
 * A sign-in flow for the demo and tests: hands out a token obtained some other way.
 *
 * Real shells implement SignInFlow with a window; this one lets the composition root wire a
 * token from, e.g., the CloudKit emulator without a browser.
 */
export class StaticSignInFlow implements SignInFlow {
  readonly #getToken: (redirectUrl: string) => Promise<string | undefined> | string | undefined;

  constructor(getToken: (redirectUrl: string) => Promise<string | undefined> | string | undefined) {
    this.#getToken = getToken;
  }

  async signIn(redirectUrl: string): Promise<string | undefined> {
    return this.#getToken(redirectUrl);
  }
}
