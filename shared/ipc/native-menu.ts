import { z } from 'zod';

// The native context menu's IPC shapes, apart from the menu table (shared/context-menus.ts) so
// the page's app chunk, which needs the table, loads no zod (see [Note: The page's first paint loads no zod]).

/**
 * A resolved item as it crosses IPC to the native menu: id, label, enabled, and the shortcut
 * the menu shows (an Electron accelerator, display only). Bounded, so a bad caller cannot
 * flood main with a menu of a million items.
 */
export const NativeMenuItem = z.union([
  z
    .object({
      id: z.string().min(1).max(100),
      label: z.string().min(1).max(300),
      enabled: z.boolean(),
      accelerator: z.string().max(40).optional(),
    })
    .strict(),
  z.object({ separator: z.literal(true) }).strict(),
]);
export type NativeMenuItem = z.infer<typeof NativeMenuItem>;

export const NativeMenuRequest = z.object({ items: z.array(NativeMenuItem).min(1).max(40) }).strict();
export type NativeMenuRequest = z.infer<typeof NativeMenuRequest>;

/** The chosen item's id, or null when the menu was dismissed. */
export const NativeMenuResponse = z.object({ chosen: z.string().nullable() }).strict();
