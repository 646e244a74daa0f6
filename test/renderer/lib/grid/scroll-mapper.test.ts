import { describe, expect, test } from 'vitest';
import { buildLayout, gridMetrics, indexAtPosition, positionOfIndex } from '../../../../renderer/lib/grid/layout';
import { MAX_REAL_HEIGHT_PX, ScrollMapper } from '../../../../renderer/lib/grid/scroll-mapper';

describe('ScrollMapper', () => {
  test('is the identity below the cap', () => {
    const mapper = new ScrollMapper();
    mapper.resize(5_000_000, 800);
    expect(mapper.factor).toBe(1);
    expect(mapper.realHeightPx).toBe(5_000_000);
    expect(mapper.onRealScroll(12_345)).toBe(12_345);
  });

  test('caps the real height and maps the real bottom to the virtual bottom', () => {
    const mapper = new ScrollMapper();
    const virtualHeight = 60_000_000;
    mapper.resize(virtualHeight, 800);
    expect(mapper.realHeightPx).toBe(MAX_REAL_HEIGHT_PX);
    expect(mapper.factor).toBeGreaterThan(5);
    const realMax = MAX_REAL_HEIGHT_PX - 800;
    expect(mapper.onRealScroll(realMax)).toBeCloseTo(virtualHeight - 800, 3);
    expect(mapper.onRealScroll(0)).toBe(0);
  });

  test('the last photo of 1M is reachable and the scrollbar maps positions across the whole range', () => {
    const total = 1_000_000;
    const layout = buildLayout([], total, gridMetrics(1000, 0));
    expect(layout.heightPx).toBeGreaterThan(MAX_REAL_HEIGHT_PX);
    const mapper = new ScrollMapper();
    mapper.resize(layout.heightPx, 800);
    const bottom = mapper.onRealScroll(mapper.realHeightPx - 800);
    expect(indexAtPosition(layout, bottom + 799)).toBeGreaterThan(total - 1 - layout.metrics.columns);
    // Halfway down the scrollbar is halfway through the library.
    const middle = indexAtPosition(layout, mapper.onRealScroll((mapper.realHeightPx - 800) / 2));
    expect(Math.abs(middle - total / 2)).toBeLessThan(total * 0.01);
  });

  test('scrollTo a photo round-trips through the real position', () => {
    const layout = buildLayout([], 1_000_000, gridMetrics(1000, 0));
    const mapper = new ScrollMapper();
    mapper.resize(layout.heightPx, 800);
    for (const index of [0, 1234, 500_000, 999_999]) {
      const target = positionOfIndex(layout, index);
      const real = mapper.scrollTo(target);
      expect(real).toBeLessThanOrEqual(mapper.realHeightPx);
      // The browser echoes the real position, rounded: we keep the precise virtual one.
      expect(mapper.onRealScroll(Math.round(real))).toBe(Math.min(target, mapper.maxVirtualTopPx));
    }
  });

  test('a wheel delta moves the virtual position 1:1 even when scaled', () => {
    const mapper = new ScrollMapper();
    mapper.resize(80_000_000, 800);
    mapper.scrollTo(40_000_000);
    const real = mapper.scrollBy(120);
    expect(mapper.virtualTopPx).toBe(40_000_120);
    expect(mapper.onRealScroll(real)).toBe(40_000_120);
  });

  test('a real jump we did not cause (scrollbar drag) is mapped through the factor', () => {
    const mapper = new ScrollMapper();
    mapper.resize(80_000_000, 800);
    const virtual = mapper.onRealScroll(5_000_000);
    expect(virtual).toBeCloseTo(5_000_000 * mapper.factor, 3);
  });

  test('shrinking content clamps the position', () => {
    const mapper = new ScrollMapper();
    mapper.resize(100_000, 800);
    mapper.scrollTo(90_000);
    mapper.resize(10_000, 800);
    expect(mapper.virtualTopPx).toBe(9_200);
  });
});
