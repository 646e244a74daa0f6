import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DownloadLink } from '../../../shared/export';
import type { LibraryPage } from '../../../shared/library/schemas';
import { originalDownloadRoute } from '../../../main/export/original-download';
import { startWebShell, type WebShell } from '../../../main/webshell/server';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { makeDevice, type TestDevice } from '../../helpers/devices';

/** The primary original PhotoPrism serves for a photo: its name and bytes. */
async function primaryOriginal(pp: PhotoPrismEmulator, uid: string): Promise<{ name: string; bytes: Buffer }> {
  const session = await fetch(`${pp.url}/api/v1/session`, { method: 'POST', body: JSON.stringify(pp.credentials) });
  const body = (await session.json()) as { access_token: string; config: { downloadToken: string } };
  const photo = await fetch(`${pp.url}/api/v1/photos/${uid}`, { headers: { 'x-auth-token': body.access_token } });
  const files = ((await photo.json()) as { Files: Array<{ Name: string; Hash: string; Primary: boolean }> }).Files;
  const file = files.find((f) => f.Primary) ?? files[0];
  if (!file) throw new Error('no file');
  const res = await fetch(`${pp.url}/api/v1/dl/${file.Hash}?t=${body.config.downloadToken}`);
  return { name: file.Name.split('/').pop() ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
}

describe('One original as a browser download (web shell /downloads/<uid>, for a DownloadURL drag)', () => {
  let pp: PhotoPrismEmulator;
  let web: TestDevice;
  let shell: WebShell;
  let cookie = '';

  beforeAll(async () => {
    pp = await startPhotoPrismEmulator({ photos: 4, albums: 0, seed: 33, rateLimits: false });
    web = await makeDevice({ name: 'download', photoprism: pp });
    shell = await startWebShell({
      core: web.core,
      staticDir: web.dir,
      routes: [originalDownloadRoute(web.core.originalDownloads)],
      log: web.core.log,
    });
    const entry = await fetch(shell.url, { redirect: 'manual' });
    cookie = (entry.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  });
  afterAll(async () => {
    await shell?.close();
    await web?.close();
    await pp?.close();
  });

  it('serves the original byte for byte as an attachment under the name the drag data carries; the token stays in main', async () => {
    const uid = (await web.call<LibraryPage>('library.query', { view: { kind: 'all' }, offset: 0, limit: 1 })).photos[0]?.uid ?? '';
    const link = await web.call<DownloadLink>('export.downloadLink', { uid });
    const original = await primaryOriginal(pp, uid);
    expect(link).toEqual({ fileName: original.name, mime: 'image/jpeg', path: `/downloads/${uid}` });
    const res = await fetch(new URL(link.path, shell.origin), { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="${original.name}"; filename*=UTF-8''${encodeURIComponent(original.name)}`,
    );
    expect(Buffer.from(await res.arrayBuffer()).equals(original.bytes)).toBe(true);
    // Without the page's session: nothing.
    expect((await fetch(new URL(link.path, shell.origin))).status).toBe(401);
  });

  it('refuses a photo the library does not know, and answers clearly when the server is gone', async () => {
    await expect(web.call('export.downloadLink', { uid: 'pzzzzzzzzzzzzzzz' })).rejects.toMatchObject({ kind: 'not-found' });
    expect((await fetch(new URL('/downloads/pzzzzzzzzzzzzzzz', shell.origin), { headers: { cookie } })).status).toBe(404);
    expect((await fetch(new URL('/downloads/..%2Fetc', shell.origin), { headers: { cookie } })).status).toBe(404);
    const uid = (await web.call<LibraryPage>('library.query', { view: { kind: 'all' }, offset: 1, limit: 1 })).photos[0]?.uid ?? '';
    await pp.admin.goDown();
    try {
      const res = await fetch(new URL(`/downloads/${uid}`, shell.origin), { headers: { cookie } });
      expect(res.status).toBe(503);
      expect(await res.text()).toBe('The server is not reachable now.');
    } finally {
      await pp.admin.goUp();
    }
  });
});
