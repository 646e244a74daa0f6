import { describe, expect, it } from 'vitest';
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

  it('reads socket entities as UIDs or objects', () => {
    expect(SocketEntities.parse({ entities: ['p1', { UID: 'p2', Title: 'x' }] }).entities).toEqual(['p1', 'p2']);
    expect(SocketEntities.parse({ entities: null }).entities).toEqual([]);
  });

  it('parses the build date from a version string', () => {
    expect(buildDate('240915-e1280b2fb-Linux-AMD64-CE')).toBe(240915);
    expect(buildDate('development')).toBeNull();
  });
});
