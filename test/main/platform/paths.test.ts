import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { devNativeBinding, ELECTRON_NATIVE_DIR } from '../../../main/platform/native-binding';
import { electronPaths } from '../../../main/platform/paths';

describe('electronPaths', () => {
  it('gives each profile its own userData (hence its own single-instance lock) inside its profile folder', () => {
    const a = electronPaths({ appData: '/Users/me/Library/Application Support', profile: 'default', env: {} });
    const b = electronPaths({ appData: '/Users/me/Library/Application Support', profile: 'second', env: {} });
    expect(a).toEqual({
      dataRoot: '/Users/me/Library/Application Support/Photoflare',
      profileDir: '/Users/me/Library/Application Support/Photoflare/profiles/default',
      userData: '/Users/me/Library/Application Support/Photoflare/profiles/default/electron',
    });
    expect(b.userData).not.toBe(a.userData);
  });

  it('honours PHOTOFLARE_DATA_DIR like the web shell does', () => {
    expect(electronPaths({ appData: '/x', profile: 'default', env: { PHOTOFLARE_DATA_DIR: '/tmp/pf' } }).profileDir).toBe(
      '/tmp/pf/profiles/default',
    );
  });

  it('rejects a profile name that would escape its folder', () => {
    expect(() => electronPaths({ appData: '/x', profile: '../../etc', env: {} })).toThrow(/profile name/);
  });
});

describe('devNativeBinding', () => {
  const root = mkdtempSync(join(tmpdir(), 'native-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const dir = join(root, ELECTRON_NATIVE_DIR);
  mkdirSync(join(dir, 'build'), { recursive: true });
  writeFileSync(join(dir, 'build', 'better_sqlite3.node'), '');
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({ electronVersion: '45.5.0', arch: 'arm64', betterSqlite3: 'build/better_sqlite3.node' }),
  );
  const ask = (over: Partial<Parameters<typeof devNativeBinding>[0]> = {}) =>
    devNativeBinding({ appRoot: root, isPackaged: false, electronVersion: '45.5.0', arch: 'arm64', ...over });

  it('uses the Electron-ABI build in development when it matches Electron and the CPU', () => {
    expect(ask()).toBe(join(dir, 'build', 'better_sqlite3.node'));
  });

  it('uses the default in a packaged app, or when the build is for another Electron or CPU', () => {
    expect(ask({ isPackaged: true })).toBeUndefined();
    expect(ask({ electronVersion: '46.0.0' })).toBeUndefined();
    expect(ask({ arch: 'x64' })).toBeUndefined();
    expect(ask({ appRoot: join(root, 'nowhere') })).toBeUndefined();
  });
});
