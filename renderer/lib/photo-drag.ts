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

/** Whether a drag carries photos from the grid. */
export function isPhotoDrag(event: DragEvent): boolean {
  return event.dataTransfer?.types.includes(PHOTO_DRAG_TYPE) ?? false;
}
