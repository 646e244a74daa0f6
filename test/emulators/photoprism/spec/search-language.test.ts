import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SnapshotPhoto } from '../admin';
import type { PhotoPrismEmulator } from '../index';
import { startPhotoPrismEmulator } from '../index';
import { api, login, rows } from './helpers';

/**
 * The search language of `q` (docs/photoprism-api.md §2.1, "Search language"): expectations are
 * written from PhotoPrism internal/form/serialize.go (Unserialize) and internal/entity/search/
 * photos.go (searchPhotos), and checked against the emulator's server truth (admin snapshot).
 */
describe('PhotoPrism emulator: search language', () => {
  let e: PhotoPrismEmulator;
  let call: ReturnType<typeof api>;
  let photos: SnapshotPhoto[];

  beforeAll(async () => {
    e = await startPhotoPrismEmulator({ photos: 1500, albums: 2, seed: 5 });
    call = api(e, (await login(e)).access_token);
    // What an admin's search lists by default: not archived, not broken.
    photos = e.admin.snapshot().photos.filter((p) => !p.Archived && p.Quality !== -1);
  });
  afterAll(async () => e.close());

  /** Photo UIDs a query finds (one row per photo), sorted. */
  async function find(q: string): Promise<string[]> {
    const res = await call(`/photos?count=100000&primary=true&q=${encodeURIComponent(q)}`);
    expect(res.status).toBe(200);
    return (await rows(res)).map((r) => r.UID).sort();
  }
  const uids = (list: SnapshotPhoto[]): string[] => list.map((p) => p.UID).sort();

  it('label:cat year:2023 → photos with the label Cat taken in 2023 (label by slug, plural too)', async () => {
    const expected = uids(photos.filter((p) => p.Labels.includes('cat') && p.Year === 2023));
    expect(expected.length).toBeGreaterThan(0);
    expect(await find('label:cat year:2023')).toEqual(expected);
    // AnySlug also tries the singular; `|` is OR within the value.
    expect(await find('label:cats year:2023')).toEqual(expected);
    expect(await find('label:cat|dog')).toEqual(uids(photos.filter((p) => p.Labels.includes('cat') || p.Labels.includes('dog'))));
    // An unknown label is an empty result, not an error.
    expect(await find('label:unicorn')).toEqual([]);
  });

  it('camera:EOS matches a camera name, model or slug prefix; free-text EOS is a stopword and finds nothing', async () => {
    const eos = uids(photos.filter((p) => p.CameraModel === 'EOS 6D'));
    expect(eos.length).toBeGreaterThan(0);
    expect(await find('camera:EOS')).toEqual(eos);
    expect(await find('camera:canon')).toEqual(eos);
    expect(await find('camera:6D')).toEqual([]);
    // No keyword in "EOS" → a title prefix search (`eos*`), which no title matches.
    expect(await find('EOS')).toEqual([]);
  });

  it('favorite:true / favorite:no / the magic word "favorites"', async () => {
    const favs = uids(photos.filter((p) => p.Favorite));
    expect(await find('favorite:true')).toEqual(favs);
    expect(await find('favorites')).toEqual(favs);
    expect(await find('favorite:no')).toEqual(uids(photos.filter((p) => !p.Favorite)));
  });

  it('type:video and type:video|live', async () => {
    expect(await find('type:video')).toEqual(uids(photos.filter((p) => p.Type === 'video')));
    expect(await find('type:video|live')).toEqual(uids(photos.filter((p) => p.Type === 'video' || p.Type === 'live')));
    expect(await find('video')).toEqual(uids(photos.filter((p) => p.Type === 'video')));
  });

  it("a person's name: person: by slug (exact), people: by name part, free text by keyword", async () => {
    const jane = uids(photos.filter((p) => p.People.includes('Jane Doe')));
    expect(jane.length).toBeGreaterThan(0);
    expect(await find('person:"Jane Doe"')).toEqual(jane);
    expect(await find('person:jane')).toEqual([]);
    expect(await find('people:jane')).toEqual(jane);
    expect(await find('jane')).toEqual(jane);
    const both = uids(photos.filter((p) => p.People.includes('Jane Doe') && p.People.includes('John Doe')));
    expect(await find('person:"Jane Doe&John Doe"')).toEqual(both);
  });

  it('a quoted phrase is not a phrase: its words match ANY keyword or a label they name; & makes groups that must all match', async () => {
    const beachOrLisbon = uids(photos.filter((p) => p.Labels.includes('beach') || p.City === 'Lisbon'));
    expect(await find('"beach lisbon"')).toEqual(beachOrLisbon);
    expect(await find('Beach Lisbon')).toEqual(beachOrLisbon);
    const lisbonWithJane = uids(photos.filter((p) => p.City === 'Lisbon' && p.People.includes('Jane Doe')));
    expect(await find('lisbon & jane')).toEqual(lisbonWithJane);
    expect(await find('lisbon and jane')).toEqual(lisbonWithJane);
  });

  it('an unknown key:value term fails the whole search with 400', async () => {
    expect((await call('/photos?count=10&q=colour:red')).status).toBe(400);
  });
});

