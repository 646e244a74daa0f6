import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import type { SyncStatus } from '../../../../shared/sync/state';

const SCRIPT = fileURLToPath(new URL('./device-process.ts', import.meta.url));
/** The bundle lives in the repo's (git-ignored) .cache, so its package imports resolve from the repo's node_modules. */
const BUNDLE = fileURLToPath(new URL('../../../../.cache/chaos/device-process.mjs', import.meta.url));

let bundled: Promise<string> | undefined;
/**
 * The device script and the app core it composes, bundled once per test process (packages stay
 * imports). Starting a device from the bundle takes a fraction of what transpiling hundreds of
 * TypeScript files on every start did on a busy machine, so a restarted device is back in about
 * a second and the run measures the app settling, not the test's start-up.
 */
function deviceScript(): Promise<string> {
  bundled ??= build({
    entryPoints: [SCRIPT],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'silent',
  }).then(() => BUNDLE);
  return bundled;
}

export interface ChildDeviceArgs {
  dir: string;
  name: string;
  pp: string;
  ppUser: string;
  ppPass: string;
  ck: string;
  ckContainer: string;
  ckToken: string;
  ckUser: string;
  killAfterAnswer?: { probability: number; seed: number };
}

export type CallResult = { ok: boolean; value?: unknown; error?: { kind: string; message: string } };
/** What a call answers when the process died before answering. */
export const KILLED: CallResult = { ok: false, error: { kind: 'killed', message: 'the device process died' } };

/**
 * The parent's handle on a device running in its own process (see device-process.ts): call
 * contract channels, watch its sync state, kill -9 it, start it again on the same profile.
 */
export class ChildDevice {
  readonly args: ChildDeviceArgs;
  #child: ChildProcess | undefined;
  #nextId = 1;
  #pending = new Map<number, (result: CallResult) => void>();
  status: SyncStatus | undefined;
  stderr = '';
  /** Deaths not asked for by kill()/stop(): the process killed itself (killAfterAnswer). */
  selfKills = 0;
  #expectedExit = false;

  constructor(args: ChildDeviceArgs) {
    this.args = args;
  }

  /** Start (or restart) the process and wait until it is signed in and serving. */
  async start(): Promise<void> {
    const script = await deviceScript();
    const child = spawn(process.execPath, ['--enable-source-maps', script, JSON.stringify(this.args)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.#child = child;
    this.#expectedExit = false;
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    // A call written as the process dies: its pipe is gone, and the call answers KILLED on exit.
    child.stdin?.on('error', () => undefined);
    child.once('exit', (_code, signal) => {
      // Calls in flight die with the process: they were never answered.
      for (const resolve of this.#pending.values()) resolve(KILLED);
      this.#pending.clear();
      if (this.#child === child) this.#child = undefined;
      if (!this.#expectedExit && signal === 'SIGKILL') this.selfKills += 1;
    });
    return new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`device ${this.args.name} exited (${code}) before it was ready: ${this.stderr}`)));
      createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
        const message = JSON.parse(line) as { ready?: boolean; id?: number; result?: never; event?: string; payload?: SyncStatus };
        if (message.ready) resolve();
        else if (message.id !== undefined) {
          this.#pending.get(message.id)?.(message.result as never);
          this.#pending.delete(message.id);
        } else if (message.event === 'sync.status') this.status = message.payload;
      });
    });
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  call(channel: string, request: unknown = {}): Promise<CallResult> {
    const child = this.#child;
    if (!child?.stdin) return Promise.resolve(KILLED);
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      child.stdin?.write(`${JSON.stringify({ id, channel, request })}\n`);
    });
  }

  /** kill -9: no chance to flush, close or say goodbye. */
  async kill(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    this.#expectedExit = true;
    child.kill('SIGKILL');
    await exited;
    this.#pending.clear();
    this.#child = undefined;
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    this.#expectedExit = true;
    void this.call('__exit');
    await exited;
    this.#child = undefined;
  }
}
