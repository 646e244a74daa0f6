import { join } from 'node:path';
import { profileDir } from '../profile/profile';

/** Where one Electron profile keeps its things. */
export interface ElectronPaths {
  /** Root of all profiles (`~/Library/Application Support/Photoflare`, or PHOTOFLARE_DATA_DIR). */
  readonly dataRoot: string;
  /** The profile's own folder: settings, database, thumbnails, window state (shared with the web shell). */
  readonly profileDir: string;
  /** Electron/Chromium's userData for this profile: its caches, the single-instance lock, secrets. */
  readonly userData: string;
}

/**
 * Paths for a profile, computed before the app is ready (userData must be set before the
 * single-instance lock is requested, because the lock lives in userData).
 *
 * [Note: One instance per profile]
 * Each profile gets its own userData, hence its own single-instance lock: a second launch of
 * the SAME profile focuses the running window, while `--profile second` runs side by side
 * (that is how two "devices" are tried on one Mac). The profile folder is the same one the web
 * shell uses (main/profile/profile.ts), so both shells see the same settings and library.
 */
export function electronPaths(options: { appData: string; profile: string; env?: NodeJS.ProcessEnv }): ElectronPaths {
  const override = options.env?.['PHOTOFLARE_DATA_DIR'];
  const dataRoot = override !== undefined && override !== '' ? override : join(options.appData, 'Photoflare');
  const dir = profileDir(dataRoot, options.profile);
  return { dataRoot, profileDir: dir, userData: join(dir, 'electron') };
}
