import { KEYMAP, matchesKey, type CommandId, type KeyBinding } from '../../shared/keymap';

/**
 * [Note: Renderer keyboard handling]
 *
 * Every in-page shortcut goes through this module: a table of commands → key bindings, and one
 * `handleKey()` that finds the command for a keydown and calls the handler registered for it.
 * It never fires while the person is typing in a text field, so the search box and sign-in
 * form keep their keys.
 *
 * App-wide commands (select all, zoom) take their bindings from shared/keymap.ts, the table the
 * Electron menu is built from (see [Note: One keymap]). In Electron those keys are the menu's:
 * the accelerator fires and main pushes `menu.command`, so `handleKey` skips them once
 * `setMenuOwnsKeys(true)` is called (otherwise the command would run twice). The web shell has
 * no menu, so there the page handles them itself. Grid and viewer navigation keys exist only
 * in the page and are defined here. Which component is asked about a key at all (an open
 * dialog, the viewer, the grid, the app) is the key router's decision: [Note: One key owner].
 */

const key = (k: string, mods: Omit<KeyBinding, 'key'> = {}): KeyBinding => ({ key: k, ...mods });

/**
 * Commands the grid and viewer understand. App commands (curation, pages, overlays) come from
 * shared/keymap.ts and are dispatched by lib/app-commands.svelte.ts.
 */
export const KEY_BINDINGS = {
  'grid.selectAll': KEYMAP['edit.selectAll'].bindings,
  // h/j/k/l as in vi (and Immich/Gmail-style web apps), for one-handed culling.
  'grid.left': [key('ArrowLeft'), key('h')],
  'grid.right': [key('ArrowRight'), key('l')],
  'grid.up': [key('ArrowUp'), key('k')],
  'grid.down': [key('ArrowDown'), key('j')],
  'grid.extendLeft': [key('ArrowLeft', { shift: true }), key('h', { shift: true })],
  'grid.extendRight': [key('ArrowRight', { shift: true }), key('l', { shift: true })],
  'grid.extendUp': [key('ArrowUp', { shift: true }), key('k', { shift: true })],
  'grid.extendDown': [key('ArrowDown', { shift: true }), key('j', { shift: true })],
  'grid.home': [key('Home'), key('ArrowUp', { mod: true })],
  'grid.end': [key('End'), key('ArrowDown', { mod: true })],
  'grid.pageUp': [key('PageUp')],
  'grid.pageDown': [key('PageDown')],
  'grid.open': [key('Enter'), key(' ')],
  'grid.clear': [key('Escape')],
  // The context menu from the keyboard, as in Windows and GTK apps (the Mac has no such key).
  'grid.menu': [key('F10', { shift: true }), key('ContextMenu')],
  'search.focus': [key('f', { mod: true })],
  'zoom.in': KEYMAP['view.zoomIn'].bindings,
  'zoom.out': KEYMAP['view.zoomOut'].bindings,
  // While zoomed in, the arrows pan the photo (Preview, Photos); they navigate otherwise.
  'viewer.panLeft': [key('ArrowLeft')],
  'viewer.panRight': [key('ArrowRight')],
  'viewer.panUp': [key('ArrowUp')],
  'viewer.panDown': [key('ArrowDown')],
  'viewer.actualSize': [key('0', { mod: true })],
  'viewer.playPause': [key(' ')],
  'viewer.previous': [key('ArrowLeft'), key('h')],
  'viewer.next': [key('ArrowRight'), key('l')],
  'viewer.close': [key('Escape'), key(' ')],
  'viewer.info': [key('i'), key('i', { mod: true })],
  // Compare: the keys act on the other photo (as Tab moves between two panes).
  'viewer.compareSwitch': [key('Tab')],
} as const satisfies Record<string, readonly KeyBinding[]>;

export type KeyCommand = keyof typeof KEY_BINDINGS;

/** Page commands that are the same as a menu command (and so belong to the menu in Electron). */
export const MENU_EQUIVALENTS: Partial<Record<KeyCommand, CommandId>> = {
  'grid.selectAll': 'edit.selectAll',
  'zoom.in': 'view.zoomIn',
  'zoom.out': 'view.zoomOut',
};

let menuOwnsKeys = false;

/** Electron: the menu handles its accelerators and pushes `menu.command`; the page must not. */
export function setMenuOwnsKeys(owns: boolean): void {
  menuOwnsKeys = owns;
}

/** Whether the menu owns its accelerators (Electron) or the page handles them (web shell). */
export function getMenuOwnsKeys(): boolean {
  return menuOwnsKeys;
}

/** The parts of a KeyboardEvent the matcher reads (so tests can pass plain objects). */
export interface KeyLike {
  readonly key: string;
  readonly metaKey: boolean;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
  readonly target?: EventTarget | null;
}

/** ⌘ on the Mac, Ctrl elsewhere (the web shell may run on Linux). */
// eslint-disable-next-line @typescript-eslint/no-deprecated -- userAgentData is Chromium-only; platform works everywhere
export function isMac(platform: string = globalThis.navigator?.platform ?? ''): boolean {
  return /mac|iphone|ipad/i.test(platform);
}

/** Whether a key event matches one of a command's bindings. */
export function matchesCommand(event: KeyLike, command: KeyCommand, mac = isMac()): boolean {
  const bindings: readonly KeyBinding[] = KEY_BINDINGS[command];
  return bindings.some((binding) => matchesKey(event, binding, { mac }));
}

/** The first command of `commands` whose bindings match, or null. */
export function commandFor<C extends KeyCommand>(event: KeyLike, commands: readonly C[], mac = isMac()): C | null {
  return commands.find((command) => matchesCommand(event, command, mac)) ?? null;
}

/** True when the event comes from a place where keys are text: inputs, text areas, editables. */
export function isTypingTarget(target: EventTarget | null | undefined): boolean {
  if (!target || typeof target !== 'object' || !('tagName' in target)) return false;
  const element = target as HTMLElement;
  if (element.isContentEditable) return true;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion -- the target may be any object with a tagName
  const tag = String(element.tagName).toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = ((element as HTMLInputElement).type || 'text').toLowerCase();
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(type);
}

/** Handlers for some commands; returning `false` means "not handled, let the browser have it". */
export type KeyHandlers<C extends KeyCommand> = Partial<Record<C, (event: KeyLike) => unknown>>;

/**
 * Dispatch a keydown to the first matching handler. Returns true when handled (the caller then
 * calls preventDefault). Ignored while typing in a field.
 */
export function handleKey<C extends KeyCommand>(event: KeyLike, handlers: KeyHandlers<C>, mac = isMac()): boolean {
  if (isTypingTarget(event.target)) return false;
  const commands = Object.keys(handlers) as C[];
  for (const command of commands) {
    if (menuOwnsKeys && MENU_EQUIVALENTS[command] !== undefined) continue;
    if (!matchesCommand(event, command, mac)) continue;
    const handler = handlers[command];
    if (handler && handler(event) !== false) return true;
  }
  return false;
}
