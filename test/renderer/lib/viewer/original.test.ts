import { describe, expect, it } from 'vitest';
import { needsOriginal } from '../../../../renderer/lib/viewer/original';

describe('needsOriginal', () => {
  const photo = { width: 6000, height: 4000 };
  it('asks for the original when the zoomed image needs more pixels than the preview has', () => {
    // A fit_1920 preview (the server's pre-cache limit) zoomed to 100 % of a 6000 px photo.
    expect(needsOriginal({ width: 1800, height: 1200 }, { width: 6000, height: 4000 }, photo)).toBe(true);
  });
  it('not while the preview covers the zoomed image (a few pixels short are invisible)', () => {
    expect(needsOriginal({ width: 1800, height: 1200 }, { width: 1820, height: 1213 }, photo)).toBe(false);
  });
  it('not when the preview already is the whole photo, however far the zoom', () => {
    expect(needsOriginal({ width: 1600, height: 1200 }, { width: 6400, height: 4800 }, { width: 1600, height: 1200 })).toBe(false);
  });
});
