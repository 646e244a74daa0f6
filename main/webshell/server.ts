import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { RequestFrame, WEB_BRIDGE_PATH, type ServerFrame } from '../../shared/ipc/wire';
import type { Core } from '../compose';
import type { Logger } from '../log/logger';
import { hostAllowed, makeSecret, originAllowed, readCookie, SECRET_COOKIE, SECRET_QUERY, secretMatches } from './auth';
import { serveStatic } from './static-files';

/** A route served behind the same secret as the app (thumbnails, iCloud sign-in callback). */
export interface WebShellRoute {
  readonly prefix: string;
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
}

export interface WebShell {
  /** The URL to open, secret included. Print it; never log it. */
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Largest bridge frame accepted: IPC requests are small; a bigger one is a bug or an attack. */
const MAX_FRAME_BYTES = 1024 * 1024;

/**
 * The web shell: the app's core under plain Node, its renderer in a local browser.
 *
 * Where Electron's binary is absent (our machines, CI), this serves the built renderer on
 * 127.0.0.1 and bridges the IPC contract over a WebSocket. Requests reach the same dispatcher
 * as Electron IPC (main/ipc/handle.ts): same sender check, same parsing, same Result.
 */
export async function startWebShell(options: WebShellOptions): Promise<WebShell> {
  const log = options.log.child('webshell');
  const secret = options.secret ?? makeSecret();
  const sockets = new Set<WebSocket>();
  let port = 0;

  const authorised = (req: IncomingMessage) => secretMatches(secret, readCookie(req, SECRET_COOKIE));

  const server: Server = createServer((req, res) => {
    void handleHttp(req, res).catch((error: unknown) => {
      log.error('web shell request failed', { error });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Internal error');
    });
  });

  const handleHttp = async (req: IncomingMessage, res: ServerResponse) => {
    if (!hostAllowed(req, port)) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('Wrong host');
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const fromQuery = url.searchParams.get(SECRET_QUERY) ?? undefined;
    if (secretMatches(secret, fromQuery)) {
      // Trade the secret in the URL for a cookie, then drop it from the address bar/history.
      url.searchParams.delete(SECRET_QUERY);
      res.writeHead(302, {
        'set-cookie': `${SECRET_COOKIE}=${encodeURIComponent(secret)}; HttpOnly; SameSite=Lax; Path=/`,
        location: `${url.pathname}${url.search}`,
        'cache-control': 'no-store',
      });
      res.end();
      return;
    }
    if (!authorised(req)) {
      res
        .writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
        .end('Photoflare: open the address printed by `npm start`; it carries this run\'s secret.\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const route = options.routes?.find((r) => url.pathname.startsWith(r.prefix));
    if (route) {
      await route.handle(req, res, url);
      return;
    }
    serveStatic(options.staticDir, url.pathname, res);
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const refusal =
      url.pathname !== WEB_BRIDGE_PATH
        ? '404 Not Found'
        : !hostAllowed(req, port) || !originAllowed(req, port)
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
    wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws, req));
  });

  const onSocket = (ws: WebSocket, req: IncomingMessage) => {
    sockets.add(ws);
    const description = `ws ${req.socket.remoteAddress ?? '?'}:${req.socket.remotePort ?? '?'}`;
    const send = (frame: ServerFrame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    const detach = options.core.events.attach((event, payload) => send({ type: 'event', event, payload }));
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        ws.close(1003, 'Text frames only');
        return;
      }
      let frame: RequestFrame;
      try {
        frame = RequestFrame.parse(JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : ''));
      } catch {
        // Not our protocol at all: there is no id to answer, so close (policy violation).
        ws.close(1008, 'Malformed frame');
        return;
      }
      void options.core
        .dispatch(frame.channel, frame.request, { trusted: true, description })
        .then((result) => send({ type: 'reply', id: frame.id, result }));
    });
    ws.on('close', () => {
      detach();
      sockets.delete(ws);
    });
    ws.on('error', (error) => log.warn('bridge socket error', { error }));
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  log.info(`web shell listening on ${origin}`);

  return {
    url: `${origin}/?${SECRET_QUERY}=${encodeURIComponent(secret)}`,
    origin,
    port,
    close: async () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
