import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compose, type Core } from '../../main/compose';
import { createMemoryLogger } from '../../main/log/logger';
import { MemorySecretStore } from '../../main/secrets/secret-store';

/** A composed core in a throw-away profile folder, as the web shell or Electron would build it. */
export function makeTestCore(options: { profile?: string; shell?: 'electron' | 'web' } = {}): {
  core: Core;
  profileDir: string;
  logLines: string[];
  cleanup: () => Promise<void>;
} {
  const profileDir = mkdtempSync(join(tmpdir(), 'photoflare-test-'));
  const log = createMemoryLogger();
  const core = compose({
    profile: options.profile ?? 'default',
    profileDir,
    shell: options.shell ?? 'web',
    version: '9.9.9-test',
    log,
    secrets: new MemorySecretStore(),
  });
  return {
    core,
    profileDir,
    logLines: log.lines,
    cleanup: async () => {
      await core.dispose();
      rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

/** A trusted sender, as a shell reports one after its own checks. */
export const TRUSTED = { trusted: true, description: 'test' } as const;
