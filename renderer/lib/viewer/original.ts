import type { Size2d } from './fit';

/**
 * [Note: Zooming past the previews]
 *
 * PhotoPrism's previews stop somewhere: fit_7680 at most, and a server that renders only the
 * pre-cached sizes answers every larger name with fit_1920 (docs/photoprism-api.md §6.3). So the
 * viewer judges by the pixels it actually decoded, not by the size name it asked for: when the
 * zoomed image needs more device pixels than the preview on screen has, and the photo itself has
 * more, the original is loaded (main fetches it with the download token, `/originals/<uid>`).
 */

/** 2 % slack, as for previews (renderer/lib/viewer/fit.ts): a few pixels short are invisible. */
const SLACK = 0.98;

/** Whether the preview of `shownPx` pixels looks soft at `needDevicePx`, and the original `photo` has more. */
export function needsOriginal(shownPx: Size2d, needDevicePx: Size2d, photo: Size2d): boolean {
  const short = shownPx.width < needDevicePx.width * SLACK || shownPx.height < needDevicePx.height * SLACK;
  const originalHasMore = photo.width > shownPx.width / SLACK || photo.height > shownPx.height / SLACK;
  return short && originalHasMore;
}
