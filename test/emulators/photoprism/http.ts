import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { SessionRec } from './auth';

/**
 * The tiny HTTP toolkit the route modules share: one `Exchange` per request with the parsed URL,
 * body and helpers that write PhotoPrism's response shapes (docs/photoprism-api.md §7).
 */

/** What a route handler gets. */
export class Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  /** The body as text; a multipart body is left unread in `req` for its route (transfers.ts). */
  readonly body: string;
  readonly ip: string;
  params: Record<string, string> = {};
  /** Set by the auth guard once the caller's session is known. */
  session: SessionRec | null = null;

  /** The server's `--http-compression` (see {@link HttpCompression}). */
  readonly #compression: HttpCompression;

  constructor(req: IncomingMessage, res: ServerResponse, body: string, compression: HttpCompression = 'none') {
    this.req = req;
    this.res = res;
    this.#compression = compression;
    this.url = new URL(req.url ?? '/', 'http://127.0.0.1');
    this.body = body;
    this.ip = req.socket.remoteAddress ?? '127.0.0.1';
  }

  /** First value of a query parameter, or '' (gin's `c.Query`). */
  query(name: string): string {
    return this.url.searchParams.get(name) ?? '';
  }

  /** True if the query has the parameter at all. */
  hasQuery(name: string): boolean {
    return this.url.searchParams.has(name);
  }

  /** Request header (first value) or ''. */
  header(name: string): string {
    const v = this.req.headers[name.toLowerCase()];
    return (Array.isArray(v) ? v[0] : v) ?? '';
  }

  /** Writes a JSON response. `pretty` reproduces gin's `IndentedJSON` (photo details). */
  json(status: number, body: unknown, options: { pretty?: boolean; headers?: Record<string, string> } = {}): void {
    const text = options.pretty ? JSON.stringify(body, null, '    ') : JSON.stringify(body);
    this.send(status, 'application/json; charset=utf-8', Buffer.from(text), options.headers);
  }

  /**
   * A 400 after failed body binding: gin writes the status before the JSON, so Go sniffs the body
   * and sends `text/plain` (docs/photoprism-api.md §7.3).
   */
  bindError(): void {
    this.send(400, 'text/plain; charset=utf-8', Buffer.from(JSON.stringify({ code: 400, error: 'Unable to do that' })));
  }

  /** The i18n error envelope `{"code","error"}` (docs/photoprism-api.md §7.1). */
  error(status: number, message: string): void {
    this.json(status, { code: status, error: message });
  }

  /** Writes raw bytes. */
  send(status: number, contentType: string, body: Buffer, headers: Record<string, string> = {}): void {
    if (this.res.headersSent) return;
    this.res.statusCode = status;
    this.res.setHeader('Content-Type', contentType);
    for (const [k, v] of Object.entries(headers)) this.res.setHeader(k, v);
    if (gzipApplies(this.#compression, this.url.pathname, this.header('accept-encoding'))) {
      // gin-contrib/gzip streams the compressed body: no Content-Length, and Vary for caches. It
      // runs before the Api middleware, which Add()s its own Vary after this one.
      this.res.setHeader('Content-Encoding', 'gzip');
      this.res.setHeader('Vary', ['Accept-Encoding', this.res.getHeader('Vary')].filter(Boolean).join(', '));
      this.res.end(this.req.method === 'HEAD' ? undefined : gzipSync(body));
      return;
    }
    this.res.setHeader('Content-Length', String(body.length));
    this.res.end(this.req.method === 'HEAD' ? undefined : body);
  }

  /**
   * Parses the JSON body like gin's `BindJSON`: any Content-Type, and a bind error (400,
   * text/plain) when it is not JSON. Returns `undefined` after answering.
   */
  jsonBody(): unknown {
    try {
      return JSON.parse(this.body);
    } catch {
      this.bindError();
      return undefined;
    }
  }
}

/**
 * PhotoPrism's `--http-compression` option (PHOTOPRISM_HTTP_COMPRESSION): 'gzip' wraps every
 * response in gin-contrib/gzip unless its path is excluded; the default is none, but the
 * docker-compose.yml PhotoPrism ships (what most people run) sets gzip
 * (PhotoPrism internal/server/start.go, Start; internal/config/flags.go, "http-compression").
 */
export type HttpCompression = 'gzip' | 'none';

/**
 * Paths start.go excludes from compression: thumbnails, folder covers, zips, album and label
 * routes (which serve cover images under the same prefix) and videos. gin-contrib/gzip also
 * skips file extensions of already-compressed media; none of the API paths end in one.
 */
const GZIP_EXCLUDED_PREFIXES = [
  '/health',
  '/api/v1/t',
  '/api/v1/folders/t',
  '/api/v1/zip',
  '/api/v1/albums',
  '/api/v1/labels',
  '/api/v1/videos',
];
const GZIP_EXCLUDED_EXTENSIONS = /\.(png|gif|jpe?g|webp|mp3|mp4|zip|gz)$/i;

function gzipApplies(compression: HttpCompression, path: string, acceptEncoding: string): boolean {
  if (compression !== 'gzip' || !/\bgzip\b/i.test(acceptEncoding)) return false;
  if (GZIP_EXCLUDED_EXTENSIONS.test(path)) return false;
  return !GZIP_EXCLUDED_PREFIXES.some((prefix) => path.startsWith(prefix));
}

/** A route handler. */
export type Handler = (x: Exchange) => void | Promise<void>;

interface Route {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

/** Method + path-pattern router with `:param` segments (gin-style, no method-not-allowed). */
export class Router {
  readonly #routes: Route[] = [];

  /** Registers a route; `path` like `/api/v1/photos/:uid/like`. */
  on(method: string, path: string, handler: Handler): void {
    const names: string[] = [];
    const source = path
      .split('/')
      .map((seg) => {
        if (seg.startsWith(':')) {
          names.push(seg.slice(1));
          return '([^/]+)';
        }
        return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    this.#routes.push({ method, pattern: new RegExp(`^${source}$`), names, handler });
  }

  /** Finds the handler for a method and path, filling params. */
  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | null {
    const m = method === 'HEAD' ? 'GET' : method;
    for (const route of this.#routes) {
      if (route.method !== m) continue;
      const found = route.pattern.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => {
        params[name] = decodeURIComponent(found[i + 1] ?? '');
      });
      return { handler: route.handler, params };
    }
    return null;
  }

  /** True if any method serves this path (for the trailing-slash redirect). */
  hasPath(path: string): boolean {
    return this.#routes.some((r) => r.pattern.test(path));
  }
}
