import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startPhotoPrismEmulator, type PhotoPrismEmulator } from '../../emulators/photoprism';
import { eventually, makeHarness, type Harness } from '../library/helpers';

let emu: PhotoPrismEmulator;
let h: Harness;

beforeEach(async () => {
  emu = await startPhotoPrismEmulator({ photos: 40, albums: 2 });
  h = makeHarness();
});
afterEach(async () => {
  h.library.dispose();
  h.connection.dispose();
  await emu.close();
});

const signIn = (extra: Partial<{ username: string; password: string; code: string }> = {}) =>
  h.connection.signIn({ serverUrl: emu.url, username: emu.credentials.username, password: emu.credentials.password, ...extra });

describe('probe: what the sign-in form learns before sending credentials', () => {
  it('finds a PhotoPrism server and its version; plain HTTP on loopback is not flagged (it never leaves this computer)', async () => {
    const probe = await h.connection.probe(emu.url);
    expect(probe).toMatchObject({ serverUrl: emu.url, insecureHttp: false, untrustedCertificate: null });
    expect(probe.serverVersion).toMatch(/^\d{6}-/);
  });

  it('distinguishes a malformed URL, an unreachable host and a server that is not PhotoPrism', async () => {
    await expect(h.connection.probe('http://exa mple')).rejects.toMatchObject({ kind: 'validation' });
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(h.connection.probe(`http://127.0.0.1:${closedPort}`)).rejects.toMatchObject({ kind: 'network' });

    const other = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>nginx</h1>'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      await expect(h.connection.probe(url)).rejects.toMatchObject({
        kind: 'server',
        message: expect.stringMatching(/not look like a PhotoPrism/),
      });
    } finally {
      await new Promise<void>((r) => other.close(() => r()));
    }
  });
});

describe('sign in', () => {
  it('refuses a wrong password with kind auth and keeps the state', async () => {
    await expect(signIn({ password: 'wrong' })).rejects.toMatchObject({ kind: 'auth' });
    expect(h.connection.status()).toMatchObject({ state: 'signed-out', lastError: { kind: 'auth' } });
    expect(h.secrets.get('photoprism.session')).toBeUndefined();
  });

  it('signs in with the password: online, token in the secret store, never in the status', async () => {
    const status = await signIn();
    expect(status).toMatchObject({
      state: 'online',
      serverUrl: emu.url,
      userName: emu.credentials.username,
      insecureHttp: false,
      lastError: null,
    });
    const token = h.secrets.get('photoprism.session');
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    expect(JSON.stringify(status)).not.toContain(token);
    expect(JSON.stringify(h.emitted)).not.toContain(token);
    expect(h.log.lines.join('\n')).not.toContain(token);
  });

  it('signs in with an app password', async () => {
    expect((await signIn({ password: emu.appPassword })).state).toBe('online');
  });

  it('asks for the 2FA code, then accepts it', async () => {
    const creds = { serverUrl: emu.url, username: emu.twoFactor.username, password: emu.twoFactor.password };
    await expect(h.connection.signIn(creds)).rejects.toMatchObject({ kind: 'two-factor-required' });
    await expect(h.connection.signIn({ ...creds, code: '000000' === emu.twoFactor.code() ? '111111' : '000000' })).rejects.toMatchObject({
      kind: 'two-factor-required',
      message: expect.stringMatching(/code is not right/),
    });
    expect((await h.connection.signIn({ ...creds, code: emu.twoFactor.code() })).state).toBe('online');
  });

  it('reports rate limiting after too many attempts', async () => {
    let kind = '';
    for (let i = 0; i < 15 && kind !== 'rate-limited'; i++) {
      kind = await signIn({ password: `wrong-${i}` }).then(
        () => 'ok',
        (e: unknown) => (e as { kind: string }).kind,
      );
    }
    expect(kind).toBe('rate-limited');
  });

  it('signs out: forgets the token, keeps the server for the form', async () => {
    await signIn();
    const status = await h.connection.signOut();
    expect(status).toMatchObject({ state: 'signed-out', serverUrl: emu.url });
    expect(h.secrets.get('photoprism.session')).toBeUndefined();
  });
});

describe('session lifecycle', () => {
  it('resumes a stored session on start', async () => {
    await signIn();
    const again = makeHarness({ db: h.db, secrets: h.secrets });
    try {
      await again.connection.start();
      expect(again.connection.status().state).toBe('online');
    } finally {
      again.library.dispose();
      again.connection.dispose();
    }
  });

  it('an expired session → needs-sign-in, the token is dropped, and nothing retries it', async () => {
    await signIn();
    await h.library.refresh();
    emu.admin.expireSessions();
    await h.library.refresh('full');
    expect(h.connection.status()).toMatchObject({ state: 'needs-sign-in', lastError: { kind: 'auth' } });
    expect(h.secrets.get('photoprism.session')).toBeUndefined();
    const sentAfter = h.sent.length;
    // Time passes, refreshes are asked for: no request with the dead token goes out.
    h.clock.advance(24 * 3600 * 1000);
    await h.library.refresh();
    await expect(h.library.refreshByUid(['psoeo0k2d9x1q7ab'])).rejects.toMatchObject({ kind: 'auth' });
    expect(h.sent.length).toBe(sentAfter);
    // Signing in again recovers.
    expect((await signIn()).state).toBe('online');
  });

  it('server down → offline (cache kept), back up → recovers by itself with backoff', async () => {
    await signIn();
    await h.library.refresh();
    const before = h.library.counts();
    expect(before.all).toBeGreaterThan(0);
    const refreshedAt = h.connection.status().lastRefreshedAt;
    expect(refreshedAt).not.toBeNull();

    await emu.admin.goDown();
    await h.library.refresh('full');
    expect(h.connection.status()).toMatchObject({ state: 'offline', lastRefreshedAt: refreshedAt, lastError: { kind: 'network' } });
    expect(h.library.counts()).toEqual(before);
    expect(h.library.query({ view: { kind: 'all' }, q: '', offset: 0, limit: 10 }).photos).toHaveLength(10);

    // Reachability checks back off: 2 s, then 4 s, …
    expect(h.clock.pendingDelays()).toContain(2000);
    h.clock.advance(2000);
    await eventually(() => expect(h.clock.pendingDelays()).toContain(4000));

    await emu.admin.goUp();
    h.clock.advance(4000);
    await eventually(() => expect(h.connection.status().state).toBe('online'));
    // Coming back online refreshes the cache.
    await eventually(() => expect(h.connection.status().lastRefreshedAt).toBeGreaterThan(refreshedAt ?? 0));
  });
});
