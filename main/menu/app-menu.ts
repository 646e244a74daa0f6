import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { CommandId } from '../../shared/keymap';
import { buildAppMenuTemplate, type AppMenuItem, type AppMenuOptions } from './app-menu-template';

/** Turn the pure template into Electron's menu options; command items call `onCommand`. */
export function toElectronMenuTemplate(
  items: readonly AppMenuItem[],
  onCommand: (command: CommandId) => void,
): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'role':
        return item.label === undefined ? { role: item.role } : { role: item.role, label: item.label };
      case 'command':
        return {
          label: item.label,
          accelerator: item.accelerator,
          registerAccelerator: item.registerAccelerator,
          click: () => onCommand(item.command),
        };
      case 'submenu':
        return {
          label: item.label,
          ...(item.role ? { role: item.role } : {}),
          submenu: toElectronMenuTemplate(item.submenu, onCommand),
        };
    }
  });
}

/**
 * Install the macOS menu bar built from the keymap.
 *
 * `onCommand` receives every app command (main/index.ts shows the window when needed and
 * forwards the command to the renderer as a `menu.command` event).
 */
export function installAppMenu(options: AppMenuOptions & { onCommand: (command: CommandId) => void }): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(toElectronMenuTemplate(buildAppMenuTemplate(options), options.onCommand)));
}
