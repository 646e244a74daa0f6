import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, from this file's place in test/bench/library/ (the bench may run from any cwd). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** dist/renderer, built first if missing (the web shell serves the built renderer). */
export function ensureRendererBuilt(): string {
  const dir = join(REPO_ROOT, 'dist', 'renderer');
  if (!existsSync(join(dir, 'index.html'))) {
    process.stderr.write('bench: building the renderer (dist/renderer is missing)…\n');
    execFileSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts'], { cwd: REPO_ROOT, stdio: 'inherit' });
  }
  return dir;
}
