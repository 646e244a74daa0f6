import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { PhotoPrismEmulator } from '../index';
import { startPhotoPrismEmulator } from '../index';
import { api, fakeClock, login, obj } from './helpers';

// docs/photoprism-api.md §1 and checklist row 1 (Auth).
describe('PhotoPrism emulator: authentication', () => {
  let e: PhotoPrismEmulator;
  afterEach(async () => e.close());

  it('issues a 48-hex token, session_id = sha256(token), and the full login envelope', async () => {
    // A fixed clock: `expires_in` counts from "now", which must not move during the request.
    e = await startPhotoPrismEmulator({ photos: 10, now: fakeClock().now });
    const res = await fetch(`${e.url}/api/v1/session`, { method: 'POST', body: JSON.stringify(e.credentials) });
    expect(res.status).toBe(200);
    const body = await obj(res);
    expect(Object.keys(body)).toEqual([
      'status',
      'id',
      'session_id',
      'access_token',
      'token_type',
      'expires_in',
      'provider',
      'scope',
      'user',
      'data',
      'config',
    ]);
    const token = String(body['access_token']);
    expect(token).toMatch(/^[0-9a-f]{48}$/);
    expect(body['id']).toBe(token);
    expect(body['session_id']).toBe(createHash('sha256').update(token).digest('hex'));
    expect(body['token_type']).toBe('Bearer');
    expect(body['expires_in']).toBe(1_209_600);
    expect(body['provider']).toBe('local');
    const config = body['config'] as Record<string, unknown>;
    expect(config['previewToken']).toMatch(/^[0-9a-z]{8}$/);
    expect(config['downloadToken']).toMatch(/^[0-9a-z]{8}$/);
    const user = body['user'] as Record<string, unknown>;
    expect(user['Name']).toBe('admin');
    expect(user['Role']).toBe('admin');
    expect(user).not.toHaveProperty('Password');
  });

  it('answers a bad login with 401 {"error":"Invalid credentials"} and non-JSON with 400', async () => {
    e = await startPhotoPrismEmulator({ photos: 1 });
    const bad = await fetch(`${e.url}/api/v1/sessions`, { method: 'POST', body: JSON.stringify({ username: 'admin', password: 'nope' }) });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: 'Invalid credentials' });
    const notJson = await fetch(`${e.url}/api/v1/session`, { method: 'POST', body: 'username=admin' });
    expect(notJson.status).toBe(400);
    expect(JSON.parse(await notJson.text())).toEqual({ code: 400, error: 'Unable to do that' });
  });

  it('accepts X-Auth-Token, X-Session-ID and Bearer, in that precedence, Bearer case-sensitive', async () => {
    e = await startPhotoPrismEmulator({ photos: 1 });
    const { access_token: token } = await login(e);
    const get = (headers: Record<string, string>) => fetch(`${e.url}/api/v1/session`, { headers });
    expect((await get({ 'X-Auth-Token': token })).status).toBe(200);
    expect((await get({ 'X-Session-ID': token })).status).toBe(200);
    expect((await get({ Authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await get({ Authorization: `bearer ${token}` })).status).toBe(401);
    // The first header present wins, even when a later one holds a valid token.
    const unknown = 'f'.repeat(48);
    expect((await get({ 'X-Auth-Token': unknown, Authorization: `Bearer ${token}` })).status).toBe(401);
    expect((await get({ 'X-Auth-Token': token, 'X-Session-ID': unknown })).status).toBe(200);
    const vary = await get({ 'X-Auth-Token': token });
    // fetch asks for gzip, so the compression middleware's Vary comes first (internal/server/api.go Add()s after it).
    expect(vary.headers.get('vary')).toBe('Accept-Encoding, X-Auth-Token');
    expect(vary.headers.get('cache-control')).toBe('no-store');
  });

  it('returns {"code":401,"error":"Please log in to your account"} without a valid token', async () => {
    e = await startPhotoPrismEmulator({ photos: 1 });
    for (const headers of [{}, { 'X-Auth-Token': 'a'.repeat(48) }, { 'X-Auth-Token': 'malformed' }]) {
      const res = await fetch(`${e.url}/api/v1/photos?count=1`, { headers });
      expect(res.status).toBe(401);
      expect(await res.json()).toEqual({ code: 401, error: 'Please log in to your account' });
    }
  });

  it('expires sessions absolutely, with expires_in counting down and no refresh', async () => {
    const clock = fakeClock();
    e = await startPhotoPrismEmulator({ photos: 1, sessionTtlSeconds: 3600, now: clock.now });
    const session = await login(e);
    expect(session.expires_in).toBe(3600);
    clock.advance(1000 * 1000);
    const check = await obj(await api(e, session.access_token)('/session'));
    expect(check['expires_in']).toBe(2600);
    clock.advance(2600 * 1000);
    const expired = await api(e, session.access_token)('/session');
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ code: 401, error: 'Please log in to your account' });
  });

  it('logs out with DELETE /session; the token is then dead; GET /session/:id checks the id', async () => {
    e = await startPhotoPrismEmulator({ photos: 1 });
    const s = await login(e);
    const call = api(e, s.access_token);
    expect((await call(`/session/${s.session_id}`)).status).toBe(200);
    expect((await call(`/session/${'0'.repeat(64)}`)).status).toBe(403);
    const del = await call('/session', { method: 'DELETE' });
    expect(del.status).toBe(200);
    expect(await del.json()).toEqual({ status: 'deleted', session_id: s.session_id });
    expect((await call('/session')).status).toBe(401);
    expect((await call('/session', { method: 'DELETE' })).status).toBe(401);
  });

  it('accepts the app password as a token and as a login password (provider application)', async () => {
    e = await startPhotoPrismEmulator({ photos: 3 });
    expect(e.appPassword).toMatch(/^[0-9A-Za-z]{6}(-[0-9A-Za-z]{6}){3}$/);
    const direct = await fetch(`${e.url}/api/v1/photos?count=5`, { headers: { Authorization: `Bearer ${e.appPassword}` } });
    expect(direct.status).toBe(200);
    const s = await login(e, { username: e.credentials.username, password: e.appPassword });
    expect(s.provider).toBe('application');
    expect(s.scope).toBe('*');
    expect(s.access_token).toMatch(/^[0-9a-f]{48}$/);
  });

  it('gives 403 Permission denied to a valid token without the scope', async () => {
    e = await startPhotoPrismEmulator({ photos: 3 });
    const res = await fetch(`${e.url}/api/v1/photos?count=5`, { headers: { 'X-Auth-Token': e.webdavAppPassword } });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ code: 403, error: 'Permission denied' });
  });

  it('creates app passwords through POST /oauth/token while logged in', async () => {
    e = await startPhotoPrismEmulator({ photos: 1 });
    const s = await login(e);
    const res = await api(e, s.access_token)('/oauth/token', {
      method: 'POST',
      body: { grant_type: 'password', client_name: 'Test', scope: '*', expires_in: 0, username: 'admin', password: 'photoprism' },
    });
    expect(res.status).toBe(200);
    const body = await obj(res);
    expect(body['access_token']).toMatch(/^[0-9A-Za-z]{6}(-[0-9A-Za-z]{6}){3}$/);
    expect(body['client_name']).toBe('Test');
    const anon = await fetch(`${e.url}/api/v1/oauth/token`, {
      method: 'POST',
      body: JSON.stringify({ grant_type: 'password', username: 'admin', password: 'photoprism' }),
    });
    expect(anon.status).toBe(401);
    expect(await anon.json()).toEqual({ error: 'invalid credentials', code: 40, message: 'Invalid credentials' });
  });

  it('asks for a 2FA passcode with code 32, rejects a wrong one, accepts the right one', async () => {
    // A fixed clock keeps the passcodes (and so the "wrong" one) the same every run.
    e = await startPhotoPrismEmulator({ photos: 1, now: fakeClock().now });
    const { username, password } = e.twoFactor;
    const post = (body: unknown) => fetch(`${e.url}/api/v1/session`, { method: 'POST', body: JSON.stringify(body) });
    const needCode = await post({ username, password });
    expect(needCode.status).toBe(401);
    expect(await needCode.json()).toEqual({ error: 'passcode required', code: 32, message: 'Enter verification code' });
    const wrongCode = String((Number(e.twoFactor.code()) + 500_000) % 1_000_000).padStart(6, '0');
    const wrong = await post({ username, password, code: wrongCode });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'invalid passcode', code: 401, message: 'Invalid verification code, please try again' });
    const ok = await post({ username, password, code: e.twoFactor.code() });
    expect(ok.status).toBe(200);
    // 2FA doubles the session lifetime (docs/photoprism-api.md §1.5).
    expect((await obj(ok))['expires_in']).toBe(2 * 1_209_600);
  });

  it('rate-limits logins: 10 failures per IP, then 429 until a token refills (1 per minute)', async () => {
    const clock = fakeClock();
    e = await startPhotoPrismEmulator({ photos: 1, now: clock.now });
    const attempt = () =>
      fetch(`${e.url}/api/v1/session`, { method: 'POST', body: JSON.stringify({ username: 'admin', password: 'wrong' }) });
    for (let i = 0; i < 10; i += 1) expect((await attempt()).status).toBe(401);
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(await limited.json()).toEqual({ error: 'rate limit exceeded', code: 429 });
    clock.advance(60_000);
    expect((await login(e)).access_token).toMatch(/^[0-9a-f]{48}$/);
  });

  it('locks out every token of an IP after 60 unknown-token lookups (401, not 429)', async () => {
    const clock = fakeClock();
    e = await startPhotoPrismEmulator({ photos: 1, now: clock.now });
    const good = await login(e);
    for (let i = 0; i < 60; i += 1) {
      await fetch(`${e.url}/api/v1/session`, { headers: { 'X-Auth-Token': i.toString(16).padStart(48, '0') } });
    }
    expect((await api(e, good.access_token)('/session')).status).toBe(401);
    clock.advance(10_000);
    expect((await api(e, good.access_token)('/session')).status).toBe(200);
  });

  it('regenerates the token when credentials come with a valid token in the header', async () => {
    e = await startPhotoPrismEmulator({ photos: 1 });
    const first = await login(e);
    const res = await fetch(`${e.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'X-Auth-Token': first.access_token },
      body: JSON.stringify(e.credentials),
    });
    const second = await obj(res);
    expect(second['access_token']).not.toBe(first.access_token);
    expect((await api(e, first.access_token)('/session')).status).toBe(401);
    expect((await api(e, String(second['access_token']))('/session')).status).toBe(200);
  });

  it('expireSessions() kills login sessions but keeps the app password usable', async () => {
    e = await startPhotoPrismEmulator({ photos: 1 });
    const s = await login(e);
    e.admin.expireSessions();
    expect((await api(e, s.access_token)('/session')).status).toBe(401);
    expect((await api(e, e.appPassword)('/session')).status).toBe(200);
  });
});
