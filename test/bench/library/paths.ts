import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root, from this file's place in test/bench/library/ (the bench may run from any cwd). */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
