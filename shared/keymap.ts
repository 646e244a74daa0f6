/**
 * [Note: One keymap]
 *
 * The app's keyboard commands, defined ONCE: the Electron menus (main/menu/) derive their
 * accelerators from this table and the renderer matches keydown events against the same
 * bindings, so a menu can never advertise a shortcut the page does not honour (or the reverse).
 *
 * Each command has one or more bindings; the FIRST is the one the menu shows. `toAccelerator()`
 * turns it into Electron's syntax; `matchesKey()` tests a keydown against any binding.
 *
 * Who handles the key (`handledBy`):
 * - `menu`: the menu accelerator fires (it works even while the window has no focused element);
 *   the renderer must not handle the key too, or the command would run twice.
 * - `renderer`: single keys (`.`, `F`, `A`, Delete, Enter, `?`) would swallow typing if the menu
 *   registered them, so the menu only DISPLAYS them (`registerAccelerator: false`) and the
 *   renderer handles them outside text fields.
 * Edit-style commands (undo, redo, select all) are menu-handled and routed by the renderer: in
 * a text field they act on the text, elsewhere on the library (see `textFieldRole`).
 */

/** A key combination, as the renderer sees it in a KeyboardEvent. */
export interface KeyBinding {
  /** `KeyboardEvent.key`: a character ('a', '+', '?') or a named key ('Enter', 'Backspace'). */
  readonly key: string;
  /** ⌘ on the Mac, Ctrl elsewhere (the web shell may run on Linux). */
  readonly mod?: boolean;
  /** The Control key itself (⌃), for the few Mac shortcuts that use it alongside ⌘. */
  readonly ctrl?: boolean;
  readonly alt?: boolean;
  /**
   * Shift, for letters and named keys. For punctuation the character already says whether
   * Shift was down ('+' vs '='), and layouts differ, so Shift is ignored there.
   */
  readonly shift?: boolean;
}

/** Where a command lives in the app menu. */
export type MenuPlacement = 'app' | 'file' | 'edit' | 'view' | 'go' | 'image' | 'help';

/** One app command: id, what the menu calls it, its keys, and who handles them. */
export interface KeyCommandSpec {
  readonly label: string;
  readonly menu: MenuPlacement;
  readonly bindings: readonly KeyBinding[];
  readonly handledBy: 'menu' | 'renderer';
  /** For edit commands: what a text field does with the same key instead of the library. */
  readonly textFieldRole?: 'undo' | 'redo' | 'selectAll';
  /**
   * The menu item is Electron's own role (the window's native behaviour, e.g. full screen, the
   * same as the green button); the page handles the key only where there is no menu (web shell).
   */
  readonly nativeRole?: 'togglefullscreen';
}

