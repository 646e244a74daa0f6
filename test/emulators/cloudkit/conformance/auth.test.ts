/**
 * docs/cloudkit.md §9.7 (authentication emulation), docs/cloudkit.md §2 and docs/cloudkit.md §1.1 transport rules, in both token modes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { CloudKitEmulator } from '../index';
import { adminPost, at, FakeClock, list, start, str, TestUser, TOKEN_MODES } from './helpers';

let emulator: CloudKitEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

describe.each(TOKEN_MODES)('authentication (%s tokens)', (tokenMode) => {
  it('answers 421 AUTHENTICATION_REQUIRED with a redirectURL to its own sign-in page when no user token is sent', async () => {
    emulator = await start({ tokenMode });
    const user = new TestUser(emulator);
    const res = await user.call('users/caller', undefined, { database: 'public', token: null });
    expect(res.status).toBe(421);
    expect(res.body).toMatchObject({ serverErrorCode: 'AUTHENTICATION_REQUIRED', reason: 'request needs authorization' });
    expect(str(res.body, 'uuid')).not.toBe('');
    expect(str(res.body, 'redirectURL').startsWith(`${emulator.url}/_auth/sign-in?`)).toBe(true);
  });

  it('signs in through the page and returns the token by postMessage when no callback is configured', async () => {
    emulator = await start({ tokenMode });
    const user = new TestUser(emulator);
    const redirect = str((await user.call('users/caller', undefined, { database: 'public', token: null })).body, 'redirectURL');
    const form = await fetch(redirect);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('name="userName"');
    const signedIn = await fetch(redirect, { method: 'POST', body: new URLSearchParams({ userName: 'bob' }) });
    const html = await signedIn.text();
    expect(signedIn.status).toBe(200);
    expect(html).toContain('window.opener.postMessage');
    const token = /<output id="ckWebAuthToken">([^<]+)<\/output>/.exec(html)?.[1];
    expect(token).toBeDefined();
    const caller = await user.call('users/caller', undefined, { database: 'public', token: token ?? '' });
    expect(caller.status).toBe(200);
    expect(at(caller.body, 'userRecordName')).toBe(emulator.admin.userRecordName('bob'));
  });

  it('redirects to the configured callback with ckWebAuthToken and ckSession, percent-encoded', async () => {
    emulator = await start({ tokenMode, signInCallbackUrl: 'http://127.0.0.1:9/callback?state=x' });
    const redirect = emulator.signInPageUrl();
    const res = await fetch(redirect, { method: 'POST', body: new URLSearchParams({ userName: 'alice' }), redirect: 'manual' });
    expect(res.status).toBe(302);
    const location = new URL(res.headers.get('location') ?? '');
    expect(location.pathname).toBe('/callback');
    expect(location.searchParams.get('state')).toBe('x');
    const token = location.searchParams.get('ckWebAuthToken') ?? '';
    expect(location.searchParams.get('ckSession')).toBe(token);
    // Tokens contain + / = (like Apple's), so the raw query must carry them encoded.
    expect(token).toMatch(/[+/=]/);
    expect(res.headers.get('location')).not.toMatch(/ckWebAuthToken=[^&]*[+/=]/);
    const user = new TestUser(emulator);
    expect((await user.call('zones/list', undefined, { token })).status).toBe(200);
  });

  it('rotates the token on every response, errors included, and exposes the header to CORS', async () => {
    emulator = await start({ tokenMode });
    const user = new TestUser(emulator);
    const first = user.token;
    const ok = await user.call('zones/list');
    expect(ok.status).toBe(200);
    const rotated = ok.headers.get('x-apple-cloudkit-web-auth-token');
    expect(rotated).not.toBeNull();
    expect(rotated).not.toBe(first);
    expect(ok.headers.get('access-control-expose-headers')).toContain('X-Apple-CloudKit-Web-Auth-Token');
    expect(ok.headers.get('x-apple-cloudkit-version')).toBe('1.0');
    expect(ok.headers.get('x-apple-request-uuid')).not.toBeNull();
    const error = await user.call('records/modify', { operations: 'nope' });
    expect(error.status).toBe(400);
    expect(error.headers.get('x-apple-cloudkit-web-auth-token')).not.toBeNull();
    expect((await user.call('zones/list')).status).toBe(200);
  });

  it(tokenMode === 'lenient' ? 'keeps accepting old tokens (as live)' : 'accepts each token once (as documented)', async () => {
    emulator = await start({ tokenMode });
    const user = new TestUser(emulator);
    const original = user.token;
    expect((await user.call('zones/list')).status).toBe(200);
    const reuse = await user.call('zones/list', undefined, { token: original });
    if (tokenMode === 'lenient') {
      expect(reuse.status).toBe(200);
    } else {
      expect(reuse.status).toBe(401);
      expect(reuse.body).toMatchObject({ serverErrorCode: 'AUTHENTICATION_FAILED' });
      // The rotated token from the last good response still works.
      expect((await user.call('zones/list')).status).toBe(200);
    }
  });

  it('rejects a bad token with 401 AUTHENTICATION_FAILED and a wrong API token too', async () => {
    emulator = await start({ tokenMode });
    const user = new TestUser(emulator);
    const bad = await user.call('zones/list', undefined, { token: 'not-a-token' });
    expect(bad.status).toBe(401);
    expect(bad.body).toMatchObject({ serverErrorCode: 'AUTHENTICATION_FAILED' });
    const wrongApi = await user.call('zones/list', undefined, { apiToken: 'nope' });
    expect(wrongApi.status).toBe(401);
    // The production token is not the development one (one per environment).
    const crossEnv = await user.call('zones/list', undefined, { apiToken: emulator.productionApiToken });
    expect(crossEnv.status).toBe(401);
  });

  it('rejects a token whose + was sent unencoded (decoded as a space)', async () => {
    emulator = await start({ tokenMode });
    const user = new TestUser(emulator);
    const url = user.url('zones/list', { token: null });
    const res = await fetch(`${url}&ckWebAuthToken=${user.token}`);
    expect(res.status).toBe(401);
  });

  it('expires a session a fixed TTL after sign-in (absolute, as documented) with 421, however much it is used', async () => {
    const clock = new FakeClock();
    emulator = await start({ tokenMode, now: clock.now, webAuthTokenTtlMs: 60_000 });
    const user = new TestUser(emulator);
    clock.advance(50_000);
    expect((await user.call('zones/list')).status).toBe(200);
    clock.advance(9_000); // 59 s after sign-in, used 9 s ago: still alive.
    expect((await user.call('zones/list')).status).toBe(200);
    clock.advance(1_000); // 60 s after sign-in: gone, although it was just used.
    const expired = await user.call('zones/list');
    expect(expired.status).toBe(421);
    expect(at(expired.body, 'redirectURL')).toBeDefined();
    // "Keep me signed in" lasts two weeks from sign-in, not from the last use.
    const kept = new TestUser(emulator, 'carol');
    kept.token = emulator.signIn('carol', { keepSignedIn: true });
    clock.advance(14 * 24 * 60 * 60_000 - 1);
    expect((await kept.call('zones/list')).status).toBe(200);
    clock.advance(1);
    expect((await kept.call('zones/list')).status).toBe(421);

    const other = new TestUser(emulator, 'bob');
    emulator.admin.expireWebAuthTokens('bob');
    expect((await other.call('zones/list')).status).toBe(421);
  });

  it('webAuthTokenLifetime sliding (opt-in): each request extends the session', async () => {
    const clock = new FakeClock();
    emulator = await start({ tokenMode, now: clock.now, webAuthTokenTtlMs: 60_000, webAuthTokenLifetime: 'sliding' });
    const user = new TestUser(emulator);
    clock.advance(50_000);
    expect((await user.call('zones/list')).status).toBe(200);
    clock.advance(50_000); // 100 s after sign-in but 50 s after the last use: still alive.
    expect((await user.call('zones/list')).status).toBe(200);
    clock.advance(60_001);
    expect((await user.call('zones/list')).status).toBe(421);
  });

  it('refuses sign-in when web access is off (or ADP) and denies existing sessions', async () => {
    emulator = await start({ tokenMode });
    const user = new TestUser(emulator);
    emulator.admin.setWebAccess(false, 'alice');
    expect(() => emulator?.signIn('alice')).toThrow(/Web Access is Off/);
    const page = await fetch(emulator.signInPageUrl(), { method: 'POST', body: new URLSearchParams({ userName: 'alice' }) });
    expect(page.status).toBe(403);
    expect(await page.text()).toContain('iCloud Data Web Access is Off');
    const denied = await user.call('zones/list');
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ serverErrorCode: 'ACCESS_DENIED' });
    expect((await adminPost(emulator, 'sign-in', { userName: 'alice' })).status).toBe(403);
    // Other users are unaffected; turning it back on restores sign-in.
    expect(() => emulator?.signIn('bob')).not.toThrow();
    emulator.admin.setWebAccess(true, 'alice');
    expect(() => emulator?.signIn('alice')).not.toThrow();
  });

  it('users/caller answers the UserIdentity dictionary itself, or the other documented shapes by mode', async () => {
    emulator = await start({ tokenMode });
    const expected = emulator.admin.userRecordName('alice');
    const identity = await new TestUser(emulator).call('users/caller', undefined, { database: 'public' });
    expect(identity.body).toEqual({ userRecordName: expected, lookupInfo: { userRecordName: expected } });
    await emulator.close();
    emulator = await start({ tokenMode, callerResponseShape: 'lookup-info-only' });
    const hidden = await new TestUser(emulator).call('users/caller', undefined, { database: 'public' });
    expect(hidden.body).toEqual({ lookupInfo: { userRecordName: expected } });
    await emulator.close();
    emulator = await start({ tokenMode, callerResponseShape: 'users-list' });
    const listed = await new TestUser(emulator).call('users/caller', undefined, { database: 'public' });
    expect(listed.body).toEqual({ users: [{ userRecordName: expected }] });
  });

  it('reports a stable userRecordName per user, and a switched account behind the same session', async () => {
    emulator = await start({ tokenMode });
    const alice = new TestUser(emulator);
    const first = str((await alice.call('users/caller', undefined, { database: 'public' })).body, 'userRecordName');
    const again = new TestUser(emulator);
    const second = str((await again.call('users/caller', undefined, { database: 'public' })).body, 'userRecordName');
    expect(first).toBe(second);
    expect(first).toMatch(/^_[0-9a-f]{32}$/);
    const current = await alice.call('users/current', undefined, { database: 'public' });
    expect(at(current.body, 'userRecordName')).toBe(first);
    emulator.admin.switchAccount('alice', 'mallory');
    const switched = str((await alice.call('users/caller', undefined, { database: 'private' })).body, 'userRecordName');
    expect(switched).toBe(emulator.admin.userRecordName('mallory'));
    expect(switched).not.toBe(first);
  });
});

describe('transport', () => {
  it('accepts JSON bodies as text/plain or application/json, ignores unknown query params, accepts ckSession', async () => {
    emulator = await start();
    const user = new TestUser(emulator);
    const body = { operations: [{ operationType: 'create', zone: { zoneID: { zoneName: 'Events' } } }] };
    expect((await user.call('zones/modify', body, { contentType: 'application/json' })).status).toBe(200);
    expect(
      (await user.call('zones/lookup', { zones: [{ zoneName: 'Events' }] }, { contentType: 'text/plain', extraQuery: { foo: 'bar' } }))
        .status,
    ).toBe(200);
    const viaSession = await fetch(`${user.url('zones/list', { token: null })}&ckSession=${encodeURIComponent(user.token)}`);
    expect(viaSession.status).toBe(200);
  });

  it('answers a CORS preflight, 405 on the wrong method and on the documented /database/ tokens path', async () => {
    emulator = await start();
    const user = new TestUser(emulator);
    const preflight = await fetch(user.url('records/modify'), {
      method: 'OPTIONS',
      headers: { origin: 'http://x', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://x');
    expect((await user.call('zones/list', {}, { method: 'POST' })).status).toBe(405);
    expect((await user.call('tokens/create', { apnsEnvironment: 'development' })).status).toBe(405);
    expect((await user.call('tokens/create', { apnsEnvironment: 'development' }, { device: true })).status).toBe(200);
  });

  it('rejects a body that is not JSON with 400 BAD_REQUEST', async () => {
    emulator = await start();
    const user = new TestUser(emulator);
    const res = await user.call('records/modify', undefined, { rawBody: '{nope' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ serverErrorCode: 'BAD_REQUEST' });
  });

  it('records every request in order with method, path, query, headers, body and status', async () => {
    emulator = await start();
    const user = new TestUser(emulator);
    await user.call('zones/list');
    await user.call('zones/lookup', { zones: [{ zoneName: 'X' }] });
    expect(emulator.requests.map((request) => [request.method, request.path.split('/').slice(-2).join('/'), request.status])).toEqual([
      ['GET', 'zones/list', 200],
      ['POST', 'zones/lookup', 200],
    ]);
    const second = emulator.requests[1];
    expect(second?.query['ckAPIToken']).toBe(emulator.apiToken);
    expect(second?.headers['content-type']).toBe('text/plain');
    expect(JSON.parse(second?.body ?? '')).toEqual({ zones: [{ zoneName: 'X' }] });
    emulator.admin.clearRequests();
    expect(emulator.requests).toHaveLength(0);
  });

  it('keeps environments, databases and users apart', async () => {
    emulator = await start();
    const alice = new TestUser(emulator);
    const bob = new TestUser(emulator, 'bob');
    const aliceProd = new TestUser(emulator, 'alice', 'production');
    await alice.createZone('Events');
    const zoneNames = async (user: TestUser): Promise<unknown[]> =>
      list((await user.call('zones/list')).body, 'zones').map((zone) => at(zone, 'zoneID', 'zoneName'));
    expect(await zoneNames(alice)).toContain('Events');
    expect(await zoneNames(bob)).not.toContain('Events');
    expect(await zoneNames(aliceProd)).not.toContain('Events');
    // A development session is not valid in production.
    expect((await alice.call('zones/list', undefined, { environment: 'production' })).status).toBe(401);
  });
});
