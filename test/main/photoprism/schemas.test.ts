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

  // [Note: Lean rows are read by compiled code]: the compiled check and the issue finder must agree on every field.
  it('refuses a wrong type in every field of a row and of its files, naming it, and keeps every right one', () => {
    const ok = { UID: 'psoeo0k2d9x1q7ab', TakenAt: '2024-12-01T10:15:00Z' };
    const paths = (page: string) => {
      const parsed = SearchPhotos.safeParse(JSON.parse(page));
      return parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'));
    };
    // The fields and their kinds, read from the defaults a bare row gets ('' string, 0 number, false boolean).
    const [bare] = SearchPhotos.parse([{ ...ok, Files: [{}] }]);
    if (!bare?.Files?.[0]) throw new Error('a row with one file expected');
    const rowFields = Object.entries(bare).filter(([key]) => !['UID', 'TakenAt', 'Quality', 'Files'].includes(key));
    const fileFields = Object.entries(bare.Files[0]);
    expect(rowFields.length).toBeGreaterThan(30);
    expect(fileFields.length).toBe(10);
    // JSON text, so a number too large for a double (1e400) arrives as JSON.parse makes it: Infinity.
    const wrongValues = {
      string: ['5', 'true', '{}', '[]'],
      number: ['"5"', '1e400', '-1e400', 'true', '{}'],
      boolean: ['1', '"yes"', '[]'],
    };
    const rightValues = { string: '"x"', number: '-2.5', boolean: 'true' };
    const kindOf = (value: unknown) => typeof value as 'string' | 'number' | 'boolean';
    for (const [key, value] of rowFields) {
      for (const wrong of wrongValues[kindOf(value)]) {
        expect(paths(`[${JSON.stringify(ok)}, {"UID": "pb", "TakenAt": "", "${key}": ${wrong}}]`)).toEqual([`1.${key}`]);
      }
      const right = kindOf(value) === 'number' ? -2.5 : kindOf(value) === 'string' ? 'x' : true;
      expect(SearchPhotos.parse(JSON.parse(`[{"UID": "pb", "TakenAt": "", "${key}": ${rightValues[kindOf(value)]}}]`))[0]).toHaveProperty(
        key,
        right,
      );
    }
    for (const [key, value] of fileFields) {
      for (const wrong of wrongValues[kindOf(value)]) {
        expect(paths(`[{"UID": "pb", "TakenAt": "", "Files": [{}, {"${key}": ${wrong}}]}]`)).toEqual([`0.Files.1.${key}`]);
      }
      const right = kindOf(value) === 'number' ? -2.5 : kindOf(value) === 'string' ? 'x' : true;
      const [row] = SearchPhotos.parse(JSON.parse(`[{"UID": "pb", "TakenAt": "", "Files": [{"${key}": ${rightValues[kindOf(value)]}}]}]`));
      expect(row?.Files?.[0]).toHaveProperty(key, right);
    }
  });

  it('names every wrong row of a page, and a file that is not an object', () => {
    const ok = { UID: 'psoeo0k2d9x1q7ab', TakenAt: '2024-12-01T10:15:00Z' };
    const parsed = SearchPhotos.safeParse([{ ...ok, Iso: 'high' }, ok, { ...ok, TakenAt: null, Files: ['f'] }, 7]);
    expect(parsed.success ? [] : parsed.error.issues.map((issue) => issue.path.join('.'))).toEqual([
      '0.Iso',
      '2.TakenAt',
      '2.Files.0',
      '3',
    ]);
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
