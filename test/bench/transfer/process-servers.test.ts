import { randomBytes, createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { startEmulatorProcess, startListeningProcess, type EmulatorProcess, type ListeningProcess } from '../library/emulator-process';
import { REPO_ROOT } from '../library/paths';

/**
 * What a client sees of one upload and import (docs/photoprism-api.md §6.5): a refused body, a
 * multipart POST, the import PUT, the search by the file's SHA-1 and the download of the original.
 */
async function uploadTranscript(server: { url: string; credentials: { username: string; password: string } }, bytes: Buffer) {
  const login = await fetch(`${server.url}/api/v1/session`, { method: 'POST', body: JSON.stringify(server.credentials) });
  const session = (await login.json()) as { access_token: string; user: { UID: string }; config: { downloadToken: string } };
  const auth = { authorization: `Bearer ${session.access_token}` };
  const path = `${server.url}/api/v1/users/${session.user.UID}/upload/transcript1`;
  const answer = async (res: Response) => ({ status: res.status, body: (await res.json()) as unknown });
  const refused = await answer(
    await fetch(path, { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: 'not a form' }),
  );
  const form = new FormData();
  form.append('files', new Blob([new Uint8Array(bytes)]), 'IMG_0001.jpg');
  const uploaded = await answer(await fetch(path, { method: 'POST', headers: auth, body: form }));
  const imported = await answer(await fetch(path, { method: 'PUT', headers: auth, body: JSON.stringify({ albums: [] }) }));
  const sha1 = createHash('sha1').update(bytes).digest('hex');
  const found = (await (await fetch(`${server.url}/api/v1/photos?count=4&uid=${sha1}`, { headers: auth })).json()) as Array<{
    Hash: string;
    OriginalName: string;
  }>;
  const original = Buffer.from(await (await fetch(`${server.url}/api/v1/dl/${sha1}?t=${session.config.downloadToken}`)).arrayBuffer());
  return {
    refused,
    uploaded,
    imported,
    found: found.map((p) => ({ Hash: p.Hash, OriginalName: p.OriginalName })),
    sameBytes: original.equals(bytes),
  };
}

describe('Benchmark servers in processes of their own', () => {
  let inProcess: PhotoPrismEmulator;
  let ownProcess: EmulatorProcess;
  let sink: ListeningProcess;

  beforeAll(async () => {
    // The same library as the import benchmark's, in this process and in a child process.
    [inProcess, ownProcess, sink] = await Promise.all([
      startPhotoPrismEmulator({ photos: 20, albums: 1, seed: 3, rateLimits: false }),
      startEmulatorProcess({ photos: 20, albums: 1, seed: 3 }),
      startListeningProcess(join(REPO_ROOT, 'test', 'bench', 'transfer', 'raw-sink.ts'), [], 'The raw copy sink'),
    ]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([inProcess?.close(), ownProcess?.stop(), sink?.stop()]);
  });

  it("the emulator in its own process answers an upload and its import exactly as the one in the tests' process", async () => {
    const bytes = randomBytes(300_000);
    const there = await uploadTranscript(ownProcess, bytes);
    const here = await uploadTranscript(inProcess, bytes);
    expect(there).toEqual(here);
    expect(here.refused.status).toBe(400);
    expect(here.uploaded).toMatchObject({ status: 200 });
    expect(here.found).toEqual([{ Hash: createHash('sha1').update(bytes).digest('hex'), OriginalName: 'IMG_0001.jpg' }]);
    expect(here.sameBytes).toBe(true);
  });

  it("the raw copy's sink takes a body and answers ok, and stops when asked", async () => {
    const res = await fetch(sink.url, { method: 'POST', body: randomBytes(100_000) });
    expect([res.status, await res.text()]).toEqual([200, 'ok']);
    await sink.stop();
    await expect(fetch(sink.url, { method: 'POST', body: 'x' })).rejects.toThrow();
  });
});
