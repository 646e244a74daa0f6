import { describe, expect, it } from 'vitest';
import { buildLayout, gridMetrics, visibleRows } from '../../../../renderer/lib/grid/layout';
import {
  LatestOnly,
  OverscanGate,
  placeholderBands,
  retryBrokenImages,
  screenImagesDone,
  ScrollSpeed,
  SETTLE_MS,
} from '../../../../renderer/lib/grid/tile-loading';

describe('ScrollSpeed', () => {
  it('calls a fling fast but not one far jump, and settles once the moves slow down', () => {
    const speed = new ScrollSpeed();
    expect(speed.move(0, 0, 900)).toBe(false);
    // A scrubber jump: one far move, then the scroll event's echo at the same place.
    expect(speed.move(2_000_000, 16, 900)).toBe(false);
    expect(speed.move(2_000_000, 20, 900)).toBe(false);
    // A fling: screens per frame, frame after frame.
    expect(speed.move(2_050_000, 36, 900)).toBe(false);
    expect(speed.move(2_100_000, 52, 900)).toBe(true);
    expect(speed.isFast(52 + SETTLE_MS - 1)).toBe(true);
    expect(speed.isFast(52 + SETTLE_MS)).toBe(false);
    // Reading along (a wheel tick or two per frame) never counts.
    const reading = new ScrollSpeed();
    for (let t = 0; t < 1000; t += 16) expect(reading.move(t * 2, t, 900)).toBe(false);
  });
});

describe('placeholderBands', () => {
  // 7 columns of 185 px tiles, pitch 187: March has 30 photos (4 full rows and one of 2), February 70 (10 full rows).
  const metrics = gridMetrics(1307, 2);
  const months = [
    { month: '2026-03', offset: 0, count: 30 },
    { month: '2026-02', offset: 30, count: 70 },
  ];
  const layout = buildLayout(months, 100, metrics);

  it('covers each run of full rows of a month with one block, a short last row with one of its own, and headers with none', () => {
    expect(metrics).toMatchObject({ columns: 7, tilePx: 185, rowHeightPx: 187 });
    const [marchRowsTop, februaryRowsTop] = layout.sections.map((section) => section.rowsTop);
    const fullWidthPx = 7 * 187 - 2;
    expect(placeholderBands(visibleRows(layout, 0, 5000, 0), metrics)).toEqual([
      // March's four full rows: from the first tile's top to the fourth row's tile bottom.
      { top: marchRowsTop, widthPx: fullWidthPx, heightPx: 4 * 187 - 2 },
      // Its last row holds two photos: a block two tiles wide and one tile high.
      { top: (marchRowsTop ?? 0) + 4 * 187, widthPx: 2 * 187 - 2, heightPx: 185 },
      // February's header makes no block; its ten full rows make one.
      { top: februaryRowsTop, widthPx: fullWidthPx, heightPx: 10 * 187 - 2 },
    ]);
  });

  it('covers only the rows on screen and in the overscan, and nothing where there are none', () => {
    const februaryRowsTop = layout.sections[1]?.rowsTop ?? Number.NaN;
    // A viewport inside February's rows: one block from the first row rendered to the last.
    const rows = visibleRows(layout, februaryRowsTop + 3 * 187, 400, 0);
    const photoRows = rows.filter((row) => row.kind === 'photos');
    expect(photoRows.length).toBeGreaterThan(1);
    expect(placeholderBands(rows, metrics)).toEqual([
      { top: photoRows[0]?.top, widthPx: 7 * 187 - 2, heightPx: photoRows.length * 187 - 2 },
    ]);
    expect(placeholderBands([], metrics)).toEqual([]);
  });
});

