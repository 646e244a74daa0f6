import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { makeHarness, type Harness } from '../library/helpers';

const DAY_MS = 86_400_000;

let emu: PhotoPrismEmulator;
let h: Harness;
/** The emulator's clock runs `offsetMs` ahead of the wall clock (the client's is h.clock). */
let offsetMs = 0;

beforeEach(async () => {
  offsetMs = 0;
  emu = await startPhotoPrismEmulator({ photos: 20, albums: 1, now: () => Date.now() + offsetMs });
  h = makeHarness();
});
afterEach(async () => {
  h.library.dispose();
  h.connection.dispose();
  await emu.close();
});

const signInWithAppPassword = () =>
  h.connection.signIn({ serverUrl: emu.url, username: emu.credentials.username, password: emu.appPassword });
const advanceDays = (days: number) => {
  offsetMs += days * DAY_MS;
  h.clock.advance(days * DAY_MS);
};

describe('app passwords (PhotoPrism 240420+)', () => {
  it('keep the app signed in past the two-week cap of the session they log in', async () => {
    const status = await signInWithAppPassword();
    expect(status.state).toBe('online');
    await h.library.refresh();
    advanceDays(15);
    await h.library.refresh('full');
    await h.connection.refreshSession();
    expect(h.connection.status()).toMatchObject({ state: 'online', lastError: null });
  });

  it('survive a restart of the app (resumed from the secret store) and never reach events or logs', async () => {
    await signInWithAppPassword();
    const again = makeHarness({ db: h.db, secrets: h.secrets });
    try {
      advanceDays(15);
      await again.connection.start();
      expect(again.connection.status().state).toBe('online');
    } finally {
      again.library.dispose();
      again.connection.dispose();
    }
    const everything = JSON.stringify(h.emitted) + h.log.lines.join('\n');
    expect(everything).not.toContain(emu.appPassword);
  });

  it('a revoked app password → needs sign-in once, and no request retries it', async () => {
    await signInWithAppPassword();
    await h.library.refresh();
    // Revoked in PhotoPrism's Settings › Apps and Devices (POST /api/v1/oauth/revoke).
    const revoked = await fetch(`${emu.url}/api/v1/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: emu.appPassword }).toString(),
    });
    expect(revoked.status).toBe(200);
    advanceDays(15);
    await h.library.refresh('full');
    expect(h.connection.status()).toMatchObject({ state: 'needs-sign-in', lastError: { kind: 'auth' } });
    const sentAfter = h.sent.length;
    advanceDays(1);
    await h.library.refresh();
    await h.connection.refreshSession();
    expect(h.sent.length).toBe(sentAfter);
  });

  it('signing out forgets the app password here but does not revoke it on the server', async () => {
    await signInWithAppPassword();
    await h.connection.signOut();
    expect(h.connection.status().state).toBe('signed-out');
    const stillValid = await fetch(`${emu.url}/api/v1/session`, { headers: { authorization: `Bearer ${emu.appPassword}` } });
    expect(stillValid.status).toBe(200);
    await h.connection.start();
    expect(h.connection.status().state).toBe('signed-out');
  });
});
