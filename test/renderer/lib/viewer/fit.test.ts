import { describe, expect, test } from 'vitest';
import { fitBox, fittedPixels, FIT_SIZES, previewSizeFor, smallerFitSizes } from '../../../../renderer/lib/viewer/fit';

const stage = { width: 1440, height: 848 };

describe('fitBox', () => {
  test.each([
    ['portrait', { width: 3024, height: 4032 }],
    ['landscape', { width: 4032, height: 3024 }],
    ['panorama', { width: 12000, height: 3000 }],
    ['square', { width: 3024, height: 3024 }],
  ])('a %s photo fills the stage on one axis and keeps its aspect ratio', (_kind, photo) => {
    const box = fitBox(photo, stage);
    expect(box.width).toBeLessThanOrEqual(stage.width + 1e-9);
    expect(box.height).toBeLessThanOrEqual(stage.height + 1e-9);
    expect(Math.max(box.width / stage.width, box.height / stage.height)).toBeCloseTo(1, 9);
    expect(box.width / box.height).toBeCloseTo(photo.width / photo.height, 9);
  });

  test('a photo without dimensions gets a square that fits', () => {
    expect(fitBox({ width: 0, height: 0 }, stage)).toEqual({ width: 848, height: 848 });
  });
});

describe('preview sizes (PhotoPrism fit_*)', () => {
  test('fit sizes keep the aspect ratio and never upscale', () => {
    const fit1920 = FIT_SIZES.find((s) => s.name === 'fit_1920') ?? { width: 0, height: 0 };
    expect(fittedPixels(fit1920, { width: 3024, height: 4032 })).toEqual({ width: 900, height: 1200 });
    expect(fittedPixels(fit1920, { width: 1000, height: 500 })).toEqual({ width: 1000, height: 500 });
  });

  test('the smallest size covering the box in device pixels', () => {
    const landscape = { width: 4032, height: 3024 };
    // 1131×848 CSS px at 1×: fit_1280 gives 1280×960.
    expect(previewSizeFor(landscape, { width: 1131, height: 848 })).toBe('fit_1280');
    // The same box at 2× (2262×1696): fit_2560 is 2133×1600, too small; fit_4096 covers it.
    expect(previewSizeFor(landscape, { width: 2262, height: 1696 })).toBe('fit_4096');
    // A panorama in a 1440 px wide box at 1×: width decides.
    expect(previewSizeFor({ width: 12000, height: 3000 }, { width: 1440, height: 360 })).toBe('fit_1920');
  });

  test('a small original is fully served by the first size that holds all of it', () => {
    expect(previewSizeFor({ width: 640, height: 480 }, { width: 2000, height: 1500 })).toBe('fit_720');
  });

  test('smaller sizes to fall back on, largest first', () => {
    expect(smallerFitSizes('fit_1920')).toEqual(['fit_1280', 'fit_720']);
    expect(smallerFitSizes('fit_720')).toEqual([]);
  });
});
