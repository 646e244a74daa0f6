import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../main/launcher/electron-binary';

const ROOT = join(__dirname, '..', '..');

describe('.build/electron-native.mjs', () => {
  it('does nothing (and succeeds) where Electron is not installed, so `npm start` can always call it', () => {
    // On a Mac with Electron installed this would really build; here the binary is absent.
    if (findElectronBinary(ROOT) !== undefined) return;
    const result = spawnSync(process.execPath, [join(ROOT, '.build', 'electron-native.mjs'), '--if-electron-installed'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain('Electron is not installed here');
    // The Node build in node_modules is never touched.
    expect(existsSync(join(ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(true);
  });
});
