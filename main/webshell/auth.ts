import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * [Note: Web shell secret]
 *
 * The web shell listens on 127.0.0.1 only, but any local process or web page could still
 * reach it. So each run makes a random secret, printed once inside the URL to open. The first
 * request trades `?secret=` for an HttpOnly, SameSite=Lax cookie and is redirected to a
 * clean URL; every later request (assets, the bridge socket) must carry that cookie. The
 * socket also checks Origin (no cross-site page can open it) and Host (no DNS rebinding).
 * Lax, not Strict: iCloud's sign-in page sends the browser back to our callback with a
 * cross-site top-level navigation, which must carry the cookie; cross-site subresource and
 * POST requests still do not.
 */
export const SECRET_COOKIE = 'photoflare_secret';
export const SECRET_QUERY = 'secret';

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

export function readCookie(req: IncomingMessage, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
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
