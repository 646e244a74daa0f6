import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/**
 * Find Electron's binary without ever triggering its download.
 *
 * [Note: Never require('electron') to probe]
 * The `electron` npm package downloads its binary lazily the first time it is required or its
 * CLI runs; on our machines (no internet) that download fails slowly. So we read the package's
 * own `path.txt` (written only after a successful download) and check the file exists.
 */
export function findElectronBinary(fromDir: string): string | undefined {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(join(fromDir, 'noop.js')).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const relative = readFileSync(pathFile, 'utf8').trim();
  if (relative === '') return undefined;
  const binary = join(packageDir, 'dist', relative);
  return existsSync(binary) ? binary : undefined;
}

/** Which shell `npm start` should run, and why (printed so nobody wonders). */
export function chooseShell(options: { binary: string | undefined; platform: NodeJS.Platform; env: NodeJS.ProcessEnv }): {
  shell: 'electron' | 'web';
  reason: string;
} {
  if (options.env['PHOTOFLARE_SHELL'] === 'web') return { shell: 'web', reason: 'PHOTOFLARE_SHELL=web' };
  if (!options.binary) return { shell: 'web', reason: "Electron's binary is not installed here" };
  if (options.platform === 'linux' && !options.env['DISPLAY'] && !options.env['WAYLAND_DISPLAY']) {
    return { shell: 'web', reason: 'no display to open a window on' };
  }
  return { shell: 'electron', reason: 'Electron is installed' };
}
