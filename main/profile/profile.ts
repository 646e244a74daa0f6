import { homedir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';

/**
 * A profile is one "device": its own settings, database, thumbnail cache and secrets.
 *
 * `--profile NAME` lets two instances run side by side on one machine, which is how we try
 * multi-device sync without a second Mac.
 */
export const DEFAULT_PROFILE = 'default';

const PROFILE_NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/** Validate a profile name: it becomes a folder name, so keep it boring. */
export function parseProfileName(name: string): string {
  if (!PROFILE_NAME.test(name)) {
    throw new AppError(
      'validation',
      `"${name}" is not a valid profile name. Use 1–40 lowercase letters, digits, "-" or "_", starting with a letter or digit.`,
    );
  }
  return name;
}

/** Read `--profile NAME` / `--profile=NAME` from argv; default otherwise. */
export function profileFromArgv(argv: readonly string[]): string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--profile') {
      const next = argv[i + 1];
      if (next === undefined) throw new AppError('validation', '--profile needs a name, for example --profile second.');
      return parseProfileName(next);
    }
    if (arg?.startsWith('--profile=')) return parseProfileName(arg.slice('--profile='.length));
  }
  return DEFAULT_PROFILE;
}

/**
 * Where a profile's data lives when no Electron `userData` path is available (the web shell).
 *
 * `PHOTOFLARE_DATA_DIR` overrides the root (tests point it at a temp folder). On a Mac this
 * mirrors Electron's `~/Library/Application Support/Photoflare`.
 */
export function defaultDataRoot(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env['PHOTOFLARE_DATA_DIR']) return env['PHOTOFLARE_DATA_DIR'];
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Photoflare');
  const xdg = env['XDG_DATA_HOME'] ?? join(homedir(), '.local', 'share');
  return join(xdg, 'photoflare');
}

/** The folder of one profile under a data root. */
export function profileDir(dataRoot: string, profile: string): string {
  return join(dataRoot, 'profiles', parseProfileName(profile));
}
