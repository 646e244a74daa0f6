import { api } from './api';
import { firstScreenBox, firstScreenTiles } from './boot';

/** A resize is over once the window has kept its size this long. */
const RESIZE_SETTLE_MS = 200;

/**
 * While the sign-in form shows, tell main what the grid's first screen will show (thumbnail size
 * and how many photos from the top), and again after the window was resized: on a first run main
 * fetches those thumbnails the moment the server names the photos (main/thumbnails/thumbnail-service.ts,
 * [Note: The first screen's thumbnails go first]). Returns the function that stops.
 */
export function reportFirstScreen(target: Window = window): () => void {
  const send = () => {
    const screen = firstScreenTiles(firstScreenBox());
    // An unsure size is not sent: main then fetches nothing ahead, and the grid asks as usual.
    if (screen) void api.call('library.firstScreen', screen).catch(() => undefined);
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onResize = () => {
    clearTimeout(timer);
    timer = setTimeout(send, RESIZE_SETTLE_MS);
  };
  target.addEventListener('resize', onResize);
  send();
  return () => {
    clearTimeout(timer);
    target.removeEventListener('resize', onResize);
  };
}
