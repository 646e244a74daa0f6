import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, checkExternalUrl, decideNavigation, decideWindowOpen, isAppUrl } from '../../../main/window/navigation-policy';

describe('navigation policy', () => {
  it('recognises only app://photoflare as the app', () => {
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true);
    expect(isAppUrl('app://photoflare/albums?x=1#top')).toBe(true);
    expect(isAppUrl('app://evil/index.html')).toBe(false);
    expect(isAppUrl('app://photoflare.evil.com/')).toBe(false);
    expect(isAppUrl('file:///Applications/Photoflare.app/index.html')).toBe(false);
    expect(isAppUrl('https://photoflare/')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('allows navigation within the app only', () => {
    expect(decideNavigation('app://photoflare/index.html')).toBe('allow');
    expect(decideNavigation('https://example.com/')).toBe('deny');
    expect(decideNavigation('http://127.0.0.1:2342/library')).toBe('deny');
    expect(decideNavigation('file:///etc/passwd')).toBe('deny');
    expect(decideNavigation('javascript:alert(1)')).toBe('deny');
  });

  it('never opens a new app window, and sends only checked https links to the browser', () => {
    expect(decideWindowOpen('https://docs.photoprism.app/')).toEqual({
      action: 'deny',
      openExternally: 'https://docs.photoprism.app/',
    });
    for (const url of [
      'http://example.com/',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'x-apple.systempreferences:com.apple.preference.security',
      'https://user:secret@example.com/',
      'app://photoflare/index.html',
      `https://example.com/${'a'.repeat(3000)}`,
      'https://',
    ]) {
      expect(decideWindowOpen(url), url).toEqual({ action: 'deny' });
    }
  });

  it('normalises the link it hands out', () => {
    expect(checkExternalUrl('HTTPS://Example.COM/a b')).toBe('https://example.com/a%20b');
  });
});
