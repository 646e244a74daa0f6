import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoPrismEmulator } from '../index';
import { startPhotoPrismEmulator } from '../index';
import { parseRange } from '../videos';
import type { LoginBody } from './helpers';
import { login } from './helpers';

// PhotoPrism internal/api/video.go (GetVideo) and Go's http.ServeContent ranges.
describe('PhotoPrism emulator: videos', () => {
  let e: PhotoPrismEmulator;
  let session: LoginBody;

  beforeAll(async () => {
    e = await startPhotoPrismEmulator({ photos: 60, albums: 0, seed: 13 });
    session = await login(e);
  });
  afterAll(async () => e.close());

  const hashOf = (type: string, primary = true) => {
    const res = e.admin.snapshot().photos.find((p) => p.Type === type);
    const file = res?.Files.find((f) => f.Primary === primary);
    if (!file) throw new Error(`no ${type}`);
    return file.Hash;
  };
  const video = (hash: string, token: string, format = 'avc', range?: string) =>
    fetch(`${e.url}/api/v1/videos/${hash}/${token}/${format}`, { headers: range ? { Range: range } : {} });

  it('serves a real H.264 MP4 for a video photo, by its JPEG preview hash too', async () => {
    for (const hash of [hashOf('video', true), hashOf('video', false)]) {
      const res = await video(hash, session.config.previewToken);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('video/mp4; codecs="avc1"');
      expect(res.headers.get('accept-ranges')).toBe('bytes');
      const body = Buffer.from(await res.arrayBuffer());
      expect(body.subarray(4, 8).toString('latin1')).toBe('ftyp');
    }
  });

  it('answers byte ranges with 206 and Content-Range, 416 past the end', async () => {
    const res = await video(hashOf('video'), session.config.previewToken, 'avc', 'bytes=10-19');
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toMatch(/^bytes 10-19\/\d+$/);
    expect((await res.arrayBuffer()).byteLength).toBe(10);
    const beyond = await video(hashOf('video'), session.config.previewToken, 'avc', 'bytes=99999999-');
    expect(beyond.status).toBe(416);
  });

  it('403 + SVG for a bad token; 200 + video icon for a photo without video or an unknown format', async () => {
    const bad = await video(hashOf('video'), 'public');
    expect(bad.status).toBe(403);
    expect(bad.headers.get('content-type')).toBe('image/svg+xml');
    for (const res of [
      await video(hashOf('image'), session.config.previewToken),
      await video(hashOf('video'), session.config.previewToken, 'xyz'),
    ]) {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/svg+xml');
    }
  });

  it('reads ranges as http.ServeContent does', () => {
    expect(parseRange('bytes=0-', 100)).toEqual({ start: 0, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('', 100)).toBeNull();
  });
});
