import { readFileSync } from 'node:fs';

/** The app version from package.json (read once; both shells report the same). */
export function readAppVersion(packageJsonPath: string): string {
  try {
    const parsed: unknown = JSON.parse(readFileSync(packageJsonPath, 'utf8'));
    if (parsed && typeof parsed === 'object' && 'version' in parsed && typeof parsed.version === 'string') {
      return parsed.version;
    }
  } catch {
    // Fall through: a missing version is not worth refusing to start over.
  }
  return '0.0.0';
}
