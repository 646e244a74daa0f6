import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeTransport, TransportError } from '../../../main/photoprism/transport';

/**
 * [Note: Idle keep-alive connections]: a server that closes a kept-alive connection just as the
 * next request is written to it. The server here answers the first request on each connection
 * and then drops the connection when the second one arrives, without answering: exactly what a
 * request sees when it loses the race with the server's idle timeout.
 */
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function closingServer(): Promise<{ url: string; requests: string[] }> {
  const requests: string[] = [];
  const answered = new WeakSet<Socket>();
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${req.url}`);
    if (answered.has(req.socket)) {
      req.socket.destroy();
      return;
    }
    answered.add(req.socket);
    res.writeHead(200, { 'content-type': 'application/json', connection: 'keep-alive' }).end(JSON.stringify({ n: requests.length }));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

describe('PhotoPrism transport on a kept-alive connection the server closes', () => {
  it('sends a GET again on a new connection when the reused one was reset before any answer', async () => {
    const server = await closingServer();
    const transport = createNodeTransport({ trustedFingerprint: null });
    await transport({ method: 'GET', url: `${server.url}/api/v1/status` });
    const second = await transport({ method: 'GET', url: `${server.url}/api/v1/t/abc/token/tile_224` });
    expect(second.status).toBe(200);
    // The one on the old connection (dropped) and the one on the new connection.
    expect(server.requests).toEqual(['GET /api/v1/status', 'GET /api/v1/t/abc/token/tile_224', 'GET /api/v1/t/abc/token/tile_224']);
  });

  it('sends it again on a connection of its own, not on another idle one from the pool that went stale too', async () => {
    const server = await closingServer();
    const transport = createNodeTransport({ trustedFingerprint: null });
    // Two requests at once: two kept-alive connections wait in the pool afterwards.
    await Promise.all([
      transport({ method: 'GET', url: `${server.url}/api/v1/status` }),
      transport({ method: 'GET', url: `${server.url}/api/v1/config` }),
    ]);
    const third = await transport({ method: 'GET', url: `${server.url}/api/v1/labels` });
    expect(third.status).toBe(200);
    expect(server.requests.filter((request) => request === 'GET /api/v1/labels')).toHaveLength(2);
  });

  it('never sends a POST twice: it may have reached the server, so the reset is the caller’s to handle', async () => {
    const server = await closingServer();
    const transport = createNodeTransport({ trustedFingerprint: null });
    await transport({ method: 'GET', url: `${server.url}/api/v1/status` });
    const error = await transport({ method: 'POST', url: `${server.url}/api/v1/batch/photos/archive`, body: '{}' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'network' });
    expect(server.requests.filter((request) => request.startsWith('POST'))).toHaveLength(1);
  });
});
