import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { MAX_REQUEST_FRAME_BYTES } from '../../shared/ipc/frame-limit';
import { WEB_BRIDGE_PATH } from '../../shared/ipc/wire';
import type { Core } from '../compose';
import type { Logger } from '../log/logger';
import type { Clock } from '../platform/clock';
import {
  hostAllowed,
  makeSecret,
  originAllowed,
  readCookie,
  requestUrl,
  SECRET_QUERY,
  secretMatches,
  sessionCookieName,
  SessionTokens,
} from './auth';
import { serveBridgeSocket, type BridgeLimits } from './bridge-connection';
import { serveStatic } from './static-files';

/** A route served behind the same secret as the app (thumbnails, iCloud sign-in callback). */
export interface WebShellRoute {
  readonly prefix: string;
  /**
   * Methods besides GET and HEAD this route takes (e.g. POST). Those requests must also come
   * from our own page (Origin checked), so no other site can send them.
   */
  readonly methods?: readonly string[];
  /** Also served (GET and HEAD) on the image origins: see [Note: Grid thumbnails over more connections]. */
  readonly onImageOrigins?: boolean;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): void | Promise<void>;
}

export interface WebShellOptions {
  readonly core: Core;
  /** The built renderer (dist/renderer). */
  readonly staticDir: string;
  /** 0 = an ephemeral port. */
  readonly port?: number;
  /** Fixed secret for tests; a fresh random one otherwise. See [Note: Web shell secret]. */
  readonly secret?: string;
  readonly routes?: readonly WebShellRoute[];
  readonly log: Logger;
  /** Per-socket request limits (tests make them small). See [Note: Bridge limits]. */
  readonly bridgeLimits?: BridgeLimits;
  readonly clock?: Clock;
  /** How many image origins to open (default IMAGE_ORIGINS; tests pick their own). */
  readonly imageOrigins?: number;
}

/**
 * [Note: Grid thumbnails over more connections]
 * A browser sends at most six requests at a time to one origin over HTTP/1.1
 * (docs/chromium.md §1.1), so a jump's screen of ~30 thumbnails came from the web shell in five
 * rounds, each a full trip through the browser's network service, and that trip is slow while the
 * page builds the new screen: in the grid bench's timeline of a jump (2026-12-02, 2 shared cores) main had every
 * thumbnail in memory ~130 ms after the pointerdown and answered each at once, but the rounds
 * came ~50 ms apart and the screen was painted at ~350 ms. The browser's limit is per scheme,
 * host and port, so the web shell also listens on IMAGE_ORIGINS more ports of 127.0.0.1 that
 * serve the grid's thumbnails only (routes marked `onImageOrigins`), and the page spreads its
 * tiles over them (renderer/lib/tile-urls.ts): a screen's requests all go out at once
 * (docs/chromium.md §1.2); in the same timeline all 30 reached main within 2 ms of each other,
 * ~60 ms after the pointerdown.
 * The same session cookie admits a request there: cookies ignore ports (RFC 6265, section 8.5),
 * and another port of 127.0.0.1 is the same site, so the SameSite=Lax cookie goes with an image
 * request; Host is checked as on the page's own port. The page learns the origins from its HTML
 * (a meta tag), whose policy allows images from them. Electron's thumbnails come through its
 * protocol handler, which has no such limit, and its page names no image origins.
 */
export const IMAGE_ORIGINS = 6;

export interface WebShell {
  /** The URL to open, secret included. Print it; never log it. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  /** The name of this instance's session cookie (it carries the port; see [Note: Web shell secret]). */
  readonly cookieName: string;
  /** The origins that also serve the grid's thumbnails (see [Note: Grid thumbnails over more connections]). */
  readonly imageOrigins: readonly string[];
  close(): Promise<void>;
}

