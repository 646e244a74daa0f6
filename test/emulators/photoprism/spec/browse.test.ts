import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoPrismEmulator } from '../index';
import { startPhotoPrismEmulator } from '../index';
import { api, login, rows } from './helpers';

type Json = Record<string, unknown>;

// docs/photoprism-api.md §12: people, labels, and the generated albums (calendar, places, folders, moments).
describe('PhotoPrism emulator: browse endpoints', () => {
  let e: PhotoPrismEmulator;
  let call: ReturnType<typeof api>;

  beforeAll(async () => {
    e = await startPhotoPrismEmulator({ photos: 300, albums: 4, seed: 5 });
    call = api(e, (await login(e)).access_token);
  });
  afterAll(async () => e.close());

  const json = async (path: string) => {
    const res = await call(path);
    return { res, body: (await res.json()) as Json[] };
  };
  /** UIDs a photo search lists (merged rows). */
  const photoUids = async (query: string) => [
    ...new Set((await rows(await call(`/photos?count=1000&merged=true&${query}`))).map((r) => r.UID)),
  ];

  it('lists people with counts and covers, needs count, and pages', async () => {
    expect((await call('/subjects?type=person')).status).toBe(400);
    const { res, body } = await json('/subjects?count=100&type=person');
    expect(res.headers.get('x-count')).toBe(String(body.length));
    expect(body.length).toBe(6);
    // Favourites first, then by name (internal/entity/search/subjects.go, Subjects).
    expect(body[0]?.['Favorite']).toBe(true);
    const rest = body.slice(1).map((s) => String(s['Name']));
    expect(rest).toEqual([...rest].sort((a, b) => a.localeCompare(b)));
    for (const s of body) {
      expect(String(s['UID'])).toMatch(/^j[0-9a-z]{15}$/);
      expect(s['PhotoCount']).toBeGreaterThan(0);
      // The cover is a marker thumb: file hash and crop area (internal/entity/query/covers.go, UpdateSubjectCovers).
      expect(String(s['Thumb'])).toMatch(/^[0-9a-f]{40}-[0-9a-f]{12}$/);
    }
    const page = await json('/subjects?count=3&offset=4&type=person');
    expect(page.body.map((s) => s['UID'])).toEqual(body.slice(4, 7).map((s) => s['UID']));
  });

  it('finds a person’s photos with subject=UID, as many as PhotoCount says', async () => {
    const { body } = await json('/subjects?count=100&type=person');
    const person = body[1] as Json;
    const uids = await photoUids(`subject=${String(person['UID'])}`);
    expect(uids.length).toBe(person['PhotoCount']);
    expect(await photoUids(`q=${encodeURIComponent(`subject:${String(person['Slug'])}`)}`)).toEqual(uids);
    const one = await call(`/subjects/${String(person['UID'])}`);
    expect(((await one.json()) as Json)['Name']).toBe(person['Name']);
    expect((await call('/subjects/jzzzzzzzzzzzzzzz')).status).toBe(404);
  });

  it('lists face clusters, named and new, each with one of its markers', async () => {
    const all = await json('/faces?count=100');
    expect(all.body.length).toBe(8);
    const samples = all.body.map((f) => Number(f['Samples']));
    expect(samples).toEqual([...samples].sort((a, b) => b - a));
    for (const f of all.body) {
      expect(String(f['ID'])).toMatch(/^[0-9A-Z]{32}$/);
      // A marker thumb: the file hash and the crop area (internal/thumb/crop/area.go, Area.Thumb).
      expect(String(f['Thumb'])).toMatch(/^[0-9a-f]{40}-[0-9a-f]{12}$/);
      expect(String(f['MarkerUID'])).toMatch(/^m[0-9a-z]{15}$/);
    }
    const unknown = await json('/faces?count=100&unknown=yes');
    expect(unknown.body.map((f) => f['SubjUID'])).toEqual(['', '']);
    // A new face cluster finds photos with face:new.
    expect((await photoUids('face=new')).length).toBeGreaterThan(0);
  });

  it('has one people model: /subjects, the config, search and photo details name the same people', async () => {
    const { body } = await json('/subjects?count=100&type=person');
    const names = body.map((s) => String(s['Name'])).sort();
    const config = (await (await call('/config')).json()) as { people: Array<{ Name: string }> };
    expect(config.people.map((p) => p.Name)).toEqual(names);
    for (const s of body) {
      // The name search (person:"Full Name") and the UID search find the same photos, PhotoCount of them.
      const byName = await photoUids(`q=${encodeURIComponent(`person:"${String(s['Name'])}"`)}`);
      expect(byName).toEqual(await photoUids(`subject=${String(s['UID'])}`));
      expect(byName.length).toBe(s['PhotoCount']);
    }
    // The person's photo lists the marker on its primary file, named.
    const person = body[0] as Json;
    const [uid] = await photoUids(`subject=${String(person['UID'])}`);
    const photo = (await (await call(`/photos/${String(uid)}`)).json()) as { Files: Array<{ Primary: boolean; Markers: Json[] }> };
    const markers = photo.Files.find((f) => f.Primary)?.Markers ?? [];
    expect(markers.find((m) => m['SubjUID'] === person['UID'])).toMatchObject({ Type: 'face', Name: person['Name'], Invalid: false });
  });

  it('lists labels with photos only, by slug, without an X-Count header', async () => {
    const { res, body } = await json('/labels?count=100');
    expect(res.headers.get('x-count')).toBeNull();
    expect(res.headers.get('x-limit')).toBe('100');
    const slugs = body.map((l) => String(l['Slug']));
    expect(slugs).toEqual([...slugs].sort());
    const label = body[0] as Json;
    expect(label['DeletedAt']).toBe('0001-01-01T00:00:00Z');
    const uids = await photoUids(`label=${String(label['Slug'])}`);
    expect(uids.length).toBe(label['PhotoCount']);
  });

  it('generates calendar, place, folder and moment albums whose Filter is what s=UID searches', async () => {
    const months = await json('/albums?count=1000&type=month&order=newest');
    expect(months.body.length).toBeGreaterThan(12);
    const first = months.body[0] as Json;
    const second = months.body[1] as Json;
    expect(Number(first['Year']) * 12 + Number(first['Month'])).toBeGreaterThan(Number(second['Year']) * 12 + Number(second['Month']));
    // Generated albums have no members: PhotoCount is 0 (internal/entity/search/albums.go).
    expect(first['PhotoCount']).toBe(0);
    expect(first['Filter']).toBe(`public:true year:${String(first['Year'])} month:${String(first['Month'])}`);
    const inMonth = await photoUids(`s=${String(first['UID'])}`);
    expect(inMonth.length).toBeGreaterThan(0);
    expect(inMonth).toEqual(await photoUids(`year=${String(first['Year'])}&month=${String(first['Month'])}&public=true&quality=3`));

    const states = await json('/albums?count=1000&type=state&order=name');
    const paris = states.body.find((a) => a['State'] === 'Île-de-France') as Json;
    expect(paris).toMatchObject({ Title: 'Île-de-France', Location: 'France', Country: 'fr', Slug: 'france-ile-de-france' });
    expect(paris['Filter']).toBe('public:true country:fr state:"Île-de-France"');
    expect((await photoUids(`s=${String(paris['UID'])}`)).length).toBeGreaterThan(0);

    const folders = await json('/albums?count=1000&type=folder&order=name');
    const paths = folders.body.map((a) => String(a['Path']));
    expect(paths).toEqual([...paths].sort());
    const folder = folders.body[0] as Json;
    const inFolder = await photoUids(`s=${String(folder['UID'])}`);
    expect(inFolder.length).toBeGreaterThan(0);
    expect(await photoUids(`path=${encodeURIComponent(String(folder['Path']))}&public=true`)).toEqual(inFolder);

    // 300 photos over 10 years and 7 countries: no country-year reaches log2(n)+1 photos.
    expect((await json('/albums?count=1000&type=moment')).body).toEqual([]);
  });

  it('makes a moment of a country in a year with enough photos (threshold log2(n)+1)', async () => {
    const big = await startPhotoPrismEmulator({ photos: 4000, albums: 0, seed: 5 });
    try {
      const bigCall = api(big, (await login(big)).access_token);
      const moments = (await (await bigCall('/albums?count=1000&type=moment&order=newest')).json()) as Json[];
      expect(moments.length).toBeGreaterThan(0);
      for (const m of moments) expect(String(m['Filter'])).toMatch(/^public:true country:[a-z]{2} year:\d{4}$/);
      const years = moments.map((m) => Number(m['Year']));
      expect(years).toEqual([...years].sort((a, b) => b - a));
    } finally {
      await big.close();
    }
  });
});