// What a real PhotoPrism web client reads that earlier emulator versions lacked.
describe('PhotoPrism emulator: what the web client reads', () => {
  let e: PhotoPrismEmulator;
  let call: ReturnType<typeof api>;

  beforeAll(async () => {
    e = await startPhotoPrismEmulator({ photos: 200, albums: 2, seed: 3 });
    call = api(e, (await login(e)).access_token);
  });
  afterAll(async () => e.close());

  it('the session config has ext.oidc, computed flags and the cameras, lenses, years and people lists', async () => {
    const res = await fetch(`${e.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(e.credentials),
    });
    const body = (await res.json()) as { config: Record<string, unknown>; user: Record<string, unknown> };
    const config = body.config;
    expect(config['ext']).toEqual({
      oidc: {
        enabled: false,
        provider: 'OpenID',
        icon: '/static/img/oidc.svg',
        register: false,
        redirect: false,
        loginUri: '/api/v1/oidc/login',
      },
    });
    // public is off and settings are on (internal/config/client_config.go, Config.Flags).
    expect(config['flags']).toBe('settings');
    const cameras = config['cameras'] as Array<{ ID: number; Slug: string; Model: string }>;
    expect(cameras.map((c) => c.Slug)).toEqual([...cameras.map((c) => c.Slug)].sort());
    expect(cameras.some((c) => c.Model === 'EOS 6D')).toBe(true);
    expect((config['lenses'] as unknown[]).length).toBeGreaterThan(1);
    const years = config['years'] as number[];
    expect(years.length).toBeGreaterThan(3);
    expect(years).toEqual([...years].sort((a, b) => b - a));
    expect((config['people'] as Array<{ Name: string }>).map((p) => p.Name)).toContain('Jane Doe');
    expect((config['count'] as Record<string, number>)['cameras']).toBe(5);
    expect(body.user['Details']).toMatchObject({ BirthYear: 0, Country: '' });
    expect(body.user['Settings']).toHaveProperty('CreatedAt');
    // The anonymous config has ext too: PhotoPrism's login page reads config.ext.oidc.enabled.
    const pub = (await (await fetch(`${e.url}/api/v1/config`)).json()) as Record<string, unknown>;
    expect(pub['ext']).toHaveProperty('oidc');
  });

  it('GET /photos/view answers viewer results with thumbs that never upscale', async () => {
    const res = await call('/photos/view?count=5&merged=true&q=type:video');
    expect(res.status).toBe(200);
    const list = (await res.json()) as Array<Record<string, unknown>>;
    expect(list.length).toBeGreaterThan(0);
    const first = list[0] as {
      Playable: boolean;
      Width: number;
      Height: number;
      DownloadUrl: string;
      Thumbs: Record<string, { w: number; h: number; src: string }>;
    };
    expect(first.Playable).toBe(true);
    expect(first.DownloadUrl).toMatch(/^\/api\/v1\/dl\/[0-9a-f]{40}\?t=/);
    expect(Object.keys(first.Thumbs)).toEqual(['fit_720', 'fit_1280', 'fit_1920', 'fit_2560', 'fit_4096', 'fit_7680']);
    const big = first.Thumbs['fit_7680'];
    expect(big && big.w <= first.Width && big.h <= first.Height).toBe(true);
    expect((await call('/photos/view')).status).toBe(400);
  });
});
