import { api } from '../api';
import { toNativeMenu, type ContextMenuEntries } from '../app-commands';

/** An open HTML context menu: its entries and where the pointer was (window px). */
export interface OpenContextMenu {
  readonly entries: ContextMenuEntries;
  readonly x: number;
  readonly y: number;
}

/**
 * Shows the context menus resolved by AppCommands (see [Note: One context-menu table]).
 *
 * The Mac app asks main for a native menu (`app.contextMenu`, Menu.popup) and runs the item
 * whose id comes back; the web shell, which has no native menus, opens the HTML menu
 * (ContextMenu.svelte). When the native menu cannot be shown (main refused or is gone), the
 * HTML menu opens instead, so a right-click never does nothing.
 */
export class ContextMenuState {
  menu = $state.raw<OpenContextMenu | null>(null);
  readonly #native: () => boolean;
  /** Where keyboard focus was before the HTML menu opened, to give it back. */
  #returnFocus: HTMLElement | null = null;

  constructor(options: { native: () => boolean }) {
    this.#native = options.native;
  }

  async show(entries: ContextMenuEntries, at: { x: number; y: number }): Promise<void> {
    if (entries.length === 0) return;
    if (this.#native()) {
      try {
        const { chosen } = await api.call('app.contextMenu', { items: toNativeMenu(entries) });
        const item = entries.find((entry) => entry !== '-' && entry.id === chosen);
        if (item && item !== '-' && item.enabled) item.run();
        return;
      } catch {
        // Fall through to the page's own menu.
      }
    }
    const active = globalThis.document?.activeElement;
    this.#returnFocus = active instanceof HTMLElement ? active : null;
    this.menu = { entries, x: at.x, y: at.y };
  }

  /** Close the HTML menu; with `refocus`, give the keyboard focus back to where it was. */
  close(refocus = true): void {
    this.menu = null;
    const back = this.#returnFocus;
    this.#returnFocus = null;
    if (refocus && back?.isConnected) back.focus({ preventScroll: true });
  }
}
