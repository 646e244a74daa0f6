import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeTransport } from '../../../main/photoprism/transport';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

/**
 * A server that holds every request until `together` are in, then answers them all 200; if they
 * never all arrive (the client sends fewer at once), it answers the ones it holds 503 after `giveUpMs`.
 */
async function gatheringServer(together: number, giveUpMs: number): Promise<string> {
  const held: ServerResponse[] = [];
  const answer = (status: number) => {
    for (const res of held.splice(0)) res.writeHead(status, { 'content-type': 'image/jpeg' }).end('x');
  };
  let giveUp: ReturnType<typeof setTimeout> | undefined;
  const server = createServer((_req: IncomingMessage, res: ServerResponse) => {
    held.push(res);
    clearTimeout(giveUp);
    if (held.length >= together) answer(200);
    else giveUp = setTimeout(() => answer(503), giveUpMs);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('PhotoPrism transport connections', () => {
  it('sends a screen of thumbnail requests to one server at once, not a few at a time (see [Note: A screen’s thumbnails at once])', async () => {
    const screen = 30;
    const url = await gatheringServer(screen, 2000);
    const transport = createNodeTransport({ trustedFingerprint: null });
    const responses = await Promise.all(
      Array.from({ length: screen }, (_, i) => transport({ method: 'GET', url: `${url}/api/v1/t/${i}/token/tile_224` })),
    );
    expect(responses.map((response) => response.status)).toEqual(Array.from({ length: screen }, () => 200));
  });
});
