/**
 * Full screen through the page's Fullscreen API: the web shell's way, and in Electron the page's
 * request becomes the window's native full screen. The Mac menu item (⌃⌘F, the green button) is
 * Electron's own role and never comes through here (shared/keymap.ts `nativeRole`).
 *
 * A browser may refuse (no user gesture, a policy): the promise rejects and nothing changes,
 * which the caller may ignore (the window simply stays as it is, and the control says so).
 */
export function isFullScreen(doc: Document = document): boolean {
  return doc.fullscreenElement !== null;
}

export async function toggleFullScreen(doc: Document = document): Promise<void> {
  if (isFullScreen(doc)) await doc.exitFullscreen();
  else await doc.documentElement.requestFullscreen();
}

export async function enterFullScreen(doc: Document = document): Promise<void> {
  if (!isFullScreen(doc)) await doc.documentElement.requestFullscreen();
}

export async function exitFullScreen(doc: Document = document): Promise<void> {
  if (isFullScreen(doc)) await doc.exitFullscreen();
}
