import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloudKitClient } from '../../../main/cloudkit/client';
import type { CloudKitConfigInput } from '../../../main/cloudkit/config';
import { openDatabase } from '../../../main/db/database';
import { migrate } from '../../../main/db/migrate';
import { MIGRATIONS } from '../../../main/db/migrations';
import { EventLog } from '../../../main/eventlog/event-log';
import { createMemoryLogger } from '../../../main/log/logger';
import { MemorySecretStore } from '../../../main/secrets/secret-store';
import { SyncEngine } from '../../../main/sync/sync-engine';
import { startCloudKitEmulator, type CloudKitEmulator } from '../../emulators/cloudkit';
import { FormPostSignInFlow } from './emulator-harness';

/**
 * [Note: Tokens are bound to their endpoint], end to end: one profile's secret store, two
 * CloudKit services (two emulators standing in for "the emulator a development build used" and
 * "the service this build talks to"). The token minted by one never reaches the other; the
 * person is asked to sign in again, and signing in works.
 */
describe('an iCloud token is bound to the endpoint that issued it', () => {
  let first: CloudKitEmulator;
  let second: CloudKitEmulator;
  beforeEach(async () => {
    first = await startCloudKitEmulator();
    second = await startCloudKitEmulator();
  });
  afterEach(async () => {
    await first.close();
    await second.close();
  });

  const configFor = (emu: CloudKitEmulator): CloudKitConfigInput => ({
    baseUrl: emu.url,
    containerId: emu.containerId,
    environment: 'development',
    apiToken: emu.apiToken,
  });
  const sentTokens = (emu: CloudKitEmulator) => emu.requests.map((request) => request.query['ckWebAuthToken']).filter(Boolean);

  it('a token stored for another API base URL is never sent; the engine asks to sign in again', async () => {
    const secrets = new MemorySecretStore();
    const firstToken = first.signIn('alice');
    new CloudKitClient({ config: configFor(first), secrets, log: createMemoryLogger() }).setWebAuthToken(firstToken);

    second.admin.setSignInCallback('https://photoflare.example/ck-callback');
    const signIn = new FormPostSignInFlow('alice');
    const cloud = new CloudKitClient({ config: configFor(second), secrets, log: createMemoryLogger(), signIn });
    const db = openDatabase(':memory:');
    migrate(db, MIGRATIONS, { log: createMemoryLogger() });
    const engine = new SyncEngine({
      eventLog: new EventLog({ db, log: createMemoryLogger() }),
      cloud,
      replayer: {
        refreshPhotos: async () => undefined,
        refreshAlbums: async () => undefined,
        refreshAll: async () => undefined,
        relistAlbums: async () => undefined,
      },
      log: createMemoryLogger(),
      isEnabled: () => true,
      photoprismStatus: () => 'online',
      onStatus: () => undefined,
    });
    try {
      expect(await engine.runOnce()).toEqual({ kind: 'halt' });
      expect(engine.state.name).toBe('needs-sign-in');
      expect(secrets.get('cloudkit.webAuthToken')).toBeUndefined();
      expect(sentTokens(second)).not.toContain(firstToken);

      // Signing in again works, and the new token is bound to the second service.
      await engine.signIn();
      expect(signIn.redirects).toHaveLength(1);
      expect(sentTokens(second).length).toBeGreaterThan(0);
      expect(sentTokens(second)).not.toContain(firstToken);
      expect(cloud.hasWebAuthToken()).toBe(true);
    } finally {
      engine.dispose();
    }

    // ...and going back to the first service does not carry the second one's token there.
    const before = first.requests.length;
    const back = new CloudKitClient({ config: configFor(first), secrets, log: createMemoryLogger() });
    expect(back.hasWebAuthToken()).toBe(false);
    await expect(back.getCaller()).rejects.toMatchObject({ kind: 'auth-required' });
    expect(first.requests.slice(before).every((request) => request.query['ckWebAuthToken'] === undefined)).toBe(true);
  });

  it('a development token is never sent to production in the same container', async () => {
    const secrets = new MemorySecretStore();
    const devToken = first.signIn('alice');
    new CloudKitClient({ config: configFor(first), secrets, log: createMemoryLogger() }).setWebAuthToken(devToken);
    const production = new CloudKitClient({
      config: { ...configFor(first), environment: 'production', apiToken: first.productionApiToken },
      secrets,
      log: createMemoryLogger(),
    });
    await expect(production.getCaller()).rejects.toMatchObject({ kind: 'auth-required' });
    expect(first.requests.at(-1)?.path).toContain('/production/');
    expect(first.requests.at(-1)?.query['ckWebAuthToken']).toBeUndefined();
  });
});
