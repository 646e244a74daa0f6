import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * The main window's size and position, remembered across launches: pure logic + a small JSON file.
 *
 * Saved bounds can point at a display that is gone (a laptop unplugged from its monitor), so
 * they are always fitted to the displays present now before use.
 */
export const WindowState = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof WindowState>;

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** The file name under the profile folder. */
export const WINDOW_STATE_FILE = 'window-state.json';
export const DEFAULT_WINDOW_SIZE = { width: 1200, height: 800 } as const;
export const MIN_WINDOW_SIZE = { width: 640, height: 480 } as const;
/** How much of the title bar must be on a display for the window to count as reachable. */
const MIN_VISIBLE_PX = 100;

/** Read the saved state; anything missing or malformed means "no saved state" (never a crash). */
export function loadWindowState(path: string): WindowState | undefined {
  try {
    const parsed = WindowState.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Write the state atomically (a crash mid-write must not leave half a file). */
export function saveWindowState(path: string, state: WindowState): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, JSON.stringify(WindowState.parse(state)), { mode: 0o600 });
  renameSync(tmp, path);
}

function overlap(a: Rect, b: Rect): number {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return width > 0 && height > 0 ? width * height : 0;
}

/**
 * Where to open the window, given the saved state and the displays' work areas (first = primary).
 *
 * - No saved state: the default size, centred on the primary display.
 * - Saved on a display that is still there: the same place, shrunk to fit that display.
 * - Saved where no display is now (or only a sliver shows): the saved size on the primary display.
 */
export function fitToDisplays(saved: WindowState | undefined, workAreas: readonly Rect[]): WindowState {
  const primary = workAreas[0] ?? { x: 0, y: 0, ...DEFAULT_WINDOW_SIZE };
  const centreOn = (area: Rect, width: number, height: number, maximized: boolean): WindowState => {
    const w = Math.max(Math.min(width, area.width), Math.min(MIN_WINDOW_SIZE.width, area.width));
    const h = Math.max(Math.min(height, area.height), Math.min(MIN_WINDOW_SIZE.height, area.height));
    return {
      x: Math.round(area.x + (area.width - w) / 2),
      y: Math.round(area.y + (area.height - h) / 2),
      width: Math.round(w),
      height: Math.round(h),
      maximized,
    };
  };
  if (!saved) return centreOn(primary, DEFAULT_WINDOW_SIZE.width, DEFAULT_WINDOW_SIZE.height, false);

  // The display showing most of the window; the title bar must be reachable on it.
  let best: Rect | undefined;
  let bestOverlap = 0;
  for (const area of workAreas) {
    const titleBar = { x: saved.x, y: saved.y, width: saved.width, height: Math.min(saved.height, 30) };
    const visible = overlap(titleBar, area) > 0 ? overlap(saved, area) : 0;
    if (visible > bestOverlap) {
      best = area;
      bestOverlap = visible;
    }
  }
  const visibleWidth = best ? Math.min(saved.x + saved.width, best.x + best.width) - Math.max(saved.x, best.x) : 0;
  if (!best || visibleWidth < MIN_VISIBLE_PX) return centreOn(primary, saved.width, saved.height, saved.maximized);

  const width = Math.min(Math.max(saved.width, MIN_WINDOW_SIZE.width), best.width);
  const height = Math.min(Math.max(saved.height, MIN_WINDOW_SIZE.height), best.height);
  const x = Math.min(Math.max(saved.x, best.x), best.x + best.width - width);
  const y = Math.min(Math.max(saved.y, best.y), best.y + best.height - height);
  return { x, y, width, height, maximized: saved.maximized };
}
