/** The sidebar's width limits and its step for ←/→ on its edge. */
export const SIDEBAR_MIN_PX = 160;
export const SIDEBAR_MAX_PX = 400;
export const SIDEBAR_STEP_PX = 16;
const SIDEBAR_DEFAULT_PX = 220;
const SIDEBAR_WIDTH_KEY = 'sidebarWidthPx';

export function clampSidebar(px: number): number {
  return Math.min(Math.max(Math.round(px), SIDEBAR_MIN_PX), SIDEBAR_MAX_PX);
}

/** The width the person gave the sidebar (kept across launches), or the default. */
export function readSidebarWidth(): number {
  try {
    const saved = Number(globalThis.localStorage?.getItem(SIDEBAR_WIDTH_KEY));
    return Number.isFinite(saved) && saved > 0 ? clampSidebar(saved) : SIDEBAR_DEFAULT_PX;
  } catch {
    return SIDEBAR_DEFAULT_PX;
  }
}

/** Keep the width for the next launch; answers it clamped. */
export function saveSidebarWidth(px: number): number {
  const clamped = clampSidebar(px);
  try {
    globalThis.localStorage?.setItem(SIDEBAR_WIDTH_KEY, String(clamped));
  } catch {
    // No storage (a locked-down browser): the width lasts until the window closes.
  }
  return clamped;
}
