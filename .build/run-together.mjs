// Runs npm scripts side by side and reports each one whole: `node .build/run-together.mjs typecheck lint`.
//
// Why: `npm test` must finish on CI's two cores within its 20 minutes. The type checker and the
// linter each use one core, so one after the other they leave a core idle for about four minutes.
// Each script's output is held back and printed in one piece when it ends (interleaved lines from
// two tools would be unreadable), and the run fails when any script fails, after all have ended,
// so one red log shows every finding.
import { spawn } from 'node:child_process';

const scripts = process.argv.slice(2);
if (scripts.length === 0) {
  process.stderr.write('usage: node .build/run-together.mjs <npm script> [<npm script> …]\n');
  process.exit(2);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs one script; resolves with its exit code and everything it printed, in order. */
function run(script) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(npm, ['run', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    child.on('error', (error) => resolve({ script, code: 1, output: `${error.message}\n`, seconds: 0 }));
    child.on('close', (code, signal) =>
      resolve({
        script,
        code: code ?? 1,
        output: Buffer.concat(chunks).toString('utf8') + (signal ? `\nkilled by ${signal}\n` : ''),
        seconds: (Date.now() - started) / 1000,
      }),
    );
  });
}

const pending = scripts.map((script) => run(script).then(report));

/** Prints one finished script's output under a header, as soon as it ends. */
function report(result) {
  const verdict = result.code === 0 ? 'passed' : `FAILED (exit ${result.code})`;
  process.stdout.write(`\n── npm run ${result.script}: ${verdict} in ${result.seconds.toFixed(0)} s ──\n${result.output}`);
  return result;
}

const results = await Promise.all(pending);
const failed = results.filter((result) => result.code !== 0).map((result) => result.script);
if (failed.length > 0) {
  process.stderr.write(`\nFailed: ${failed.join(', ')}\n`);
  process.exit(1);
}
