import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StaticSignInFlow, type SignInFlow } from '../../main/cloudkit/sign-in';
import { compose, type Core } from '../../main/compose';
import type { DragButton } from '../../main/export/drag-out';
import type { Clock } from '../../main/platform/clock';
import type { TransportFactory } from '../../main/photoprism/transport';
import { createMemoryLogger } from '../../main/log/logger';
import { MemorySecretStore } from '../../main/secrets/secret-store';
import type { CloudKitEmulator } from '../emulators/cloudkit';
import type { PhotoPrismEmulator } from '../emulators/photoprism';

/**
 * A "device" for multi-device tests: a full composed core in its own profile folder, signed in
 * to the shared PhotoPrism emulator and (optionally) to iCloud on the CloudKit emulator.
 *
 * The iCloud sign-in flow is the emulator's, minus the browser: it hands out a token for the
 * user as the sign-in page would.
 */
export interface TestDevice {
  readonly name: string;
  readonly core: Core;
  readonly dir: string;
  call<T>(channel: string, request?: unknown): Promise<T>;
  close(): Promise<void>;
}

const SENDER = { trusted: true, description: 'test device' } as const;

export async function makeDevice(options: {
  name: string;
  /** The server to sign in to: the emulator in this process, or one in a process of its own (benchmarks). */
  photoprism: Pick<PhotoPrismEmulator, 'url' | 'credentials'>;
  cloudkit?: CloudKitEmulator | undefined;
  iCloudUser?: string;
  syncEnabled?: boolean;
  dir?: string;
  /** Follow PhotoPrism's own WebSocket hints too (off by default, so sync tests see iCloud alone). */
  liveEvents?: boolean;
  /** How iCloud sign-in happens (default: the emulator hands out a token without a browser). */
  signIn?: SignInFlow;
  /** Where exports go (default: `exports/` in the device's folder; never the real Downloads). */
  exportFolder?: string;
  /** Stands in for the Mac app's Finder (absent: like the web shell, no Show in Finder). */
  revealInFinder?: (path: string) => void;
  /** Stands in for the Mac app's native drag to Finder (absent: like the web shell). */
  startFileDrag?: (paths: readonly string[]) => void;
  /** Stands in for the mouse button a drag to Finder waits on (absent: never down). */
  dragButton?: DragButton;
  /** The composition's clock (absent: the real one). */
  clock?: Clock;
  /** How it talks HTTP to PhotoPrism (absent: the app's own transport). */
  createTransport?: TransportFactory;
}): Promise<TestDevice> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), `pf-device-${options.name}-`));
  const ck = options.cloudkit;
  const core = compose({
    profile: options.name,
    profileDir: dir,
    shell: 'web',
    version: '0.0.0-test',
    log: createMemoryLogger(options.name),
    secrets: new MemorySecretStore(),
    chooseExportFolder: () => Promise.resolve(options.exportFolder ?? join(dir, 'exports')),
    ...(options.revealInFinder ? { revealInFinder: options.revealInFinder } : {}),
    ...(options.startFileDrag ? { startFileDrag: options.startFileDrag } : {}),
    ...(options.dragButton ? { dragButton: options.dragButton } : {}),
    photoprism: {
      ...(options.liveEvents ? {} : { libraryOptions: { createLiveEvents: null } }),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.createTransport ? { createTransport: options.createTransport } : {}),
    },
    cloudkit: ck
      ? {
          config: { baseUrl: ck.url, containerId: ck.containerId, environment: 'development', apiToken: ck.apiToken },
          signIn: options.signIn ?? new StaticSignInFlow(() => ck.signIn(options.iCloudUser ?? 'alice')),
          courier: false,
          debounceMs: 50,
          intervalMs: 60 * 60_000,
        }
      : undefined,
  });
  const call = async <T>(channel: string, request: unknown = {}): Promise<T> => {
    const result = await core.dispatch(channel, request, SENDER);
    if (!result.ok) throw Object.assign(new Error(`${channel}: ${result.error.message}`), { kind: result.error.kind });
    return result.value as T;
  };
  await call('connection.signIn', { serverUrl: options.photoprism.url, ...options.photoprism.credentials });
  await core.library.refresh('full');
  if (ck && (options.syncEnabled ?? true)) {
    // Stop the engine's own scheduler: tests step it with runOnce() for determinism.
    await call('sync.signIn');
    core.sync?.stop();
  }
  return {
    name: options.name,
    core,
    dir,
    call,
    close: async () => {
      await core.dispose();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
