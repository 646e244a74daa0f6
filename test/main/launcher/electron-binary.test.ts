import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseShell, findElectronBinary } from '../../../main/launcher/electron-binary';

/** A fake project with an `electron` package, with or without its downloaded binary. */
function fakeProject(withBinary: boolean): string {
  const root = mkdtempSync(join(tmpdir(), 'photoflare-launch-'));
  const pkg = join(root, 'node_modules', 'electron');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'electron', version: '45.0.0' }));
  // If anything required the package, this would throw: proof that probing never loads it.
  writeFileSync(join(pkg, 'index.js'), 'throw new Error("probing must not require electron")');
  if (withBinary) {
    writeFileSync(join(pkg, 'path.txt'), 'electron');
    mkdirSync(join(pkg, 'dist'));
    writeFileSync(join(pkg, 'dist', 'electron'), '');
  }
  return root;
}

describe('finding the Electron binary without downloading it', () => {
  it('finds nothing when the package has no downloaded binary', () => {
    expect(findElectronBinary(fakeProject(false))).toBeUndefined();
  });

  it('finds the binary named by path.txt', () => {
    expect(findElectronBinary(fakeProject(true))).toMatch(/node_modules\/electron\/dist\/electron$/);
  });

  it('finds nothing where electron is not installed at all', () => {
    expect(findElectronBinary(mkdtempSync(join(tmpdir(), 'photoflare-empty-')))).toBeUndefined();
  });

  it('finds nothing on this repository (our machines never have the binary)', () => {
    // Here, as in CI, `npm start` must choose the web shell.
    expect(findElectronBinary(process.cwd())).toBeUndefined();
  });
});

describe('choosing the shell for npm start', () => {
  it('uses the web shell without a binary', () => {
    expect(chooseShell({ binary: undefined, platform: 'darwin', env: {} }).shell).toBe('web');
  });

  it('uses Electron on a Mac that has it', () => {
    expect(chooseShell({ binary: '/x/Electron', platform: 'darwin', env: {} }).shell).toBe('electron');
  });

  it('uses the web shell on Linux without a display, or when asked to', () => {
    expect(chooseShell({ binary: '/x/electron', platform: 'linux', env: {} }).shell).toBe('web');
    expect(chooseShell({ binary: '/x/Electron', platform: 'darwin', env: { PHOTOFLARE_SHELL: 'web' } }).shell).toBe('web');
  });
});
