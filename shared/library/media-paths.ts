import type { PhotoUid } from '../ids';
import type { ThumbSize } from './schemas';

/*
 * Same-origin paths of a photo's media, served by main. Apart from shared/library/schemas.ts (which
 * re-exports them) because the page's first script fetches the first screen's thumbnails and must
 * not load zod ([Note: Names without schemas]).
 */

/** Same-origin path of a thumbnail; the preview token stays in main. */
export function thumbnailPath(uid: PhotoUid, size: ThumbSize): string {
  return `/thumbs/${uid}/${size}`;
}

/**
 * Same-origin path of a video or Live photo's motion, streamed by main from PhotoPrism's video
 * endpoint in byte ranges (main/thumbnails/video-service.ts); the token stays in main.
 */
export function videoPath(uid: PhotoUid): string {
  return `/videos/${uid}`;
}

/**
 * Same-origin path of a photo's original, for the viewer zoomed past its largest preview. Main
 * fetches it with the download token (main/thumbnails/original-service.ts); the token stays there.
 */
export function originalPath(uid: PhotoUid): string {
  return `/originals/${uid}`;
}

/**
 * The name of the meta tag in which the web shell's page lists its image origins, the other
 * loopback ports that serve the grid's thumbnails (main/webshell/static-files.ts writes it,
 * renderer/lib/tile-urls.ts reads it; see [Note: Grid thumbnails over more connections]).
 */
export const IMAGE_ORIGINS_META = 'photoflare-image-origins';
