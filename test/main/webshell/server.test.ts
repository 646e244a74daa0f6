import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { startWebShell, type WebShell } from '../../../main/webshell/server';
import { makeTestCore } from '../../helpers/core';
import { call, get, makeStaticDir, openSocket, signInCookie } from './raw-client';

const SECRET = 'test-secret-0123456789abcdef';

describe('the web shell', () => {
  let shell: WebShell;
  let env: ReturnType<typeof makeTestCore>;
  let origin: string;
  let cookie: string;

  beforeEach(async () => {
    env = makeTestCore();
    shell = await startWebShell({ core: env.core, staticDir: makeStaticDir(), secret: SECRET, log: env.core.log });
    origin = `http://127.0.0.1:${shell.port}`;
    cookie = await signInCookie(shell);
  });

  afterEach(async () => {
    await shell.close();
    await env.cleanup();
  });

  it('listens on loopback and prints a URL carrying the secret', () => {
    expect(shell.url).toBe(`http://127.0.0.1:${shell.port}/?secret=${SECRET}`);
  });

  it('refuses requests without the secret (401)', async () => {
    const res = await get(shell, '/', { host: `127.0.0.1:${shell.port}` });
    expect(res.status).toBe(401);
    expect(res.body).not.toContain('<title>Photoflare</title>');
  });

  it('refuses a wrong secret, in the URL or the cookie', async () => {
    expect((await get(shell, '/?secret=nope', { host: `127.0.0.1:${shell.port}` })).status).toBe(401);
    expect((await get(shell, '/', { host: `127.0.0.1:${shell.port}`, cookie: `${shell.cookieName}=nope` })).status).toBe(401);
    // The URL secret is not a session: a cookie must carry a session the trade minted.
    expect((await get(shell, '/', { host: `127.0.0.1:${shell.port}`, cookie: `${shell.cookieName}=${SECRET}` })).status).toBe(401);
  });

  it('trades the secret for a session in an HttpOnly SameSite=Lax cookie named for this port, and drops it from the address', async () => {
    const res = await get(shell, `/?secret=${SECRET}`, { host: `127.0.0.1:${shell.port}` });
    expect(res.status).toBe(302);
    expect(res.headers['location']).toBe('/');
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^photoflare_session_${shell.port}=[\\w-]{32}; HttpOnly; SameSite=Lax; Path=/$`));
    // The session is not the secret: a server on another port that receives it learns no link.
    expect(setCookie).not.toContain(SECRET);
  });

  it('serves the renderer with a strict CSP once authorised', async () => {
    const res = await get(shell, '/', { host: `127.0.0.1:${shell.port}`, cookie });
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>Photoflare</title>');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).toContain("connect-src 'self'");
    expect((await get(shell, '/assets/app.js', { host: `127.0.0.1:${shell.port}`, cookie })).status).toBe(200);
  });

  it('never serves files outside the renderer folder', async () => {
    const res = await get(shell, '/..%2f..%2f..%2fetc%2fpasswd', { host: `127.0.0.1:${shell.port}`, cookie });
    expect(res.body).not.toContain('root:');
    expect(res.status).toBe(404);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    expect((await get(shell, '/', { host: 'evil.example:80', cookie })).status).toBe(403);
  });

  it('refuses the bridge socket without the secret, with a wrong origin, or on another path', async () => {
    expect(await openSocket(shell, { origin })).toBe(401);
    expect(await openSocket(shell, { origin, cookie: `${shell.cookieName}=wrong` })).toBe(401);
    expect(await openSocket(shell, { origin: 'http://evil.example', cookie })).toBe(403);
  });

  it("counts a page load as the window's work until its app has mounted (it reports its window state), so no background step runs in front of it", async () => {
    const host = `127.0.0.1:${shell.port}`;
    expect((await get(shell, '/', { host, cookie })).status).toBe(200);
    // The page's files, boot call and first thumbnails come one after the other, with gaps
    // between them: the page holds main's background work from its HTML until it has mounted.
    expect(env.core.screenCalls.inFlight).toBe(1);
    expect((await get(shell, '/assets/app.js', { host, cookie })).status).toBe(200);
    expect(env.core.screenCalls.inFlight).toBe(1);
    const ws = await openSocket(shell, { origin, cookie });
    if (typeof ws === 'number') throw new Error(`socket refused: ${ws}`);
    expect(await call(ws, 1, 'app.windowState', { visible: true, focused: true, online: true })).toMatchObject({ ok: true });
    expect(env.core.screenCalls.inFlight).toBe(0);
    // A reload is a new page load: held again.
    expect((await get(shell, '/', { host, cookie })).status).toBe(200);
    expect(env.core.screenCalls.inFlight).toBe(1);
    ws.close();
  });

  it('bridges the contract: a round trip, validation errors as Results, and pushed events', async () => {
    const ws = await openSocket(shell, { origin, cookie });
    if (typeof ws === 'number') throw new Error(`socket refused: ${ws}`);

    expect(await call(ws, 1, 'app.info', {})).toMatchObject({ ok: true, value: { name: 'Photoflare', shell: 'web' } });
    expect(await call(ws, 2, 'no.such.channel', {})).toMatchObject({ ok: false, error: { kind: 'unknown-channel' } });
    expect(await call(ws, 3, 'settings.update', { theme: 42 })).toMatchObject({ ok: false, error: { kind: 'bad-request' } });
    expect(await call(ws, 4, 'settings.update', { theme: 'dark', extra: 1 })).toMatchObject({
      ok: false,
      error: { kind: 'bad-request' },
    });

    const event = new Promise<unknown>((resolve) =>
      ws.on('message', (data: WebSocket.RawData) => {
        const frame = JSON.parse((data as Buffer).toString()) as { type: string };
        if (frame.type === 'event') resolve(frame);
      }),
    );
    expect(await call(ws, 5, 'settings.update', { theme: 'dark' })).toMatchObject({ ok: true, value: { theme: 'dark' } });
    expect(await event).toMatchObject({ type: 'event', event: 'settings.changed', payload: { theme: 'dark' } });
    ws.close();
  });

  it('closes the socket on a frame that is not our protocol', async () => {
    const ws = await openSocket(shell, { origin, cookie });
    if (typeof ws === 'number') throw new Error(`socket refused: ${ws}`);
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.send('not json at all');
    expect(await closed).toBe(1008);
  });
});
