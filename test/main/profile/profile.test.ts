import { describe, expect, it } from 'vitest';
import { defaultDataRoot, profileDir, profileFromArgv } from '../../../main/profile/profile';

describe('profiles (one per "device")', () => {
  it('defaults to "default"', () => {
    expect(profileFromArgv([])).toBe('default');
  });

  it('reads --profile NAME and --profile=NAME', () => {
    expect(profileFromArgv(['--profile', 'second'])).toBe('second');
    expect(profileFromArgv(['--port', '0', '--profile=laptop-2'])).toBe('laptop-2');
  });

  it.each(['../etc', 'Second', '', 'a/b', 'x'.repeat(41)])('refuses the unsafe name %j with a clear error', (name) => {
    expect(() => profileFromArgv(['--profile', name])).toThrow(/not a valid profile name/);
  });

  it('asks for a name when --profile has none', () => {
    expect(() => profileFromArgv(['--profile'])).toThrow(/needs a name/);
  });

  it('keeps each profile in its own folder under the data root', () => {
    expect(profileDir('/data', 'second')).toBe('/data/profiles/second');
    expect(profileDir('/data', 'default')).not.toBe(profileDir('/data', 'second'));
  });

  it('honours PHOTOFLARE_DATA_DIR, and uses Application Support on a Mac', () => {
    expect(defaultDataRoot({ PHOTOFLARE_DATA_DIR: '/tmp/pf' }, 'linux')).toBe('/tmp/pf');
    expect(defaultDataRoot({}, 'darwin')).toMatch(/Library\/Application Support\/Photoflare$/);
  });
});
