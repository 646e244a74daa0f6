import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebShellSignInFlow } from '../../../main/webshell/icloud-sign-in';
import { startWebShell, type WebShell } from '../../../main/webshell/server';
import { makeTestCore } from '../../helpers/core';
import { get, makeStaticDir, signInCookie } from './raw-client';

const APPLE = 'https://idmsa.apple.com/appleauth/auth/authorize/signin?oauth_token=abc';

/** [Note: iCloud callback nonce]: the callback is bound to the attempt that opened it, once. */
describe('iCloud sign-in in the web shell: login CSRF', () => {
  let shell: WebShell;
  let env: ReturnType<typeof makeTestCore>;
  let flow: WebShellSignInFlow;
  let opened: string[];
  let host: string;
  let cookie: string;

  beforeEach(async () => {
    env = makeTestCore();
    opened = [];
    flow = new WebShellSignInFlow({ open: (path) => opened.push(path) });
    shell = await startWebShell({ core: env.core, staticDir: makeStaticDir(), log: env.core.log, routes: flow.routes });
    host = `127.0.0.1:${shell.port}`;
    cookie = await signInCookie(shell);
  });

  afterEach(async () => {
    await shell.close();
    await env.cleanup();
  });

  /** Start an attempt; `outcome` fills in when it ends. */
  function start(): { outcome: { token?: string | undefined }; nonce: string } {
    const outcome: { token?: string | undefined } = {};
    void flow.signIn(APPLE).then((token) => (outcome.token = token));
    const path = opened.at(-1) ?? '';
    expect(path).toMatch(/^\/icloud\/begin\/[\w-]{32}$/);
    return { outcome, nonce: path.slice('/icloud/begin/'.length) };
  }

  /** What the callback page's script posts. */
  function complete(body: unknown, origin = `http://${host}`) {
    return new Promise<{ status: number; body: string }>((resolve, reject) => {
      const payload = JSON.stringify(body);
      void import('node:http').then(({ request }) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: shell.port,
            path: '/icloud/complete',
            method: 'POST',
            headers: { host, cookie, origin, 'content-type': 'application/json' },
          },
          (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    });
  }

  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it("does not take an attacker's token from a forged callback while a sign-in is pending", async () => {
    const { outcome } = start();
    // Any page that knows the port can navigate the browser here; the Lax cookie rides along.
    const forged = await get(shell, '/icloud/callback?ckWebAuthToken=attacker-token', { host, cookie });
    expect(forged.status).toBe(200);
    expect(forged.body).not.toContain('signed in');
    // The forged tab never began an attempt, so its script has no nonce to post.
    expect((await complete({ attempt: '', callback: '?ckWebAuthToken=attacker-token' })).status).toBe(400);
    expect((await complete({ attempt: 'x'.repeat(32), callback: '?ckWebAuthToken=attacker-token' })).status).toBe(400);
    await settle();
    expect(outcome).toEqual({});
  });

  it('refuses a completion posted from another site, even with the right nonce', async () => {
    const { outcome, nonce } = start();
    await get(shell, `/icloud/begin/${nonce}`, { host, cookie });
    expect((await complete({ attempt: nonce, callback: '?ckWebAuthToken=attacker-token' }, 'http://evil.example')).status).toBe(403);
    await settle();
    expect(outcome).toEqual({});
  });

  it('takes the token from the tab that began the attempt, once', async () => {
    const { outcome, nonce } = start();
    const begin = await get(shell, `/icloud/begin/${nonce}`, { host, cookie });
    expect(begin.status).toBe(200);
    expect(begin.body).toContain(`data-attempt="${nonce}"`);
    expect(begin.body).toContain('data-next="https://idmsa.apple.com/appleauth/auth/authorize/signin?oauth_token=abc"');
    expect(begin.headers['content-security-policy']).toContain("script-src 'self'");
    // Opening the begin page twice is not a second attempt.
    expect((await get(shell, `/icloud/begin/${nonce}`, { host, cookie })).status).toBe(400);

    const done = await complete({ attempt: nonce, callback: '?ckWebAuthToken=106__54__a+b%2Fc%3D&ckSession=x' });
    expect(done).toEqual({
      status: 200,
      body: JSON.stringify({ ok: true, message: 'You are signed in to iCloud. You can close this tab.' }),
    });
    await settle();
    expect(outcome).toEqual({ token: '106__54__a+b/c=' });
    // Replayed: nothing is pending any more.
    expect((await complete({ attempt: nonce, callback: '?ckWebAuthToken=other' })).status).toBe(400);
  });

  it("forgets an attempt's nonce when a new sign-in starts", async () => {
    const first = start();
    await get(shell, `/icloud/begin/${first.nonce}`, { host, cookie });
    const second = start();
    await settle();
    expect(first.outcome).toEqual({ token: undefined });
    expect((await complete({ attempt: first.nonce, callback: '?ckWebAuthToken=t' })).status).toBe(400);
    await settle();
    expect(second.outcome).toEqual({});
  });

  it("serves the pages' script from our origin (no inline script under the CSP)", async () => {
    const script = await get(shell, '/icloud/sign-in.js', { host, cookie });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toContain('text/javascript');
    expect(script.body).toContain('sessionStorage');
  });
});
