import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../index';
import { qualityScore } from '../transfers';
import { login } from './helpers';

/** Upload, import and download as PhotoPrism serves them (internal/api/users_upload.go, download_file.go). */
describe('emulator: upload, import, download', () => {
  let e: PhotoPrismEmulator;
  beforeEach(async () => {
    e = await startPhotoPrismEmulator({ photos: 10, albums: 1, seed: 3, rateLimits: false });
  });
  afterEach(async () => {
    await e.close();
  });

  function form(files: Array<{ name: string; bytes: Buffer }>): FormData {
    const data = new FormData();
    for (const file of files) data.append('files', new Blob([new Uint8Array(file.bytes)]), file.name);
    return data;
  }

  it('stages files, imports them into an album as photos, and serves the originals byte for byte', async () => {
    const session = await login(e);
    const headers = { 'X-Auth-Token': session.access_token };
    const base = `${e.url}/api/v1/users/${session.user.UID}/upload/tok123`;
    const a = Buffer.from('first original, not really a JPEG');
    const b = Buffer.from('second original');
    const post = await fetch(base, {
      method: 'POST',
      headers,
      body: form([
        { name: 'a.jpg', bytes: a },
        { name: 'b.png', bytes: b },
        { name: 'notes.txt', bytes: b },
      ]),
    });
    expect(post.status).toBe(200);
    expect(await post.json()).toEqual({ code: 200, message: '3 files uploaded in 0 s' });
    const album = e.admin.snapshot().albums[0];
    const put = await fetch(base, {
      method: 'PUT',
      headers: { ...headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ albums: [album?.UID] }),
    });
    expect(await put.json()).toEqual({ code: 200, message: 'Upload has been processed' });
    // Two photos (the .txt is not a media type and is skipped), titled from the file name, in the album.
    const added = e.admin.snapshot().photos.filter((p) => p.Title === 'a' || p.Title === 'b');
    expect(added).toHaveLength(2);
    expect(e.admin.snapshot().albums[0]?.PhotoUIDs).toEqual(expect.arrayContaining(added.map((p) => p.UID)));
    const hash = createHash('sha1').update(a).digest('hex');
    const dl = await fetch(`${e.url}/api/v1/dl/${hash}?t=${session.config.downloadToken}`);
    expect(dl.status).toBe(200);
    expect(dl.headers.get('content-disposition')).toBe('attachment; filename="a.jpg"');
    expect(Buffer.from(await dl.arrayBuffer()).equals(a)).toBe(true);
    // Bad token: 403 SVG; unknown hash: 404 JSON.
    expect((await fetch(`${e.url}/api/v1/dl/${hash}?t=nope`)).status).toBe(403);
    const unknown = await fetch(`${e.url}/api/v1/dl/${'0'.repeat(40)}?t=${session.config.downloadToken}`);
    expect([unknown.status, await unknown.json()]).toEqual([404, { error: 'record not found' }]);
  });

  it('refuses what the server refuses: upload off, import off, NSFW, another user; skips files over the originals limit', async () => {
    const session = await login(e);
    const headers = { 'X-Auth-Token': session.access_token };
    const base = `${e.url}/api/v1/users/${session.user.UID}/upload/t1`;
    const file = [{ name: 'x.jpg', bytes: Buffer.alloc(2 * 1024 * 1024, 7) }];
    e.transferSwitches.uploadDisabled = true;
    const off = await fetch(base, { method: 'POST', headers, body: form(file) });
    expect([off.status, await off.json()]).toEqual([403, { code: 403, error: 'Not available in read-only mode' }]);
    e.transferSwitches.uploadDisabled = false;
    const other = await fetch(`${e.url}/api/v1/users/uxxxxxxxxxxxxxxx/upload/t1`, { method: 'POST', headers, body: form(file) });
    expect(other.status).toBe(403);
    e.transferSwitches.rejectNsfw = true;
    const nsfw = await fetch(base, { method: 'POST', headers, body: form([{ name: 'nsfw-1.jpg', bytes: Buffer.from('n') }]) });
    expect([nsfw.status, await nsfw.json()]).toEqual([403, { code: 403, error: 'Upload might be offensive' }]);
    e.transferSwitches.originalsLimitMb = 1;
    expect((await fetch(base, { method: 'POST', headers, body: form(file) })).status).toBe(200);
    const count = e.admin.snapshot().photos.length;
    e.transferSwitches.importDisabled = true;
    const noImport = await fetch(base, { method: 'PUT', headers, body: '{}' });
    expect([noImport.status, await noImport.json()]).toEqual([403, { code: 403, error: 'Feature disabled' }]);
    e.transferSwitches.importDisabled = false;
    expect((await fetch(base, { method: 'PUT', headers, body: '{}' })).status).toBe(200);
    // Over the limit: processed, but no photo (the indexer skips it).
    expect(e.admin.snapshot().photos.length).toBe(count);
  });

  it('scores photos as QualityScore does: below 3 waits in Review', () => {
    const plain = {
      favorite: false,
      takenSrc: 'auto',
      placeSrc: '',
      lat: 0,
      lng: 0,
      takenAtMs: Date.UTC(2024, 0, 1),
      resolution: 0,
      type: 'image',
      editedAtMs: null,
    };
    // Photographic only: 1, Review. A date from Exif and 12 MP: 3. A GPS position too: 4. A favourite: +3.
    expect(qualityScore(plain)).toBe(1);
    expect(qualityScore({ ...plain, takenSrc: 'meta', resolution: 12 })).toBe(3);
    expect(qualityScore({ ...plain, takenSrc: 'meta', resolution: 12, placeSrc: 'meta', lat: 52.5, lng: 13.4 })).toBe(4);
    expect(qualityScore({ ...plain, favorite: true })).toBe(4);
    // An estimated place does not count; a photo from before 2008 does; anything but a plain image (video, vector) and edited photos score at least 3.
    expect(qualityScore({ ...plain, placeSrc: 'estimate', lat: 52.5, lng: 13.4 })).toBe(1);
    expect(qualityScore({ ...plain, takenAtMs: Date.UTC(2005, 0, 1) })).toBe(2);
    expect(qualityScore({ ...plain, type: 'video' })).toBe(3);
    expect(qualityScore({ ...plain, editedAtMs: 1 })).toBe(3);
    expect(qualityScore({ ...plain, type: 'vector' })).toBe(3);
  });
});
