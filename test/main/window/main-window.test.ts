import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());

import { createMemoryLogger } from '../../../main/log/logger';
import { MainWindow } from '../../../main/window/main-window';
import { loadWindowState, saveWindowState } from '../../../main/window/window-state';
import { FakeBrowserWindow } from './fake-electron';

const dir = mkdtempSync(join(tmpdir(), 'main-window-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let statePath: string;
let n = 0;
const make = () => new MainWindow({ preloadPath: '/app/preload.cjs', statePath, openExternal: () => undefined, log: createMemoryLogger() });
const last = () => {
  const window = FakeBrowserWindow.instances.at(-1);
  if (!window) throw new Error('no window');
  return window;
};

beforeEach(() => {
  statePath = join(dir, `state-${n++}.json`);
});

describe('MainWindow (Electron mocked)', () => {
  it('loads the app from app://photoflare with the secure preferences and the preload', () => {
    make();
    expect(last().loadedUrl).toBe('app://photoflare/index.html');
    expect(last().options.webPreferences).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    // Guards are installed on the window's contents.
    expect(last().webContents.navigate('will-navigate', 'https://evil.example/')).toBe(false);
    expect(last().webContents.open('https://evil.example/')).toEqual({ action: 'deny' });
  });

  it('shows once ready, hides instead of closing, and remembers where it was', () => {
    const window = make();
    const fake = last();
    fake.emit('ready-to-show');
    expect(fake.visible).toBe(true);
    fake.bounds = { x: 40, y: 60, width: 1000, height: 700 };
    fake.close();
    expect(fake.destroyed).toBe(false);
    expect(fake.visible).toBe(false);
    expect(loadWindowState(statePath)).toEqual({ x: 40, y: 60, width: 1000, height: 700, maximized: false });
    window.show();
    expect(fake.visible).toBe(true);
  });

  it('closes for real once the app is quitting', () => {
    const window = make();
    window.allowClose();
    last().close();
    expect(last().destroyed).toBe(true);
    expect(window.mainFrame).toBeNull();
  });

  it('opens where it was last time, fitted to the displays', () => {
    saveWindowState(statePath, { x: 100, y: 120, width: 900, height: 650, maximized: true });
    make();
    expect(last().options).toMatchObject({ x: 100, y: 120, width: 900, height: 650 });
    expect(last().maximized).toBe(true);
  });
});
