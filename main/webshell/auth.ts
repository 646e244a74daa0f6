import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * [Note: Web shell secret]
 *
 * The web shell listens on 127.0.0.1 only, but any local process or web page could still
 * reach it. So each run makes a random secret, printed once inside the URL to open. The first
 * request trades `?secret=` for a session: a fresh random token, separate from the secret, in
 * an HttpOnly, SameSite=Lax cookie, and is redirected to a clean URL; every later request
 * (assets, the bridge socket) must carry that cookie. The socket also checks Origin (no
 * cross-site page can open it) and Host (no DNS rebinding).
 *
 * Cookies ignore ports: every server on 127.0.0.1 receives every 127.0.0.1 cookie, and two web
 * shells in one browser (the two-device demo) would overwrite each other's cookie if they
 * shared a name. So the cookie's name carries this instance's port (`sessionCookieName`), and
 * its value is a session token, not the secret: another local server that receives it learns
 * nothing it could print as a link, and the sessions die with the run.
 *
 * Lax, not Strict: iCloud's sign-in page sends the browser back to our callback with a
 * cross-site top-level navigation, which must carry the cookie; cross-site subresource and
 * POST requests still do not. That same navigation is what a hostile page can forge, so the
 * callback is bound to its sign-in attempt separately (see [Note: iCloud callback nonce]).
 */
export const SECRET_QUERY = 'secret';

/** The session cookie's name for the instance on `port`: one name per instance. */
export function sessionCookieName(port: number): string {
  return `photoflare_session_${port}`;
}

export function makeSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** Constant-time comparison, so the secret cannot be guessed byte by byte from timings. */
export function secretMatches(expected: string, candidate: string | undefined): boolean {
  if (candidate === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(candidate);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Most sessions one run keeps: each browser that opened the printed URL holds one. */
const MAX_SESSIONS = 32;

/**
 * The sessions of one web shell run: minted when the URL secret is traded, checked on every
 * request. The oldest is forgotten past MAX_SESSIONS, so a script replaying the URL cannot
 * grow memory without bound.
 */
export class SessionTokens {
  readonly #tokens: string[] = [];

  mint(): string {
    const token = makeSecret();
    this.#tokens.push(token);
    if (this.#tokens.length > MAX_SESSIONS) this.#tokens.shift();
    return token;
  }

  /** Whether `candidate` is one of our sessions; every token is compared in constant time. */
  has(candidate: string | undefined): boolean {
    let found = false;
    for (const token of this.#tokens) found = secretMatches(token, candidate) || found;
    return found;
  }
}

/** Longest Cookie header we read; browsers send at most a few KiB to one host. */
const MAX_COOKIE_HEADER = 16 * 1024;

/**
 * A cookie's value, or undefined. Never throws: a malformed escape (`%`, `%E0%A4%A`) or a
 * header too long to be a browser's is no cookie at all.
 */
export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string' || header.length > MAX_COOKIE_HEADER) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Host header must name our loopback listener: blocks DNS-rebinding pages. */
export function hostAllowed(req: IncomingMessage, port: number): boolean {
  const host = req.headers.host;
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** Origin of a browser request must be our own page. */
export function originAllowed(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

/**
 * The request target as a URL on our origin, or undefined when it is not a plain path.
 *
 * Only origin-form targets (`/path?query`) are ours. The path is appended to our origin as text,
 * never resolved against it, so `//evil.example/bridge` stays a path (it does not become a
 * host) and `//` cannot throw.
 */
export function requestUrl(target: string | undefined, port: number): URL | undefined {
  if (target === undefined || !target.startsWith('/') || target.length > 8192) return undefined;
  try {
    return new URL(`http://127.0.0.1:${port}${target}`);
  } catch {
    return undefined;
  }
}
