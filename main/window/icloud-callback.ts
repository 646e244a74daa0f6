import { extractWebAuthToken } from '../cloudkit/sign-in';

/**
 * Which pages the iCloud sign-in window may show, and how its callback is recognised: pure.
 *
 * CloudKit's sign-in page ends by sending the browser to the API token's "Sign in Callback" URL
 * with `ckWebAuthToken=<token>` (and `ckSession=`) in the query, or sometimes the fragment. The
 * window catches that redirect and takes the token; the decoding itself (keeping `+` intact) is
 * the CloudKit client's `extractWebAuthToken`. See docs/cloudkit.md §2.2.
 */

/** Whether `url` is the configured callback (same scheme, host, port and path; query ignored). */
export function isCallbackUrl(url: string, callbackUrl: string): boolean {
  try {
    const got = new URL(url);
    const want = new URL(callbackUrl);
    return (
      got.protocol === want.protocol && got.host === want.host && got.pathname.replace(/\/+$/, '') === want.pathname.replace(/\/+$/, '')
    );
  } catch {
    return false;
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The domains Apple's sign-in hops between (docs/cloudkit.md §2.2: idmsa.apple.com for the Apple ID and
 * 2FA, cdn.apple-cloudkit.com and setup.apple-cloudkit.com for the token hand-off; appleid.apple.com
 * and the *.cdn-apple.com / *.icloud.com pages it embeds). Subdomains included, lookalikes not.
 */
const APPLE_SIGN_IN_DOMAINS = ['apple.com', 'apple-cloudkit.com', 'icloud.com', 'cdn-apple.com'] as const;

function isAppleHost(hostname: string): boolean {
  return APPLE_SIGN_IN_DOMAINS.some((domain) => hostname === domain || hostname.endsWith(`.${domain}`));
}

function parse(url: string): URL | undefined {
  try {
    const parsed = new URL(url);
    return parsed.username === '' && parsed.password === '' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether `url` may be a sign-in page at all: https on Apple's sign-in hosts, or plain http on
 * this machine only (the CloudKit emulator's page in development and the demo).
 */
export function isSignInPageUrl(url: string): boolean {
  const parsed = parse(url);
  if (!parsed) return false;
  return (
    (parsed.protocol === 'https:' && isAppleHost(parsed.hostname)) || (parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname))
  );
}

/**
 * What the sign-in window may load in any frame during the attempt that opened `redirectUrl`:
 * Apple's sign-in hosts over https and, when CloudKit sent us to a page on this machine (the
 * emulator), that page's own origin. Everything else is refused; the callback is caught
 * separately, before this is asked.
 */
export function signInPagePolicy(redirectUrl: string): (url: string) => boolean {
  const start = parse(redirectUrl);
  const localOrigin = start?.protocol === 'http:' && LOOPBACK_HOSTS.has(start.hostname) ? start.origin : undefined;
  return (url) => {
    const parsed = parse(url);
    if (!parsed) return false;
    return (parsed.protocol === 'https:' && isAppleHost(parsed.hostname)) || (localOrigin !== undefined && parsed.origin === localOrigin);
  };
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
