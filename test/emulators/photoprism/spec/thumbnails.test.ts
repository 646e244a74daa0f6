import * as jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoPrismEmulator } from '../index';
import { startPhotoPrismEmulator } from '../index';
import type { LoginBody } from './helpers';
import { api, login } from './helpers';

// docs/photoprism-api.md §6 and checklist rows 2 and 10.
describe('PhotoPrism emulator: thumbnails and media tokens', () => {
  let e: PhotoPrismEmulator;
  let session: LoginBody;

  beforeAll(async () => {
    e = await startPhotoPrismEmulator({ photos: 20, albums: 2, seed: 4 });
    session = await login(e);
  });
  afterAll(async () => e.close());

  const thumb = (hash: string, token: string, size: string) => fetch(`${e.url}/api/v1/t/${hash}/${token}/${size}`);
  const landscape = () => {
    const p = e.admin.snapshot().photos[0];
    if (!p?.Files[0]) throw new Error('need a photo');
    return p.Files[0].Hash;
  };

  it('serves real JPEGs sized by the size name, with the long-lived cache header', async () => {
    const hash = landscape();
    const res = await thumb(hash, session.config.previewToken, 'tile_224');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('cache-control')).toBe('private, max-age=2592000, immutable');
    const img = jpeg.decode(Buffer.from(await res.arrayBuffer()));
    expect([img.width, img.height]).toEqual([224, 224]);
    const fit = jpeg.decode(Buffer.from(await (await thumb(hash, session.config.previewToken, 'fit_720')).arrayBuffer()));
    expect(Math.max(fit.width, fit.height)).toBe(720);
  });

  it('falls back to fit_1920 for larger sizes', async () => {
    const res = await thumb(landscape(), session.config.previewToken, 'fit_4096');
    const img = jpeg.decode(Buffer.from(await res.arrayBuffer()));
    expect(Math.max(img.width, img.height)).toBeLessThanOrEqual(1920);
    expect(img.width === 1920 || img.height === 1200).toBe(true);
  });

  it('renders different photos differently and the same photo identically', async () => {
    const [a, b] = e.admin.snapshot().photos;
    const get = async (hash: string) => Buffer.from(await (await thumb(hash, session.config.previewToken, 'tile_50')).arrayBuffer());
    const hashA = a?.Files[0]?.Hash ?? '';
    const hashB = b?.Files[0]?.Hash ?? '';
    expect((await get(hashA)).equals(await get(hashA))).toBe(true);
    expect((await get(hashA)).equals(await get(hashB))).toBe(false);
  });

  it('answers 403 + SVG for a bad token (including "public"), 200 + SVG for unknown hash or size', async () => {
    const bad = await thumb(landscape(), 'public', 'tile_224');
    expect(bad.status).toBe(403);
    expect(bad.headers.get('content-type')).toBe('image/svg+xml');
    const unknownHash = await thumb('0'.repeat(40), session.config.previewToken, 'tile_224');
    expect(unknownHash.status).toBe(200);
    expect(unknownHash.headers.get('content-type')).toBe('image/svg+xml');
    const unknownSize = await thumb(landscape(), session.config.previewToken, 'huge_9000');
    expect(unknownSize.status).toBe(200);
    expect(unknownSize.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('accepts the download token in thumbnail URLs and keeps media tokens valid after logout', async () => {
    const s = await login(e);
    await api(e, s.access_token)('/session', { method: 'DELETE' });
    expect((await thumb(landscape(), s.config.previewToken, 'tile_50')).status).toBe(200);
    expect((await thumb(landscape(), s.config.downloadToken, 'tile_50')).status).toBe(200);
  });

  it('serves album covers with a 1 h cache and downloads with the download token', async () => {
    const album = e.admin.snapshot().albums.find((a) => a.Thumb !== '');
    if (!album) throw new Error('need an album with a cover');
    const cover = await fetch(`${e.url}/api/v1/albums/${album.UID}/t/${session.config.previewToken}/tile_500`);
    expect(cover.status).toBe(200);
    expect(cover.headers.get('cache-control')).toBe('private, max-age=3600');
    const dl = await fetch(`${e.url}/api/v1/dl/${landscape()}?t=${session.config.downloadToken}`);
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-disposition')).toMatch(/^attachment; filename="/);
    const dlBad = await fetch(`${e.url}/api/v1/dl/${'0'.repeat(40)}?t=${session.config.downloadToken}`);
    expect(dlBad.status).toBe(404);
    expect(await dlBad.json()).toEqual({ error: 'record not found' });
  });

  // PhotoPrism internal/api/download_file.go, GetDownload; internal/entity/auth_tokens.go, InvalidDownloadToken.
  it('serves originals at full size for the download token only, with the 403 and 404 forms of GetDownload', async () => {
    const photo = e.admin.snapshot().photos.find((p) => p.Type === 'image');
    const hash = photo?.Files[0]?.Hash ?? '';
    const dl = (token: string, h = hash) => fetch(`${e.url}/api/v1/dl/${h}?t=${token}`);

    const ok = await dl(session.config.downloadToken);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('image/jpeg');
    // Full size: more pixels than the largest preview the server makes (fit_1920). Read from the
    // baseline JPEG's SOF0 header: decoding 24 MP with jpeg-js takes seconds.
    const original = Buffer.from(await ok.arrayBuffer());
    const sof = original.indexOf(Buffer.from([0xff, 0xc0]));
    expect(Math.max(original.readUInt16BE(sof + 5), original.readUInt16BE(sof + 7))).toBeGreaterThan(1920);

    // A preview token opens thumbnails, never originals.
    const withPreview = await dl(session.config.previewToken);
    expect(withPreview.status).toBe(403);
    expect(withPreview.headers.get('content-type')).toBe('image/svg+xml');
    expect((await dl('')).status).toBe(403);

    // A byte range, as http.ServeContent answers it.
    const part = await fetch(`${e.url}/api/v1/dl/${hash}?t=${session.config.downloadToken}`, { headers: { range: 'bytes=0-99' } });
    expect(part.status).toBe(206);
    expect((await part.arrayBuffer()).byteLength).toBe(100);

    // Indexed, but gone from disk: 404 with the broken icon, not the JSON error.
    e.admin.removeOriginal(photo?.UID ?? '');
    const gone = await dl(session.config.downloadToken);
    expect(gone.status).toBe(404);
    expect(gone.headers.get('content-type')).toBe('image/svg+xml');
  });

  it('forgets download tokens on a restart until a session loads them again', async () => {
    const s = await login(e);
    const photo = e.admin.snapshot().photos.find((p) => p.Type === 'image' && p.UID !== e.admin.snapshot().photos[0]?.UID);
    const url = `${e.url}/api/v1/dl/${photo?.Files[0]?.Hash ?? ''}?t=${s.config.downloadToken}`;
    e.admin.restart();
    expect((await fetch(url)).status).toBe(403);
    await api(e, s.access_token)('/session');
    expect((await fetch(url)).status).toBe(200);
  });
});
