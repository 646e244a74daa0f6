import { CloudKitClient } from '../../../main/cloudkit/client';
import { extractWebAuthToken, type SignInFlow } from '../../../main/cloudkit/sign-in';
import { createMemoryLogger } from '../../../main/log/logger';
import { MemorySecretStore } from '../../../main/secrets/secret-store';
import { startCloudKitEmulator, type CloudKitEmulator, type CloudKitEmulatorOptions } from '../../emulators/cloudkit/index';
import { photoflareSchema } from '../../emulators/cloudkit/photoflare-schema';

/**
 * A running CloudKit emulator and a real CloudKitClient pointed at it over HTTP.
 *
 * No part of the client is mocked: the only seam used is the secret store (in memory).
 */
export interface Harness {
  readonly emulator: CloudKitEmulator;
  readonly client: CloudKitClient;
  readonly secrets: MemorySecretStore;
  readonly log: ReturnType<typeof createMemoryLogger>;
  /** A second client (another device of the same user, or another user), sharing nothing. */
  newClient(options?: { signIn?: SignInFlow; userName?: string; signedIn?: boolean }): CloudKitClient;
  close(): Promise<void>;
}

/**
 * The browser half of sign-in, done over HTTP: submit the emulator's sign-in form and read the
 * token from the callback redirect, exactly as the Electron shell reads it from a navigation.
 */
export class FormPostSignInFlow implements SignInFlow {
  readonly redirects: string[] = [];
  readonly #userName: string;

  constructor(userName = 'alice') {
    this.#userName = userName;
  }

  async signIn(redirectUrl: string): Promise<string | undefined> {
    this.redirects.push(redirectUrl);
    const response = await fetch(redirectUrl, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ userName: this.#userName }).toString(),
    });
    const location = response.headers.get('location');
    await response.arrayBuffer();
    return location ? extractWebAuthToken(location) : undefined;
  }
}

/** Start an emulator with Photoflare's schema and a signed-in client for `alice` (unless `signedIn: false`). */
export async function startHarness(options: CloudKitEmulatorOptions & { signedIn?: boolean; signIn?: SignInFlow } = {}): Promise<Harness> {
  const { signedIn = true, signIn, ...emulatorOptions } = options;
  const emulator = await startCloudKitEmulator({ recordTypes: photoflareSchema(), ...emulatorOptions });
  const make = (clientOptions: {
    signIn?: SignInFlow;
    userName?: string;
    signedIn?: boolean;
    secrets?: MemorySecretStore;
    log?: ReturnType<typeof createMemoryLogger>;
  }) => {
    const secrets = clientOptions.secrets ?? new MemorySecretStore();
    const client = new CloudKitClient({
      config: { baseUrl: emulator.url, containerId: emulator.containerId, environment: 'development', apiToken: emulator.apiToken },
      secrets,
      log: clientOptions.log ?? createMemoryLogger(),
      ...(clientOptions.signIn ? { signIn: clientOptions.signIn } : {}),
    });
    if (clientOptions.signedIn ?? true) client.setWebAuthToken(emulator.signIn(clientOptions.userName ?? 'alice'));
    return client;
  };
  const secrets = new MemorySecretStore();
  const log = createMemoryLogger();
  const client = make({ secrets, log, signedIn, ...(signIn ? { signIn } : {}) });
  return {
    emulator,
    client,
    secrets,
    log,
    newClient: (clientOptions = {}) => make(clientOptions),
    close: () => emulator.close(),
  };
}

/** Record names for tests: unique within a run, readable in failures. */
export function names(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
}
