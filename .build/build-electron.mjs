// Bundles the Electron entry (main/index.ts) and the sandboxed preload into dist/ with esbuild.
// The preload must be ONE CommonJS file: a sandboxed preload cannot require its siblings.
// Native and Electron modules stay external; electron-builder packs and unpacks them.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  sourcemap: true,
  logLevel: 'warning',
  external: ['electron', 'better-sqlite3'],
};

await build({ ...common, entryPoints: ['main/index.ts'], outfile: 'dist/main/index.cjs' });
await build({ ...common, entryPoints: ['preload/index.ts'], outfile: 'dist/preload/index.cjs' });
console.log('Built dist/main/index.cjs and dist/preload/index.cjs');
