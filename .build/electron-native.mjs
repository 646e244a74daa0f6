// Builds better-sqlite3 for Electron's ABI into .cache/electron-native/, leaving the Node build in
// node_modules untouched (vitest and the web shell keep working). See [Note: Two builds of
// better-sqlite3] in main/platform/native-binding.ts.
//
//   node .build/electron-native.mjs                         build if missing or stale
//   node .build/electron-native.mjs --if-electron-installed same, but skip quietly where Electron's
//                                                           binary is absent (our Linux machines, CI)
//   node .build/electron-native.mjs --force                 rebuild even if up to date
//
// Needs what any native rebuild needs: Xcode command-line tools and internet access the first
// time (@electron/rebuild fetches a prebuilt binary or Electron's headers). Takes ~1 min once;
// afterwards it is a no-op until Electron or better-sqlite3 changes.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));
const OUT = join(ROOT, '.cache', 'electron-native');
const MANIFEST = join(OUT, 'manifest.json');
const args = new Set(process.argv.slice(2));

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** Electron's binary, found the way main/launcher/electron-binary.ts does (never by requiring 'electron'). */
function electronInstalled() {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const relativePath = readFileSync(join(dir, 'path.txt'), 'utf8').trim();
    return relativePath !== '' && existsSync(join(dir, 'dist', relativePath));
  } catch {
    return false;
  }
}

const electronVersion = readJson(require.resolve('electron/package.json')).version;
const sqliteDir = dirname(require.resolve('better-sqlite3/package.json'));
const sqliteVersion = readJson(join(sqliteDir, 'package.json')).version;
const arch = process.arch;

if (args.has('--if-electron-installed') && (!electronInstalled() || process.env.PHOTOFLARE_SHELL === 'web')) {
  console.log(
    'electron-native: Electron is not installed here (or PHOTOFLARE_SHELL=web); nothing to build (the web shell uses the Node build).',
  );
  process.exit(0);
}

if (!args.has('--force') && existsSync(MANIFEST)) {
  try {
    const manifest = readJson(MANIFEST);
    if (
      manifest.electronVersion === electronVersion &&
      manifest.arch === arch &&
      manifest.betterSqlite3Version === sqliteVersion &&
      existsSync(join(OUT, manifest.betterSqlite3))
    ) {
      console.log(`electron-native: better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${arch}) is up to date.`);
      process.exit(0);
    }
  } catch {
    // A broken manifest just means "rebuild".
  }
}

console.log(`electron-native: building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${arch})…`);
rmSync(OUT, { recursive: true, force: true });
const moduleDir = join(OUT, 'node_modules', 'better-sqlite3');
mkdirSync(moduleDir, { recursive: true });
// A private copy of the package's sources; its Node-ABI build/ folder stays behind.
cpSync(sqliteDir, moduleDir, {
  recursive: true,
  filter: (path) => !['build', 'node_modules'].includes(relative(sqliteDir, path).split(/[\\/]/)[0] ?? ''),
});
writeFileSync(
  join(OUT, 'package.json'),
  JSON.stringify({ name: 'photoflare-electron-native', private: true, dependencies: { 'better-sqlite3': sqliteVersion } }, null, 2),
);

const { rebuild } = require('@electron/rebuild');
try {
  await rebuild({
    buildPath: OUT,
    electronVersion,
    arch,
    onlyModules: ['better-sqlite3'],
    force: true,
    mode: 'sequential',
  });
} catch (error) {
  console.error(
    `electron-native: could not build better-sqlite3 for Electron (${error instanceof Error ? error.message : String(error)}).\n` +
      'It needs internet access the first time and the Xcode command-line tools (xcode-select --install).\n' +
      'Meanwhile the web shell works without it: PHOTOFLARE_SHELL=web npm start. See README "Troubleshooting".',
  );
  process.exit(1);
}

const binding = join('node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
if (!existsSync(join(OUT, binding))) {
  console.error(`electron-native: the rebuild finished but ${binding} is missing. See README "Troubleshooting".`);
  process.exit(1);
}
writeFileSync(MANIFEST, JSON.stringify({ electronVersion, arch, betterSqlite3Version: sqliteVersion, betterSqlite3: binding }, null, 2));
console.log(`electron-native: done (${join('.cache', 'electron-native', binding)}).`);
