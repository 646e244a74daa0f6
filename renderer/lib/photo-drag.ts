/**
 * [Note: Dragging photos onto albums]
 *
 * Tiles drag as this type, distinct from Finder files ('Files', the import drop) and from
 * text, so an album in the sidebar knows a drag is ours and nothing else accepts it. The
 * payload names the dragged photos for anyone reading it, but the drop acts on the grid's
 * selection through CurationState (a drag starting on an unselected tile selects it first, as
 * in Finder), so a drop does exactly what "Add to Album" does.
 */
export const PHOTO_DRAG_TYPE = 'application/x-photoflare-uids';

/**
 * Whether the drag under way is our own native drag of staged originals (the Mac app, see
 * [Note: Dragging originals out to Finder]): it carries Files, not PHOTO_DRAG_TYPE, yet a drop
 * on a sidebar album must still add the selection, and a drop on the window must not import the
 * library's own originals again. Set at dragstart, ended by the drop, the drag leaving the
 * window (Finder takes it from there) or the next press.
 */
let nativeDragOut = false;
let endListeners: (() => void) | undefined;

export function beginNativeDragOut(): void {
  if (nativeDragOut) return;
  nativeDragOut = true;
  const end = (event: Event) => {
    if (event.type === 'dragleave' && !leavesWindow(event as MouseEvent)) return;
    endNativeDragOut();
  };
  // Bubble phase: a drop's own handlers (sidebar, import) run first and still see the flag.
  for (const type of ENDS) window.addEventListener(type, end);
  endListeners = () => {
    for (const type of ENDS) window.removeEventListener(type, end);
  };
}

/** The native drag did not start after all (main answered that it cannot): a later Finder drag is an import again. */
export function endNativeDragOut(): void {
  nativeDragOut = false;
  endListeners?.();
  endListeners = undefined;
}

const ENDS = ['drop', 'dragend', 'dragleave', 'pointerdown'] as const;

/**
 * Call `then` once if the page drag of photos under way leaves the window (towards Finder or
 * another app); forgotten when it ends inside (a drop on an album, Escape). Only then are the
 * originals worth fetching: a drag onto an album needs none.
 */
export function whenPageDragLeavesWindow(then: () => void): void {
  const stop = () => {
    window.removeEventListener('dragleave', onLeave);
    window.removeEventListener('drop', stop);
    window.removeEventListener('dragend', stop);
  };
  const onLeave = (event: Event) => {
    if (!leavesWindow(event as MouseEvent)) return;
    stop();
    then();
  };
  window.addEventListener('dragleave', onLeave);
  window.addEventListener('drop', stop);
  window.addEventListener('dragend', stop);
}

/** A dragleave with nothing to enter next, at or past the window's edge: the drag went to another app. */
function leavesWindow(event: MouseEvent): boolean {
  return !event.relatedTarget && (event.clientX <= 0 || event.clientY <= 0 || event.clientX >= innerWidth || event.clientY >= innerHeight);
}

/** Whether the drag under way is our own native drag of originals (see beginNativeDragOut). */
export function isNativeDragOut(event: DragEvent): boolean {
  return nativeDragOut && (event.dataTransfer?.types.includes('Files') ?? false);
}

/** Whether a drag carries photos from the grid (as page data, or as our own native drag of their originals). */
export function isPhotoDrag(event: DragEvent): boolean {
  return (event.dataTransfer?.types.includes(PHOTO_DRAG_TYPE) ?? false) || isNativeDragOut(event);
}
