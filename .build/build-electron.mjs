// Bundles the Electron entry (main/index.ts) and the sandboxed preload into dist/ with esbuild.
// The preload must be ONE CommonJS file: a sandboxed preload cannot require its siblings.
// Native and Electron modules stay external; electron-builder packs and unpacks them.
// The menu-bar icons are copied beside the main bundle (dist/main/icons/): electron-builder
// packs dist/** only, and main/index.ts loads them from there.
//
// Release or development (see [Note: Release and development builds] in main/build-config/app-config.ts):
// `--mode production` (the default) bakes in main/build-config/release-config.ts and makes the app
// ignore every PHOTOFLARE_* environment variable; `--mode development` (`npm start`, the demo)
// lets the environment point the app at emulators. The release configuration is validated (zod)
// on every build; `--require-release-token` (`npm run dist:mac`) also refuses the placeholder token.
//
//   node .build/build-electron.mjs [--outdir <dir>] [--mode production|development] [--require-release-token]
//   (default: dist, production; tests build into a temp dir)
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const valueOf = (name, fallback) => {
  const index = process.argv.indexOf(name);
  return index === -1 ? fallback : (process.argv[index + 1] ?? fallback);
};
const outdir = resolve(valueOf('--outdir', join(ROOT, 'dist')));
const mode = valueOf('--mode', 'production');
if (mode !== 'production' && mode !== 'development') {
  console.error(`--mode must be "production" or "development", not "${mode}"`);
  process.exit(2);
}
const requireReleaseToken = process.argv.includes('--require-release-token');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  absWorkingDir: ROOT,
  external: ['electron', 'better-sqlite3'],
};

/** Load release-config.ts the way the bundle will: its zod parse runs on load and throws if invalid. */
async function checkReleaseConfig() {
  const dir = mkdtempSync(join(tmpdir(), 'photoflare-release-config-'));
  try {
    const file = join(dir, 'release-config.cjs');
    await build({ ...common, sourcemap: false, entryPoints: ['main/build-config/release-config.ts'], outfile: file });
    const { RELEASE_CONFIG, hasPlaceholderToken } = createRequire(import.meta.url)(file);
    return { config: RELEASE_CONFIG, placeholder: hasPlaceholderToken(RELEASE_CONFIG) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

let release;
try {
  release = await checkReleaseConfig();
} catch (error) {
  console.error(`main/build-config/release-config.ts is not valid:\n${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
if (mode === 'production' && release.placeholder) {
  const message =
    'main/build-config/release-config.ts still carries the placeholder CloudKit API token: iCloud sign-in will not work ' +
    'in this build. Put the production API token there (README, "Packaging").';
  if (requireReleaseToken) {
    console.error(message);
    process.exit(1);
  }
  console.warn(`Warning: ${message}`);
}

const define = { __PHOTOFLARE_BUILD_MODE__: JSON.stringify(mode) };
await build({ ...common, define, entryPoints: ['main/index.ts'], outfile: join(outdir, 'main', 'index.cjs') });
await build({ ...common, define, entryPoints: ['preload/index.ts'], outfile: join(outdir, 'preload', 'index.cjs') });
cpSync(join(ROOT, 'main', 'tray', 'icons'), join(outdir, 'main', 'icons'), { recursive: true });
console.log(
  `Built ${outdir}/main/index.cjs and ${outdir}/preload/index.cjs (+ main/icons), ${mode} ` +
    `(${mode === 'production' ? `iCloud container ${release.config.cloudkit.containerId}, environment ${release.config.cloudkit.environment}` : 'PHOTOFLARE_* environment honoured'})`,
);
