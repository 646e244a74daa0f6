import type { PhotoUid } from '../../shared/ids';
import { IMAGE_ORIGINS_META, thumbnailPath } from '../../shared/library/media-paths';
import type { ThumbSize } from '../../shared/library/schemas';

let imageOrigins: readonly string[] | undefined;

/** The origins the page's HTML names for the grid's thumbnails: none in Electron (see [Note: Grid thumbnails over more connections]). */
function pageImageOrigins(): readonly string[] {
  imageOrigins ??= (document.querySelector<HTMLMetaElement>(`meta[name="${IMAGE_ORIGINS_META}"]`)?.content ?? '')
    .split(' ')
    .filter((origin) => /^http:\/\/127\.0\.0\.1:\d+$/.test(origin));
  return imageOrigins;
}

/**
 * The URL the grid's tile at `index` loads its thumbnail from: on the web shell, one of its image
 * origins in turn, so a screen's thumbnails do not go six at a time (see [Note: Grid thumbnails
 * over more connections]); else the same-origin path. In turn by index, not by photo: any run of
 * tiles (a screen, its rows) spreads evenly, one request per origin and round. The first screen's
 * preloads (renderer/lib/boot.ts) name the same URLs as the tiles they are for, so the tiles find them in the
 * browser's cache; elsewhere (the viewer) a thumbnail has its same-origin path, and main answers
 * it again from its disk cache.
 */
export function tileImageUrl(index: number, uid: PhotoUid, size: ThumbSize, origins: readonly string[] = pageImageOrigins()): string {
  const path = thumbnailPath(uid, size);
  return origins.length === 0 ? path : `${origins[index % origins.length]}${path}`;
}
