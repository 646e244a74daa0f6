import * as jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PhotoPrismEmulator } from '../index';
import { startPhotoPrismEmulator } from '../index';
import type { LoginBody } from './helpers';
import { api, login } from './helpers';

interface SearchRow {
  UID: string;
  Hash: string;
  Type: string;
  Width: number;
  Height: number;
  Panorama?: boolean;
}

// The viewer's previews (issue 13): every shape a library holds, at the real fit_* pixel sizes.
describe('PhotoPrism emulator: preview shapes and sizes', () => {
  let e: PhotoPrismEmulator;
  let session: LoginBody;
  let rows: SearchRow[];

  beforeAll(async () => {
    e = await startPhotoPrismEmulator({ photos: 120, albums: 0, seed: 9 });
    session = await login(e);
    const res = await api(e, session.access_token)('/photos?count=1000&merged=true');
    rows = (await res.json()) as SearchRow[];
  });
  afterAll(async () => e.close());

  const shape = (row: SearchRow) =>
    row.Width / row.Height > 1.9 ? 'panorama' : row.Width === row.Height ? 'square' : row.Width > row.Height ? 'landscape' : 'portrait';

  it('generates portrait, landscape, panorama and square photos, panoramas flagged as PhotoPrism does', () => {
    const shapes = new Set(rows.map(shape));
    expect([...shapes].sort()).toEqual(['landscape', 'panorama', 'portrait', 'square']);
    for (const row of rows.filter((r) => shape(r) === 'panorama')) expect(row.Panorama).toBe(true);
  });

  it.each(['portrait', 'landscape', 'panorama', 'square'])(
    'serves a %s photo fitted into each fit_* box at a realistic weight',
    async (kind) => {
      const row = rows.find((r) => shape(r) === kind && r.Type === 'image');
      if (!row) throw new Error(`no ${kind} photo`);
      for (const [size, boxW, boxH] of [
        ['fit_720', 720, 720],
        ['fit_1280', 1280, 1024],
        ['fit_1920', 1920, 1200],
      ] as const) {
        const res = await fetch(`${e.url}/api/v1/t/${row.Hash}/${session.config.previewToken}/${size}`);
        const body = Buffer.from(await res.arrayBuffer());
        const img = jpeg.decode(body);
        const scale = Math.min(boxW / row.Width, boxH / row.Height, 1);
        expect([img.width, img.height]).toEqual([Math.round(row.Width * scale), Math.round(row.Height * scale)]);
        // About what PhotoPrism's quality-83 JPEGs weigh: 0.1–0.3 bytes per pixel.
        expect(body.length / (img.width * img.height)).toBeGreaterThan(0.1);
        expect(body.length / (img.width * img.height)).toBeLessThan(0.3);
      }
    },
  );
});
