import type { ThumbSize } from '../../../shared/library/schemas';

/**
 * [Note: Viewer fit and preview size]
 *
 * The viewer never lets an image decide its own box: the box is computed from the photo's
 * width and height (known from the library cache before any pixel arrives) and the stage size,
 * so a square grid tile, a 1920 px preview and the original all paint into the same letterboxed
 * rectangle. The preview asked for is the smallest PhotoPrism `fit_*` size that covers that
 * rectangle in DEVICE pixels (CSS px × devicePixelRatio); a larger one only when zoomed.
 */

/** A rectangle in CSS pixels (or, for photos, in image pixels). */
export interface Size2d {
  readonly width: number;
  readonly height: number;
}

/**
 * PhotoPrism's public fit sizes with their bounding boxes, smallest first
 * (PhotoPrism internal/thumb/sizes.go: SizeFit720 … SizeFit7680, the ones with Public = true).
 * A fit thumbnail keeps the aspect ratio and is never larger than the original.
 */
export const FIT_SIZES: ReadonlyArray<{ readonly name: ThumbSize; readonly width: number; readonly height: number }> = [
  { name: 'fit_720', width: 720, height: 720 },
  { name: 'fit_1280', width: 1280, height: 1024 },
  { name: 'fit_1920', width: 1920, height: 1200 },
  { name: 'fit_2560', width: 2560, height: 1600 },
  { name: 'fit_4096', width: 4096, height: 4096 },
  { name: 'fit_7680', width: 7680, height: 4320 },
];

/** The largest rectangle of the photo's aspect ratio inside `stage` (letterboxed, centred). */
export function fitBox(photo: Size2d, stage: Size2d): Size2d {
  if (photo.width <= 0 || photo.height <= 0 || stage.width <= 0 || stage.height <= 0) {
    // Unknown dimensions (a photo not yet indexed): a square, so nothing overflows.
    const side = Math.max(0, Math.min(stage.width, stage.height));
    return { width: side, height: side };
  }
  const scale = Math.min(stage.width / photo.width, stage.height / photo.height);
  return { width: photo.width * scale, height: photo.height * scale };
}

/** Pixel size PhotoPrism renders for a fit size from a photo (fit inside the box, never upscaled). */
export function fittedPixels(size: { readonly width: number; readonly height: number }, photo: Size2d): Size2d {
  if (photo.width <= 0 || photo.height <= 0) return { width: size.width, height: size.height };
  const scale = Math.min(size.width / photo.width, size.height / photo.height, 1);
  return { width: Math.max(1, Math.round(photo.width * scale)), height: Math.max(1, Math.round(photo.height * scale)) };
}

/**
 * The smallest fit size whose image covers `need` device pixels, or the one that already is the
 * whole original, or else the largest there is.
 */
export function previewSizeFor(photo: Size2d, needDevicePx: Size2d): ThumbSize {
  for (const size of FIT_SIZES) {
    const px = fittedPixels(size, photo);
    // 2 % slack: a 1131 px box is well served by a 1120 px image, the eye cannot tell.
    const covers = px.width >= needDevicePx.width * 0.98 && px.height >= needDevicePx.height * 0.98;
    const whole = px.width >= photo.width && px.height >= photo.height;
    if (covers || whole) return size.name;
  }
  return FIT_SIZES[FIT_SIZES.length - 1]?.name ?? 'fit_1920';
}

/** The fit sizes smaller than `size`, largest first: where to look when `size` is not available. */
export function smallerFitSizes(size: ThumbSize): ThumbSize[] {
  const index = FIT_SIZES.findIndex((s) => s.name === size);
  return FIT_SIZES.slice(0, Math.max(0, index))
    .map((s) => s.name)
    .reverse();
}
