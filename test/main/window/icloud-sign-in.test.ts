import { describe, expect, it, vi } from 'vitest';

vi.mock('electron', async () => (await import('./fake-electron')).createFakeElectron());

import { createMemoryLogger } from '../../../main/log/logger';
import { ElectronSignInFlow, ICLOUD_SIGN_IN_PARTITION } from '../../../main/window/icloud-sign-in';
import { FakeBrowserWindow, sessionFor } from './fake-electron';

const CALLBACK = 'https://photoflare.app/icloud/callback';
const REDIRECT = 'https://idmsa.apple.com/appleauth/auth/authorize/signin?client_id=x';

function setup() {
  const log = createMemoryLogger();
  const opened: string[] = [];
  const flow = new ElectronSignInFlow({ callbackUrl: CALLBACK, openExternal: (url) => opened.push(url), log });
  return { flow, log, opened };
}
const last = () => {
  const window = FakeBrowserWindow.instances.at(-1);
  if (!window) throw new Error('no window');
  return window;
};

describe('iCloud sign-in window (Electron mocked)', () => {
  it("opens Apple's page in a sandboxed window with no preload and its own in-memory session", async () => {
    const { flow } = setup();
    const done = flow.signIn(REDIRECT);
    const window = last();
    expect(window.loadedUrl).toBe(REDIRECT);
    expect(window.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      partition: ICLOUD_SIGN_IN_PARTITION,
    });
    expect(window.options.webPreferences).not.toHaveProperty('preload');
    expect(ICLOUD_SIGN_IN_PARTITION.startsWith('persist:')).toBe(false);
    expect(sessionFor(ICLOUD_SIGN_IN_PARTITION).permissionRequestHandler).not.toBeNull();
    // Closing the window is "not now", not an error.
    window.close();
    await expect(done).resolves.toBeUndefined();
  });

  it('captures the token from the callback redirect before the page loads, then closes and wipes cookies', async () => {
    const { flow, log } = setup();
    const clearedBefore = sessionFor(ICLOUD_SIGN_IN_PARTITION).cleared;
    const done = flow.signIn(REDIRECT);
    const window = last();
    expect(window.webContents.navigate('will-navigate', 'https://idmsa.apple.com/2fa')).toBe(true);
    const allowed = window.webContents.navigate('will-redirect', `${CALLBACK}?ckWebAuthToken=106__54__a+b%2Fc%3D&ckSession=x`);
    expect(allowed).toBe(false);
    await expect(done).resolves.toBe('106__54__a+b/c=');
    expect(window.destroyed).toBe(true);
    expect(sessionFor(ICLOUD_SIGN_IN_PARTITION).cleared).toBe(clearedBefore + 1);
    expect(log.lines.join('\n')).not.toContain('106__54__');
  });

  it('fails clearly when the callback carries no token', async () => {
    const { flow } = setup();
    const done = flow.signIn(REDIRECT);
    last().webContents.navigate('will-redirect', `${CALLBACK}?error=web-access-off`);
    await expect(done).rejects.toMatchObject({ kind: 'auth', message: expect.stringContaining('Access iCloud Data on the Web') });
  });

  it('refuses a non-https sign-in address and keeps the window on sign-in pages', async () => {
    const { flow, opened } = setup();
    await expect(flow.signIn('http://idmsa.apple.com/')).rejects.toMatchObject({ kind: 'server' });
    const done = flow.signIn(REDIRECT);
    expect(last().webContents.navigate('will-navigate', 'http://evil.example/')).toBe(false);
    expect(last().webContents.navigate('will-navigate', 'file:///etc/passwd')).toBe(false);
    expect(last().webContents.open('https://iforgot.apple.com/')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://iforgot.apple.com/']);
    last().close();
    await expect(done).resolves.toBeUndefined();
  });

  it('closes the window when the caller gives up', async () => {
    const { flow } = setup();
    const controller = new AbortController();
    const done = flow.signIn(REDIRECT, { signal: controller.signal });
    controller.abort();
    await expect(done).resolves.toBeUndefined();
    expect(last().destroyed).toBe(true);
  });
});

describe('iCloud sign-in window: only Apple, and the callback in any frame (Electron mocked)', () => {
  it("keeps every frame on Apple's sign-in hosts", async () => {
    const { flow } = setup();
    const done = flow.signIn(REDIRECT);
    const contents = last().webContents;
    expect(contents.navigate('will-navigate', 'https://appleid.apple.com/auth')).toBe(true);
    expect(contents.navigate('will-navigate', 'https://evil.example/phish')).toBe(false);
    expect(contents.navigate('will-redirect', 'https://idmsa.apple.com.evil.example/')).toBe(false);
    expect(contents.navigate('will-frame-navigate', 'https://evil.example/frame')).toBe(false);
    const session = sessionFor(ICLOUD_SIGN_IN_PARTITION);
    expect(session.request({ url: 'https://evil.example/frame', resourceType: 'subFrame', webContentsId: contents.id })).toEqual({
      cancel: true,
    });
    expect(
      session.request({ url: 'https://cdn.apple-cloudkit.com/ck-auth/', resourceType: 'subFrame', webContentsId: contents.id }),
    ).toEqual({});
    last().close();
    await expect(done).resolves.toBeUndefined();
  });

  it("refuses to open a sign-in address outside Apple's hosts", async () => {
    const { flow } = setup();
    await expect(flow.signIn('https://evil.example/signin')).rejects.toMatchObject({ kind: 'server' });
  });

  it('catches the callback in a sub-frame navigation', async () => {
    const { flow } = setup();
    const done = flow.signIn(REDIRECT);
    expect(last().webContents.navigate('will-frame-navigate', `${CALLBACK}?ckWebAuthToken=frame-token`)).toBe(false);
    await expect(done).resolves.toBe('frame-token');
  });

  it("catches the callback in the session's requests, from this attempt's window only, once", async () => {
    const { flow } = setup();
    const done = flow.signIn(REDIRECT);
    const contents = last().webContents;
    const session = sessionFor(ICLOUD_SIGN_IN_PARTITION);
    // Another page in the partition is not this attempt.
    expect(
      session.request({ url: `${CALLBACK}?ckWebAuthToken=other`, resourceType: 'subFrame', webContentsId: contents.id + 1000 }),
    ).toEqual({ cancel: true });
    expect(
      session.request({ url: `${CALLBACK}?ckWebAuthToken=request-token`, resourceType: 'subFrame', webContentsId: contents.id }),
    ).toEqual({ cancel: true });
    await expect(done).resolves.toBe('request-token');
    // The attempt is over: a late callback binds nothing.
    expect(session.beforeRequest).toBeNull();
  });
});