/** The table. Order within a menu placement is the order items appear in that menu. */
export const KEYMAP = {
  'app.settings': { label: 'Settings…', menu: 'app', bindings: [{ key: ',', mod: true }], handledBy: 'menu' },
  'album.new': {
    label: 'New Album',
    menu: 'file',
    // ⇧⌘N is a browser's "new private window" (see BROWSER_RESERVED): the web shell shows ⌥⌘N.
    bindings: [
      { key: 'n', mod: true, shift: true },
      { key: 'n', mod: true, alt: true },
    ],
    handledBy: 'menu',
  },
  /** File → Import…: photos and videos into PhotoPrism (into the album on screen, if any). ⇧⌘I as in Photos. */
  'file.import': { label: 'Import…', menu: 'file', bindings: [{ key: 'i', mod: true, shift: true }], handledBy: 'menu' },
  'photo.export': {
    label: 'Export…',
    menu: 'file',
    bindings: [{ key: 'e', mod: true, shift: true }],
    handledBy: 'menu',
  },
  'edit.undo': {
    label: 'Undo',
    menu: 'edit',
    bindings: [{ key: 'z', mod: true }],
    handledBy: 'menu',
    textFieldRole: 'undo',
  },
  'edit.redo': {
    label: 'Redo',
    menu: 'edit',
    bindings: [{ key: 'z', mod: true, shift: true }],
    handledBy: 'menu',
    textFieldRole: 'redo',
  },
  'edit.selectAll': {
    label: 'Select All',
    menu: 'edit',
    bindings: [{ key: 'a', mod: true }],
    handledBy: 'menu',
    textFieldRole: 'selectAll',
  },
  'view.zoomIn': {
    label: 'Larger Thumbnails',
    menu: 'view',
    // '+' is Shift+'=' on most layouts; accept the unshifted key too, as every Mac app does.
    bindings: [
      { key: '+', mod: true },
      { key: '=', mod: true },
    ],
    handledBy: 'menu',
  },
  'view.zoomOut': { label: 'Smaller Thumbnails', menu: 'view', bindings: [{ key: '-', mod: true }], handledBy: 'menu' },
  'view.photos': { label: 'Photos', menu: 'view', bindings: [{ key: '1', mod: true }], handledBy: 'menu' },
  'view.albums': { label: 'Albums', menu: 'view', bindings: [{ key: '2', mod: true }], handledBy: 'menu' },
  'view.activity': { label: 'Sync Activity', menu: 'view', bindings: [{ key: '3', mod: true }], handledBy: 'menu' },
  /** Photos' View → Slideshow: from the open photo (or the focused one), full screen, every few seconds. */
  'view.slideshow': { label: 'Play Slideshow', menu: 'view', bindings: [{ key: 's', mod: true, alt: true }], handledBy: 'menu' },
  /** ⌃⌘F as in every Mac app; Electron's role is the green button's full screen. */
  'view.fullScreen': {
    label: 'Enter Full Screen',
    menu: 'view',
    bindings: [{ key: 'f', mod: true, ctrl: true }],
    handledBy: 'menu',
    nativeRole: 'togglefullscreen',
  },
  'go.commandPalette': { label: 'Go to…', menu: 'go', bindings: [{ key: 'k', mod: true }], handledBy: 'menu' },
  'photo.favourite': {
    label: 'Favourite',
    menu: 'image',
    bindings: [{ key: '.' }, { key: 'f' }],
    handledBy: 'renderer',
  },
  'photo.addToAlbum': { label: 'Add to Album…', menu: 'image', bindings: [{ key: 'a' }], handledBy: 'renderer' },
  'photo.addToLastAlbum': {
    label: 'Add to Last Album',
    menu: 'image',
    bindings: [{ key: 'a', mod: true, ctrl: true }],
    handledBy: 'menu',
  },
  'photo.removeFromAlbum': {
    label: 'Remove from Album',
    menu: 'image',
    bindings: [{ key: 'Backspace' }, { key: 'Delete' }],
    handledBy: 'renderer',
  },
  'photo.archive': { label: 'Archive', menu: 'image', bindings: [{ key: 'Backspace', mod: true }], handledBy: 'menu' },
  /** PhotoPrism's Private flag: ⌘L, as Photos' Hide Photo (the nearest Mac idea of "keep out of sight"). */
  'photo.private': { label: 'Private', menu: 'image', bindings: [{ key: 'l', mod: true }], handledBy: 'menu' },
  /** In Review: approve (Lightroom's P, "pick"); the photos move into the library. */
  'photo.approve': { label: 'Approve', menu: 'image', bindings: [{ key: 'p' }], handledBy: 'renderer' },
  'photo.rename': { label: 'Rename…', menu: 'image', bindings: [{ key: 'Enter' }], handledBy: 'renderer' },
  /**
   * The inspector: title, caption, keywords, date, place, credits of the photo or selection.
   * `E` (⌘I is the viewer's info panel, and Ctrl+E is the browser's in the web shell).
   */
  'photo.editInfo': { label: 'Edit Info…', menu: 'image', bindings: [{ key: 'e' }], handledBy: 'renderer' },
  /**
   * Lightroom's auto-advance (its Caps Lock switch) as a plain key: after favouriting,
   * archiving or adding to an album, the focus moves on to the next photo.
   */
  'photo.culling': { label: 'Culling Mode', menu: 'image', bindings: [{ key: 'c' }], handledBy: 'renderer' },
  /**
   * Two photos side by side (Lightroom's Compare, ⇧C here since C is culling): the two selected,
   * or the focused one and the next. The keys then act on the active side.
   */
  'photo.compare': { label: 'Compare', menu: 'image', bindings: [{ key: 'c', shift: true }], handledBy: 'renderer' },
  'help.shortcuts': { label: 'Keyboard Shortcuts', menu: 'help', bindings: [{ key: '?' }], handledBy: 'renderer' },
} as const satisfies Record<string, KeyCommandSpec>;

/** Every command id. */
export type CommandId = keyof typeof KEYMAP;

/** The command ids as a tuple, for `z.enum(COMMAND_IDS)` in the IPC contract. */
export const COMMAND_IDS = Object.keys(KEYMAP) as [CommandId, ...CommandId[]];

/** The parts of a KeyboardEvent the matcher reads (so tests and main can pass plain objects). */
export interface KeyEventLike {
  readonly key: string;
  readonly metaKey: boolean;
  readonly ctrlKey: boolean;
  readonly altKey: boolean;
  readonly shiftKey: boolean;
}

/** Whether Shift is part of the binding's meaning: letters and named keys yes, punctuation no. */
function shiftMatters(key: string): boolean {
  return key.length > 1 || /^[a-z]$/i.test(key);
}

/**
 * Whether a keydown matches a binding.
 *
 * `mac` decides what `mod` means: ⌘ on the Mac, Ctrl elsewhere (the web shell on Linux). On
 * the Mac, ⌃ is separate (`ctrl`); elsewhere Ctrl IS `mod`, so a binding using both cannot be
 * typed and never matches.
 */
