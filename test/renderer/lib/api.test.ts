import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { buildBridge } from '../../../shared/ipc/bridge';
import { api, setBridgeForTests } from '../../../renderer/lib/api';

describe("the renderer's typed client", () => {
  afterEach(() => setBridgeForTests(undefined));

  it('unwraps an ok Result into its value', async () => {
    setBridgeForTests(
      buildBridge({
        invoke: async () => ({ ok: true, value: { name: 'Photoflare', version: '1', profile: 'p', shell: 'web', platform: 'x' } }),
        subscribe: () => () => undefined,
      }),
    );
    expect((await api.call('app.info', {})).name).toBe('Photoflare');
  });

  it('throws an AppError carrying the kind and message of an error Result', async () => {
    setBridgeForTests(
      buildBridge({
        invoke: async () => ({ ok: false, error: { kind: 'auth', message: 'Sign in again.' } }),
        subscribe: () => () => undefined,
      }),
    );
    const error = await api.call('settings.get', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ kind: 'auth', message: 'Sign in again.' });
  });
});
