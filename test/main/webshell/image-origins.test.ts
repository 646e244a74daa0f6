import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWebShell, type WebShell, type WebShellRoute } from '../../../main/webshell/server';
import { makeTestCore } from '../../helpers/core';
import { get, getAt, signInCookie } from './raw-client';

/** The built page's head as renderer/index.html has it: a meta policy the browser applies on top of the header's. */
const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta http-equiv="Content-Security-Policy" content="default-src 'self'; img-src 'self' data: blob:; connect-src 'self'" />
    <title>Photoflare</title>
  </head>
</html>`;

/** A route that answers its own name: one on the image origins (as the thumbnails), one not. */
function namedRoute(prefix: string, onImageOrigins: boolean): WebShellRoute {
  return { prefix, onImageOrigins, handle: (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end(prefix) };
}

/** See [Note: Grid thumbnails over more connections]. */
describe('the web shell’s image origins', () => {
  let shell: WebShell;
  let env: ReturnType<typeof makeTestCore>;
  let cookie: string;

  beforeEach(async () => {
    env = makeTestCore();
    const staticDir = mkdtempSync(join(tmpdir(), 'photoflare-static-'));
    writeFileSync(join(staticDir, 'index.html'), PAGE);
    shell = await startWebShell({
      core: env.core,
      staticDir,
      log: env.core.log,
      imageOrigins: 3,
      routes: [namedRoute('/thumbs/', true), namedRoute('/originals/', false)],
    });
    cookie = await signInCookie(shell);
  });

  afterEach(async () => {
    await shell.close();
    await env.cleanup();
  });

  const portOf = (origin: string) => Number(new URL(origin).port);

  it('opens that many other ports of 127.0.0.1, each serving the marked routes to the page’s session', async () => {
    expect(shell.imageOrigins).toHaveLength(3);
    for (const origin of shell.imageOrigins) {
      expect(origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(portOf(origin)).not.toBe(shell.port);
      const res = await getAt(portOf(origin), '/thumbs/pr1/tile_224', { host: `127.0.0.1:${portOf(origin)}`, cookie });
      expect(res.status).toBe(200);
      expect(res.body).toBe('/thumbs/');
    }
  });

  it('serves nothing else there: no other route, no page, no secret trade, no POST', async () => {
    const port = portOf(shell.imageOrigins[0] ?? '');
    const host = `127.0.0.1:${port}`;
    expect((await getAt(port, '/originals/pr1', { host, cookie })).status).toBe(404);
    expect((await getAt(port, '/', { host, cookie })).status).toBe(404);
    const secret = new URL(shell.url).searchParams.get('secret') ?? '';
    const traded = await getAt(port, `/?secret=${encodeURIComponent(secret)}`, { host });
    expect(traded.status).toBe(401);
    expect(traded.headers['set-cookie']).toBeUndefined();
    expect((await getAt(port, '/thumbs/pr1/tile_224', { host, cookie }, 'POST')).status).toBe(405);
  });

  it('refuses a request without the page’s session, or naming another host (DNS rebinding)', async () => {
    const port = portOf(shell.imageOrigins[0] ?? '');
    expect((await getAt(port, '/thumbs/pr1/tile_224', { host: `127.0.0.1:${port}` })).status).toBe(401);
    expect((await getAt(port, '/thumbs/pr1/tile_224', { host: `127.0.0.1:${port}`, cookie: `${shell.cookieName}=nope` })).status).toBe(401);
    expect((await getAt(port, '/thumbs/pr1/tile_224', { host: 'evil.example:80', cookie })).status).toBe(403);
    // The page's own port is not this one's host.
    expect((await getAt(port, '/thumbs/pr1/tile_224', { host: `127.0.0.1:${shell.port}`, cookie })).status).toBe(403);
  });

  it('names them in the page, whose header and meta policies allow images from them and nothing more', async () => {
    const res = await get(shell, '/', { host: `127.0.0.1:${shell.port}`, cookie });
    expect(res.status).toBe(200);
    const origins = shell.imageOrigins.join(' ');
    expect(res.body).toContain(`<meta name="photoflare-image-origins" content="${origins}" />`);
    expect(res.body).toContain(`img-src 'self' data: blob: ${origins}; connect-src 'self'`);
    expect(res.headers['content-security-policy']).toContain(`img-src 'self' data: blob: ${origins};`);
    expect(res.headers['content-security-policy']).toContain("connect-src 'self';");
  });

  it('are closed with the shell', async () => {
    const port = portOf(shell.imageOrigins[0] ?? '');
    await shell.close();
    await expect(getAt(port, '/thumbs/pr1/tile_224', { host: `127.0.0.1:${port}`, cookie })).rejects.toThrow();
    // afterEach closes it again: closing twice must be harmless.
    shell = { ...shell, close: async () => undefined };
  });
});
