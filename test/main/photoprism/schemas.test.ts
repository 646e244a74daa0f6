import { describe, expect, it } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { buildDate, SearchPhotos, SessionResponse, SocketEntities } from '../../../main/photoprism/schemas';

describe('PhotoPrism schemas tolerate version differences (docs/photoprism-api.md §9.3)', () => {
  it('reads the token from access_token (240420+) or id (older servers)', () => {
    const modern = SessionResponse.parse({
      access_token: 'a'.repeat(48),
      id: 'a'.repeat(48),
      user: { Name: 'admin' },
      config: { previewToken: 'abc' },
    });
    expect(modern.token).toBe('a'.repeat(48));
    const old = SessionResponse.parse({ status: 'ok', id: 'b'.repeat(48), user: { Name: 'admin' }, config: {} });
    expect(old.token).toBe('b'.repeat(48));
  });

  it('ignores unknown keys and accepts null arrays and missing omitempty fields', () => {
    const rows = SearchPhotos.parse([
      { UID: 'psoeo0k2d9x1q7ab', TakenAt: '2024-12-01T10:15:00Z', Files: null, Brand: 'new field', Caption: 'c' },
    ]);
    expect(rows[0]).toMatchObject({ UID: 'psoeo0k2d9x1q7ab', Files: null, Title: '', Caption: 'c', Favorite: false });
    expect(SearchPhotos.parse(null)).toEqual([]);
  });

  it('refuses a row without the fields we cannot work without', () => {
    expect(SearchPhotos.safeParse([{ Title: 'no uid' }]).success).toBe(false);
  });

  // [Note: Lean search rows]: one normalisation per row must keep every default and every refusal.
  it('normalises null and missing search-row fields to the same defaults, in files too', () => {
    const [row] = SearchPhotos.parse([
      {
        UID: 'psoeo0k2d9x1q7ab',
        TakenAt: '2024-12-01T10:15:00Z',
        Title: null,
        Favorite: null,
        Iso: null,
        Quality: 2.6,
        Files: [{ Hash: 'h1', Primary: true, Name: null, Size: null, Sidecar: null }],
      },
    ]);
    expect(row).toMatchObject({ Title: '', Favorite: false, Iso: 0, Quality: 3, TakenAtLocal: '', Duration: 0, Year: 0 });
    expect(row?.Files).toEqual([
      { UID: '', Name: '', Root: '', Hash: 'h1', Size: 0, Primary: true, Sidecar: false, FileType: '', Width: 0, Height: 0 },
    ]);
    // Missing quality counts as reviewed (nothing leaves the library on a guess).
    expect(SearchPhotos.parse([{ UID: 'psoeo0k2d9x1q7ab', TakenAt: 'x' }])[0]?.Quality).toBe(3);
    expect(SearchPhotos.parse([{ UID: 'psoeo0k2d9x1q7ab', TakenAt: 'x', Quality: 1 }])[0]?.Quality).toBe(1);
  });

  it('refuses hostile search rows and names where they are wrong', () => {
    const paths = (value: unknown) => {
      const parsed = SearchPhotos.safeParse(value);
      return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'));
    };
    const ok = { UID: 'psoeo0k2d9x1q7ab', TakenAt: '2024-12-01T10:15:00Z' };
    expect(paths([ok, { ...ok, Title: 5 }])).toEqual(['1.Title']);
    expect(paths([{ ...ok, Favorite: 'yes' }])).toEqual(['0.Favorite']);
    expect(paths([{ ...ok, Files: [{ Hash: 3 }] }])).toEqual(['0.Files.0.Hash']);
    expect(paths([{ ...ok, Files: 'many' }])).toEqual(['0.Files']);
    expect(paths([{ ...ok, UID: '' }])).toEqual(['0.UID']);
    expect(paths(['a row that is a string'])).toEqual(['0']);
    expect(paths({ results: [] })).toEqual(['']);
  });

  it('reads socket entities as UIDs or objects', () => {
    expect(SocketEntities.parse({ entities: ['p1', { UID: 'p2', Title: 'x' }] }).entities).toEqual(['p1', 'p2']);
    expect(SocketEntities.parse({ entities: null }).entities).toEqual([]);
  });

  it('parses the build date from a version string', () => {
    expect(buildDate('240915-e1280b2fb-Linux-AMD64-CE')).toBe(240915);
    expect(buildDate('development')).toBeNull();
  });
});

describe('search rows keep a fast shape (see [Note: Lean rows keep a fast shape])', () => {
  it('gives every row of a page the same fast V8 shape, whatever fields the server sent', () => {
    // V8's own checks, allowed for this function only (natives syntax is read when a function is compiled).
    setFlagsFromString('--allow-natives-syntax');
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- V8's natives syntax only compiles from source text
    const fast = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- as above
    const sameShape = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;
    const rows = SearchPhotos.parse([
      { UID: 'pa00000000000001', TakenAt: '2024-12-01T10:15:00Z', Title: 'Beach', Lat: 38.7, Files: [{ Hash: 'h1', Name: 'a.jpg' }] },
      { UID: 'pa00000000000002', TakenAt: '2024-12-02T10:15:00Z', Caption: 'Harbour', Quality: 2, Files: null },
    ]);
    const [first, second] = rows;
    if (!first || !second) throw new Error('two rows expected');
    expect(fast(first)).toBe(true);
    expect(sameShape(first, second)).toBe(true);
  });
});
