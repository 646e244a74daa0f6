import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../main/log/logger';
import { VideoService } from '../../../main/thumbnails/video-service';
import { videoPath } from '../../../shared/library/schemas';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { makeHarness, type Harness } from '../library/helpers';

let emu: PhotoPrismEmulator;
let h: Harness;
let videos: VideoService;

beforeEach(async () => {
  emu = await startPhotoPrismEmulator({ photos: 60, albums: 0, seed: 13 });
  h = makeHarness();
  await h.connection.signIn({ serverUrl: emu.url, username: emu.credentials.username, password: emu.credentials.password });
  await h.library.refresh();
  // 4 KB chunks, so the 14.7 KB test clip takes several responses.
  videos = new VideoService({
    lookupHash: (uid) => h.repo.thumbHash(uid),
    source: h.connection,
    log: createMemoryLogger(),
    chunkBytes: 4096,
  });
});
afterEach(async () => {
  h.library.dispose();
  h.connection.dispose();
  await emu.close();
});

const ofType = (type: string) => {
  const photo = h.library.query({ view: { kind: 'all' }, q: '', offset: 0, limit: 1000 }).photos.find((p) => p.type === type);
  if (!photo) throw new Error(`no ${type} in the library`);
  return photo.uid;
};
const videoRequests = () => emu.requests.filter((r) => r.path.startsWith('/api/v1/videos/'));

describe('VideoService', () => {
  it('streams a video in bounded byte ranges that add up to the whole file', async () => {
    const path = videoPath(ofType('video'));
    const first = await videos.serve(path, 'bytes=0-');
    expect(first.status).toBe(206);
    expect(first.headers['content-type']).toMatch(/^video\/mp4/);
    expect(first.body.length).toBe(4096);
    const total = Number(/\/(\d+)$/.exec(first.headers['content-range'] ?? '')?.[1]);
    expect(first.headers['content-range']).toBe(`bytes 0-4095/${total}`);
    // The server was asked for exactly one chunk, never for everything.
    expect(videoRequests().map((r) => r.headers['range'])).toEqual(['bytes=0-4095']);

    const parts = [first.body];
    let next = 4096;
    while (next < total) {
      const part = await videos.serve(path, `bytes=${next}-`);
      expect(part.status).toBe(206);
      parts.push(part.body);
      next += part.body.length;
    }
    const whole = Buffer.concat(parts);
    expect(whole.length).toBe(total);
    expect(whole.subarray(4, 8).toString('latin1')).toBe('ftyp');
  });

  it('after a server restart (token map emptied, same token) the video still plays', async () => {
    const path = videoPath(ofType('video'));
    const tokenBefore = h.connection.previewToken();
    emu.admin.restart();
    const played = await videos.serve(path, 'bytes=0-');
    expect(played.status).toBe(206);
    // PhotoPrism hands back the SAME token after the session check (photoprism issue 5265).
    expect(h.connection.previewToken()).toBe(tokenBefore);
    expect(h.connection.status().state).toBe('online');
  });

  it('a Live photo plays its motion; a plain photo has no video (404, not an SVG as video)', async () => {
    expect((await videos.serve(videoPath(ofType('live')), undefined)).status).toBe(206);
    const still = await videos.serve(videoPath(ofType('image')), undefined);
    expect(still.status).toBe(404);
  });

  it('keeps the preview token out of headers and logs, and answers 503 offline, 404 for bad paths', async () => {
    const log = createMemoryLogger();
    videos = new VideoService({ lookupHash: (uid) => h.repo.thumbHash(uid), source: h.connection, log });
    const answer = await videos.serve(videoPath(ofType('video')), undefined);
    const token = h.connection.previewToken() ?? 'none';
    expect(JSON.stringify(answer.headers)).not.toContain(token);
    expect(h.log.lines.join('\n')).not.toContain(token);
    expect((await videos.serve('/videos/../secrets', undefined)).status).toBe(404);

    await emu.admin.goDown();
    await h.library.refresh('full');
    expect((await videos.serve(videoPath(ofType('video')), 'bytes=0-')).status).toBe(503);
  });
});
