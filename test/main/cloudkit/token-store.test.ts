import { describe, expect, it } from 'vitest';
import { CloudKitError } from '../../../main/cloudkit/errors';
import { WebAuthTokenStore } from '../../../main/cloudkit/token-store';
import { MemorySecretStore, type SecretKey, type SecretStore } from '../../../main/secrets/secret-store';

describe('WebAuthTokenStore', () => {
  it('persists the token under cloudkit.webAuthToken, scoped to container and environment', () => {
    const secrets = new MemorySecretStore();
    const dev = new WebAuthTokenStore(secrets, 'iCloud.a/development');
    dev.set('tok+1/=');
    expect(dev.get()).toBe('tok+1/=');
    expect(secrets.get('cloudkit.webAuthToken')).toContain('tok+1/=');
    // A token minted for development is never sent to production.
    expect(new WebAuthTokenStore(secrets, 'iCloud.a/production').get()).toBeUndefined();
  });

  it('accepts a bare token stored by someone else as belonging to the current scope', () => {
    const secrets = new MemorySecretStore();
    secrets.set('cloudkit.webAuthToken', '106__54__abc');
    expect(new WebAuthTokenStore(secrets, 'x').get()).toBe('106__54__abc');
  });

  it('forgets the token on clear (sign-out is local, §2.4)', () => {
    const secrets = new MemorySecretStore();
    const store = new WebAuthTokenStore(secrets, 's');
    store.set('t');
    store.clear();
    expect(store.get()).toBeUndefined();
    expect(secrets.get('cloudkit.webAuthToken')).toBeUndefined();
  });

  it('reports a failing secret store as auth-persist without quoting it', () => {
    const broken: SecretStore = {
      description: 'broken',
      get: () => undefined,
      set: (_key: SecretKey, value: string) => {
        throw new Error(`could not write ${value}`);
      },
      delete: () => undefined,
    };
    const store = new WebAuthTokenStore(broken, 's');
    let thrown: unknown;
    try {
      store.set('very-secret');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CloudKitError);
    expect((thrown as CloudKitError).kind).toBe('auth-persist');
    expect((thrown as CloudKitError).message).not.toContain('very-secret');
  });
});