describe('OverscanGate', () => {
  it('holds the overscan back after a jump until the screen is done, but not while scrolling along', () => {
    const gate = new OverscanGate();
    // The first screen is all new rows: the overscan waits for it.
    expect(gate.show({ first: 0, last: 35 }, { first: 0, last: 59 }, false)).toBe(false);
    expect(gate.show({ first: 0, last: 35 }, { first: 0, last: 59 }, false)).toBe(false);
    gate.open();
    expect(gate.show({ first: 0, last: 35 }, { first: 0, last: 59 }, false)).toBe(true);
    // Scrolling down a screen: the rows coming in were the overscan, already loading.
    expect(gate.show({ first: 36, last: 71 }, { first: 6, last: 107 }, false)).toBe(true);
    // A scrubber jump far away: no row in common, every row new.
    expect(gate.show({ first: 50_000, last: 50_035 }, { first: 49_970, last: 50_071 }, false)).toBe(false);
    // Moving a row while it waits keeps it waiting.
    expect(gate.show({ first: 50_006, last: 50_041 }, { first: 49_976, last: 50_077 }, false)).toBe(false);
    gate.open();
    expect(gate.show({ first: 50_006, last: 50_041 }, { first: 49_976, last: 50_077 }, false)).toBe(true);
  });

  it('treats the screen after a fling as a jump (its rows were placeholders)', () => {
    const gate = new OverscanGate();
    gate.show({ first: 0, last: 35 }, { first: 0, last: 59 }, false);
    gate.open();
    gate.show({ first: 20_000, last: 20_035 }, { first: 19_970, last: 20_071 }, true);
    // Settled where the fling stopped: rows overlapping the placeholders' are still all new.
    expect(gate.show({ first: 20_000, last: 20_035 }, { first: 19_970, last: 20_071 }, false)).toBe(false);
  });
});

describe('screenImagesDone', () => {
  const tile = (image: 'none' | 'loading' | 'complete') => {
    const element = document.createElement('div');
    if (image !== 'none') {
      const img = document.createElement('img');
      Object.defineProperty(img, 'complete', { value: image === 'complete' });
      element.append(img);
    }
    return element;
  };

  it('is done once every tile has an image that ended, and never for tiles without a photo yet or no tiles', () => {
    expect(screenImagesDone([tile('complete'), tile('complete')])).toBe(true);
    expect(screenImagesDone([tile('complete'), tile('loading')])).toBe(false);
    expect(screenImagesDone([tile('complete'), tile('none')])).toBe(false);
    expect(screenImagesDone([])).toBe(false);
  });
});

describe('LatestOnly', () => {
  it('runs one job at a time, for the newest value only, and skips a repeat of the last one', async () => {
    const started: number[] = [];
    const finish: Array<() => void> = [];
    const latest = new LatestOnly<number>(
      (value) => {
        started.push(value);
        return new Promise<void>((resolve) => finish.push(resolve));
      },
      (a, b) => a === b,
    );
    latest.push(1);
    latest.push(2);
    latest.push(3);
    expect(started).toEqual([1]);
    finish.shift()?.();
    await Promise.resolve();
    await Promise.resolve();
    expect(started).toEqual([1, 3]);
    latest.push(3);
    finish.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(started).toEqual([1, 3]);
    latest.reset();
    latest.push(3);
    expect(started).toEqual([1, 3, 3]);
  });

  it('keeps going after a failed job', async () => {
    const started: number[] = [];
    const latest = new LatestOnly<number>(
      (value) => {
        started.push(value);
        return Promise.reject(new Error('offline'));
      },
      (a, b) => a === b,
    );
    latest.push(1);
    await new Promise((resolve) => setTimeout(resolve, 0));
    latest.push(2);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(started).toEqual([1, 2]);
  });
});

describe('retryBrokenImages', () => {
  it('asks again for the thumbnails that failed, and only those', () => {
    const root = document.createElement('div');
    root.innerHTML = `<img class="broken" src="/thumbs/a/tile_224"><img src="/thumbs/b/tile_224"><img class="broken" src="/thumbs/c/tile_224">`;
    // Every write of `src` is a new load for the browser.
    const writes = new MutationObserver(() => undefined);
    writes.observe(root, { subtree: true, attributeFilter: ['src'] });
    expect(retryBrokenImages(root)).toBe(2);
    const reloaded = writes
      .takeRecords()
      .map((record) => (record.target as HTMLImageElement).getAttribute('src'))
      .filter((src) => src !== null);
    writes.disconnect();
    expect([...new Set(reloaded)].sort()).toEqual(['/thumbs/a/tile_224', '/thumbs/c/tile_224']);
    expect(root.querySelectorAll('img.broken')).toHaveLength(0);
    expect([...root.querySelectorAll('img')].map((image) => image.getAttribute('src'))).toEqual([
      '/thumbs/a/tile_224',
      '/thumbs/b/tile_224',
      '/thumbs/c/tile_224',
    ]);
  });
});
