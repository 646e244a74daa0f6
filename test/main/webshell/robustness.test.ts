import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CHANNELS } from '../../../shared/ipc/contract';
import { startWebShell, type WebShell } from '../../../main/webshell/server';
import { makeTestCore } from '../../helpers/core';
import { call, get, makeStaticDir, openSocket, rawExchange, signInCookie, upgradeHead, watchUncaught } from './raw-client';

/**
 * No request, frame or header may end the process (issue 11, "Unbreakable"): every handler is
 * guarded, Host is checked before anything is parsed, and cookies are read without throwing.
 * Each test records exceptions nobody caught (in production each one would have ended the
 * process) and then proves the server still answers.
 */
describe('the web shell survives hostile input', () => {
  let shell: WebShell;
  let env: ReturnType<typeof makeTestCore>;
  let uncaught: ReturnType<typeof watchUncaught>;
  let host: string;
  let origin: string;

  beforeEach(async () => {
    uncaught = watchUncaught();
    env = makeTestCore();
    shell = await startWebShell({ core: env.core, staticDir: makeStaticDir(), log: env.core.log });
    host = `127.0.0.1:${shell.port}`;
    origin = `http://${host}`;
  });

  afterEach(async () => {
    uncaught.stop();
    await shell.close();
    await env.cleanup();
  });

  /** The server still serves pages and bridges requests for the real user. */
  async function expectStillAnswering(): Promise<void> {
    expect(uncaught.errors).toEqual([]);
    expect((await get(shell, '/', { host })).status).toBe(401);
    const cookie = await signInCookie(shell);
    expect((await get(shell, '/', { host, cookie })).status).toBe(200);
    const ws = await openSocket(shell, { origin, cookie });
    if (typeof ws === 'number') throw new Error(`socket refused: ${ws}`);
    expect(await call(ws, 1, 'app.info', {})).toMatchObject({ ok: true });
    ws.close();
  }

  it('a WebSocket upgrade for "//" (what `new WebSocket("ws://127.0.0.1:PORT//")` sends) is refused, not fatal', async () => {
    const reply = await rawExchange(shell.port, upgradeHead('//', host, { origin }));
    expect(reply).toMatch(/^HTTP\/1\.1 404/);
    await expectStillAnswering();
  });

  it('a cookie value "%" is no cookie at all, on the bridge and on pages', async () => {
    const reply = await rawExchange(shell.port, upgradeHead('/bridge', host, { origin, cookie: 'photoflare_secret=%' }));
    expect(reply).toMatch(/^HTTP\/1\.1 401/);
    expect((await get(shell, '/', { host, cookie: 'photoflare_secret=%' })).status).toBe(401);
    await expectStillAnswering();
  });

  it('fuzz: odd methods, paths, encodings, hosts, cookies and header lines over raw HTTP', async () => {
    const port = shell.port;
    const target = fc.oneof(
      fc.constantFrom(
        '/',
        '//',
        '///',
        '/%',
        '/%zz',
        '/%E0%A4%A',
        '/%00',
        '/..%2f..%2fetc%2fpasswd',
        '/bridge',
        '//bridge',
        '/bridge?%',
        '*',
        'http://evil.example/',
        '//evil.example/bridge',
        '/icloud/callback?ckWebAuthToken=%',
        '/?secret=%',
        '/?secret=',
        '/\\evil',
        '/\u00ff',
        '/?' + 'a'.repeat(9000),
      ),
      fc.string({ maxLength: 40 }).map((text) => `/${text}`),
      fc.string({ maxLength: 20 }),
    );
    const hostHeader = fc.constantFrom(
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      '',
      'evil.example',
      `127.0.0.1:${port}:${port}`,
      '[::1]',
      undefined,
    );
    const cookieHeader = fc.oneof(
      fc.constantFrom(
        '%',
        `photoflare_session_${port}=%`,
        `photoflare_session_${port}=%E0%A4%A`,
        '=;=;;',
        ';'.repeat(5000),
        `photoflare_session_${port}=${'x'.repeat(20000)}`,
        undefined,
      ),
      fc.string({ maxLength: 60 }),
    );
    const extraHeaders = fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ maxLength: 30 })), { maxLength: 3 });
    const request = fc.record({
      method: fc.constantFrom('GET', 'HEAD', 'POST', 'PUT', 'OPTIONS', 'CONNECT', 'DELETE', 'GÉT', ''),
      target,
      host: hostHeader,
      cookie: cookieHeader,
      origin: fc.constantFrom(`http://127.0.0.1:${port}`, 'http://evil.example', 'null', '%', undefined),
      upgrade: fc.boolean(),
      extra: extraHeaders,
    });
    const bytes = fc.oneof(
      {
        weight: 5,
        arbitrary: request.map((r) => {
          const lines = [`${r.method} ${r.target} HTTP/1.1`];
          if (r.host !== undefined) lines.push(`Host: ${r.host}`);
          if (r.cookie !== undefined) lines.push(`Cookie: ${r.cookie}`);
          if (r.origin !== undefined) lines.push(`Origin: ${r.origin}`);
          if (r.upgrade)
            lines.push(
              'Upgrade: websocket',
              'Connection: Upgrade',
              'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
              'Sec-WebSocket-Version: 13',
            );
          else lines.push('Connection: close');
          for (const [name, value] of r.extra) lines.push(`${name}: ${value}`);
          return Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
        }),
      },
      { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((array) => Buffer.from(array)) },
    );
    await fc.assert(
      fc.asyncProperty(bytes, async (raw) => {
        await rawExchange(port, raw, 300);
        expect(uncaught.errors).toEqual([]);
      }),
      { numRuns: 200 },
    );
    await expectStillAnswering();
  });

  it('fuzz: odd frames on an authenticated bridge socket, parsed and raw', async () => {
    const cookie = await signInCookie(shell);
    const frame = fc.oneof(
      fc.string({ maxLength: 80 }),
      fc.json(),
      fc.uint8Array({ maxLength: 64 }).map((array) => Buffer.from(array)),
      fc
        .record({
          type: fc.constantFrom('request', 'reply', 'event', 'x'),
          id: fc.oneof(fc.integer(), fc.double(), fc.constant(Number.MAX_SAFE_INTEGER)),
          channel: fc.oneof(fc.constantFrom(...CHANNELS), fc.string({ maxLength: 20 })),
          request: fc.anything({ maxDepth: 3 }),
        })
        .map((value) => JSON.stringify(value)),
    );
    let ws: WebSocket | undefined;
    await fc.assert(
      fc.asyncProperty(frame, async (data) => {
        if (!ws || ws.readyState !== WebSocket.OPEN) {
          const opened = await openSocket(shell, { origin, cookie });
          if (typeof opened === 'number') throw new Error(`socket refused: ${opened}`);
          ws = opened;
        }
        const socket = ws;
        // Wait for a reply or the close, whichever the frame earns; a frame the server ignores
        // earns neither, so a ping round trip marks the end of what it could cause.
        await new Promise<void>((resolve) => {
          socket.once('message', () => resolve());
          socket.once('close', () => resolve());
          socket.once('pong', () => resolve());
          socket.send(data);
          socket.ping();
        });
        expect(uncaught.errors).toEqual([]);
      }),
      { numRuns: 120 },
    );
    ws?.close();

    // Raw frames after a real handshake: bad opcodes, unmasked frames, absurd lengths.
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 64 }), async (tail) => {
        await rawExchange(
          shell.port,
          Buffer.concat([Buffer.from(upgradeHead('/bridge', host, { origin, cookie })), Buffer.from(tail)]),
          300,
        );
        expect(uncaught.errors).toEqual([]);
      }),
      { numRuns: 60 },
    );
    await expectStillAnswering();
  });
});
