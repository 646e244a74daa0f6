import { describe, expect, it } from 'vitest';
import { extractTokenFromMessage, extractWebAuthToken } from '../../../main/cloudkit/sign-in';

describe('extractWebAuthToken', () => {
  it('reads ckWebAuthToken from the callback query and keeps a percent-encoded +', () => {
    expect(extractWebAuthToken('https://cb.example/done?ckWebAuthToken=106__54__a%2Bb%2Fc%3D&ckSession=other')).toBe('106__54__a+b/c=');
  });

  it('keeps a literal + (a form decoder would turn it into a space, docs/cloudkit.md §2.2)', () => {
    expect(extractWebAuthToken('https://cb.example/?ckWebAuthToken=a+b')).toBe('a+b');
  });

  it('falls back to ckSession, then to the fragment', () => {
    expect(extractWebAuthToken('https://cb.example/?ckSession=s1')).toBe('s1');
    expect(extractWebAuthToken('https://cb.example/#ckWebAuthToken=f1')).toBe('f1');
  });

  it('repairs a token whose + was already decoded to a space', () => {
    expect(extractWebAuthToken('https://cb.example/?ckWebAuthToken=a%20b')).toBe('a+b');
  });

  it('returns undefined when there is no token or the URL is invalid', () => {
    expect(extractWebAuthToken('https://cb.example/?error=cancelled')).toBeUndefined();
    expect(extractWebAuthToken('not a url')).toBeUndefined();
    expect(extractWebAuthToken('https://cb.example/?ckWebAuthToken=')).toBeUndefined();
  });
});

describe('extractTokenFromMessage', () => {
  it('reads ckWebAuthToken or ckSession from a postMessage payload', () => {
    expect(extractTokenFromMessage({ ckWebAuthToken: 't1' })).toBe('t1');
    expect(extractTokenFromMessage({ ckSession: 's1', other: 1 })).toBe('s1');
  });

  it('ignores anything else', () => {
    expect(extractTokenFromMessage('t1')).toBeUndefined();
    expect(extractTokenFromMessage(null)).toBeUndefined();
    expect(extractTokenFromMessage({ ckWebAuthToken: 5 })).toBeUndefined();
  });
});
