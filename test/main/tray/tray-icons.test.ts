import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { TRAY_ICON_FILES, TRAY_ICON_STATES } from '../../../main/tray/tray-menu';

const ICONS_DIR = join(__dirname, '../../../main/tray/icons');

interface DecodedPng {
  readonly width: number;
  readonly height: number;
  /** RGBA, 8 bits per channel. */
  readonly pixels: Uint8Array;
}

/** A small PNG reader for 8-bit RGBA, written from the spec so the test does not trust the encoder. */
function decodePng(bytes: Buffer): DecodedPng {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  let sawEnd = false;
  while (offset < bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('ascii', offset + 4, offset + 8);
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect({ depth: data[8], colourType: data[9], interlace: data[12] }).toEqual({ depth: 8, colourType: 6, interlace: 0 });
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      sawEnd = true;
    }
    offset += 12 + length;
  }
  expect(sawEnd).toBe(true);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const pixels = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x] ?? 0;
      const left = x >= 4 ? (pixels[y * stride + x - 4] ?? 0) : 0;
      const up = y > 0 ? (pixels[(y - 1) * stride + x] ?? 0) : 0;
      const upLeft = x >= 4 && y > 0 ? (pixels[(y - 1) * stride + x - 4] ?? 0) : 0;
      const paeth = () => {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      };
      const predictor = [0, left, up, (left + up) >> 1, paeth()][filter ?? 0] ?? 0;
      pixels[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  return { width, height, pixels };
}

describe('menu-bar icons', () => {
  for (const state of TRAY_ICON_STATES) {
    const base = TRAY_ICON_FILES[state];
    for (const [suffix, size] of [
      ['', 16],
      ['@2x', 32],
    ] as const) {
      it(`${base}${suffix}.png is a ${size}×${size} PNG with something drawn`, () => {
        const png = decodePng(readFileSync(join(ICONS_DIR, `${base}${suffix}.png`)));
        expect([png.width, png.height]).toEqual([size, size]);
        let opaque = 0;
        let clear = 0;
        let nonBlack = 0;
        for (let i = 0; i < png.pixels.length; i += 4) {
          const alpha = png.pixels[i + 3] ?? 0;
          if (alpha > 0 && (png.pixels[i] !== 0 || png.pixels[i + 1] !== 0 || png.pixels[i + 2] !== 0)) nonBlack++;
          if (alpha === 255) opaque++;
          if (alpha === 0) clear++;
        }
        // A glyph, not a filled square nor an empty canvas.
        expect(opaque).toBeGreaterThan(size);
        expect(clear).toBeGreaterThan(size * size * 0.3);
        if (base.endsWith('Template')) {
          // macOS template images: black + alpha only, so the system can tint them.
          expect(nonBlack).toBe(0);
        } else {
          // Colour only when something is wrong.
          expect(state).toBe('attention');
          expect(nonBlack).toBeGreaterThan(0);
        }
      });
    }
  }
});
