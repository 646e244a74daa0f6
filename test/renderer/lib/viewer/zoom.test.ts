import { describe, expect, test } from 'vitest';
import {
  actualSizeScale,
  clampView,
  FIT_VIEW,
  neededDevicePixels,
  panBy,
  toggleActualSize,
  zoomTo,
  type ZoomGeometry,
} from '../../../../renderer/lib/viewer/zoom';

// A 4032×3024 photo fitted to 1131×848 in a 1440×848 stage, at 2×.
const g: ZoomGeometry = {
  box: { width: 1130.67, height: 848 },
  stage: { width: 1440, height: 848 },
  photo: { width: 4032, height: 3024 },
  devicePixelRatio: 2,
};

describe('viewer zoom', () => {
  test('100 % is one photo pixel per device pixel', () => {
    const scale = actualSizeScale(g);
    expect(neededDevicePixels({ scale, x: 0, y: 0 }, g).width).toBe(4032);
  });

  test('double-click toggles between fit and 100 % around the pointer', () => {
    const zoomed = toggleActualSize(FIT_VIEW, g, { x: 200, y: 0 });
    expect(zoomed.scale).toBeCloseTo(actualSizeScale(g));
    // The point under the pointer stays put: it moved away from the centre with the zoom.
    expect(zoomed.x).toBeLessThan(0);
    expect(toggleActualSize(zoomed, g)).toEqual(FIT_VIEW);
  });

  test('zoom never goes below fit', () => {
    expect(zoomTo(FIT_VIEW, 0.5, g).scale).toBe(1);
  });

  test('panning stops at the image edges and does nothing at fit', () => {
    expect(panBy(FIT_VIEW, 100, 100, g)).toEqual(FIT_VIEW);
    const view = zoomTo(FIT_VIEW, 2, g);
    const far = panBy(view, 10_000, -10_000, g);
    expect(far.x).toBeCloseTo((1130.67 * 2 - 1440) / 2);
    expect(far.y).toBeCloseTo(-(848 * 2 - 848) / 2);
    expect(clampView(far, g)).toEqual(far);
  });
});
