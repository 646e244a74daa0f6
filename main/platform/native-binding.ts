import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * [Note: Two builds of better-sqlite3]
 *
 * A native module is compiled for one ABI: Node's (vitest, the web shell) or Electron's (the
 * app). Rebuilding node_modules for Electron (`electron-builder install-app-deps`) would break
 * the tests, and the reverse would break `npm start`. So:
 * - node_modules/better-sqlite3 stays the Node build (what `npm install` gives);
 * - .build/electron-native.mjs (run by `npm start` when Electron is installed) builds a copy for
 *   Electron's ABI with @electron/rebuild into .cache/electron-native/, and writes a manifest
 *   naming the Electron version it was built for;
 * - the Electron entry passes that file to better-sqlite3's `nativeBinding` option in
 *   development; a packaged app needs nothing, because electron-builder rebuilds the native
 *   modules it packs for Electron (and unpacks them from the asar).
 */
export const ELECTRON_NATIVE_DIR = join('.cache', 'electron-native');
export const ELECTRON_NATIVE_MANIFEST = 'manifest.json';

export const ElectronNativeManifest = z.object({
  electronVersion: z.string(),
  arch: z.string(),
  /** Path of better_sqlite3.node, relative to the manifest's folder. */
  betterSqlite3: z.string(),
});
export type ElectronNativeManifest = z.infer<typeof ElectronNativeManifest>;

/**
 * The Electron-ABI better-sqlite3 binding for development, or undefined to use the default
 * (a packaged app, or no matching build: better-sqlite3 then explains the ABI mismatch and the
 * README's troubleshooting section says what to run).
 */
export function devNativeBinding(options: {
  appRoot: string;
  isPackaged: boolean;
  electronVersion: string;
  arch: string;
}): string | undefined {
  if (options.isPackaged) return undefined;
  const dir = join(options.appRoot, ELECTRON_NATIVE_DIR);
  let manifest: ElectronNativeManifest;
  try {
    manifest = ElectronNativeManifest.parse(JSON.parse(readFileSync(join(dir, ELECTRON_NATIVE_MANIFEST), 'utf8')));
  } catch {
    return undefined;
  }
  if (manifest.electronVersion !== options.electronVersion || manifest.arch !== options.arch) return undefined;
  const binding = join(dir, manifest.betterSqlite3);
  return existsSync(binding) ? binding : undefined;
}
