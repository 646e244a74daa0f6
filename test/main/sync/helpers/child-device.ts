import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { SyncStatus } from '../../../../shared/sync/state';

const SCRIPT = fileURLToPath(new URL('./device-process.ts', import.meta.url));

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
}

/**
 * The parent's handle on a device running in its own process (see device-process.ts): call
 * contract channels, watch its sync state, kill -9 it, start it again on the same profile.
 */
export class ChildDevice {
  readonly args: ChildDeviceArgs;
  #child: ChildProcess | undefined;
  #nextId = 1;
  #pending = new Map<number, (result: { ok: boolean; value?: unknown; error?: { kind: string; message: string } }) => void>();
  status: SyncStatus | undefined;
  stderr = '';

  constructor(args: ChildDeviceArgs) {
    this.args = args;
  }

  /** Start (or restart) the process and wait until it is signed in and serving. */
  start(): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, JSON.stringify(this.args)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.#child = child;
    child.stderr?.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
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

  call(channel: string, request: unknown = {}): Promise<{ ok: boolean; value?: unknown; error?: { kind: string; message: string } }> {
    const child = this.#child;
    if (!child?.stdin) return Promise.reject(new Error('device not running'));
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
    child.kill('SIGKILL');
    await exited;
    this.#pending.clear();
    this.#child = undefined;
  }

  async stop(): Promise<void> {
    const child = this.#child;
    if (!child) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    void this.call('__exit');
    await exited;
    this.#child = undefined;
  }
}
