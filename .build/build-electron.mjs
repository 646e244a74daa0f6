// Bundles the Electron entry (main/index.ts) and the sandboxed preload into dist/ with esbuild.
// The preload must be ONE CommonJS file: a sandboxed preload cannot require its siblings.
// Native and Electron modules stay external; electron-builder packs and unpacks them.
// The menu-bar icons are copied beside the main bundle (dist/main/icons/): electron-builder
// packs dist/** only, and main/index.ts loads them from there.
//
//   node .build/build-electron.mjs [--outdir <dir>]   (default: dist; tests build into a temp dir)
import { cpSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const flag = process.argv.indexOf('--outdir');
const outdir = flag === -1 ? join(ROOT, 'dist') : resolve(process.argv[flag + 1] ?? 'dist');

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

await build({ ...common, entryPoints: ['main/index.ts'], outfile: join(outdir, 'main', 'index.cjs') });
await build({ ...common, entryPoints: ['preload/index.ts'], outfile: join(outdir, 'preload', 'index.cjs') });
cpSync(join(ROOT, 'main', 'tray', 'icons'), join(outdir, 'main', 'icons'), { recursive: true });
console.log(`Built ${outdir}/main/index.cjs and ${outdir}/preload/index.cjs (+ main/icons)`);
