import { describe, expect, it } from 'vitest';
import { asksForGzip, isLoopbackHost } from '../../../main/photoprism/transport';

/** [Note: Compressed answers]: gzip is asked for everywhere but from a server on this Mac. */
describe('which servers are asked for gzip', () => {
  it.each([
    'http://127.0.0.1:2342',
    'http://127.45.6.7',
    'http://localhost:2342',
    'https://LOCALHOST.',
    'http://[::1]:2342',
    'http://[0:0:0:0:0:0:0:1]',
    'http://[::ffff:127.0.0.1]',
    'http://2130706433',
  ])('not %s: loopback, nothing to save on the wire', (url) => {
    expect(isLoopbackHost(new URL(url).hostname)).toBe(true);
    expect(asksForGzip(new URL(url))).toBe(false);
  });

  it.each([
    'http://192.168.1.20:2342',
    'https://photos.example.com',
    'http://photoprism.local',
    'http://[fe80::1]',
    'http://[::ffff:10.0.0.1]',
    'http://128.0.0.1',
    'http://localhost.example.com',
    'http://127.0.0.1.nip.io',
  ])('%s: a server elsewhere', (url) => {
    expect(isLoopbackHost(new URL(url).hostname)).toBe(false);
    expect(asksForGzip(new URL(url))).toBe(true);
  });
});
