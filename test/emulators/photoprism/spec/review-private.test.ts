import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoPrismEmulator } from '../index';
import { startPhotoPrismEmulator } from '../index';
import { api, login, obj, rows } from './helpers';
import { placeAcrossNewYear } from '../new-year-pair';

/**
 * What each of PhotoPrism's photo views lists, and Approve (PhotoPrism
 * internal/entity/search/photos.go "Filter by status"; frontend/src/page/photos.vue and
 * frontend/src/app/routes.js for the parameters each view sends; internal/api/photos.go
 * ApprovePhoto).
 */
describe('PhotoPrism emulator: review, private, hidden and local time', () => {
  let e: PhotoPrismEmulator;
  let call: ReturnType<typeof api>;

  beforeAll(async () => {
    e = await startPhotoPrismEmulator({ photos: 300, albums: 4, seed: 3 });
    call = api(e, (await login(e)).access_token);
  });
  afterAll(async () => e.close());

  const active = () => e.admin.snapshot().photos.filter((p) => !p.Archived);
  const uidsOf = async (query: string) => new Set((await rows(await call(`/photos?count=100000&merged=true&${query}`))).map((r) => r.UID));

  it('generates photos in review (quality 0–2), broken ones (quality -1) and private ones', () => {
    const photos = active();
    expect(photos.filter((p) => p.Quality >= 0 && p.Quality < 3).length).toBeGreaterThan(3);
    expect(photos.filter((p) => p.Quality === -1).length).toBeGreaterThan(0);
    expect(photos.filter((p) => p.Private).length).toBeGreaterThan(3);
  });

  it('browse (public=true&quality=3, as photos.vue sends) hides review, private and broken photos', async () => {
    const listed = await uidsOf('public=true&quality=3');
    const expected = active().filter((p) => !p.Private && p.Quality >= 3);
    expect(listed).toEqual(new Set(expected.map((p) => p.UID)));
  });

  it('an admin without filters also gets review and private photos, but never broken ones', async () => {
    const listed = await uidsOf('');
    expect(listed).toEqual(
      new Set(
        active()
          .filter((p) => p.Quality !== -1)
          .map((p) => p.UID),
      ),
    );
  });

  it('review=true lists quality < 3 (quality=3 is then ignored); broken files stay out', async () => {
    const listed = await uidsOf('review=true&public=true&quality=3');
    const expected = active().filter((p) => !p.Private && p.Quality >= 0 && p.Quality < 3);
    expect(expected.length).toBeGreaterThan(0);
    expect(listed).toEqual(new Set(expected.map((p) => p.UID)));
  });

  it('private=true lists every private photo whatever its quality (quality applies only without private)', async () => {
    const listed = await uidsOf('private=true&public=true&quality=3');
    expect(listed).toEqual(
      new Set(
        active()
          .filter((p) => p.Private && p.Quality !== -1)
          .map((p) => p.UID),
      ),
    );
  });

  it('hidden=true lists the broken photos', async () => {
    const listed = await uidsOf('hidden=true');
    expect(listed).toEqual(
      new Set(
        active()
          .filter((p) => p.Quality === -1)
          .map((p) => p.UID),
      ),
    );
  });

  it('a guest gets neither review nor private photos: the ACL drops review and forces public', async () => {
    const guest = api(e, (await login(e, { username: 'guest', password: 'guest-password' })).access_token);
    const listed = new Set((await rows(await guest('/photos?count=100000&merged=true&review=true'))).map((r) => r.UID));
    expect(listed).toEqual(
      new Set(
        active()
          .filter((p) => !p.Private && p.Quality !== -1)
          .map((p) => p.UID),
      ),
    );
  });

  it('POST /photos/:uid/approve moves a photo from review into browse and says so on the socket', async () => {
    const photo = active().find((p) => !p.Private && p.Quality >= 0 && p.Quality < 3);
    expect(photo).toBeDefined();
    const uid = photo?.UID ?? '';
    const before = e.admin.publishedEvents().length;
    const res = await call(`/photos/${uid}/approve`, { method: 'POST' });
    expect(res.status).toBe(200);
    const body = (await obj(res)) as { photo: { UID: string; Quality: number } };
    expect(body.photo.UID).toBe(uid);
    expect(body.photo.Quality).toBeGreaterThanOrEqual(3);
    expect((await uidsOf('public=true&quality=3')).has(uid)).toBe(true);
    expect((await uidsOf('review=true')).has(uid)).toBe(false);
    const events = e.admin
      .publishedEvents()
      .slice(before)
      .map((ev) => ev.event);
    expect(events).toContain('photos.updated');
    expect(events).toContain('count.review');
    expect((await call('/photos/pqzzzzzzzzzzzzzz/approve', { method: 'POST' })).status).toBe(404);
  });

  it('POST /batch/photos/approve approves each one like the single endpoint (UpdatedAt bumps too)', async () => {
    const waiting = active()
      .filter((p) => !p.Private && p.Quality >= 0 && p.Quality < 3)
      .slice(0, 2);
    expect(waiting).toHaveLength(2);
    const before = e.admin.publishedEvents().length;
    const res = await call('/batch/photos/approve', { method: 'POST', body: { photos: waiting.map((p) => p.UID) } });
    expect(res.status).toBe(200);
    expect(await obj(res)).toMatchObject({ code: 200, message: 'Selection approved' });
    for (const p of waiting) {
      const now = e.admin.snapshot().photos.find((q) => q.UID === p.UID);
      expect(now?.Quality).toBeGreaterThanOrEqual(3);
      expect(now?.UpdatedAt).not.toBe(p.UpdatedAt);
    }
    const events = e.admin
      .publishedEvents()
      .slice(before)
      .map((ev) => ev.event);
    expect(events.filter((name) => name === 'count.review')).toHaveLength(2);
    expect(events).toContain('photos.updated');
    expect(events).toContain('config.updated');
  });

  it('settings.features carries the review and private switches an admin sets', async () => {
    const features = async () => {
      const session = (await obj(await call('/session'))) as { config: { settings: { features: Record<string, boolean> } } };
      return session.config.settings.features;
    };
    expect(await features()).toMatchObject({ review: true, private: true });
    e.admin.setFeatures({ review: false });
    try {
      expect(await features()).toMatchObject({ review: false, private: true });
    } finally {
      e.admin.setFeatures({ review: true });
    }
  });

  it('newest sorts by the local time taken (files.photo_taken_at = TakenAtLocal), not UTC', async () => {
    const [a, b] = active().filter((p) => p.Quality >= 3 && !p.Private);
    if (!a || !b) throw new Error('need two photos');
    // a: New York on New Year's Eve, b: Berlin after midnight. By UTC a is newer; where they were taken, b is.
    placeAcrossNewYear(e.admin, { newYork: a.UID, berlin: b.UID });
    const page = await rows(await call('/photos?count=2&merged=true&order=newest'));
    expect(page.map((r) => r.UID)).toEqual([b.UID, a.UID]);
    // TakenAtLocal goes out with a Z although it is wall-clock time (Go's time.Time in UTC).
    const first = page.find((r) => r.UID === a.UID) as Record<string, unknown> | undefined;
    expect(first?.['TakenAtLocal']).toBe('2030-12-31T23:30:00Z');
  });
});
