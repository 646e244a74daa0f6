import { describe, expect, it, vi } from 'vitest';

/** A fake Electron Menu: records the template and lets the test click an item or close the menu. */
const electron = vi.hoisted(() => ({
  last: null as null | { template: { label?: string; click?: () => void; type?: string }[]; close: () => void },
  Menu: {
    buildFromTemplate(template: { label?: string; click?: () => void; type?: string }[]) {
      return {
        popup(options: { callback?: () => void }) {
          electron.last = { template, close: () => options.callback?.() };
        },
      };
    },
  },
}));
vi.mock('electron', () => electron);

import type { BrowserWindow } from 'electron';
import { popUpContextMenu, toContextMenuTemplate } from '../../../main/menu/context-menu';

const window = { isDestroyed: () => false } as unknown as BrowserWindow;
const items = [
  { id: 'photo.favourite', label: 'Favourite', enabled: true, accelerator: '.' },
  { separator: true as const },
  { id: 'photo.archive', label: 'Archive', enabled: false },
];

describe('native context menu (Menu.popup shell)', () => {
  it('draws the resolved items; keys are shown, never registered (the keymap owns them)', () => {
    const template = toContextMenuTemplate(items, () => undefined);
    expect(template).toMatchObject([
      { label: 'Favourite', enabled: true, accelerator: '.', registerAccelerator: false },
      { type: 'separator' },
      { label: 'Archive', enabled: false },
    ]);
    expect(template[2]).not.toHaveProperty('accelerator');
  });

  it('answers the chosen id, even when macOS reports the close before the click', async () => {
    const chosen = popUpContextMenu(window, items);
    electron.last?.close();
    electron.last?.template[0]?.click?.();
    await expect(chosen).resolves.toBe('photo.favourite');
  });

  it('answers null when the menu closes without a choice, or there is no window', async () => {
    const dismissed = popUpContextMenu(window, items);
    electron.last?.close();
    await expect(dismissed).resolves.toBeNull();
    await expect(popUpContextMenu(undefined, items)).resolves.toBeNull();
  });
});
