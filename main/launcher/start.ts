import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runWebShell } from '../webshell/cli';
import { chooseShell, findElectronBinary } from './electron-binary';

/**
 * `npm start`: the Electron app where its binary exists, the web shell everywhere else.
 *
 * Arguments after `--` pass through (`npm start -- --profile second`).
 */
const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const argv = process.argv.slice(2);
const binary = findElectronBinary(ROOT);
const choice = chooseShell({ binary, platform: process.platform, env: process.env });
process.stdout.write(`Photoflare: starting the ${choice.shell} shell (${choice.reason}).\n`);

if (choice.shell === 'electron' && binary) {
  // `npm start` built dist/ (renderer, main, preload) and the Electron-ABI better-sqlite3 first.
  const child = spawn(binary, [ROOT, ...argv], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  runWebShell(argv).catch((error: unknown) => {
    process.stderr.write(`Photoflare could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
