import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeTransport, RESPONSE_LIMITS, responseText, TransportError } from '../../../main/photoprism/transport';

/**
 * [Note: JSON answers are decoded as they arrive]: a JSON answer asked for as text comes back
 * whole, whatever its chunks split (a character of several bytes across two of them), and the
 * size cap still applies to it.
 */
const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

async function listen(handler: (res: ServerResponse) => void): Promise<string> {
  const server = createServer((_req, res) => handler(res));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Write `bytes` one at a time, each after the last left the socket, so the client reads them as separate chunks. */
async function writeByteByByte(res: ServerResponse, bytes: Buffer): Promise<void> {
  for (const byte of bytes) {
    await new Promise<void>((resolve) => res.write(Buffer.of(byte), () => resolve()));
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  res.end();
}

describe('PhotoPrism transport, JSON answers read as text', () => {
  it('keeps characters of several bytes whole when the chunks split them', async () => {
    const json = JSON.stringify([{ Title: 'Zürich 🙂 東京', PlaceLabel: 'Ærø' }]);
    const url = await listen((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      void writeByteByByte(res, Buffer.from(json, 'utf8'));
    });
    const transport = createNodeTransport({ trustedFingerprint: null });
    const res = await transport({ method: 'GET', url: `${url}/api/v1/photos`, asText: true });
    expect(res.text).toBe(json);
    expect(responseText(res)).toBe(json);
  });

  it('answers the bytes, not text, when text was not asked for', async () => {
    const url = await listen((res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"a":"ü"}'));
    const transport = createNodeTransport({ trustedFingerprint: null });
    const res = await transport({ method: 'GET', url: `${url}/api/v1/status` });
    expect(res.text).toBeUndefined();
    expect(res.body.toString('utf8')).toBe('{"a":"ü"}');
    expect(responseText(res)).toBe('{"a":"ü"}');
  });

  it('still refuses an answer above the cap, counted in bytes', async () => {
    // Two-byte characters: 600 of them are 1,200 bytes, above a 1,000-byte cap though only 600 characters.
    const url = await listen((res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`"${'ü'.repeat(600)}"`);
    });
    const transport = createNodeTransport({ trustedFingerprint: null });
    const error = await transport({ method: 'GET', url: `${url}/api/v1/photos`, asText: true, maxBodyBytes: 1000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'too-large' });
    expect(RESPONSE_LIMITS.jsonBytes).toBeGreaterThan(1000);
  });
});
