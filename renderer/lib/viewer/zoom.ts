import type { Size2d } from './fit';

/**
 * Zoom and pan of the viewer's image, as plain numbers (the component turns them into a CSS
 * transform on the letterboxed box).
 *
 * `scale` is relative to the fitted box: 1 = fit. `x`/`y` move the box's centre away from the
 * stage's centre, in CSS pixels. Panning is clamped so the image never leaves a gap on a side
 * where it is larger than the stage, and stays centred on a side where it is smaller.
 */
export interface ZoomView {
  readonly scale: number;
  readonly x: number;
  readonly y: number;
}

export const FIT_VIEW: ZoomView = { scale: 1, x: 0, y: 0 };

/** One ⌘+ / ⌘− step, as in Preview and Photos. */
export const ZOOM_STEP = 1.25;

/** What zoom needs to know about the picture on screen. */
export interface ZoomGeometry {
  /** The letterboxed box at fit, CSS px. */
  readonly box: Size2d;
  readonly stage: Size2d;
  /** The photo's own pixels. */
  readonly photo: Size2d;
  readonly devicePixelRatio: number;
}

/** The scale at which one photo pixel is one device pixel ("100 %"). */
export function actualSizeScale(g: ZoomGeometry): number {
  if (g.box.width <= 0 || g.photo.width <= 0) return 1;
  return g.photo.width / (g.box.width * g.devicePixelRatio);
}

/** Highest zoom: 4× beyond 100 %, and never less than 4× the fit. */
export function maxScale(g: ZoomGeometry): number {
  return Math.max(4, actualSizeScale(g) * 4);
}

/** Keep the view inside its limits: scale in [1, max], no pan beyond the image's edges. */
export function clampView(view: ZoomView, g: ZoomGeometry): ZoomView {
  const scale = Math.min(Math.max(view.scale, 1), maxScale(g));
  const limitX = Math.max(0, (g.box.width * scale - g.stage.width) / 2);
  const limitY = Math.max(0, (g.box.height * scale - g.stage.height) / 2);
  return {
    scale,
    x: Math.min(Math.max(view.x, -limitX), limitX),
    y: Math.min(Math.max(view.y, -limitY), limitY),
  };
}

/**
 * Zoom to `scale`, keeping the stage point `anchor` (CSS px from the stage's centre; the centre
 * itself by default) over the same spot of the image — what a pinch or ⌘+ feels like.
 */
export function zoomTo(view: ZoomView, scale: number, g: ZoomGeometry, anchor = { x: 0, y: 0 }): ZoomView {
  const next = Math.min(Math.max(scale, 1), maxScale(g));
  const ratio = next / view.scale;
  return clampView({ scale: next, x: anchor.x - (anchor.x - view.x) * ratio, y: anchor.y - (anchor.y - view.y) * ratio }, g);
}

/** Double-click: fit ↔ 100 % (or 2× when the photo is smaller than the window), at the click. */
export function toggleActualSize(view: ZoomView, g: ZoomGeometry, anchor = { x: 0, y: 0 }): ZoomView {
  if (view.scale > 1.001) return FIT_VIEW;
  const actual = actualSizeScale(g);
  return zoomTo(view, actual > 1.001 ? actual : 2, g, anchor);
}

/** Move the image by (dx, dy) CSS px (arrow keys, drag, two-finger scroll). */
export function panBy(view: ZoomView, dx: number, dy: number, g: ZoomGeometry): ZoomView {
  return clampView({ scale: view.scale, x: view.x + dx, y: view.y + dy }, g);
}

/** Device pixels the zoomed image spans: what the loaded image must cover to stay sharp. */
export function neededDevicePixels(view: ZoomView, g: ZoomGeometry): Size2d {
  return {
    width: Math.round(g.box.width * view.scale * g.devicePixelRatio),
    height: Math.round(g.box.height * view.scale * g.devicePixelRatio),
  };
}
