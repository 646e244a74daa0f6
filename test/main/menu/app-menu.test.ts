import { describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  installed: [] as unknown[],
  Menu: {
    buildFromTemplate: (template: unknown) => ({ template }),
    setApplicationMenu(menu: unknown) {
      electron.installed.push(menu);
    },
  },
}));
vi.mock('electron', () => electron);

import { COMMAND_IDS, KEYMAP, primaryBinding, toAccelerator, type CommandId } from '../../../shared/keymap';
import { buildAppMenuTemplate, type AppMenuItem } from '../../../main/menu/app-menu-template';
import { installAppMenu, toElectronMenuTemplate } from '../../../main/menu/app-menu';

const template = buildAppMenuTemplate({ appName: 'Photoflare', dev: false });

function flatten(items: readonly AppMenuItem[]): AppMenuItem[] {
  return items.flatMap((item) => (item.kind === 'submenu' ? [item, ...flatten(item.submenu)] : [item]));
}
function menu(label: string): readonly AppMenuItem[] {
  const found = template.find((item) => item.kind === 'submenu' && item.label === label);
  if (!found || found.kind !== 'submenu') throw new Error(`no ${label} menu`);
  return found.submenu;
}
const names = (items: readonly AppMenuItem[]) =>
  items.map((item) =>
    item.kind === 'separator' ? '---' : item.kind === 'role' ? `role:${item.role}` : item.kind === 'command' ? item.command : item.label,
  );

describe('app menu template (pure)', () => {
  it('has the Mac menus in order', () => {
    expect(template.map((item) => (item.kind === 'submenu' ? item.label : item.kind))).toEqual([
      'Photoflare',
      'File',
      'Edit',
      'View',
      'Go',
      'Image',
      'Window',
      'Help',
    ]);
  });

  it('puts About, Settings…, Hide and Quit in the app menu', () => {
    expect(names(menu('Photoflare'))).toEqual([
      'role:about',
      '---',
      'app.settings',
      '---',
      'role:services',
      '---',
      'role:hide',
      'role:hideOthers',
      'role:unhide',
      '---',
      'role:quit',
    ]);
  });

  it('lists every keymap command exactly once, with the accelerator derived from the keymap', () => {
    const commands = flatten(template).filter((item) => item.kind === 'command');
    expect(commands.map((item) => item.command).sort()).toEqual([...COMMAND_IDS].sort());
    for (const item of commands) {
      expect(item.accelerator, item.command).toBe(toAccelerator(primaryBinding(item.command)));
      expect(item.label).toBe(KEYMAP[item.command].label);
    }
  });

  it('registers only modifier shortcuts; single keys are display-only so typing stays typing', () => {
    const commands = flatten(template).filter((item) => item.kind === 'command');
    const registered = (id: CommandId) => commands.find((item) => item.command === id)?.registerAccelerator;
    expect(registered('album.new')).toBe(true);
    expect(registered('edit.undo')).toBe(true);
    expect(registered('photo.favourite')).toBe(false);
    expect(registered('photo.addToAlbum')).toBe(false);
    expect(registered('help.shortcuts')).toBe(false);
    for (const item of commands) {
      if (item.registerAccelerator) expect(item.accelerator, item.command).toMatch(/CmdOrCtrl\+/);
    }
  });

  it('routes undo/redo as commands (curation undo) but keeps clipboard roles', () => {
    expect(names(menu('Edit'))).toEqual([
      'edit.undo',
      'edit.redo',
      '---',
      'role:cut',
      'role:copy',
      'role:paste',
      'role:pasteAndMatchStyle',
      'edit.selectAll',
    ]);
  });

  it('groups thumbnail zoom and sections in View, and adds dev tools only in development', () => {
    expect(names(menu('View'))).toEqual([
      'view.zoomIn',
      'view.zoomOut',
      '---',
      'view.photos',
      'view.albums',
      'view.activity',
      '---',
      'view.slideshow',
      'view.fullScreen',
    ]);
    const dev = buildAppMenuTemplate({ appName: 'Photoflare', dev: true });
    expect(names(flatten(dev))).toContain('role:toggleDevTools');
    expect(names(flatten(template))).not.toContain('role:toggleDevTools');
  });

  it("enters full screen through Electron's native role (as the green button does), with ⌃⌘F from the keymap", () => {
    const fullScreen = flatten(template).find((item) => item.kind === 'command' && item.command === 'view.fullScreen');
    expect(fullScreen).toMatchObject({ role: 'togglefullscreen', accelerator: 'Ctrl+CmdOrCtrl+F' });
    const seen: CommandId[] = [];
    const view = toElectronMenuTemplate(template, (command) => seen.push(command)).find((item) => item.label === 'View');
    const items = Array.isArray(view?.submenu) ? view.submenu : [];
    expect(items.find((item) => item.label === 'Enter Full Screen')).toEqual({
      role: 'togglefullscreen',
      label: 'Enter Full Screen',
      accelerator: 'Ctrl+CmdOrCtrl+F',
    });
  });

  it('offers Keyboard Shortcuts, Reveal Logs and Export Diagnostics… in Help', () => {
    expect(names(menu('Help'))).toEqual(['help.shortcuts', '---', 'Reveal Logs', 'Export Diagnostics…']);
  });
});

describe('app menu (Electron mocked)', () => {
  it('turns command items into clicks that report the command', () => {
    const seen: CommandId[] = [];
    const options = toElectronMenuTemplate(template, (command) => seen.push(command));
    const file = options.find((item) => item.label === 'File');
    const submenu = file?.submenu;
    if (!Array.isArray(submenu)) throw new Error('File has no submenu');
    const newAlbum = submenu.find((item) => item.label === 'New Album');
    expect(newAlbum).toMatchObject({ accelerator: 'CmdOrCtrl+Shift+N', registerAccelerator: true });
    newAlbum?.click?.({} as never, undefined, {});
    expect(seen).toEqual(['album.new']);
    expect(options.find((item) => item.label === 'Window')?.role).toBe('windowMenu');
  });

  it('Help → Reveal Logs and Export Diagnostics… reach the shell', () => {
    const seen: string[] = [];
    const options = toElectronMenuTemplate(
      template,
      () => undefined,
      (action) => seen.push(action),
    );
    const help = options.find((item) => item.label === 'Help')?.submenu;
    if (!Array.isArray(help)) throw new Error('Help has no submenu');
    for (const label of ['Reveal Logs', 'Export Diagnostics…'])
      help.find((item) => item.label === label)?.click?.({} as never, undefined, {});
    expect(seen).toEqual(['revealLogs', 'exportDiagnostics']);
  });

  it('installs the menu as the application menu', () => {
    installAppMenu({ appName: 'Photoflare', dev: false, onCommand: () => undefined, onShellAction: () => undefined });
    expect(electron.installed).toHaveLength(1);
  });
});
