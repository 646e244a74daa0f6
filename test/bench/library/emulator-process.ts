import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { REPO_ROOT } from './paths';

/** The emulator's fixed demo login (test/emulators/photoprism/README.md, "Users"). */
const ADMIN = { username: 'admin', password: 'photoprism' } as const;

/** Generating 100k photos takes 1–2 s (the emulator); give a busy machine plenty more before giving up. */
const START_TIMEOUT_MS = 60_000;

/** A PhotoPrism emulator running in its own process (see {@link startEmulatorProcess}). */
export interface EmulatorProcess extends ListeningProcess {
  readonly credentials: { readonly username: string; readonly password: string };
}

/**
 * Start the PhotoPrism emulator's CLI in a child process.
 *
 * Why not in process, as the tests do: the index benchmark wants to tell our client's work
 * from the server's. With the emulator in its own process, our process's event loop is idle
 * exactly while it waits on the server, and the emulator's CPU time can be read from /proc.
 * It also matches reality (the server is never in our process) and uses both cores.
 */
export async function startEmulatorProcess(options: { photos: number; albums: number; seed: number }): Promise<EmulatorProcess> {
  const child = await startListeningProcess(
    join(REPO_ROOT, 'test', 'emulators', 'photoprism', 'cli.ts'),
    [
      '--port',
      '0',
      '--photos',
      String(options.photos),
      '--albums',
      String(options.albums),
      '--seed',
      String(options.seed),
      '--no-rate-limits',
    ],
    'The PhotoPrism emulator',
  );
  return { ...child, credentials: ADMIN };
}

/** A server script of this repository running in a child process (see {@link startListeningProcess}). */
export interface ListeningProcess {
  /** `http://127.0.0.1:PORT`, from the line it printed. */
  readonly url: string;
  /** CPU time (user + system) the process has used so far, or NaN off Linux. */
  cpuMs(): number;
  /** Stop it (SIGTERM, then SIGKILL) and wait for it to exit. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Run a TypeScript server script (through tsx) in a child process and wait until it prints
 * `listening on http://127.0.0.1:PORT`. `what` names it in errors ("The PhotoPrism emulator").
 */
export async function startListeningProcess(script: string, args: readonly string[], what: string): Promise<ListeningProcess> {
  const tsx = createRequire(import.meta.url).resolve('tsx');
  // BENCH_CHILD_NODE_ARGS: extra Node options for the server, e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`
  // to profile the emulator's side of a bench (NODE_OPTIONS refuses --cpu-prof).
  const nodeArgs = (process.env['BENCH_CHILD_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
  const child = spawn(process.execPath, [...nodeArgs, '--import', tsx, script, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  try {
    const url = await waitForUrl(child, what, () => stderr);
    const pid = child.pid;
    return {
      url,
      cpuMs: () => (pid === undefined ? Number.NaN : processCpuMs(pid)),
      stop: () => stopChild(child, exited),
    };
  } catch (error) {
    await stopChild(child, exited);
    throw error;
  }
}

function waitForUrl(child: ChildProcess, what: string, stderr: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`${what} did not start in ${START_TIMEOUT_MS} ms.`)), START_TIMEOUT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      reject(error);
    };
    child.once('exit', (code) => fail(new Error(`${what} exited (code ${String(code)}) before listening:\n${stderr()}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      // cli.ts prints "PhotoPrism emulator listening on http://127.0.0.1:PORT (API …)".
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killed = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 5000))]);
  if (!killed) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** utime + stime of a process from /proc/PID/stat (fields 14 and 15, in clock ticks). */
function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces; fields are counted after its ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    // USER_HZ is 100 on every Linux we run on (sysconf(_SC_CLK_TCK)).
    return (ticks * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}
