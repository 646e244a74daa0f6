// Runs npm scripts side by side and reports each one whole: `node .build/run-together.mjs typecheck lint`.
// `--stream <script>` runs one more whose output goes straight through instead (a long test run).
//
// Why: `npm test` must finish on CI's two cores within its 20 minutes. The type checker, the
// linter and the single-worker test runner each use one core, so one after the other they leave
// a core idle for minutes: `npm test` lints beside the whole checked suite. Each held script's
// output is printed in one piece when it ends (interleaved lines from two tools would be
// unreadable), and the run fails when any script fails, after all have ended, so one red log
// shows every finding.
import { spawn } from 'node:child_process';

const args = process.argv.slice(2);
const streamAt = args.indexOf('--stream');
const streamed = streamAt >= 0 ? args[streamAt + 1] : undefined;
const scripts = args.filter((arg) => arg !== '--stream');
if (scripts.length === 0 || (streamAt >= 0 && streamed === undefined)) {
  process.stderr.write('usage: node .build/run-together.mjs [--stream <npm script>] <npm script> [<npm script> …]\n');
  process.exit(2);
}

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs one script; resolves with its exit code and everything it printed, in order. */
function run(script) {
  return new Promise((resolve) => {
    const started = Date.now();
    const live = script === streamed;
    const child = spawn(npm, ['run', script], { stdio: ['ignore', live ? 'inherit' : 'pipe', live ? 'inherit' : 'pipe'] });
    const chunks = [];
    child.stdout?.on('data', (chunk) => chunks.push(chunk));
    child.stderr?.on('data', (chunk) => chunks.push(chunk));
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
