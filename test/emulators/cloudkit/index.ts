/**
 * A faithful CloudKit Web Services emulator for tests and local development.
 *
 * Built from docs/cloudkit.md (never from our client) so the client's
 * bugs cannot agree with themselves. Start it with {@link startCloudKitEmulator}; talk to it over
 * real HTTP exactly as to api.apple-cloudkit.com; steer it with `emulator.admin` (or /_admin/… over
 * HTTP, see README.md).
 */
import type { AddressInfo } from 'node:net';
import { createAdmin } from './admin';
import { Auth } from './auth';
import { resolveSettings, type Services } from './context';
import { Courier } from './courier';
import { FaultInjector } from './faults';
import { Sealer } from './opaque';
import { createEmulatorServer } from './server';
import { Store } from './store';
import { Notifier } from './subscriptions';
import type { CloudKitEmulator, CloudKitEmulatorOptions, RecordedRequest } from './types';

export type {
  AdminScope,
  CloudKitAdmin,
  CloudKitEmulator,
  CloudKitEmulatorOptions,
  DatabaseScope,
  Environment,
  ErrorSpec,
  FaultKind,
  FaultSpec,
  FieldType,
  RecordedRequest,
  RecordSnapshot,
  RecordTypeSchema,
  TokenMode,
  ZoneSnapshot,
} from './types';
export { DEFAULT_API_TOKEN, DEFAULT_CONTAINER_ID, DEFAULT_PRODUCTION_API_TOKEN, DEFAULT_RECORD_TYPES } from './context';

/**
 * Starts an emulator on 127.0.0.1 (ephemeral port by default) and resolves once it listens.
 *
 * State is in memory unless `persistPath` is given; everything else is described on
 * {@link CloudKitEmulatorOptions}.
 */
export async function startCloudKitEmulator(options: CloudKitEmulatorOptions = {}): Promise<CloudKitEmulator> {
  const settings = resolveSettings(options);
  const now = options.now ?? Date.now;
  const store = new Store(options.persistPath);
  const auth = new Auth(store, settings, now);
  const courier = new Courier(store, settings, now);
  const faults = new FaultInjector(options.seed ?? 1);
  const requests: RecordedRequest[] = [];
  let baseUrl = '';
  // The notifier needs the services and the services need the notifier: break the cycle lazily.
  const services: Services = {
    store,
    settings,
    sealer: new Sealer(() => store.state.keyHex),
    now,
    listener: new Notifier(courier, () => services),
  };
  const admin = createAdmin({
    services,
    auth,
    courier,
    faults,
    requests,
    restoreSettings: () => Object.assign(settings, resolveSettings(options)),
  });
  const signInPageUrl = (environment: 'development' | 'production' = 'development'): string =>
    auth.signInPageUrl(settings.containerId, environment, baseUrl);

  const server = createEmulatorServer({
    services,
    auth,
    courier,
    faults,
    requests,
    baseUrl: () => baseUrl,
    admin: {
      admin,
      auth,
      settings,
      info: () => ({
        url: baseUrl,
        containerId: settings.containerId,
        apiToken: settings.apiTokens.development,
        productionApiToken: settings.apiTokens.production,
        environment: 'development',
        tokenMode: settings.tokenMode,
        signInPageUrl: signInPageUrl(),
      }),
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    containerId: settings.containerId,
    apiToken: settings.apiTokens.development,
    productionApiToken: settings.apiTokens.production,
    environment: 'development',
    signIn: (userName = 'alice', signInOptions = {}) => {
      const token = auth.signIn(
        settings.containerId,
        signInOptions.environment ?? 'development',
        userName,
        signInOptions.keepSignedIn ?? false,
      );
      store.save();
      return token;
    },
    signInPageUrl,
    admin,
    requests,
    close: async () => {
      courier.releaseAll();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      store.save();
    },
  };
}
