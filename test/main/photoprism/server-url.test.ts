import { describe, expect, it } from 'vitest';
import { isInsecureHttp, isLanHost, parseServerUrl } from '../../../main/photoprism/server-url';

describe('parseServerUrl', () => {
  it('assumes https and drops trailing slashes, queries and the web UI path', () => {
    expect(parseServerUrl(' photos.example.com/ ')).toEqual({
      serverUrl: 'https://photos.example.com',
      insecureHttp: false,
      schemeAssumed: true,
    });
    expect(parseServerUrl('https://photos.example.com/library/browse?view=cards').serverUrl).toBe('https://photos.example.com');
    expect(parseServerUrl('https://example.com/pp/api/v1/photos').serverUrl).toBe('https://example.com/pp');
    expect(parseServerUrl('https://example.com:8443/photoprism/').serverUrl).toBe('https://example.com:8443/photoprism');
  });

  it('allows plain HTTP on the local network only, and says so', () => {
    expect(parseServerUrl('http://192.168.1.20:2342')).toMatchObject({ serverUrl: 'http://192.168.1.20:2342', insecureHttp: true });
    expect(parseServerUrl('http://nas.local:2342').insecureHttp).toBe(true);
    expect(() => parseServerUrl('http://photos.example.com')).toThrow(/not on your local network/);
  });

  it('plain HTTP to this computer (loopback) is not insecure: nothing crosses a network', () => {
    for (const local of ['http://127.0.0.1:2342', 'http://localhost:2342', 'http://[::1]:2342', 'http://photos.localhost']) {
      expect(parseServerUrl(local).insecureHttp, local).toBe(false);
      expect(isInsecureHttp(local), local).toBe(false);
    }
    expect(isInsecureHttp('http://192.168.1.20:2342')).toBe(true);
    expect(isInsecureHttp('https://192.168.1.20')).toBe(false);
  });

  it('rejects what is not a web address, with a kind the form can show', () => {
    for (const bad of ['ftp://x.org', 'https://', 'http://user:pw@10.0.0.1', 'exa mple']) {
      expect(() => parseServerUrl(bad), bad).toThrow(expect.objectContaining({ kind: 'validation' }));
    }
  });
});

describe('isLanHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['10.1.2.3', true],
    ['172.20.0.1', true],
    ['172.32.0.1', false],
    ['192.168.0.9', true],
    ['8.8.8.8', false],
    ['[::1]', true],
    ['fd12:3456::1', true],
    ['2001:db8::1', false],
    ['nas', true],
    ['photos.home.arpa', true],
    ['photos.example.com', false],
  ])('%s → %s', (host, lan) => expect(isLanHost(host)).toBe(lan));
});