export function matchesKey(event: KeyEventLike, binding: KeyBinding, options: { mac?: boolean } = {}): boolean {
  const mac = options.mac ?? true;
  const wantMeta = mac && binding.mod === true;
  const wantCtrl = mac ? binding.ctrl === true : binding.mod === true || binding.ctrl === true;
  if (!mac && binding.mod === true && binding.ctrl === true) return false;
  if (event.metaKey !== wantMeta || event.ctrlKey !== wantCtrl || event.altKey !== (binding.alt === true)) return false;
  if (shiftMatters(binding.key) && event.shiftKey !== (binding.shift === true)) return false;
  return binding.key.length === 1 ? event.key.toLowerCase() === binding.key.toLowerCase() : event.key === binding.key;
}

/** The first command (of all, or of `among`) with a binding matching the keydown, or null. */
export function commandForKey(event: KeyEventLike, options: { mac?: boolean; among?: readonly CommandId[] } = {}): CommandId | null {
  const ids = options.among ?? COMMAND_IDS;
  for (const id of ids) {
    const spec: KeyCommandSpec = KEYMAP[id];
    if (spec.bindings.some((binding) => matchesKey(event, binding, options))) return id;
  }
  return null;
}

/** Electron's names for keys whose character is not a valid accelerator token. */
const ACCELERATOR_KEYS: Readonly<Record<string, string>> = { '+': 'Plus', ' ': 'Space' };

/**
 * A binding in Electron's accelerator syntax ('CmdOrCtrl+Shift+N').
 *
 * Derived, never written by hand, so the menu and the renderer cannot disagree.
 */
export function toAccelerator(binding: KeyBinding): string {
  const parts: string[] = [];
  if (binding.ctrl) parts.push('Ctrl');
  if (binding.mod) parts.push('CmdOrCtrl');
  if (binding.alt) parts.push('Alt');
  if (binding.shift && shiftMatters(binding.key)) parts.push('Shift');
  const key = ACCELERATOR_KEYS[binding.key] ?? (binding.key.length === 1 ? binding.key.toUpperCase() : binding.key);
  parts.push(key);
  return parts.join('+');
}

/** The primary binding of a command (the one the menu shows). */
export function primaryBinding(id: CommandId): KeyBinding {
  const spec: KeyCommandSpec = KEYMAP[id];
  const first = spec.bindings[0];
  // The table is a literal with at least one binding per command; a test proves it.
  if (!first) throw new Error(`Command ${id} has no key binding`);
  return first;
}

/**
 * A binding as the platform writes it: Mac symbols ('⇧⌘N') on the Mac, 'Ctrl+Shift+N' elsewhere
 * (the web shell on Linux or Windows, where ⌘ means nothing).
 */
export function toShortcutLabel(binding: KeyBinding, options: { mac?: boolean } = {}): string {
  if (options.mac ?? true) {
    const symbols: Readonly<Record<string, string>> = { Backspace: '⌫', Delete: '⌦', Enter: '↩', ' ': 'Space' };
    let out = '';
    if (binding.ctrl) out += '⌃';
    if (binding.alt) out += '⌥';
    if (binding.shift && shiftMatters(binding.key)) out += '⇧';
    if (binding.mod) out += '⌘';
    return out + (symbols[binding.key] ?? (binding.key.length === 1 ? binding.key.toUpperCase() : binding.key));
  }
  const names: Readonly<Record<string, string>> = { ' ': 'Space' };
  const parts: string[] = [];
  if (binding.mod || binding.ctrl) parts.push('Ctrl');
  if (binding.alt) parts.push('Alt');
  if (binding.shift && shiftMatters(binding.key)) parts.push('Shift');
  parts.push(names[binding.key] ?? (binding.key.length === 1 ? binding.key.toUpperCase() : binding.key));
  return parts.join('+');
}

/**
 * Keys a browser keeps for itself: a page never receives them, so the web shell must not offer
 * them (Chromium chrome/browser/ui/browser_command_controller.cc, IsReservedCommandOrKey: new
 * window, new private window, new tab, reopen tab, close tab or window, quit).
 */
export const BROWSER_RESERVED: readonly KeyBinding[] = [
  { key: 'n', mod: true },
  { key: 'n', mod: true, shift: true },
  { key: 't', mod: true },
  { key: 't', mod: true, shift: true },
  { key: 'w', mod: true },
  { key: 'w', mod: true, shift: true },
  { key: 'q', mod: true },
];

/** Whether a browser takes this binding before the page sees it. */
export function isBrowserReserved(binding: KeyBinding): boolean {
  return BROWSER_RESERVED.some(
    (reserved) =>
      reserved.key === binding.key.toLowerCase() &&
      (reserved.mod ?? false) === (binding.mod ?? false) &&
      (reserved.shift ?? false) === (binding.shift ?? false) &&
      (reserved.alt ?? false) === (binding.alt ?? false) &&
      (reserved.ctrl ?? false) === (binding.ctrl ?? false),
  );
}

/**
 * The binding to show for a command: the menu's (the first) in Electron; in the web shell the
 * first one the browser lets the page have.
 */
export function displayBinding(id: CommandId, options: { web?: boolean } = {}): KeyBinding {
  const spec: KeyCommandSpec = KEYMAP[id];
  if (options.web) {
    const usable = spec.bindings.find((binding) => !isBrowserReserved(binding));
    if (usable) return usable;
  }
  return primaryBinding(id);
}
