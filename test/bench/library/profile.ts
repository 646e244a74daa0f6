import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compose, type Core } from '../../../main/compose';
import { createLogger, type Logger } from '../../../main/log/logger';
import { createNodeTransport, type HttpTransport } from '../../../main/photoprism/transport';
import { FileSecretStore } from '../../../main/secrets/file-secret-store';

/** A logger that keeps warnings and errors only (the bench prints them if something looks off). */
export function benchLogger(scope: string): Logger & { readonly warnings: string[] } {
  const warnings: string[] = [];
  const logger = createLogger(scope, { level: 'warn', sink: (line) => warnings.push(line) });
  return Object.assign(logger, { warnings });
}

/** A fresh temp folder for a benchmark profile (the caller removes it). */
export function makeProfileDir(): string {
  return mkdtempSync(join(tmpdir(), 'photoflare-bench-library-'));
}

/**
 * A core as the web shell composes it, on `profileDir`.
 *
 * The session token goes to a FileSecretStore in the profile (as the web shell keeps it), so a
 * second core on the same folder resumes the session: with the server gone it goes offline and
 * browses the cache, which is what the first-paint benchmark needs. The live-events socket is
 * off: it does nothing during an index but adds a connection to tear down.
 *
 * `lanServer`: the emulator is on loopback, where the app asks for no gzip ([Note: Compressed
 * answers]); a bench that stands for a server on the network (the first run: its bytes are the
 * figure) has the app ask as it would there.
 */
export function composeBenchCore(
  profileDir: string,
  log: Logger,
  options: {
    lanServer?: boolean;
    /** Wraps the transport to the server (a bench's diagnostic watching its requests). */
    wrapTransport?: (transport: HttpTransport) => HttpTransport;
  } = {},
): Core {
  const wrap = options.wrapTransport ?? ((transport: HttpTransport) => transport);
  return compose({
    profile: 'bench',
    profileDir,
    shell: 'web',
    version: '0.0.0-bench',
    log,
    secrets: new FileSecretStore({ path: join(profileDir, 'secrets.json'), log: log.child('secrets') }),
    photoprism: {
      libraryOptions: { createLiveEvents: null },
      createTransport: (transport) => wrap(createNodeTransport({ ...transport, ...(options.lanServer ? { askForGzip: () => true } : {}) })),
    },
  });
}

/** Dispatch as a trusted shell would, unwrapping the Result envelope. */
export async function call<T>(core: Core, channel: string, request: unknown = {}): Promise<T> {
  const result = await core.dispatch(channel, request, { trusted: true, description: 'bench' });
  if (!result.ok) throw new Error(`${channel}: ${result.error.message}`);
  return result.value as T;
}
