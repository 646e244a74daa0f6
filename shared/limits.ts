/**
 * [Note: The page's first paint loads no zod]
 * The limits both sides of the bridge know, in a module without zod: the page's app chunk needs
 * them, and importing them from the schema modules that use them (shared/library/schemas.ts,
 * shared/export.ts, …) made the page evaluate zod and every schema before its first paint (zod
 * and the shared schemas were about a third of the app chunk's evaluation in a trace of
 * grid.first_paint_100k_ms). The page checks nothing with zod on its way to the first screen;
 * only the inspector's edit form does, and it loads with the inspector.
 * test/build/renderer-entry.test.ts keeps it that way.
 */

/** Largest page the renderer may ask for at once (the grid asks for what is near the viewport). */
export const MAX_PAGE_SIZE = 1000;

/** Most photos one drag to Finder takes (their originals are staged on this Mac first). */
export const MAX_DRAG_OUT_UIDS = 500;

/**
 * Most photos whose originals one press of the mouse button may wait for: more than this
 * cannot be fetched while the button is held, so the drag says so and offers Export… (⇧⌘E).
 * See [Note: Dragging originals out to Finder].
 */
export const MAX_ONE_DRAG_PHOTOS = 50;

/** Most paths one `import.start` names (a bigger drop is sent in several): keeps the bridge's frame limit where it is. */
export const MAX_CHOSEN_PATHS = 200;

/** Most photos one `photo.metadata` read or batch edit may name (one request each on the server). */
export const MAX_EDIT_UIDS = 1000;
