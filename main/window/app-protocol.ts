import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { CONTENT_SECURITY_POLICY, CONTENT_TYPES, resolveStaticPath } from '../webshell/static-files';
import { APP_HOST } from './navigation-policy';

/**
 * Serves `app://photoflare/…` with the Fetch API's Request/Response: no Electron here.
 *
 * main/window/app-scheme.ts registers it with `protocol.handle('app', …)`. Routes:
 * - `/thumbs/…` → the thumbnail service (injected; tokens stay in main, see [Note: Secrets stay in main]);
 * - `/videos/…` → the video service (injected; byte ranges streamed from the server);
 * - `/originals/…` → the original service (injected; the download token stays in main);
 * - anything else → a file of the built renderer, with path-traversal protection; paths without
 *   an extension fall back to index.html so the page can use client-side routes.
 * Every response carries the CSP, nosniff and no-referrer. See [Note: The app origin].
 */
export type ThumbnailRoute = (request: Request, path: string) => Promise<Response>;

export interface AppProtocolOptions {
  /** The built renderer (dist/renderer). */
  readonly rendererDir: string;
  /** Serves `/thumbs/<rest>`; `path` is `<rest>`. Absent: 404 (until the thumbnail service lands). */
  readonly thumbnails?: ThumbnailRoute;
  /** Serves `/videos/<rest>` (the request carries the Range header). Absent: 404. */
  readonly videos?: ThumbnailRoute;
  /** Serves `/originals/<rest>`. Absent: 404. */
  readonly originals?: ThumbnailRoute;
}

/** Headers every app:// response carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' } });
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Build the app:// handler. */
export function createAppProtocolHandler(options: AppProtocolOptions): (request: Request) => Promise<Response> {
  return async (request) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return textResponse(400, 'Bad request');
    }
    if (url.host !== APP_HOST) return textResponse(404, 'Not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method not allowed');

    const media = url.pathname.startsWith('/thumbs/')
      ? { route: options.thumbnails, rest: url.pathname.slice('/thumbs/'.length) }
      : url.pathname.startsWith('/videos/')
        ? { route: options.videos, rest: url.pathname.slice('/videos/'.length) }
        : url.pathname.startsWith('/originals/')
          ? { route: options.originals, rest: url.pathname.slice('/originals/'.length) }
          : undefined;
    if (media) {
      if (!media.route) return textResponse(404, 'Not found');
      const response = await media.route(request, media.rest);
      const headers = new Headers(response.headers);
      // Fill in what the service left out; never loosen what it set (it sends a stricter CSP
      // for images, so a server-sent SVG cannot run script in our origin).
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!headers.has(name)) headers.set(name, value);
      return new Response(response.body, { status: response.status, headers });
    }

    const wanted = url.pathname === '/' ? '/index.html' : url.pathname;
    let file = resolveStaticPath(options.rendererDir, wanted);
    if (file === undefined) return textResponse(404, 'Not found');
    if (!(await isFile(file)) && extname(wanted) === '') file = join(options.rendererDir, 'index.html');
    if (!(await isFile(file))) return textResponse(404, 'Not found');
    const isHtml = extname(file) === '.html';
    const body = request.method === 'HEAD' ? null : await readFile(file);
    return new Response(body, {
      status: 200,
      headers: {
        ...SECURITY_HEADERS,
        'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
        // Hashed assets may be cached; the page itself must always be fresh.
        'cache-control': isHtml ? 'no-store' : 'private, max-age=31536000, immutable',
      },
    });
  };
}
