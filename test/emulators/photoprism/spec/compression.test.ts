import { get } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { PhotoPrismEmulator, PhotoPrismEmulatorOptions } from '../index';
import { startPhotoPrismEmulator } from '../index';
import { login } from './helpers';

/** A raw GET (fetch would inflate by itself and hide what the server sent). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

// `--http-compression` (PhotoPrism internal/server/start.go, Start): gzip for API answers, never for the excluded paths.
describe('PhotoPrism emulator: http compression', () => {
  let e: PhotoPrismEmulator | undefined;
  afterEach(async () => e?.close());

  async function start(options: PhotoPrismEmulatorOptions = {}) {
    e = await startPhotoPrismEmulator({ photos: 30, albums: 2, seed: 5, ...options });
    const session = await login(e);
    const auth = { Authorization: `Bearer ${session.access_token}` };
    return { emu: e, session, auth };
  }

  it('gzips a search page for a client that accepts it, and the page inflates to the same JSON', async () => {
    const { emu, auth } = await start();
    const url = `${emu.url}/api/v1/photos?count=20&offset=0&merged=true`;
    const plain = await rawGet(url, auth);
    const zipped = await rawGet(url, { ...auth, 'Accept-Encoding': 'gzip, deflate' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(String(zipped.headers['vary'])).toContain('Accept-Encoding');
    expect(zipped.body.length).toBeLessThan(plain.body.length / 3);
    expect(JSON.parse(gunzipSync(zipped.body).toString())).toEqual(JSON.parse(plain.body.toString()));
  });

  it('never compresses thumbnails or album routes (the paths start.go excludes)', async () => {
    const { emu, session, auth } = await start();
    const photo = emu.admin.snapshot().photos[0];
    if (!photo?.Files[0]) throw new Error('need a photo');
    const thumb = await rawGet(`${emu.url}/api/v1/t/${photo.Files[0].Hash}/${session.config.previewToken}/tile_224`, {
      'Accept-Encoding': 'gzip',
    });
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    expect(thumb.headers['content-encoding']).toBeUndefined();
    const albums = await rawGet(`${emu.url}/api/v1/albums?count=10&type=album`, { ...auth, 'Accept-Encoding': 'gzip' });
    expect(albums.headers['content-encoding']).toBeUndefined();
    expect(Array.isArray(JSON.parse(albums.body.toString()))).toBe(true);
  });

  it("answers uncompressed in 'none' mode (PhotoPrism's own default when the option is unset)", async () => {
    const { emu, auth } = await start({ httpCompression: 'none' });
    const res = await rawGet(`${emu.url}/api/v1/photos?count=20&offset=0`, { ...auth, 'Accept-Encoding': 'gzip' });
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(Array.isArray(JSON.parse(res.body.toString()))).toBe(true);
  });
});
