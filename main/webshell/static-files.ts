import { createReadStream, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { IMAGE_ORIGINS_META } from '../../shared/library/media-paths';

/**
 * Content types of the built renderer's files, for both ways it is served: this web shell and
 * the Electron app:// scheme (main/window/app-protocol.ts).
 */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * The same Content-Security-Policy the Electron window uses (see main/window/).
 *
 * `connect-src 'self'` covers the bridge WebSocket on our own origin; nothing else may be
 * fetched by the page: the PhotoPrism server is reached by main, never by the renderer.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The images part of CONTENT_SECURITY_POLICY (and of the page's own meta policy, renderer/index.html). */
const IMG_SRC = "img-src 'self' data: blob:";

/** CONTENT_SECURITY_POLICY, also allowing images from `imageOrigins` (see [Note: Grid thumbnails over more connections]). */
export function contentSecurityPolicy(imageOrigins: readonly string[]): string {
  return withImageOrigins(CONTENT_SECURITY_POLICY, imageOrigins);
}

function withImageOrigins(text: string, imageOrigins: readonly string[]): string {
  return imageOrigins.length === 0 ? text : text.replaceAll(IMG_SRC, [IMG_SRC, ...imageOrigins].join(' '));
}

/**
 * The built page as the web shell sends it: its meta policy (which the browser applies on top of
 * the header's) allows `imageOrigins` too, and a meta tag names them for the renderer.
 */
export function pageWithImageOrigins(html: string, imageOrigins: readonly string[]): string {
  if (imageOrigins.length === 0) return html;
  const meta = `<meta name="${IMAGE_ORIGINS_META}" content="${imageOrigins.join(' ')}" />`;
  return withImageOrigins(html, imageOrigins).replace('<head>', `<head>\n    ${meta}`);
}

/** Resolve a URL path inside `root`, refusing anything that escapes it. */
export function resolveStaticPath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const full = normalize(join(root, decoded));
  if (full !== root && !full.startsWith(root.endsWith(sep) ? root : root + sep)) return undefined;
  return full;
}

/**
 * Serve a built renderer file; unknown paths without an extension fall back to index.html.
 * Answers whether it is the page itself (a page load begins), and `sent`, which settles once the
 * response has ended or its connection closed: the file's transfer counts as the window's work
 * until then, not only until its stream was opened ([Note: A page load is the window's until its app has mounted]).
 */
export function serveStatic(
  root: string,
  urlPath: string,
  res: ServerResponse,
  /** Origins the page may load images from besides its own (see [Note: Grid thumbnails over more connections]). */
  imageOrigins: readonly string[] = [],
): { page: boolean; sent: Promise<void> } {
  const sent = new Promise<void>((resolve) => res.once('close', resolve));
  const wanted = urlPath === '/' ? '/index.html' : urlPath;
  let file = resolveStaticPath(root, wanted);
  if (file && !isFile(file) && extname(wanted) === '') file = join(root, 'index.html');
  if (!file || !isFile(file)) {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
    return { page: false, sent };
  }
  const isHtml = extname(file) === '.html';
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    // Hashed assets may be cached; the page itself must always be fresh.
    'cache-control': isHtml ? 'no-store' : 'private, max-age=31536000, immutable',
    ...(isHtml ? { 'content-security-policy': contentSecurityPolicy(imageOrigins) } : {}),
  });
  if (isHtml && imageOrigins.length > 0) {
    // A page is a few hundred bytes: read whole, so its policy and meta tag can name the image origins.
    readFile(file, 'utf8').then(
      (html) => res.end(pageWithImageOrigins(html, imageOrigins)),
      () => res.destroy(),
    );
    return { page: true, sent };
  }
  const stream = createReadStream(file);
  // A file removed between the stat and the read (a rebuild) must not become an unhandled error.
  stream.on('error', () => res.destroy());
  stream.pipe(res);
  return { page: isHtml, sent };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
