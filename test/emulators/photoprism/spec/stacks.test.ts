import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoPrismEmulator } from '../index';
import { startPhotoPrismEmulator } from '../index';
import { api, login, rows } from './helpers';

type Json = Record<string, unknown>;
interface FileJson {
  UID: string;
  Name: string;
  Primary: boolean;
  FileType?: string;
  Root: string;
}

// Photo stacks: stack:true, choosing the primary file and unstacking (PhotoPrism internal/api/photos.go,
// PhotoPrimary; internal/api/photo_unstack.go, PhotoUnstack; internal/entity/search/photos.go).
describe('PhotoPrism emulator: photo stacks', () => {
  let e: PhotoPrismEmulator;
  let call: ReturnType<typeof api>;

  beforeAll(async () => {
    e = await startPhotoPrismEmulator({ photos: 300, albums: 0, seed: 5 });
    call = api(e, (await login(e)).access_token);
  });
  afterAll(async () => e.close());

  const uids = async (query: string) => [...new Set((await rows(await call(`/photos?count=1000&merged=true&${query}`))).map((r) => r.UID))];
  const files = async (uid: string) => ((await (await call(`/photos/${uid}`)).json()) as { Files: FileJson[] }).Files;
  const post = (path: string) => call(path, { method: 'POST' });

  it('stack:true finds the images with two JPEGs, and only those', async () => {
    const stacks = await uids(`q=${encodeURIComponent('stack:true')}`);
    expect(stacks.length).toBeGreaterThan(0);
    for (const uid of stacks) expect((await files(uid)).filter((f) => f.FileType === 'jpg').length).toBeGreaterThan(1);
    // The magic word "stacks" means the same.
    expect(await uids('q=stacks')).toEqual(stacks);
  });

  it('makes another file primary: the photo and its search rows list it first', async () => {
    const [uid] = await uids(`q=${encodeURIComponent('stack:true')}`);
    const before = await files(String(uid));
    const other = before.find((f) => !f.Primary);
    if (!other) throw new Error('no second file');
    const res = await post(`/photos/${String(uid)}/files/${other.UID}/primary`);
    expect(res.status).toBe(200);
    const entity = (await res.json()) as { Files: FileJson[] };
    expect(entity.Files.filter((f) => f.Primary).map((f) => f.UID)).toEqual([other.UID]);
    const [first] = await rows(await call(`/photos?count=10&merged=true&uid=${String(uid)}`));
    expect(first?.['FileUID']).toBe(other.UID);
    expect((await post(`/photos/pzzzzzzzzzzzzzzz/files/${other.UID}/primary`)).status).toBe(404);
  });

  it('unstacks a file into a photo of its own; primary and sidecar files cannot be unstacked', async () => {
    const [uid] = await uids('type=raw');
    const before = await files(String(uid));
    const raw = before.find((f) => !f.Primary && f.Root === '/');
    const primary = before.find((f) => f.Primary);
    if (!raw || !primary) throw new Error('no RAW photo');
    expect((await post(`/photos/${String(uid)}/files/${primary.UID}/unstack`)).status).toBe(400);
    const res = await post(`/photos/${String(uid)}/files/${raw.UID}/unstack`);
    expect(res.status).toBe(200);
    const stack = (await res.json()) as Json & { Files: FileJson[] };
    expect(stack['Stack']).toBe(-1);
    expect(stack.Files.map((f) => f.UID)).toEqual([primary.UID]);
    // The RAW is now a photo of its own, renamed `<name>.<hash>.cr2`, and both are "unstacked".
    const [created] = await rows(await call(`/photos?count=10&merged=true&q=${encodeURIComponent(`filename:*.cr2 unstacked:true`)}`));
    expect(created?.['FileUID']).toBe(raw.UID);
    expect(String(created?.['FileName'])).toMatch(/\.[0-9a-f]{40}\.cr2$/);
    expect(await uids('unstacked=true')).toEqual(expect.arrayContaining([String(uid), String(created?.['UID'])]));
    expect((await post(`/photos/${String(uid)}/files/fzzzzzzzzzzzzzzz/unstack`)).status).toBe(404);
  });

  it('a read-only server refuses an unstack that would rename the file (403) and changes nothing', async () => {
    const [uid] = await uids(`q=${encodeURIComponent('stack:true')}`);
    const version = (await files(String(uid))).find((f) => !f.Primary && f.Root === '/');
    if (!version) throw new Error('no second version');
    e.stackSwitches.readOnly = true;
    try {
      expect((await post(`/photos/${String(uid)}/files/${version.UID}/unstack`)).status).toBe(403);
      expect((await files(String(uid))).map((f) => f.UID)).toContain(version.UID);
    } finally {
      e.stackSwitches.readOnly = false;
    }
  });
});
