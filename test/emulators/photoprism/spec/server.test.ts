import { afterEach, describe, expect, it } from 'vitest';
import type { PhotoPrismEmulator } from '../index';
import { startPhotoPrismEmulator } from '../index';
import { api, login, obj } from './helpers';

// docs/photoprism-api.md §0.1, docs/photoprism-api.md §7, docs/photoprism-api.md §9 and checklist rows 11, 13, 14; plus the harness (faults, admin over HTTP).
describe('PhotoPrism emulator: errors, config, UIDs and faults', () => {
  let e: PhotoPrismEmulator;
  afterEach(async () => e.close());

  it('answers unknown routes with HTML 404, or JSON when Accept asks for it; redirects trailing slashes', async () => {
    e = await startPhotoPrismEmulator({ photos: 1 });
    const html = await fetch(`${e.url}/api/v1/nope`);
    expect(html.status).toBe(404);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    const json = await fetch(`${e.url}/api/v1/nope`, { headers: { Accept: 'application/json' } });
    expect(await json.json()).toEqual({ error: 'Not found' });
    // A wrong method on an existing path is a 404 too.
    expect((await fetch(`${e.url}/api/v1/photos`, { method: 'PATCH', headers: { Accept: 'application/json' } })).status).toBe(404);
    const slash = await fetch(`${e.url}/api/v1/config/`, { redirect: 'manual' });
    expect(slash.status).toBe(301);
    expect(slash.headers.get('location')).toBe('/api/v1/config');
  });

  it('serves the public config without a token and the user config with one; version YYMMDD-…', async () => {
    e = await startPhotoPrismEmulator({ photos: 5, version: '250101-abcdef012-Linux-AMD64-CE' });
    const pub = await obj(await fetch(`${e.url}/api/v1/config`, { headers: { 'X-Auth-Token': '0'.repeat(48) } }));
    expect(pub['mode']).toBe('public');
    expect(pub['previewToken']).toBe('public');
    expect(pub['downloadToken']).toBe('public');
    const s = await login(e);
    const user = await obj(await api(e, s.access_token)('/config'));
    expect(user['mode']).toBe('user');
    expect(user['version']).toBe('250101-abcdef012-Linux-AMD64-CE');
    expect(user['edition']).toBe('ce');
    expect(user['previewToken']).toBe(s.config.previewToken);
    const count = user['count'] as Record<string, number>;
    expect(count['all']).toBeGreaterThan(0);
    const thumbs = user['thumbs'] as Array<Record<string, unknown>>;
    expect(thumbs[0]).toHaveProperty('usage');
    expect(await (await fetch(`${e.url}/api/v1/status`)).json()).toEqual({ status: 'operational' });
  });

  it('counts like ClientConfig: photos, live and videos apart, All less Review, private apart (internal/config/client_config.go)', async () => {
    e = await startPhotoPrismEmulator({ photos: 400, albums: 2, seed: 9 });
    const s = await login(e);
    const count = (await obj(await api(e, s.access_token)('/config')))['count'] as Record<string, number>;
    const visible = e.admin.snapshot().photos.filter((p) => !p.Archived && p.Quality > -1);
    const shown = visible.filter((p) => !p.Private);
    expect(visible.some((p) => p.Type === 'live') && visible.some((p) => p.Type === 'video')).toBe(true);
    expect(count['photos']).toBe(shown.filter((p) => p.Type !== 'live' && p.Type !== 'video').length);
    expect(count['live']).toBe(shown.filter((p) => p.Type === 'live').length);
    expect(count['videos']).toBe(shown.filter((p) => p.Type === 'video').length);
    expect(count['private']).toBe(visible.filter((p) => p.Private).length);
    expect(count['review']).toBeGreaterThan(0);
    expect(count['all']).toBe((count['photos'] ?? 0) + (count['live'] ?? 0) + (count['videos'] ?? 0) - (count['review'] ?? 0));
  });

  it('generates PhotoPrism UIDs: prefix + 6 base36 time chars after 2017 + 9 random chars', async () => {
    e = await startPhotoPrismEmulator({ photos: 50, albums: 3 });
    const snap = e.admin.snapshot();
    const ok = (uid: string, prefix: string) => {
      expect(uid).toMatch(new RegExp(`^${prefix}[0-9a-z]{15}$`));
      const seconds = Number.parseInt(uid.slice(1, 7), 36);
      expect(seconds * 1000).toBeGreaterThan(Date.UTC(2017, 0, 1));
      expect(seconds * 1000).toBeLessThanOrEqual(Date.now());
    };
    snap.photos.forEach((p) => {
      ok(p.UID, 'p');
      p.Files.forEach((f) => ok(f.UID, 'f'));
    });
    snap.albums.forEach((a) => ok(a.UID, 'a'));
    expect(snap.photos.some((p) => p.Files.length === 2)).toBe(true);
    expect(snap.photos.some((p) => p.Favorite)).toBe(true);
  });

  it('injects 500 errors with the i18n envelope, and goes down and up on the same port', async () => {
    e = await startPhotoPrismEmulator({ photos: 3 });
    const s = await login(e);
    await e.admin.setFault({ errorRate: 1 });
    const failed = await api(e, s.access_token)('/photos?count=1');
    expect(failed.status).toBe(500);
    expect(await failed.json()).toEqual({ code: 500, error: 'Something went wrong, try again' });
    await e.admin.setFault({ errorRate: 0, down: true });
    await expect(fetch(`${e.url}/api/v1/status`)).rejects.toThrow();
    await e.admin.setFault({ down: false });
    expect((await api(e, s.access_token)('/photos?count=1')).status).toBe(200);
  });

  it('applies a change and then drops the answer (dropResponsesAfterApply), GETs and sign-in untouched', async () => {
    e = await startPhotoPrismEmulator({ photos: 3 });
    const s = await login(e);
    const uid = e.admin.photoUids()[0] ?? '';
    await e.admin.setFault({ dropResponsesAfterApply: 1 });
    // Reads are not counted: the fault waits for the next change.
    expect((await api(e, s.access_token)('/photos?count=1')).status).toBe(200);
    await expect(api(e, s.access_token)(`/photos/${uid}/like`, { method: 'POST' })).rejects.toThrow();
    // PhotoPrism saves before it answers: the like happened although no answer came.
    expect(e.admin.snapshot().photos.find((p) => p.UID === uid)?.Favorite).toBe(true);
    // One only: the next change is answered.
    expect((await api(e, s.access_token)(`/photos/${uid}/like`, { method: 'DELETE' })).status).toBe(200);
  });

  it('exposes the admin API over HTTP on its own port, which stays up while the API is down', async () => {
    e = await startPhotoPrismEmulator({ photos: 5 });
    const info = await obj(await fetch(`${e.adminUrl}/_admin/info`));
    expect(info['appPassword']).toBe(e.appPassword);
    expect(String((info['twoFactor'] as Record<string, unknown>)['code'])).toMatch(/^\d{6}$/);
    expect((await fetch(`${e.adminUrl}/_admin/down`, { method: 'POST' })).status).toBe(200);
    await expect(fetch(`${e.url}/api/v1/status`)).rejects.toThrow();
    expect((await fetch(`${e.adminUrl}/_admin/up`, { method: 'POST' })).status).toBe(200);
    const uid = e.admin.photoUids()[0] ?? '';
    expect((await fetch(`${e.url}/_admin/photos/${uid}/like`, { method: 'POST' })).status).toBe(200);
    const snap = await obj(await fetch(`${e.adminUrl}/_admin/snapshot`));
    const photos = snap['photos'] as Array<Record<string, unknown>>;
    expect(photos.find((p) => p['UID'] === uid)?.['Favorite']).toBe(true);
    expect((await fetch(`${e.adminUrl}/_admin/photos/p000000000000000/like`, { method: 'POST' })).status).toBe(404);
  });

  it('records requests with method, path, query, headers, body and status', async () => {
    e = await startPhotoPrismEmulator({ photos: 3 });
    const s = await login(e);
    await api(e, s.access_token)('/photos?count=2&merged=true');
    const last = e.requests[e.requests.length - 1];
    expect(last).toMatchObject({ method: 'GET', path: '/api/v1/photos', query: { count: '2', merged: 'true' }, status: 200 });
    expect(last?.headers['x-auth-token']).toBe(s.access_token);
    expect(e.requests[0]?.body).toContain('"username"');
  });
});