const TEXT = { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' } as const;

/**
 * The web shell: the app's core under plain Node, its renderer in a local browser.
 *
 * Where Electron's binary is absent (our machines, CI), this serves the built renderer on
 * 127.0.0.1 and bridges the IPC contract over a WebSocket. Requests reach the same dispatcher
 * as Electron IPC (main/ipc/handle.ts): same sender check, same parsing, same Result.
 *
 * No request, frame or header may end the process: both handlers are guarded as a whole, Host
 * is checked before anything is parsed, and cookies and URLs are read without throwing
 * (test/main/webshell/robustness.test.ts fuzzes them).
 */
export async function startWebShell(options: WebShellOptions): Promise<WebShell> {
  const log = options.log.child('webshell');
  const secret = options.secret ?? makeSecret();
  const sessions = new SessionTokens();
  const sockets = new Set<WebSocket>();
  let port = 0;
  let cookieName = '';

  const authorised = (req: IncomingMessage) => sessions.has(readCookie(req, cookieName));

  /** A request handler that never throws, whose work counts as the window's. */
  const guarded = (handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>) => (req: IncomingMessage, res: ServerResponse) => {
    const fail = (error: unknown) => {
      log.error('web shell request failed', { error });
      if (res.headersSent) res.destroy();
      else res.writeHead(500, TEXT).end('Internal error');
    };
    try {
      // The page's files and routes count as the window's (see [Note: The search index build waits for the window]).
      void options.core.screenCalls.run(() => handle(req, res)).catch(fail);
    } catch (error) {
      fail(error);
    }
  };
  const server: Server = createServer(guarded((req, res) => handleHttp(req, res)));
  // A reset or malformed connection must never surface as an unhandled 'error' event.
  server.on('clientError', (_error, socket: Duplex) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    socket.destroy();
  });

  /** The request's URL when it names this server as its host (on `onPort`) and parses; else answered here, and undefined. */
  const checkedUrl = (req: IncomingMessage, res: ServerResponse, onPort: number): URL | undefined => {
    if (!hostAllowed(req, onPort)) {
      res.writeHead(403, TEXT).end('Wrong host');
      return undefined;
    }
    const url = requestUrl(req.url, onPort);
    if (!url) res.writeHead(400, TEXT).end('Bad request');
    return url;
  };

  const handleHttp = async (req: IncomingMessage, res: ServerResponse) => {
    const url = checkedUrl(req, res, port);
    if (!url) return;
    const fromQuery = url.searchParams.get(SECRET_QUERY) ?? undefined;
    if (secretMatches(secret, fromQuery)) {
      // Trade the secret in the URL for a session cookie, then drop it from the address bar/history.
      url.searchParams.delete(SECRET_QUERY);
      res.writeHead(302, {
        'set-cookie': `${cookieName}=${sessions.mint()}; HttpOnly; SameSite=Lax; Path=/`,
        location: `${url.pathname}${url.search}`,
        'cache-control': 'no-store',
      });
      res.end();
      return;
    }
    if (!authorised(req)) {
      res.writeHead(401, TEXT).end("Photoflare: open the address printed by `npm start`; it carries this run's secret.\n");
      return;
    }
    const route = options.routes?.find((r) => url.pathname.startsWith(r.prefix));
    const method = req.method ?? '';
    if (method !== 'GET' && method !== 'HEAD') {
      if (!route?.methods?.includes(method)) {
        res.writeHead(405, { allow: ['GET', 'HEAD', ...(route?.methods ?? [])].join(', ') }).end();
        return;
      }
      if (!originAllowed(req, port)) {
        res.writeHead(403, TEXT).end('Wrong origin');
        return;
      }
    }
    if (route) {
      await route.handle(req, res, url);
      return;
    }
    const served = serveStatic(options.staticDir, url.pathname, res, imageOrigins);
    if (served.page && method === 'GET') options.core.pageLoad.pageRequested();
    await served.sent;
  };

  /** A request to one of the image origins (on `imagePort`): a marked route's GET or HEAD, behind the page's session. */
  const handleImageOrigin = async (req: IncomingMessage, res: ServerResponse, imagePort: number) => {
    const url = checkedUrl(req, res, imagePort);
    if (!url) return;
    if (!authorised(req)) {
      res.writeHead(401, TEXT).end('Not signed in to this web shell.\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const route = options.routes?.find((r) => r.onImageOrigins === true && url.pathname.startsWith(r.prefix));
    if (!route) {
      res.writeHead(404, TEXT).end('Not found');
      return;
    }
    await route.handle(req, res, url);
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_REQUEST_FRAME_BYTES });
  wss.on('error', (error) => log.warn('bridge server error', { error }));

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands the raw socket over without an error listener: a reset would be fatal. Once ws
    // owns the socket, its own listener takes over.
    const onHandshakeError = (error: Error) => log.warn('bridge handshake socket error', { error });
    socket.on('error', onHandshakeError);
    try {
      const refusal = !hostAllowed(req, port)
        ? '403 Forbidden'
        : requestUrl(req.url, port)?.pathname !== WEB_BRIDGE_PATH
          ? '404 Not Found'
          : !originAllowed(req, port)
            ? '403 Forbidden'
            : !authorised(req)
              ? '401 Unauthorized'
              : undefined;
      if (refusal) {
        log.warn('refused bridge socket', { refusal });
        socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        socket.destroy();
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        socket.off('error', onHandshakeError);
        onSocket(ws, req);
      });
    } catch (error) {
      log.error('bridge upgrade failed', { error });
      socket.destroy();
    }
  });

  const onSocket = (ws: WebSocket, req: IncomingMessage) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    serveBridgeSocket({
      ws,
      dispatch: options.core.dispatch,
      attachEvents: (sink) => options.core.events.attach(sink),
      description: `ws ${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`,
      log,
      ...(options.bridgeLimits ? { limits: options.bridgeLimits } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
  };

  // The image origins first: the page's first answer names them.
  const imageServers: Server[] = [];
  for (let i = 0; i < (options.imageOrigins ?? IMAGE_ORIGINS); i++) {
    let imagePort = 0;
    const imageServer = createServer(guarded((req, res) => handleImageOrigin(req, res, imagePort)));
    imageServer.on('clientError', (_error, socket: Duplex) => socket.destroy());
    imagePort = await listen(imageServer, 0);
    imageServer.on('error', (error) => log.error('web shell image origin error', { error }));
    imageServers.push(imageServer);
  }
  const imageOrigins = imageServers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`);
  try {
    await listen(server, options.port ?? 0);
  } catch (error) {
    for (const imageServer of imageServers) imageServer.close();
    throw error;
  }
  server.on('error', (error) => log.error('web shell server error', { error }));
  port = (server.address() as AddressInfo).port;
  cookieName = sessionCookieName(port);
  const origin = `http://127.0.0.1:${port}`;
  log.info(`web shell listening on ${origin}`);

  return {
    url: `${origin}/?${SECRET_QUERY}=${encodeURIComponent(secret)}`,
    origin,
    port,
    cookieName,
    imageOrigins,
    close: async () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await Promise.all(
        [server, ...imageServers].map((s) => {
          s.closeAllConnections();
          return new Promise<void>((resolve) => s.close(() => resolve()));
        }),
      );
    },
  };
}

/** Listen on 127.0.0.1 (`port` 0: an ephemeral one); answers the port. */
async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
