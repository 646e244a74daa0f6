import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_SIZE, fitToDisplays, loadWindowState, saveWindowState, WINDOW_STATE_FILE } from '../../../main/window/window-state';

const dir = mkdtempSync(join(tmpdir(), 'window-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const laptop = { x: 0, y: 25, width: 1440, height: 875 };
const external = { x: 1440, y: 0, width: 2560, height: 1415 };

describe('window state', () => {
  it('round-trips through its file', () => {
    const path = join(dir, 'a', WINDOW_STATE_FILE);
    saveWindowState(path, { x: 10, y: 40, width: 900, height: 700, maximized: true });
    expect(loadWindowState(path)).toEqual({ x: 10, y: 40, width: 900, height: 700, maximized: true });
    expect(JSON.parse(readFileSync(path, 'utf8'))).toMatchObject({ width: 900 });
  });

  it('treats a missing or malformed file as no saved state', () => {
    expect(loadWindowState(join(dir, 'nope.json'))).toBeUndefined();
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"x":"left"}');
    expect(loadWindowState(bad)).toBeUndefined();
    writeFileSync(bad, 'not json');
    expect(loadWindowState(bad)).toBeUndefined();
  });

  it('centres the default size on the primary display the first time', () => {
    expect(fitToDisplays(undefined, [laptop])).toEqual({
      x: (1440 - DEFAULT_WINDOW_SIZE.width) / 2,
      y: Math.round(25 + (875 - DEFAULT_WINDOW_SIZE.height) / 2),
      width: DEFAULT_WINDOW_SIZE.width,
      height: DEFAULT_WINDOW_SIZE.height,
      maximized: false,
    });
  });

  it('restores the saved place on a display that is still there', () => {
    const saved = { x: 1600, y: 100, width: 1400, height: 900, maximized: false };
    expect(fitToDisplays(saved, [laptop, external])).toEqual(saved);
  });

  it('moves a window whose display is gone back onto the primary display', () => {
    const saved = { x: 1600, y: 100, width: 1000, height: 700, maximized: false };
    const fitted = fitToDisplays(saved, [laptop]);
    expect(fitted.x).toBeGreaterThanOrEqual(laptop.x);
    expect(fitted.x + fitted.width).toBeLessThanOrEqual(laptop.x + laptop.width);
    expect(fitted.y).toBeGreaterThanOrEqual(laptop.y);
    expect(fitted.y + fitted.height).toBeLessThanOrEqual(laptop.y + laptop.height);
    expect([fitted.width, fitted.height]).toEqual([1000, 700]);
  });

  it('shrinks a window bigger than its display and keeps the title bar reachable', () => {
    const fitted = fitToDisplays({ x: -50, y: 0, width: 3000, height: 2000, maximized: false }, [laptop]);
    expect(fitted).toEqual({ x: 0, y: 25, width: 1440, height: 875, maximized: false });
  });

  it('rescues a window that only shows a sliver', () => {
    const fitted = fitToDisplays({ x: 1400, y: 100, width: 800, height: 600, maximized: false }, [laptop]);
    expect(fitted.x + fitted.width).toBeLessThanOrEqual(1440);
  });
});
