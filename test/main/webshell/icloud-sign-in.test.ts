import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebShellSignInFlow } from '../../../main/webshell/icloud-sign-in';
import { startWebShell, type WebShell } from '../../../main/webshell/server';
import { makeTestCore } from '../../helpers/core';
import { get, makeStaticDir, signInCookie } from './raw-client';

const APPLE = 'https://idmsa.apple.com/appleauth/auth/authorize/signin?oauth_token=abc';

describe('iCloud sign-in in the web shell: login CSRF', () => {
  let shell: WebShell;
  let env: ReturnType<typeof makeTestCore>;
  let flow: WebShellSignInFlow;
  let opened: string[];

  beforeEach(async () => {
    env = makeTestCore();
    opened = [];
    flow = new WebShellSignInFlow({ open: (url) => opened.push(url) });
    shell = await startWebShell({ core: env.core, staticDir: makeStaticDir(), log: env.core.log, routes: [flow.route] });
  });

  afterEach(async () => {
    await shell.close();
    await env.cleanup();
  });

  it("does not take an attacker's token from a forged callback while a sign-in is pending", async () => {
    const outcome: { token?: string | undefined } = {};
    void flow.signIn(APPLE).then((token) => (outcome.token = token));
    const cookie = await signInCookie(shell);
    // Any page that knows the port can navigate the browser here; the Lax cookie rides along.
    await get(shell, '/icloud/callback?ckWebAuthToken=attacker-token', { host: `127.0.0.1:${shell.port}`, cookie });
    await new Promise((resolve) => setImmediate(resolve));
    expect(outcome).toEqual({});
  });
});
