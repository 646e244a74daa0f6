import type { Session, WebContents } from 'electron';
import { describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../../../main/log/logger';
import { guardNavigation, hardenSession, secureWebPreferences } from '../../../main/window/security';
import { FakeEvent, FakeSession, FakeWebContents } from './fake-electron';

describe('window security (Electron objects faked)', () => {
  it('locks down webPreferences', () => {
    const prefs = secureWebPreferences({ preload: '/app/dist/preload/index.cjs' });
    expect(prefs).toMatchObject({
      preload: '/app/dist/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
    });
    expect(secureWebPreferences()).not.toHaveProperty('preload');
  });

  it('refuses every permission request and check, and downloads', () => {
    const session = new FakeSession('test');
    const log = createMemoryLogger();
    hardenSession(session as unknown as Session, log);
    const answers: boolean[] = [];
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read']) {
      (session.permissionRequestHandler as unknown as (wc: unknown, p: string, cb: (ok: boolean) => void) => void)(
        {},
        permission,
        (granted) => answers.push(granted),
      );
    }
    expect(answers).toEqual([false, false, false, false, false]);
    expect((session.permissionCheckHandler as unknown as () => boolean)()).toBe(false);
    expect((session.devicePermissionHandler as unknown as () => boolean)()).toBe(false);
    const download = new FakeEvent();
    session.emit('will-download', download);
    expect(download.defaultPrevented).toBe(true);
    expect(log.lines.some((line) => line.includes('refused a permission request'))).toBe(true);
  });

  it('blocks navigation and redirects away from the app', () => {
    const contents = new FakeWebContents(new FakeSession('t'));
    guardNavigation(contents as unknown as WebContents, { openExternal: () => undefined, log: createMemoryLogger() });
    expect(contents.navigate('will-navigate', 'app://photoflare/albums')).toBe(true);
    expect(contents.navigate('will-navigate', 'https://evil.example/')).toBe(false);
    expect(contents.navigate('will-redirect', 'https://evil.example/')).toBe(false);
    expect(contents.navigate('will-navigate', 'file:///etc/passwd')).toBe(false);
    expect(contents.navigate('will-frame-navigate', 'https://evil.example/')).toBe(false);
  });

  it('denies every new window and opens only checked https links outside', () => {
    const contents = new FakeWebContents(new FakeSession('t'));
    const opened: string[] = [];
    guardNavigation(contents as unknown as WebContents, { openExternal: (url) => opened.push(url), log: createMemoryLogger() });
    expect(contents.open('https://docs.photoprism.app/')).toEqual({ action: 'deny' });
    expect(contents.open('http://example.com/')).toEqual({ action: 'deny' });
    expect(contents.open('file:///Applications/Calculator.app')).toEqual({ action: 'deny' });
    expect(contents.open('app://photoflare/index.html')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://docs.photoprism.app/']);
  });

  it('refuses <webview>', () => {
    const contents = new FakeWebContents(new FakeSession('t'));
    guardNavigation(contents as unknown as WebContents, { openExternal: () => undefined, log: createMemoryLogger() });
    const event = new FakeEvent();
    contents.emit('will-attach-webview', event);
    expect(event.defaultPrevented).toBe(true);
  });
});
