import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { EmulatorContext } from './context';
import { Faults } from './faults';
import { Exchange, Router, type HttpCompression } from './http';

/**
 * The HTTP side of the emulator: one listener on 127.0.0.1 that records every API request,
 * applies injected latency and errors, routes to the handlers, upgrades `/api/v1/ws`, answers
 * unknown routes like gin (HTML 404 unless JSON is accepted) and redirects trailing slashes.
 * It can "go down" (close the listener and drop connections) and come back on the same port.
 */

/** One request as the emulator saw it (for test assertions). */
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: string;
  status: number;
}

/** A certificate and key to serve HTTPS with (PHOTOPRISM_TLS_CERT / _KEY; internal/server/start.go, StartTLS). */
export interface TlsOptions {
  key: Buffer | string;
  cert: Buffer | string;
}

/** Handles `/_admin/...` requests; returns false if it did not match. */
export type AdminHandler = (req: IncomingMessage, res: ServerResponse, body: string) => Promise<boolean>;

const NOT_FOUND_HTML = '<!DOCTYPE html><html><head><title>Not Found</title></head><body><h1>404 Not Found</h1></body></html>';
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Reads a request body as UTF-8 text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  return (await readRawBody(req)).toString('utf8');
}

/** Reads a request body as bytes (at most MAX_BODY_BYTES are kept). */
export function readRawBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** The emulator's main HTTP listener. */
export class EmulatorServer {
  readonly router = new Router();
  readonly faults: Faults;
  readonly requests: RecordedRequest[] = [];
  readonly #ctx: EmulatorContext;
  readonly #server: Server;
  readonly #admin: AdminHandler;
  readonly #scheme: 'http' | 'https';
  #port = 0;
  #down = false;
  /** Origin every API request is redirected to (301), or null; see `redirectTo`. */
  #redirectOrigin: string | null = null;

  readonly #compression: HttpCompression;

