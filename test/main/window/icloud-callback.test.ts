import { describe, expect, it } from 'vitest';
import { isCallbackUrl, isSignInPageUrl, signInPagePolicy, tokenFromCallback } from '../../../main/window/icloud-callback';

const CALLBACK = 'https://photoflare.app/icloud/callback';

describe('iCloud sign-in callback', () => {
  it('takes the token from the query and keeps + / = intact', () => {
    expect(tokenFromCallback(`${CALLBACK}?ckWebAuthToken=106__54__AbC+d/e%3D%3D&ckSession=s`, CALLBACK)).toBe('106__54__AbC+d/e==');
  });

  it('finds the token in the fragment too', () => {
    expect(tokenFromCallback(`${CALLBACK}/#ckWebAuthToken=tok%2B1`, CALLBACK)).toBe('tok+1');
  });

  it('ignores other pages, even with a token-looking parameter', () => {
    expect(isCallbackUrl('https://idmsa.apple.com/signin?ckWebAuthToken=x', CALLBACK)).toBe(false);
    expect(tokenFromCallback('https://photoflare.app.evil.com/icloud/callback?ckWebAuthToken=x', CALLBACK)).toBeUndefined();
    expect(tokenFromCallback('http://photoflare.app/icloud/callback?ckWebAuthToken=x', CALLBACK)).toBeUndefined();
    expect(tokenFromCallback('https://photoflare.app/other?ckWebAuthToken=x', CALLBACK)).toBeUndefined();
  });

  it('reports no token when the callback carries none or garbage', () => {
    expect(isCallbackUrl(`${CALLBACK}?error=1`, CALLBACK)).toBe(true);
    expect(tokenFromCallback(`${CALLBACK}?error=1`, CALLBACK)).toBeUndefined();
    expect(tokenFromCallback(`${CALLBACK}?ckWebAuthToken=`, CALLBACK)).toBeUndefined();
    expect(tokenFromCallback(`${CALLBACK}?ckWebAuthToken=a%0Ab`, CALLBACK)).toBeUndefined();
  });

  it("lets the sign-in window start on Apple's https pages, and plain http only on this machine (the emulator)", () => {
    expect(isSignInPageUrl('https://idmsa.apple.com/appleauth')).toBe(true);
    expect(isSignInPageUrl('https://evil.example/appleauth')).toBe(false);
    expect(isSignInPageUrl('https://idmsa.apple.com.evil.example/')).toBe(false);
    expect(isSignInPageUrl('https://notapple.com/')).toBe(false);
    expect(isSignInPageUrl('http://127.0.0.1:8123/sign-in')).toBe(true);
    expect(isSignInPageUrl('http://localhost:8123/sign-in')).toBe(true);
    expect(isSignInPageUrl('http://idmsa.apple.com/')).toBe(false);
    expect(isSignInPageUrl('https://user:pw@idmsa.apple.com/')).toBe(false);
    expect(isSignInPageUrl('file:///etc/passwd')).toBe(false);
    expect(isSignInPageUrl('app://photoflare/index.html')).toBe(false);
  });

  it("keeps an attempt on Apple's hosts, plus the emulator's own origin when the attempt started there", () => {
    const apple = signInPagePolicy('https://idmsa.apple.com/appleauth/auth/authorize/signin');
    expect(apple('https://cdn.apple-cloudkit.com/ck-auth/?oauth_token=x')).toBe(true);
    expect(apple('https://setup.icloud.com/setup/ws/1/validate')).toBe(true);
    expect(apple('http://127.0.0.1:8123/sign-in')).toBe(false);
    expect(apple('https://evil.example/')).toBe(false);
    const emulator = signInPagePolicy('http://127.0.0.1:8123/_auth/sign-in?oauth_token=x');
    expect(emulator('http://127.0.0.1:8123/_auth/sign-in?oauth_token=x')).toBe(true);
    expect(emulator('http://127.0.0.1:9999/')).toBe(false);
    expect(emulator('http://localhost:8123/')).toBe(false);
    expect(emulator('https://idmsa.apple.com/')).toBe(true);
  });
});
