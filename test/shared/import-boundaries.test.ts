import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The folder decides the environment, and lint proves it: these cases lint a one-line file as
 * if it lived at the given path, with the project's real eslint.config.js.
 */
const eslint = new ESLint({ cwd: process.cwd() });

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