  constructor(ctx: EmulatorContext, faults: Faults, admin: AdminHandler, tls?: TlsOptions, compression: HttpCompression = 'gzip') {
    this.#ctx = ctx;
    this.#compression = compression;
    this.faults = faults;
    this.#admin = admin;
    const handler = (req: IncomingMessage, res: ServerResponse): void => {
      void this.#handle(req, res).catch((err: unknown) => {
        if (!res.headersSent) {
          res.statusCode = 500;
          res.setHeader('Content-Type', 'application/json; charset=utf-8');
          res.end(JSON.stringify({ code: 500, error: 'Something went wrong, try again', details: String(err) }));
        }
      });
    };
    this.#scheme = tls ? 'https' : 'http';
    // node:https's Server has the same request/upgrade/close surface as node:http's.
    this.#server = tls ? createTlsServer({ key: tls.key, cert: tls.cert }, handler) : createServer(handler);
    this.#server.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
      if (path !== '/api/v1/ws') {
        socket.destroy();
        return;
      }
      this.requests.push({ method: 'GET', path, query: {}, headers: flatHeaders(req), body: '', status: 101 });
      this.#ctx.hub.handleUpgrade(req, socket, head, req.socket.remoteAddress ?? '127.0.0.1');
    });
  }

  /** Base URL, e.g. http://127.0.0.1:2342. */
  get url(): string {
    return `${this.#scheme}://127.0.0.1:${this.#port}`;
  }

  /**
   * Answer every non-admin request with a 301 to `origin` + the request URI, as a reverse proxy
   * in front of a moved server does (null: serve normally). PhotoPrism's own redirect keeps the
   * host (internal/server/start.go, redirect); this one may point anywhere.
   */
  redirectTo(origin: string | null): void {
    this.#redirectOrigin = origin;
  }

  /** True while "down". */
  get isDown(): boolean {
    return this.#down;
  }

  /** Starts listening (port 0 = ephemeral). */
  async listen(port: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, '127.0.0.1', () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  /** Refuses connections: closes the listener and drops every open connection and socket. */
  async goDown(): Promise<void> {
    if (this.#down) return;
    this.#down = true;
    this.#ctx.hub.terminateAll();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  /** Listens again on the same port. */
  async goUp(): Promise<void> {
    if (!this.#down) return;
    await this.listen(this.#port);
    this.#down = false;
  }

  /** Stops for good. */
  async close(): Promise<void> {
    this.#ctx.hub.close();
    if (this.#down) return;
    this.#down = true;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // Multipart uploads are left unread for their route, which saves them to disk as they arrive (see
    // [Note: The emulator saves uploads to disk as they arrive]); they are recorded by size only.
    const multipart = /^multipart\//i.test(req.headers['content-type'] ?? '');
    const body = multipart ? `[multipart, ${req.headers['content-length'] ?? '?'} bytes]` : await readBody(req);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname.startsWith('/_admin/')) {
      if (await this.#admin(req, res, body)) return;
    }
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries([...url.searchParams].reverse()),
      headers: flatHeaders(req),
      body,
      status: 0,
    };
    res.on('finish', () => {
      record.status = res.statusCode;
      this.requests.push(record);
    });
    if (this.#redirectOrigin !== null) {
      res.statusCode = 301;
      res.setHeader('Location', `${this.#redirectOrigin}${req.url ?? '/'}`);
      res.end();
      return;
    }
    const x = new Exchange(req, res, body, this.#compression);
    if (url.pathname.startsWith('/api/')) {
      // The Api middleware adds Vary for the legacy/new token headers and no-store (docs/photoprism-api.md §1.1).
      if (x.header('x-auth-token') !== '') res.setHeader('Vary', 'X-Auth-Token');
      else if (x.header('x-session-id') !== '') res.setHeader('Vary', 'X-Session-ID');
      // Thumbnail routes overwrite this with their long-lived cache header.
      res.setHeader('Cache-Control', 'no-store');
      if (this.faults.latencyMs > 0) await new Promise((r) => setTimeout(r, this.faults.latencyMs));
      if (this.faults.shouldFail()) return x.json(500, Faults.ERROR_BODY);
      if (this.faults.takeDroppedResponse(req.method ?? 'GET', url.pathname)) {
        // The handler runs (the change is saved), then the socket is cut before a byte of the
        // answer is written: node buffers the status and headers until the first write/end.
        res.end = (() => {
          req.socket.destroy();
          return res;
        }) as typeof res.end;
      }
    }
    const found = this.router.match(req.method ?? 'GET', url.pathname);
    if (found) {
      x.params = found.params;
      await found.handler(x);
      return;
    }
    // gin: RedirectTrailingSlash (301 for GET, 307 otherwise).
    if (url.pathname.length > 1 && url.pathname.endsWith('/') && this.router.hasPath(url.pathname.slice(0, -1))) {
      res.statusCode = req.method === 'GET' ? 301 : 307;
      res.setHeader('Location', url.pathname.slice(0, -1) + url.search);
      res.end();
      return;
    }
    // No route (or wrong method): JSON only if the client accepts it, else the HTML page.
    if ((x.header('accept') || '').includes('application/json')) return x.json(404, { error: 'Not found' });
    x.send(404, 'text/html; charset=utf-8', Buffer.from(NOT_FOUND_HTML));
  }
}

/**
 * The plain-HTTP listener PhotoPrism runs next to HTTPS with automatic TLS: every request gets a
 * 301 to `https://` + its Host + its URI (PhotoPrism internal/server/start.go, StartAutoTLS and
 * redirect; server.go, httpsRedirect = 301). On loopback the two listeners cannot both be on
 * 80/443, so the emulator swaps in the HTTPS port; the host name stays the one asked for.
 * Requests are recorded like the API's.
 */
export async function startHttpsRedirect(
  httpsPort: () => number,
  requests: RecordedRequest[],
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      requests.push({
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: flatHeaders(req),
        body,
        status: 301,
      });
      const hostname = (req.headers.host ?? '127.0.0.1').replace(/:\d+$/, '');
      res.writeHead(301, { Location: `https://${hostname}:${httpsPort()}${req.url ?? '/'}`, 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<a href="https://">Moved Permanently</a>.');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
