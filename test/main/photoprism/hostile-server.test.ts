import { createServer as createHttpServer, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloudKitClient } from '../../../main/cloudkit/client';
import { CloudKitError } from '../../../main/cloudkit/errors';
import { CLOUDKIT_MAX_RESPONSE_BYTES } from '../../../main/cloudkit/response-limit';
import { createMemoryLogger } from '../../../main/log/logger';
import { PhotoPrismClient } from '../../../main/photoprism/client';
import { LIVE_EVENTS_MAX_FRAME_BYTES, LiveEvents, type ChangeHint } from '../../../main/photoprism/live-events';
import { createNodeTransport, RESPONSE_LIMITS, TransportError } from '../../../main/photoprism/transport';
import { MemorySecretStore } from '../../../main/secrets/secret-store';
import { AppError } from '../../../shared/errors';
import { FakeClock } from '../library/helpers';

/**
 * [Note: Limits against a hostile server], proved against tiny hostile servers on 127.0.0.1.
 * No test measures wall time: each hostile server NEVER finishes, so without the limit under
 * test the request would hang until vitest's own timeout (and the test fails); with it, the
 * request ends with a clear error value.
 */
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function track(server: Server | TcpServer, sockets = new Set<Socket>()): void {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  closers.push(
    () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
}

async function listen(handler: (res: ServerResponse) => void): Promise<string> {
  const server = createHttpServer((_req, res) => handler(res));
  track(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** 200 OK, then one byte every few milliseconds, forever: never idle, never done. */
function trickle(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  const timer = setInterval(() => res.write(' '), 5);
  res.on('close', () => clearInterval(timer));
}

/** Chunked body without a length, 64 KiB at a time, forever. */
function flood(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/octet-stream' });
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  const pump = () => {
    while (!res.destroyed && res.write(chunk));
  };
  res.on('drain', pump);
  pump();
}

const idleForever = { timeoutMs: 600_000 };

describe('PhotoPrism transport against hostile servers', () => {
  it('cuts off a server that trickles bytes forever (overall deadline, not just an idle timeout)', async () => {
    const url = await listen(trickle);
    const transport = createNodeTransport({ trustedFingerprint: null });
    const error = await transport({ method: 'GET', url: `${url}/api/v1/status`, ...idleForever, deadlineMs: 200 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'timeout' });
  });

  it('cuts off an https server that accepts the connection but never finishes the handshake', async () => {
    const server = createTcpServer(() => undefined);
    track(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const transport = createNodeTransport({ trustedFingerprint: null });
    const error = await transport({
      method: 'GET',
      url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/status`,
      ...idleForever,
      deadlineMs: 200,
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TransportError', code: 'timeout' });
  });

  it('stops reading an endless body at the cap and says so', async () => {
    const url = await listen(flood);
    const transport = createNodeTransport({ trustedFingerprint: null });
    const error = await transport({ method: 'GET', url, ...idleForever, deadlineMs: 600_000, maxBodyBytes: 256 * 1024 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'TransportError', code: 'too-large' });
  });

  it('refuses a declared Content-Length over the cap before reading it', async () => {
    const url = await listen((res) => {
      res.writeHead(200, { 'content-length': String(10 * 1024 ** 3), 'content-type': 'application/json' }).flushHeaders();
      // Then nothing: a client that waited for the body would hang.
    });
    const transport = createNodeTransport({ trustedFingerprint: null });
    const error = await transport({ method: 'GET', url, ...idleForever, deadlineMs: 600_000 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TransportError', code: 'too-large' });
  });

  it('caps a gzip answer by its inflated size: a small bomb is refused, not inflated into memory', async () => {
    // 64 MiB of zeros compress to ~64 KiB: under every cap on the wire, twice the JSON cap inflated.
    const bomb = gzipSync(Buffer.alloc(2 * RESPONSE_LIMITS.jsonBytes));
    const url = await listen((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
      res.end(bomb);
    });
    const transport = createNodeTransport({ trustedFingerprint: null });
    const error = await transport({ method: 'GET', url, ...idleForever }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TransportError', code: 'too-large' });
  });

  it('answers a damaged gzip body with a network error instead of garbage or a crash', async () => {
    const good = gzipSync(Buffer.from(JSON.stringify({ photos: Array.from({ length: 200 }, (_, i) => i) })));
    const damaged = Buffer.concat([good.subarray(0, 20), Buffer.alloc(40, 0xff)]);
    const url = await listen((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      res.end(damaged);
    });
    const transport = createNodeTransport({ trustedFingerprint: null });
    const error = await transport({ method: 'GET', url, ...idleForever }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TransportError', code: 'network', message: expect.stringContaining('damaged compressed') });
  });

  it('the client turns an oversized JSON answer and an oversized thumbnail into clear AppErrors', async () => {
    const url = await listen((res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': String(RESPONSE_LIMITS.jsonBytes + 1) }).flushHeaders();
    });
    const client = new PhotoPrismClient({
      baseUrl: url,
      transport: createNodeTransport({ trustedFingerprint: null }),
      getToken: () => 'tok',
      log: createMemoryLogger(),
    });
    const json = await client.searchPhotos({ count: 10 }).catch((e: unknown) => e);
    expect(json).toBeInstanceOf(AppError);
    expect(json).toMatchObject({ kind: 'server', message: expect.stringContaining('far larger than expected') });

    // A thumbnail may not be as big as a JSON page: its own, smaller cap applies (streamed, no length).
    const thumbs = await listen(flood);
    const thumbClient = new PhotoPrismClient({
      baseUrl: thumbs,
      transport: createNodeTransport({ trustedFingerprint: null }),
      getToken: () => 'tok',
      log: createMemoryLogger(),
    });
    const thumb = await thumbClient.thumbnail('0f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a', 'pv', 'tile_224').catch((e: unknown) => e);
    expect(thumb).toMatchObject({ kind: 'server', message: expect.stringContaining('far larger than expected') });
    expect(RESPONSE_LIMITS.thumbnailBytes).toBeLessThan(RESPONSE_LIMITS.jsonBytes);
  });
});

describe('PhotoPrism live events against a hostile server', () => {
  it('closes on an oversized frame without delivering it, then reconnects with backoff and recovers', async () => {
    const http = createHttpServer();
    track(http);
    const wss = new WebSocketServer({ server: http, path: '/api/v1/ws' });
    closers.unshift(() => new Promise((resolve) => wss.close(() => resolve())));
    let connections = 0;
    wss.on('connection', (socket: WebSocket) => {
      connections++;
      const first = connections === 1;
      socket.once('message', () => {
        // Over the cap but far under ws's 100 MiB default: only our maxPayload refuses it.
        const entities = first
          ? Array.from({ length: Math.ceil((LIVE_EVENTS_MAX_FRAME_BYTES * 1.5) / 19) }, () => 'pt0000000000aaaa')
          : ['ptajmyx4rf5gni6h'];
        socket.send(JSON.stringify({ event: 'photos.updated', data: { entities } }));
      });
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const clock = new FakeClock();
    const log = createMemoryLogger();
    const hints: ChangeHint[] = [];
    const live = new LiveEvents({
      baseUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
      getToken: () => 'tok',
      trustedFingerprint: null,
      onHint: (hint) => hints.push(hint),
      onReconnect: () => undefined,
      clock,
      log,
    });
    closers.unshift(async () => live.stop());
    live.start();
    // The oversized frame closes the socket: a reconnect is scheduled on the (fake) clock.
    await expect.poll(() => clock.pendingDelays().length, { timeout: 10_000 }).toBe(1);
    expect(hints).toEqual([]);
    expect(log.lines.join('\n')).toContain('oversized frame');
    clock.advance(clock.pendingDelays()[0] ?? 0);
    await expect.poll(() => hints.length, { timeout: 10_000 }).toBe(1);
    expect(hints[0]).toEqual({ photos: ['ptajmyx4rf5gni6h'], albums: [] });
  });
});

describe('CloudKit client against a hostile server', () => {
  function cloudKit(baseUrl: string, requestTimeoutMs = 600_000) {
    return new CloudKitClient({
      config: { baseUrl, containerId: 'iCloud.app.photoflare', environment: 'development', apiToken: 'api', requestTimeoutMs },
      secrets: new MemorySecretStore(),
      log: createMemoryLogger(),
    });
  }

  it('refuses an endless body at its cap with an unexpected-response error', async () => {
    const url = await listen(flood);
    const error = await cloudKit(url)
      .listZones()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudKitError);
    expect(error).toMatchObject({ kind: 'unexpected-response' });
    expect(CLOUDKIT_MAX_RESPONSE_BYTES).toBeLessThan(RESPONSE_LIMITS.jsonBytes);
  });

  it('cuts off a trickling server at the request deadline', async () => {
    const url = await listen(trickle);
    const error = await cloudKit(url, 200)
      .listZones()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CloudKitError);
    expect(error).toMatchObject({ kind: 'network' });
  });
});
