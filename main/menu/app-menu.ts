import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { CommandId } from '../../shared/keymap';
import { buildAppMenuTemplate, type AppMenuItem, type AppMenuOptions, type ShellAction } from './app-menu-template';

/**
 * Turn the pure template into Electron's menu options; command items call `onCommand`, shell
 * items (Reveal Logs, Export Diagnostics…) call `onShellAction`.
 */
export function toElectronMenuTemplate(
  items: readonly AppMenuItem[],
  onCommand: (command: CommandId) => void,
  onShellAction: (action: ShellAction) => void = () => undefined,
): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    switch (item.kind) {
      case 'separator':
        return { type: 'separator' };
      case 'role':
        return item.label === undefined ? { role: item.role } : { role: item.role, label: item.label };
      case 'command':
        // A native role (full screen) is Electron's to perform: same as the window's green button.
        if (item.role) return { role: item.role, label: item.label, accelerator: item.accelerator };
        return {
          label: item.label,
          accelerator: item.accelerator,
          registerAccelerator: item.registerAccelerator,
          click: () => onCommand(item.command),
        };
      case 'shell':
        return { label: item.label, click: () => onShellAction(item.action) };
      case 'submenu':
        return {
          label: item.label,
          ...(item.role ? { role: item.role } : {}),
          submenu: toElectronMenuTemplate(item.submenu, onCommand, onShellAction),
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
export function installAppMenu(
  options: AppMenuOptions & { onCommand: (command: CommandId) => void; onShellAction: (action: ShellAction) => void },
): void {
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(toElectronMenuTemplate(buildAppMenuTemplate(options), options.onCommand, options.onShellAction)),
  );
}
