import { describe, expect, it } from 'vitest';
import { BUILD_MODE, resolveAppConfig } from '../../../main/build-config/app-config';
import {
  hasPlaceholderToken,
  RELEASE_API_TOKEN_PLACEHOLDER,
  RELEASE_CONFIG,
  ReleaseConfig,
} from '../../../main/build-config/release-config';

const DEV_ENV = {
  PHOTOFLARE_DATA_DIR: '/tmp/pf',
  PHOTOFLARE_CLOUDKIT_URL: 'http://127.0.0.1:47301',
  PHOTOFLARE_CLOUDKIT_CONTAINER: 'iCloud.emulator',
  PHOTOFLARE_CLOUDKIT_API_TOKEN: 'emulator-token',
  PHOTOFLARE_CLOUDKIT_CALLBACK_URL: 'http://127.0.0.1:47301/_demo/icloud-callback',
  PHOTOFLARE_DEMO_PHOTOPRISM: JSON.stringify({ url: 'http://127.0.0.1:47300', username: 'admin', password: 'photoprism' }),
};

describe('the release configuration (main/build-config/release-config.ts)', () => {
  it('names the production container and environment of Apple’s service, and an https sign-in callback', () => {
    expect(RELEASE_CONFIG.cloudkit).toMatchObject({
      baseUrl: 'https://api.apple-cloudkit.com',
      containerId: 'iCloud.app.photoflare.desktop',
      environment: 'production',
    });
    expect(new URL(RELEASE_CONFIG.icloudCallbackUrl).protocol).toBe('https:');
  });

  it('is validated: a development environment, a plain-http endpoint or an unknown key is refused', () => {
    const base = { ...RELEASE_CONFIG, cloudkit: { ...RELEASE_CONFIG.cloudkit } };
    expect(ReleaseConfig.safeParse(base).success).toBe(true);
    expect(ReleaseConfig.safeParse({ ...base, cloudkit: { ...base.cloudkit, environment: 'development' } }).success).toBe(false);
    expect(ReleaseConfig.safeParse({ ...base, cloudkit: { ...base.cloudkit, baseUrl: 'http://api.apple-cloudkit.com' } }).success).toBe(
      false,
    );
    expect(ReleaseConfig.safeParse({ ...base, cloudkit: { ...base.cloudkit, containerId: 'app.photoflare' } }).success).toBe(false);
    expect(ReleaseConfig.safeParse({ ...base, extra: 1 }).success).toBe(false);
  });

  it('knows a placeholder token from a real one', () => {
    expect(
      hasPlaceholderToken({ ...RELEASE_CONFIG, cloudkit: { ...RELEASE_CONFIG.cloudkit, apiToken: RELEASE_API_TOKEN_PLACEHOLDER } }),
    ).toBe(true);
    expect(hasPlaceholderToken({ ...RELEASE_CONFIG, cloudkit: { ...RELEASE_CONFIG.cloudkit, apiToken: '0123abcd' } })).toBe(false);
  });
});

describe('resolveAppConfig', () => {
  it('unbundled code (vitest, tsx) is a development build', () => {
    expect(BUILD_MODE).toBe('development');
  });

  it.each([
    ['a production build', { mode: 'production' as const, isPackaged: false }],
    ['a packaged production build', { mode: 'production' as const, isPackaged: true }],
    ['a development build that got packaged', { mode: 'development' as const, isPackaged: true }],
  ])('%s ignores the environment and uses the release configuration', (_what, build) => {
    const config = resolveAppConfig({ ...build, env: DEV_ENV });
    expect(config.development).toBe(false);
    expect(config.env).toEqual({});
    expect(config.cloudkit).toEqual(RELEASE_CONFIG.cloudkit);
    expect(config.icloudCallbackUrl).toBe(RELEASE_CONFIG.icloudCallbackUrl);
    expect(config.demo).toBeUndefined();
  });

  it('a development build run from the project honours the PHOTOFLARE_* overrides', () => {
    const config = resolveAppConfig({ mode: 'development', isPackaged: false, env: DEV_ENV });
    expect(config.development).toBe(true);
    expect(config.env['PHOTOFLARE_DATA_DIR']).toBe('/tmp/pf');
    expect(config.cloudkit).toMatchObject({
      baseUrl: 'http://127.0.0.1:47301',
      containerId: 'iCloud.emulator',
      apiToken: 'emulator-token',
    });
    expect(config.icloudCallbackUrl).toBe('http://127.0.0.1:47301/_demo/icloud-callback');
    expect(config.demo).toMatchObject({ url: 'http://127.0.0.1:47300' });
  });

  it('a development build without overrides has no iCloud rather than the production container', () => {
    const config = resolveAppConfig({ mode: 'development', isPackaged: false, env: {} });
    expect(config.cloudkit).toBeUndefined();
    expect(config.icloudCallbackUrl).toBe(RELEASE_CONFIG.icloudCallbackUrl);
  });
});
