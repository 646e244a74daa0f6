import { isIP } from 'node:net';
import { AppError } from '../../shared/errors';

/** A server address the user typed, made canonical. */
export interface ServerAddress {
  /** `scheme://host[:port][/prefix]`, no trailing slash, no query. */
  readonly serverUrl: string;
  readonly insecureHttp: boolean;
  /** The user typed no scheme (we assumed https). */
  readonly schemeAssumed: boolean;
}

/**
 * Parse what a person typed into the server field.
 *
 * Accepts "photos.example.com", "https://host:2342", and paths copied from the browser
 * ("https://host/library/browse"): the web UI's `/library…` and an `/api/v1…` suffix are cut,
 * any other path is kept as the base-URI prefix (PHOTOPRISM_SITE_URL with a path). Plain HTTP is
 * allowed only for servers on the local network, because it would send the password in clear.
 */
export function parseServerUrl(input: string): ServerAddress {
  const text = input.trim();
  const hasScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
  let url: URL;
  try {
    url = new URL(hasScheme ? text : `https://${text}`);
  } catch {
    throw new AppError(
      'validation',
      `"${text.slice(0, 100)}" is not a web address. Type the address you open PhotoPrism at, for example https://photos.example.com.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('validation', `The address must start with https:// (or http:// on your home network), not ${url.protocol}//.`);
  }
  if (url.username || url.password) {
    throw new AppError('validation', 'Leave the user name and password out of the address; type them in the fields below.');
  }
  if (url.hostname === '') {
    throw new AppError('validation', 'The address has no server name. Type it like https://photos.example.com.');
  }
  if (url.protocol === 'http:' && !isLanHost(url.hostname)) {
    throw new AppError(
      'validation',
      `${url.hostname} is not on your local network, and plain http:// would send your password unencrypted over the internet. Use https:// instead.`,
    );
  }
  let path = url.pathname.replace(/\/+$/, '');
  path = path.replace(/\/library(\/.*)?$/, '').replace(/\/api\/v1(\/.*)?$/, '');
  const serverUrl = `${url.protocol}//${url.host}${path}`;
  return { serverUrl, insecureHttp: isInsecureHttp(serverUrl), schemeAssumed: !hasScheme };
}

/**
 * Whether a server address sends traffic unencrypted over a network: http:// to anything but
 * this computer. Loopback (127.0.0.0/8, ::1, localhost) never leaves the machine, so it gets
 * no "not encrypted" banner and no "Connect Anyway" question.
 */
export function isInsecureHttp(serverUrl: string): boolean {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    return false;
  }
  return url.protocol === 'http:' && !isLoopbackHost(url.hostname);
}

/** Loopback: 127.0.0.0/8, ::1, `localhost` and names under `.localhost` (RFC 6761, section 6.3). */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const family = isIP(host);
  if (family === 4) return host.startsWith('127.');
  if (family === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return host === 'localhost' || host.endsWith('.localhost');
}

/**
 * Whether a host name or address is on the local network (where plain HTTP is tolerated).
 *
 * Loopback, RFC 1918, link-local, unique-local IPv6, single-label names and the usual home
 * suffixes (.local, .lan, .home.arpa, .internal). A guess from the name alone: we never resolve
 * DNS for it, so a public name that happens to point at 192.168.x.x still needs https.
 */
export function isLanHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const family = isIP(host);
  if (family === 4) {
    const [a = 0, b = 0] = host.split('.').map(Number);
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  if (family === 6) {
    return host === '::1' || /^f[cd][0-9a-f]{2}:/.test(host) || /^fe[89ab][0-9a-f]:/.test(host);
  }
  if (host === 'localhost' || !host.includes('.')) return true;
  return /\.(local|lan|home\.arpa|internal|localhost)$/.test(host);
}

/**
 * The https address a redirect points to, if it is the same server asking for https: the
 * request to `serverUrl` + `requestPath` went to `location`, which is `https:` on the same host
 * NAME (the port may change, as from 80 to 443) with the same path. Answers the new base URL
 * (`https://host[:port][/prefix]`), or null for any other redirect.
 */
export function httpsUpgradeOf(serverUrl: string, requestPath: string, location: string | null): string | null {
  if (!location) return null;
  let from: URL;
  let to: URL;
  try {
    from = new URL(serverUrl);
    to = new URL(location);
  } catch {
    return null;
  }
  if (from.protocol !== 'http:' || to.protocol !== 'https:') return null;
  if (from.hostname.toLowerCase() !== to.hostname.toLowerCase() || to.username || to.password) return null;
  const prefix = from.pathname.replace(/\/+$/, '');
  if (to.pathname !== `${prefix}${requestPath}`) return null;
  return `https://${to.host}${prefix}`;
}
