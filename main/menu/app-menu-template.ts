import { KEYMAP, COMMAND_IDS, primaryBinding, toAccelerator, type CommandId, type MenuPlacement } from '../../shared/keymap';

/**
 * The macOS menu bar as plain data, derived from shared/keymap.ts: no Electron here.
 *
 * main/menu/app-menu.ts turns it into an Electron Menu; tests check it without Electron.
 * Standard items (About, Hide, Quit, Cut/Copy/Paste, Window) use Electron roles so they behave
 * exactly like every other Mac app; app commands carry a `command` id and an accelerator
 * derived from the keymap. See [Note: One keymap].
 */
export type MenuRole =
  | 'about'
  | 'services'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'quit'
  | 'close'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'pasteAndMatchStyle'
  | 'togglefullscreen'
  | 'toggleDevTools'
  | 'reload'
  | 'windowMenu'
  | 'help';

/**
 * Menu items that act in the shell itself rather than in the page: they have no key, so they
 * are not keymap commands.
 * - `revealLogs`: show the log file in Finder (Help → Reveal Logs);
 * - `exportDiagnostics`: save the diagnostics report (Help → Export Diagnostics…).
 */
export type ShellAction = 'revealLogs' | 'exportDiagnostics';

export type AppMenuItem =
  | { readonly kind: 'separator' }
  | { readonly kind: 'shell'; readonly action: ShellAction; readonly label: string }
  | { readonly kind: 'role'; readonly role: MenuRole; readonly label?: string }
  | {
      readonly kind: 'command';
      readonly command: CommandId;
      readonly label: string;
      readonly accelerator: string;
      /**
       * False for single-key shortcuts: shown in the menu, handled by the renderer, so typing
       * "a" in the search box never adds a photo to an album.
       */
      readonly registerAccelerator: boolean;
      /** Electron's own behaviour for this item (the keymap's `nativeRole`): the click is Electron's, not the page's. */
      readonly role?: MenuRole;
    }
  | { readonly kind: 'submenu'; readonly label: string; readonly role?: MenuRole; readonly submenu: readonly AppMenuItem[] };

export interface AppMenuOptions {
  readonly appName: string;
  /** Development builds add Reload and the developer tools to the View menu. */
  readonly dev: boolean;
}

function commandItem(id: CommandId): AppMenuItem {
  const spec = KEYMAP[id];
  return {
    kind: 'command',
    command: id,
    label: spec.label,
    accelerator: toAccelerator(primaryBinding(id)),
    registerAccelerator: spec.handledBy === 'menu',
    ...('nativeRole' in spec ? { role: spec.nativeRole } : {}),
  };
}

/** The keymap's commands for one menu, in table order. */
function commandsFor(placement: MenuPlacement): AppMenuItem[] {
  return COMMAND_IDS.filter((id) => KEYMAP[id].menu === placement).map(commandItem);
}

const separator: AppMenuItem = { kind: 'separator' };
const role = (name: MenuRole, label?: string): AppMenuItem =>
  label === undefined ? { kind: 'role', role: name } : { kind: 'role', role: name, label };

/** The whole menu bar: app menu, File, Edit, View, Go, Image, Window, Help. */
export function buildAppMenuTemplate(options: AppMenuOptions): readonly AppMenuItem[] {
  const view = commandsFor('view');
  // Zoom first, then sections: two groups, like Photos.app.
  const zoom = view.filter((item) => item.kind === 'command' && item.command.startsWith('view.zoom'));
  // Slideshow and full screen last, as in Photos.
  const presenting = view.filter(
    (item) => item.kind === 'command' && (item.command === 'view.slideshow' || item.command === 'view.fullScreen'),
  );
  const sections = view.filter((item) => !zoom.includes(item) && !presenting.includes(item));
  return [
    {
      kind: 'submenu',
      label: options.appName,
      submenu: [
        role('about', `About ${options.appName}`),
        separator,
        ...commandsFor('app'),
        separator,
        role('services'),
        separator,
        role('hide', `Hide ${options.appName}`),
        role('hideOthers'),
        role('unhide'),
        separator,
        role('quit', `Quit ${options.appName}`),
      ],
    },
    { kind: 'submenu', label: 'File', submenu: [...commandsFor('file'), separator, role('close')] },
    {
      kind: 'submenu',
      label: 'Edit',
      submenu: [
        // Undo/Redo/Select All are commands, not roles: the renderer applies them to the text
        // field when one is focused and to the library otherwise (curation undo).
        ...commandsFor('edit').filter((item) => item.kind === 'command' && item.command !== 'edit.selectAll'),
        separator,
        role('cut'),
        role('copy'),
        role('paste'),
        role('pasteAndMatchStyle'),
        commandItem('edit.selectAll'),
      ],
    },
    {
      kind: 'submenu',
      label: 'View',
      submenu: [
        ...zoom,
        separator,
        ...sections,
        separator,
        ...presenting,
        ...(options.dev ? [separator, role('reload'), role('toggleDevTools')] : []),
      ],
    },
    { kind: 'submenu', label: 'Go', submenu: commandsFor('go') },
    { kind: 'submenu', label: 'Image', submenu: commandsFor('image') },
    { kind: 'submenu', label: 'Window', role: 'windowMenu', submenu: [] },
    {
      kind: 'submenu',
      label: 'Help',
      role: 'help',
      submenu: [
        ...commandsFor('help'),
        separator,
        { kind: 'shell', action: 'revealLogs', label: 'Reveal Logs' },
        { kind: 'shell', action: 'exportDiagnostics', label: 'Export Diagnostics…' },
      ],
    },
  ];
}
