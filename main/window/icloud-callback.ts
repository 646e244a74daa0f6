import { extractWebAuthToken } from '../cloudkit/sign-in';

/**
 * Which pages the iCloud sign-in window may show, and how its callback is recognised: pure.
 *
 * CloudKit's sign-in page ends by sending the browser to the API token's "Sign in Callback" URL
 * with `ckWebAuthToken=<token>` (and `ckSession=`) in the query, or sometimes the fragment. The
 * window catches that redirect and takes the token; the decoding itself (keeping `+` intact) is
 * the CloudKit client's `extractWebAuthToken`. See shared/spec/cloudkit-web-services.md §2.2.
 */

/** Whether `url` is the configured callback (same scheme, host, port and path; query ignored). */
export function isCallbackUrl(url: string, callbackUrl: string): boolean {
  try {
    const got = new URL(url);
    const want = new URL(callbackUrl);
    return (
      got.protocol === want.protocol &&
      got.host === want.host &&
      got.pathname.replace(/\/+$/, '') === want.pathname.replace(/\/+$/, '')
    );
  } catch {
    return false;
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Whether the sign-in window may show `url`: any https page (Apple's sign-in hops between its
 * own domains), or plain http on this machine only (the CloudKit emulator in development).
 */
export function isSignInPageUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    if (parsed.username !== '' || parsed.password !== '') return false;
    return parsed.protocol === 'https:' || (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname));
  } catch {
    return false;
  }
}

/** Tokens are a few hundred bytes of printable ASCII; anything else is not one. */
const TOKEN_SHAPE = /^[\x21-\x7e]{1,16384}$/;

/**
 * The web auth token carried by a callback URL, or undefined when `url` is not the callback or
 * carries no usable token.
 */
export function tokenFromCallback(url: string, callbackUrl: string): string | undefined {
  if (!isCallbackUrl(url, callbackUrl)) return undefined;
  const token = extractWebAuthToken(url);
  return token !== undefined && TOKEN_SHAPE.test(token) ? token : undefined;
}
