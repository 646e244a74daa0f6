import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';

/**
 * The folder decides the environment, and lint proves it: these cases lint a one-line file as
 * if it lived at the given path, with the project's real eslint.config.js. These rules are
 * syntactic; the type-aware ones are switched off here because a file that exists only in this
 * test belongs to no tsconfig (its type information cannot be built).
 */
const eslint = new ESLint({ cwd: process.cwd(), overrideConfig: [{ files: ['**/*.ts'], ...tseslint.configs.disableTypeChecked }] });

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import boundaries', () => {
  it.each([
    ['renderer/views/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;"],
    ['renderer/views/x.ts', "import fs from 'fs';\nexport const x = fs;"],
    ['renderer/lib/x.ts', "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;"],
    ['renderer/lib/x.ts', "import { compose } from '../../main/compose';\nexport const x = compose;"],
    ['shared/x.ts', "import { join } from 'node:path';\nexport const x = join;"],
    ['shared/x.ts', "import { app } from 'electron';\nexport const x = app;"],
    ['main/library/x.ts', "import { app } from 'electron';\nexport const x = app;"],
    ['main/sync/x.ts', "import { safeStorage } from 'electron';\nexport const x = safeStorage;"],
    ['preload/x.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;"],
    ['test/emulators/cloudkit/x.ts', "import { compose } from '../../../main/compose';\nexport const x = compose;"],
  ])('refuses %s importing across its boundary', async (filePath, code) => {
    expect(await boundaryErrors(filePath, code)).not.toEqual([]);
  });

  it.each([
    ['main/window/x.ts', "import { BrowserWindow } from 'electron';\nexport const x = BrowserWindow;"],
    ['main/index.ts', "import { app } from 'electron';\nexport const x = app;"],
    ['main/library/x.ts', "import { join } from 'node:path';\nexport const x = join;"],
    ['preload/x.ts', "import { contextBridge } from 'electron';\nexport const x = contextBridge;"],
    ['renderer/lib/x.ts', "import { z } from 'zod';\nexport const x = z;"],
  ])('allows %s its own environment', async (filePath, code) => {
    expect(await boundaryErrors(filePath, code)).toEqual([]);
  });
});

/** The IPC wrappers (main/ipc/electron-*.ts) are the only place raw IPC may happen. */
describe('raw IPC bans', () => {
  async function ipcErrors(filePath: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
  }

  it.each([
    ['main/index.ts', "import { ipcMain } from 'electron';\nipcMain.handle('x', () => 1);"],
    ['main/window/x.ts', "import { ipcMain } from 'electron';\nipcMain.on('x', () => undefined);"],
    ['main/window/x.ts', "import * as electron from 'electron';\nelectron.ipcMain.handle('x', () => 1);"],
    [
      'main/window/x.ts',
      "import type { BrowserWindow } from 'electron';\nexport const f = (w: BrowserWindow) => w.webContents.send('x', 1);",
    ],
    ['main/tray/x.ts', "import type { WebContents } from 'electron';\nexport const f = (contents: WebContents) => contents.send('x', 1);"],
    [
      'main/menu/x.ts',
      "import type { BrowserWindow } from 'electron';\nexport const f = (w: BrowserWindow) => w.webContents.postMessage('x', 1);",
    ],
  ])('refuses raw IPC in %s', async (filePath, code) => {
    expect(await ipcErrors(filePath, code)).toContain(
      'Use the IPC wrappers (main/ipc/electron-ipc.ts): they check the sender and validate payloads.',
    );
  });

  it.each([
    ['main/ipc/electron-ipc.ts', "import { ipcMain } from 'electron';\nipcMain.handle('x', () => 1);"],
    [
      'main/ipc/electron-events.ts',
      "import type { BrowserWindow } from 'electron';\nexport const f = (w: BrowserWindow) => w.webContents.send('x', 1);",
    ],
    ['main/photoprism/x.ts', "export const f = (socket: { send(text: string): void }) => socket.send('x');"],
  ])('allows %s', async (filePath, code) => {
    expect(await ipcErrors(filePath, code)).toEqual([]);
  });
});
