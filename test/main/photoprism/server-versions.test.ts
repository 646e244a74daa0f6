import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionStatus } from '../../../shared/library/schemas';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { makeDevice, type TestDevice } from '../../helpers/devices';
import { makeHarness, type Harness } from '../library/helpers';

/**
 * The same client against the PhotoPrism releases whose auth API differs (the emulator serves the
 * API of the version it claims, test/emulators/photoprism/api-version.ts).
 */
const VERSIONS = {
  /** Up to 231128: `X-Session-ID` only, `GET/DELETE /session/:id`, `id` instead of `access_token`. */
  legacy: '231128-f48ff16ef-Linux-AMD64-CE',
  /** 240420 to 240531: 2FA failures carry i18n IDs (32 required, 33 other). */
  i18nCodes: '240420-ef5f14bc4-Linux-AMD64-CE',
  /** 240711 on: 32 required, 401 other. */
  current: '240915-e1280b2fb-Linux-AMD64-CE',
} as const;

let emu: PhotoPrismEmulator | undefined;
let device: TestDevice | undefined;
let h: Harness | undefined;

afterEach(async () => {
  await device?.close();
  h?.library.dispose();
  h?.connection.dispose();
  await emu?.close();
  emu = undefined;
  device = undefined;
  h = undefined;
});

/** Does the server still accept this token? Asked the way that server version reads tokens. */
async function tokenAlive(server: PhotoPrismEmulator, token: string, legacy: boolean): Promise<boolean> {
  const res = legacy
    ? await fetch(`${server.url}/api/v1/session/${token}`, { headers: { 'x-session-id': token } })
    : await fetch(`${server.url}/api/v1/session`, { headers: { 'x-auth-token': token } });
  return res.status === 200;
}

describe.each([
  ['legacy (231128)', VERSIONS.legacy],
  ['today (240915)', VERSIONS.current],
])('sign in, browse, curate, sign out against %s', (_name, version) => {
  it('works end to end, and signing out revokes the session on the server', async () => {
    emu = await startPhotoPrismEmulator({ photos: 30, albums: 2, version });
    device = await makeDevice({ name: 'versions', photoprism: emu });
    const status = await device.call<ConnectionStatus>('connection.status');
    expect(status).toMatchObject({ state: 'online', serverVersion: version });
    const counts = await device.call<{ all: number }>('library.counts');
    expect(counts.all).toBeGreaterThan(0);

    const uid = emu.admin.snapshot().photos.find((p) => !p.Favorite && !p.Archived && !p.Private)?.UID ?? '';
    await device.call('actions.setFavorite', { uids: [uid], favorite: true });
    expect(emu.admin.snapshot().photos.find((p) => p.UID === uid)?.Favorite).toBe(true);

    const token = device.core.secrets.get('photoprism.session') ?? '';
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    expect(await tokenAlive(emu, token, version === VERSIONS.legacy)).toBe(true);
    await device.call('connection.signOut');
    expect(await tokenAlive(emu, token, version === VERSIONS.legacy)).toBe(false);
  });
});

describe('2FA answers per server version', () => {
  const twoFactorSignIn = (server: PhotoPrismEmulator, harness: Harness, code?: string) =>
    harness.connection.signIn({
      serverUrl: server.url,
      username: server.twoFactor.username,
      password: server.twoFactor.password,
      ...(code === undefined ? {} : { code }),
    });
  const wrongCode = (server: PhotoPrismEmulator) => (server.twoFactor.code() === '000000' ? '111111' : '000000');

  describe.each([
    ['240420 (code 32, then 33)', VERSIONS.i18nCodes],
    ['240915 (code 32, then 401)', VERSIONS.current],
  ])('%s', (_name, version) => {
    it('no code → asks for it', async () => {
      emu = await startPhotoPrismEmulator({ photos: 5, albums: 1, version });
      h = makeHarness();
      await expect(twoFactorSignIn(emu, h)).rejects.toMatchObject({ kind: 'two-factor-required' });
    });

    it('a wrong 6-digit code → "the code is not right", never "wrong password"', async () => {
      emu = await startPhotoPrismEmulator({ photos: 5, albums: 1, version });
      h = makeHarness();
      const failure = await twoFactorSignIn(emu, h, wrongCode(emu)).catch((e: unknown) => e);
      expect(failure).toMatchObject({ kind: 'two-factor-required', message: expect.stringMatching(/code is not right/) });
      expect((failure as Error).message).not.toMatch(/password/);
    });

    it('a code of the wrong length ("Input length unexpected") → "the code has 6 digits"', async () => {
      emu = await startPhotoPrismEmulator({ photos: 5, albums: 1, version });
      h = makeHarness();
      const failure = await twoFactorSignIn(emu, h, '12345').catch((e: unknown) => e);
      expect(failure).toMatchObject({ kind: 'two-factor-required', message: expect.stringMatching(/has 6 digits/) });
      expect((failure as Error).message).not.toMatch(/password/);
    });

    it('the right code signs in', async () => {
      emu = await startPhotoPrismEmulator({ photos: 5, albums: 1, version });
      h = makeHarness();
      expect((await twoFactorSignIn(emu, h, emu.twoFactor.code())).state).toBe('online');
    });
  });

  it('a legacy server (231128) has no 2FA: the password alone signs in', async () => {
    emu = await startPhotoPrismEmulator({ photos: 5, albums: 1, version: VERSIONS.legacy });
    h = makeHarness();
    expect((await twoFactorSignIn(emu, h)).state).toBe('online');
  });
});
