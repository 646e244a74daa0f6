import { describe, expect, it } from 'vitest';
import { CloudKitError } from '../../../main/cloudkit/errors';
import { WebAuthTokenStore } from '../../../main/cloudkit/token-store';
import { MemorySecretStore, type SecretKey, type SecretStore } from '../../../main/secrets/secret-store';

const APPLE_DEV = { baseUrl: 'https://api.apple-cloudkit.com', containerId: 'iCloud.a', environment: 'development' } as const;

describe('WebAuthTokenStore', () => {
  it('persists the token under cloudkit.webAuthToken, with the endpoint it was issued for', () => {
    const secrets = new MemorySecretStore();
    const store = new WebAuthTokenStore(secrets, APPLE_DEV);
    store.set('tok+1/=');
    expect(store.get()).toBe('tok+1/=');
    expect(new WebAuthTokenStore(secrets, { ...APPLE_DEV }).get()).toBe('tok+1/=');
    expect(secrets.get('cloudkit.webAuthToken')).toContain('tok+1/=');
  });

  it.each([
    ['another environment', { ...APPLE_DEV, environment: 'production' as const }],
    ['another container', { ...APPLE_DEV, containerId: 'iCloud.b' }],
    ['another API base URL (an emulator)', { ...APPLE_DEV, baseUrl: 'http://127.0.0.1:47301' }],
  ])('never hands out a token stored for %s, and discards it', (_what, other) => {
    const secrets = new MemorySecretStore();
    new WebAuthTokenStore(secrets, APPLE_DEV).set('dev-token');
    expect(new WebAuthTokenStore(secrets, other).get()).toBeUndefined();
    // Discarded, not merely hidden: going back does not bring it back either.
    expect(secrets.get('cloudkit.webAuthToken')).toBeUndefined();
    expect(new WebAuthTokenStore(secrets, APPLE_DEV).get()).toBeUndefined();
  });

  it.each([
    ['a bare token', '106__54__abc'],
    ['a record that names no API base URL', JSON.stringify({ v: 1, scope: 'iCloud.a/development', token: 't' })],
    ['garbage', '{"v":'],
  ])('discards %s: it cannot prove which endpoint issued it', (_what, raw) => {
    const secrets = new MemorySecretStore();
    secrets.set('cloudkit.webAuthToken', raw);
    expect(new WebAuthTokenStore(secrets, APPLE_DEV).get()).toBeUndefined();
    expect(secrets.get('cloudkit.webAuthToken')).toBeUndefined();
  });

  it('forgets the token on clear (sign-out is local, docs/cloudkit.md §2.4)', () => {
    const secrets = new MemorySecretStore();
    const store = new WebAuthTokenStore(secrets, APPLE_DEV);
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
    const store = new WebAuthTokenStore(broken, APPLE_DEV);
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
