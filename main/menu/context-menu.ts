import { Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import type { NativeMenuItem } from '../../shared/ipc/native-menu';

/**
 * The Mac app's right-click menus: a thin shell over `Menu.popup`. The renderer resolved the
 * items (labels, enabled) from the one table (see [Note: One context-menu table]); main only
 * draws them and answers which id was chosen, so no command runs here.
 */

/** Electron menu options for the resolved items; a click reports its id through `choose`. */
export function toContextMenuTemplate(items: readonly NativeMenuItem[], choose: (id: string) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if ('separator' in item) return { type: 'separator' };
    return {
      label: item.label,
      enabled: item.enabled,
      // Display only: the keys themselves belong to the app menu and the page (shared/keymap.ts).
      ...(item.accelerator ? { accelerator: item.accelerator, registerAccelerator: false } : {}),
      click: () => choose(item.id),
    };
  });
}

/**
 * Pop the menu up at the mouse in `window` and resolve with the chosen id, or null once it
 * closes without a choice.
 */
export function popUpContextMenu(window: BrowserWindow | undefined, items: readonly NativeMenuItem[]): Promise<string | null> {
  return new Promise((resolve) => {
    if (!window || window.isDestroyed()) {
      resolve(null);
      return;
    }
    const menu = Menu.buildFromTemplate(toContextMenuTemplate(items, (id) => resolve(id)));
    menu.popup({
      window,
      // On macOS `callback` can run before the chosen item's `click`; wait a turn so a choice
      // is never reported as "dismissed" (the first resolve wins).
      callback: () => setTimeout(() => resolve(null), 0),
    });
  });
}
