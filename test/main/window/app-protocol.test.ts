import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppProtocolHandler } from '../../../main/window/app-protocol';

let root: string;
let rendererDir: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'app-protocol-'));
  rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Photoflare</title>');
  writeFileSync(join(rendererDir, 'assets', 'app-1234.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), 'do not serve');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const get = (url: string, init?: RequestInit) => new Request(url, init);

/**
 * The exact policy, written out: any change to it (a new source, a loosened directive) must
 * show up here and be reviewed, not slip past a `toContain`.
 */
const EXPECTED_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

describe('app:// protocol handler', () => {
  it('serves index.html with the CSP and no caching', async () => {
    const handler = createAppProtocolHandler({ rendererDir });
    const response = await handler(get('app://photoflare/index.html'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Photoflare</title>');
  });

  it("index.html's meta CSP is the same policy (frame-ancestors only works as a header)", () => {
    const html = readFileSync(join(__dirname, '..', '..', '..', 'renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)?.[1];
    expect(meta).toBe(EXPECTED_CSP.replace("; frame-ancestors 'none'", ''));
  });

  it('serves assets with their type, and the page for client-side routes', async () => {
    const handler = createAppProtocolHandler({ rendererDir });
    const asset = await handler(get('app://photoflare/assets/app-1234.js'));
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await asset.text()).toBe('console.log(1)');
    const route = await handler(get('app://photoflare/albums'));
    expect(await route.text()).toContain('<title>');
    expect((await handler(get('app://photoflare/'))).status).toBe(200);
    expect((await handler(get('app://photoflare/missing.js'))).status).toBe(404);
  });

  it('refuses path traversal, other hosts and writes', async () => {
    const handler = createAppProtocolHandler({ rendererDir });
    for (const url of [
      'app://photoflare/..%2Fsecret.txt',
      'app://photoflare/%2e%2e/secret.txt',
      'app://photoflare/assets/..%2F..%2Fsecret.txt',
    ]) {
      const response = await handler(get(url));
      expect(await response.text(), url).not.toContain('do not serve');
    }
    expect((await handler(get('app://other/index.html'))).status).toBe(404);
    expect((await handler(get('app://photoflare/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });

  it('delegates /thumbs/ to the thumbnail service and keeps the security headers', async () => {
    const seen: string[] = [];
    const handler = createAppProtocolHandler({
      rendererDir,
      thumbnails: async (_request, path) => {
        seen.push(path);
        return new Response(new Uint8Array([0xff, 0xd8]), { headers: { 'content-type': 'image/jpeg' } });
      },
    });
    const response = await handler(get('app://photoflare/thumbs/abc123/tile_500'));
    expect(seen).toEqual(['abc123/tile_500']);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(response.headers.get('content-security-policy')).toBe(EXPECTED_CSP);
    expect((await createAppProtocolHandler({ rendererDir })(get('app://photoflare/thumbs/x'))).status).toBe(404);
    const strict = createAppProtocolHandler({
      rendererDir,
      thumbnails: async () =>
        new Response('<svg/>', { headers: { 'content-type': 'image/svg+xml', 'content-security-policy': "default-src 'none'; sandbox" } }),
    });
    const svg = await strict(get('app://photoflare/thumbs/abc/tile_500'));
    expect(svg.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(svg.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('delegates /videos/ to the video service with the Range header, 404 without one', async () => {
    const seen: Array<{ path: string; range: string | null }> = [];
    const handler = createAppProtocolHandler({
      rendererDir,
      videos: async (request, path) => {
        seen.push({ path, range: request.headers.get('range') });
        return new Response(new Uint8Array([0, 0, 0, 0x18]), { status: 206, headers: { 'content-type': 'video/mp4' } });
      },
    });
    const response = await handler(get('app://photoflare/videos/pabc123', { headers: { range: 'bytes=0-' } }));
    expect(response.status).toBe(206);
    expect(seen).toEqual([{ path: 'pabc123', range: 'bytes=0-' }]);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await createAppProtocolHandler({ rendererDir })(get('app://photoflare/videos/pabc123'))).status).toBe(404);
  });
});
