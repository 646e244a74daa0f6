import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryLogger } from '../../../main/log/logger';
import { OriginalService } from '../../../main/thumbnails/original-service';
import { originalPath } from '../../../shared/library/schemas';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { makeHarness, type Harness } from '../library/helpers';

let emu: PhotoPrismEmulator;
let h: Harness;
let originals: OriginalService;

beforeEach(async () => {
  emu = await startPhotoPrismEmulator({ photos: 40, albums: 0, seed: 13 });
  h = makeHarness();
  await h.connection.signIn({ serverUrl: emu.url, username: emu.credentials.username, password: emu.credentials.password });
  await h.library.refresh();
  originals = new OriginalService({ lookupHash: (uid) => h.repo.thumbHash(uid), source: h.connection, log: createMemoryLogger() });
});
afterEach(async () => {
  h.library.dispose();
  h.connection.dispose();
  await emu.close();
});

const ofType = (type: string) => {
  const photo = h.library.query({ view: { kind: 'all' }, q: '', offset: 0, limit: 1000 }).photos.find((p) => p.type === type);
  if (!photo) throw new Error(`no ${type} in the library`);
  return photo;
};
/** Width and height from a baseline JPEG's SOF0 segment (decoding a 24 MP image would take seconds). */
function jpegSize(body: Buffer): [number, number] {
  const sof = body.indexOf(Buffer.from([0xff, 0xc0]));
  return [body.readUInt16BE(sof + 7), body.readUInt16BE(sof + 5)];
}
const downloads = () => emu.requests.filter((r) => r.path.startsWith('/api/v1/dl/'));

describe('OriginalService', () => {
  it('serves the full-size original with the DOWNLOAD token, which never leaves main', async () => {
    const photo = ofType('image');
    const answer = await originals.serve(originalPath(photo.uid));
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('image/jpeg');
    expect(jpegSize(answer.body)).toEqual([photo.width, photo.height]);
    // Asked with the download token: the preview token would be refused (403) by PhotoPrism.
    const token = h.connection.downloadToken() ?? 'none';
    expect(token).not.toBe(h.connection.previewToken());
    // The emulator records a request when its answer has finished sending, a moment after the client has it.
    await vi.waitFor(() => expect(downloads().map((r) => r.query['t'])).toEqual([token]));
    expect(JSON.stringify(answer.headers)).not.toContain(token);
    expect(h.log.lines.join('\n')).not.toContain(token);
  });

  it('after a server restart (token maps emptied) the original still loads with the same token', async () => {
    const photo = ofType('image');
    emu.admin.restart();
    expect((await originals.serve(originalPath(photo.uid))).status).toBe(200);
    expect(h.connection.status().state).toBe('online');
  });

  it('answers 415 for an original a browser cannot show (a Live photo is HEIC), 404 when gone, 503 offline', async () => {
    expect((await originals.serve(originalPath(ofType('live').uid))).status).toBe(415);
    const photo = ofType('image');
    emu.admin.removeOriginal(photo.uid);
    expect((await originals.serve(originalPath(photo.uid))).status).toBe(404);
    expect((await originals.serve('/originals/../secrets')).status).toBe(404);
    await emu.admin.goDown();
    await h.library.refresh('full');
    expect((await originals.serve(originalPath(ofType('image').uid))).status).toBe(503);
  });
});
